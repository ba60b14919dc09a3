"""A web page's metadata as trafilatura reads it, split into what the page says and what follows its URL.

``extract.py`` keeps the fields of trafilatura's ``extract_metadata`` that an
article uses (title, URL, author, site name, date). Of these, only three may
depend on the URL the page was found at, and only in this way (trafilatura
2.x, htmldate 1.x):

- **URL**: the one the page names for itself (meta tags, JSON-LD, canonical
  link), else the URL it was found at;
- **date**: the date in that URL (``/2014/03/12/``), else the date found in
  the page (htmldate's search of the markup and text, which does not look
  at the URL again); a page read without any URL takes the URL date of its
  canonical link's raw ``href``;
- **site name**: the page's own (meta tags, JSON-LD, title), else the host
  of that URL.

``read_metadata`` reads what comes from the page once (``PageMetadata``), with the
same trafilatura functions in the same order as ``extract_metadata``
(categories, tags and licence are not read: no article field uses them);
``metadata_at`` places them at any URL without parsing the page again. The
page's own date is searched only when the URL read at gives none (the search
is the costliest part): a byte-identical page met at a URL without a date in
it then needs that search (``knows_date_at`` says so) and the caller reads
the page again. tests/test_extract_meta.py checks the result field for field
against ``extract_metadata`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

_FIELDS = ("title", "url", "author", "sitename", "date", "language")


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself, as trafilatura reads it (kept with the page's reading)."""

    title: str | None
    author: str | None
    language: str | None
    named_url: str | None  # the URL the page names for itself (meta tags, JSON-LD, canonical link)
    sitename: str | None  # the page's own site name, tidied; None when it names none
    canonical_href: str | None  # the raw ``href`` of its canonical link: htmldate's URL when there is no other
    page_date: str | None = None  # the date htmldate finds in the page itself (no URL)
    page_date_read: bool = False  # whether ``page_date`` was searched


def read_metadata(tree, url: str | None) -> PageMetadata:
    """What a parsed page says about itself, and its own date when ``url`` (as read) names none.

    Leaves ``tree`` as it was, as ``extract_metadata`` does.
    """
    from trafilatura.metadata import (examine_meta, extract_author, extract_meta_json, extract_sitename,
                                      extract_title, extract_url)

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 -- as trafilatura: a broken JSON-LD block costs only its own fields
        pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    canonical = tree.find('.//link[@rel="canonical"]')
    page = PageMetadata(
        title=metadata.title, author=metadata.author, language=metadata.language,
        named_url=metadata.url or extract_url(tree),
        sitename=_own_sitename(metadata.sitename or extract_sitename(tree)),
        canonical_href=canonical.get("href") if canonical is not None else None,
    )
    if not knows_date_at(page, url):
        page = replace(page, page_date=_page_date(tree), page_date_read=True)
    return page


def knows_date_at(page: PageMetadata, url: str | None) -> bool:
    """Whether ``metadata_at`` can give the date at ``url`` without searching the page again."""
    return page.page_date_read or _url_date(_date_url(page, url)) is not None


def metadata_at(page: PageMetadata, url: str | None) -> dict[str, str | None]:
    """The fields (``_FIELDS``) that ``extract_metadata(tree, url)`` gives, from ``read_metadata``'s reading
    (see ``knows_date_at``)."""
    from trafilatura.metadata import META_URL
    from trafilatura.settings import Document

    document = Document(title=page.title, author=page.author, language=page.language)
    document.url = page.named_url or url
    document.date = _url_date(_date_url(page, url)) or page.page_date
    if page.sitename is not None:
        document.sitename = page.sitename
    elif document.url and (match := META_URL.match(document.url)):
        document.sitename = match[1]
    document.clean_and_trim()
    return {field: getattr(document, field) for field in _FIELDS}


def _own_sitename(found: str | None) -> str | None:
    """The page's site name as ``extract_metadata`` tidies it ("" when it was only "@"), None when there is none."""
    if not found:
        return None
    sitename = found.lstrip("@")
    if sitename and "." not in sitename and not sitename[0].isupper():
        sitename = sitename.title()
    return sitename


def _date_url(page: PageMetadata, url: str | None) -> str | None:
    """The URL htmldate reads a date from: the page's URL as trafilatura settles it, else the canonical ``href``."""
    settled = page.named_url or url
    return settled if settled is not None else page.canonical_href


def _date_params() -> dict:
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    return set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))


def _url_date(url: str | None) -> str | None:
    """The date htmldate reads from a URL, with the options ``find_date`` builds from trafilatura's parameters."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor
    from htmldate.validators import get_max_date, get_min_date

    params = _date_params()
    options = Extractor(params["extensive_search"], get_max_date(params["max_date"]), get_min_date(None),
                        params["original_date"], "%Y-%m-%d")
    return extract_url_date(url, options)


def _page_date(tree) -> str | None:
    """The date htmldate finds in the page itself: ``find_date`` given an empty URL, so neither a URL
    nor the canonical link is read."""
    from htmldate import find_date

    return find_date(tree, **{**_date_params(), "url": ""})
