"""Benchmark article-body extraction on the ScrapingHub set (181 pages, 126 hosts).

    python bench/bench_extraction.py [--limit N] [--results PATH] [--data PATH]

What is scored. newsloom's body is what it stores as ``Article.text`` for an
HTML page: ``extract_article`` on the page, then ``clean_text`` exactly as
``pipeline.read_articles`` runs it (no learned per-outlet memory: the pages
come from 126 hosts, so none would be learned). The anchors run on the same
pages in the same process: plain ``trafilatura.extract`` with its defaults,
with ``favor_recall=True`` and with ``favor_precision=True``.

The metric is the upstream one, re-implemented from its description
(``shared/data/README.md`` section 1):

1. tokens are ``\\w+`` matches, shingles are 4-grams of tokens (a text of
   1-3 tokens is one shingle);
2. per page, multiset TP/FP/FN over the shingles, normalised to sum to 1;
3. precision is the mean per-page precision over pages with TP+FP > 0, recall
   the mean per-page recall over pages with TP+FN > 0, F1 = 2PR/(P+R) of those
   two means; accuracy is the share of pages whose token sequence matches;
4. ± is the standard deviation of F1 over 1,000 bootstrap resamples of the
   pages (fixed seed).

Also reported: title agreement (there is no gold title: newsloom's title is
compared with the page's own ``<h1>`` headline), pages per second, the five
worst pages for newsloom with a one-line diagnosis, and a split-half check
(even-indexed pages, sorted by id, were the ones looked at while choosing the
extraction rules; the odd-indexed half is reported separately).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, SHARED_DATA, markdown_table, write_section  # noqa: E402

from newsloom.clean import clean_article  # noqa: E402
from newsloom.errors import NewsloomError  # noqa: E402
from newsloom.extract import extract_article  # noqa: E402
from newsloom.models import RawInput  # noqa: E402

SHINGLE = 4
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20191119
WORST_SHOWN = 5
TARGET_F1 = 0.970  # the best published figure on this set
TOKEN_RE = re.compile(r"\w+")
_H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class Page:
    page_id: str
    url: str
    html: str
    gold: str


@dataclass
class PageScore:
    """Shingle counts of one page, normalised so that TP + FP + FN = 1."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None


@dataclass
class SystemRun:
    name: str
    texts: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    uncleaned: dict[str, str] = field(default_factory=dict)  # newsloom only: the text before cleaning
    seconds: float = 0.0


# --- data -------------------------------------------------------------------------


def load_pages(folder: Path, limit: int | None = None) -> list[Page]:
    """Pages sorted by id (the order the split-half check indexes)."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[: limit or None]:
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append(Page(page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


# --- the metric ---------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(token_list: list[str]) -> Counter:
    if 0 < len(token_list) < SHINGLE:
        return Counter([tuple(token_list)])
    return Counter(tuple(token_list[i : i + SHINGLE]) for i in range(len(token_list) - SHINGLE + 1))


def score_page(predicted: str, gold: str) -> PageScore:
    predicted_tokens, gold_tokens = tokens(predicted), tokens(gold)
    predicted_shingles, gold_shingles = shingles(predicted_tokens), shingles(gold_tokens)
    tp = sum((predicted_shingles & gold_shingles).values())
    fp = sum(predicted_shingles.values()) - tp
    fn = sum(gold_shingles.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, predicted_tokens == gold_tokens)
    return PageScore(tp / total, fp / total, fn / total, predicted_tokens == gold_tokens)


def aggregate(scores: list[PageScore]) -> tuple[float, float, float, float]:
    """(precision, recall, F1, accuracy) over pages, as the upstream benchmark defines them."""
    precisions = [s.precision for s in scores if s.precision is not None]
    recalls = [s.recall for s in scores if s.recall is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    return precision, recall, f1, accuracy


def bootstrap_std(scores: list[PageScore], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> float:
    """Standard deviation of F1 over resamples of the pages with replacement."""
    if len(scores) < 2:
        return 0.0
    rng = random.Random(seed)
    values = [aggregate(rng.choices(scores, k=len(scores)))[2] for _ in range(resamples)]
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5


# --- the systems ------------------------------------------------------------------


def newsloom_body(page: Page) -> tuple[str, str, str | None]:
    """(text, title, text before cleaning) as newsloom stores them; empty when it refuses the page."""
    raw = RawInput(origin=page.url, body=page.html.encode("utf-8"), kind="html", hints={"url": page.url})
    try:
        article = extract_article(raw)
    except NewsloomError:
        return "", "", ""
    clean_article(article)
    return article.text, article.title, article.extracted_text


def trafilatura_body(**options):
    import trafilatura

    def run(page: Page) -> tuple[str, str, None]:
        return trafilatura.extract(page.html, url=page.url, **options) or "", "", None

    return run


SYSTEMS = {
    "newsloom": newsloom_body,
    "trafilatura default": trafilatura_body(),
    "trafilatura favor_recall": trafilatura_body(favor_recall=True),
    "trafilatura favor_precision": trafilatura_body(favor_precision=True),
}


def run_system(name: str, pages: list[Page]) -> SystemRun:
    run = SystemRun(name)
    body = SYSTEMS[name]
    body(pages[0])  # warm-up, not timed: imports and first-call set-up are not per-page costs
    started = time.perf_counter()
    for page in pages:
        text, title, uncleaned = body(page)
        run.texts[page.page_id], run.titles[page.page_id] = text, title
        if uncleaned is not None:
            run.uncleaned[page.page_id] = uncleaned
    run.seconds = time.perf_counter() - started
    return run


# --- titles and diagnoses ---------------------------------------------------------------


def page_headline(html: str) -> str | None:
    """The page's first non-empty ``<h1>``, as text."""
    for match in _H1_RE.finditer(html):
        text = " ".join(_TAG_RE.sub(" ", match.group(1)).split())
        if tokens(text):
            return text
    return None


def title_agreement(pages: list[Page], titles: dict[str, str]) -> tuple[int, int, int]:
    """(pages with an <h1>, titles equal to it token for token, titles containing it)."""
    with_h1 = equal = contained = 0
    for page in pages:
        headline = page_headline(page.html)
        if headline is None:
            continue
        with_h1 += 1
        wanted = [t.lower() for t in tokens(headline)]
        got = [t.lower() for t in tokens(titles.get(page.page_id, ""))]
        equal += got == wanted
        contained += got == wanted or " ".join(wanted) in " ".join(got)
    return with_h1, equal, contained


def diagnose(predicted: str, gold: str) -> str:
    """One line on what went wrong: which gold paragraphs are missing, what extra text was kept."""
    if not tokens(predicted):
        return "nothing extracted (page refused or empty)"
    gold_shingles = shingles(tokens(gold))
    predicted_shingles = shingles(tokens(predicted))
    missing = [p for p in _paragraphs(gold) if not _covered(p, predicted_shingles)]
    extra = [p for p in _paragraphs(predicted) if not _covered(p, gold_shingles)]
    parts = []
    if missing:
        where = "lead" if _paragraphs(gold)[0] in missing else "later paragraphs"
        parts.append(f"missed {len(missing)} gold paragraph(s) incl. {where}, e.g. {_quote(missing[0])}")
    if extra:
        parts.append(f"kept {len(extra)} extra paragraph(s), e.g. {_quote(extra[0])}")
    return "; ".join(parts) or "same paragraphs, differences inside them (joining, captions)"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n+", text) if tokens(p)]


def _covered(paragraph: str, reference: Counter) -> bool:
    own = shingles(tokens(paragraph))
    return sum((own & reference).values()) >= 0.5 * sum(own.values())


def _quote(text: str, width: int = 70) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return "“" + (text[:width] + "…" if len(text) > width else text) + "”"


# --- report -----------------------------------------------------------------------------


def score_run(run: SystemRun, pages: list[Page]) -> dict[str, PageScore]:
    return {page.page_id: score_page(run.texts[page.page_id], page.gold) for page in pages}


def figures_row(name: str, scores: list[PageScore], pages_per_second: float | None = None) -> list:
    precision, recall, f1, accuracy = aggregate(scores)
    row = [name, precision, recall, f"{f1:.3f} ± {bootstrap_std(scores):.3f}", accuracy]
    return row + ([f"{pages_per_second:.1f}" if pages_per_second else "—"] if pages_per_second is not None else [])


def report(pages: list[Page], runs: list[SystemRun]) -> str:
    scored = {run.name: score_run(run, pages) for run in runs}
    rows = [figures_row(run.name, list(scored[run.name].values()), len(pages) / max(run.seconds, 1e-9)) for run in runs]
    rows += [figures_row(f"{run.name}, before cleaning", [score_page(run.uncleaned[p.page_id], p.gold) for p in pages], 0.0)
             for run in runs if run.uncleaned]
    table = markdown_table(["system", "P", "R", "F1 ±", "accuracy", "pages/s"], rows)
    halves = [figures_row(f"{run.name}, {half}", [scored[run.name][p.page_id] for p in pages[start::2]])
              for run in runs for half, start in (("even (chosen on)", 0), ("odd (held out)", 1))]
    split_table = markdown_table(["system, half", "P", "R", "F1 ±", "accuracy"], halves)
    sections = [f"{len(pages)} pages, all systems in this run, one process. F1 is of the mean P and R "
                f"(shown to 3 places: newsloom's unrounded F1 is {aggregate(list(scored[runs[0].name].values()))[2]:.4f}).\n\n"
                + table, _published_note(),
                "**Split-half check** (pages sorted by id; the extraction rules were chosen looking at the even-indexed "
                "pages only):\n\n" + split_table]
    if runs[0].name == "newsloom":
        sections += [_verdict(pages, scored), _titles_note(pages, runs[0]), _worst_note(pages, runs[0], scored[runs[0].name])]
    sections.append(NOTES)
    return "\n\n".join(sections)


NOTES = """**Notes.**
- newsloom's body is trafilatura's precision pass with the gaps *inside* it filled from its balanced pass
  (`extract._body_from_passes`), tables kept, then `clean_text` without learned memory. The fill rule and
  `include_tables` were chosen on the even-indexed pages. The fallback to the balanced pass when the precision
  pass keeps under a tenth of its words (`PRECISE_MIN_SHARE`) was added after the full-set worst-page list showed
  a held-out page (barrons.com, precision pass kept only a reprints notice), so the odd half is not fully clean
  of that one look; it changes no even-indexed page.
- The balanced pass runs only as far as it can change that body (`extract._balanced_pass_need`): not at all when
  the precision paragraphs sit back to back in the page's visible text (about a third of these pages), in
  trafilatura's fast mode when it can only fill gaps, in full when the precision pass may have missed the article.
  When this was added (2026-11-22) the bodies were identical, page by page, to running both passes in full.
- An article body split into same-class sibling chunks is joined before the passes (`extract._join_split_body`).
  It was found in the full-set worst-page list (two held-out wired.com pages that lost all but the first chunk);
  it fires on those two pages and on no even-indexed page, so the odd half's gain from it is not held-out evidence.
- Cleaning rules added on 2026-11-22 ("SEE MORE:" and "Related posts:" labels, a lone "More:", a headline tagged
  "[VIDEO]", phone numbers no longer read as timestamps) came from a listing of such lines over both halves.
- The "before cleaning" row scores `Article.extracted_text`. Cleaning removes, by design, embedded social posts,
  disclaimers and datelines-as-labels that this ground truth counts as body text (and title repeats and promo
  lines that it does not), so it trades recall for precision.
- pages/s are single-process wall-clock figures on this 2-core machine (its load is in the run line);
  newsloom runs up to two trafilatura passes per page and also extracts metadata, so it is the slowest by design.
- The anchors are the installed trafilatura (see the versions line), not the 2.0.0 of the published figure."""


def _published_note() -> str:
    return ("Published on this set (upstream README): trafilatura 2.0.0 F1 0.958 ± 0.006 (P 0.938, R 0.978); "
            "best, AutoExtract (commercial) and rs_trafilatura (Rust port), F1 0.970. Target for newsloom: "
            "F1 ≥ 0.970 and never below plain trafilatura in the same run.")


def _verdict(pages: list[Page], scored: dict[str, dict[str, PageScore]]) -> str:
    """Target check on unrounded figures: F1 >= TARGET_F1, and not below plain trafilatura in this run."""
    f1 = aggregate(list(scored["newsloom"].values()))[2]
    held_out = aggregate([scored["newsloom"][p.page_id] for p in pages[1::2]])[2]
    lines = [f"**Target** F1 ≥ {TARGET_F1:.3f}: newsloom {f1:.4f} on all pages, {held_out:.4f} on the held-out half — "
             + ("met." if f1 >= TARGET_F1 and held_out >= TARGET_F1 else "not met.")]
    if "trafilatura default" in scored:
        plain = aggregate(list(scored["trafilatura default"].values()))[2]
        lines.append(f"Against plain trafilatura in this run: {f1:.4f} vs {plain:.4f} ({f1 - plain:+.4f}).")
    return " ".join(lines)


def _titles_note(pages: list[Page], run: SystemRun) -> str:
    with_h1, equal, contained = title_agreement(pages, run.titles)
    if not with_h1:
        return "**Titles**: no page has an `<h1>`; title agreement not measured."
    return (f"**Titles** (no gold title exists; agreement with the page's own first `<h1>`, case-insensitive tokens): "
            f"{with_h1} of {len(pages)} pages have an `<h1>`; newsloom's title equals it on {equal} "
            f"({equal / with_h1:.1%}) and contains it on {contained} ({contained / with_h1:.1%}). An `<h1>` is "
            "sometimes the site's logo or a section name, so this understates title quality.")


def _worst_note(pages: list[Page], run: SystemRun, scores: dict[str, PageScore]) -> str:
    def page_f1(score: PageScore) -> float:
        return 2 * score.tp / (2 * score.tp + score.fp + score.fn) if score.tp else 0.0

    worst = sorted(pages, key=lambda p: page_f1(scores[p.page_id]))[:WORST_SHOWN]
    rows = [[p.url.split("//")[-1][:60], f"{page_f1(scores[p.page_id]):.3f}",
             diagnose(run.texts[p.page_id], p.gold)] for p in worst]
    return "**Worst pages for newsloom** (per-page shingle F1):\n\n" + markdown_table(["page", "F1", "diagnosis"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="RESULTS.md to write the section into")
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "extraction" / "scrapinghub")
    parser.add_argument("--systems", nargs="*", default=list(SYSTEMS), choices=list(SYSTEMS))
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found: {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.limit)
    runs = [run_system(name, pages) for name in args.systems]
    body = report(pages, runs)
    print(body)
    write_section("extraction", f"Extraction — ScrapingHub article bodies ({len(pages)} pages)", body, path=args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
