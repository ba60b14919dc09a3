"""What are these bytes, and what text do they hold?

Two questions every input raises before extraction can start:

* ``sniff_binary`` / ``sniff_kind`` look at the first bytes only: is this an
  image or archive (refuse it), an HTML page, or a feed?
* ``decode_text`` turns bytes into ``str`` in this order of trust: a byte
  order mark, then the declared charset (HTTP header, ``<meta charset>``,
  ``<?xml encoding>``) if it decodes, then UTF-8, then charset-normalizer's
  best guess. When nothing decodes cleanly it raises instead of returning
  mojibake.

This module must not do I/O, and must not guess silently: every refusal is
a named exception whose message names the input and what to do.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from newsloom.errors import BinaryInputError, EmptyInputError, IngestError

_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio file"),
    (b"\x00asm", "WebAssembly module"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

SNIFF_BYTES = 2048

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)

# Browsers read these labels as windows-1252 (WHATWG Encoding standard): the
# C1 range holds curly quotes and the euro sign in real pages that say latin-1.
_READ_AS_CP1252 = {"iso8859-1", "iso-8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso_8859-1"}
_SINGLE_BYTE_PREFIXES = ("cp125", "windows-125", "iso8859", "iso-8859", "latin", "ascii", "us-ascii", "mac")


def bom_encoding(body: bytes) -> str | None:
    """The codec named by a byte order mark at the start of ``body``, if any."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    return None


def sniff_binary(body: bytes) -> str | None:
    """A short name of the binary format ``body`` starts with ("PNG image"...), or None for text."""
    head = body[:SNIFF_BYTES]
    for magic, name in _MAGIC_NUMBERS:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media file"
    if head.startswith(b"RIFF") and head[8:12] in {b"WEBP", b"WAVE", b"AVI "}:
        return "RIFF media file"
    if b"\x00" in head and bom_encoding(head) is None and not _looks_like_utf16(head):
        return "binary file (it contains NUL bytes)"
    return None


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII letters leave NULs at every other byte."""
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2 or 1
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) == 0


def sniff_kind(body: bytes) -> str | None:
    """"html" or "feed" from the first bytes of a markup document, else None."""
    head = body[:SNIFF_BYTES].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"<?xml", b"<!--")):
        if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
            return "feed"
        if re.search(rb"<(!doctype html|html)[\s>]", head):
            return "html"
    return None


def declared_charset_in_document(body: bytes) -> str | None:
    """The charset a document names for itself: ``<?xml encoding>`` or ``<meta charset>``."""
    head = body[:SNIFF_BYTES]
    match = _XML_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode_text(body: bytes, declared_charset: str | None = None, origin: str = "") -> str:
    """Bytes -> str: BOM, declared charset, UTF-8, then charset-normalizer's best guess.

    Raises BinaryInputError for images/archives/NUL-laden bytes,
    EmptyInputError for empty or whitespace-only input, and IngestError when
    no encoding decodes the bytes cleanly.
    """
    label = origin or "input"
    binary_format = sniff_binary(body)
    if binary_format:
        raise BinaryInputError(
            f"{label}: looks like a {binary_format}, not text or HTML; remove it from the sources or convert it to text first."
        )
    if not body.strip():
        raise EmptyInputError(f"{label}: the input is empty; nothing to ingest (check the file or the page).")
    text = _decode(body, declared_charset, label)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyInputError(f"{label}: the input holds only whitespace; nothing to ingest.")
    return text


def _decode(body: bytes, declared_charset: str | None, label: str) -> str:
    bom = bom_encoding(body)
    if bom:
        decoded = _try_decode(body, bom)
        if decoded is not None:
            return decoded
    for charset in filter(None, (declared_charset, declared_charset_in_document(body))):
        decoded = _decode_declared(body, charset.strip().lower())
        if decoded is not None:
            return decoded
    decoded = _try_decode(body, "utf-8")
    if decoded is not None:
        return decoded
    return _decode_guessed(body, label)


def _decode_declared(body: bytes, charset: str) -> str | None:
    # Misconfigured servers label UTF-8 pages as latin-1; valid multi-byte
    # UTF-8 is practically never an accident, so it wins over such labels.
    if charset.startswith(_SINGLE_BYTE_PREFIXES) and not body.isascii():
        as_utf8 = _try_decode(body, "utf-8")
        if as_utf8 is not None:
            return as_utf8
    if charset in _READ_AS_CP1252:
        return _try_decode(body, "cp1252") or _try_decode(body, "latin-1")
    return _try_decode(body, charset)


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_guessed(body: bytes, label: str) -> str:
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        raise IngestError(
            f"{label}: could not tell which character encoding the bytes use; "
            "convert the input to UTF-8 or declare its charset."
        )
    best = matches[0]
    # Short texts leave several code pages tied; windows-1252 is by far the
    # most common legacy encoding of news pages, so it wins a tie.
    tied = [m for m in matches if abs(m.chaos - best.chaos) < 1e-9 and abs(m.coherence - best.coherence) < 1e-9]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return body.decode("cp1252")
    return str(best)
