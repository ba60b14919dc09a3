"""The Python API: ``Engine`` is what the CLI and the web app call, and all they call.

    from newsloom import Engine

    with Engine("news.db") as engine:
        report = engine.ingest(["examples/demo-corpus"])
        for story in engine.stories():
            print(story.headline, len(story.articles))

Read results are plain dataclasses with ``to_dict()`` for JSON. This module
wires the store, the ingest layer and the pipeline; it holds no algorithm.
"""

from __future__ import annotations

import gc
import json
import re
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from newsloom.errors import IngestError, NotFoundError
from newsloom.models import Digest, IngestFailure, IngestReport, RawInput
from newsloom.settings import from_env
from newsloom.store import Store, default_db_path
from newsloom.store.sqlite import from_iso, to_iso

ProgressCallback = Callable[[int, str], None]

# Allocations between two young-generation collections of the garbage collector while inputs are ingested
# (Python's default is 700). An ingest allocates millions of small objects that mostly live on (the clusterer's
# stories, cached readings), and each young collection walks them again: on the last 17,000 of 60,000 UCI
# headlines, collections took 1.9 s of CPU at the default and 0.5 s at this threshold (same memory peak; the
# run's total CPU, about 40 s, varies more than that between runs on this machine).
INGEST_GC_THRESHOLD = 50_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often for the length of an ingest; the previous thresholds are restored after.

    Only cyclic garbage waits longer (reference counting frees the rest at
    once), so memory does not grow with it.
    """
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], INGEST_GC_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@dataclass
class ArticleRef:
    """An article as listed in a story: enough to find and cite it."""

    id: str
    url: str | None
    title: str
    outlet: str | None
    published: str | None
    origin: str | None = None
    copy_of: str | None = None
    copy_kind: str | None = None
    copy_reason: str | None = None
    join_score: float | None = None
    join_reason: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StoryView:
    id: str
    headline: str | None
    standfirst: str | None
    article_count: int
    outlet_count: int
    first_published: str | None
    last_published: str | None
    articles: list[ArticleRef] = field(default_factory=list)
    digest: dict | None = None  # Digest as a dict: headline, standfirst, body with citations
    crosscheck: dict | None = None  # agreements, conflicts, single-source claims (crosscheck.py)
    merged_into: str | None = None  # a story a revisit emptied: the story that took its articles

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleView:
    id: str
    url: str | None
    title: str
    outlet: str | None
    author: str | None
    language: str | None
    published: str | None
    ingested: str | None
    origin: str | None
    text: str
    extracted_text: str
    removed: list[dict]
    story_id: str | None
    copy_of: dict | None
    copies: list[dict]
    story_assignment: dict | None

    def to_dict(self) -> dict:
        return asdict(self)


class Engine:
    """One newsloom database and the pipeline that fills it."""

    def __init__(self, db: str | Path | None = None, *, settings=None, **overrides):
        self.settings = settings or from_env(**overrides)
        self.db_path = Path(db) if db else default_db_path()
        self.store = Store(self.db_path)
        self._pipeline = None

    def close(self) -> None:
        if self._pipeline is not None:
            self._pipeline.close()
        self.store.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def browse(self):
        """Read-only queries for browsing (outlets, entities, pages of stories and articles)."""
        from newsloom.browse import Browse

        return Browse(self)

    @property
    def pipeline(self):
        if self._pipeline is None:
            from newsloom.pipeline import Pipeline

            self._pipeline = Pipeline(self.store, self.settings)
        return self._pipeline

    # -- writing ----------------------------------------------------------
    def ingest(self, sources: Iterable[str], *, progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest files, directories, URLs, feeds and JSONL files. Bad items are reported, never fatal."""
        from newsloom.ingest.fetch import Fetcher

        fetcher = Fetcher(self.settings, validators=self.store)
        try:
            return self.ingest_inputs(self._iter_sources(sources, fetcher), progress=progress)
        finally:
            fetcher.close()

    def _iter_sources(self, sources: Iterable[str], fetcher) -> Iterator[RawInput | IngestFailure]:
        from newsloom.ingest.sources import iter_inputs

        for source in sources:
            try:
                yield from iter_inputs(str(source), self.settings, fetcher)
            except IngestError as error:
                yield IngestFailure(str(source), "read", str(error))

    def ingest_inputs(self, inputs: Iterable[RawInput | IngestFailure], *,
                      progress: ProgressCallback | None = None) -> IngestReport:
        """Run already-read inputs through the pipeline, committing every ``settings.batch_size`` inputs.

        Digests of stories that grew only a little are brought up to date at the
        end (``Pipeline.finish``), once, rather than after every batch; the
        others are built in the worker processes while the next batch runs
        (``story_builds.py``), and written with that batch. The
        garbage collector runs less often meanwhile (``INGEST_GC_THRESHOLD``).
        """
        with _fewer_collections():
            return self._ingest_batches(inputs, progress)

    def _ingest_batches(self, inputs: Iterable[RawInput | IngestFailure],
                        progress: ProgressCallback | None) -> IngestReport:
        report, started, seen = IngestReport(), time.perf_counter(), 0
        batch_size = max(1, self.settings.batch_size)
        batch: list[RawInput] = []
        waiting: list[RawInput] = []  # the previous full batch: run once the next one is being extracted
        stories_seen: set[str] = set()  # report.story_ids as a set: a list search per article grew with the ingest
        for item in inputs:
            if isinstance(item, IngestFailure):
                report.failures.append(item)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                self.pipeline.extractor.prefetch(batch)
                seen = self._run_batch(waiting, report, seen, progress, stories_seen)
                waiting, batch = batch, []
        seen = self._run_batch(waiting, report, seen, progress, stories_seen)
        seen = self._run_batch(batch, report, seen, progress, stories_seen)
        if seen:
            self.pipeline.finish()
        report.seconds = time.perf_counter() - started
        return report

    def _run_batch(self, batch: list[RawInput], report: IngestReport, seen: int, progress: ProgressCallback | None,
                   stories_seen: set[str]) -> int:
        """One batch through the pipeline, counted into the report; returns the inputs seen so far."""
        if not batch:
            return seen
        for outcome in self.pipeline.run_batch(batch, overlap_digests=True):
            if outcome.status in ("new", "duplicate", "updated"):
                report.ingested += 1
                report.article_ids.append(outcome.article.id)
                if outcome.assignment and outcome.assignment.story_id not in stories_seen:
                    stories_seen.add(outcome.assignment.story_id)
                    report.story_ids.append(outcome.assignment.story_id)
            if outcome.status == "duplicate":
                report.duplicates += 1
            elif outcome.status == "unchanged":
                report.unchanged += 1
            elif outcome.status == "failed":
                report.failures.append(outcome.failure)
        seen += len(batch)
        if progress:
            progress(seen, batch[-1].origin)
        return seen

    # -- reading ----------------------------------------------------------
    def stories(self, since: datetime | None = None, limit: int | None = None, offset: int = 0) -> list[StoryView]:
        """Stories, most recently active first, each with its articles."""
        return [self._story_view(row, with_digest=False) for row in self.store.story_rows(since, limit, offset)]

    def story(self, story_id: str) -> StoryView:
        row = self.store.story_row(self._resolve(story_id, self.store.find_story_ids, "story"))
        return self._story_view(row, with_digest=True)

    def digest(self, story_id: str) -> Digest | None:
        view = self.story(story_id)
        return view.digest

    def article(self, article_id: str) -> ArticleView:
        article_id = self._resolve(article_id, self.store.find_article_ids, "article")
        article, row = self.store.get_article(article_id), self.store.article_row(article_id)
        link = self.store.link_of(article_id)
        assignment = self.store.assignment_of(article_id)
        return ArticleView(
            id=article.id, url=article.url, title=article.title, outlet=article.outlet, author=article.author,
            language=article.language, published=to_iso(article.published_at), ingested=to_iso(article.ingested_at),
            origin=self.store.raw_origin(article.raw_id), text=article.text, extracted_text=article.extracted_text,
            removed=[asdict(span) for span in article.removed], story_id=row["story_id"],
            copy_of=asdict(link) if link else None, copies=[asdict(copy) for copy in self.store.copies_of(article_id)],
            story_assignment={"story_id": assignment["story_id"], "score": assignment["score"],
                              "new_story": bool(assignment["new_story"]), "matched": json.loads(assignment["matched_json"])}
            if assignment else None,
        )

    def search(self, query: str, limit: int = 20) -> dict:
        """Full-text search over stories (digests) and articles."""
        fts_query = fts_phrase_query(query)
        if not fts_query:
            return {"stories": [], "articles": []}
        stories = [dict(row) for row in self.store.search_stories(fts_query, limit)]
        articles = [dict(row) for row in self.store.search_articles(fts_query, limit)]
        return {"stories": stories, "articles": articles}

    def failures(self) -> list[dict]:
        """Raw inputs that were kept but could not be turned into articles."""
        return [dict(row) for row in self.store.failed_raw_inputs()]

    def _resolve(self, id_or_prefix: str, finder, what: str) -> str:
        matches = finder(id_or_prefix.strip())
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFoundError(f"no {what} with id {id_or_prefix!r}. List them with `newsloom {'stories' if what == 'story' else 'search'}`.")
        raise NotFoundError(f"{id_or_prefix!r} matches several {what} ids; give more characters.")

    def _story_view(self, row, *, with_digest: bool) -> StoryView:
        refs = [self._article_ref(r) for r in self.store.article_rows_of_story(row["id"])]
        digest = json.loads(row["digest_json"]) if with_digest and row["digest_json"] else None
        crosscheck = json.loads(row["crosscheck_json"]) if with_digest and row["crosscheck_json"] else None
        return StoryView(
            id=row["id"], headline=row["headline"], standfirst=row["standfirst"], article_count=row["article_count"],
            outlet_count=row["outlet_count"], first_published=row["first_published"], last_published=row["last_published"],
            articles=refs, digest=digest, crosscheck=crosscheck,
            merged_into=self.store.story_that_took_articles_of(row["id"]) if with_digest and not refs else None,
        )

    def _article_ref(self, row) -> ArticleRef:
        return ArticleRef(
            id=row["id"], url=row["url"], title=row["title"], outlet=row["outlet"],
            published=row["published_at"] or row["ingested_at"], origin=row["origin"],
            copy_of=row["original_id"], copy_kind=row["copy_kind"], copy_reason=row["copy_reason"],
            join_score=row["score"], join_reason=json.loads(row["matched_json"]) if row["matched_json"] else {},
        )


def fts_phrase_query(query: str) -> str:
    """User words -> an FTS5 query that cannot be a syntax error: every word quoted, all required."""
    tokens = re.findall(r"\w+", query)
    return " ".join(f'"{token}"' for token in tokens)


def parse_since(value: str | None) -> datetime | None:
    """'2026-03-01', an ISO time, or a relative '36h' / '7d' before now."""
    if not value:
        return None
    match = re.fullmatch(r"(\d+)\s*([hdw])", value.strip())
    if match:
        from datetime import timedelta, timezone

        hours = int(match.group(1)) * {"h": 1, "d": 24, "w": 168}[match.group(2)]
        return datetime.now(timezone.utc) - timedelta(hours=hours)
    moment = from_iso(value)
    return moment


def check(target: str, against: Iterable[str], *, settings=None, **overrides) -> dict:
    """Cross-check one article (file or URL) against sources, without a database or a story.

    Every input goes through the same extraction and cleaning as ingestion;
    copies among the sources (reposts) are linked so that they count once.
    Returns ``CheckReport.to_dict()``: claims with verdicts and evidence, and conflicts.
    """
    from newsloom.crosscheck import check_article, semantic_alignment
    from newsloom.dedup import Deduplicator
    from newsloom.ingest.fetch import Fetcher

    settings = settings or from_env(**overrides)
    with Fetcher(settings) as fetcher:
        [target_article], sources = _read_one(target, settings, fetcher), []
        for source in against:
            sources += _read_many(source, settings, fetcher)
    if not sources:
        raise IngestError("none of the sources given with --against could be read as an article")
    deduplicator = Deduplicator(settings)
    copy_of = {}
    for article in [*sources, target_article]:
        copy_of.update({link.article_id: link.original_id for link in deduplicator.process(article)})
    return check_article(target_article, sources, copy_of=copy_of, semantic=semantic_alignment(settings)).to_dict()


def _read_many(source: str, settings, fetcher) -> list:
    from newsloom.ingest.sources import iter_inputs
    from newsloom.pipeline import read_articles

    articles, failures = read_articles(iter_inputs(str(source), settings, fetcher))
    if failures and not articles:
        raise IngestError(f"{source}: {failures[0].message}")
    return articles


def _read_one(source: str, settings, fetcher) -> list:
    articles = _read_many(source, settings, fetcher)
    if len(articles) != 1:
        raise IngestError(f"{source}: the target must be one article, found {len(articles)}")
    return articles
