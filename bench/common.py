"""What every benchmark runner shares: where the data is, what machine ran it, and
where the figures go.

Each runner (``bench/bench_*.py``) computes its figures, newsloom and its
anchors side by side in the same run, and calls ``write_section`` to put one
Markdown table into ``bench/RESULTS.md`` between its own markers, headed by
the date, commit, CPU and package versions of that run. Runners print
figures and never fail on a slow machine; their smoke tests (tests/test_bench_*.py)
run them on a tiny slice.

This module must not be imported by the newsloom package.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
SHARED_DATA = Path(os.environ.get("NEWSLOOM_SHARED_DATA", REPO.parent / "shared" / "data"))
PACKAGES = ("newsloom", "trafilatura", "datasketch", "spacy", "scikit-learn", "numpy", "rouge-score")


def data_path(*parts: str) -> Path:
    """A path under ../shared/data; exits with a clear message when it is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        sys.exit(f"benchmark data not found: {path} (see ../shared/data/README.md; set NEWSLOOM_SHARED_DATA)")
    return path


def has_data(*parts: str) -> bool:
    return SHARED_DATA.joinpath(*parts).exists()


def commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return sha + ("+changes" if dirty else "") if sha else "unknown"
    except OSError:
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def environment_line() -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"_Run {now}, commit `{commit()}`, {os.cpu_count()} CPUs ({cpu_model()}), "
            f"Python {platform.python_version()}; {versions()}; "
            f"1-minute load average at the start {os.getloadavg()[0]:.1f} (1 or less: an idle machine)._")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_usage(pids: list[int]) -> dict | None:
    """CPU seconds and peak resident memory (MB) summed over worker processes, read from /proc while they run
    (they are the children of a fork server, so this process's rusage does not count them); None without /proc."""
    cpu, rss = 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return None
        cpu += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)
        peak = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        rss += int(peak.group(1)) / 1024 if peak else 0.0
    return {"cpu_seconds": cpu, "rss_mb": rss, "workers": len(pids)}


def describe_workers(workers: dict | None, with_memory: bool = False) -> str:
    """``worker_usage``'s figures in words: CPU over the workers (and their summed peak RSS), or why none."""
    if not workers or not workers["workers"]:
        return "none started" if workers is not None else "not read (no /proc)"
    text = f"{workers['cpu_seconds']:.0f} s over {workers['workers']} workers"
    return text + f" / {workers['rss_mb']:.0f} MB" if with_memory else text


def write_section(name: str, title: str, body: str, path: Path = RESULTS) -> None:
    """Put (or replace) one benchmark's section in RESULTS.md, between its markers."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n## {title}\n\n{environment_line()}\n\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else "# newsloom benchmarks\n\nWritten by `make bench`; each section by its runner.\n"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


def markdown_table(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Item-averaged BCubed precision, recall and F1 of a clustering against gold labels."""
    predicted_members: dict[str, set[str]] = {}
    gold_members: dict[str, set[str]] = {}
    for item, label in predicted.items():
        predicted_members.setdefault(label, set()).add(item)
    for item, label in gold.items():
        gold_members.setdefault(label, set()).add(item)
    precision = recall = 0.0
    for item in gold:
        mine, truth = predicted_members[predicted[item]], gold_members[gold[item]]
        overlap = len(mine & truth)
        precision += overlap / len(mine)
        recall += overlap / len(truth)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
