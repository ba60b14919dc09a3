"""One SOURCE argument -> a lazy stream of raw inputs and per-item failures.

``iter_inputs`` is the ingest stage's entry point. It decides what SOURCE
is, eagerly (so a typo fails before anything runs), then yields lazily:

1. an http(s) URL: fetch it (``fetch.Fetcher``); a feed response goes to
   ``feeds.feed_inputs`` and its validators are kept for the next
   conditional poll, anything else is one HTML RawInput;
2. a directory: every file below it, in sorted path order (``files.py``);
3. a file: by kind (HTML, text, JSONL, feed), see ``files.file_inputs``.

A bad item never raises: it becomes an IngestFailure and the stream goes
on. This module must not decode, extract or store anything.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from newsloom.errors import BinaryInputError, FeedError, IngestError
from newsloom.ingest.decode import sniff_kind
from newsloom.ingest.feeds import feed_inputs, parse_feed
from newsloom.ingest.fetch import ALLOWED_SCHEMES, Fetcher, FetchResult, page_input
from newsloom.ingest.files import directory_inputs, file_inputs
from newsloom.models import IngestFailure, RawInput

_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_FEED_MEDIA_HINTS = ("rss", "atom", "xml")


def iter_inputs(source: str, settings, fetcher: Fetcher | None = None) -> Iterator[RawInput | IngestFailure]:
    """Raw inputs (and per-item failures) for one SOURCE, lazily, in a deterministic order.

    Raises IngestError at once when SOURCE does not exist, is a URL of an
    unsupported scheme, or is an http(s) URL and no fetcher was given.
    """
    url_match = _URL_RE.match(source)
    if url_match:
        return _url_source(source, url_match.group(1).lower(), settings, fetcher)
    path = Path(source)
    if path.is_dir():
        return directory_inputs(path, settings, fetcher)
    if path.is_file():
        return file_inputs(path, settings, fetcher)
    if path.exists():
        raise IngestError(f"{source}: neither a regular file nor a directory; give a file, a directory or an http(s) URL.")
    raise IngestError(f"{source}: no such file or directory; check the path (or give an http(s) URL).")


def _url_source(url: str, scheme: str, settings, fetcher: Fetcher | None) -> Iterator[RawInput | IngestFailure]:
    if scheme not in ALLOWED_SCHEMES:
        raise IngestError(f"{url}: {scheme}: URLs are not supported; give an http(s) URL, or a local path without a scheme.")
    if fetcher is None:
        raise IngestError(f"{url}: fetching a URL needs a Fetcher; pass fetcher=Fetcher(settings).")
    return url_inputs(url, settings, fetcher)


def url_inputs(url: str, settings, fetcher: Fetcher) -> Iterator[RawInput | IngestFailure]:
    """A web page (one "html" input) or a feed (its document, then its entries)."""
    # Only feeds keep validators, so a URL with stored ones was a feed last time.
    was_feed = any(fetcher.validators.get(url))
    try:
        response = fetcher.get(url, conditional=was_feed, remember=False)
    except IngestError as error:
        yield IngestFailure(origin=url, stage="fetch", message=str(error))
        return
    if response is None:
        return  # 304 Not Modified: the feed has nothing new since the last poll
    if is_feed_response(response):
        hints = {"url": response.url, **({"charset": response.charset} if response.charset else {})}
        yield from feed_inputs(response.body, url, settings, fetcher, content_type=response.content_type, hints=hints)
        # Only now: a run that dies mid-feed must not find the feed "not modified" next time.
        fetcher.remember_validators(url, response)
        return
    try:
        yield page_input(url, response)
    except BinaryInputError as error:
        yield IngestFailure(origin=url, stage="decode", message=str(error))


def is_feed_response(response: FetchResult) -> bool:
    """A feed by its markup, or by an XML-ish content type and a successful parse with entries."""
    if sniff_kind(response.body) == "feed":
        return True
    if not any(hint in (response.content_type or "") for hint in _FEED_MEDIA_HINTS):
        return False
    try:
        return bool(parse_feed(response.body, response.url))
    except FeedError:
        return False
