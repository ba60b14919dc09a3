"""The read-only JSON API under ``/api``: stories, articles, search, outlets, entities, failures.

Lists are paged by an opaque ``cursor`` over a stable order (``next_cursor``
of one page fetches the next). Every answer is checked against a response
model in ``schemas.py``; errors are ``{"error": ...}`` with 404 or 422.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, HTTPException, Query, Request

from newsloom.browse import ENTITY_KINDS
from newsloom.web import schemas
from newsloom.web.pages import since_or_422

router = APIRouter(prefix="/api", tags=["read"])
OUTLET_HELP = "Only those with an article from this outlet."
ENTITY_HELP = "Only those naming this person, organisation or place."
NOT_FOUND = {404: {"model": schemas.ErrorOut, "description": "No such item"}}


# Each parameter needs its own Query object: FastAPI keeps per-parameter state on it.
def limit_param():
    return Query(20, ge=1, le=100, description="Items per page (1-100).")


def cursor_param():
    return Query(None, max_length=500, description="The `next_cursor` of the previous page.")


def filter_param(description: str):
    return Query(None, max_length=300, description=description)


@router.get("/stories", response_model=schemas.StoryPageOut, summary="List or search stories")
async def list_stories(request: Request, limit: int = limit_param(), cursor: str | None = cursor_param(),
                       since: str | None = Query(None, max_length=40, description="A date, an ISO time, or 36h / 7d / 2w."),
                       outlet: str | None = filter_param(OUTLET_HELP),
                       entity: str | None = filter_param(ENTITY_HELP),
                       q: str | None = Query(None, max_length=300, description="Words, all required (full-text).")):
    """Stories with articles, latest article first (ties by id)."""
    page = request.app.state.browse.stories_page(limit, cursor, since=since_or_422(since), outlet=outlet,
                                                 entity=entity, q=q)
    return page.to_dict()


@router.get("/stories/{story_id}", response_model=schemas.StoryOut, responses=NOT_FOUND, summary="One story")
async def get_story(request: Request, story_id: str):
    """The story with its digest (citations), sources, cross-check, entities and timeline. An id prefix works."""
    engine, browse = request.app.state.engine, request.app.state.browse
    view = engine.story(story_id)
    entities = {kind: [{"name": name, "count": count} for name, count in names]
                for kind, names in browse.story_entities(view.id).items()}
    return {**view.to_dict(), "entities": entities, "timeline": [asdict(entry) for entry in browse.story_timeline(view.id)]}


@router.get("/articles", response_model=schemas.ArticlePageOut, summary="List or search articles")
async def list_articles(request: Request, limit: int = limit_param(), cursor: str | None = cursor_param(),
                        outlet: str | None = filter_param(OUTLET_HELP),
                        entity: str | None = filter_param(ENTITY_HELP),
                        q: str | None = Query(None, max_length=300, description="Words, all required (full-text).")):
    """Articles, newest arrival first."""
    return request.app.state.browse.articles(limit, cursor, outlet=outlet, entity=entity, q=q).to_dict()


@router.get("/articles/{article_id}", response_model=schemas.ArticleOut, responses=NOT_FOUND, summary="One article")
async def get_article(request: Request, article_id: str):
    """Clean text, the spans cleaning removed (with reasons), copies, and why it joined its story."""
    view = request.app.state.engine.article(article_id)
    return {**view.to_dict(), "entities": request.app.state.browse.article_entities(view.id)}


@router.get("/search", response_model=schemas.SearchOut, summary="Full-text search")
async def search(request: Request, q: str = Query(..., min_length=1, max_length=300),
                 limit: int = Query(20, ge=1, le=100)):
    """Stories (digests) and articles whose text has every word of `q`, best match first."""
    return request.app.state.engine.search(q, limit=limit)


@router.get("/outlets", response_model=list[schemas.OutletOut], summary="List outlets")
async def list_outlets(request: Request, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000)):
    """Outlets by number of articles, most first, then by name."""
    return [asdict(outlet) for outlet in request.app.state.browse.outlets(limit, offset)]


@router.get("/outlets/{name:path}", response_model=schemas.OutletOut, responses=NOT_FOUND, summary="One outlet")
async def get_outlet(request: Request, name: str):
    """An outlet's counts; list its stories or articles with `?outlet=` on /api/stories and /api/articles."""
    return asdict(request.app.state.browse.outlet(name))


@router.get("/entities", response_model=list[schemas.EntityOut], summary="List people, organisations and places")
async def list_entities(request: Request, kind: str | None = Query(None, description="people | orgs | places"),
                        limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000)):
    """Entities by number of articles naming them, most first, then by name."""
    if kind is not None and kind not in ENTITY_KINDS:
        raise HTTPException(422, f"invalid kind {kind!r}: use one of {', '.join(ENTITY_KINDS)}")
    return [asdict(entity) for entity in request.app.state.browse.entities(kind, limit, offset)]


@router.get("/entities/{name:path}", response_model=list[schemas.EntityOut], responses=NOT_FOUND, summary="One entity")
async def get_entity(request: Request, name: str):
    """Each kind under which the name was found, with counts; filter lists with `?entity=`."""
    return [asdict(entity) for entity in request.app.state.browse.entity(name)]


@router.get("/failures", response_model=list[schemas.FailureOut], summary="Inputs that failed")
async def list_failures(request: Request):
    """Raw inputs that were kept but could not be turned into articles, and why."""
    return request.app.state.engine.failures()
