"""The web application: FastAPI over one newsloom database, read through ``Engine`` and ``Browse``.

``create_app(db)`` builds the app: the HTML pages (``pages.py``), the JSON
API (``api_routes.py``, ``ingest_routes.py``), the Atom feeds (``feeds.py``),
static files, the security middleware (``security.py``) and error handlers
that answer JSON under ``/api`` and HTML elsewhere, never with a traceback.

Reads share one Engine. The handlers are ``async`` so that they all run on
the event loop's thread and never use the SQLite connection concurrently;
ingest opens its own Engine in a worker thread (WAL lets readers go on).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsloom import __version__
from newsloom.api import Engine
from newsloom.browse import Browse, InvalidCursorError
from newsloom.errors import NotFoundError
from newsloom.web import views
from newsloom.web.security import SECURITY_HEADERS, BodySizeLimit, SecurityHeaders, safe_href

WEB_DIR = Path(__file__).resolve().parent
DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_PATH = "/api/ingest/files"
log = logging.getLogger("newsloom.web")


def create_app(db: str | Path, *, allow_ingest: bool = False, token: str | None = None,
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
               settings=None) -> FastAPI:
    """The web app over the database at ``db``. ``token`` defaults to $NEWSLOOM_TOKEN."""
    engine = Engine(db, settings=settings)  # closed by serve(); test clients may run the lifespan many times
    app = FastAPI(
        title="newsloom", version=__version__, docs_url=None, redoc_url=None, debug=False,
        description="Read the news as stories: digests whose every sentence cites its sources, the sources, "
                    "their copies and the cross-check. Lists are paged with an opaque `cursor` "
                    "(pass `next_cursor` back unchanged).",
    )
    app.state.engine = engine
    app.state.browse = Browse(engine)
    app.state.db_path = Path(db)
    app.state.allow_ingest = allow_ingest
    app.state.token = token if token is not None else os.environ.get("NEWSLOOM_TOKEN")
    app.state.templates = build_templates()
    _add_routes(app)
    _add_error_handlers(app)
    app.add_middleware(BodySizeLimit, default_limit=max_body_bytes, limits_by_path={UPLOAD_PATH: max_upload_bytes})
    app.add_middleware(SecurityHeaders)
    return app


def build_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB_DIR / "templates")), autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters.update(time=views.format_time, safe_href=safe_href, path_part=views.path_part)
    environment.globals.update(query_string=views.query_string, version=__version__)
    return Jinja2Templates(env=environment)


def _add_routes(app: FastAPI) -> None:
    from newsloom.web import api_routes, feeds, ingest_routes, pages

    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(api_routes.router)
    app.include_router(ingest_routes.router)
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")


def wants_json(request: Request) -> bool:
    """Machine clients (the API, feeds) get JSON errors; people get a page."""
    path = request.url.path
    return path.startswith("/api") or path.endswith(".atom") or path == "/openapi.json"


def error_response(request: Request, status: int, message: str, extra: dict | None = None):
    """The one shape of every error: JSON ``{"error": ...}`` under /api, an HTML page elsewhere."""
    if wants_json(request):
        return JSONResponse({"error": message, **(extra or {})}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError):
        return error_response(request, 404, str(error))

    @app.exception_handler(InvalidCursorError)
    async def bad_cursor(request: Request, error: InvalidCursorError):
        return error_response(request, 422, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        details = jsonable_encoder(error.errors(), custom_encoder={Exception: str})
        message = "; ".join(_describe(detail) for detail in details) or "invalid request"
        return error_response(request, 422, f"invalid request: {message}", {"detail": details})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        message = error.detail if isinstance(error.detail, str) else "request refused"
        response = error_response(request, error.status_code, message)
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception):
        log.exception("unhandled error on %s", request.url.path)
        response = error_response(request, 500, "internal server error; the details are in the server log")
        for name, value in SECURITY_HEADERS:  # this handler runs outside the middleware stack
            response.headers[name.decode()] = value.decode()
        return response


def _describe(detail: dict) -> str:
    location = ".".join(str(part) for part in detail.get("loc", ()))
    return f"{location}: {detail.get('msg', 'invalid')}" if location else str(detail.get("msg", "invalid"))
