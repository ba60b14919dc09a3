"""The repost set of the dedup benchmark, built from the 181 ScrapingHub article bodies.

For each page: copies a crawler really meets (site chrome and a disclaimer
added, truncated to 60%, paragraphs dropped, reordered, a new headline on
another outlet, tracking parameters on the URL), round-ups that quote two
pages' leads (negatives), and the page pairs used as negatives (same host,
most similar topic). See bench_dedup.py's docstring for how it is scored.
Everything is deterministic (fixed seeds, fixed times).
"""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from newsloom.extract import canonical_url
from newsloom.models import Article, stable_id
from newsloom.nlp.text import split_sentences

T0 = datetime(2024, 3, 4, 6, 0, tzinfo=timezone.utc)
COPY_KINDS = ("chrome", "truncated", "dropped", "reordered", "syndicated")
ALL_KINDS = (*COPY_KINDS, "tracking-url")
COPY_DELAY_HOURS = {"syndicated": 1, "chrome": 3, "truncated": 5, "dropped": 8, "reordered": 11, "tracking-url": 19}
LATE_ORIGINAL_EVERY = 9
LATE_ORIGINAL_HOURS = 40
TRUNCATE_SHARE = 0.6
SAME_TOPIC_PAIRS = 20
ANCHOR_JACCARD = 0.5
NUM_PERM = 128

REPOST_HOSTS = ["newsmirror.example", "dailyfeedhub.example", "thewirereader.example", "buzzdigest.example",
                "localpulse.example", "aggregatr.example", "frontpagenow.example"]
CATEGORIES = ["TECHNOLOGY", "World News »", "Category: Business", "Trending", "LIFESTYLE & CULTURE", "Top Stories"]
POSTED = ["Posted: {date:%b %d, %Y} at {date:%I:%M %p}", "Posted on {date:%d %B %Y} by admin",
          "Posted: {date:%Y-%m-%d %H:%M} UTC", "Posted {date:%A, %B %d} | Staff"]
DISCLAIMERS = [
    "This article first appeared on {host} and is republished here for information only.",
    "Disclaimer: this story was reposted from {host}. All rights belong to the original publisher.",
    "Originally published at {host}. Views expressed are the author's own.",
    "Source: {host}. We share this content under fair use; contact us to have it removed.",
]
EMBEDS = [
    "pic.twitter.com/{tag} — Newsdesk (@newsdesk_{n}) {date:%B %d, %Y}",
    "View this post on Instagram\nA post shared by Daily Snaps (@dailysnaps{n}) on {date:%b %d, %Y at %I:%M%p}",
    "Watch: {tag} via YouTube — 2:{n:02d}",
]
READ_MORE = ["Read more at {host}", "Continue reading the full story on {host} …", "Click here to read the rest »"]
SIGNOFFS = ["Follow us on Twitter and Facebook for the latest updates.",
            "Sign up for our daily newsletter to get stories like this in your inbox.",
            "Have a tip? Email the newsroom; we read every message."]
SYNDICATED_PREFIX = ["", "Explainer: ", "What we know: ", "Report: ", "Analysis | "]
ROUNDUP_HOST = "morningroundup.example"
ROUNDUP_SHARE = 0.3
ROUNDUP_MAX_WORDS = 60  # a round-up quotes a lead, not a long passage
ROUNDUP_INTROS = ("Two reads for your {day:%A}. First up, {title}:", "Our pick of the morning starts with {title}.",
                  "If you read one thing today, make it {title}.", "Start here: {title}, as reported on {host}.")
ROUNDUP_BRIDGES = ("Also worth your time is {title}, from {host}:", "On a related note, {host} ran {title}.",
                   "{title} takes the same subject further ({host}).")
ROUNDUP_CLOSINGS = ("That is all for round-up number {number}; reply with what we missed.",
                    "Round-up {number} will be updated as both stories develop.",
                    "Forward round-up {number} to a friend who would enjoy it.")


@dataclass(frozen=True)
class Page:
    page_id: str
    url: str
    title: str
    body: str


@dataclass(frozen=True)
class Item:
    """One article of the stream and what it truly is."""

    article: Article
    page_id: str  # the page group it belongs to
    kind: str  # "original" or a variant kind
    arrival: datetime  # the stream is fed in arrival order

    @property
    def is_copy(self) -> bool:
        return self.kind in COPY_KINDS


# --- loading the pages ----------------------------------------------------------------------------------


def load_pages(folder: Path, limit: int | None) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text())
    pages = []
    for page_id in sorted(truth)[:limit]:
        body = truth[page_id]["articleBody"].strip()
        raw_html = gzip.open(folder / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8", errors="replace").read()
        title = page_title(raw_html) or body.split("\n", 1)[0][:150]
        pages.append(Page(page_id, truth[page_id]["url"], title, body))
    return pages


def page_title(raw_html: str) -> str:
    """og:title, else <title>, unescaped; '' when neither is there."""
    for pattern in (r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']+)",
                    r"<title[^>]*>(.*?)</title>"):
        match = re.search(pattern, raw_html, re.I | re.S)
        if match and match.group(1).strip():
            return " ".join(html.unescape(match.group(1)).split())
    return ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def with_site_signoffs(pages: list[Page]) -> list[Page]:
    """Pages of a host with several pages end with that site's sign-off (a shared-chrome trap)."""
    by_host = defaultdict(list)
    for page in pages:
        by_host[host_of(page.url)].append(page.page_id)
    shared = {host: SIGNOFFS[i % len(SIGNOFFS)] for i, host in enumerate(sorted(h for h, ids in by_host.items() if len(ids) > 1))}
    return [replace(p, body=p.body + "\n\n" + shared[host_of(p.url)]) if host_of(p.url) in shared else p for p in pages]


# --- building the stream --------------------------------------------------------------------------------


def build_stream(pages: list[Page]) -> list[Item]:
    """Originals and their copies, in arrival order (ties: page order, originals first)."""
    items = []
    for index, page in enumerate(pages):
        published = T0 + timedelta(hours=index)
        late = index % LATE_ORIGINAL_EVERY == LATE_ORIGINAL_EVERY - 1
        arrival = published + timedelta(hours=LATE_ORIGINAL_HOURS if late else 0)
        items.append(Item(make_article(page.url, page.title, page.body, published), page.page_id, "original", arrival))
        rng = random.Random(page.page_id)
        for kind in ALL_KINDS:
            copy_arrival = published + timedelta(hours=COPY_DELAY_HOURS[kind] + index % 4)
            # The tracking URL is the same page seen again: it carries the page's own publication time.
            copy_published = published if kind == "tracking-url" else copy_arrival
            items.append(Item(make_variant(kind, page, index, copy_published, rng), page.page_id, kind, copy_arrival))
    return in_arrival_order(items)


def in_arrival_order(items: list[Item]) -> list[Item]:
    order = {kind: rank for rank, kind in enumerate(("original", *ALL_KINDS, "roundup"))}
    return sorted(items, key=lambda item: (item.arrival, item.page_id, order[item.kind]))


def make_article(url: str, title: str, text: str, published: datetime) -> Article:
    article_id = stable_id("url", canonical_url(url))
    return Article(id=article_id, raw_id=article_id, title=title, text=text, extracted_text=text, url=url,
                   published_at=published, outlet=host_of(url), ingested_at=published)


def make_variant(kind: str, page: Page, index: int, published: datetime, rng: random.Random) -> Article:
    host = REPOST_HOSTS[(index + ALL_KINDS.index(kind)) % len(REPOST_HOSTS)]
    url = f"https://{host}/{published:%Y/%m}/{kind}-{page.page_id[:10]}"
    if kind == "tracking-url":
        joiner = "&" if "?" in page.url else "?"
        return make_article(f"{page.url}{joiner}utm_source=twitter&utm_medium=social&utm_campaign=c{index}",
                            page.title, page.body, published)
    if kind == "syndicated":
        return make_article(url, syndicated_headline(page, index), page.body, published)
    text = {"chrome": with_chrome, "truncated": truncated, "dropped": dropped, "reordered": reordered}[kind](
        page, index, published, rng)
    return make_article(url, page.title, text, published)


def with_chrome(page: Page, index: int, published: datetime, rng: random.Random) -> str:
    parts = page.body.split("\n\n") if "\n\n" in page.body else page.body.split("\n")
    embed = EMBEDS[index % len(EMBEDS)].format(tag=f"x{index:03d}q{rng.randrange(10**6)}", n=index % 60, date=published)
    at = max(1, len(parts) // 3)
    header = [CATEGORIES[index % len(CATEGORIES)], POSTED[index % len(POSTED)].format(date=published)]
    disclaimer = DISCLAIMERS[index % len(DISCLAIMERS)].format(host=host_of(page.url))
    return "\n\n".join(header + parts[:at] + [embed] + parts[at:] + [disclaimer])


def truncated(page: Page, index: int, published: datetime, rng: random.Random) -> str:
    """The first 60% of the words (line breaks kept), then a 'read more' line."""
    tokens = re.findall(r"\S+\s*", page.body)
    teaser = "".join(tokens[: round(len(tokens) * TRUNCATE_SHARE)]).rstrip()
    return teaser + " …\n\n" + READ_MORE[index % len(READ_MORE)].format(host=host_of(page.url))


def units(text: str) -> tuple[list[str], str]:
    """Paragraphs when there are four or more, else sentences; and the joiner that puts them back."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) >= 4:
        return paragraphs, "\n\n"
    return split_sentences(text), " "


def dropped(page: Page, index: int, published: datetime, rng: random.Random) -> str:
    """About a third of the paragraphs (never the first) left out."""
    parts, joiner = units(page.body)
    if len(parts) < 3:
        return page.body
    droppable = list(range(1, len(parts)))
    gone = set(rng.sample(droppable, max(1, len(parts) // 3)))
    return joiner.join(part for position, part in enumerate(parts) if position not in gone)


def reordered(page: Page, index: int, published: datetime, rng: random.Random) -> str:
    parts, joiner = units(page.body)
    shuffled = parts[:]
    while len(parts) > 1 and shuffled == parts:
        rng.shuffle(shuffled)
    return joiner.join(shuffled)


def syndicated_headline(page: Page, index: int) -> str:
    """Another outlet's headline: a prefix and the first words of the lead."""
    lead = split_sentences(page.body)[0].split()
    return SYNDICATED_PREFIX[index % len(SYNDICATED_PREFIX)] + " ".join(lead[:10]).rstrip(".,;:")


# --- the negatives ---------------------------------------------------------------------------------------


def negative_pairs(pages: list[Page]) -> dict[str, list[tuple[str, str]]]:
    """Same-host page pairs, and the most similar page pairs by TF-IDF cosine (different articles)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_host = defaultdict(list)
    for page in pages:
        by_host[host_of(page.url)].append(page.page_id)
    same_host = [(a, b) for ids in by_host.values() for i, a in enumerate(ids) for b in ids[i + 1:]]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([p.body for p in pages])
    cosine = (matrix @ matrix.T).toarray()
    scored = [(cosine[i, j], pages[i].page_id, pages[j].page_id)
              for i in range(len(pages)) for j in range(i + 1, len(pages))]
    top = sorted(scored, reverse=True)[:SAME_TOPIC_PAIRS]
    return {"same-host": same_host, "same-topic": [(a, b) for _, a, b in top],
            "cosine": [top[0][0], top[-1][0]] if top else [0.0, 0.0]}


def roundups(pages: list[Page], stream: list[Item], same_topic: list[tuple[str, str]]) -> list[Item]:
    """One round-up per same-topic pair, quoting both leads, published two hours after the later page."""
    by_id = {page.page_id: page for page in pages}
    published = {item.page_id: item.article.published_at for item in stream if item.kind == "original"}
    items = []
    for number, (first, second) in enumerate(same_topic):
        when = max(published[first], published[second]) + timedelta(hours=2)
        one, other = by_id[first], by_id[second]
        text = "\n\n".join([
            ROUNDUP_INTROS[number % len(ROUNDUP_INTROS)].format(day=when, title=one.title, host=host_of(one.url)),
            lead(one.body),
            ROUNDUP_BRIDGES[number % len(ROUNDUP_BRIDGES)].format(title=other.title, host=host_of(other.url)),
            lead(other.body),
            ROUNDUP_CLOSINGS[number % len(ROUNDUP_CLOSINGS)].format(number=number + 1),
        ])
        url = f"https://{ROUNDUP_HOST}/{when:%Y/%m/%d}/roundup-{number}"
        article = make_article(url, f"Round-up: {by_id[first].title[:60]}", text, when)
        items.append(Item(article, f"roundup-{number}", "roundup", when))
    return items


def lead(body: str) -> str:
    """The opening sentences of a text: at most ``ROUNDUP_SHARE`` of its words and ``ROUNDUP_MAX_WORDS``, at least 8."""
    budget, taken = min(ROUNDUP_MAX_WORDS, max(8, int(len(body.split()) * ROUNDUP_SHARE))), []
    for sentence in split_sentences(body):
        room = budget - sum(len(s.split()) for s in taken)
        if room <= 0:
            break
        taken.append(" ".join(sentence.split()[:room]))
    return " ".join(taken)


# --- the methods -----------------------------------------------------------------------------------------
