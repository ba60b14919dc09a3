"""Smoke test of bench/bench_throughput.py: a short stream of real pages and their copies, section to a temporary file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from common import has_data  # noqa: E402

pytestmark = pytest.mark.skipif(not has_data("extraction", "scrapinghub", "ground-truth.json"),
                                reason="../shared/data/extraction/scrapinghub is absent")


def test_throughput_runner_reports_rate_and_stages(tmp_path):
    import bench_throughput

    results = tmp_path / "RESULTS.md"
    assert bench_throughput.main(["--articles", "24", "--profile-articles", "8", "--results", str(results)]) == 0

    section = results.read_text()
    assert "<!-- bench:throughput -->" in section
    rate = float(re.search(r"\| throughput \| ([\d.]+) articles/s", section).group(1))
    assert rate > 0
    ingested = re.search(r"\| ingested / linked as copies / failed \| (\d+) / (\d+) / (\d+) \|", section)
    assert int(ingested.group(1)) + int(ingested.group(3)) == 24
    for stage in ("keep + extract (trafilatura)", "entities (spaCy + gazetteer)", "dedup", "cluster", "digest"):
        assert f"| {stage} |" in section
    assert float(re.search(r"\| keep \+ extract \(trafilatura\) \| ([\d.]+) \|", section).group(1)) > 0
    read = re.search(r"\| pages read by trafilatura / byte-identical pages reused at another URL \| (\d+) / (\d+) \|", section)
    assert int(read.group(1)) + int(read.group(2)) == 24
    assert float(re.search(r"\| CPU of the main process \(keep, clean, entities, dedup, cluster, write\) \| ([\d.]+) s \|", section).group(1)) > 0
    assert float(re.search(r"\| distinct pages only \(the first 24, no copies, fresh store\) \| [\d.]+ s, ([\d.]+) articles/s", section).group(1)) > 0


def test_copies_move_host_and_most_are_lightly_edited():
    import bench_throughput

    html = ("<html><head><link rel='canonical' href='https://news.example/a'></head><body>"
            + "".join(f"<p>Paragraph {n} tells residents about the harbour bridge, its long-delayed repairs and the closures expected today.</p>" for n in range(5))
            + "</body></html>").encode()
    stream = bench_throughput.build_stream([("https://news.example/a", html)], 4)
    assert [raw.hints["url"] for raw in stream] == [
        "https://news.example/a", "https://copy1.mirror.example/a",
        "https://copy2.mirror.example/a", "https://copy3.mirror.example/a"]
    assert stream[0].body == html
    assert all(b"canonical" not in raw.body for raw in stream[1:])
    edited = [raw.body != stream[3].body for raw in stream[1:3]]  # copy 3 is the byte-identical one
    assert edited == [True, True]
    assert stream[3].body == bench_throughput._URL_TAGS.sub("", html.decode()).encode()
