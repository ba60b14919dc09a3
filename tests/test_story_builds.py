"""Story builds in the worker processes: the same digests as built in process, and no change is lost."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from newsloom import Engine
from newsloom.models import RawInput
from newsloom.story_builds import MIN_SHARED_JOBS, StoryBuilder, StoryJob

DAY0 = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)

# Four unrelated events told in the same words by each outlet's headline, so each is one story.
EVENTS = {
    "harbour": ["Crane collapse shuts Vellmar harbour", "Vellmar harbour shut after crane collapse",
                "Crane collapse: Vellmar harbour stays shut", "Vellmar harbour crane collapse inquiry opens"],
    "orchestra": ["Dunmere orchestra names Ilse Varga conductor", "Ilse Varga named Dunmere orchestra conductor",
                  "Dunmere orchestra picks Ilse Varga as conductor", "Ilse Varga to lead Dunmere orchestra"],
    "bridge": ["Ostrel bridge closed for cable repairs", "Cable repairs close Ostrel bridge",
               "Ostrel bridge stays closed for cable repairs", "Ostrel bridge cable repairs run late"],
    "ferry": ["Korrin ferry strike strands tourists", "Tourists stranded by Korrin ferry strike",
              "Korrin ferry strike leaves tourists stranded", "Korrin ferry strike enters second day"],
}


def headline(event: str, n: int) -> RawInput:
    at = DAY0 + timedelta(minutes=10 * n + len(event))
    hints = {"url": f"https://news.example/{event}/{n}", "title": EVENTS[event][n], "published": int(at.timestamp() * 1000)}
    return RawInput(origin=f"{event}-{n}", body=json.dumps(hints).encode(), kind="jsonl",
                    content_type="application/json", hints=hints)


def batches() -> list[list[RawInput]]:
    """Each event's first report, then every event's second (four stories grow at once: a shared refresh),
    then a third report of the harbour story only (it changes while its build is in flight)."""
    return [[headline(e, 0) for e in EVENTS], [headline(e, 1) for e in EVENTS], [headline("harbour", 2)]]


def _stories(engine: Engine) -> dict[str, tuple]:
    rows = engine.store.conn.execute(
        "SELECT id, headline, standfirst, digest_json, digest_dirty, digest_article_count, article_count FROM stories")
    stories = {}
    for row in rows:
        digest = json.loads(row["digest_json"])
        digest.pop("built_at")
        stories[row["id"]] = (row["headline"], row["standfirst"], digest, row["digest_dirty"],
                              row["digest_article_count"], row["article_count"])
    return stories


def _harbour(engine: Engine):
    return engine.store.conn.execute(
        "SELECT s.* FROM stories s JOIN articles a ON a.story_id = s.id WHERE a.url = ?",
        ("https://news.example/harbour/0",)).fetchone()


def _shared_jobs(monkeypatch) -> list[int]:
    """Spy on the worker pool: the size of every list of story builds sent to it."""
    from newsloom.extract_pool import ParallelExtractor

    sent: list[int] = []
    original = ParallelExtractor.map_in_workers

    def spy(self, function, items, *, wait=True):
        sent.append(len(items))
        return original(self, function, items, wait=wait)

    monkeypatch.setattr(ParallelExtractor, "map_in_workers", spy)
    return sent


def test_builds_in_the_workers_write_what_builds_in_process_write(tmp_path, monkeypatch):
    sent = _shared_jobs(monkeypatch)
    results = {}
    for workers in (2, 1):
        with Engine(tmp_path / f"w{workers}.db", extract_workers=workers, batch_size=4) as engine:
            engine.ingest_inputs(raw for batch in batches() for raw in batch)
            results[workers] = _stories(engine)
    assert sent and sent[0] >= MIN_SHARED_JOBS  # the shared path ran
    assert len(results[2]) == len(EVENTS)
    assert results[2] == results[1]
    assert all(dirty == 0 and built == count for _, _, _, dirty, built, count in results[2].values())


def test_a_story_changed_while_its_build_is_in_flight_stays_marked_for_a_rebuild(tmp_path, monkeypatch):
    sent = _shared_jobs(monkeypatch)
    with Engine(tmp_path / "n.db", extract_workers=2) as engine:
        first, second, third = batches()
        engine.pipeline.run_batch(first, overlap_digests=True)
        engine.pipeline.run_batch(second, overlap_digests=True)  # four second reports: builds sent, not written
        assert sent == [len(EVENTS)]
        assert _harbour(engine)["digest_dirty"] == 1 and _harbour(engine)["headline"] is None
        engine.pipeline.run_batch(third, overlap_digests=True)  # writes those builds; harbour grew meanwhile
        harbour = _harbour(engine)
        assert harbour["headline"] and harbour["article_count"] == 3
        assert harbour["digest_dirty"] == 1 and harbour["digest_article_count"] == 2
        engine.pipeline.finish()
        harbour = _harbour(engine)
        assert harbour["digest_dirty"] == 0 and harbour["digest_article_count"] == 3
        third_id = engine.store.conn.execute("SELECT id FROM articles WHERE url = ?",
                                             ("https://news.example/harbour/2",)).fetchone()[0]
        assert third_id in harbour["digest_json"]  # the rebuild read the third report


def test_builds_sent_by_a_batch_that_rolls_back_are_dropped(tmp_path, monkeypatch):
    from newsloom.pipeline import Pipeline

    _shared_jobs(monkeypatch)
    refresh = Pipeline.refresh_digests

    def refresh_then_fail(self, *args, **kwargs):
        refresh(self, *args, **kwargs)
        raise OSError("disk full")  # after the builds were sent, before the commit

    with Engine(tmp_path / "n.db", extract_workers=2) as engine:
        first, second, _ = batches()
        engine.pipeline.run_batch(first, overlap_digests=True)
        monkeypatch.setattr(Pipeline, "refresh_digests", refresh_then_fail)
        with pytest.raises(OSError):
            engine.pipeline.run_batch(second, overlap_digests=True)
        assert engine.pipeline.builder.take_finished() == []  # nothing of the rolled-back batch is written
        assert engine.store.count("articles") == len(EVENTS)


class _FakeWorkers:
    parallel = True

    def __init__(self):
        self.calls = []

    def map_in_workers(self, function, items, *, wait=True):
        self.calls.append((len(items), wait))
        results = [function(item) for item in items]
        if wait:
            return results
        return type("Done", (), {"get": lambda self: results})()


def _job(story_id: str) -> StoryJob:
    from newsloom.models import Article

    article = Article(id=story_id + "-a", raw_id="r", url=f"https://news.example/{story_id}", title="Vellmar harbour shut",
                      text="")
    return StoryJob(story_id, [article], {}, crosscheck=False, article_count=1)


def test_few_builds_or_a_semantic_alignment_stay_in_this_process(tmp_path):
    with Engine(tmp_path / "n.db") as engine:
        workers = _FakeWorkers()
        builder = StoryBuilder(workers, engine.settings)
        few = [_job(f"s{i}") for i in range(MIN_SHARED_JOBS - 1)]
        assert [b.story_id for b in builder.submit(few)] == [j.story_id for j in few]
        many = [_job(f"s{i}") for i in range(MIN_SHARED_JOBS)]
        assert builder.submit(many, semantic=lambda a, b: None) != []  # embeddings live here: built at once
        assert workers.calls == []
        assert builder.submit(many) == []
        with pytest.raises(RuntimeError):
            builder.submit(many)  # the previous submission was not collected
        assert [b.story_id for b in builder.take_finished()] == [j.story_id for j in many]
        assert builder.take_finished() == []
        assert workers.calls == [(MIN_SHARED_JOBS, False)]
