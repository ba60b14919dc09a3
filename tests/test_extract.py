"""Extraction: RawInput -> Article, for each input kind."""

from datetime import datetime, timezone

import pytest

from newsloom.errors import ExtractionError
from newsloom.extract import canonical_url, extract_article, page_key, parse_datetime, read_page
from newsloom.models import RawInput

PAGE = """<!doctype html><html lang="en"><head><title>Ferry strike halts crossings | The Tidewater Ledger</title>
<link rel="canonical" href="https://tidewater.example/news/ferry-strike?utm_source=feed">
<meta property="og:site_name" content="The Tidewater Ledger">
<meta property="article:published_time" content="2026-04-02T08:15:00Z">
<meta name="author" content="Marta Quell"></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry strike halts crossings</h1>
<p>Crews on the island ferries walked out on Thursday morning, stranding about 900 passengers at the harbour in Brenmouth.</p>
<p>The union said the strike would last 48 hours unless the operator reopened talks on rosters and pay.</p>
<p>"We did not want this," said the union's regional secretary, Paul Onsby, outside the terminal.</p>
</article><footer>Copyright The Tidewater Ledger. All rights reserved.</footer></body></html>"""


def test_html_page_yields_text_and_metadata():
    raw = RawInput(origin="page.html", body=PAGE.encode(), kind="html")
    article = extract_article(raw)
    assert article.title == "Ferry strike halts crossings"
    assert article.outlet == "The Tidewater Ledger"
    assert article.author == "Marta Quell"
    assert article.language == "en"
    assert article.published_at == datetime(2026, 4, 2, 8, 15, tzinfo=timezone.utc)
    assert "stranding about 900 passengers" in article.text
    assert "48 hours" in article.text
    assert "Sport" not in article.text


def test_html_identity_is_the_canonical_url_without_tracking():
    first = extract_article(RawInput(origin="a.html", body=PAGE.encode(), kind="html"))
    moved = extract_article(RawInput(origin="elsewhere/b.html", body=PAGE.encode(), kind="html"))
    assert first.id == moved.id
    assert canonical_url("HTTPS://Tidewater.example:443/news/x?utm_source=feed&id=3#top") == "https://tidewater.example/news/x?id=3"


def test_plain_text_first_line_is_the_title():
    body = "\n\n  Ferry strike halts crossings\n\nCrews walked out on Thursday.\n\nThe union said talks had failed.\n"
    article = extract_article(RawInput(origin="a.txt", body=body.encode(), kind="text"))
    assert article.title == "Ferry strike halts crossings"
    assert article.text == "Crews walked out on Thursday.\n\nThe union said talks had failed."
    assert article.url is None


def test_plain_text_hard_wrapped_paragraphs_are_joined():
    body = "Title line\n\nCrews walked out\non Thursday morning.\n\nSecond paragraph.\n"
    article = extract_article(RawInput(origin="a.txt", body=body.encode(), kind="text"))
    assert article.text == "Crews walked out on Thursday morning.\n\nSecond paragraph."


def test_jsonl_row_keeps_its_url_as_identity_and_accepts_title_only():
    hints = {"url": "https://wire.example/a?utm_medium=x", "title": "Ferry strike halts crossings", "published": 1775117700000, "outlet": "Wire"}
    article = extract_article(RawInput(origin="w.jsonl#L1", body=b"{}", kind="jsonl", hints=hints))
    assert article.url == "https://wire.example/a?utm_medium=x"
    assert article.text == "" and article.is_title_only
    assert article.outlet == "Wire"
    assert article.published_at == datetime(2026, 4, 2, 8, 15, tzinfo=timezone.utc)


def test_page_without_text_or_title_is_an_extraction_error():
    raw = RawInput(origin="empty.html", body=b"<html><body><nav><a href='/'>Home</a></nav></body></html>", kind="html")
    with pytest.raises(ExtractionError, match="empty.html: the page has no article text"):
        extract_article(raw)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-04-02T08:15:00Z", datetime(2026, 4, 2, 8, 15, tzinfo=timezone.utc)),
        ("Thu, 02 Apr 2026 10:15:00 +0200", datetime(2026, 4, 2, 8, 15, tzinfo=timezone.utc)),
        ("1775117700", datetime(2026, 4, 2, 8, 15, tzinfo=timezone.utc)),
        ("2026-04-02", datetime(2026, 4, 2, tzinfo=timezone.utc)),
        ("not a date", None),
    ],
)
def test_parse_datetime_accepts_the_usual_formats(value, expected):
    assert parse_datetime(value) == expected


# Without a canonical URL or a site name, trafilatura's URL and site name fall back on the URL the page was read at.
BARE_PAGE = PAGE.replace('<link rel="canonical" href="https://tidewater.example/news/ferry-strike?utm_source=feed">', "").replace(
    '<meta property="og:site_name" content="The Tidewater Ledger">', "")


@pytest.mark.parametrize("html", [PAGE, BARE_PAGE], ids=["names-its-url", "bare"])
def test_a_page_read_at_one_url_gives_at_another_what_a_fresh_read_gives(html):
    first = RawInput(origin="https://tidewater.example/news/ferry-strike", body=html.encode(), kind="html",
                     hints={"url": "https://tidewater.example/news/ferry-strike"})
    mirror = RawInput(origin="https://mirror.example/ferry", body=html.encode(), kind="html",
                      hints={"url": "https://mirror.example/ferry"})
    page = read_page(first)
    assert page_key(first) == page_key(mirror)
    reused, fresh = extract_article(mirror, page=page), extract_article(mirror)
    assert (reused.id, reused.url, reused.outlet, reused.title, reused.text, reused.published_at, reused.author) == (
        fresh.id, fresh.url, fresh.outlet, fresh.title, fresh.text, fresh.published_at, fresh.author)
    if html is BARE_PAGE:
        assert reused.outlet == "mirror.example" != extract_article(first, page=page).outlet


# --- the body passes: a split body is joined, the balanced pass runs only as far as it can change the body -------

LINES = [
    "The harbour board met on Monday evening to settle the budget for the coming year, after three months of talks.",
    "Most of the money will go to the north quay, where the wall has been sinking since the storm of last winter.",
    "A second meeting is planned for March, when the board will also vote on the fees that visiting boats pay.",
    "Fishermen asked for a lower fee in the winter months, when the catch is small and most of the fleet stays in port.",
]


def _paragraphs(lines):
    return "".join(f"<p>{line}</p>" for line in lines)


def _page(article: str) -> str:
    return (f"<html><head><title>Harbour budget agreed</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<main><article><h1>Harbour budget agreed</h1>{article}</article></main></body></html>")


SPLIT_BODY = _page(
    "<div class='article__chunks'>"
    f"<div class='grid'><div class='body article__body'>{_paragraphs(LINES[:3])}</div><aside class='ad'>Buy a boat</aside></div>"
    f"<div class='grid'><div class='body article__body'>{_paragraphs(LINES[3:])}</div></div></div>")


def test_an_article_body_split_into_sibling_chunks_is_read_whole():
    raw = RawInput(origin="https://harbour.example/budget", body=SPLIT_BODY.encode(), kind="html")
    text = extract_article(raw).text
    assert all(line in text for line in LINES)
    assert "Buy a boat" not in text


def test_same_class_teasers_of_other_articles_are_not_joined():
    import trafilatura

    from newsloom.extract import _join_split_body

    teasers = "".join(f"<div class='card'><div class='article-body'><p>Other story number {n}, read on</p></div></div>"
                      for n in range(3))
    tree = trafilatura.load_html(_page(f"<div class='cards'><div class='card'><div class='article-body'>{_paragraphs(LINES)}"
                                       f"</div></div>{teasers}</div>"))
    assert _join_split_body(tree) == 0


def _need(precise_lines, article_html):
    import trafilatura

    from newsloom.extract import _balanced_pass_need, _visible_text

    return _balanced_pass_need("\n\n".join(precise_lines), _visible_text(trafilatura.load_html(_page(article_html))))


def test_balanced_pass_is_not_needed_when_the_precision_paragraphs_are_back_to_back():
    assert _need(LINES, _paragraphs(LINES[:2]) + "<script>var ad = 'slot one';</script>" + _paragraphs(LINES[2:])) == "nothing"


def test_balanced_pass_fills_when_text_sits_between_precision_paragraphs():
    between = _paragraphs(LINES[:2]) + "<h2>Where the money goes</h2>" + _paragraphs(LINES[2:])
    assert _need(LINES, between) == "fillers"
    assert _need(LINES[:1] + ["A sentence the page does not hold anywhere at all."] + LINES[2:], _paragraphs(LINES)) == "fillers"


def test_balanced_pass_runs_in_full_when_the_precision_pass_may_have_missed_the_article():
    assert _need(["Reprints and permissions."], _paragraphs(LINES)) == "anything"
    menu = "<ul>" + "".join(f"<li>Section number {n} of the site menu</li>" for n in range(200)) + "</ul>"
    assert _need(LINES[:2], _paragraphs(LINES[:2]) + menu) == "anything"


@pytest.mark.parametrize("article, passes_run", [
    (_paragraphs(LINES), 1),
    (_paragraphs(LINES[:2]) + "<h2><a href='/money'>Where the money goes</a></h2>" + _paragraphs(LINES[2:]), 1),  # kept by both
    (_paragraphs(LINES[:2]) + "<div class='related'><a href='/a'>Quay wall: the story so far</a></div>" + _paragraphs(LINES[2:]), 2),
], ids=["back-to-back", "linked-heading", "related-link"])
def test_read_page_gives_the_body_of_both_full_passes(article, passes_run, monkeypatch):
    import trafilatura

    from newsloom.extract import _TRAFILATURA_OPTIONS, _body_from_passes, _document_text, _normalise_paragraphs

    html = _page(article)
    tree = trafilatura.load_html(html)
    passes = [_normalise_paragraphs(_document_text(trafilatura.bare_extraction(tree, favor_precision=precision, **_TRAFILATURA_OPTIONS)))
              for precision in (True, False)]
    calls = []
    real = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: calls.append(kwargs) or real(*args, **kwargs))
    page = read_page(RawInput(origin="https://harbour.example/b", body=html.encode(), kind="html"))
    assert page["text"] == _body_from_passes(*passes)
    assert [call.get("favor_precision", False) for call in calls] == [True, False][:passes_run]
    assert all(call.get("fast") for call in calls[1:])  # a gap to fill, no fallback possible: fast mode


FORM_PAGE = _page(_paragraphs(LINES[:2]) + "<form action='/search'><label for='q'>Search the harbour archive</label>"
                  "<input id='q' name='q' value='quay'><select name='year'><option>2025</option></select>"
                  "<textarea name='letter'>Write to the editor about the quay</textarea></form>" + _paragraphs(LINES[2:]))


@pytest.mark.parametrize("html", [FORM_PAGE, PAGE], ids=["form", "article"])
def test_plain_element_classes_read_a_page_as_lxml_html_classes_do(html):
    from lxml import html as lxml_html
    from trafilatura.utils import HTML_PARSER

    from newsloom.extract import _load_html, _plain_element_classes

    raw = RawInput(origin="https://harbour.example/form", body=html.encode(), kind="html")
    plain = read_page(raw)
    assert type(_load_html(FORM_PAGE).find(".//input")) is lxml_html.HtmlElement
    HTML_PARSER.set_element_class_lookup(lxml_html.HtmlElementClassLookup())  # lxml.html's own: InputElement etc.
    try:
        assert isinstance(_load_html(FORM_PAGE).find(".//input"), lxml_html.InputElement)
        assert read_page(raw) == plain
    finally:
        _plain_element_classes.cache_clear()
        _plain_element_classes()


COMMENTS = ("<div id='comments'><p>Reader one wrote that the quay wall has been a disgrace for years and nobody cares at all.</p>"
            "<p>Reader two replied that the board should have asked the fishermen before spending the money.</p></div>")
NEXT_STORY = ("<div class='infinite-scroll'><p>Next story: the lifeboat station opens its doors to visitors this weekend, "
              "with tours of the boat house and a talk from the crew about the busiest summer on record.</p></div>")
FORUM = '<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Harbour budget"}</script>'


@pytest.mark.parametrize("article", [
    _paragraphs(LINES[:2]) + COMMENTS + _paragraphs(LINES[2:]) + NEXT_STORY,
    _paragraphs(LINES[:2]) + "<div class='related'><a href='/a'>Quay wall: the story so far</a></div>" + _paragraphs(LINES[2:]) + COMMENTS,
    FORUM + _paragraphs(LINES[:2]) + "<h2>Where the money goes</h2>" + _paragraphs(LINES[2:]) + COMMENTS,
], ids=["comments-and-next-story", "comments-and-gap", "forum-thread"])
@pytest.mark.parametrize("shared", [True, False], ids=["pruned-once", "pruned-by-each-pass"])
def test_both_passes_read_the_page_as_when_each_prunes_for_itself(article, shared, monkeypatch):
    import trafilatura

    import newsloom.extract as extract

    if not shared:
        monkeypatch.setattr(extract, "_SHARED_PRUNE_VERSIONS", ())
    html = _page(article)
    tree = trafilatura.load_html(html)
    extract._join_split_body(tree)
    precise, balanced = [extract._normalise_paragraphs(extract._document_text(trafilatura.bare_extraction(
        tree, url="https://harbour.example/c", favor_precision=precision, **extract._TRAFILATURA_OPTIONS)))
        for precision in (True, False)]
    page = read_page(RawInput(origin="https://harbour.example/c", body=html.encode(), kind="html"))
    assert page["text"] == extract._body_from_passes(precise, balanced)
    assert not getattr(extract._skip_raw_prune, "active", False)


def test_trafilatura_skips_the_raw_prunes_only_inside_the_shared_block():
    import trafilatura
    import trafilatura.core
    from trafilatura.xpaths import REMOVE_COMMENTS_AND_LISTS_XPATH

    import newsloom.extract as extract

    extract._install_shared_prune_step()

    def comments_left(tree):
        return len(trafilatura.core.prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH).xpath("//*[@id='comments']"))

    html = _page(_paragraphs(LINES) + COMMENTS)
    assert comments_left(trafilatura.load_html(html)) == 0
    extract._skip_raw_prune.active = True
    try:
        assert comments_left(trafilatura.load_html(html)) == 1
    finally:
        extract._skip_raw_prune.active = False


@pytest.mark.parametrize("article", [
    _paragraphs(LINES[:2]) + COMMENTS + _paragraphs(LINES[2:]) + NEXT_STORY,
    _paragraphs(LINES[:2]) + "<div class='related'><a href='/a'>Quay wall: the story so far</a></div>" + _paragraphs(LINES[2:]),
    "<div class='teaser'><a href='/x'>A short teaser only</a></div>" + "<ul>" + "".join(
        f"<li><a href='/{n}'>Link number {n} of a page that is mostly links</a></li>" for n in range(40)) + "</ul>",
], ids=["comments-and-next-story", "gap", "mostly-links"])
def test_the_passes_leave_the_shared_tree_as_they_found_it(article):
    """Why ``bare_extraction`` need not copy the tree inside ``_raw_prune_shared``: every pass, fast or not, with
    its fallbacks and recall retry, reads the pruned tree without changing it."""
    import trafilatura
    from lxml import etree

    import newsloom.extract as extract

    tree = extract._load_html(_page(article))
    for precision, fast in ((True, False), (False, False), (False, True)):
        with extract._raw_prune_shared(tree) as source:
            before = etree.tostring(tree)
            trafilatura.bare_extraction(source, url="https://harbour.example/d", favor_precision=precision, fast=fast,
                                        **extract._TRAFILATURA_OPTIONS)
            assert isinstance(source, extract._Uncopied)
            assert etree.tostring(tree) == before


def test_an_uncopied_tree_gives_what_a_copied_one_gives():
    import trafilatura

    import newsloom.extract as extract

    html = _page(_paragraphs(LINES[:2]) + "<h2>Where the money goes</h2>" + _paragraphs(LINES[2:]) + COMMENTS)
    texts = []
    for wrap in (False, True):
        tree = extract._load_html(html)
        with extract._raw_prune_shared(tree) as source:
            document = trafilatura.bare_extraction(source if wrap else tree, favor_precision=True,
                                                   **extract._TRAFILATURA_OPTIONS)
        texts.append(extract._document_text(document))
    assert texts[0] and texts[0] == texts[1]
