"""The Python walks of extract_xpath.py select exactly what trafilatura's XPath expressions select."""

from __future__ import annotations

import random
import re

import pytest

from newsloom.extract import _load_html
from newsloom.extract_xpath import _Walk, install_walks

trafilatura_xpaths = pytest.importorskip("trafilatura.xpaths")

_LITERAL = re.compile(r"'([^']*)'")
_ATTRIBUTE = re.compile(r"@([\w-]+)")
_TAG = re.compile(r"self::(\w+)")
_EXTRA_TAGS = ("div", "p", "span", "ol", "ul", "h1", "rel", "author", "article", "main", "section", "a", "li")
_EXTRA_ATTRIBUTES = ("id", "class", "style", "role", "title")


def _walks() -> list[tuple[str, _Walk]]:
    import importlib

    baseline = importlib.import_module("trafilatura.baseline")  # the package exports a function of that name
    settings = importlib.import_module("trafilatura.settings")
    install_walks()
    walks = [(f"{name}[{index}]", query) for name in dir(trafilatura_xpaths)
             if isinstance(getattr(trafilatura_xpaths, name), list)
             for index, query in enumerate(getattr(trafilatura_xpaths, name)) if isinstance(query, _Walk)]
    if isinstance(settings.BASIC_CLEAN_XPATH, _Walk):
        assert baseline.BASIC_CLEAN_XPATH is settings.BASIC_CLEAN_XPATH
        walks.append(("BASIC_CLEAN_XPATH", settings.BASIC_CLEAN_XPATH))
    return walks


def _words_of(path: str) -> list[str]:
    """Pieces of attribute values likely to hit the expression's tests: its literals and their alternatives."""
    pieces = set()
    for literal in _LITERAL.findall(path):
        pieces.add(literal)
        for choice in (r"\1", r"\2"):  # each group's first option, then its last
            resolved = re.sub(r"\(\?:([^|)]*)(?:\|[^)]*)*?\|?([^|)]*)\)", choice, literal)
            for part in re.split(r"[|()?:^$\[\]\\]+", resolved):
                if part:
                    pieces.update((part, part.capitalize(), part.upper()))
    return sorted(pieces)


def _random_page(path: str, rng: random.Random, elements: int = 300) -> str:
    """A page of nested elements whose tags, attribute names and values come from ``path``'s vocabulary."""
    tags = sorted(set(_TAG.findall(path)) | set(_EXTRA_TAGS))
    attributes = sorted(set(_ATTRIBUTE.findall(path)) | set(_EXTRA_ATTRIBUTES))
    words = _words_of(path) + ["x", "main", "hidden", "nav", "comments", "comment", "Commentary"]
    out, open_tags = [], []
    for _ in range(elements):
        if open_tags and rng.random() < 0.4:
            out.append(f"</{open_tags.pop()}>")
            continue
        tag = rng.choice(tags)
        attrs = []
        for name in rng.sample(attributes, rng.randint(0, 3)):
            value = rng.choice(["", " "]).join(rng.choice(words) for _ in range(rng.choice((0, 1, 1, 1, 1, 2, 3))))
            attrs.append(f'{name}="{value}"' if rng.random() < 0.9 else name)
        out.append(f"<{tag} {' '.join(attrs)}>{rng.choice(words)} text ")
        open_tags.append(tag)
        if rng.random() < 0.05:
            out.append("<!-- a comment -->")
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return f"<html><head><title>t</title></head><body>{''.join(out)}</body></html>"


def _converted(tree):
    """The tree as trafilatura's passes query it (cleaned, tags converted)."""
    from trafilatura.core import _prepare_tree
    from trafilatura.settings import Extractor

    converted, _backup = _prepare_tree(tree, Extractor(comments=False, tables=True), None)
    return converted


def test_walks_are_installed_for_this_trafilatura():
    install_walks()
    names = [name for name, _walk in _walks()]
    for expected in ("OVERALL_DISCARD_XPATH[0]", "BODY_XPATH[0]", "AUTHOR_XPATHS[0]", "BASIC_CLEAN_XPATH"):
        assert expected in names, f"{expected}: were trafilatura's XPath sources changed?"


@pytest.mark.parametrize("seed", range(6))
def test_each_walk_selects_what_its_xpath_selects(seed):
    for name, walk in _walks():
        rng = random.Random(f"{name}-{seed}")
        tree = _load_html(_random_page(walk.path, rng))
        body = tree.find(".//body")
        for context in (tree, body, _converted(tree)):
            expected = walk.xpath(context)
            found = walk(context)
            assert [id(element) for element in found] == [id(element) for element in expected], name


def test_the_random_pages_exercise_every_walk():
    """Each expression selects some elements of the random pages and leaves others: the comparison above has teeth."""
    for name, walk in _walks():
        selected = total = 0
        for seed in range(6):
            tree = _load_html(_random_page(walk.path, random.Random(f"{name}-{seed}")))
            selected += len(walk.xpath(tree))
            total += sum(1 for _ in tree.iter())
        assert 0 < selected < total, name


def test_hand_written_cases_select_the_same():
    """``@id|@class`` is the value of whichever attribute comes first in the tag, as in libxml2; an infinite-scroll
    box is pruned only without a headline of its own (or when it is a known appended-article box)."""
    page = ('<html><body><div class="cookie-bar" id="main">a</div><div id="main" class="cookie-bar">b</div>'
            '<div style="x" id="hidden-box">c</div><div class="infinite-scroll"><h1>Next</h1><p>d</p></div>'
            '<div class="infinite-scroll"><p>e</p></div><div id="mvp-post-add-box"><h1>f</h1></div></body></html>')
    tree = _load_html(page)
    for name, walk in _walks():
        found, expected = walk(tree), walk.xpath(tree)  # both kept alive: lxml proxies are compared by identity
        assert [id(e) for e in found] == [id(e) for e in expected], name


def test_other_calls_fall_back_on_the_xpath():
    tree = _load_html("<html><body><div class='sidebar'>x</div></body></html>")
    name, walk = _walks()[0]
    assert walk(tree.getroottree()) == walk.xpath(tree.getroottree())


def test_attribute_order_and_repeated_names_are_read_as_libxml2_reads_them():
    """The walks that read an element's attributes once (``_attributes_of``) keep ``@a|@b``'s order and, for a
    repeated name, its first value (as ``element.get``)."""
    from newsloom.extract_xpath import _attributes_of, _first_of

    items = [("style", "hidden"), ("id", "x"), ("style", "shown")]
    attributes = _attributes_of(items)
    assert attributes == {"style": "hidden", "id": "x"}
    assert _first_of(attributes, items, "id", "style") == "hidden"
    assert _first_of(attributes, items, "id", "class") == "x"
    assert _first_of(attributes, items, "class", "role") == ""
    page = ('<html><body><div style="hidden" id="x">a</div><div id="x" style="hidden">b</div>'
            '<span class="reply-box" id="y">c</span><span id="y" class="reply-box">d</span>'
            '<p id="cookies" class="z">e</p><p class="z" id="cookies">f</p><section>g</section></body></html>')
    tree = _load_html(page)
    for name, walk in _walks():
        found, expected = walk(tree), walk.xpath(tree)
        assert [id(e) for e in found] == [id(e) for e in expected], name
    hidden = dict(_walks())["OVERALL_DISCARD_XPATH[1]"]
    assert [e.text for e in hidden(tree)] == ["a", "c"]  # the order decides: the test has teeth


def test_a_walk_tests_bare_elements_when_a_pattern_matches_the_empty_string():
    """Elements without attributes are skipped only because every pattern fails on "": with a pattern that
    matches "", the walk must select them, as the XPath does."""
    from lxml import etree

    from newsloom.extract_xpath import _QUERIES, _compiled_tests

    for key in (("OVERALL_DISCARD_XPATH", 0), ("OVERALL_DISCARD_XPATH", 1), ("AUTHOR_XPATHS", 0)):
        original = getattr(trafilatura_xpaths, key[0])[key[1]]
        original = getattr(original, "xpath", original)
        path = re.sub(r"re:test\((@[\w@|-]+), '[^']*'\)", r"re:test(\1, '^x?$')", original.path, count=1)
        xpath = etree.XPath(path, namespaces={"re": trafilatura_xpaths.REGEXP_NS})
        select = _QUERIES[key][1](*_compiled_tests(xpath))
        tree = _load_html("<html><body><div>a</div><p>b</p><span class='q'>c</span><a>d</a></body></html>")
        found, expected = select(tree), xpath(tree)
        assert expected and [id(e) for e in found] == [id(e) for e in expected], key


def test_a_rel_child_is_tested_only_where_the_page_has_one():
    """``rel='me'`` (a child element's text) selects its parent; a page without ``<rel>`` skips that test."""
    walk = dict(_walks())["AUTHOR_XPATHS[0]"]
    tree = _load_html("<html><body><div><rel>me</rel>Jo Doe</div><p><rel>you</rel>x</p><span>y</span></body></html>")
    found, expected = walk(tree), walk.xpath(tree)
    assert [e.tag for e in found] == ["div"] and [id(e) for e in found] == [id(e) for e in expected]


def test_remembered_searches_answer_as_the_pattern_does():
    """The walks' patterns remember their answers (``_RememberedPattern``): a remembered answer is the computed one."""
    from newsloom.extract_xpath import _compiled_tests

    walk = dict(_walks())["OVERALL_DISCARD_XPATH[1]"]
    patterns = _compiled_tests(walk.xpath)
    for pattern in patterns:
        for value in ("hidden", "x hide", "akismet-box", "", "hidden", "main", "x hide"):
            remembered, computed = pattern.search(value), pattern.pattern.search(value)
            assert (remembered and remembered.group()) == (computed and computed.group())
        assert pattern.search.cache_info().hits >= 2
    tree = _load_html(_random_page(walk.path, random.Random("remembered")))
    first, second, expected = walk(tree), walk(tree), walk.xpath(tree)
    assert [id(e) for e in first] == [id(e) for e in second] == [id(e) for e in expected]
