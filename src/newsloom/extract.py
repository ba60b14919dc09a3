"""Extraction: one ``RawInput`` -> one ``Article`` (text and metadata), before cleaning.

Steps, per input kind:

1. decode the bytes (``ingest.decode.decode_text``: binary, empty and
   encoding problems become named errors);
2. HTML (pages, feed entries, JSONL rows with ``html``) -> trafilatura's
   metadata and main text over one parse: its precision pass with the gaps
   inside it filled from its balanced pass (``_body_from_passes``; the
   balanced pass runs only when it can still change that body,
   ``_balanced_pass_need``), after joining an article body the page splits
   into sibling chunks (``_join_split_body``), plus the page's own
   ``article:published_time`` and ``<html lang>`` where trafilatura keeps
   only a day or nothing. This reading of a page (``read_page``) can be
   reused for the same bytes met at another URL (``extract_pool.py``): the
   metadata is kept as what the page says of itself (``extract_meta.py``)
   and placed at the new URL, so the article is the one a fresh read gives;
   plain text -> first non-empty line is the title;
   JSONL rows -> their fields;
3. merge with the source's hints (a feed entry's title and date win over a
   page's guesses only where the page has none);
4. identity: a hash of the canonical URL when there is one, else of the
   raw content, so re-ingesting is idempotent.

Five things make the reading of a page cheaper without changing a byte of
it: both passes start from one pruning of the raw tree, which they read
without copying it first (``_raw_prune_shared``); the HTML parser picks each
element's Python class in C (``_plain_element_classes``); trafilatura's
costliest XPath queries run as Python walks of the tree (``extract_xpath.py``);
and a pass's cleaned-tree backup is made only if read (``extract_backup.py``).

Cleaning of repost chrome is the next stage (``clean.py``); this module must
not drop text on its own.
"""

from __future__ import annotations

import email.utils
import functools
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsloom.errors import ExtractionError
from newsloom.extract_meta import knows_date_at, metadata_at, read_metadata
from newsloom.models import Article, RawInput, stable_id
from newsloom.nlp.text import STOPWORDS, words

TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|src|smid|sr_share)$", re.I)
_META_PUBLISHED_RE = re.compile(
    r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|og:published_time|datePublished|pubdate|publish-date|date)[\"'][^>]*>",
    re.I,
)
_CONTENT_ATTR_RE = re.compile(r"content=[\"']([^\"']+)[\"']", re.I)
MIN_PAGE_WORDS = 20  # a web page with fewer words of main text is not an article
_HTML_LANG_RE = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.I)


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no default port, no tracking parameters."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.hostname or ""
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path or "/", query, ""))


def parse_datetime(value) -> datetime | None:
    """A datetime from ISO 8601, RFC 2822, epoch seconds/milliseconds or a date; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        moment = datetime.fromtimestamp(number / 1000 if number > 1e11 else number, tz=timezone.utc)
    else:
        moment = _parse_date_string(str(value).strip())
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _parse_date_string(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from dateutil import parser as date_parser

        return date_parser.parse(text)
    except (ValueError, OverflowError, ImportError):
        return None


def guess_language(text: str) -> str | None:
    """'en' when English function words are frequent; None when unsure (no model download needed)."""
    tokens = words(text[:2000])
    if len(tokens) < 8:
        return None
    share = sum(token in STOPWORDS for token in tokens) / len(tokens)
    return "en" if share > 0.25 else None


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else (host or None)


def extract_article(raw: RawInput, *, page: dict | None = None) -> Article:
    """Turn one raw input into an article (not yet cleaned). Raises ExtractionError when nothing usable is there.

    ``page``: what ``read_page`` read from these same bytes before (a web page
    met again at another URL); its text is reused instead of running trafilatura again.
    """
    hints = raw.hints
    if raw.kind == "jsonl":
        fields = _fields_from_jsonl(raw)
    elif raw.kind == "text":
        fields = _fields_from_text(raw)
    elif raw.kind in ("html", "feed-entry"):
        fields = _page_fields(page or read_page(raw), raw)
    else:
        raise ExtractionError(f"{raw.origin}: inputs of kind {raw.kind!r} hold no article of their own")
    hints_win = raw.kind in ("feed-entry", "jsonl")  # the feed or the row names itself; a page may not
    for key in ("title", "url", "author", "outlet"):
        if hints.get(key) and (hints_win or not fields.get(key)):
            fields[key] = hints[key]
    published = parse_datetime(hints.get("published")) or fields.get("published_at")
    title = (fields.get("title") or "").strip()
    text = fields.get("text") or ""
    if raw.kind == "html" and len(words(text)) < MIN_PAGE_WORDS:
        raise ExtractionError(
            f"{raw.origin}: the page has no article text (only {len(words(text))} words outside menus and footers). "
            "It may be an index page, a paywall or need JavaScript; ingest the article's own URL or saved text instead."
        )
    if not title and not text.strip():
        raise ExtractionError(
            f"{raw.origin}: no article text or title found (a page of links, a paywall or an empty template?). "
            "Check the input in a browser; if it is an article, ingest its saved HTML or text instead."
        )
    if not title:
        title = text.strip().split("\n", 1)[0][:200]
    url = fields.get("url")
    identity = canonical_url(url)
    article_id = stable_id("url", identity) if identity else stable_id("content", raw.content_sha)
    language = fields.get("language") or guess_language(title + " " + text)
    return Article(
        id=article_id, raw_id=raw.id, title=title, text=text, extracted_text=text, url=url,
        published_at=published, author=fields.get("author"),
        outlet=fields.get("outlet") or outlet_from_url(url), language=language,
    )


def _decode(raw: RawInput) -> str:
    from newsloom.ingest.decode import decode_text

    return decode_text(raw.body, raw.hints.get("charset"), origin=raw.origin)


def _fields_from_text(raw: RawInput) -> dict:
    lines = _decode(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:])
    return {"title": title, "text": _normalise_paragraphs(body)}


def _fields_from_jsonl(raw: RawInput) -> dict:
    row = raw.hints
    if row.get("html"):
        fields = _fields_from_html(str(row["html"]), row.get("url"))
        if row.get("title"):
            fields["title"] = row["title"]
    else:
        fields = {"title": row.get("title") or "", "text": _normalise_paragraphs(str(row.get("text") or ""))}
    fields["url"] = row.get("url") or fields.get("url")
    return fields


def _fields_from_html(html: str, url: str | None) -> dict:
    """Main text and metadata of a page (``_read_html``)."""
    return _fields_of_page(_read_html(html, url), url)


def page_url(raw: RawInput) -> str | None:
    """The URL a web page (or feed entry) was found at: the source's hint, else an origin that is a URL."""
    return raw.hints.get("url") or (raw.origin if "://" in raw.origin else None)


def page_key(raw: RawInput) -> tuple | None:
    """What a page's reading depends on apart from its URL (its bytes and declared charset); None for other kinds."""
    if raw.kind not in ("html", "feed-entry"):
        return None
    return (raw.content_sha, raw.hints.get("charset"))


def read_page(raw: RawInput) -> dict:
    """A web page's reading (``_read_html``), to be kept and reused for byte-identical copies at other URLs."""
    return _read_html(_decode(raw), page_url(raw))


def _read_html(html: str, url: str | None) -> dict:
    """Trafilatura's passes over one parse of the page: the body, and the metadata read at ``url``.

    The body does not depend on the URL (trafilatura uses it only to resolve
    links, which are not kept); the metadata may (its date, site name and URL
    fall back on it), so it is kept as what the page says of itself and placed
    at a URL when it is used (``extract_meta.py``). Steps: the metadata (on the
    untouched parse, as ``bare_extraction`` reads it); an article body split
    into sibling chunks is joined (``_join_split_body``); the page's visible
    text; the precision pass; the balanced pass only as far as it can still
    change the body (``_balanced_pass_need``). Both passes start from the
    same pruning of the raw tree, done once (``_raw_prune_shared``).
    """
    import trafilatura

    tree = _load_html(html)
    if tree is None:
        return _unreadable()
    meta = read_metadata(tree, url)
    _join_split_body(tree)
    visible = _visible_text(tree)
    with _raw_prune_shared(tree) as source:
        precise_document = trafilatura.bare_extraction(source, url=url, with_metadata=False, favor_precision=True,
                                                       **_TRAFILATURA_OPTIONS)
        precise = _normalise_paragraphs(_document_text(precise_document))
        need = _balanced_pass_need(precise, visible)
        if need == "nothing":
            text = precise
        else:
            balanced_document = trafilatura.bare_extraction(source, url=url, with_metadata=False, fast=need == "fillers",
                                                            **_TRAFILATURA_OPTIONS)
            if balanced_document is None and need == "anything":
                return _unreadable()
            text = _body_from_passes(precise, _normalise_paragraphs(_document_text(balanced_document)))
    return {
        "text": text,
        "metadata": meta,  # ``extract_meta.PageMetadata``: placed at a URL by ``_fields_of_page``
        "published_at": _published_from_html(html),
        "language": _language_from_html(html),
    }


def _load_html(html: str):
    """``trafilatura.load_html``, with every element given its Python class in C (``_plain_element_classes``)
    and trafilatura's costliest XPath queries run as Python walks (``extract_xpath.py``)."""
    from trafilatura import load_html

    from newsloom.extract_xpath import install_walks

    _plain_element_classes()
    install_walks()
    return load_html(html)


@functools.cache
def _plain_element_classes() -> None:
    """Make trafilatura's HTML parser (used for every page, and kept by every copy of a tree) pick classes in C.

    lxml.html's parser chooses the Python class of an element through a
    Python callback (``lxml.html.HtmlElementClassLookup``), run each time an
    element is touched from Python: millions of times per batch, as the XPath
    prunes and the extractors walk every tree. It gives ``form``, ``input``,
    ``select``, ``textarea`` and ``label`` elements subclasses of ``HtmlElement``
    whose only additions are form-handling properties, which neither
    trafilatura, htmldate, justext nor newsloom reads. A lookup done in C that
    gives plain ``HtmlElement`` (and the same comment, processing-instruction
    and entity classes) cuts the CPU of reading a page by about 6% (the
    throughput benchmark's pages, read both ways in turn) with byte-identical
    output; tests/test_extract.py compares the two readings.
    """
    from lxml import etree, html
    from trafilatura.utils import HTML_PARSER

    HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity))


# The trafilatura whose extraction sequence ``_raw_prune_shared`` was checked against (see there).
_SHARED_PRUNE_VERSIONS = ("2.3.1",)
_skip_raw_prune = threading.local()  # ``active`` while this thread runs the passes over a tree pruned for them


@contextmanager
def _raw_prune_shared(tree):
    """Prune the raw tree once for both passes: the same ``bare_extraction`` output, less work.

    Each ``bare_extraction`` copies the tree and, before anything else reads
    that copy, prunes it with two XPath lists (infinite-scroll containers;
    comment sections): the same pruning in both passes, since comments are off
    and the page is no forum thread (on a forum the balanced pass keeps the
    comment sections: then nothing is shared). Here ``tree`` is pruned in
    place with those lists, and while the block runs, trafilatura's sequence
    skips them (``_shared_prune_step``), so each pass starts from the very tree
    it would have made (about 2 ms of XPath saved per page on the benchmark
    pages). Only for a trafilatura version checked to prune in that order
    (``_SHARED_PRUNE_VERSIONS``); otherwise the passes prune for themselves.

    The block gives what to hand to ``bare_extraction``: the tree itself, or
    inside the shared pruning the tree wrapped as ``_Uncopied``. With those
    prunes skipped, the sequence of that version never changes the raw tree
    it is given (every other step works on a copy of its own), so the copy
    ``bare_extraction`` makes of a tree first (about 1 ms a pass) is skipped.
    """
    import trafilatura
    from trafilatura.core import _forum_thread_page
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

    if trafilatura.__version__ not in _SHARED_PRUNE_VERSIONS or _forum_thread_page(tree):
        yield tree
        return
    _install_shared_prune_step()
    prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
    prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
    _skip_raw_prune.active = True
    try:
        yield _Uncopied(tree)
    finally:
        _skip_raw_prune.active = False


@functools.cache
def _install_shared_prune_step() -> None:
    """Route ``trafilatura.core``'s pruning through ``_shared_prune_step`` and its ``load_html`` through
    ``_uncopied_or_load``, and its cleaned-tree backup through ``extract_backup.py`` (other threads and
    callers: unchanged)."""
    import trafilatura.core
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

    from newsloom.extract_backup import install_lazy_backup

    install_lazy_backup(lambda: getattr(_skip_raw_prune, "active", False))  # the raw tree is left alone then

    trafilatura.core.prune_unwanted_nodes = functools.partial(
        _shared_prune_step, trafilatura.core.prune_unwanted_nodes, (RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH))
    trafilatura.core.load_html = functools.partial(_uncopied_or_load, trafilatura.core.load_html)


class _Uncopied:
    """A tree handed to ``bare_extraction`` inside ``_raw_prune_shared``: read as it is, not copied first."""

    __slots__ = ("tree",)

    def __init__(self, tree):
        self.tree = tree


def _uncopied_or_load(load, htmlobject, *args, **kwargs):
    """trafilatura's ``load_html`` (in ``trafilatura.core``), except that an ``_Uncopied`` tree is used as it is."""
    return htmlobject.tree if isinstance(htmlobject, _Uncopied) else load(htmlobject, *args, **kwargs)


def _shared_prune_step(prune, shared_lists: tuple, tree, nodelist, *args, **kwargs):
    """trafilatura's ``prune_unwanted_nodes``, except the raw-tree lists (``shared_lists``) inside ``_raw_prune_shared``."""
    if getattr(_skip_raw_prune, "active", False) and any(nodelist is shared for shared in shared_lists):
        return tree
    return prune(tree, nodelist, *args, **kwargs)


def _unreadable() -> dict:
    return {"text": "", "metadata": None, "published_at": None, "language": None}


def _page_fields(page: dict, raw: RawInput) -> dict:
    """The fields of ``raw`` from a reading of its bytes, made at its own URL or another one."""
    url = page_url(raw)
    if page["metadata"] and not knows_date_at(page["metadata"], url):
        # read at a URL with a date in it, met at one without: the page's own date is searched now
        page = {**page, "metadata": read_metadata(_load_html(_decode(raw)), url)}
    return _fields_of_page(page, url)


def _fields_of_page(page: dict, url: str | None) -> dict:
    if not page["metadata"]:
        return {"title": "", "text": ""}
    meta = metadata_at(page["metadata"], url)
    return {
        "title": meta.get("title") or "",
        "text": page["text"],
        "url": url or meta.get("url"),
        "author": meta.get("author"),
        "outlet": meta.get("sitename"),
        "published_at": page["published_at"] or parse_datetime(meta.get("date")),
        "language": page["language"] or meta.get("language"),
    }


# Tables are kept: result tables, price lists and schedules are part of the report as published.
_TRAFILATURA_OPTIONS = {"include_comments": False, "include_tables": True}
PRECISE_MIN_SHARE = 0.1  # below this share of the balanced pass's words, the precision pass missed the article
SHOUTING_UPPER_SHARE = 0.8  # a filler paragraph with more upper-case letters than this is a promo headline
# the text a reader sees: inside <body>, not the code of scripts and styles (they hold no elements, so parent:: is enough)
_VISIBLE_TEXT_XPATH = "//body//text()[not(parent::script or parent::style or parent::noscript or parent::template)]"


def _document_text(document) -> str:
    if document is None:
        return ""
    meta = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return meta.get("text") or ""


def _body_from_passes(precise: str, balanced: str) -> str:
    """Combine trafilatura's precision pass (the skeleton) with its balanced pass (the filler).

    The precision pass drops the "related stories", teasers and promo blocks
    that the balanced pass keeps at the top and bottom of an article, but it
    also drops short paragraphs *inside* the article (sub-headings, list items,
    a one-line quote). So: every run of balanced paragraphs that sits between
    two paragraphs adjacent in the precision pass is put back into that gap,
    except all-caps lines (inline promo headlines: "CLICK HERE TO GET THE APP").
    Nothing is added before the first or after the last precision paragraph.
    When the precision pass finds (almost) nothing, or keeps less than
    ``PRECISE_MIN_SHARE`` of the balanced text (it then found some other block,
    such as a reprints notice, instead of trimming the article), the balanced
    pass is used.
    Benchmark evidence (ScrapingHub set, chosen on its even-indexed pages):
    bench/RESULTS.md, section "extraction".
    """
    skeleton = precise.split("\n\n") if precise else []
    precise_words = len(words(precise))
    if precise_words < MIN_PAGE_WORDS or precise_words < PRECISE_MIN_SHARE * len(words(balanced)):
        return balanced
    fuller = balanced.split("\n\n") if balanced else []
    position = {}
    for index, paragraph in enumerate(skeleton):
        position.setdefault(paragraph, index)
    anchors = [(index, position[paragraph]) for index, paragraph in enumerate(fuller) if paragraph in position]
    fillers: dict[int, list[str]] = {}
    for (left, skeleton_left), (right, skeleton_right) in zip(anchors, anchors[1:]):
        if skeleton_right == skeleton_left + 1 and right > left + 1:
            fillers[skeleton_left] = [p for p in fuller[left + 1 : right] if not _shouting(p)]
    body: list[str] = []
    for index, paragraph in enumerate(skeleton):
        body.append(paragraph)
        body.extend(fillers.get(index, []))
    return "\n\n".join(body)


def _balanced_pass_need(precise: str, visible: list[str]) -> str:
    """What the balanced pass can still add to the precision pass's body: "nothing", "fillers" or "anything".

    The balanced pass changes the body in two ways only (``_body_from_passes``):
    it replaces a precision pass that kept too little, and it fills gaps
    between paragraphs adjacent in the precision pass.

    - "anything": the precision pass keeps fewer than ``MIN_PAGE_WORDS`` words
      or less than ``PRECISE_MIN_SHARE`` of the page's visible words, so the
      balanced pass (which keeps at most the page's words) may replace it: run
      it in full;
    - "nothing": besides, the precision paragraphs sit back to back in the
      page's visible text, in order, with not one word between two of them:
      there is no gap to fill, so the balanced pass is not run;
    - "fillers": otherwise (a gap, or a paragraph trafilatura rewrote and that
      cannot be found). Only the balanced pass's paragraphs inside the
      precision skeleton can be used, so its fast mode is enough: that mode
      skips only the comparison with readability/justext, which swaps in
      another extractor's guess for the whole body.

    ``visible`` is the page's visible text (``_visible_text``): the text in
    ``<body>`` outside scripts, styles and templates; words are
    ``nlp.text.words``, as in ``_body_from_passes``.
    """
    paragraphs = [words(paragraph) for paragraph in precise.split("\n\n")]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    precise_words = sum(map(len, paragraphs))
    if precise_words < MIN_PAGE_WORDS:
        return "anything"
    page = words(" ".join(visible))
    if precise_words < PRECISE_MIN_SHARE * len(page):
        return "anything"
    page_text = " " + " ".join(page) + " "
    previous_end = None
    for paragraph in paragraphs:
        needle = " " + " ".join(paragraph) + " "
        start = page_text.find(needle, previous_end or 0)
        if start < 0 or (previous_end is not None and start != previous_end):
            return "fillers"
        previous_end = start + len(needle) - 1  # the space after the paragraph is the next one's leading space
    return "nothing"


@functools.cache
def _visible_text_query():
    from lxml import etree

    return etree.XPath(_VISIBLE_TEXT_XPATH, smart_strings=False)  # plain strings: a third cheaper


def _visible_text(tree) -> list[str]:
    return _visible_text_query()(tree)


def _join_split_body(tree) -> int:
    """Join an article body that the page splits into sibling chunks; returns how many chunks were moved.

    Trafilatura reads only the first element that its article-body XPath
    matches. Some pages cut one article into several containers of the same
    tag and class, laid side by side under one wrapper (a chunk of paragraphs,
    then an ad column, then the next chunk); everything after the first chunk
    is then lost. A later match is moved into the first when it has the same
    tag and class, its parent is a sibling of the first's parent (same
    grandparent), and both hold at least ``MIN_PAGE_WORDS`` words of paragraph
    text (teaser cards of other articles, also same-class, hold a line each).
    """
    from trafilatura.xpaths import BODY_XPATH

    matches = BODY_XPATH[0](tree)
    if len(matches) < 2:
        return 0
    first = matches[0]
    parent = first.getparent()
    wrapper = parent.getparent() if parent is not None else None
    if wrapper is None or _paragraph_words(first) < MIN_PAGE_WORDS:
        return 0
    moved = 0
    for chunk in matches[1:]:
        chunk_parent = chunk.getparent()
        if (chunk.tag != first.tag or chunk.get("class") != first.get("class") or chunk_parent is None
                or chunk_parent.getparent() is not wrapper or _paragraph_words(chunk) < MIN_PAGE_WORDS):
            continue
        first.extend(list(chunk))
        chunk_parent.remove(chunk)
        moved += 1
    return moved


def _paragraph_words(element) -> int:
    return sum(len(text.split()) for text in element.xpath(".//p//text()"))


def _shouting(paragraph: str) -> bool:
    letters = [char for char in paragraph if char.isalpha()]
    if len(paragraph.split()) < 3 or not letters:
        return False
    return sum(char.isupper() for char in letters) / len(letters) > SHOUTING_UPPER_SHARE


def _published_from_html(html: str) -> datetime | None:
    head = html[:50_000]
    for tag in _META_PUBLISHED_RE.findall(head):
        content = _CONTENT_ATTR_RE.search(tag)
        if content and (moment := parse_datetime(content.group(1))):
            return moment
    return None


def _language_from_html(html: str) -> str | None:
    match = _HTML_LANG_RE.search(html[:5000])
    return match.group(1).lower() if match else None


def _normalise_paragraphs(text: str) -> str:
    """Paragraphs separated by one blank line, inner whitespace folded.

    Text with blank lines between paragraphs may be hard-wrapped inside them,
    so its single newlines are joined; text without any blank line (as
    trafilatura writes it) has one paragraph per line.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        blocks = [" ".join(block.split("\n")) for block in re.split(r"\n[ \t]*\n", text)]
    else:
        blocks = text.split("\n")
    blocks = [re.sub(r"[ \t\u00a0]+", " ", block).strip() for block in blocks]
    return "\n\n".join(block for block in blocks if block)
