"""Page metadata read once and placed at any URL equals trafilatura's own ``extract_metadata`` at that URL."""

from __future__ import annotations

import pytest
import trafilatura
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor

from newsloom.extract import extract_article, read_page
from newsloom.extract_meta import knows_date_at, metadata_at, read_metadata
from newsloom.models import RawInput

BODY = "<p>" + " ".join(["The ferry crews walked out on Monday over pay and rosters, the union said."] * 4) + "</p>"
HEAD_ONLY_TITLE = "<title>Ferry strike enters second day</title>"
PAGES = {
    "bare": f"<html><head>{HEAD_ONLY_TITLE}</head><body><article>{BODY}</article></body></html>",
    "names-url-and-site": (
        "<html><head><title>Ferry strike | Tidewater Ledger</title>"
        '<link rel="canonical" href="https://tidewater.example/2019/05/06/ferry-strike">'
        '<meta property="og:site_name" content="@tidewaterledger"><meta name="author" content="Ana Reyes">'
        f"</head><body><article>{BODY}</article></body></html>"),
    "dated-in-text": (
        f"<html><head>{HEAD_ONLY_TITLE}</head><body><article><p class='byline'>Published 14 March 2021</p>{BODY}"
        "</article></body></html>"),
    "json-ld": (
        f"<html><head>{HEAD_ONLY_TITLE}<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "headline": "Ferry strike", "datePublished": "2020-02-03",'
        ' "publisher": {"@type": "Organization", "name": "Harbour Post"}, "author": {"name": "Li Wen"}}'
        f"</script></head><body><article>{BODY}</article></body></html>"),
    "relative-canonical": (
        f"<html><head>{HEAD_ONLY_TITLE}<link rel='canonical' href='/2018/01/02/ferry'></head>"
        f"<body><article>{BODY}</article></body></html>"),
}
URLS = [None, "", "https://mirror.example/ferry", "https://www.news.example/2017/08/09/ferry-strike.html"]


def trafilatura_fields(html: str, url: str | None) -> dict:
    options = Extractor(url=url, with_metadata=True)
    document = extract_metadata(trafilatura.load_html(html), options.url, options.date_params, options.fast,
                                options.author_blacklist)
    return {key: getattr(document, key) for key in ("title", "url", "author", "sitename", "date", "language")}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("read_at", URLS, ids=["none", "empty", "plain", "dated"])
def test_metadata_read_at_one_url_and_placed_at_another_is_trafilaturas(name, read_at):
    html = PAGES[name]
    page = read_metadata(trafilatura.load_html(html), read_at)
    assert knows_date_at(page, read_at)
    for url in URLS:
        placed = page if knows_date_at(page, url) else read_metadata(trafilatura.load_html(html), url)
        assert metadata_at(placed, url) == trafilatura_fields(html, url), (read_at, url)


def test_the_page_date_is_searched_only_when_the_url_gives_none():
    html = PAGES["dated-in-text"]
    dated = read_metadata(trafilatura.load_html(html), URLS[3])
    assert not dated.page_date_read and not knows_date_at(dated, URLS[2])
    assert knows_date_at(dated, "https://other.example/2017/08/09/x")  # another URL with a date needs no search
    plain = read_metadata(trafilatura.load_html(html), URLS[2])
    assert plain.page_date_read and plain.page_date == "2021-03-14"
    assert metadata_at(plain, URLS[3])["date"] == "2017-08-09"  # the URL's date wins, as in trafilatura


def test_a_page_read_at_a_dated_url_and_met_at_an_undated_one_gets_its_own_date():
    html = PAGES["dated-in-text"].encode()
    first = RawInput(origin=URLS[3], body=html, kind="html", hints={"url": URLS[3]})
    mirror = RawInput(origin=URLS[2], body=html, kind="html", hints={"url": URLS[2]})
    reused = extract_article(mirror, page=read_page(first))
    assert reused.published_at == extract_article(mirror).published_at
    assert reused.published_at.date().isoformat() == "2021-03-14"
    assert extract_article(first).published_at.date().isoformat() == "2017-08-09"
