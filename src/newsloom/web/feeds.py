"""Atom feeds of stories: ``/stories.atom``, filtered with ``?outlet=`` or ``?entity=``.

Built with ElementTree, so every text is escaped; characters XML 1.0 does
not allow (hostile input can carry them) are dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsloom.browse import Page
from newsloom.web import views

router = APIRouter(include_in_schema=True, tags=["feeds"])
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_NOT_XML_CHARS = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATOM_RESPONSE = {200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed"}}


def xml_text(value: str | None) -> str:
    return _NOT_XML_CHARS.sub("", value or "")


@router.get("/stories.atom", response_class=Response, responses=ATOM_RESPONSE, summary="Atom feed of stories")
async def stories_feed(request: Request, outlet: str | None = Query(None, max_length=300),
                       entity: str | None = Query(None, max_length=300)):
    """The latest stories (optionally of one outlet or entity), newest first."""
    page = request.app.state.browse.stories_page(FEED_SIZE, outlet=outlet or None, entity=entity or None)
    title = "newsloom stories" + (f" from {outlet}" if outlet else "") + (f" about {entity}" if entity else "")
    base = str(request.base_url).rstrip("/")
    self_href = base + "/stories.atom" + views.query_string(outlet=outlet, entity=entity)
    body = atom_feed(page, title, base, self_href)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def atom_feed(page: Page, title: str, base: str, self_href: str) -> bytes:
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _text(feed, "id", self_href)
    _text(feed, "title", title)
    _text(feed, "updated", max((s.last_published for s in page.items if s.last_published), default=None) or _now())
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=self_href, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="alternate", href=base + "/", type="text/html")
    _text(ET.SubElement(feed, f"{{{ATOM_NS}}}author"), "name", "newsloom")
    for story in page.items:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "id", f"urn:newsloom:story:{story.id}")
        _text(entry, "title", story.headline or "(digest pending)")
        _text(entry, "updated", story.last_published or _now())
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", rel="alternate", href=f"{base}/stories/{story.id}", type="text/html")
        summary = f"{story.article_count} articles from {story.outlet_count} outlets: {', '.join(story.outlets)}."
        _text(entry, "summary", f"{story.standfirst} ({summary})" if story.standfirst else summary)
        for outlet in story.outlets:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=xml_text(outlet))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = xml_text(value)
    return element


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()
