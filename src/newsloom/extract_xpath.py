"""trafilatura's costliest XPath queries, run as Python walks of the tree that select the very same elements.

Reading a page spends about a third of its CPU in libxml2 evaluating a few
of trafilatura's XPath expressions over every element: boilerplate pruning
(``OVERALL_DISCARD_XPATH``, run on the raw tree and on each pass's cleaned
tree), the article-body search (``BODY_XPATH[0]``), the raw-tree and comment
prunes, and the author search of the metadata. Their predicates test a few
attributes with ``contains``, ``starts-with`` and EXSLT ``re:test`` (a call
back into Python's ``re`` for each element and attribute). The same tests
written in Python over ``iterdescendants`` take about a third of the time.

Each stand-in (``_Walk``) replaces one XPath object inside trafilatura's own
lists (``trafilatura.xpaths``; the baseline's ``BASIC_CLEAN_XPATH`` in the
two modules that hold it), so every caller (core, external, metadata,
baseline, ``extract._join_split_body``) gets it, and keeps the original for
anything but a plain call on an element. It is installed only when the expression's
text is the one it was written from (``_QUERIES``: a hash of the XPath
source), and its regular expressions are the ones in that text, compiled as
lxml's EXSLT ``re:test`` compiles them. The semantics kept, test for test:

- ``@a`` of an absent attribute is the empty string (``re:test`` searches "");
- ``@a|@b`` as a string is the value of whichever of the two comes first in
  the element's attribute order (``_first_value``);
- ``.//*[...]`` is the context element's descendants in document order;
  ``//*[...]`` is every element of the document, root included;
- ``.//*[...][1]`` keeps, per parent, the first child that passes
  (``_first_per_parent``); ``(.//*[...])[1]`` the first of all (``_first_descendant``).

Two things make the walks cheaper still: each pattern remembers its answers
(``_RememberedPattern``: a page repeats the same class and id values on
hundreds of elements), and the walks run most (the boilerplate prune, over
every element of the raw tree and of each pass's tree; the first author
search) read an element's attributes from libxml2 once, as a dict
(``_attributes_of``), instead of once per test.

tests/test_extract_xpath.py compares each stand-in with its XPath on pages
built to exercise every test, raw and after trafilatura's tag conversion.
This module must not change what trafilatura selects, not even for the
better: an expression whose text differs from the one a walk was written
from keeps its XPath.
"""

from __future__ import annotations

import functools
import hashlib
import re

_REGEXP_TEST = re.compile(r"re:test\((@[\w@|-]+), '([^']*)'(?:, '([^']*)')?\)")


class _Walk:
    """Stands in for one XPath object of trafilatura's: called on an element, the same elements in the same order."""

    def __init__(self, xpath, select):
        self.xpath = xpath
        self.path = xpath.path
        self._select = select

    def __call__(self, tree, **variables):
        from lxml import etree

        if variables or not isinstance(tree, etree._Element):
            return self.xpath(tree, **variables)
        return self._select(tree)

    def __repr__(self) -> str:
        return f"<newsloom walk for XPath {self.path.strip()[:60]!r}>"


_BLOCK_TAGS = ("div", "item", "list", "p", "section", "span")
_CONTAINER_TAGS = ("article", "div", "main", "section")


def _first_value(element, names: tuple) -> str:
    """XPath's string of ``@a|@b``: the value of the first of ``names`` in attribute order, else ""."""
    for name, value in element.items():
        if name in names:
            return value
    return ""


def _empty_fails(*patterns) -> bool:
    """Whether every pattern fails on "": then an element without attributes fails tests made of them alone."""
    return not any(pattern.search("") for pattern in patterns)


def _descendants(passes, tags: tuple | None = None, attributes_needed: bool = False):
    """``.//*[...]``: the context's descendants (of ``tags``; every element when None) that pass, in document
    order. ``attributes_needed``: an element without attributes cannot pass, so it is not tested."""
    from lxml import etree

    def select(tree):
        elements = tree.iterdescendants(tags) if tags else tree.iterdescendants(etree.Element)
        if attributes_needed:
            return [element for element in elements if element.items() and passes(element)]
        return [element for element in elements if passes(element)]
    return select


def _first_descendant(passes, tags: tuple):
    """``(.//*[...])[1]``: the first of those descendants, if any."""
    return lambda tree: next(([element] for element in tree.iterdescendants(tags) if passes(element)), [])


def _first_per_parent(passes, tags: tuple):
    """``.//*[...][1]``: of those descendants, each parent's first."""
    def select(tree):
        parents, kept = set(), []
        for element in tree.iterdescendants(tags):
            if passes(element) and (parent := element.getparent()) not in parents:
                parents.add(parent)
                kept.append(element)
        return kept
    return select


def _in_document(passes, tags: tuple | None = None):
    """``//*[...]``: every element (of ``tags``; any when None) of the tree's document, root included, that
    passes, in document order."""
    from lxml import etree

    return lambda tree: [element for element in tree.getroottree().getroot().iter(tags or etree.Element)
                         if passes(element)]


def _attributes_of(items: list) -> dict:
    """An element's attributes as a dict (one read from libxml2): a name's first value, as ``element.get`` gives."""
    attributes = dict(items)
    if len(attributes) < len(items):  # a repeated name (libxml2's HTML parser drops them): keep the first
        attributes = {}
        for name, value in items:
            attributes.setdefault(name, value)
    return attributes


def _first_of(attributes: dict, items: list, first: str, second: str) -> str:
    """``@first|@second`` as a string, from attributes already read (``_first_value``)."""
    if second not in attributes:
        return attributes.get(first) or ""
    if first not in attributes:
        return attributes[second]
    return next(value for name, value in items if name == first or name == second)


def _attribute_walk(tags, empty_passes: bool, passes):
    """A walk over the descendants (of ``tags``, or all) that keeps those whose attributes, read once as a dict,
    pass ``passes(attributes, items)``; an element without attributes is kept when the tests pass on ""."""
    def select(tree):
        kept = []
        for element in tree.iterdescendants(tags):
            items = element.items()
            if not items:
                if empty_passes:
                    kept.append(element)
            elif passes(_attributes_of(items), items):
                kept.append(element)
        return kept
    return select


def _overall_discard_tags(cookie, id_tokens, class_tokens):
    """Written as one loop, each element's attributes read once: it runs on the raw tree and on each pass's."""
    cookie_search, id_search, class_search = cookie.search, id_tokens.search, class_tokens.search

    def passes(attributes, items):
        get = attributes.get
        return bool(class_search(get("class") or "") or id_search(get("id") or "")
                    or "data-lp-replacement-content" in attributes
                    or "nav" in (get("role") or "").replace("N", "n")
                    or "MostPopularStories" in (get("data-component") or "")
                    or cookie_search(_first_of(attributes, items, "id", "class")))
    return _attribute_walk(_BLOCK_TAGS, not _empty_fails(cookie, id_tokens, class_tokens), passes)


def _overall_discard_hidden(hidden, id_tokens, class_tokens):
    """As ``_overall_discard_tags``: one loop, over every element."""
    from lxml import etree

    hidden_search, id_search, class_search = hidden.search, id_tokens.search, class_tokens.search

    def passes(attributes, items):
        get = attributes.get
        css_class, style = get("class"), get("style") or ""
        return bool(css_class == "comments-title" or class_search(css_class or "") or id_search(get("id") or "")
                    or get("aria-hidden") == "true" or "display:none" in style or "display: none" in style
                    or _first_of(attributes, items, "id", "class").startswith("reply-")
                    or hidden_search(_first_of(attributes, items, "id", "style")))
    return _attribute_walk(etree.Element, not _empty_fails(hidden, id_tokens, class_tokens), passes)


def _article_body(id_tokens, class_tokens):
    def passes(element):
        get = element.get
        css_class = get("class")
        return (css_class == "post" or css_class == "entry" or get("itemprop") == "articleBody"
                or get("id") == "articleContent" or id_tokens.search(get("id") or "") is not None
                or class_tokens.search(css_class or "") is not None)
    return _first_per_parent(passes, _CONTAINER_TAGS)


def _story_body(story_ids, fulltext, story_classes):
    def passes(element):
        get = element.get
        css_class = get("class") or ""
        return (get("role") == "article" or get("id") in ("article", "story")
                or get("class") in ("postarea", "art-postcontent", "text", "cell", "story")
                or story_ids.search(get("id") or "") or fulltext.search(css_class) or story_classes.search(css_class))
    return _first_descendant(passes, _CONTAINER_TAGS)


def _main_content(id_tokens, class_tokens):
    def passes(element):
        get = element.get
        element_id, css_class = get("id") or "", get("class") or ""
        return (get("id") == "content" or get("class") == "content" or id_tokens.search(element_id)
                or class_tokens.search(css_class) or "main-content" in element_id.replace("C", "c").replace("M", "m")
                or "main-content" in css_class.replace("C", "c").replace("M", "m")
                or "page-content" in css_class.replace("C", "c").replace("P", "p"))
    return _first_descendant(passes, _CONTAINER_TAGS)


def _comment_test(id_tokens, class_tokens):
    return lambda element: id_tokens.search(element.get("id") or "") or class_tokens.search(element.get("class") or "")


def _comment_sections(id_tokens, class_tokens):
    return _descendants(_comment_test(id_tokens, class_tokens), ("div", "list", "section", "details"))


def _comment_sections_and_lists(id_tokens, class_tokens, list_id_tokens, list_class_tokens):
    section, comment_list = _comment_test(id_tokens, class_tokens), _comment_test(list_id_tokens, list_class_tokens)

    def passes(element):
        return section(element) and (element.tag not in ("ol", "ul") or comment_list(element))
    return _descendants(passes, ("div", "list", "section", "details", "ol", "ul"))


def _appended_articles(id_tokens, class_tokens, box_id_tokens, box_class_tokens):
    scroller, box = _comment_test(id_tokens, class_tokens), _comment_test(box_id_tokens, box_class_tokens)

    def passes(element):
        return scroller(element) and (next(element.iterdescendants("h1"), None) is None or box(element))
    return _descendants(passes, ("div", "section", "aside"))


def _author_discard(id_tokens, class_tokens):
    def passes(element):
        get = element.get
        css_class = get("class")
        return (get("id") == "comments" or css_class in ("comments", "title", "date")
                or id_tokens.search(get("id") or "") or class_tokens.search(css_class or "")
                or "Figure" in (get("data-component") or ""))
    return _descendants(passes, ("a", "div", "section", "span"))


def _author_specific(class_tokens):
    """Each element's attributes read once; the child test ``rel='me'`` only on a page with a ``<rel>`` at all."""
    tags = ("a", "address", "author", "div", "link", "p", "span", "strong")
    empty_passes = not _empty_fails(class_tokens)

    def by_attributes(items) -> bool:
        if not items:
            return empty_passes
        get = _attributes_of(items).get
        return bool(get("rel") == "author" or get("id") == "author" or get("class") == "author"
                    or get("itemprop") == "author name" or get("data-testid") in ("AuthorCard", "AuthorURL")
                    or class_tokens.search(get("class") or ""))

    def select(tree):
        root = tree.getroottree().getroot()
        rel_children = next(root.iter("rel"), None) is not None
        return [element for element in root.iter(tags)
                if element.tag == "author" or by_attributes(element.items())
                or (rel_children and next(element.iterchildren("rel"), None) is not None
                    and element.xpath("rel='me'"))]  # rare: ask libxml2
    return select


def _author_generic(id_tokens, class_tokens):
    def passes(element):
        get = element.get
        return (get("class") in ("byline", "username", "byl", "BBL") or "author" in (get("itemprop") or "")
                or id_tokens.search(get("id") or "") or class_tokens.search(get("class") or ""))
    return _in_document(passes, ("a", "div", "h3", "h4", "p", "span"))


def _author_any(id_tokens, class_tokens):
    def passes(element):
        get = element.get
        return ("Byline" in (get("data-component") or "") or "author" in (get("itemprop") or "")
                or id_tokens.search(get("id") or "") or class_tokens.search(get("class") or ""))
    return _in_document(passes)


def _share_buttons():
    return _descendants(lambda element: "elementor-share-buttons" in (element.get("class") or ""),
                        ("div", "section", "aside"))


def _bottom_and_link_blocks(bottom, link):
    def passes(element):
        first = _first_value(element, ("id", "class"))
        return bottom.search(first) or link.search(first) or "border" in (element.get("style") or "")
    return _descendants(passes, _BLOCK_TAGS)


def _teasers():
    def passes(element):
        return ("teaser" in (element.get("id") or "").replace("T", "t")
                or "teaser" in (element.get("class") or "").replace("T", "t"))
    return _descendants(passes, _BLOCK_TAGS)


def _captions():
    return _descendants(lambda element: "caption" in (element.get("id") or "") or "caption" in (element.get("class") or ""),
                        _BLOCK_TAGS)


def _basic_clean(class_tokens, id_tokens):
    """``settings.BASIC_CLEAN_XPATH`` (the baseline's and ``html2txt``'s clean-up): a union, so document order."""
    dropped = frozenset(("aside", "fencedframe", "footer", "script", "style", "svg", "template"))

    def passes(element):
        tag = element.tag
        return (tag in dropped or (tag == "div" and "footer" in _first_value(element, ("class", "id")))
                or class_tokens.search(element.get("class") or "") or id_tokens.search(element.get("id") or ""))
    return _descendants(passes)


# (list in trafilatura.xpaths, index) -> (start of the SHA-256 of the XPath source it was written from, builder).
# A builder takes the expression's ``re:test`` patterns, in order, compiled.
_QUERIES = {
    ("OVERALL_DISCARD_XPATH", 0): ("a837e58a1b1e", _overall_discard_tags),
    ("OVERALL_DISCARD_XPATH", 1): ("c1d5b70b8cd0", _overall_discard_hidden),
    ("BODY_XPATH", 0): ("caaa561ceca1", _article_body),
    ("REMOVE_COMMENTS_XPATH", 0): ("5d97216ca15d", _comment_sections),
    ("REMOVE_COMMENTS_AND_LISTS_XPATH", 0): ("9cc18d34e6e2", _comment_sections_and_lists),
    ("RAW_TREE_PRUNE_XPATH", 0): ("01e7c660fd64", _appended_articles),
    ("AUTHOR_DISCARD_XPATHS", 0): ("82f43e48c571", _author_discard),
    ("AUTHOR_XPATHS", 0): ("4d49fee6aa1c", _author_specific),
    ("AUTHOR_XPATHS", 1): ("6120fddc3d75", _author_generic),
    ("AUTHOR_XPATHS", 2): ("4ff2ef32ff7c", _author_any),
    ("BODY_XPATH", 2): ("6c9b5e1fdc09", _story_body),
    ("BODY_XPATH", 3): ("10a7ceacc0ff", _main_content),
    ("RAW_TREE_PRUNE_XPATH", 1): ("3c7afe922795", _share_buttons),
    ("PRECISION_DISCARD_XPATH", 1): ("53d31ea1df47", _bottom_and_link_blocks),
    ("TEASER_DISCARD_XPATH", 0): ("ebb02f066626", _teasers),
    ("DISCARD_IMAGE_ELEMENTS", 0): ("cb1ab981e449", _captions),
}
# trafilatura.settings.BASIC_CLEAN_XPATH, and the modules that import it by name
_BASIC_CLEAN = ("db6c25acd08a", _basic_clean, ("trafilatura.settings", "trafilatura.baseline"))


def source_hash(xpath) -> str:
    return hashlib.sha256(xpath.path.encode("utf-8")).hexdigest()[:12]


def _compiled_tests(xpath) -> list:
    """The expression's ``re:test`` patterns in order, compiled as lxml's EXSLT module compiles them."""
    return [_RememberedPattern(re.compile(pattern, re.IGNORECASE if "i" in flags else 0))
            for _attribute, pattern, flags in _REGEXP_TEST.findall(xpath.path)]


SEARCHES_REMEMBERED = 4096  # per pattern: the distinct id and class values of a few pages


class _RememberedPattern:
    """A compiled pattern whose ``search`` remembers its answers for the last ``SEARCHES_REMEMBERED`` strings.

    A page repeats the same few class and id values on hundreds of elements,
    and the same site's pages repeat them again; a search is a pure function
    of its string, so an answer looked up is the answer computed.
    """

    __slots__ = ("pattern", "search")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.search = functools.lru_cache(maxsize=SEARCHES_REMEMBERED)(pattern.search)


@functools.cache
def install_walks() -> tuple[str, ...]:
    """Put the stand-ins in place of trafilatura's expressions that are the ones expected; their names."""
    import importlib

    import trafilatura.xpaths

    installed = []
    for (list_name, index), (expected, builder) in _QUERIES.items():
        queries = getattr(trafilatura.xpaths, list_name, None)
        if not isinstance(queries, list) or index >= len(queries) or isinstance(queries[index], _Walk):
            continue
        if source_hash(queries[index]) == expected:
            queries[index] = _Walk(queries[index], builder(*_compiled_tests(queries[index])))
            installed.append(f"{list_name}[{index}]")
    expected, builder, modules = _BASIC_CLEAN
    bound = [importlib.import_module(name) for name in modules]
    original = getattr(bound[0], "BASIC_CLEAN_XPATH", None)
    if original is not None and not isinstance(original, _Walk) and source_hash(original) == expected:
        walk = _Walk(original, builder(*_compiled_tests(original)))
        for module in bound:
            if getattr(module, "BASIC_CLEAN_XPATH", None) is original:
                module.BASIC_CLEAN_XPATH = walk
        installed.append("BASIC_CLEAN_XPATH")
    return tuple(installed)
