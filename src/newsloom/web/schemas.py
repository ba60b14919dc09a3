"""Pydantic response models of the JSON API: they document ``/openapi.json`` and check every answer.

They mirror ``api.StoryView``/``ArticleView``/``ArticleRef``, ``models.Digest``
and ``browse``'s summaries. Every response model forbids fields it does not
declare (``Out``), so a mirror that falls behind its dataclass fails the
endpoint tests rather than silently dropping the field. The cross-check is
typed loosely on purpose: it carries whatever ``crosscheck.py`` records, with
the documented sections.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Out(BaseModel):
    """Base of the response models: a field the API returns but the schema lacks is an error, not a silent drop.

    The endpoint tests exercise every response, so a field added to an API
    dataclass without its mirror here fails them instead of vanishing from
    the answer and the documentation.
    """

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Out):
    error: str = Field(description="What went wrong and what to do about it.")


class CitationOut(Out):
    article_id: str
    sentence: str = Field(description="The sentence in that article that states it.")
    similarity: float


class DigestConflictOut(Out):
    kind: str = Field(description="number | place | date | actor | geography | other")
    explanation: str = Field(description="One line; it speaks as the conflict's claim side.")
    other_sentence: str = Field(description="The sentence (or gazetteer fact) on the other side.")
    other_article_id: str = Field(description='The article stating it, or "gazetteer".')
    side: str = Field("claim", description='Whether the digest sentence is the conflict\'s "claim" or its "evidence".')


class DigestSentenceOut(Out):
    text: str
    article_id: str = Field(description="The article the sentence was taken from.")
    citations: list[CitationOut]
    independent_sources: int = Field(description="Outlets/originals stating it; reposts count as their original.")
    conflicts: list[DigestConflictOut] = Field(
        default_factory=list, description="The story cross-check's conflicts this sentence is part of (empty in older digests).")


class DigestOut(Out):
    story_id: str
    headline: str
    headline_article_id: str
    standfirst: DigestSentenceOut | None
    body: list[DigestSentenceOut]
    built_at: str | None = None


class ConflictOut(Out):
    model_config = ConfigDict(extra="allow")
    kind: str | None = None
    claim: Any = None
    claim_article: Any = None
    evidence: Any = None
    evidence_article: Any = None
    explanation: Any = None


class CrosscheckOut(Out):
    model_config = ConfigDict(extra="allow")
    agreements: list[Any] = []
    conflicts: list[ConflictOut] = []
    single_source: list[Any] = []
    updates: list[Any] = []


class ArticleRefOut(Out):
    id: str
    url: str | None
    title: str
    outlet: str | None
    published: str | None
    origin: str | None = None
    copy_of: str | None = Field(None, description="The original this article copies, if it is a copy.")
    copy_kind: str | None = Field(None, description="exact | repost | syndicated")
    copy_reason: str | None = None
    join_score: float | None = Field(None, description="The clustering score with which it joined the story.")
    join_reason: dict[str, Any] = Field(default_factory=dict, description="Matched features: name -> score or values.")


class NamedCountOut(Out):
    name: str
    count: int = Field(description="How many of the story's articles name it.")


class TimelineEntryOut(Out):
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    ingested: str | None


class StorySummaryOut(Out):
    id: str
    headline: str | None
    standfirst: str | None
    article_count: int
    outlet_count: int
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    top_entities: dict[str, list[str]]


class StoryPageOut(Out):
    items: list[StorySummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class StoryOut(Out):
    id: str
    headline: str | None
    standfirst: str | None
    article_count: int
    outlet_count: int
    first_published: str | None
    last_published: str | None
    articles: list[ArticleRefOut] = Field(description="The sources; citation [n] is the n-th.")
    digest: DigestOut | None
    crosscheck: CrosscheckOut | None = Field(description="null when the story has not been cross-checked yet.")
    merged_into: str | None = Field(None, description="For a story left with no article (its articles moved to "
                                    "another story when the stream showed they belong together): that story's id.")
    entities: dict[str, list[NamedCountOut]]
    timeline: list[TimelineEntryOut]


class ArticleSummaryOut(Out):
    id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    ingested: str | None
    story_id: str | None
    copy_of: str | None = None
    copy_kind: str | None = None


class ArticlePageOut(Out):
    items: list[ArticleSummaryOut]
    next_cursor: str | None


class RemovedSpanOut(Out):
    start: int
    end: int
    text: str
    reason: str
    evidence: str = Field("", description="Why, in a sentence: the rule or the count that matched.")


class DedupLinkOut(Out):
    article_id: str
    original_id: str
    kind: str
    jaccard: float
    containment: float
    reason: str


class StoryAssignmentOut(Out):
    story_id: str
    score: float
    new_story: bool
    matched: dict[str, Any]


class ArticleOut(Out):
    id: str
    url: str | None
    title: str
    outlet: str | None
    author: str | None
    language: str | None
    published: str | None
    ingested: str | None
    origin: str | None
    text: str = Field(description="The clean text.")
    extracted_text: str = Field(description="The text before cleaning; `removed` offsets point here.")
    removed: list[RemovedSpanOut] = Field(description="What cleaning removed, and why.")
    story_id: str | None
    copy_of: DedupLinkOut | None
    copies: list[DedupLinkOut]
    story_assignment: StoryAssignmentOut | None
    entities: dict[str, list[str]]


class OutletOut(Out):
    name: str
    article_count: int
    story_count: int
    first_published: str | None
    last_published: str | None


class EntityOut(Out):
    name: str
    kind: str = Field(description="people | orgs | places")
    article_count: int
    story_count: int


class StoryHitOut(Out):
    story_id: str
    headline: str | None
    snippet: str | None


class ArticleHitOut(Out):
    id: str
    title: str
    outlet: str | None
    published_at: str | None
    story_id: str | None
    url: str | None
    snippet: str | None


class SearchOut(Out):
    stories: list[StoryHitOut]
    articles: list[ArticleHitOut]


class FailureOut(Out):
    id: str
    origin: str
    kind: str
    error: str | None


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    urls: list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]] = Field(
        min_length=1, max_length=50, description="Article page, RSS or Atom feed URLs (http/https).")


class IngestFailureOut(Out):
    origin: str
    stage: str
    message: str


class IngestOut(Out):
    ingested: int
    duplicates: int
    unchanged: int
    failed: int
    article_ids: list[str]
    story_ids: list[str]
    failures: list[IngestFailureOut]
    seconds: float
