"""Digest and cross-check builds of the stories a refresh picks: in this process, or in the worker processes.

A story's build (its cross-check, then its digest, which marks the sentences
the conflicts involve) is a pure function of the articles read for it, their
copy links and the settings. So it can run in the extraction workers
(``extract_pool.py``) while this process goes on with the next batch:

- ``submit`` sends the jobs of one refresh and returns at once;
  ``take_finished`` waits for them and hands the built stories back, in job
  order. The pipeline writes them at its next refresh, in that batch's
  transaction, before it picks the next jobs, so at most one refresh is in
  flight and a later build of a story is always written after an earlier one.
- ``build`` builds a list of jobs and waits: in the workers when there are
  enough jobs to share, here otherwise.
- The semantic alignment (sentence embeddings) is loaded in this process
  only: with it, every build runs here.

What the workers cost is CPU the main process no longer spends: on a
headline-only stream (no pages to read) the second core was idle; on a stream
of pages the builds queue behind the page readings of the next batch, which
were sent first.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsloom.crosscheck import crosscheck_story
from newsloom.digest import build_digest
from newsloom.models import Article, Digest

# A refresh with fewer jobs than this builds them here: shipping a few small stories costs more than it saves.
MIN_SHARED_JOBS = 4


@dataclass
class StoryJob:
    """What one story's build reads: its articles (a sample of them for a big story) and their copy links."""

    story_id: str
    articles: list[Article]
    copy_of: dict[str, str]
    crosscheck: bool  # headline-only stories get no cross-check
    article_count: int  # the story's size when its articles were read
    # A refresh's smaller sample of a story bigger than it: a later build from the final sample replaces it.
    provisional: bool = False


@dataclass
class BuiltStory:
    story_id: str
    article_count: int  # the job's
    digest: Digest
    crosscheck: dict | None  # StoryCheck.to_dict(), or None when the job asked for none
    provisional: bool = False  # the job's


def build_story(job: StoryJob, settings, semantic=None) -> BuiltStory:
    """The cross-check first (its conflicts mark the digest's sentences), then the digest."""
    check = crosscheck_story(job.articles, job.copy_of, semantic=semantic) if job.crosscheck else None
    digest = build_digest(job.story_id, job.articles, job.copy_of, settings, crosscheck=check, semantic=semantic)
    return BuiltStory(job.story_id, job.article_count, digest, check.to_dict() if check else None, job.provisional)


def _build_in_worker(job_and_settings: tuple[StoryJob, object]) -> BuiltStory:
    job, settings = job_and_settings
    return build_story(job, settings)


class StoryBuilder:
    """Builds stories here or in ``workers`` (a ``ParallelExtractor``'s processes); see the module docstring."""

    def __init__(self, workers, settings):
        self.workers = workers
        self.settings = settings
        self._in_flight = None  # the AsyncResult of the last ``submit``

    def build(self, jobs: list[StoryJob], semantic=None) -> list[BuiltStory]:
        if self._worth_sharing(jobs, semantic):
            return self.workers.map_in_workers(_build_in_worker, [(job, self.settings) for job in jobs])
        return [build_story(job, self.settings, semantic) for job in jobs]

    def submit(self, jobs: list[StoryJob], semantic=None) -> list[BuiltStory]:
        """Start the jobs in the workers and return []; or, when not worth it, build them here and return them."""
        if self._in_flight is not None:
            raise RuntimeError("take_finished() must collect the previous submission first")
        if not self._worth_sharing(jobs, semantic):
            return self.build(jobs, semantic)
        self._in_flight = self.workers.map_in_workers(
            _build_in_worker, [(job, self.settings) for job in jobs], wait=False)
        return []

    def take_finished(self) -> list[BuiltStory]:
        """The stories of the last ``submit`` (waiting for them), or [] when none is in flight."""
        in_flight, self._in_flight = self._in_flight, None
        return in_flight.get() if in_flight is not None else []

    def drop(self) -> None:
        """Forget the submission in flight (the stories stay marked dirty in the store)."""
        self._in_flight = None

    def _worth_sharing(self, jobs: list[StoryJob], semantic) -> bool:
        return semantic is None and self.workers.parallel and len(jobs) >= MIN_SHARED_JOBS
