"""Smoke test of bench/bench_scale.py: a few hundred UCI headlines end to end, section written to a temporary file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from common import has_data  # noqa: E402

pytestmark = pytest.mark.skipif(not has_data("clustering", "uci-news-aggregator.tsv.gz"),
                                reason="../shared/data/clustering/uci-news-aggregator.tsv.gz is absent")


def test_scale_runner_reports_every_tenth_of_a_small_slice(tmp_path, capsys):
    import bench_scale

    results = tmp_path / "RESULTS.md"
    assert bench_scale.main(["--limit", "300", "--batch-size", "10", "--results", str(results)]) == 0

    section = results.read_text()
    assert "<!-- bench:scale -->" in section and "<!-- /bench:scale -->" in section
    assert "| rows ingested (headline-only articles) | 300 of 300 |" in section
    tenths = re.findall(r"^\| (\d+)% \| (\d+) \| ([\d.]+) \| (\d+) \| (\d+) \| ([\d.]+) \| (\d+|-) \|$", section, flags=re.M)
    assert [int(share) for share, *_ in tenths] == list(range(10, 101, 10))
    assert sum(int(rows) for _, rows, *_ in tenths) == 300
    assert all(float(seconds) >= 0 and int(rss) > 0 and float(cpu) >= 0 for _, _, seconds, _, rss, cpu, _ in tenths)
    assert "CPU time of the pipeline process" in section
    assert "| CPU time of the worker processes (digest and cross-check builds) |" in section
    own, workers, total = map(int, re.search(r"\| peak RSS \(this process \+ the workers' peaks\) \| (\d+) \+ (\d+) = (\d+) MB",
                                             section).groups())
    assert own > 0 and abs(own + workers - total) <= 1
    assert "not measured on the full set" in section  # a slice never claims the 15-minute target
    assert "part 10/10" in capsys.readouterr().out


def test_worker_usage_reads_cpu_and_peak_memory_of_running_processes():
    import os

    from common import worker_usage

    sum(i * i for i in range(200_000))  # some CPU to count
    usage = worker_usage([os.getpid()])
    if usage is None:
        pytest.skip("no /proc on this system")
    assert usage["workers"] == 1 and usage["cpu_seconds"] > 0 and usage["rss_mb"] > 10
    assert worker_usage([]) == {"cpu_seconds": 0.0, "rss_mb": 0.0, "workers": 0}


def test_rows_become_headline_only_jsonl_inputs():
    import bench_scale

    raw = bench_scale.row_to_input({"ID": "7", "TITLE": "Fed holds rates", "URL": "http://example.org/a",
                                    "PUBLISHER": "", "TIMESTAMP": "1394470370698"})
    assert raw.kind == "jsonl" and raw.origin == "uci#7"
    assert raw.hints == {"url": "http://example.org/a", "title": "Fed holds rates", "published": 1394470370698}
