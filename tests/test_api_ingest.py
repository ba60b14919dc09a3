"""Engine.ingest_inputs: the garbage collector runs less often during an ingest, and is put back after it; inputs repeated or revised within one batch."""

from __future__ import annotations

import gc
import json

import pytest

from newsloom import Engine
from newsloom.api import INGEST_GC_THRESHOLD
from newsloom.models import RawInput


def row(key: str, title: str, text: str) -> RawInput:
    hints = {"url": f"https://harbour.example/{key}", "title": title, "text": text}
    return RawInput(origin=key, body=json.dumps(hints).encode(), kind="jsonl", content_type="application/json",
                    hints=hints)


ROWS = [row("a", "Ferry to Quillan Point cancelled", "The morning ferry to Quillan Point was cancelled after a gale."),
        row("b", "Gale closes Quillan harbour", "Harbour staff closed the Quillan quay as the gale reached 90 km/h.")]


@pytest.fixture
def default_thresholds():
    previous = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*previous)


def test_collections_are_rarer_during_an_ingest_and_restored_after(tmp_path, default_thresholds):
    seen_during = []
    with Engine(tmp_path / "n.db", batch_size=1) as engine:
        report = engine.ingest_inputs(ROWS, progress=lambda done, origin: seen_during.append(gc.get_threshold()))
    assert report.ingested == 2
    assert seen_during and all(t == (INGEST_GC_THRESHOLD, 10, 10) for t in seen_during)
    assert gc.get_threshold() == (700, 10, 10)


def test_thresholds_are_restored_when_the_ingest_fails(tmp_path, default_thresholds):
    def inputs():
        yield ROWS[0]
        raise RuntimeError("the source broke off")

    with Engine(tmp_path / "n.db") as engine, pytest.raises(RuntimeError):
        engine.ingest_inputs(inputs())
    assert gc.get_threshold() == (700, 10, 10)


def revision(key: str, title: str, text: str, copy: str = "") -> RawInput:
    """A revised page: the same URL (so the same article id), another body; ``copy`` makes another raw input."""
    hints = {"url": f"https://harbour.example/{key}", "title": title, "text": text}
    return RawInput(origin=key + copy, body=json.dumps(hints).encode(), kind="jsonl",
                    content_type="application/json", hints=hints)


def test_one_batch_keeps_a_repeated_input_once_and_compares_a_revision_with_the_one_before(tmp_path):
    with Engine(tmp_path / "n.db", extract_workers=1) as engine:
        first = revision("a", "Ferry to Quillan Point cancelled", "The morning ferry was cancelled after a gale.")
        assert [o.status for o in engine.pipeline.run_batch([first, first])] == ["new", "unchanged"]
        second = revision("a", "Ferry to Quillan Point cancelled", "The morning and noon ferries were cancelled.")
        third = revision("a", "Ferries to Quillan Point cancelled", "Every ferry of the day was cancelled.")
        third_again = revision("a", "Ferries to Quillan Point cancelled", "Every ferry of the day was cancelled.", "#2")
        outcomes = engine.pipeline.run_batch([second, third, third_again])
        assert [o.status for o in outcomes] == ["updated", "updated", "unchanged"]
        assert engine.store.count("raw_inputs") == 4
        assert engine.store.get_article(outcomes[0].article.id).text == "Every ferry of the day was cancelled."
