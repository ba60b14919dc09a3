"""JSONL files -> one raw input per line.

A JSONL export may be hundreds of megabytes, so the file is streamed line by
line and the size cap (``settings.max_input_bytes``) applies to each line,
never to the whole file; an over-long line is skipped without being held in
memory. Each row's keys are normalised into ``RawInput.hints``::

    source / outlet / publisher  -> outlet
    published / date / timestamp -> published   (value kept as given)
    url, title, text, html, author, language     kept as they are

A bad line (invalid JSON, not an object, neither title nor text/html) is one
IngestFailure; the lines after it still come through. Blank lines are
skipped silently.

This module must not parse dates or HTML: extraction does that, from the
hints delivered here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO, Iterator

from newsloom.models import IngestFailure, RawInput

_ALIASES: dict[str, tuple[str, ...]] = {
    "outlet": ("outlet", "source", "publisher"),
    "published": ("published", "date", "timestamp"),
}
_KEPT_KEYS = ("url", "title", "text", "html", "author", "language")
_COPY_CHUNK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_decode_json = json.JSONDecoder().decode


def jsonl_inputs(path: str | Path, settings) -> Iterator[RawInput | IngestFailure]:
    """One RawInput (kind "jsonl", origin "<path>#L<n>") or IngestFailure per non-blank line."""
    limit = settings.max_input_bytes
    with open(path, "rb") as stream:
        for number, line in _numbered_lines(stream, limit):
            origin = f"{path}#L{number}"
            if line is None:
                yield IngestFailure(origin=origin, stage="read", message=_line_too_long(origin, limit))
                continue
            record = line.rstrip(b"\r\n")
            if record.strip():
                yield row_input(record, origin)


def _numbered_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line bytes), or (line number, None) for a line longer than ``limit``."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        # readline stopped at the cap with no newline in sight: the line is too long.
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield number, None
            continue
        yield number, line


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while chunk := stream.readline(_COPY_CHUNK):
        if chunk.endswith(b"\n"):
            return


def _line_too_long(origin: str, limit: int) -> str:
    return (
        f"{origin}: the line is longer than the max_input_bytes cap of {limit:,} bytes; skipped. "
        "Raise max_input_bytes (NEWSLOOM_MAX_INPUT_BYTES) to ingest it."
    )


def row_input(record: bytes, origin: str) -> RawInput | IngestFailure:
    """One JSONL line (without its line ending) -> RawInput, or the reason it is not usable."""
    try:
        row = _decode_json(record.decode("utf-8-sig" if record.startswith(_UTF8_BOM) else "utf-8"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        return IngestFailure(origin, "decode", f"{origin}: not valid JSON ({error}); fix or remove the line.")
    if not isinstance(row, dict):
        return IngestFailure(
            origin, "decode", f"{origin}: the line is a JSON {type(row).__name__}, not an object; each line must be one article object."
        )
    hints = normalise_row(row)
    if not (_has_words(hints.get("title")) or _has_words(hints.get("text")) or _has_words(hints.get("html"))):
        return IngestFailure(
            origin, "decode", f"{origin}: the row has neither a title nor text/html; add at least a \"title\"."
        )
    return RawInput(origin=origin, body=record, kind="jsonl", content_type="application/json", hints=hints)


def normalise_row(row: dict) -> dict:
    """The row's known keys under newsloom's names (see the module docstring); other keys dropped."""
    # Plain loops: this runs once per row of exports with millions of rows.
    hints = {}
    for key in _KEPT_KEYS:
        value = row.get(key)
        if value is not None:
            hints[key] = value
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            value = row.get(alias)
            if value is not None and value != "":
                hints[name] = value
                break
    return hints


def _has_words(value) -> bool:
    return isinstance(value, str) and not value.isspace() and value != ""
