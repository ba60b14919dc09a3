"""Smoke test of the ECB+ clustering benchmark on a slice: it runs, writes its section, and its figures are sane."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import has_data  # noqa: E402

pytestmark = pytest.mark.skipif(not has_data("clustering", "ecbplus.jsonl.gz"), reason="ECB+ data not present")


def test_runner_on_a_slice_writes_its_section_with_scores_between_zero_and_one(tmp_path):
    from bench.bench_cluster import main

    results = tmp_path / "RESULTS.md"
    main(["--limit", "40", "--entities", "fast", "--results", str(results)])
    section = results.read_text()
    assert "<!-- bench:cluster -->" in section and "<!-- /bench:cluster -->" in section
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    assert {"newsloom (fast entities: gazetteer + name spotting)", "TF-IDF single-pass",
            "TF-IDF average-linkage"} <= set(rows)
    for line in rows.values():
        if line.startswith("| system"):
            continue
        scores = [float(cell) for cell in re.findall(r"\| (\d\.\d{3}) ", line + " ")]
        assert len(scores) == 9 and all(0.0 < score <= 1.0 for score in scores)
    assert re.search(r"featurize \+ assign \d+ articles/s", section)
