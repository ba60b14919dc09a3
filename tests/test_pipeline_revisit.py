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
