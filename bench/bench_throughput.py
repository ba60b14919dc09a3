"""Throughput: real web pages through the whole pipeline, articles per second and where the time goes.

The 181 pages of the Scrapinghub extraction benchmark are the seed. The
stream repeats them up to ``--articles`` (5,000) the way reposts reach a news
engine: round 0 is the pages as published (their own URL); every later round
is a copy of each page on another host (``https://copyN.mirror.example/...``,
with the page's canonical/og:url tags removed, as a reposting site would),
and two copies in three are lightly edited: a few words in a few paragraphs
replaced, so that they are near-duplicates rather than exact ones. One copy
in three stays byte-identical apart from the URL. The perturbation is seeded,
so every run sees the same stream.

Each page is one ``RawInput(kind="html")`` with its URL in the hints, as the
fetcher makes it, through ``Engine.ingest_inputs``: keep, extract
(trafilatura), clean, entities, dedup, cluster, write, digest and cross-check
refresh. The rate comes from an unprofiled run with the default settings
(pages extracted in one worker process per core). The stream is mostly
copies, which cost less than new pages (a byte-identical page is not read
again, an unedited lead needs no second entity pass), so the distinct pages
alone (round 0, no copies) are also timed, in a fresh store: the honest rate
for a feed with few copies. A further run over the
first ``--profile-articles`` of the stream, in one process under cProfile,
gives the time per stage (the cumulative time of the stage's entry point) and
the top functions of each stage's modules by cumulative time.

    python bench/bench_throughput.py                  # 5,000 articles
    python bench/bench_throughput.py --articles 300   # a quick run
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, data_path, describe_workers, markdown_table, peak_rss_mb, worker_usage, write_section  # noqa: E402

from newsloom import Engine  # noqa: E402
from newsloom.models import RawInput  # noqa: E402
from newsloom.nlp.entities import forget_readings  # noqa: E402

DATA = ("extraction", "scrapinghub")
TARGET_RATE = 50.0
EXACT_COPY_EVERY = 3  # one copy in three is byte-identical apart from its URL
EDITED_PARAGRAPHS = 3
FILLER_WORDS = ("reportedly", "officials", "yesterday", "sources", "analysts", "residents", "critics", "earlier")
_URL_TAGS = re.compile(r"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+(?:og:url|twitter:url)[^>]*>", re.I)
_PARAGRAPH_TEXT = re.compile(r"(<p\b[^>]*>)([^<]{80,})")
_LONG_WORD = re.compile(r"\b[a-z]{5,}\b")

# Stage name -> (entry points in the profile, module pattern of the stage's own functions).
STAGES = {
    "keep + extract (trafilatura)": ("extract_pool.py", ("extract_all",), r"newsloom/extract(_pool|_meta)?\.py|trafilatura|lxml|htmldate|justext|courlan"),
    "clean": ("pipeline.py", ("_clean",), r"newsloom/clean(_memory)?\.py"),
    "entities (spaCy + gazetteer)": ("entities.py", ("extract_entities_batch",), r"newsloom/nlp/(entities|gazetteer|places|numbers)\.py|spacy|thinc"),
    "dedup": ("dedup.py", ("process",), r"newsloom/dedup\.py|datasketch"),
    "cluster": ("cluster.py", ("assign", "join"), r"newsloom/cluster(_\w+)?\.py"),  # a copy joins its original's story
    "store writes": ("pipeline.py", ("_dedup_cluster_write",), r"newsloom/store/sqlite\.py"),
    "digest": ("digest.py", ("build_digest",), r"newsloom/digest\.py"),
    "cross-check": ("crosscheck.py", ("crosscheck_story",), r"newsloom/crosscheck(_\w+)?\.py|newsloom/nlp/claims\.py"),
}


def load_pages(folder: Path) -> list[tuple[str, bytes]]:
    """(url, html bytes) of every page with a ground-truth URL, in file-name order."""
    truth = json.loads((folder / "ground-truth.json").read_text())
    pages = []
    for path in sorted((folder / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        url = truth.get(key, {}).get("url")
        if url:
            pages.append((url, gzip.decompress(path.read_bytes())))
    return pages


def build_stream(pages: list[tuple[str, bytes]], count: int, seed: int = 7) -> list[RawInput]:
    """``count`` inputs: the pages, then round after round of copies on other hosts (see the module docstring)."""
    rng = random.Random(seed)
    stream = []
    for position in range(count):
        round_number, (url, html) = divmod(position, len(pages))[0], pages[position % len(pages)]
        if round_number == 0:
            stream.append(_page_input(url, html))
            continue
        copy_url = re.sub(r"^https?://[^/]+", f"https://copy{round_number}.mirror.example", url)
        text = _URL_TAGS.sub("", html.decode("utf-8", errors="replace"))
        if position % EXACT_COPY_EVERY:
            text = _edit_words(text, rng)
        stream.append(_page_input(copy_url, text.encode("utf-8")))
    return stream


def _page_input(url: str, html: bytes) -> RawInput:
    return RawInput(origin=url, body=html, kind="html", content_type="text/html", hints={"url": url})


def _edit_words(html: str, rng: random.Random) -> str:
    """Replace one long word in each of a few long paragraphs with a filler word."""
    paragraphs = list(_PARAGRAPH_TEXT.finditer(html))
    chosen = sorted(rng.sample(paragraphs, min(EDITED_PARAGRAPHS, len(paragraphs))), key=lambda m: m.start())
    pieces, cursor = [], 0
    for match in chosen:
        words = list(_LONG_WORD.finditer(match.group(2)))
        if not words:
            continue
        word = rng.choice(words)
        start = match.start(2) + word.start()
        pieces += [html[cursor:start], rng.choice(FILLER_WORDS)]
        cursor = match.start(2) + word.end()
    pieces.append(html[cursor:])
    return "".join(pieces)


def run(stream: list[RawInput], db_path: Path) -> dict:
    """Ingest the stream with the default settings (extraction in worker processes); time it."""
    forget_readings()  # each timed run starts cold: no entities kept from an earlier run in this process
    started, cpu_started = time.perf_counter(), time.process_time()
    with Engine(db_path) as engine:
        report = engine.ingest_inputs(stream)
        stories = engine.store.count("stories")
        extractor = engine.pipeline.extractor
        workers = worker_usage(extractor.worker_pids())
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "ingested": report.ingested, "duplicates": report.duplicates,
            "failed": len(report.failures), "stories": stories, "rss_mb": peak_rss_mb(),
            "pages_read": extractor.pages_read, "pages_reused": extractor.pages_reused, "workers": workers}


def profile(stream: list[RawInput], db_path: Path, profile_path: Path) -> float:
    """Ingest the stream in one process (``extract_workers=1``, so that cProfile sees every stage); seconds."""
    profiler = cProfile.Profile()
    forget_readings()
    with Engine(db_path, extract_workers=1) as engine:
        started = time.perf_counter()
        profiler.enable()
        engine.ingest_inputs(stream)
        profiler.disable()
        seconds = time.perf_counter() - started
    profiler.dump_stats(str(profile_path))
    return seconds


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each stage's entry points (summed over functions of those names in that file)."""
    totals = dict.fromkeys(STAGES, 0.0)
    for (file, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        for stage, (file_suffix, entries, _pattern) in STAGES.items():
            if file.endswith(file_suffix) and function in entries:
                totals[stage] += cumulative
    return totals


def top_functions(stats: pstats.Stats, pattern: str, limit: int = 3) -> list[tuple[str, float, int]]:
    """(function, cumulative seconds, calls) of the stage's modules, heaviest first."""
    matcher = re.compile(pattern)
    found = []
    for (file, line, function), (_cc, calls, _tt, cumulative, _callers) in stats.stats.items():
        if matcher.search(file):
            found.append((f"`{Path(file).name}:{line} {function}`", cumulative, calls))
    return sorted(found, key=lambda item: -item[1])[:limit]


def report_markdown(result: dict, stream_size: int, page_count: int, profiled: dict, note: str, distinct: dict) -> str:
    stats = pstats.Stats(str(profiled["path"]))
    total = profiled["seconds"]
    rate = stream_size / result["seconds"] if result["seconds"] else 0.0
    summary = [
        ["articles in the stream", f"{stream_size:,} ({page_count} real pages, then copies; see above)"],
        ["ingested / linked as copies / failed", f"{result['ingested']:,} / {result['duplicates']:,} / {result['failed']:,}"],
        ["stories", result["stories"]],
        ["wall time (default settings, extraction in one worker per core)", f"{result['seconds']:.1f} s"],
        ["throughput", f"{rate:.1f} articles/s (target >= {TARGET_RATE:.0f}: {'met' if rate >= TARGET_RATE else 'MISSED'})"],
        ["pages read by trafilatura / byte-identical pages reused at another URL",
         f"{result['pages_read']:,} / {result['pages_reused']:,}"],
        [f"distinct pages only (the first {distinct['articles']}, no copies, fresh store)",
         f"{distinct['seconds']:.1f} s, {distinct['articles'] / distinct['seconds']:.1f} articles/s"],
        ["CPU of the main process (keep, clean, entities, dedup, cluster, write)", f"{result['cpu_seconds']:.1f} s"],
        ["peak RSS (main process)", f"{result['rss_mb']:.0f} MB"],
        ["worker processes (page reading, digest and cross-check builds): CPU / sum of peak RSS", describe_workers(result.get("workers"), with_memory=True)],
        ["profiled run (first articles, one process, under cProfile)",
         f"{profiled['articles']:,} articles in {total:.1f} s ({profiled['articles'] / total:.1f} articles/s)"],
    ]
    stage_rows = []
    for stage, seconds in stage_times(stats).items():
        tops = "; ".join(f"{name} {cum:.1f} s ({calls:,} calls)" for name, cum, calls in top_functions(stats, STAGES[stage][2]))
        stage_rows.append([stage, f"{seconds:.1f}", f"{100 * seconds / total:.0f}%" if total else "-", tops])
    return "\n\n".join([
        f"The {page_count} pages of the Scrapinghub extraction set, repeated to {stream_size:,} articles: round 0 is "
        "the pages themselves; each later round copies every page onto another host (canonical and og:url tags "
        f"removed), one copy in {EXACT_COPY_EVERY} byte-identical, the others with one word replaced in each of "
        f"{EDITED_PARAGRAPHS} paragraphs. Each copy is one `RawInput(kind=\"html\")` through `Engine.ingest_inputs` "
        "with the default settings (keep, extract, clean, entities, dedup, cluster, write, digest and cross-check).",
        markdown_table(["figure", "value"], summary),
        "Where the time goes, from a separate cProfile run over the first articles of the same stream in one "
        "process (cumulative time of each stage's entry point; cProfile slows pure-Python code, so the shares matter "
        "more than the seconds), with each stage's heaviest functions:",
        markdown_table(["stage", "seconds", "share", "heaviest functions (cumulative)"], stage_rows),
        note,
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "--limit", dest="articles", type=int, default=5000, help="stream length")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the RESULTS.md to write the section into")
    parser.add_argument("--profile", type=Path, default=None, help="keep the cProfile output here")
    parser.add_argument("--profile-articles", type=int, default=1000, help="articles in the profiled run")
    parser.add_argument("--note", default="", help="a line added under the tables (e.g. 'measured on a busy machine')")
    args = parser.parse_args(argv)

    pages = load_pages(data_path(*DATA))
    stream = build_stream(pages, args.articles)
    with tempfile.TemporaryDirectory(prefix="newsloom-throughput-") as folder:
        result = run(stream, Path(folder) / "throughput.db")
        print(f"{len(stream):,} articles in {result['seconds']:.1f} s ({len(stream) / result['seconds']:.1f}/s)", flush=True)
        profiled = {"path": args.profile or Path(folder) / "throughput.prof",
                    "articles": min(args.profile_articles, len(stream))}
        distinct = {"articles": min(len(pages), len(stream))}
        distinct.update(run(stream[:distinct["articles"]], Path(folder) / "distinct.db"))
        print(f"distinct pages: {distinct['articles']} in {distinct['seconds']:.1f} s", flush=True)
        profiled["seconds"] = profile(stream[:profiled["articles"]], Path(folder) / "profiled.db", profiled["path"])
        note = args.note or f"Load average at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())}."
        markdown = report_markdown(result, len(stream), len(pages), profiled, note, distinct)
    write_section("throughput", "Throughput — full pipeline on real HTML", markdown, path=args.results)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
