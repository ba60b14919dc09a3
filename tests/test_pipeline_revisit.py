"""A revisit that splits a story reaches the store: moved articles, both stories' counts, digests and evidence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from newsloom import Engine
from newsloom.models import RawInput
from test_cluster import DEFENCE_LYNDALE, DEFENCE_ORSK

DAY0 = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)


def report(key: str, title: str, text: str, at: datetime) -> RawInput:
    hints = {"url": f"https://ring.example/{key}", "title": title, "text": text,
             "published": int(at.timestamp() * 1000)}
    return RawInput(origin=key, body=json.dumps(hints).encode(), kind="jsonl", content_type="application/json", hints=hints)


def test_a_split_moves_the_articles_in_the_store_and_rebuilds_both_digests(tmp_path):
    raws = [report(f"b{n}", title, text, DAY0 + timedelta(hours=n))
            for n, (title, text) in enumerate(DEFENCE_ORSK + DEFENCE_LYNDALE)]
    with Engine(tmp_path / "n.db", batch_size=64, cluster_threshold=-5.0) as engine:  # the single pass merges all
        engine.pipeline.run_batch(raws)
        engine.pipeline.finish()
        conn = engine.store.conn
        rows = conn.execute("SELECT r.origin, a.id, a.story_id FROM articles a JOIN raw_inputs r ON r.id = a.raw_id "
                            "ORDER BY r.origin").fetchall()
        story_of = {origin: story_id for origin, _, story_id in rows}
        assert story_of["b0"] == story_of["b1"] == story_of["b2"] != story_of["b3"] == story_of["b4"] == story_of["b5"]
        for origin in ("b0", "b3"):
            story = engine.store.story_row(story_of[origin])
            assert story["article_count"] == 3 and story["digest_dirty"] == 0
            members = {article_id for o, article_id, s in rows if s == story_of[origin]}
            digest = json.loads(story["digest_json"])
            cited = {c["article_id"] for sentence in digest["body"] for c in sentence["citations"]}
            assert cited and cited <= members  # no digest cites an article of the other event
        moved = {origin: json.loads(conn.execute("SELECT matched_json FROM story_assignments WHERE article_id = ?",
                                                 (article_id,)).fetchone()[0]) for origin, article_id, _ in rows}
        assert moved["b3"]["revisit"] == "split" and moved["b3"]["moved_from"] == story_of["b0"]
        assert "revisit" not in moved["b0"]


ORSK_MORE = [
    ("Varga retains title in Orsk", "Tomas Varga retained his title in Orsk in 2019 when Dimitri Petrakis could not "
     "continue after a cut in the seventh round."),
    ("Referee halts Petrakis fight", "The referee halted the fight in Orsk in 2019 as Dimitri Petrakis bled badly; "
     "Tomas Varga kept the belt."),
    ("Varga's seventh-round stoppage", "A seventh-round stoppage in Orsk in 2019 kept Tomas Varga champion after "
     "Dimitri Petrakis was cut by jabs."),
]
ORSK_LATE = ("Cut ends Petrakis challenge", "In Orsk, Tomas Varga kept his belt in 2019 when the referee stopped the "
             "fight with a cut Dimitri Petrakis.")


def test_an_absorbed_small_story_moves_its_article_in_the_store_and_is_no_longer_listed(tmp_path):
    from newsloom.settings import from_env

    items = DEFENCE_ORSK + ORSK_MORE
    with Engine(tmp_path / "n.db", batch_size=64) as engine:
        clusterer = engine.pipeline.clusterer
        clusterer.settings = from_env({}, cluster_threshold=-5.0)  # five reports in one story
        engine.pipeline.run_batch([report(f"o{n}", *items[n], DAY0 + timedelta(hours=n)) for n in range(5)])
        clusterer.settings = from_env({}, cluster_threshold=5.0)  # the late report is kept out when it arrives
        engine.pipeline.run_batch([report("late", *ORSK_LATE, DAY0 + timedelta(hours=5))])
        clusterer.settings = from_env({})  # the sixth report joins by the default rule: the story is revisited
        engine.pipeline.run_batch([report("o5", *items[5], DAY0 + timedelta(hours=6))])
        engine.pipeline.finish()
        conn = engine.store.conn
        story_of = dict(conn.execute("SELECT r.origin, a.story_id FROM articles a JOIN raw_inputs r ON r.id = a.raw_id"))
        assert len(set(story_of.values())) == 1 and engine.store.story_row(story_of["o0"])["article_count"] == 7
        late_id = conn.execute("SELECT a.id FROM articles a JOIN raw_inputs r ON r.id = a.raw_id WHERE r.origin = 'late'"
                               ).fetchone()[0]
        matched = json.loads(conn.execute("SELECT matched_json FROM story_assignments WHERE article_id = ?",
                                          (late_id,)).fetchone()[0])
        assert matched["revisit"] == "absorbed" and matched["moved_from"] != story_of["o0"]
        assert engine.store.story_row(matched["moved_from"])["article_count"] == 0  # emptied: not listed


def test_a_story_saved_before_a_restart_is_still_revisited(tmp_path):
    # Periodic ingests (a feed polled by cron) restart the engine each time: a story's articles
    # arrive across runs, and the revisit at six articles must still see all of them.
    raws = [report(f"b{n}", title, text, DAY0 + timedelta(hours=n))
            for n, (title, text) in enumerate(DEFENCE_ORSK + DEFENCE_LYNDALE)]
    with Engine(tmp_path / "n.db", batch_size=64, cluster_threshold=-5.0) as engine:
        engine.ingest_inputs(raws[:5])
    with Engine(tmp_path / "n.db", batch_size=64, cluster_threshold=-5.0) as engine:
        engine.ingest_inputs(raws[5:])
        story_of = dict(engine.store.conn.execute(
            "SELECT r.origin, a.story_id FROM articles a JOIN raw_inputs r ON r.id = a.raw_id"))
    assert story_of["b0"] == story_of["b1"] == story_of["b2"] != story_of["b3"] == story_of["b4"] == story_of["b5"]
