"""Ingest: turn SOURCE arguments (files, directories, URLs, feeds, JSONL) into
``RawInput`` records with their exact bytes, or per-item ``IngestFailure``s.

Start at ``sources.iter_inputs``; ``decode.decode_text`` is the bytes -> str
step extraction uses; ``fetch.check_url_allowed`` is the address guard the
web API reuses.
"""

from newsloom.ingest.decode import decode_text, sniff_binary, sniff_kind
from newsloom.ingest.feeds import FeedEntry, feed_inputs, parse_feed
from newsloom.ingest.fetch import (
    Fetcher,
    FetchResult,
    MemoryValidatorCache,
    ValidatorCache,
    check_url_allowed,
    page_input,
)
from newsloom.ingest.jsonl import jsonl_inputs
from newsloom.ingest.sources import iter_inputs

__all__ = [
    "FeedEntry",
    "FetchResult",
    "Fetcher",
    "MemoryValidatorCache",
    "ValidatorCache",
    "check_url_allowed",
    "decode_text",
    "feed_inputs",
    "iter_inputs",
    "jsonl_inputs",
    "page_input",
    "parse_feed",
    "sniff_binary",
    "sniff_kind",
]
