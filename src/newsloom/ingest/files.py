"""Files and directories -> raw inputs.

1. ``walk_files`` lists a directory recursively in sorted path order,
   skipping hidden entries and README*, LICENSE*, EXPECTED*.json.
2. ``file_inputs`` checks one file's size with ``stat`` before reading it
   (over ``settings.max_input_bytes`` -> failure, nothing read), refuses
   empty and binary files, and picks the kind: by extension first, then by
   sniffing the first bytes.
3. HTML and text files become one RawInput with their exact bytes; JSONL
   and feed files are handed to ``jsonl.py`` and ``feeds.py``.

This module must not decode bytes into text (extraction does, with
``decode.decode_text``): non-UTF-8 files are delivered untouched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from newsloom.ingest.decode import SNIFF_BYTES, sniff_binary, sniff_kind
from newsloom.ingest.feeds import feed_content_type, feed_inputs
from newsloom.ingest.jsonl import jsonl_inputs
from newsloom.models import IngestFailure, RawInput

KIND_BY_EXTENSION = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_CONTENT_TYPE_BY_KIND = {"html": "text/html", "text": "text/plain", "jsonl": "application/x-ndjson"}
_SKIPPED_PREFIXES = ("README", "LICENSE")


def is_skipped_in_walk(name: str) -> bool:
    """Hidden entries and repository paperwork are not news inputs."""
    upper = name.upper()
    return (
        name.startswith(".")
        or upper.startswith(_SKIPPED_PREFIXES)
        or (upper.startswith("EXPECTED") and upper.endswith(".JSON"))
    )


def walk_files(directory: Path) -> Iterator[Path]:
    """Files under ``directory``, recursively, in sorted path order (symlinked directories not followed)."""
    with os.scandir(directory) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if is_skipped_in_walk(entry.name):
            continue
        path = directory / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(path)
        elif entry.is_file():
            yield path


def directory_inputs(directory: Path, settings, fetcher=None) -> Iterator[RawInput | IngestFailure]:
    for path in walk_files(directory):
        yield from file_inputs(path, settings, fetcher)


def file_inputs(path: Path, settings, fetcher=None) -> Iterator[RawInput | IngestFailure]:
    """The raw input(s) of one file, or one IngestFailure saying why there are none."""
    origin = str(path)
    kind = _checked_kind(path, settings)
    if isinstance(kind, IngestFailure):
        yield kind
        return
    if kind == "jsonl":
        yield from jsonl_inputs(path, settings)
        return
    body = _read_within(path, settings.max_input_bytes)
    if isinstance(body, IngestFailure):
        yield body
    elif kind == "feed":
        yield from feed_inputs(body, origin, settings, fetcher, content_type=feed_content_type(body))
    else:
        yield RawInput(origin=origin, body=body, kind=kind, content_type=_CONTENT_TYPE_BY_KIND[kind])


def _checked_kind(path: Path, settings) -> str | IngestFailure:
    """The file's kind, after the size, emptiness and binary checks; or the failure."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return IngestFailure(origin, "read", f"{origin}: the file is empty; nothing to ingest.")
        # JSONL is streamed and capped per line, so only other kinds are capped whole.
        if size > settings.max_input_bytes and KIND_BY_EXTENSION.get(path.suffix.lower()) != "jsonl":
            return IngestFailure(origin, "read", _too_large_message(origin, size, settings.max_input_bytes))
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        return IngestFailure(origin, "read", f"{origin}: could not read the file ({error.strerror}); check that it exists and is readable.")
    return _kind_from_head(path, head)


def _kind_from_head(path: Path, head: bytes) -> str | IngestFailure:
    origin = str(path)
    binary_format = sniff_binary(head)
    if binary_format:
        return IngestFailure(origin, "decode", f"{origin}: looks like a {binary_format}, not text or HTML; skipped.")
    if not head.strip() and len(head) < SNIFF_BYTES:
        return IngestFailure(origin, "read", f"{origin}: the file holds only whitespace; nothing to ingest.")
    kind = KIND_BY_EXTENSION.get(path.suffix.lower()) or sniff_kind(head)
    if kind is None:
        return IngestFailure(
            origin,
            "read",
            f"{origin}: unknown kind of file (extension {path.suffix or 'none'!r}, no HTML or feed markup at the start); "
            "rename it to .html, .txt, .jsonl or .xml.",
        )
    return kind


def _read_within(path: Path, limit: int) -> bytes | IngestFailure:
    origin = str(path)
    try:
        with open(path, "rb") as stream:
            # One byte past the cap tells whether the file grew since stat.
            body = stream.read(limit + 1)
    except OSError as error:
        return IngestFailure(origin, "read", f"{origin}: could not read the file ({error.strerror}); check that it exists and is readable.")
    if len(body) > limit:
        return IngestFailure(origin, "read", _too_large_message(origin, len(body), limit))
    return body


def _too_large_message(origin: str, size: int, limit: int) -> str:
    return (
        f"{origin}: the file is {size:,} bytes, over the max_input_bytes cap of {limit:,}; skipped. "
        "Raise max_input_bytes (NEWSLOOM_MAX_INPUT_BYTES) to ingest it."
    )
