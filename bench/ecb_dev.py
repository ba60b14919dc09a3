"""Tune and check the story clusterer on ECB+ (document-level event clusters).

    .venv/bin/python bench/ecb_dev.py                 # DEV: topics 1-14, 16, 18-22
    .venv/bin/python bench/ecb_dev.py --split test    # TEST: topics 23-45 (run once, at the end)
    .venv/bin/python bench/ecb_dev.py --sweep         # DEV grid over the cluster_* weights

Documents are fed in id order, five minutes apart (ECB+ has no dates), to
``StoryClusterer`` with spaCy entities, and scored with item-averaged
BCubed precision/recall/F1 against the gold ``event``. A plain single-pass
TF-IDF clusterer (offline IDF over the split, cosine to the cluster
centroid) runs in the same process as a baseline. Nothing here uses the
topic or the id suffix as a feature; the topic only selects the split.

This script must not be imported by the package or its tests.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsloom.cluster import StoryClusterer, featurize
from newsloom.models import Article
from newsloom.nlp.entities import extract_entities_batch
from newsloom.settings import from_env

DATA = Path("/work/shared/data/clustering/ecbplus.jsonl.gz")
DEV_TOPICS = set(range(1, 15)) | {16} | set(range(18, 23))
TEST_TOPICS = set(range(23, 46))
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def load_split(split: str) -> list[dict]:
    rows = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    topics = {"dev": DEV_TOPICS, "test": TEST_TOPICS, "all": DEV_TOPICS | TEST_TOPICS}[split]
    return sorted((r for r in rows if int(r["topic"]) in topics), key=lambda r: r["id"])


def to_articles(rows: list[dict]) -> list[Article]:
    return [
        Article(id=row["id"], raw_id=row["id"], title=row.get("title") or "", text=row["text"],
                published_at=START + timedelta(minutes=5 * i), ingested_at=START)
        for i, row in enumerate(rows)
    ]


def bcubed(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    """Item-averaged BCubed precision, recall and F1."""
    members_pred, members_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold)):
        members_pred[p].add(i)
        members_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold):
        shared = len(members_pred[p] & members_gold[g])
        precision += shared / len(members_pred[p])
        recall += shared / len(members_gold[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def run_clusterer(articles, features, **overrides) -> tuple[list[str], float]:
    clusterer = StoryClusterer(from_env({}, **overrides))
    started = time.perf_counter()
    story_ids = [clusterer.assign(a, f).story_id for a, f in zip(articles, features)]
    return story_ids, time.perf_counter() - started


def tfidf_single_pass(articles: list[Article], threshold: float) -> list[str]:
    """Baseline: offline TF-IDF, each document joins the most similar centroid above threshold."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{a.title}\n{a.text}" for a in articles]).toarray()
    centroids, labels = [], []
    for row in matrix:
        sims = [float(row @ c / (np.linalg.norm(c) or 1.0)) for c in centroids]
        best = int(np.argmax(sims)) if sims else -1
        if best >= 0 and sims[best] >= threshold:
            centroids[best] = centroids[best] + row
            labels.append(str(best))
        else:
            centroids.append(row.copy())
            labels.append(str(len(centroids) - 1))
    return labels


def sweep(articles, features, gold) -> None:
    grid = {
        "cluster_threshold": [0.15, 0.2, 0.25, 0.3],
        "cluster_term_weight": [0.8, 1.0],
        "cluster_title_weight": [0.1, 0.2],
        "cluster_entity_weight": [0.2, 0.4],
        "cluster_place_conflict_penalty": [0.1, 0.2],
    }
    results = []
    for values in itertools.product(*grid.values()):
        overrides = dict(zip(grid, values))
        predicted, _ = run_clusterer(articles, features, **overrides)
        results.append((bcubed(predicted, gold)[2], overrides))
    for f1, overrides in sorted(results, key=lambda r: -r[0])[:10]:
        print(f"F1={f1:.4f} {overrides}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--sweep", action="store_true", help="grid over the cluster_* weights (DEV only)")
    parser.add_argument("--baseline-threshold", type=float, default=0.2, help="chosen on DEV")
    args = parser.parse_args()
    rows = load_split(args.split)
    articles, gold = to_articles(rows), [row["event"] for row in rows]

    started = time.perf_counter()
    entities = extract_entities_batch([(a.title, a.text) for a in articles])
    ner_seconds = time.perf_counter() - started
    started = time.perf_counter()
    features = [featurize(a, e) for a, e in zip(articles, entities)]
    featurize_seconds = time.perf_counter() - started

    if args.sweep:
        sweep(articles, features, gold)
        return
    predicted, assign_seconds = run_clusterer(articles, features)
    print(f"{args.split}: {len(articles)} docs, {len(set(gold))} gold events")
    p, r, f = bcubed(predicted, gold)
    print(f"newsloom      P={p:.4f} R={r:.4f} F1={f:.4f} stories={len(set(predicted))}")
    p, r, f = bcubed(tfidf_single_pass(articles, args.baseline_threshold), gold)
    print(f"tfidf-1pass   P={p:.4f} R={r:.4f} F1={f:.4f} (threshold {args.baseline_threshold})")
    quick = [featurize(a) for a in articles]
    p, r, f = bcubed(run_clusterer(articles, quick)[0], gold)
    print(f"no-spaCy      P={p:.4f} R={r:.4f} F1={f:.4f} (gazetteer-only entities)")
    n = len(articles)
    print(f"speed: NER {n / ner_seconds:.0f}/s, featurize {n / featurize_seconds:.0f}/s, "
          f"assign {n / assign_seconds:.0f}/s, featurize+assign {n / (featurize_seconds + assign_seconds):.0f}/s, "
          f"end to end with NER {n / (ner_seconds + featurize_seconds + assign_seconds):.0f}/s")


if __name__ == "__main__":
    main()
