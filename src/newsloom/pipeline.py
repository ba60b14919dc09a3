"""The pipeline: raw inputs in, stories out. A batch goes through these steps:

1. **keep**: every raw input is written to the store first (idempotent: an
   input seen before is skipped);
2. **extract** (``extract.py``): bytes -> title, text, metadata; web pages
   in worker processes (``extract_pool.py``), the next batch's while this
   one goes through the steps below, and a page met again byte for byte at
   another URL from its first reading;
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
   at its second article) get a fresh digest, and so do changed stories that
   closed (no article within ``cluster_window_days`` of the stream clock),
   then the batch commits. During an ingest the builds run in the worker
   processes while the next batch goes through steps 1-7, and are written
   with it (``story_builds.py``). ``finish`` (the end of an ingest) rebuilds every
   story still marked changed: only the open ones. A big story growing
   through a long ingest is rebuilt a logarithmic number of times, from at
   most ``REFRESH_SAMPLE_ARTICLES`` of its articles while it grows and
   ``DIGEST_SAMPLE_ARTICLES`` in its final build (when it closes or the
   ingest ends), so the cost per article stays flat and a story's final
   digest does not depend on when the growth builds happened. A story a
   revisit emptied loses its digest.

A failure in steps 2-3 marks that raw input failed and the batch goes on. A
crash loses at most the batch in flight; the in-memory indexes (dedup,
clusters, learned boilerplate) are rebuilt from the store on the next start.
This module orders the stages; it makes no decision of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Iterable

from newsloom.clean import BoilerplateMemory, clean_article
from newsloom.cluster import StoryClusterer, featurize
from newsloom.crosscheck import semantic_alignment
from newsloom.dedup import Deduplicator
from newsloom.errors import NewsloomError
from newsloom.extract import extract_article
from newsloom.extract_pool import ParallelExtractor
from newsloom.models import Article, DedupLink, IngestFailure, RawInput, StoryAssignment, utc_now
from newsloom.nlp.embeddings import semantic_embedder
from newsloom.nlp.entities import Entities, extract_entities_batch
from newsloom.store.sqlite import Store
from newsloom.store.vectors import SqliteVectorStore
from newsloom.story_builds import BuiltStory, StoryBuilder, StoryJob

# A digest reads at most this many of a story's articles (evenly spaced in arrival order): it cites
# from at most 40 of them, and a bounded read keeps a huge story's rebuild from growing with the story.
DIGEST_SAMPLE_ARTICLES = 40
# A refresh of a story that is still growing (a later build replaces it) reads at most this many.
REFRESH_SAMPLE_ARTICLES = 20


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
        self.embedder = semantic_embedder(settings, SqliteVectorStore(store))  # None in lexical mode
        self.clusterer = StoryClusterer(settings, embedder=self.embedder, member_source=self._story_members)
        self._stream_clock: datetime | None = None
        self._warm_started = False
        self._grown_stories: set[str] = set()  # stories given an article since the last digest refresh
        self._revisited_stories: set[str] = set()  # split by a revisit: rebuilt at the next refresh, grown or not
        self._changed_stories: set[str] = set()  # any change since the last refresh: grown, moved or revised
        self.builder = StoryBuilder(self.extractor, settings)

    # -- the batch -------------------------------------------------------
    def run_batch(self, raws: list[RawInput], *, overlap_digests: bool = False) -> list[Outcome]:
        """One batch through every step, in one transaction. With ``overlap_digests`` the batch's digests are
        built in the worker processes while the caller runs the next batch, and written at the next
        refresh (``story_builds.py``); the caller must end the run with ``finish``."""
        self._warm_start()
        try:
            with self.store.transaction():
                outcomes = self._keep_and_extract(raws)
                fresh = self._in_event_order([o for o in outcomes if o.status == "new"])
                entities = extract_entities_batch([(o.article.title, o.article.text) for o in fresh])
                for outcome, article_entities in zip(fresh, entities):
                    self._dedup_cluster_write(outcome, article_entities)
                self._persist_state()
                self.refresh_digests(min_growth=self.settings.digest_refresh_growth or None, overlap=overlap_digests)
        except BaseException:
            self.builder.drop()  # builds sent at the end read what the rollback undid; their stories stay dirty
            raise
        self._evict()
        return outcomes

    def finish(self) -> None:
        """The end of an ingest: every changed story's digest, and the learned boilerplate."""
        with self.store.transaction():
            self.refresh_digests()
        self.save_learned_boilerplate()

    def close(self) -> None:
        """Stop the extraction workers, if any were started (digests still in flight are dropped: their
        stories stay marked dirty in the store)."""
        self.builder.drop()
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
        stored = self.store.stored_raw_ids([raw.id for raw in raws])  # one look-up for the batch
        kept = [self._keep(raw, stored) for raw in raws]
        pending = [raw for raw, outcome in zip(raws, kept) if outcome is None]
        results = self.extractor.extract_all(pending)
        known_hashes = self.store.article_content_hashes([a.id for a in results if isinstance(a, Article)])
        extracted = iter(results)
        return [outcome or self._clean_and_classify(raw, next(extracted), known_hashes)
                for raw, outcome in zip(raws, kept)]

    def _keep(self, raw: RawInput, stored: set[str]) -> Outcome | None:
        """Step 1: the outcome of an input that needs no extraction, or None. ``stored``: the raw ids
        kept already, this batch's included (an input repeated in the batch is kept once)."""
        if raw.id in stored:
            return Outcome(raw, "unchanged")
        stored.add(raw.id)
        self.store.put_raw(raw)
        if raw.kind == "feed":
            self.store.mark_raw(raw.id, "skipped")
            return Outcome(raw, "skipped")
        return None

    def _clean_and_classify(self, raw: RawInput, extracted: Article | NewsloomError,
                            known_hashes: dict[str, str]) -> Outcome:
        """Step 3, then whether the article is new, unchanged or a revision of one we hold (``known_hashes``:
        the stored content hash of each article id the batch extracted, kept current by revisions)."""
        try:
            if isinstance(extracted, NewsloomError):
                raise extracted
            article = extracted
            self._clean(article)
        except NewsloomError as error:
            self.store.mark_raw(raw.id, "failed", error=str(error))
            return Outcome(raw, "failed", failure=IngestFailure(raw.origin, "extract", str(error)))
        known_hash = known_hashes.get(article.id)
        if known_hash is None:  # the usual case: no hash to compare (it is computed once, when the row is written)
            return Outcome(raw, "new", article=article)
        if known_hash == article.content_hash:
            self.store.mark_raw(raw.id, "article", article_id=article.id)
            return Outcome(raw, "unchanged", article=article)
        known_hashes[article.id] = article.content_hash  # a later revision in this batch compares with this one
        return self._update_existing(raw, article)

    def _clean(self, article: Article) -> None:
        clean_article(article, memory=self.memory, min_articles=self.settings.boilerplate_min_articles)
        if article.outlet:
            self.memory.observe(article.outlet, article.id, article.extracted_text)

    def _update_existing(self, raw: RawInput, article: Article) -> Outcome:
        """Same URL, new content: a revised article. It keeps its story; the digest is refreshed."""
        self.store.put_article(article)
        self.store.mark_raw(raw.id, "article", article_id=article.id)
        story_id = self.store.story_of_article(article.id)
        if story_id:
            self.store.touch_story(story_id, utc_now())
            self._changed_stories.add(story_id)
        return Outcome(raw, "updated", article=article)

    def _dedup_cluster_write(self, outcome: Outcome, entities) -> None:
        """Steps 5-7 for one new article (the row is written once its story is known: one write, not two)."""
        article = outcome.article
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
        self.store.put_article(article, entities=_entities_json(entities), new=True, story_id=assignment.story_id)
        self.store.put_links(links, now)
        self.store.put_assignment(assignment, now, article_row_set=True)
        self.store.add_to_story(assignment.story_id, article, now)
        self._grown_stories.add(assignment.story_id)
        self._changed_stories.add(assignment.story_id)
        self._store_moves(now)
        self.store.mark_raw(outcome.raw.id, "article", article_id=article.id)
        self._advance_clock(article)
        outcome.links, outcome.assignment = links, assignment
        outcome.status = "duplicate" if any(link.article_id == article.id for link in links) else "new"

    def _story_of_group(self, article_id: str, links: list[DedupLink]) -> str | None:
        """The story a copy (or a newly found original) must join: its group's."""
        for link in links:
            other = link.original_id if link.article_id == article_id else link.article_id
            story_id = self.store.story_of_article(other)
            if story_id:
                return story_id
        return None

    # -- digests -----------------------------------------------------------
    def _store_moves(self, now) -> None:
        """Store the articles a revisit moved to another story (each assignment says why) and recount both stories."""
        recount: set[str] = set()
        for move in self.clusterer.take_moves():
            self.store.put_assignment(move, now)
            recount.update((move.story_id, move.matched["moved_from"]))
        for story_id in sorted(recount):
            self.store.touch_story(story_id, now)
        self._revisited_stories |= recount
        self._changed_stories |= recount

    def refresh_digests(self, min_growth: float | None = None, *, overlap: bool = False) -> int:
        """Rebuild the digest (and the cross-check) of the stories marked dirty; return how many.

        With ``min_growth``, only stories that grew by that share since their
        last build (a new story counts as built at one article); the others
        stay dirty for a later call.
        Headline-only stories get no cross-check: a headline is the only
        sentence each article has, and the digest already cites every
        headline that states the same thing.
        With ``overlap`` the builds run in the worker processes and are
        written by the next call; every call first writes the builds still in
        flight, keeping dirty the stories that changed since they were read.

        The cost stays flat along a long ingest: with ``min_growth`` only the
        stories that grew since the last call are looked at, plus the dirty
        stories that closed (no article within ``cluster_window_days`` of the
        stream clock), whose digest is final, so the end of the ingest only
        rebuilds the stories still open; a digest reads at most
        ``DIGEST_SAMPLE_ARTICLES`` of a story's articles, a refresh of a
        story still growing ``REFRESH_SAMPLE_ARTICLES``. A refresh that read
        fewer articles than the story has is provisional: the story stays
        marked changed, so it gets its final build when it closes or the
        ingest ends, as if it had grown.
        """
        self._write_builds(self.builder.take_finished(), changed_since=self._changed_stories)
        final = set(self.store.dirty_story_ids() if min_growth is None else self._closed_dirty_stories())
        growing = set() if min_growth is None else set(self.store.dirty_story_ids(min_growth, among=self._grown_stories))
        story_ids = sorted(final | growing | self._revisited_stories)
        self._grown_stories, self._revisited_stories, self._changed_stories = set(), set(), set()
        jobs = []
        for story_id in story_ids:
            job = self._story_job(story_id, final)
            if job is None:
                self.store.clear_digest(story_id)  # emptied by a revisit move: nothing left to tell
            else:
                jobs.append(job)
        semantic = self._alignment() if jobs else None  # loaded on first need
        self._write_builds(self.builder.submit(jobs, semantic) if overlap else self.builder.build(jobs, semantic))
        return len(story_ids)

    def _story_job(self, story_id: str, final: set[str]) -> StoryJob | None:
        """What a story's build reads from the store (a bounded sample of its articles), or None if it has none."""
        sample = DIGEST_SAMPLE_ARTICLES if story_id in final else REFRESH_SAMPLE_ARTICLES
        articles = self.store.articles_of_story(story_id, sample=sample)
        if not articles:
            return None
        with_crosscheck = self.settings.crosscheck_stories and not all(a.is_title_only for a in articles)
        copy_of = self.store.copy_map([a.id for a in articles])
        article_count = self.store.story_article_count(story_id)
        provisional = sample < DIGEST_SAMPLE_ARTICLES and len(articles) < article_count
        return StoryJob(story_id, articles, copy_of, with_crosscheck, article_count, provisional)

    def _write_builds(self, built: list[BuiltStory], changed_since: set[str] = frozenset()) -> None:
        for story in built:
            if story.crosscheck is not None:
                self.store.put_crosscheck(story.story_id, story.crosscheck, utc_now())
            # A provisional build stays marked changed, as if the story had grown since: it is built again,
            # from the final sample, when it closes or the ingest ends, unless it grows enough before.
            changed = story.story_id in changed_since or story.provisional
            self.store.put_digest(story.digest, changed_after=story.article_count if changed else None)

    def _closed_dirty_stories(self) -> list[str]:
        """Dirty stories no new article can join any more: past the window of the stream clock and not
        held open for late arrivals (``late_arrival_memory``)."""
        if self._stream_clock is None:
            return []
        cutoff = self._stream_clock - timedelta(days=self.settings.cluster_window_days)
        return [story_id for story_id in self.store.closed_dirty_story_ids(cutoff)
                if not self.clusterer.is_held_open(story_id)]  # an older page's story still open to late arrivals

    def _alignment(self):
        """Sentence-embedding alignment for the cross-check when ``crosscheck_semantic`` is on (loaded once)."""
        if not hasattr(self, "_semantic_alignment"):
            self._semantic_alignment = semantic_alignment(self.settings, self.embedder)
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
        """Rebuild the in-memory indexes from what the store holds within the windows, and from the last
        ``late_arrival_memory`` arrivals."""
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
        late = self.settings.late_arrival_memory  # the last arrivals, whatever their dates, as before the restart
        self.clusterer.load_story_state(self.store.story_states_since(cluster_since, last_arrivals=late))
        dedup_since = self._stream_clock - timedelta(days=self.settings.dedup_window_days)
        for article in self.store.recent_articles(dedup_since, last_arrivals=late):
            self.deduplicator.process(article)

    def _story_members(self, story_id: str) -> list[tuple[Article, Entities | None]]:
        """A restored story's articles with their stored entities, for the clusterer's revisit."""
        return [(article, _entities_from_json(stored)) for article, stored in self.store.story_members(story_id)]

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


def _entities_json(entities) -> dict | None:
    # A shallow walk of the fields: asdict() deep-copies every set first, a cost paid per article.
    if entities is None:
        return None
    return {field.name: sorted(getattr(entities, field.name)) for field in fields(entities)}


def _entities_from_json(stored: dict | None) -> Entities | None:
    """The inverse of ``_entities_json`` (a kind missing from an older row is empty)."""
    if not stored:
        return None
    return Entities(**{field.name: set(stored.get(field.name, ())) for field in fields(Entities)})


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
