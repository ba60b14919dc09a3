"""RSS/Atom feeds -> one raw input for the feed, then one per entry.

1. The feed document itself is yielded first (kind "feed"), so the exact
   bytes are stored even when parsing fails.
2. ``parse_feed`` turns it into ``FeedEntry`` records. feedparser recovers
   many malformed feeds ("bozo" with entries): those entries are used. A
   feed with no entries and a parse error yields one IngestFailure.
3. Each entry becomes:
   * kind "feed-entry" with the entry's own HTML when it carries the full
     article (content of more than ``FULL_CONTENT_MIN_WORDS`` words, not
     shorter than its summary) or has no link to fetch;
   * otherwise, with ``settings.fetch_feed_pages`` and a fetcher, the linked
     page (kind "html"); if that fetch fails, an IngestFailure and then a
     "feed-entry" built from the summary, so nothing is lost.

This module must not decode page bytes or extract text: it only decides
which bytes to deliver, with the entry's metadata in ``hints``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator
from urllib.parse import urljoin

import feedparser

from newsloom.errors import FeedError, IngestError
from newsloom.ingest.fetch import page_input
from newsloom.models import IngestFailure, RawInput
from newsloom.nlp.text import words

FULL_CONTENT_MIN_WORDS = 80
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class FeedEntry:
    title: str | None
    link: str | None
    guid: str | None
    published: str | None  # ISO 8601 when the feed's date parsed, else as given
    author: str | None
    summary_html: str
    content_html: str  # longest content element; "" when the entry has none
    outlet: str | None  # the feed's title

    @property
    def has_full_content(self) -> bool:
        content_words = len(words(_TAG_RE.sub(" ", self.content_html)))
        return content_words > FULL_CONTENT_MIN_WORDS and len(self.content_html) >= len(self.summary_html)

    @property
    def best_html(self) -> str:
        return max((self.content_html, self.summary_html), key=len)

    def hints(self) -> dict:
        hints = {
            "url": self.link,
            "title": self.title,
            "published": self.published,
            "author": self.author,
            "outlet": self.outlet,
            "guid": self.guid,
        }
        return {name: value for name, value in hints.items() if value}


def parse_feed(body: bytes, origin: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom document; FeedError when it is malformed and has none."""
    # A BytesIO, never bare bytes: feedparser treats a bytes value that names
    # an existing path as a file to open.
    parsed = feedparser.parse(io.BytesIO(body))
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom elements found"
        raise FeedError(
            f"{origin}: not a readable RSS/Atom feed ({problem}); check that the address is a feed, "
            "or ingest the page itself."
        )
    outlet = parsed.feed.get("title") or None
    base_url = origin if origin.startswith(("http://", "https://")) else None
    return [_feed_entry(entry, outlet, base_url) for entry in parsed.entries]


def _feed_entry(entry, outlet: str | None, base_url: str | None) -> FeedEntry:
    link = entry.get("link") or None
    if link and base_url:
        link = urljoin(base_url, link)
    # feedparser falls back to the entry id for the link; an id like
    # "urn:..." names the entry but is no address to fetch.
    if link and not link.startswith(("http://", "https://")):
        link = None
    contents = [part.get("value", "") for part in entry.get("content", [])]
    return FeedEntry(
        title=entry.get("title") or None,
        link=link,
        guid=entry.get("id") or None,
        published=_entry_published(entry),
        author=entry.get("author") or None,
        summary_html=entry.get("summary", "") or "",
        content_html=max(contents, key=len, default=""),
        outlet=outlet,
    )


def _entry_published(entry) -> str | None:
    for key in ("published", "updated", "created"):
        parsed_time = entry.get(f"{key}_parsed")
        if parsed_time:
            return datetime(*parsed_time[:6], tzinfo=timezone.utc).isoformat()
    return entry.get("published") or entry.get("updated") or None


def feed_inputs(
    body: bytes, origin: str, settings, fetcher=None, *, content_type: str | None = None, hints: dict | None = None
) -> Iterator[RawInput | IngestFailure]:
    """The feed's own RawInput, then one RawInput (or failure) per entry."""
    yield RawInput(
        origin=origin, body=body, kind="feed", content_type=content_type or feed_content_type(body), hints=dict(hints or {})
    )
    try:
        entries = parse_feed(body, origin)
    except FeedError as error:
        yield IngestFailure(origin=origin, stage="decode", message=str(error))
        return
    for number, entry in enumerate(entries, start=1):
        yield from _entry_inputs(entry, _entry_origin(entry, origin, number), settings, fetcher)


def feed_content_type(body: bytes) -> str:
    """application/atom+xml or application/rss+xml, from the root element."""
    return "application/atom+xml" if b"<feed" in body[:2048] else "application/rss+xml"


def _entry_origin(entry: FeedEntry, feed_origin: str, number: int) -> str:
    if entry.link:
        return entry.link
    return f"{feed_origin}#{entry.guid or f'entry-{number}'}"


def _entry_inputs(entry: FeedEntry, origin: str, settings, fetcher) -> Iterator[RawInput | IngestFailure]:
    wants_page = entry.link and not entry.has_full_content and settings.fetch_feed_pages and fetcher is not None
    if wants_page:
        try:
            yield _linked_page(entry, fetcher)
            return
        except IngestError as error:
            yield IngestFailure(
                origin=origin,
                stage="fetch",
                message=f"{error} The entry's summary from the feed is kept instead.",
            )
    yield RawInput(
        origin=origin,
        body=entry.best_html.encode("utf-8"),
        kind="feed-entry",
        content_type="text/html",
        hints={**entry.hints(), "charset": "utf-8"},
    )


def _linked_page(entry: FeedEntry, fetcher) -> RawInput:
    return page_input(entry.link, fetcher.get(entry.link), hints=entry.hints())
