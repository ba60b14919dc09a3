"""The bundled demo corpus (``examples/demo-corpus``) is well-formed and matches its answer key.

These tests read the corpus files directly (regex for HTML, feedparser for feeds,
json for JSONL) so they do not depend on newsloom's own ingest code: they pin the
input of ``make demo`` and of the end-to-end test, not the engine.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "demo-corpus"
EXPECTED = json.loads((CORPUS / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = EXPECTED["articles"]


def _meta(page: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta\s+{attribute}="{re.escape(name)}"\s+content="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def _paragraphs_from_html(fragment: str) -> list[str]:
    """Bare ``<p>`` elements only: classed ones are bylines, promos and credits."""
    return [html.unescape(p).strip() for p in re.findall(r"<p>(.*?)</p>", fragment, flags=re.S)]


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _text_file_parts(path: Path) -> tuple[str, list[str]]:
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return blocks[0], blocks[1:]


def _load_html() -> dict[str, dict]:
    found = {}
    for path in sorted((CORPUS / "html").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
        article = re.search(r"<article\b.*?</article>", page, flags=re.S).group(0)
        found[canonical] = {
            "path": path,
            "page": page,
            "title": _meta(page, "property", "og:title"),
            "outlet": _meta(page, "property", "og:site_name"),
            "published": _meta(page, "property", "article:published_time"),
            "author": _meta(page, "name", "author"),
            "paragraphs": _paragraphs_from_html(article),
        }
    return found


def _load_feeds() -> dict[str, feedparser.FeedParserDict]:
    return {path.name: feedparser.parse(path.read_bytes()) for path in sorted((CORPUS / "feeds").glob("*.xml"))}


def _load_feed_entries() -> dict[str, dict]:
    found = {}
    for feed in _load_feeds().values():
        for entry in feed.entries:
            found[entry.link] = {
                "title": entry.title,
                "outlet": feed.feed.title,
                "published": entry.get("published"),
                "author": entry.get("author"),
                "paragraphs": _paragraphs_from_html(entry.content[0].value),
            }
    return found


def _load_jsonl() -> list[dict]:
    lines = (CORPUS / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _load_all() -> dict[str, dict]:
    """Article key (URL, or ``file:text/<name>``) -> title and report paragraphs."""
    found: dict[str, dict] = {}
    found.update(_load_html())
    found.update(_load_feed_entries())
    for row in _load_jsonl():
        text = row.get("text", "")
        found[row["url"]] = {"title": row["title"], "paragraphs": [p for p in text.split("\n\n") if p.strip()]}
    for path in sorted((CORPUS / "text").glob("*.txt")):
        title, paragraphs = _text_file_parts(path)
        found[f"file:text/{path.name}"] = {"title": title, "paragraphs": paragraphs}
    return found


ALL = _load_all()


def test_answer_key_lists_exactly_the_articles_in_the_files():
    assert set(ARTICLES) == set(ALL)
    assert 40 <= len(ARTICLES) <= 60


def test_answer_key_titles_match_the_files():
    for key, found in ALL.items():
        assert ARTICLES[key]["title"] == found["title"], key


def test_corpus_has_six_to_eight_news_outlets_and_eight_to_ten_events():
    outlets = {a["outlet"] for a in ARTICLES.values() if a["copy_kind"] != "repost"}
    assert 6 <= len(outlets) <= 8
    assert 8 <= len(EXPECTED["events"]) <= 10
    assert {a["event"] for a in ARTICLES.values()} == set(EXPECTED["events"])


def test_every_event_has_three_articles_from_three_to_seven_outlets():
    by_event = defaultdict(list)
    for article in ARTICLES.values():
        by_event[article["event"]].append(article)
    for event, articles in by_event.items():
        assert len(articles) >= 3, event
        outlets = {a["outlet"] for a in articles if a["copy_kind"] != "repost"}
        assert 3 <= len(outlets) <= 7, event


def test_articles_of_one_event_are_published_within_three_days():
    by_event = defaultdict(list)
    for article in ARTICLES.values():
        if article["published"]:
            by_event[article["event"]].append(datetime.fromisoformat(article["published"].replace("Z", "+00:00")))
    for event, dates in by_event.items():
        assert (max(dates) - min(dates)).days <= 3, event


def test_format_counts_meet_the_ingest_paths():
    formats = Counter(a["format"] for a in ARTICLES.values())
    assert formats["html"] >= 8
    assert formats["rss"] >= 6
    assert formats["atom"] >= 4
    assert formats["jsonl"] >= 10
    reposts = [k for k, a in ARTICLES.items() if a["copy_kind"] == "repost"]
    plain = [k for k, a in ARTICLES.items() if a["format"] == "text" and a["copy_kind"] != "repost"]
    assert len(reposts) == 2
    assert 2 <= len(plain) <= 4


def test_full_articles_are_short_news_reports():
    for key, found in ALL.items():
        if ARTICLES[key]["copy_kind"] == "repost" or not found["paragraphs"]:
            continue
        assert 4 <= len(found["paragraphs"]) <= 10, key
        assert 120 <= _words(found["paragraphs"]) <= 350, key


def test_html_pages_carry_the_metadata_and_chrome_extractors_expect():
    pages = _load_html()
    assert len(pages) >= 8
    for url, page in pages.items():
        assert '<html lang="en">' in page["page"], url
        assert page["title"] and page["outlet"] and page["author"], url
        assert re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\dZ", page["published"]), url
        assert page["published"] == ARTICLES[url]["published"]
        assert page["outlet"] == ARTICLES[url]["outlet"]
        for chrome in ("<nav", "<footer", "cookie", "comments"):
            assert chrome in page["page"].lower(), (url, chrome)


def test_feeds_parse_without_bozo_errors():
    feeds = _load_feeds()
    assert len(feeds) == 2
    versions = {feed.version for feed in feeds.values()}
    assert versions == {"rss20", "atom10"}
    for name, feed in feeds.items():
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        minimum = 6 if feed.version == "rss20" else 4
        assert len(feed.entries) >= minimum, name
        for entry in feed.entries:
            assert entry.link and entry.title and entry.get("published") and entry.get("author"), name
            assert entry.content[0].value.startswith("<p>"), name


def test_rss_items_carry_guid_and_full_content():
    raw = (CORPUS / "feeds" / "northfield-courier-world.rss.xml").read_text(encoding="utf-8")
    for field in ("<guid", "<pubDate>", "<dc:creator>", "<content:encoded><![CDATA[<p>"):
        assert raw.count(field) >= 6, field


def test_jsonl_rows_have_the_wire_keys_and_two_are_title_only():
    rows = _load_jsonl()
    assert len(rows) >= 10
    for row in rows:
        assert {"url", "title", "published", "source"} <= set(row), row["url"]
        assert re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["published"])
        assert row["source"] == ARTICLES[row["url"]]["outlet"]
    title_only = [row for row in rows if "text" not in row]
    assert len(title_only) == 2


def test_urls_are_unique_and_each_outlet_has_one_domain():
    urls = [k for k in ARTICLES if not k.startswith("file:")]
    assert len(urls) == len(set(urls))
    hosts = defaultdict(set)
    for url in urls:
        hosts[ARTICLES[url]["outlet"]].add(urlparse(url).hostname)
    for outlet, outlet_hosts in hosts.items():
        assert len(outlet_hosts) == 1, outlet
        assert next(iter(outlet_hosts)).endswith(".example"), outlet
    assert len({h for hs in hosts.values() for h in hs}) == len(hosts)


def test_only_the_raw_reposts_lack_a_published_date():
    for key, article in ARTICLES.items():
        if article["copy_kind"] == "repost":
            assert article["published"] is None, key
        else:
            assert article["published"], key


def test_every_copy_points_to_an_original_of_the_same_event():
    kinds = Counter()
    for key, article in ARTICLES.items():
        if article["copy_of"] is None:
            assert article["copy_kind"] is None, key
            continue
        original = ARTICLES[article["copy_of"]]
        assert original["event"] == article["event"], key
        assert original["copy_of"] is None, key
        assert original["outlet"] != article["outlet"], key
        kinds[article["copy_kind"]] += 1
    assert kinds == {"repost": 2, "syndicated": 1}


def test_reposts_contain_their_originals_report_paragraphs_verbatim():
    for key, article in ARTICLES.items():
        if article["copy_kind"] != "repost":
            continue
        text = (CORPUS / key.removeprefix("file:")).read_text(encoding="utf-8")
        blocks = [b.strip() for b in text.split("\n\n")]
        original = ALL[article["copy_of"]]["paragraphs"]
        kept = [p for p in original if p in blocks]
        assert kept == original or kept == original[:-1], key
        assert blocks[0] == article["title"]


def test_reposts_carry_the_site_chrome_the_cleaner_must_remove():
    chromes = []
    for key, article in ARTICLES.items():
        if article["copy_kind"] != "repost":
            continue
        lines = [line for line in (CORPUS / key.removeprefix("file:")).read_text(encoding="utf-8").splitlines() if line]
        assert lines[2].startswith("Posted: "), key
        assert any(re.search(r"pic\.twitter\.com/\w{7,}$", line) for line in lines), key
        assert any(re.fullmatch(r"— .+ \(@\w+\) [A-Z][a-z]+ \d{1,2}, 2026", line) for line in lines), key
        assert any(_has_repeated_caption(line) for line in lines), key
        chromes.append((lines[1], lines[-1]))
    assert len({label for label, _ in chromes}) == 2
    assert len({disclaimer for _, disclaimer in chromes}) == 2


def _has_repeated_caption(line: str) -> bool:
    head = line[:60]
    return len(head) == 60 and line.count(head) == 2


def test_syndicated_copy_repeats_the_wire_body_under_another_headline():
    for key, article in ARTICLES.items():
        if article["copy_kind"] != "syndicated":
            continue
        original = ARTICLES[article["copy_of"]]
        assert ALL[key]["paragraphs"] == ALL[article["copy_of"]]["paragraphs"]
        assert article["title"] != original["title"]
        assert f"first published by {original['outlet']}" in _load_html()[key]["page"]


def test_same_kind_pairs_name_distinct_known_events():
    assert len(EXPECTED["same_kind_pairs"]) >= 2
    for first, second in EXPECTED["same_kind_pairs"]:
        assert first != second
        assert first in EXPECTED["events"] and second in EXPECTED["events"]


def test_conflicts_cite_articles_of_their_event():
    assert len(EXPECTED["conflicts"]) >= 3
    assert {c["kind"] for c in EXPECTED["conflicts"]} == {"number", "place", "date"}
    for conflict in EXPECTED["conflicts"]:
        assert conflict["detail"]
        assert len(conflict["articles"]) >= 2
        outlets = set()
        for key in conflict["articles"]:
            assert ARTICLES[key]["event"] == conflict["event"], key
            outlets.add(ARTICLES[key]["outlet"])
        assert len(outlets) >= 2


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ("https://northfieldcourier.example/2026/03/03/four-killed-atlantic-storm-galicia", "At least four people were killed"),
        ("https://civiclantern.example/stories/2026-03-05/crete-storm-couple-car-swept-away", "a village near Heraklion"),
        ("https://atlaswire.example/wire/2026/03/02/portugal-porto-museum-clocks-stolen", "on Saturday night"),
        ("https://coastlinedaily.example/articles/chile-mine-rescue-all-trapped-workers-20260308", "Eleven workers trapped"),
        ("https://civiclantern.example/stories/2026-03-06/saskatchewan-train-derailment-methanol-leak", "derailed near Wrenfield"),
        ("https://northfieldcourier.example/2026/03/08/health-software-hack-exposes-canadians-data", "1.7 million Canadians"),
        ("https://meridianledger.example/business/2026/03/belgian-dock-strike-strands-ships", "About 75 ships"),
        ("https://harbourwatch.example/news/2026/03/10/dublin-bus-tram-drivers-walk-out", "24-hour strike on Wednesday"),
        ("https://coastlinedaily.example/articles/sicily-wreck-marettimo-amphorae-roman-trade-20260312", "44 metres down"),
        ("https://civiclantern.example/stories/2026-03-12/fog-rocks-lifeboats-norwegian-ferry", "its 221 passengers"),
    ],
)
def test_the_odd_one_out_in_each_conflict_states_its_value(key, needle):
    assert any(article == key for c in EXPECTED["conflicts"] for article in c["articles"])
    assert needle in " ".join(ALL[key]["paragraphs"])
