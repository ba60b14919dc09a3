"""Scale: the UCI News Aggregator headlines (422,937 rows) through the real pipeline.

Every row becomes one headline-only article (title, publisher as outlet,
TIMESTAMP as published, URL as identity), replayed in time order through
``Engine.ingest_inputs`` as ``RawInput(kind="jsonl")`` rows, exactly what
``jsonl_inputs`` would make of a JSONL export (the file read is left out, so
the figures are the pipeline's own). The stream is cut into ten equal parts
and the articles/second of each part is reported (from the ingest's
progress callback; the last part includes the end-of-ingest digest refresh),
which shows whether the cost
per article stays flat as the database and the stories grow. Each tenth
also gets the CPU seconds this process spent on it, which other processes
on a busy machine do not inflate the way they inflate wall time.

The STORY labels of this data set are crawl snapshots seconds long, not
stories, so no clustering quality is reported against them; only the number
of stories made and the largest story are given, as sanity figures.

    python bench/bench_scale.py                 # the whole set (long)
    python bench/bench_scale.py --limit 20000   # the first 20,000 rows in time order
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, data_path, describe_workers, markdown_table, peak_rss_mb, worker_usage, write_section  # noqa: E402

from newsloom import Engine  # noqa: E402
from newsloom.models import RawInput  # noqa: E402
from newsloom.nlp.entities import extract_entities_batch  # noqa: E402

DATA = ("clustering", "uci-news-aggregator.tsv.gz")
PARTS = 10
TARGET_SECONDS = 15 * 60
TARGET_RSS_MB = 4096
FLATNESS_LIMIT = 1.5
FULL_ROWS = 422_937


def read_rows(path: Path, limit: int | None) -> list[dict]:
    """The TSV rows sorted by TIMESTAMP (ties by ID); the first ``limit`` of that order."""
    csv.field_size_limit(1 << 24)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows.sort(key=lambda row: (int(row["TIMESTAMP"]), int(row["ID"])))
    return rows[:limit] if limit else rows


def row_to_input(row: dict) -> RawInput:
    """One TSV row as the JSONL reader would deliver it: the JSON line as body, the keys as hints."""
    hints = {"url": row["URL"], "title": row["TITLE"], "published": int(row["TIMESTAMP"])}
    if row["PUBLISHER"]:
        hints["outlet"] = row["PUBLISHER"]
    body = json.dumps(hints, ensure_ascii=False).encode("utf-8")
    return RawInput(origin=f"uci#{row['ID']}", body=body, kind="jsonl", content_type="application/json", hints=hints)


def run(rows: list[dict], db_path: Path, batch_size: int | None) -> dict:
    """Ingest all rows in one ``ingest_inputs`` call (as one export would be); time each tenth by its progress."""
    overrides = {"batch_size": batch_size} if batch_size else {}
    with Engine(db_path, **overrides) as engine:
        startup = _warm_up(engine)
        clock = _PartClock(len(rows))
        report = engine.ingest_inputs((row_to_input(row) for row in rows), progress=clock.progress)
        clock.close()  # the last tenth includes the end-of-ingest digest refresh
        stories = engine.store.count("stories")
        largest = engine.store.conn.execute("SELECT MAX(article_count) FROM stories").fetchone()[0] or 0
        workers = worker_usage(engine.pipeline.extractor.worker_pids())  # story builds run there
    return {"workers": workers, "parts": clock.parts, "seconds": clock.elapsed(), "startup": startup, "ingested": report.ingested, "failed": len(report.failures),
            "stories": stories, "largest_story": largest, "rss_mb": peak_rss_mb(), "db_mb": _db_megabytes(db_path)}


def _warm_up(engine: Engine) -> float:
    """Build the pipeline and load the NLP models before the clock starts, so the first tenth is not
    charged for them (which would flatter the first-to-last comparison); return the seconds it took."""
    started = time.perf_counter()
    engine.pipeline
    extract_entities_batch([("Warm-up headline for the entity model", "")])
    return time.perf_counter() - started


class _PartClock:
    """Times successive tenths of the stream from the ingest's progress callback (called after each batch)."""

    def __init__(self, total: int):
        self.total, self.parts = total, []
        self.started = self.part_started = time.perf_counter()
        self.part_cpu_started = time.process_time()
        self.part_rows_done = 0

    def progress(self, seen: int, _origin: str) -> None:
        if seen >= self.total * (len(self.parts) + 1) / PARTS and len(self.parts) < PARTS - 1:
            self._close_part(seen)

    def close(self) -> None:
        self._close_part(self.total)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _close_part(self, seen: int) -> None:
        now, cpu_now = time.perf_counter(), time.process_time()
        rows, seconds = seen - self.part_rows_done, now - self.part_started
        self.parts.append({"rows": rows, "seconds": seconds, "rate": rows / seconds if seconds else 0.0,
                           "cpu_seconds": cpu_now - self.part_cpu_started, "rss_mb": peak_rss_mb()})
        print(f"part {len(self.parts)}/{PARTS}: {rows:,} rows in {seconds:.1f} s ({self.parts[-1]['rate']:.0f}/s), "
              f"CPU {self.parts[-1]['cpu_seconds']:.1f} s, peak RSS {self.parts[-1]['rss_mb']:.0f} MB", flush=True)
        self.part_rows_done, self.part_started, self.part_cpu_started = seen, now, cpu_now


def _db_megabytes(db_path: Path) -> float:
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def report_markdown(result: dict, rows: int, read_seconds: float, note: str) -> str:
    parts = result["parts"]
    first, last = parts[0]["rate"], parts[-1]["rate"]
    slowdown = first / last if last else float("inf")
    projected = result["seconds"] * FULL_ROWS / rows if rows else 0.0
    part_rows = [[f"{(i + 1) * 10}%", p["rows"], f"{p['seconds']:.1f}", f"{p['rate']:.0f}", f"{p['rss_mb']:.0f}",
                  f"{p['cpu_seconds']:.1f}", f"{p['rows'] / p['cpu_seconds']:.0f}" if p["cpu_seconds"] else "-"]
                 for i, p in enumerate(parts)]
    cpu_first, cpu_last = (p["cpu_seconds"] / p["rows"] if p["rows"] else 0.0 for p in (parts[0], parts[-1]))
    cpu_total = sum(p["cpu_seconds"] for p in parts)
    summary = [
        ["rows ingested (headline-only articles)", f"{result['ingested']:,} of {rows:,}"],
        ["failed rows", result["failed"]],
        ["total pipeline time", f"{result['seconds']:.0f} s ({result['seconds'] / 60:.1f} min)"],
        ["mean rate", f"{rows / result['seconds']:.0f} articles/s"],
        ["CPU time of the pipeline process", f"{cpu_total:.0f} s ({cpu_total / 60:.1f} min); CPU per article last 10% / first 10%: "
                                             f"{cpu_last / cpu_first if cpu_first else float('inf'):.2f}x"],
        ["first 10% / last 10% rate", f"{first:.0f} / {last:.0f} articles/s (slowdown {slowdown:.2f}x; target <= {FLATNESS_LIMIT}x: "
                                      f"{'met' if slowdown <= FLATNESS_LIMIT else 'MISSED'})"],
        ["time target (<= 15 min for 422,937 rows)", _time_verdict(result["seconds"], projected, rows)],
        ["CPU time of the worker processes (digest and cross-check builds)", describe_workers(result.get("workers"))],
        _rss_row(result["rss_mb"], result.get("workers")),
        ["database size (with WAL)", f"{result['db_mb']:.0f} MB"],
        ["stories made / largest story", f"{result['stories']:,} / {result['largest_story']:,} articles"],
        ["not in the pipeline time: TSV read and sort / engine start-up (models)",
         f"{read_seconds:.1f} s / {result['startup']:.1f} s"],
    ]
    return "\n\n".join([
        "Each UCI row is one headline-only article (title; PUBLISHER as outlet; TIMESTAMP as published; URL as "
        "identity), replayed in TIMESTAMP order through `Engine.ingest_inputs` as `RawInput(kind=\"jsonl\")` rows "
        "shaped as `jsonl_inputs` makes them, in one ingest call, with the default settings. The STORY labels are crawl snapshots, "
        "not stories, so no clustering quality is claimed from them.",
        markdown_table(["figure", "value"], summary),
        "Rate per successive tenth of the stream:",
        markdown_table(["stream", "rows", "seconds", "articles/s", "peak RSS MB", "CPU s (this process)", "articles per CPU s"], part_rows),
        note,
    ])


def _rss_row(own_mb: float, workers: dict | None) -> list:
    """Peak memory against the target: this process's peak plus the sum of the workers' peaks (an upper bound)."""
    worker_mb = workers["rss_mb"] if workers else 0.0
    total = own_mb + worker_mb
    verdict = f"target <= 4096 MB: {'met' if total <= TARGET_RSS_MB else 'MISSED'}"
    return ["peak RSS (this process + the workers' peaks)", f"{own_mb:.0f} + {worker_mb:.0f} = {total:.0f} MB ({verdict})"]


def _time_verdict(seconds: float, projected: float, rows: int) -> str:
    if rows >= FULL_ROWS:
        return f"{seconds / 60:.1f} min: {'met' if seconds <= TARGET_SECONDS else 'MISSED'}"
    return f"not measured on the full set (projected {projected / 60:.1f} min from {rows:,} rows, at the early-stream rate)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows in time order")
    parser.add_argument("--batch-size", type=int, default=None, help="override settings.batch_size")
    parser.add_argument("--db", type=Path, default=None, help="keep the database here (default: a temporary folder)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the RESULTS.md to write the section into")
    parser.add_argument("--note", default="", help="a line added under the tables (e.g. 'measured on a busy machine')")
    args = parser.parse_args(argv)

    read_started = time.perf_counter()
    rows = read_rows(data_path(*DATA), args.limit)
    read_seconds = time.perf_counter() - read_started
    print(f"read {len(rows):,} rows in {read_seconds:.1f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsloom-scale-") as folder:
        db_path = args.db or Path(folder) / "scale.db"
        if db_path.exists():
            sys.exit(f"{db_path} exists; the benchmark needs a fresh database")
        result = run(rows, db_path, args.batch_size)
    markdown = report_markdown(result, len(rows), read_seconds, args.note or f"Load average at the end: {_load()}.")
    write_section("scale", "Scale — UCI News Aggregator, 422,937 headlines", markdown, path=args.results)
    print(markdown)
    return 0


def _load() -> str:
    try:
        return ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
