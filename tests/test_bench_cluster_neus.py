"""Smoke test of the NeuS clustering benchmark on a slice: it runs, writes its section, and its figures are sane."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import has_data  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (has_data("summarization", "neus", "val.jsonl") and has_data("clustering", "ecbplus.jsonl.gz")),
    reason="NeuS or ECB+ data not present")


def test_runner_on_a_slice_writes_its_section_with_scores_between_zero_and_one(tmp_path):
    from bench.bench_cluster_neus import main

    results = tmp_path / "RESULTS.md"
    main(["--limit", "12", "--entities", "fast", "--orders", "2", "--results", str(results)])
    section = results.read_text()
    assert "<!-- bench:cluster-neus -->" in section and "<!-- /bench:cluster-neus -->" in section
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    assert {"newsloom (fast entities: gazetteer + name spotting)", "TF-IDF single-pass", "TF-IDF average-linkage",
            "newsloom, headlines only", "TF-IDF single-pass, headlines only"} <= set(rows)
    for name, line in rows.items():
        if name == "system":
            continue
        scores = [float(cell) for cell in re.findall(r"\| (\d\.\d{3}) ", line + " ")]
        assert len(scores) == 8 and all(0.0 < score <= 1.0 for score in scores)
    assert "first 12 stories" in section


def test_the_article_order_is_a_fixed_shuffle_of_every_article():
    from bench.bench_cluster_neus import load_articles, shuffled

    articles, gold = load_articles("val", limit=5)
    assert len(articles) == 15 and len(set(gold.values())) == 5
    first, again = shuffled(articles, 1), shuffled(articles, 1)
    assert [a.id for a in first] == [a.id for a in again] != [a.id for a in articles]
    assert sorted(a.id for a in first) == sorted(a.id for a in articles)


def test_the_headline_rows_see_each_article_as_its_title_alone():
    from bench.bench_cluster_neus import headlines_only, load_articles

    articles, _ = load_articles("val", limit=3)
    titles = headlines_only(articles)
    assert titles and all(a.text == "" and a.title.strip() and a.is_title_only for a in titles)
    assert [a.id for a in titles] == [a.id for a in articles if a.title.strip()]
