"""The pipeline: raw inputs in, stories out. A batch goes through these steps:

1. **keep**: every raw input is written to the store first (idempotent: an
   input seen before is skipped);
2. **extract** (``extract.py``): bytes -> title, text, metadata; web pages
   in worker processes (``ParallelExtractor``), the next batch's while this
   one goes through the steps below;
3. **clean** (``clean.py``): repost chrome and site boilerplate removed, with
   the removed spans kept;
4. **entities** (``nlp/entities.py``): people, organisations, places, numbers,
   in one spaCy pass over the batch;
5. **dedup** (``dedup.py``): copies linked to their original;
6. **cluster** (``cluster.py``): a copy joins its original's story, any other
   article the best open story or a new one;
7. **write**: article, links and assignment in the batch's transaction;
8. **digest** (``digest.py``) and **cross-check** (``crosscheck.py``): stories
   that grew by ``digest_refresh_growth`` since their last build (a new story:
   at its second article) get a fresh digest, then the batch commits. ``finish`` (the end of an ingest) rebuilds every story
   still marked changed, so a big story growing through a long ingest is
   rebuilt a logarithmic number of times, not once per batch.

A failure in steps 2-3 marks that raw input failed and the batch goes on. A
crash loses at most the batch in flight; the in-memory indexes (dedup,
clusters, learned boilerplate) are rebuilt from the store on the next start.
This module orders the stages; it makes no decision of its own.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Iterable

from newsloom.clean import BoilerplateMemory, clean_article
from newsloom.cluster import StoryClusterer, featurize
from newsloom.crosscheck import crosscheck_story, semantic_alignment
from newsloom.dedup import Deduplicator
from newsloom.digest import build_digest
from newsloom.errors import NewsloomError
from newsloom.extract import extract_article
from newsloom.models import Article, DedupLink, IngestFailure, RawInput, StoryAssignment, utc_now
from newsloom.nlp.entities import extract_entities_batch
from newsloom.store.sqlite import Store

# Inputs worth sending to a worker process: parsing a page costs far more than pickling it.
_PARALLEL_KINDS = ("html", "feed-entry")
_MIN_PARALLEL_INPUTS = 4


@dataclass
class Outcome:
    """What happened to one raw input."""

    raw: RawInput
    status: str  # "new" | "duplicate" | "unchanged" | "updated" | "skipped" | "failed"
    article: Article | None = None
    links: list[DedupLink] = field(default_factory=list)
    assignment: StoryAssignment | None = None
    failure: IngestFailure | None = None


class Pipeline:
    """Runs batches of raw inputs through the stages, against one store."""

    def __init__(self, store: Store, settings):
        self.store = store
        self.settings = settings
        self.memory = BoilerplateMemory.from_rows(store.boilerplate_rows(), max_keys_per_outlet=settings.boilerplate_max_keys)
        self.deduplicator = Deduplicator(settings)
        self.extractor = ParallelExtractor(settings.extract_workers)
        self.clusterer = StoryClusterer(settings)
        self._stream_clock: datetime | None = None
        self._warm_started = False

    # -- the batch -------------------------------------------------------
    def run_batch(self, raws: list[RawInput]) -> list[Outcome]:
        self._warm_start()
        with self.store.transaction():
            outcomes = self._keep_and_extract(raws)
            fresh = self._in_event_order([o for o in outcomes if o.status == "new"])
            entities = extract_entities_batch([(o.article.title, o.article.text) for o in fresh])
            for outcome, article_entities in zip(fresh, entities):
                self._dedup_cluster_write(outcome, article_entities)
            self._persist_state()
            self.refresh_digests(min_growth=self.settings.digest_refresh_growth or None)
        self._evict()
        return outcomes

    def finish(self) -> None:
        """The end of an ingest: every changed story's digest, and the learned boilerplate."""
        with self.store.transaction():
            self.refresh_digests()
        self.save_learned_boilerplate()

    def close(self) -> None:
        """Stop the extraction workers, if any were started."""
        self.extractor.close()

    def _in_event_order(self, fresh: list[Outcome]) -> list[Outcome]:
        """A batch's new articles oldest first (undated ones last, ties in arrival order).

        Inputs read together (a folder, a feed, a crawl cycle) carry no useful
        order of their own; publication order lets each story grow from its
        first report, as it would have in a live stream.
        """
        def key(indexed):
            position, outcome = indexed
            published = outcome.article.published_at
            return (published is None, published.timestamp() if published else 0.0, position)

        return [outcome for _, outcome in sorted(enumerate(fresh), key=key)]

    def _keep_and_extract(self, raws: list[RawInput]) -> list[Outcome]:
        """Steps 1-3 for a batch: keep each input, extract them all (in worker processes when
        worthwhile), then clean in arrival order, since cleaning learns from earlier articles."""
        kept = [self._keep(raw) for raw in raws]
        pending = [raw for raw, outcome in zip(raws, kept) if outcome is None]
        extracted = iter(self.extractor.extract_all(pending))
        return [outcome or self._clean_and_classify(raw, next(extracted)) for raw, outcome in zip(raws, kept)]

    def _keep(self, raw: RawInput) -> Outcome | None:
        """Step 1: the outcome of an input that needs no extraction, or None."""
        if self.store.has_raw(raw.id):
            return Outcome(raw, "unchanged")
        self.store.put_raw(raw)
        if raw.kind == "feed":
            self.store.mark_raw(raw.id, "skipped")
            return Outcome(raw, "skipped")
        return None

    def _clean_and_classify(self, raw: RawInput, extracted: Article | NewsloomError) -> Outcome:
        """Step 3, then whether the article is new, unchanged or a revision of one we hold."""
        try:
            if isinstance(extracted, NewsloomError):
                raise extracted
            article = extracted
            self._clean(article)
        except NewsloomError as error:
            self.store.mark_raw(raw.id, "failed", error=str(error))
            return Outcome(raw, "failed", failure=IngestFailure(raw.origin, "extract", str(error)))
        known_hash = self.store.article_content_hash(article.id)
        if known_hash == article.content_hash:
            self.store.mark_raw(raw.id, "article", article_id=article.id)
            return Outcome(raw, "unchanged", article=article)
        if known_hash is not None:
            return self._update_existing(raw, article)
        return Outcome(raw, "new", article=article)

    def _clean(self, article: Article) -> None:
        clean_article(article, memory=self.memory, min_articles=self.settings.boilerplate_min_articles)
        if article.outlet:
            self.memory.observe(article.outlet, article.id, article.extracted_text)

    def _update_existing(self, raw: RawInput, article: Article) -> Outcome:
        """Same URL, new content: a revised article. It keeps its story; the digest is refreshed."""
        self.store.put_article(article)
        self.store.mark_raw(raw.id, "article", article_id=article.id)
        story_id = self.store.article_row(article.id)["story_id"]
        if story_id:
            self.store.touch_story(story_id, utc_now())
        return Outcome(raw, "updated", article=article)

    def _dedup_cluster_write(self, outcome: Outcome, entities) -> None:
        """Steps 5-7 for one new article."""
        article = outcome.article
        self.store.put_article(article, entities=_entities_json(entities))
        links = self.deduplicator.process(article)
        features = featurize(article, entities)
        features.published_at = self._event_time(article)
        host_story = self._story_of_group(article.id, links)
        if host_story:
            own_link = next((link for link in links if link.article_id == article.id), None)
            reason = {"copy_of": own_link.original_id, "copy_kind": own_link.kind} if own_link else {
                "original_of": sorted(link.article_id for link in links)
            }
            assignment = self.clusterer.join(article, features, host_story, reason)
        else:
            assignment = self.clusterer.assign(article, features)
        now = utc_now()
        self.store.put_links(links, now)
        self.store.put_assignment(assignment, now)
        self.store.add_to_story(assignment.story_id, article, now)
        self.store.mark_raw(outcome.raw.id, "article", article_id=article.id)
        self._advance_clock(article)
        outcome.links, outcome.assignment = links, assignment
        outcome.status = "duplicate" if any(link.article_id == article.id for link in links) else "new"

    def _story_of_group(self, article_id: str, links: list[DedupLink]) -> str | None:
        """The story a copy (or a newly found original) must join: its group's."""
        for link in links:
            other = link.original_id if link.article_id == article_id else link.article_id
            row = self.store.article_row(other)
            if row is not None and row["story_id"]:
                return row["story_id"]
        return None

    # -- digests -----------------------------------------------------------
    def refresh_digests(self, min_growth: float | None = None) -> int:
        """Rebuild the digest (and the cross-check) of the stories marked dirty; return how many.

        With ``min_growth``, only stories that grew by that share since their
        last build (a new story counts as built at one article); the others
        stay dirty for a later call.
        Headline-only stories get no cross-check: a headline is the only
        sentence each article has, and the digest already cites every
        headline that states the same thing.
        """
        story_ids = self.store.dirty_story_ids(min_growth)
        for story_id in story_ids:
            articles = self.store.articles_of_story(story_id)
            if not articles:
                continue
            copy_of = self.store.copy_map([a.id for a in articles])
            digest = build_digest(story_id, articles, copy_of, self.settings)
            self.store.put_digest(digest)
            if self.settings.crosscheck_stories and not all(a.is_title_only for a in articles):
                self.store.put_crosscheck(story_id, crosscheck_story(articles, copy_of, semantic=self._alignment()).to_dict(), utc_now())
        return len(story_ids)

    def _alignment(self):
        """Sentence-embedding alignment for the cross-check when ``crosscheck_semantic`` is on (loaded once)."""
        if not hasattr(self, "_semantic_alignment"):
            self._semantic_alignment = semantic_alignment(self.settings)
        return self._semantic_alignment

    # -- state across restarts ------------------------------------------
    def _persist_state(self) -> None:
        self.store.put_story_states(self.clusterer.dirty_stories())
        documents, changed_frequencies = self.clusterer.document_frequencies()
        self.store.put_term_df(changed_frequencies)
        self.store.put_state("cluster_documents", str(documents))
        if self._stream_clock:
            self.store.put_state("stream_clock", self._stream_clock.isoformat())

    def save_learned_boilerplate(self) -> None:
        """Write the per-outlet line counts; called once per ingest, as it grows with the vocabulary of sites."""
        with self.store.transaction():
            self.store.replace_boilerplate_rows(self.memory.to_rows())

    def _warm_start(self) -> None:
        """Rebuild the in-memory indexes from what the store holds within the windows."""
        if self._warm_started:
            return
        self._warm_started = True
        clock = self.store.get_state("stream_clock")
        if not clock:
            return
        self._stream_clock = datetime.fromisoformat(clock)
        documents = self.store.get_state("cluster_documents")
        if documents:
            self.clusterer.load_document_frequencies(int(documents), self.store.term_df().items())
        cluster_since = self._stream_clock - timedelta(days=self.settings.cluster_window_days)
        self.clusterer.load_story_state(self.store.story_states_since(cluster_since))
        dedup_since = self._stream_clock - timedelta(days=self.settings.dedup_window_days)
        for article in self.store.recent_articles(dedup_since):
            self.deduplicator.process(article)

    def _event_time(self, article: Article) -> datetime:
        """When the article speaks of: its publication time, or for an undated one the stream's present.

        An undated file ingested today may report on last month's events; the
        latest publication time seen so far is a better guess than the wall clock.
        """
        if article.published_at is not None:
            return article.published_at
        if self._stream_clock is not None:
            return min(self._stream_clock, article.ingested_at)
        return article.ingested_at

    def _advance_clock(self, article: Article) -> None:
        """Stream time: the latest publication time seen, never ahead of when the article arrived."""
        if article.published_at is None:
            return
        moment = min(article.published_at, article.ingested_at + timedelta(days=1))
        if self._stream_clock is None or moment > self._stream_clock:
            self._stream_clock = moment

    def _evict(self) -> None:
        if self._stream_clock is None:
            return
        self.deduplicator.evict_before(self._stream_clock - timedelta(days=self.settings.dedup_window_days))
        self.clusterer.evict_before(self._stream_clock - timedelta(days=self.settings.cluster_window_days))


class ParallelExtractor:
    """``extract_article`` over a batch's inputs, in a pool of worker processes when it pays.

    Extraction (trafilatura) is a pure function of the raw input and the
    costliest step for web pages, so a batch's pages are shared among
    ``workers`` processes (0: one per CPU core; 1: none, all in this process).
    ``prefetch`` starts on the next batch while this process cleans, clusters
    and writes the current one, so both kinds of work run at once. Batches
    with few pages (JSONL rows, text files, small feeds) stay in this process:
    shipping them costs more than it saves. The pool is started on first need
    and lives until ``close``.
    """

    def __init__(self, workers: int):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._pool = None
        self._ahead: list[tuple[list[str], object]] = []  # prefetched batches: raw ids, pending extraction

    def prefetch(self, raws: list[RawInput]) -> None:
        """Start extracting a batch in the workers; ``extract_all`` picks the results up."""
        if self._worth_sharing(raws):
            pending = self._get_pool().map_async(_extract_or_error, raws, self._chunk(raws))
            self._ahead = self._ahead[-1:] + [([raw.id for raw in raws], pending)]

    def extract_all(self, raws: list[RawInput]) -> list[Article | NewsloomError]:
        wanted = {raw.id for raw in raws}
        for ahead in self._ahead:
            if wanted <= set(ahead[0]):
                self._ahead.remove(ahead)
                by_id = dict(zip(ahead[0], ahead[1].get()))
                return [by_id[raw.id] for raw in raws]
        if not self._worth_sharing(raws):
            return [_extract_or_error(raw) for raw in raws]
        return self._get_pool().map(_extract_or_error, raws, chunksize=self._chunk(raws))

    def _worth_sharing(self, raws: list[RawInput]) -> bool:
        return self.workers > 1 and sum(raw.kind in _PARALLEL_KINDS for raw in raws) >= _MIN_PARALLEL_INPUTS

    def _chunk(self, raws: list[RawInput]) -> int:
        return max(1, len(raws) // (self.workers * 4))

    def _get_pool(self):
        if self._pool is None:
            # forkserver: safe when the caller runs threads (the web server), unlike a plain fork
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self._pool = context.Pool(self.workers)
        return self._pool

    def close(self) -> None:
        self._ahead = []
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


def _extract_or_error(raw: RawInput) -> Article | NewsloomError:
    """Runs in a worker: the extraction error travels back as a value, so one bad page fails alone."""
    try:
        return extract_article(raw)
    except NewsloomError as error:
        return error


def _entities_json(entities) -> dict | None:
    # A shallow walk of the fields: asdict() deep-copies every set first, a cost paid per article.
    if entities is None:
        return None
    return {field.name: sorted(getattr(entities, field.name)) for field in fields(entities)}


def read_articles(raws: Iterable[RawInput | IngestFailure]) -> tuple[list[Article], list[IngestFailure]]:
    """Steps 2-3 (extract, clean) without a store: for checking articles that are not ingested."""
    articles, failures = [], []
    for item in raws:
        if isinstance(item, IngestFailure):
            failures.append(item)
            continue
        if item.kind == "feed":
            continue
        try:
            article = extract_article(item)
        except NewsloomError as error:
            failures.append(IngestFailure(item.origin, "extract", str(error)))
            continue
        clean_article(article)
        articles.append(article)
    return articles, failures
