"""Smoke test of bench/bench_dedup.py: a tiny slice of the repost set, written to a temporary RESULTS.md."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_runner():
    import sys

    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_dedup", BENCH / "bench_dedup.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_dedup"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runner():
    module = load_runner()
    from common import has_data

    if not has_data("extraction", "scrapinghub", "ground-truth.json"):
        pytest.skip("../shared/data/extraction/scrapinghub is not present")
    return module


def summary_rows(section: str) -> dict[str, list[str]]:
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 10 and re.fullmatch(r"[01]\.\d{3}", cells[1]):
            rows[cells[0]] = cells
    return rows


def test_dedup_bench_on_a_slice_writes_sane_figures(runner, tmp_path):
    results = tmp_path / "RESULTS.md"

    assert runner.main(["--limit", "12", "--engine-limit", "3", "--results", str(results)]) == 0

    section = results.read_text()
    assert "<!-- bench:dedup -->" in section and "<!-- /bench:dedup -->" in section
    rows = summary_rows(section)
    assert {"newsloom", "MinHash LSH 0.5", "exact hash", "newsloom Engine.ingest_inputs"} <= set(rows)
    for cells in rows.values():
        assert all(0.0 <= float(value) <= 1.0 for value in cells[1:5])
    assert float(rows["exact hash"][2]) < float(rows["newsloom"][2])  # exact hashing misses every edited copy
    assert rows["newsloom"][9] == "12/12"  # the tracking URL is the original's own id


def test_variants_of_a_page_are_what_they_claim(runner):
    page = runner.Page("p1", "https://example.org/a", "A headline", "\n\n".join(
        f"Paragraph {n} says something different about the matter at hand, number {n}." for n in range(6)))
    stream = runner.build_stream([page])
    kinds = {item.kind: item.article for item in stream}

    assert set(kinds) == {"original", *runner.ALL_KINDS}
    assert kinds["tracking-url"].id == kinds["original"].id
    assert kinds["syndicated"].text == page.body and kinds["syndicated"].title != page.title
    assert len(kinds["truncated"].text.split()) < 0.7 * len(page.body.split())
    assert sorted(kinds["reordered"].text.split("\n\n")) == sorted(page.body.split("\n\n"))
    assert all(item.article.published_at >= kinds["original"].published_at for item in stream)
