"""The HTML pages and Atom feeds, in process: content, escaping of hostile text, headers, errors."""

import re

import feedparser
import pytest
from fastapi.testclient import TestClient

from conftest_web import FERRY_PASSENGERS, FERRY_QUOTE, JS_URL, REMOVED_FROM_FERRY_1, SCRIPT, client, web_app, web_db  # noqa: F401

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
HTML_PAGES = ["/", "/?q=ferry", "/stories/s-ferry", "/stories/s-hostile", "/articles/a-hostile", "/articles/a-ferry-1",
              "/outlets", "/outlets/Valley%20Wire", "/entities", "/entities/Port%20Ellery", "/docs"]


def test_home_lists_stories_newest_first_with_outlets_articles_and_entities(client):
    page = client.get("/").text
    headlines = re.findall(r'<h2><a href="/stories/([\w-]+)">', page)
    assert headlines == ["s-ferry", "s-strike", "s-hostile", "s-pending"]
    assert "3 outlets ·\n    3 articles" in page
    assert '<a class="chip chip-people" href="/entities/Mara%20Quint">Mara Quint</a>' in page
    assert "(digest pending)" in page


def test_home_filters_by_outlet_and_search_shows_matching_articles(client):
    page = client.get("/", params={"outlet": "Valley Wire"}).text
    assert re.findall(r'<h2><a href="/stories/([\w-]+)">', page) == ["s-ferry", "s-strike"]
    searched = client.get("/", params={"q": "lighthouse keeper"}).text
    assert re.findall(r'<h2><a href="/stories/([\w-]+)">', searched) == ["s-pending"]
    assert '<a href="/articles/a-pending">Lighthouse keeper retires after 40 years</a>' in searched


def test_home_pages_through_stories_with_an_older_link(client, web_app):
    from newsloom.web import pages

    original = pages.PAGE_SIZE
    pages.PAGE_SIZE = 3
    try:
        first = client.get("/").text
        older = re.search(r'<a rel="next" href="([^"]+)">', first).group(1).replace("&amp;", "&")
        second = client.get(older).text
    finally:
        pages.PAGE_SIZE = original
    assert re.findall(r'<h2><a href="/stories/([\w-]+)">', second) == ["s-pending"]
    assert 'rel="next"' not in second


def test_story_citations_link_to_the_source_article_with_the_cited_sentence(client):
    page = client.get("/stories/s-ferry").text
    cite = re.search(r'<a class="cite" href="(/articles/a-ferry-1\?quote=All[^"]+)">\[1\]<span class="cite-quote" '
                     r'role="tooltip"><b>Harbour Ledger:</b> “([^”]+)”</span></a>', page)
    assert cite.group(2) == FERRY_PASSENGERS
    article = client.get(cite.group(1).replace("&amp;", "&")).text
    assert f'<mark id="quote">{FERRY_PASSENGERS}</mark>' in article


def test_story_shows_sources_badges_timeline_entities_and_crosscheck(client):
    page = client.get("/stories/s-ferry").text
    assert re.findall(r'<li id="source-(\d)" value="\d">\s*<a class="source-title" href="/articles/([\w-]+)">', page) == [
        ("1", "a-ferry-1"), ("2", "a-ferry-2"), ("3", "a-ferry-3")]
    assert page.count('<span class="badge badge-first">first to report</span>') == 1
    assert "syndicated copy of [1]</span>" in page
    assert page.count('<span class="badge badge-single"') == 2  # two body sentences have one independent source
    assert "212 passengers vs 230 passengers" in page
    assert f"<li>{FERRY_QUOTE}" in page  # the single-source claim
    assert "<h3>Updates <span class=\"count\">0</span></h3>" in page
    assert '<h2 id="timeline-title">Timeline</h2>' in page and "(arrived 3 Mar 2026, 07:59 UTC)" in page
    assert '<a class="chip chip-places" href="/entities/Port%20Ellery">Port Ellery</a><span class="count">×3</span>' in page


def test_story_without_crosscheck_says_not_checked_yet(client):
    assert "<p class=\"empty\">Not checked yet.</p>" in client.get("/stories/s-strike").text
    assert "Not checked yet." not in client.get("/stories/s-ferry").text


def test_article_shows_removed_boilerplate_collapsed_with_its_reason_and_why_it_joined(client):
    page = client.get("/articles/a-ferry-1").text
    assert "<summary>Removed while cleaning (1)</summary>" in page
    why = "a &lt;b&gt;post&lt;/b&gt; line above its signature line"  # escaped: evidence quotes page text
    assert (f'<span class="badge badge-reason" title="{why}">social-embed</span> <q>{REMOVED_FROM_FERRY_1}</q>'
            f' <small class="why">{why}</small>') in page
    assert "This article started the story." in page
    copy = client.get("/articles/a-ferry-3").text
    assert "Joined with score <strong>0.71</strong>." in copy
    assert "<tr><td>entities</td><td>Port Ellery, Mara Quint</td></tr>" in copy
    assert '<span class="badge badge-copy">syndicated copy</span>' in copy


def test_hostile_titles_bodies_and_links_are_shown_only_escaped(client):
    for path in ["/", "/stories/s-hostile", "/articles/a-hostile", "/outlets", "/entities",
                 "/entities/Mr%20%3Cscript%3Ealert%281%29%3C%2Fscript%3E", "/?q=body+text"]:
        page = client.get(path).text
        assert SCRIPT not in page, path
        assert 'href="javascript:' not in page, path
        assert "<img" not in page, path
    article = client.get("/articles/a-hostile").text
    assert f"Breaking {ESCAPED_SCRIPT} news" in article
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;a link&lt;/a&gt;" in article
    assert f'<span class="unsafe-url" title="not an http(s) link">{JS_URL}</span>' in article


def test_security_headers_are_on_pages_api_and_errors(client):
    for path in ["/", "/api/stories", "/stories/missing", "/static/style.css"]:
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'"), path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", HTML_PAGES)
def test_pages_have_no_inline_scripts_or_styles(client, path):
    page = client.get(path).text
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert " style=" not in page and "<style" not in page and " onclick=" not in page


def test_unknown_pages_answer_404_html_and_bad_filters_422(client):
    missing = client.get("/stories/nope")
    assert missing.status_code == 404 and "no story with id &#39;nope&#39;" in missing.text
    assert client.get("/?since=soon").status_code == 422
    assert client.get("/entities?kind=animals").status_code == 422
    assert client.get("/no/such/page").status_code == 404


def test_server_errors_answer_a_generic_500_without_a_traceback(web_db, monkeypatch):
    from newsloom.web.app import create_app

    app = create_app(web_db)

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app.state.browse, "stories_page", explode)
    with TestClient(app, raise_server_exceptions=False) as broken:
        api, page = broken.get("/api/stories"), broken.get("/")
    assert (api.status_code, api.json()) == (500, {"error": "internal server error; the details are in the server log"})
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text
    assert api.headers["x-content-type-options"] == "nosniff"


def test_atom_feed_of_stories_parses_and_links_each_story(client):
    answer = client.get("/stories.atom")
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0
    assert feed.version == "atom10"
    assert [entry.link for entry in feed.entries] == [f"http://testserver/stories/{s}" for s in
                                                      ["s-ferry", "s-strike", "s-hostile", "s-pending"]]
    assert feed.entries[2].title == f"Breaking {SCRIPT} news"  # text, escaped in the XML


def test_atom_feeds_per_outlet_and_entity_hold_only_their_stories(client):
    by_outlet = feedparser.parse(client.get("/stories.atom", params={"outlet": "Valley Wire"}).content)
    assert by_outlet.bozo == 0 and [e.id for e in by_outlet.entries] == ["urn:newsloom:story:s-ferry", "urn:newsloom:story:s-strike"]
    assert by_outlet.feed.title == "newsloom stories from Valley Wire"
    by_entity = feedparser.parse(client.get("/stories.atom", params={"entity": "Edda Lorne"}).content)
    assert by_entity.bozo == 0 and [e.id for e in by_entity.entries] == ["urn:newsloom:story:s-strike"]


def test_api_docs_page_works_offline_from_the_openapi_document(client):
    page = client.get("/docs").text
    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []  # nothing loaded from elsewhere
    assert '<span class="method method-get">GET</span> <code>/api/stories/{story_id}</code>' in page
    assert '<span class="method method-post">POST</span> <code>/api/ingest</code>' in page


def test_a_title_only_article_cited_by_its_headline_highlights_the_headline():
    from newsloom.web.views import quoted_text

    assert quoted_text("", "Train derails near Tessford", "Train derails near Tessford").in_title is True
    assert quoted_text("Body.", "Other words", "Train derails").in_title is False
    assert quoted_text("A b. C d.", "C d.").before == "A b. "
