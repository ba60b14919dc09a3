"""The HTML pages: stories (home), one story, one article, outlets, entities, the API reference.

Each handler reads through ``Engine``/``Browse``, shapes the result with
``views`` and renders one template. Templates autoescape everything; no
article markup is ever rendered as HTML.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsloom.api import parse_since
from newsloom.browse import ENTITY_KINDS
from newsloom.web import views

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
SINCE_CHOICES = (("", "any time"), ("24h", "last 24 hours"), ("7d", "last 7 days"), ("30d", "last 30 days"))
KIND_TITLES = {"people": "People", "orgs": "Organisations", "places": "Places"}


def text_param(max_length: int = 300):
    """A fresh optional query parameter (FastAPI keeps per-parameter state on each Query object)."""
    return Query(None, max_length=max_length)


def since_or_422(since: str | None) -> datetime | None:
    """``api.parse_since`` with a 422 for values it cannot read."""
    try:
        return parse_since(since)
    except (ValueError, OverflowError):
        raise HTTPException(422, f"invalid since {since!r}: give a date (2026-03-01), an ISO time, or 36h / 7d / 2w") from None


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("kind_titles", KIND_TITLES)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
async def stories_page(request: Request, q: str | None = text_param(), since: str | None = Query(None, max_length=40),
                       outlet: str | None = text_param(), entity: str | None = text_param(), cursor: str | None = text_param(500)):
    browse = request.app.state.browse
    page = browse.stories_page(PAGE_SIZE, cursor, since=since_or_422(since), outlet=outlet or None,
                               entity=entity or None, q=q or None)
    article_hits = browse.articles(10, q=q).items if q else []
    filters = {"q": q, "since": since, "outlet": outlet, "entity": entity}
    return render(request, "stories.html", page=page, article_hits=article_hits, filters=filters,
                  since_choices=SINCE_CHOICES, outlets=browse.outlets(limit=200), top_entities=browse.entities(limit=200),
                  next_href="/" + views.query_string(**filters, cursor=page.next_cursor) if page.next_cursor else None)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str):
    engine, browse = request.app.state.engine, request.app.state.browse
    view = engine.story(story_id)
    standfirst, body = views.digest_lines(view)
    sources = views.source_rows(view)
    return render(
        request, "story.html", story=view, standfirst=standfirst, body=body, sources=sources,
        numbers={row.ref.id: row.number for row in sources}, refs={row.ref.id: row.ref for row in sources},
        timeline=browse.story_timeline(view.id), entities=browse.story_entities(view.id),
        crosscheck=views.crosscheck_sections(view.crosscheck), crosscheck_checked=view.crosscheck is not None,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str, quote: str | None = Query(None, max_length=5000)):
    engine, browse = request.app.state.engine, request.app.state.browse
    view = engine.article(article_id)
    linked_ids = [copy["article_id"] for copy in view.copies] + ([view.copy_of["original_id"]] if view.copy_of else [])
    story = engine.story(view.story_id) if view.story_id else None
    return render(
        request, "article.html", article=view, text=views.quoted_text(view.text, quote, view.title), story=story,
        linked=browse.article_titles(linked_ids), matched=views.matched_features(view),
        entities=browse.article_entities(view.id),
    )


@router.get("/outlets", response_class=HTMLResponse)
async def outlets_page(request: Request):
    return render(request, "outlets.html", outlets=request.app.state.browse.outlets(limit=1000))


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
async def outlet_page(request: Request, name: str, cursor: str | None = text_param(500)):
    browse = request.app.state.browse
    outlet = browse.outlet(name)
    return render(request, "listing.html", title=outlet.name, subtitle="Outlet", summary=outlet,
                  feed_href="/stories.atom" + views.query_string(outlet=outlet.name),
                  stories=browse.stories_page(PAGE_SIZE, outlet=outlet.name).items,
                  articles=browse.articles(PAGE_SIZE, cursor, outlet=outlet.name), self_path=request.url.path)


@router.get("/entities", response_class=HTMLResponse)
async def entities_page(request: Request, kind: str | None = Query(None, max_length=20)):
    if kind and kind not in ENTITY_KINDS:
        raise HTTPException(422, f"invalid kind {kind!r}: use one of {', '.join(ENTITY_KINDS)}")
    browse = request.app.state.browse
    return render(request, "entities.html", kind=kind, entities=browse.entities(kind or None, limit=500), kinds=ENTITY_KINDS)


@router.get("/entities/{name:path}", response_class=HTMLResponse)
async def entity_page(request: Request, name: str, cursor: str | None = text_param(500)):
    browse = request.app.state.browse
    kinds = browse.entity(name)
    return render(request, "listing.html", title=name, subtitle=" / ".join(KIND_TITLES[k.kind] for k in kinds),
                  summary=kinds[0], feed_href="/stories.atom" + views.query_string(entity=name),
                  stories=browse.stories_page(PAGE_SIZE, entity=name).items,
                  articles=browse.articles(PAGE_SIZE, cursor, entity=name), self_path=request.url.path)


@router.get("/docs", response_class=HTMLResponse)
async def api_docs_page(request: Request):
    """The API reference, rendered here from the OpenAPI document (no CDN, works offline)."""
    schema = request.app.openapi()
    operations = [
        (method.upper(), path, operation)
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    return render(request, "api_docs.html", schema=schema, operations=operations)
