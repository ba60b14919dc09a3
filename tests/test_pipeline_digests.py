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
