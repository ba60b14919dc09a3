"""When the pipeline rebuilds digests during an ingest: on growth, when a story closes, and at the end."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from newsloom import Engine
from newsloom.models import RawInput

DAY0 = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)  # in the past: the stream clock never runs ahead of arrival


def headline(key: str, title: str, at: datetime) -> RawInput:
    hints = {"url": f"https://news.example/{key}", "title": title, "published": int(at.timestamp() * 1000)}
    return RawInput(origin=key, body=json.dumps(hints).encode(), kind="jsonl", content_type="application/json", hints=hints)


HARBOUR = [
    headline("h1", "Crane collapse shuts Vellmar harbour", DAY0),
    headline("h2", "Vellmar harbour shut after crane collapse", DAY0 + timedelta(hours=1)),
    headline("h3", "Crane collapse: Vellmar harbour stays shut", DAY0 + timedelta(hours=2)),
]
LATER = [headline("l1", "Orchestra of Dunmere names new conductor", DAY0 + timedelta(days=10))]


def _story_row(engine: Engine, article_origin: str):
    story_id = engine.store.conn.execute(
        "SELECT a.story_id FROM articles a JOIN raw_inputs r ON r.id = a.raw_id WHERE r.origin = ?", (article_origin,)).fetchone()[0]
    return engine.store.story_row(story_id)


def test_a_closed_story_gets_its_final_digest_during_the_ingest(tmp_path):
    # late_arrival_memory=0: closed by the date alone (else it stays open to the next arrivals' late copies)
    with Engine(tmp_path / "n.db", batch_size=64, late_arrival_memory=0) as engine:
        pipeline = engine.pipeline
        pipeline.run_batch(HARBOUR[:2])
        pipeline.run_batch(HARBOUR[2:])
        harbour = _story_row(engine, "h1")
        assert harbour["article_count"] == 3
        assert harbour["digest_dirty"] == 1 and harbour["digest_article_count"] == 2  # built at 2, not yet doubled
        pipeline.run_batch(LATER)  # the stream moves ten days on: the harbour story can take no more articles
        harbour = _story_row(engine, "h1")
        assert harbour["digest_dirty"] == 0 and harbour["digest_article_count"] == 3
        assert json.loads(harbour["digest_json"])["headline_article_id"]
        assert _story_row(engine, "l1")["digest_dirty"] == 1  # a lone open story waits for the end of the ingest
        pipeline.finish()
        assert _story_row(engine, "l1")["digest_dirty"] == 0


def test_a_story_past_the_window_stays_open_to_late_arrivals_until_newer_arrivals_push_it_out(tmp_path):
    more = [headline(f"m{n}", f"Dunmere orchestra tour date {n} announced", DAY0 + timedelta(days=10, hours=n))
            for n in range(1, 4)]
    with Engine(tmp_path / "n.db", batch_size=64, late_arrival_memory=3) as engine:
        pipeline = engine.pipeline
        pipeline.run_batch(HARBOUR[:2])
        pipeline.run_batch(HARBOUR[2:])  # built at 2 articles, now 3: changed; joined by the latest arrival
        pipeline.run_batch(LATER)  # ten days on, but only one arrival later: still open to a late copy
        assert _story_row(engine, "h1")["digest_dirty"] == 1
        pipeline.run_batch(more)  # pushed out of the last three arrivals: closed, final digest during the ingest
        harbour = _story_row(engine, "h1")
        assert harbour["digest_dirty"] == 0 and harbour["digest_article_count"] == 3


def _digest_without_build_time(engine: Engine, article_origin: str) -> dict:
    digest = json.loads(_story_row(engine, article_origin)["digest_json"])
    digest.pop("built_at")
    return digest


def _ingest_in_batches(tmp_path, name: str, raws: list[RawInput], batch: int, **settings) -> dict:
    with Engine(tmp_path / name, batch_size=64, late_arrival_memory=0, **settings) as engine:
        for start in range(0, len(raws), batch):
            engine.pipeline.run_batch(raws[start:start + batch])
        engine.pipeline.finish()
        row = _story_row(engine, raws[0].origin)
        assert row["article_count"] == len(raws) and row["digest_dirty"] == 0
        return _digest_without_build_time(engine, raws[0].origin)


def test_the_final_digest_does_not_depend_on_when_the_story_was_rebuilt_during_the_ingest(tmp_path):
    # 32 reports in batches of 8: with growth 1.0 the last mid-ingest build is at 32 articles, a refresh
    # that reads a sample of 20; the ingest then ends with the story unchanged. Its final digest must
    # still be the one a build from the final sample gives (as with growth 0, which builds every batch).
    outlets = ["Harbour Gazette", "Vellmar Post", "Coast Daily", "Northern Wire"]
    raws = []
    for n in range(32):
        raw = headline(f"c{n}", f"Crane collapse shuts Vellmar harbour, {outlets[n % 4]} reports", DAY0 + timedelta(minutes=n))
        raw.hints["outlet"] = outlets[n % 4]
        raws.append(raw)
    grown = _ingest_in_batches(tmp_path, "grown.db", raws, 8, digest_refresh_growth=1.0)
    every_batch = _ingest_in_batches(tmp_path, "every.db", raws, 8, digest_refresh_growth=0.0)
    assert grown == every_batch


def test_a_story_emptied_by_a_revisit_loses_its_digest_and_is_no_longer_changed(tmp_path):
    from newsloom.settings import from_env
    from test_cluster import DEFENCE_ORSK
    from test_pipeline_revisit import ORSK_LATE, ORSK_MORE, report

    items = DEFENCE_ORSK + ORSK_MORE
    with Engine(tmp_path / "n.db", batch_size=64) as engine:
        pipeline, clusterer = engine.pipeline, engine.pipeline.clusterer
        clusterer.settings = from_env({}, cluster_threshold=-5.0)  # five reports in one story
        pipeline.run_batch([report(f"o{n}", *items[n], DAY0 + timedelta(hours=n)) for n in range(5)])
        clusterer.settings = from_env({}, cluster_threshold=5.0)  # the late report starts a story of its own
        pipeline.run_batch([report("late", *ORSK_LATE, DAY0 + timedelta(hours=5))])
        pipeline.finish()  # one ingest ends: the late report's story has its digest
        late_story = _story_row(engine, "late")["id"]
        assert engine.store.story_row(late_story)["digest_json"]
        clusterer.settings = from_env({})  # the next ingest's report revisits the story, which absorbs the late one
        pipeline.run_batch([report("o5", *items[5], DAY0 + timedelta(hours=6))])
        pipeline.finish()
        emptied = engine.store.story_row(late_story)
        assert emptied["article_count"] == 0
        assert emptied["digest_dirty"] == 0 and emptied["digest_json"] is None and emptied["headline"] is None
        assert emptied["crosscheck_json"] is None
        searchable = engine.store.conn.execute("SELECT COUNT(*) FROM stories_fts WHERE story_id = ?", (late_story,))
        assert searchable.fetchone()[0] == 0
        absorbing = _story_row(engine, "late")["id"]
        assert absorbing != late_story and engine.story(late_story).merged_into == absorbing
        assert engine.story(absorbing).merged_into is None
    _an_emptied_story_points_to_the_story_that_took_its_articles(tmp_path / "n.db", late_story, absorbing)


def _an_emptied_story_points_to_the_story_that_took_its_articles(db, emptied: str, absorbing: str) -> None:
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from newsloom.cli import cli
    from newsloom.web.app import create_app

    with TestClient(create_app(db)) as client:
        page = client.get(f"/stories/{emptied}")
        assert page.status_code == 200 and f'href="/stories/{absorbing}"' in page.text
        assert client.get(f"/api/stories/{emptied}").json()["merged_into"] == absorbing
    shown = CliRunner().invoke(cli, ["story", emptied, "--db", str(db)])
    assert shown.exit_code == 0 and f"merged into story {absorbing}" in shown.output
