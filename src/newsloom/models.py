"""The typed model every stage takes and returns.

The pipeline is a chain of small stages (see ``pipeline.py``)::

    RawInput --extract--> Article --dedup--> DedupLink
                                  --cluster--> StoryAssignment --digest--> Digest

Each decision a stage makes carries its evidence (scores, matched features,
spans) so that the store, the CLI and the web UI can explain it. Nothing here
does I/O; these are plain dataclasses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property


def stable_id(*parts: str, length: int = 16) -> str:
    """A deterministic hex id from the given parts (sha256, truncated)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class RawInput:
    """One input exactly as received, stored before any processing.

    ``hints`` holds what the source said about the article before extraction:
    ``url``, ``title``, ``published``, ``outlet``, ``author``, ``text`` (a
    JSONL row's or a feed entry's own text). Extraction may override them.
    """

    origin: str  # file path, URL, or "path#L12" for a JSONL row
    body: bytes
    kind: str  # "html" | "text" | "jsonl" | "feed-entry" | "feed"
    received_at: datetime = field(default_factory=utc_now)
    content_type: str | None = None
    hints: dict = field(default_factory=dict)

    @cached_property  # hashed once: the pipeline asks for the id of a ~100 KB page a dozen times
    def content_sha(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def id(self) -> str:
        return stable_id("raw", self.origin, self.content_sha)


@dataclass
class RemovedSpan:
    """A piece of extracted text that cleaning dropped, and why.

    ``start``/``end`` are character offsets into ``Article.extracted_text``.
    """

    start: int
    end: int
    text: str
    reason: str  # e.g. "category-label", "timestamp", "disclaimer", "social-embed", "duplicate-caption", "site-boilerplate"
    evidence: str = ""  # why, in a sentence: the rule or the count that matched


@dataclass
class Article:
    id: str
    raw_id: str
    title: str
    text: str  # clean text: the report itself
    extracted_text: str = ""  # text before cleaning; RemovedSpan offsets point here
    url: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    outlet: str | None = None
    language: str | None = None
    removed: list[RemovedSpan] = field(default_factory=list)
    ingested_at: datetime = field(default_factory=utc_now)

    @property
    def content_hash(self) -> str:
        from newsloom.nlp.text import normalise_for_hash

        return hashlib.sha256(normalise_for_hash(self.title + "\n" + self.text).encode()).hexdigest()[:32]

    @property
    def is_title_only(self) -> bool:
        return not self.text.strip()


@dataclass
class DedupLink:
    """``article_id`` is a copy of ``original_id``; the copy is kept, never deleted."""

    article_id: str
    original_id: str
    kind: str  # "exact" | "repost" | "syndicated"
    jaccard: float
    containment: float  # share of the smaller text's shingles found in the other
    reason: str  # one line a person understands


@dataclass
class StoryAssignment:
    """Why an article joined a story (or started one)."""

    article_id: str
    story_id: str
    score: float  # 1.0 for the founding article
    new_story: bool
    matched: dict = field(default_factory=dict)  # feature name -> score or matched values


@dataclass
class Citation:
    article_id: str
    sentence: str  # the sentence in that article that states it
    similarity: float


@dataclass
class DigestConflict:
    """A cross-check conflict a digest sentence is part of: the other side, and why they disagree."""

    kind: str  # "number" | "place" | "date" | "actor" | "geography" | "other"
    explanation: str  # one line a person understands
    other_sentence: str  # the sentence (or gazetteer fact) on the other side
    other_article_id: str  # the article that states it, or "gazetteer"
    side: str = "claim"  # the digest sentence is the conflict's "claim" or its "evidence" (``explanation`` speaks as the claim)


@dataclass
class DigestSentence:
    text: str
    article_id: str  # the article it was taken from
    citations: list[Citation] = field(default_factory=list)  # every article that states it, incl. the source
    independent_sources: int = 1  # outlets/originals confirming it; reposts count as their original
    conflicts: list[DigestConflict] = field(default_factory=list)  # empty in digests stored before it existed

    @property
    def single_source(self) -> bool:
        return self.independent_sources <= 1


@dataclass
class Digest:
    story_id: str
    headline: str
    headline_article_id: str
    standfirst: DigestSentence | None
    body: list[DigestSentence] = field(default_factory=list)
    built_at: datetime = field(default_factory=utc_now)


@dataclass
class Story:
    id: str
    created_at: datetime
    updated_at: datetime
    article_ids: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None
    digest: Digest | None = None


@dataclass
class IngestFailure:
    origin: str
    stage: str  # "read" | "fetch" | "decode" | "extract" | "store"
    message: str  # what happened and what to do


@dataclass
class IngestReport:
    ingested: int = 0
    duplicates: int = 0  # articles linked to an original (kept, not deleted)
    unchanged: int = 0  # inputs seen before (idempotent re-ingest)
    failures: list[IngestFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)
