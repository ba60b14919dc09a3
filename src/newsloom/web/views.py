"""What the templates show, computed from Engine and Browse results: no SQL, no HTML.

Citations are numbered as the CLI numbers them (``render.citation_numbers``:
``[2]`` is the second source listed). The cross-check is rendered from
whatever ``crosscheck_json`` holds, each entry reduced to a text, the
articles it names and its remaining details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode

from newsloom.api import ArticleView, StoryView
from newsloom.render import citation_numbers

CROSSCHECK_SECTIONS = (
    ("agreements", "Agreements"),
    ("conflicts", "Conflicts"),
    ("single_source", "Single-source claims"),
    ("updates", "Updates"),
)
_TEXT_KEYS = ("claim", "text", "sentence", "summary", "statement", "explanation")
MAX_QUOTE_CHARS = 2000


def format_time(value: str | None) -> str:
    """'3 Mar 2026, 07:40 UTC' from an ISO time; the raw value if it does not parse."""
    if not value:
        return "time unknown"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = "UTC" if moment.utcoffset() is not None and not moment.utcoffset() else (moment.strftime("%z") or "")
    return f"{moment.day} {moment.strftime('%b %Y, %H:%M')} {zone}".strip()


def path_part(name: str) -> str:
    """An outlet or entity name made safe for one URL path segment."""
    return quote(name, safe="")


def query_string(**params) -> str:
    """'?a=1&b=2' from the params that have a value ('' when none do)."""
    present = {key: value for key, value in params.items() if value not in (None, "")}
    return "?" + urlencode(present) if present else ""


@dataclass
class CitationMark:
    number: int | None
    article_id: str
    sentence: str
    outlet: str | None


@dataclass
class ConflictMark:
    """A cross-check conflict a digest sentence is part of, seen from that sentence."""

    kind: str
    number: int | None  # the other side's citation number; None for the gazetteer or an unlisted article
    other_article_id: str
    other_sentence: str
    explanation: str  # speaks as the conflict's claim side
    side: str  # "claim" | "evidence": the digest sentence's side


@dataclass
class DigestLine:
    text: str
    marks: list[CitationMark]
    single_source: bool
    conflicts: list[ConflictMark] = field(default_factory=list)


def digest_lines(view: StoryView) -> tuple[DigestLine | None, list[DigestLine]]:
    """The digest's standfirst and body sentences with their numbered citations."""
    digest = view.digest or {}
    numbers = citation_numbers(view)
    outlets = {ref.id: ref.outlet for ref in view.articles}

    def line(sentence: dict) -> DigestLine:
        marks, seen = [], set()
        for citation in sentence.get("citations", []):
            if citation["article_id"] in seen:
                continue
            seen.add(citation["article_id"])
            marks.append(CitationMark(numbers.get(citation["article_id"]), citation["article_id"],
                                      citation.get("sentence", ""), outlets.get(citation["article_id"])))
        marks.sort(key=lambda mark: (mark.number is None, mark.number or 0))
        conflicts = [ConflictMark(c.get("kind", "other"), numbers.get(c.get("other_article_id", "")),
                                  c.get("other_article_id", ""), c.get("other_sentence", ""), c.get("explanation", ""),
                                  c.get("side", "claim"))
                     for c in sentence.get("conflicts") or []]  # none in digests stored before conflicts existed
        return DigestLine(sentence.get("text", ""), marks, sentence.get("independent_sources", 1) <= 1, conflicts)

    standfirst = line(digest["standfirst"]) if digest.get("standfirst") else None
    return standfirst, [line(sentence) for sentence in digest.get("body", [])]


@dataclass
class SourceRow:
    number: int
    ref: object  # api.ArticleRef
    copy_of_number: int | None
    first_to_report: bool


def source_rows(view: StoryView) -> list[SourceRow]:
    """The story's sources, numbered, with copy links resolved and the first original report marked."""
    numbers = citation_numbers(view)
    originals = [ref for ref in view.articles if not ref.copy_of and ref.published]
    first = min(originals, key=lambda ref: ref.published).id if originals else None
    return [SourceRow(numbers[ref.id], ref, numbers.get(ref.copy_of) if ref.copy_of else None, ref.id == first)
            for ref in view.articles]


@dataclass
class CrosscheckEntry:
    text: str
    article_ids: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    raw: dict = field(default_factory=dict)


def crosscheck_sections(crosscheck: dict | None) -> list[tuple[str, str, list[CrosscheckEntry]]]:
    """(key, title, entries) for every list in the cross-check, known sections first."""
    if not isinstance(crosscheck, dict):
        return []
    titles = dict(CROSSCHECK_SECTIONS)
    keys = [key for key, _ in CROSSCHECK_SECTIONS] + sorted(k for k in crosscheck if k not in titles)
    sections = []
    for key in keys:
        items = crosscheck.get(key)
        if isinstance(items, list):
            title = titles.get(key, str(key).replace("_", " ").capitalize())
            sections.append((key, title, [crosscheck_entry(item) for item in items]))
    return sections


def crosscheck_entry(item) -> CrosscheckEntry:
    if not isinstance(item, dict):
        return CrosscheckEntry(text=str(item))
    text_key = next((key for key in _TEXT_KEYS if isinstance(item.get(key), str)), None)
    article_ids: list[str] = []
    details = []
    for key, value in item.items():
        if "article" in key:
            article_ids += _article_ids_in(value)
        elif key != text_key:
            details.append((str(key), value if isinstance(value, str) else _short_json(value)))
    return CrosscheckEntry(text=item[text_key] if text_key else "", article_ids=list(dict.fromkeys(article_ids)),
                           details=details, raw=item)


def _article_ids_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [entry for entry in value if isinstance(entry, str)]
    return []


def _short_json(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class QuotedText:
    before: str
    quote: str
    after: str
    found: bool
    in_title: bool = False


def quoted_text(text: str, quote_text: str | None, title: str = "") -> QuotedText:
    """The article text split around the first occurrence of the cited sentence, if any.

    A title-only article is cited by its title: then ``in_title`` is set.
    """
    quote_text = (quote_text or "").strip()[:MAX_QUOTE_CHARS]
    index = text.find(quote_text) if quote_text else -1
    if index < 0:
        return QuotedText(text, "", "", False, in_title=bool(quote_text) and quote_text == title.strip())
    return QuotedText(text[:index], quote_text, text[index + len(quote_text):], True)


def matched_features(view: ArticleView) -> list[tuple[str, str]]:
    """The clustering evidence of an article's story assignment as (feature, value) rows."""
    if not view.story_assignment:
        return []
    rows = []
    for feature, value in sorted(view.story_assignment.get("matched", {}).items()):
        if isinstance(value, float):
            rows.append((feature, f"{value:.2f}"))
        else:
            rows.append((feature, _short_json(value)))
    return rows
