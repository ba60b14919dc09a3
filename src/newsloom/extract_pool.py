"""Extraction of a batch's inputs: in worker processes when it pays, and once per distinct web page.

``ParallelExtractor`` runs ``extract_article`` (``extract.py``) over a batch.
Two things make that cheaper than one call per input:

1. **Worker processes.** Extraction (trafilatura) is a pure function of the
   raw input and the costliest step for web pages, so a batch's pages are
   shared among ``workers`` processes (0: one per CPU core; 1: none, all in
   this process). ``prefetch`` starts on the next batch while the pipeline
   cleans, clusters and writes the current one, so both kinds of work run at
   once. Batches with few pages (JSONL rows, text files, small feeds) stay in
   this process: shipping them costs more than it saves. The pool is started
   on first need and lives until ``close``.
2. **Byte-identical pages are read once.** A crawler meets the same bytes at
   many URLs (mirrors, reposting sites, tracking redirects). The reading of a
   page (``extract.read_page``: the text of trafilatura's two passes and the
   metadata) is kept for the last ``PAGE_MEMO_SIZE`` distinct pages, keyed by
   the hash of the bytes and the declared charset; a page met again at
   another URL gets its article from that reading, with the metadata that
   may follow the URL (URL, date, site name) placed at the new one
   (``extract_meta.py``; the page is parsed again only when its own date is
   needed and was not searched). The article is then exactly what a fresh
   extraction gives, and dedup links it to the first one as an exact copy,
   with its evidence, as before.

Long runs: trafilatura and the libraries it calls (htmldate, courlan,
justext) keep LRU caches that grow with every page; each process that reads
pages (a worker, or this one) clears them every ``RESET_CACHES_EVERY`` pages
(``trafilatura.meta.reset_caches``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict

from newsloom.errors import NewsloomError
from newsloom.extract import extract_article, page_key, read_page
from newsloom.models import Article, RawInput

# Inputs worth sending to a worker process: parsing a page costs far more than pickling it.
_PARALLEL_KINDS = ("html", "feed-entry")
_MIN_PARALLEL_INPUTS = 4
# Distinct pages whose reading is kept for byte-identical copies (least recently met dropped first);
# a reading is the page's text and a few metadata fields, a few kilobytes.
PAGE_MEMO_SIZE = 2048
# Pages a process reads between two clearings of trafilatura's caches (each clearing also runs gc).
RESET_CACHES_EVERY = 1000
_pages_since_reset = 0  # per process: each worker counts its own


class ParallelExtractor:
    """``extract_article`` over a batch's inputs; see the module docstring."""

    def __init__(self, workers: int, memo_size: int = PAGE_MEMO_SIZE):
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.memo_size = memo_size
        self.pages_read = 0  # pages read with trafilatura
        self.pages_reused = 0  # inputs whose page was read before, at another URL
        self._pool = None
        self._pages: OrderedDict[tuple, dict] = OrderedDict()  # page_key -> read_page result
        self._ahead: list[tuple[list[RawInput], object]] = []  # prefetched: inputs sent, pending results

    def prefetch(self, raws: list[RawInput]) -> None:
        """Start extracting a batch in the workers; ``extract_all`` picks the results up.

        A page already read, or being read for an earlier prefetched batch, is not sent again.
        """
        in_flight = {page_key(raw) for sent, _ in self._ahead for raw in sent} - {None}
        todo = self._first_readings(raws, skip=in_flight)
        if self._worth_sharing(todo):
            pending = self._get_pool().map_async(_extract_or_error, todo, self._chunk(todo))
            self._ahead = self._ahead[-1:] + [(todo, pending)]

    def extract_all(self, raws: list[RawInput]) -> list[Article | NewsloomError]:
        """The article (or the error) of each input, in order."""
        done = self._harvest({raw.id for raw in raws})
        todo = self._first_readings([raw for raw in raws if raw.id not in done])
        if self._worth_sharing(todo):
            results = self._get_pool().map(_extract_or_error, todo, chunksize=self._chunk(todo))
        else:
            results = [_extract_or_error(raw) for raw in todo]
        for raw, result in zip(todo, results):
            done[raw.id] = self._remember(raw, result)
        return [done[raw.id] if raw.id in done else self._from_memo(raw) for raw in raws]

    def _first_readings(self, raws: list[RawInput], skip: set = frozenset()) -> list[RawInput]:
        """The inputs that need extracting: all but pages read before, in ``skip``, or repeated in ``raws``."""
        todo, seen = [], set(skip)
        for raw in raws:
            key = page_key(raw)
            if key is not None and (key in seen or key in self._pages):
                continue
            seen.add(key)
            todo.append(raw)
        return todo

    def _harvest(self, wanted: set[str]) -> dict[str, Article | NewsloomError]:
        """Results of the prefetched batches that hold any wanted input, by raw id."""
        done = {}
        for sent, pending in list(self._ahead):
            if wanted.isdisjoint(raw.id for raw in sent):
                continue
            self._ahead.remove((sent, pending))
            for raw, result in zip(sent, pending.get()):
                done[raw.id] = self._remember(raw, result)
        return done

    def _remember(self, raw: RawInput, result: tuple) -> Article | NewsloomError:
        article, page = result
        if page is not None:
            self.pages_read += 1
            self._pages[page_key(raw)] = page
            self._pages.move_to_end(page_key(raw))
            while len(self._pages) > self.memo_size:
                self._pages.popitem(last=False)
        return article

    def _from_memo(self, raw: RawInput) -> Article | NewsloomError:
        """The article of a page read before at another URL (or read now, if its reading was dropped)."""
        page = self._pages.get(page_key(raw))
        if page is None:
            return self._remember(raw, _extract_or_error(raw))
        self._pages.move_to_end(page_key(raw))
        self.pages_reused += 1
        try:
            return extract_article(raw, page=page)
        except NewsloomError as error:
            return error

    @property
    def parallel(self) -> bool:
        """Whether there are worker processes to share work with (``workers`` > 1)."""
        return self.workers > 1

    def map_in_workers(self, function, items: list, *, wait: bool = True):
        """``function`` over ``items`` in the worker processes (started if need be): the results in order,
        or with ``wait=False`` an ``AsyncResult`` whose ``get()`` gives them. Used for other pure work than
        page reading (``story_builds.py``); it queues behind the pages already sent."""
        pool = self._get_pool()
        return (pool.map if wait else pool.map_async)(function, items, self._chunk(items))

    def worker_pids(self) -> list[int]:
        """The process ids of the running workers (none before the first shared batch), for resource reports."""
        processes = getattr(self._pool, "_pool", None) or []
        return [process.pid for process in processes if process.pid]

    def _worth_sharing(self, raws: list[RawInput]) -> bool:
        return self.parallel and sum(raw.kind in _PARALLEL_KINDS for raw in raws) >= _MIN_PARALLEL_INPUTS

    def _chunk(self, items: list) -> int:
        return max(1, len(items) // (self.workers * 4))

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


def _extract_or_error(raw: RawInput) -> tuple[Article | NewsloomError, dict | None]:
    """Runs in a worker: the article, or the extraction error as a value so that one bad page fails
    alone, with the page's reading (None for other kinds, or when the bytes could not be decoded)."""
    page = None
    try:
        if page_key(raw) is not None:
            _count_page_and_reset_caches()
            page = read_page(raw)
        return extract_article(raw, page=page), page
    except NewsloomError as error:
        return error, page


def _count_page_and_reset_caches() -> None:
    """Clear trafilatura's LRU caches every ``RESET_CACHES_EVERY`` pages read in this process."""
    global _pages_since_reset
    _pages_since_reset += 1
    if _pages_since_reset >= RESET_CACHES_EVERY:
        from trafilatura.meta import reset_caches

        reset_caches()
        _pages_since_reset = 0
