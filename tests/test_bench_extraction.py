"""Smoke test of bench/bench_extraction.py on a few pages, plus the metric on hand-made texts."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_extraction  # noqa: E402
from common import SHARED_DATA  # noqa: E402

DATA = SHARED_DATA / "extraction" / "scrapinghub"


def test_metric_counts_shingles_as_multisets():
    gold = "one two three four five"
    exact = bench_extraction.score_page("One? two, three four five", "One two three four five")
    assert exact.exact and exact.precision == 1.0 and exact.recall == 1.0
    half = bench_extraction.score_page("one two three four", gold)  # 1 of the 2 gold shingles, nothing extra
    assert (half.tp, half.fp, half.fn) == (0.5, 0.0, 0.5)
    empty = bench_extraction.score_page("", gold)
    assert empty.precision is None and empty.recall == 0.0


def test_aggregate_is_f1_of_mean_precision_and_recall():
    scores = [bench_extraction.PageScore(1.0, 0.0, 0.0, True), bench_extraction.PageScore(0.0, 0.0, 1.0, False)]
    precision, recall, f1, accuracy = bench_extraction.aggregate(scores)
    assert (precision, recall, accuracy) == (1.0, 0.5, 0.5)  # the empty prediction counts only in recall
    assert f1 == pytest.approx(2 / 3)


@pytest.mark.skipif(not (DATA / "ground-truth.json").exists(), reason="ScrapingHub benchmark data absent")
def test_runner_writes_sane_figures_on_a_slice(tmp_path, capsys):
    results = tmp_path / "RESULTS.md"
    assert bench_extraction.main(["--limit", "6", "--results", str(results)]) == 0
    section = results.read_text()
    assert "<!-- bench:extraction -->" in section and "Worst pages for newsloom" in section
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| newsloom |")
            or line.startswith("| trafilatura default |")}
    assert set(rows) == {"newsloom", "trafilatura default"}
    for line in rows.values():
        f1 = float(line.split("|")[4].split("±")[0])
        assert 0.5 < f1 <= 1.0
    assert "6 pages" in capsys.readouterr().out
