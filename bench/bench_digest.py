"""Benchmark the story digest on NeuS roundups (ROUGE against AllSides' neutral summary).

    python bench/bench_digest.py [--split test|val] [--limit N] [--results PATH] [--no-write]

Each NeuS cluster holds three lead excerpts of one story from three outlets
and a roundup written by AllSides. newsloom's digest is built from the three
articles exactly as the pipeline would (``build_digest`` with distinct
outlets, no copies, default settings, and the story's cross-check, whose
conflicts mark and demote the sentences they involve); its standfirst
followed by its body is the summary scored.

Length budget: the mean reference length in words on the split being scored
(``summary.split()``). Every system's text is cut the same way: whole
sentences in the system's own order, and the sentence that crosses the
budget truncated at the budget, so every system gets exactly the same number
of words (fewer only when its text is shorter).

Anchors, scored in the same run on the same budget:

* first article: the first article's text;
* first sentences: the first sentence of each article, in article order;
* LexRank: thresholded LexRank (Erkan & Radev 2004) implemented here over all
  sentences of the three articles: TF-IDF cosine graph (edge when cosine >=
  ``LEXRANK_THRESHOLD``), rows normalised by degree, PageRank-style power
  iteration with damping ``LEXRANK_DAMPING``; sentences taken by score,
  skipping any with cosine >= ``LEXRANK_REDUNDANCY`` to one already taken.

Scores are rouge-score F-measures (ROUGE-1, ROUGE-2, ROUGE-L, Porter
stemming), averaged over stories, times 100. Attribution figures count the
digest's sentences (standfirst and body, before the cut): the share with at
least one citation, the share whose text is verbatim from its source article,
the share with two or more independent sources and the share marked with a
cross-check conflict. Digest settings were
tuned on ``val.jsonl`` only; the reported section is ``test.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from bench.common import RESULTS, data_path, markdown_table, write_section  # noqa: E402
from newsloom.crosscheck import crosscheck_story  # noqa: E402
from newsloom.digest import build_digest  # noqa: E402
from newsloom.models import Article, Digest  # noqa: E402
from newsloom.nlp.text import split_sentences  # noqa: E402
from newsloom.settings import from_env  # noqa: E402
from rouge_score.rouge_scorer import RougeScorer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

LEXRANK_THRESHOLD = 0.1  # the paper's usual edge threshold
LEXRANK_DAMPING = 0.85
LEXRANK_REDUNDANCY = 0.5
LEXRANK_ITERATIONS = 100
ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("newsloom", "first article", "first sentences", "LexRank")
_WORD_RE = re.compile(r"\S+")


@dataclass
class Cluster:
    cluster_id: str
    articles: list[Article]
    summary: str


@dataclass
class Attribution:
    """Counts over digest sentences (standfirst and body)."""

    sentences: int = 0
    cited: int = 0
    verbatim: int = 0
    multi_source: int = 0
    disputed: int = 0  # marked with a cross-check conflict
    empty_digests: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)  # the first unverbatim or uncited sentences, for the log


# --- data ----------------------------------------------------------------------------


def load_clusters(path: Path, limit: int | None) -> list[Cluster]:
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles = [
                Article(id=f"{row['id']}-a{n}", raw_id=f"raw-{row['id']}-a{n}", title=part["title"],
                        text=part["text"], outlet=f"Outlet {n}")
                for n, part in enumerate(row["articles"])
            ]
            clusters.append(Cluster(row["id"], articles, row["summary"]))
            if limit and len(clusters) == limit:
                break
    return clusters


def mean_words(texts: list[str]) -> int:
    return round(sum(len(_WORD_RE.findall(t)) for t in texts) / max(len(texts), 1))


def cut_to_budget(sentences: list[str], budget: int) -> str:
    """Whole sentences in order; the one crossing ``budget`` words is truncated at the budget."""
    kept: list[str] = []
    for sentence in sentences:
        tokens = _WORD_RE.findall(sentence)
        kept.extend(tokens[: budget - len(kept)])
        if len(kept) >= budget:
            break
    return " ".join(kept)


# --- systems -------------------------------------------------------------------------


def digest_sentences(digest: Digest) -> list[str]:
    parts = ([digest.standfirst] if digest.standfirst else []) + digest.body
    return [part.text for part in parts]


def first_article(cluster: Cluster) -> list[str]:
    return split_sentences(cluster.articles[0].text)


def first_sentences(cluster: Cluster) -> list[str]:
    return [split_sentences(a.text)[0] for a in cluster.articles if split_sentences(a.text)]


def lexrank(cluster: Cluster) -> list[str]:
    """Thresholded LexRank over the cluster's sentences, best first, near-repeats skipped."""
    sentences = [s for a in cluster.articles for s in split_sentences(a.text)]
    if len(sentences) < 2:
        return sentences
    try:
        vectors = TfidfVectorizer(stop_words="english").fit_transform(sentences)
    except ValueError:  # only stop words
        return sentences
    cosine = (vectors @ vectors.T).toarray()
    adjacency = (cosine >= LEXRANK_THRESHOLD).astype(float)
    np.fill_diagonal(adjacency, 1.0)  # a sentence of stop words only has no vector: keep its degree at 1
    transition = adjacency / adjacency.sum(axis=1, keepdims=True)
    size = len(sentences)
    scores = np.full(size, 1.0 / size)
    for _ in range(LEXRANK_ITERATIONS):
        updated = (1 - LEXRANK_DAMPING) / size + LEXRANK_DAMPING * transition.T @ scores
        if np.abs(updated - scores).sum() < 1e-8:
            scores = updated
            break
        scores = updated
    chosen: list[int] = []
    for index in sorted(range(size), key=lambda i: (-round(float(scores[i]), 12), i)):
        if all(cosine[index, other] < LEXRANK_REDUNDANCY for other in chosen):
            chosen.append(index)
    return [sentences[i] for i in chosen]


# --- scoring -------------------------------------------------------------------------


def is_verbatim(sentence: str, source_text: str) -> bool:
    """In the source as it stands, or after the digest trimmed a leading connective and capitalised the rest."""
    if sentence in source_text:
        return True
    lowered = sentence[:1].lower() + sentence[1:]
    return bool(sentence) and re.search(r"\b\w+,?\s+" + re.escape(lowered), source_text) is not None


def attribute(digest: Digest, cluster: Cluster, counts: Attribution) -> None:
    """Count citations, verbatim text and independent sources of the digest's sentences."""
    texts = {a.id: a.text + "\n" + a.title for a in cluster.articles}
    parts = ([digest.standfirst] if digest.standfirst else []) + digest.body
    counts.empty_digests += not parts
    for part in parts:
        counts.sentences += 1
        cited = bool(part.citations) and part.article_id in {c.article_id for c in part.citations}
        verbatim = is_verbatim(part.text, texts.get(part.article_id, ""))
        counts.cited += cited
        counts.verbatim += verbatim
        counts.multi_source += part.independent_sources >= 2
        counts.disputed += bool(part.conflicts)
        if not (cited and verbatim) and len(counts.misses) < 5:
            counts.misses.append(f"{cluster.cluster_id}: {part.text}")


def run(clusters: list[Cluster], budget: int) -> tuple[dict[str, np.ndarray], Attribution]:
    """ROUGE F-measures per system (rows: stories; columns: R1, R2, RL) and the digest's attribution."""
    scorer = RougeScorer(list(ROUGE_KEYS), use_stemmer=True)
    settings = from_env({})
    scores: dict[str, list[list[float]]] = {name: [] for name in SYSTEMS}
    counts = Attribution()
    for cluster in clusters:
        check = crosscheck_story(cluster.articles, {})
        started = time.perf_counter()
        digest = build_digest(cluster.cluster_id, cluster.articles, {}, settings, crosscheck=check)
        counts.seconds += time.perf_counter() - started
        attribute(digest, cluster, counts)
        outputs = {
            "newsloom": digest_sentences(digest),
            "first article": first_article(cluster),
            "first sentences": first_sentences(cluster),
            "LexRank": lexrank(cluster),
        }
        for name, sentences in outputs.items():
            result = scorer.score(cluster.summary, cut_to_budget(sentences, budget))
            scores[name].append([100 * result[key].fmeasure for key in ROUGE_KEYS])
    return {name: np.array(rows) for name, rows in scores.items()}, counts


# --- report --------------------------------------------------------------------------


def report(split: str, clusters: list[Cluster], budget: int, scores: dict[str, np.ndarray], counts: Attribution) -> str:
    rows = [[name, *(f"{float(v):.1f}" for v in values.mean(axis=0))] for name, values in scores.items()]
    share = (lambda n: f"{100 * n / counts.sentences:.1f}%") if counts.sentences else (lambda n: "n/a")
    speed = len(clusters) / counts.seconds if counts.seconds else float("inf")
    newsloom_r1 = float(scores["newsloom"][:, 0].mean())
    target = "met" if newsloom_r1 >= 40 and counts.cited == counts.sentences == counts.verbatim else "missed"
    lines = [
        f"{len(clusters)} NeuS `{split}` clusters (3 lead excerpts each); every system cut to {budget} words "
        "(the split's mean reference length): whole sentences in order, the one crossing the budget truncated. "
        "ROUGE F-measures x100 (rouge-score, Porter stemming), mean over stories. "
        "Digest settings were tuned on `val.jsonl` only.",
        "",
        markdown_table(["system", "ROUGE-1", "ROUGE-2", "ROUGE-L"], rows),
        "",
        markdown_table(["digest attribution", "value"], [
            ["digest sentences (standfirst + body, before the cut)", counts.sentences],
            ["with at least one citation", share(counts.cited)],
            ["verbatim from the source article (a leading connective may be trimmed)", share(counts.verbatim)],
            ["with two or more independent sources", share(counts.multi_source)],
            ["marked with a cross-check conflict", share(counts.disputed)],
            ["stories with an empty digest", counts.empty_digests],
            [f"stories/second (build_digest only; 1-minute load average {os.getloadavg()[0]:.1f} on this machine)",
             f"{speed:.0f}"],
        ]),
        "",
        f"Target ROUGE-1 >= 40 with 100% attribution: **{target}** (ROUGE-1 {newsloom_r1:.1f}). "
        "LexRank is thresholded (edge at TF-IDF cosine >= "
        f"{LEXRANK_THRESHOLD}, damping {LEXRANK_DAMPING}, near-repeats at cosine >= {LEXRANK_REDUNDANCY} skipped).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("test", "val"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters (smoke tests)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="RESULTS.md to write the section into")
    parser.add_argument("--no-write", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    path = data_path("summarization", "neus", f"{args.split}.jsonl")
    all_clusters = load_clusters(path, None)
    budget = mean_words([c.summary for c in all_clusters])  # on the whole split, even under --limit
    clusters = all_clusters[: args.limit] if args.limit else all_clusters
    started = time.perf_counter()
    scores, counts = run(clusters, budget)
    body = report(args.split, clusters, budget, scores, counts)
    print(body)
    for miss in counts.misses:
        print("attribution miss:", miss)
    print(f"({time.perf_counter() - started:.1f} s)")
    if not args.no_write:
        write_section("digest", f"Digest — NeuS roundups ({len(clusters)} {args.split} stories)", body, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
