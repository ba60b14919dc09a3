"""Smoke test of the digest benchmark runner on a tiny slice of NeuS (skips without ../shared/data)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import has_data  # noqa: E402

pytestmark = pytest.mark.skipif(not has_data("summarization", "neus", "val.jsonl"), reason="NeuS data absent")


def run_runner(results: Path) -> str:
    command = [sys.executable, str(REPO / "bench" / "bench_digest.py"), "--split", "val", "--limit", "12",
               "--results", str(results)]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def rouge_rows(section: str) -> dict[str, list[float]]:
    rows = re.findall(r"^\| (newsloom|first article|first sentences|LexRank) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$",
                      section, flags=re.M)
    return {name: [float(v) for v in values] for name, *values in rows}


def test_runner_writes_sane_figures_into_the_given_results_file(tmp_path):
    results = tmp_path / "RESULTS.md"
    run_runner(results)
    section = results.read_text()
    assert "<!-- bench:digest -->" in section and "<!-- /bench:digest -->" in section
    scores = rouge_rows(section)
    assert set(scores) == {"newsloom", "first article", "first sentences", "LexRank"}
    for r1, r2, rl in scores.values():
        assert 10 < r1 < 80 and 0 < r2 < r1 and r2 <= rl <= r1
    assert "| with at least one citation | 100.0% |" in section
    assert "| verbatim from the source article (a leading connective may be trimmed) | 100.0% |" in section


def test_budget_cut_keeps_whole_sentences_and_truncates_the_one_crossing_it():
    from bench.bench_digest import cut_to_budget

    assert cut_to_budget(["One two three.", "Four five six seven."], 5) == "One two three. Four five"
    assert cut_to_budget(["One two."], 5) == "One two."
