"""Benchmark dedup on a repost set built from the 181 ScrapingHub pages (link and original precision/recall).

    python bench/bench_dedup.py [--limit N] [--engine-limit N] [--results PATH]

The repost set. Each page's hand-checked ``articleBody`` is an original, under
its page title and ground-truth URL, published in id order one hour apart.
Each original gets the copies a crawler really meets, on invented repost
hosts, published (and arriving) 1-23 hours after it:

* ``chrome``: the whole text under a category label and a "Posted:" line, a
  flattened social embed inside it and a repost disclaimer after it;
* ``truncated``: the first 60% of its words and a "read more" line;
* ``dropped``: about a third of its paragraphs (sentences for texts of fewer
  than four paragraphs) left out;
* ``reordered``: its paragraphs (or sentences) in another order;
* ``syndicated``: the whole text under another headline from another outlet;
* ``tracking-url``: the original URL with utm_* parameters. newsloom keys an
  article by its canonical URL, which drops tracking parameters, so this copy
  *is* the original: it counts as correct when it gets the original's article
  id (or is linked to it), and it is kept out of the link counts.

Every ninth page's original arrives 40 hours late, after all its copies
(still with the earliest publication time): the copies group among
themselves first and the original must take the group over (re-linking).
Sites with more than one page append the same short sign-off to each of their
articles, as sites do. Wordings of the chrome are written for this benchmark
and vary with the page.

Negatives are the originals themselves: pages of the same host, and the 20
page pairs with the highest TF-IDF cosine (same topic, different articles).
Any link between two page groups is a false link. Each same-topic pair also
gets a ``roundup``: a new article on another host quoting the lead of both
pages (at most 30% of each and 60 words) between sentences of its own that
name both headlines; it is an original of its own, so any link from or to
it is false. (A first version used the same three template lines in every
round-up: round-ups sharing a page then were near-copies of each other, and
newsloom linked 2 of 20 on a 40-page slice. Real round-ups vary their words.)

Metrics. A predicted link is copy -> the root it was given. Link precision:
links whose two ends come from the same page. Link recall: copies that end in
the same group as their original. Original precision/recall: the same with
"the root is the page's original" as the success. Per kind, the recall of
both. Speed is articles per second through ``Deduplicator.process`` alone.

Anchors, in the same run on the same stream: an exact hash of the normalised
text, and plain MinHash LSH (datasketch, 128 permutations, Jaccard >= 0.5 by
the MinHash estimate, no containment). Both group by union-find and take the
earliest published member of a group as its original, so they get the same
original rule as newsloom and differ only in what they link.

Second check: a slice goes through ``Engine.ingest_inputs`` as JSONL rows, so
extraction and cleaning (which strips the chrome) are in the loop.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, data_path, markdown_table, write_section  # noqa: E402

import numpy as np  # noqa: E402

from newsloom.dedup import Deduplicator, comparison_tokens, sentence_shingles  # noqa: E402
from newsloom.nlp.text import normalise_for_hash  # noqa: E402
from newsloom.settings import from_env  # noqa: E402
from repost_set import (  # noqa: E402
    COPY_KINDS,
    ALL_KINDS,
    LATE_ORIGINAL_EVERY,
    LATE_ORIGINAL_HOURS,
    ANCHOR_JACCARD,
    NUM_PERM,
    Page,
    Item,
    load_pages,
    with_site_signoffs,
    build_stream,
    in_arrival_order,
    reordered,
    negative_pairs,
    roundups,
)


def run_newsloom(stream: list[Item]) -> tuple[dict[str, str], float]:
    """Root of every article id after the whole stream, and the seconds spent in ``process``."""
    deduplicator = Deduplicator(from_env({}))
    started = time.perf_counter()
    for item in stream:
        deduplicator.process(item.article)
    seconds = time.perf_counter() - started
    ids = {item.article.id for item in stream}
    return {article_id: deduplicator.original_of(article_id) or article_id for article_id in ids}, seconds


class UnionFind:
    """Groups by union; a group's root is its earliest published member (ties: first seen)."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, one: str, other: str) -> None:
        self.parent[self.find(one)] = self.find(other)

    def roots(self, stream: list[Item]) -> dict[str, str]:
        rank = {}
        for position, item in enumerate(stream):
            rank.setdefault(item.article.id, (item.article.published_at, position))
        members = defaultdict(list)
        for article_id in rank:
            members[self.find(article_id)].append(article_id)
        return {member: min(group, key=rank.__getitem__) for group in members.values() for member in group}


def run_exact_hash(stream: list[Item]) -> tuple[dict[str, str], float]:
    groups, first_with_key = UnionFind(), {}
    started = time.perf_counter()
    for item in stream:
        key = normalise_for_hash(item.article.text)
        groups.union(item.article.id, first_with_key.setdefault(key, item.article.id))
    seconds = time.perf_counter() - started
    return groups.roots(stream), seconds


def run_minhash_lsh(stream: list[Item]) -> tuple[dict[str, str], float]:
    """datasketch MinHash on the same 5-word shingles; link to the best candidate estimated at >= 0.5."""
    from datasketch import MinHash, MinHashLSH

    from newsloom.nlp.text import shingles

    lsh, signatures, groups = MinHashLSH(threshold=ANCHOR_JACCARD, num_perm=NUM_PERM), {}, UnionFind()
    started = time.perf_counter()
    for item in stream:
        article_id = item.article.id
        groups.find(article_id)
        if article_id in signatures:
            continue
        signature = MinHash(num_perm=NUM_PERM)
        signature.update_batch([value.to_bytes(4, "little") for value in shingles(item.article.text)])
        scored = [(signature.jaccard(signatures[other]), other) for other in lsh.query(signature)]
        best = max(scored, default=None)
        if best is not None and best[0] >= ANCHOR_JACCARD:
            groups.union(article_id, best[1])
        lsh.insert(article_id, signature)
        signatures[article_id] = signature
    seconds = time.perf_counter() - started
    return groups.roots(stream), seconds


# --- scoring ---------------------------------------------------------------------------------------------


@dataclass
class Score:
    links: int = 0
    links_right_group: int = 0
    links_right_original: int = 0
    copies: int = 0
    copies_grouped: int = 0
    copies_original: int = 0

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0


def score(stream: list[Item], roots: dict[str, str]) -> dict:
    """Overall and per-kind figures for one method's final roots."""
    page_of = {item.article.id: item.page_id for item in stream if item.kind != "tracking-url"}
    original_of_page = {item.page_id: item.article.id for item in stream if item.kind == "original"}
    overall, per_kind = Score(), defaultdict(Score)
    for article_id, root in roots.items():
        if root != article_id:
            overall.links += 1
            overall.links_right_group += page_of[root] == page_of[article_id]
            overall.links_right_original += root == original_of_page.get(page_of[article_id])
    tracking_same_id = 0
    for item in stream:
        true_original = original_of_page.get(item.page_id)
        if item.kind == "tracking-url":
            tracking_same_id += item.article.id == true_original or roots[item.article.id] == roots[true_original]
            continue
        if not item.is_copy:
            continue
        root = roots[item.article.id]
        for tally in (overall, per_kind[item.kind]):
            tally.copies += 1
            tally.copies_grouped += root == roots[true_original]
            tally.copies_original += root == true_original
    roundup_ids = {item.article.id for item in stream if item.kind == "roundup"}
    roundup_links = sum(1 for article_id, root in roots.items()
                        if root != article_id and (article_id in roundup_ids or root in roundup_ids))
    return {"overall": overall, "per_kind": per_kind, "tracking_same_id": tracking_same_id,
            "roundup_links": f"{roundup_links}/{len(roundup_ids)}",
            "tracking": sum(item.kind == "tracking-url" for item in stream)}


def false_negative_links(roots: dict[str, str], pairs: list[tuple[str, str]], original_of_page: dict[str, str]) -> int:
    """Negative page pairs whose originals ended in one group."""
    return sum(roots[original_of_page[a]] == roots[original_of_page[b]] for a, b in pairs)


def overlap(one: np.ndarray, other: np.ndarray) -> tuple[float, float]:
    """Jaccard and containment (share of the smaller set in the other) of two shingle arrays."""
    shared = len(np.intersect1d(one, other))
    return shared / max(1, len(one) + len(other) - shared), shared / max(1, min(len(one), len(other)))


def newsloom_shingles(text: str) -> np.ndarray:
    return sentence_shingles(comparison_tokens(text), from_env({}).dedup_shingle_size)


def margins(stream: list[Item], negatives: dict) -> str:
    """How far the copies and the negatives lie from newsloom's thresholds, measured on newsloom's own shingles."""
    settings = from_env({})
    hashes = {item.article.id: newsloom_shingles(item.article.text) for item in stream}
    original_of_page = {item.page_id: item.article.id for item in stream if item.kind == "original"}
    copies = [overlap(hashes[item.article.id], hashes[original_of_page[item.page_id]]) for item in stream if item.is_copy]
    pairs = [(original_of_page[a], original_of_page[b]) for kind in ("same-host", "same-topic") for a, b in negatives[kind]]
    pairs += [(item.article.id, original_of_page[page_id]) for item in stream if item.kind == "roundup"
              for page_id in negatives["same-topic"][int(item.page_id.removeprefix("roundup-"))]]
    apart = [overlap(hashes[one], hashes[other]) for one, other in pairs]
    return (f"Margins on newsloom's shingles (thresholds: containment {settings.dedup_containment}, Jaccard "
            f"{settings.dedup_lsh_threshold}): copies vs their original, lowest containment "
            f"{min(c for _, c in copies):.2f} and lowest Jaccard {min(j for j, _ in copies):.2f}; negatives "
            f"({len(apart)} pairs incl. round-up vs quoted page), highest containment "
            f"{max((c for _, c in apart), default=0):.2f} and highest Jaccard {max((j for j, _ in apart), default=0):.2f}.")


# --- the engine check -------------------------------------------------------------------------------------


def run_engine(stream: list[Item]) -> tuple[dict[str, str], float, dict[str, str]]:
    """The stream as JSONL rows through ``Engine.ingest_inputs`` (extraction, cleaning, dedup, clusters, digests)."""
    from newsloom import Engine
    from newsloom.ingest.jsonl import row_input

    rows = []
    for position, item in enumerate(stream):
        article = item.article
        record = {"url": article.url, "title": article.title, "text": article.text,
                  "published": article.published_at.isoformat(), "source": article.outlet}
        rows.append(row_input(json.dumps(record).encode(), f"repost-set.jsonl#L{position + 1}"))
    with tempfile.TemporaryDirectory() as folder, Engine(Path(folder) / "dedup.db") as engine:
        started = time.perf_counter()
        engine.ingest_inputs(rows)
        seconds = time.perf_counter() - started
        ids = sorted({item.article.id for item in stream})
        copy_of = engine.store.copy_map(ids)
        cleaned = {article_id: engine.article(article_id).text for article_id in ids}
    return {article_id: copy_of.get(article_id, article_id) for article_id in ids}, seconds, cleaned


# --- reporting -------------------------------------------------------------------------------------------


def summary_row(name: str, result: dict, articles: int, seconds: float, negatives: dict) -> list:
    overall: Score = result["overall"]
    return [name, Score.share(overall.links_right_group, overall.links),
            Score.share(overall.copies_grouped, overall.copies),
            Score.share(overall.links_right_original, overall.links),
            Score.share(overall.copies_original, overall.copies),
            overall.links - overall.links_right_group,
            negatives["same-host"], negatives["same-topic"], result["roundup_links"],
            f"{result['tracking_same_id']}/{result['tracking']}", round(articles / seconds) if seconds else "-"]


SUMMARY_HEADER = ["method", "link P", "link R", "original P", "original R", "false links",
                  "same-host pairs linked", "same-topic pairs linked",
                  "round-up links", "tracking URL = same article", "articles/s"]


def kind_rows(results: dict[str, dict]) -> list[list]:
    rows = []
    for kind in COPY_KINDS:
        row = [kind, results["newsloom"]["per_kind"][kind].copies]
        for name in results:
            tally = results[name]["per_kind"][kind]
            row += [Score.share(tally.copies_grouped, tally.copies), Score.share(tally.copies_original, tally.copies)]
        rows.append(row)
    return rows


def report(pages, stream, results, timings, negatives, notes: str) -> str:
    pairs = negatives
    late = sum(1 for i in range(len(pages)) if i % LATE_ORIGINAL_EVERY == LATE_ORIGINAL_EVERY - 1)
    summary = [summary_row(name, results[name], len(stream), timings[name], results[name]["negatives"]) for name in results]
    kind_header = ["kind", "copies"] + [f"{name} {what}" for name in results for what in ("R", "original R")]
    text = [
        f"{len(pages)} pages -> {len(stream)} articles: {len(pages)} originals, per page one copy of each kind "
        f"({', '.join(ALL_KINDS)}); {late} originals arrive {LATE_ORIGINAL_HOURS} h late, after their copies. "
        f"Negatives: {len(pairs['same-host'])} same-host page pairs and the {len(pairs['same-topic'])} page pairs "
        f"with the highest TF-IDF cosine ({pairs['cosine'][1]:.2f}-{pairs['cosine'][0]:.2f}), and a round-up "
        "quoting the leads of each same-topic pair. "
        "How the set is built and scored: `bench/bench_dedup.py` docstring.",
        "",
        markdown_table(SUMMARY_HEADER, summary),
        "",
        "Recall per copy kind (R: the copy ends in its original's group; original R: its root is the true original):",
        "",
        markdown_table(kind_header, kind_rows(results)),
        "",
        "Target: link precision >= 0.99 and recall >= 0.98. Anchors get the same original rule (earliest published "
        "in a group), so their original P/R only reflect what they link. There is no held-out split: newsloom's "
        "sentence-bounded shingles (and CJK characters as tokens) were introduced after the first run on this set, "
        "where windows across sentences gave link recall 0.981 (reordered 0.917: short lines and sentence-shuffled "
        "short texts, and two Japanese pages, one of them under `dedup_min_words`); read the 1.000 with the margins below.",
    ]
    text += ["", notes]
    text += ["", "Speed is `Deduplicator.process` alone (anchors: their own loop), wall-clock on this 2-core machine "
                 "(its load is in the run line); the articles/s are indicative only."]
    return "\n".join(text)


def engine_section(pages: list[Page], limit: int) -> str:
    slice_pages = pages[:limit]
    stream = build_stream(slice_pages)
    same_topic = negative_pairs(slice_pages)["same-topic"][: max(1, len(slice_pages) // 9)]
    stream = in_arrival_order(stream + roundups(slice_pages, stream, same_topic))
    roots, seconds, cleaned = run_engine(stream)
    result = score(stream, roots)
    original_of_page = {item.page_id: item.article.id for item in stream if item.kind == "original"}
    misses = [f"{item.kind} of page {item.page_id[:8]} (containment of the cleaned texts "
              f"{overlap(*(newsloom_shingles(cleaned[i]) for i in (item.article.id, original_of_page[item.page_id])))[1]:.2f})"
              for item in stream if item.is_copy and roots[item.article.id] != roots[original_of_page[item.page_id]]]
    row = summary_row("newsloom Engine.ingest_inputs", result, len(stream), seconds, {
        "same-host": "-", "same-topic": "-"})
    return (f"Second check, the first {len(slice_pages)} pages with their copies and {len(same_topic)} round-ups "
            f"({len(stream)} JSONL rows) through "
            "`Engine.ingest_inputs` (extraction, cleaning, entities, dedup, clustering, digests; articles/s is "
            "the whole pipeline):\n\n" + markdown_table(SUMMARY_HEADER, [row])
            + f"\n\nCopies the pipeline did not link: {'; '.join(misses) or 'none'}."
            + (" A miss here is a copy whose cleaned text differs from its cleaned original: when a page embeds "
               "social posts, reordering its paragraphs moves the signature lines away from the posts they sign, "
               "and cleaning's social-embed rule (the line above a signature is the post) then removes different "
               "report lines from the copy and from the original." if misses else ""))



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages (id order)")
    parser.add_argument("--engine-limit", type=int, default=27, help="pages sent through Engine.ingest_inputs (0: skip)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="RESULTS.md to write the section into")
    args = parser.parse_args(argv)

    pages = with_site_signoffs(load_pages(data_path("extraction", "scrapinghub"), args.limit))
    stream = build_stream(pages)
    negatives = negative_pairs(pages)
    stream = in_arrival_order(stream + roundups(pages, stream, negatives["same-topic"]))
    original_of_page = {item.page_id: item.article.id for item in stream if item.kind == "original"}
    results, timings = {}, {}
    for name, method in (("newsloom", run_newsloom), ("MinHash LSH 0.5", run_minhash_lsh), ("exact hash", run_exact_hash)):
        roots, timings[name] = method(stream)
        results[name] = score(stream, roots)
        results[name]["negatives"] = {kind: false_negative_links(roots, negatives[kind], original_of_page)
                                      for kind in ("same-host", "same-topic")}
    notes = [margins(stream, negatives)] + ([engine_section(pages, args.engine_limit)] if args.engine_limit else [])
    body = report(pages, stream, results, timings, negatives, "\n\n".join(notes))
    print(body)
    write_section("dedup", "Dedup — repost set built from 181 pages", body, path=args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
