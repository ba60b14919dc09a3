"""The write endpoints: ``POST /api/ingest`` (URLs, feed URLs) and ``POST /api/ingest/files`` (uploads).

Both are off unless the operator started the server with ``--allow-ingest``,
and then need ``Authorization: Bearer $NEWSLOOM_TOKEN``. The token is checked
before the body is parsed, so an anonymous client learns nothing from
validation errors. URLs must pass ``ingest.fetch.check_url_allowed`` (http(s),
public addresses only unless ``allow_private_urls``) or the request is
refused with 400; the fetcher re-checks every redirect. Ingest runs in a
worker thread with its own Engine, one request at a time.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from newsloom.api import Engine
from newsloom.errors import FetchError
from newsloom.models import IngestReport
from newsloom.web import schemas
from newsloom.web.security import BodyTooLarge, ingest_denial

router = APIRouter(prefix="/api", tags=["write"])
MAX_FILES = 20
_INGEST_LOCK = threading.Lock()
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
WRITE_RESPONSES = {
    400: {"model": schemas.ErrorOut, "description": "A URL or file was refused"},
    401: {"model": schemas.ErrorOut, "description": "No bearer token"},
    403: {"model": schemas.ErrorOut, "description": "Ingest is off, or the token is wrong"},
    413: {"model": schemas.ErrorOut, "description": "The request body is too large"},
}
URLS_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": schemas.IngestRequest.model_json_schema()}}}}
FILES_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}


class IngestRefused(Exception):
    """A write request refused before any ingest: carries the status and the message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def refusal_response(request: Request, refused: IngestRefused):
    from newsloom.web.app import error_response

    response = error_response(request, refused.status, str(refused))
    if refused.status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _authorise(request: Request) -> None:
    state = request.app.state
    denial = ingest_denial(state.allow_ingest, state.token, request.headers.get("authorization"))
    if denial:
        raise IngestRefused(*denial)


@router.post("/ingest", response_model=schemas.IngestOut, responses=WRITE_RESPONSES, openapi_extra=URLS_BODY,
             summary="Ingest article, RSS or Atom URLs")
async def ingest_urls(request: Request):
    """Fetch and ingest the given URLs. Needs `--allow-ingest` and the bearer token."""
    try:
        _authorise(request)
        ingest_request = _parse_urls_body(await request.body())
        await run_in_threadpool(_check_urls, ingest_request.urls, request.app.state.engine.settings)
    except IngestRefused as refused:
        return refusal_response(request, refused)
    report = await run_in_threadpool(_ingest_sources, request.app, ingest_request.urls)
    return report_dict(report)


@router.post("/ingest/files", response_model=schemas.IngestOut, responses=WRITE_RESPONSES, openapi_extra=FILES_BODY,
             summary="Ingest uploaded files")
async def ingest_files(request: Request):
    """Ingest uploaded HTML, text, JSONL, RSS or Atom files (field `files`). Needs `--allow-ingest` and the token."""
    try:
        _authorise(request)
        uploads = await _uploaded_files(request)
    except IngestRefused as refused:
        return refusal_response(request, refused)
    with tempfile.TemporaryDirectory(prefix="newsloom-upload-") as folder:
        paths = [await _save_upload(upload, Path(folder), number) for number, upload in enumerate(uploads)]
        report = await run_in_threadpool(_ingest_files, request.app, paths)
    return report_dict(report)


def _parse_urls_body(body: bytes) -> schemas.IngestRequest:
    try:
        return schemas.IngestRequest.model_validate_json(body or b"null")
    except ValidationError as error:
        raise RequestValidationError([{**detail, "loc": ("body", *detail["loc"])} for detail in error.errors()]) from None


def _check_urls(urls: list[str], settings) -> None:
    from newsloom.ingest.fetch import check_url_allowed

    for url in urls:
        try:
            check_url_allowed(url, settings)
        except FetchError as error:  # UnsafeURLError is a FetchError
            raise IngestRefused(400, str(error)) from None


async def _uploaded_files(request: Request) -> list[UploadFile]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise IngestRefused(400, "send the files as multipart/form-data in the field `files`")
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    except BodyTooLarge:
        raise  # BodySizeLimit answers 413
    except Exception as error:  # python-multipart raises several kinds for broken bodies
        raise IngestRefused(400, f"could not read the uploaded form: {type(error).__name__}") from None
    uploads = [value for value in form.getlist("files") if isinstance(value, UploadFile)]
    if not uploads:
        raise IngestRefused(400, "no files: send one or more files in the multipart field `files`")
    return uploads


async def _save_upload(upload: UploadFile, folder: Path, number: int) -> Path:
    name = _UNSAFE_NAME_CHARS.sub("_", Path(upload.filename or "upload").name).strip("._") or "upload"
    path = folder / f"{number:02d}-{name[:100]}"
    path.write_bytes(await upload.read())
    return path


def _ingest_sources(app, sources: list[str]) -> IngestReport:
    with _INGEST_LOCK, Engine(app.state.db_path, settings=app.state.engine.settings) as engine:
        return engine.ingest(sources)


def _ingest_files(app, paths: list[Path]) -> IngestReport:
    """Ingest saved uploads, naming each input ``upload:<file name>`` rather than its temporary path."""
    from newsloom.ingest.files import file_inputs

    def inputs():
        for path in paths:
            for item in file_inputs(path, engine.settings):
                item.origin = item.origin.replace(str(path.parent) + "/", "upload:")
                yield item

    with _INGEST_LOCK, Engine(app.state.db_path, settings=app.state.engine.settings) as engine:
        return engine.ingest_inputs(inputs())


def report_dict(report: IngestReport) -> dict:
    return {
        "ingested": report.ingested, "duplicates": report.duplicates, "unchanged": report.unchanged,
        "failed": report.failed, "article_ids": report.article_ids, "story_ids": report.story_ids,
        "failures": [vars(failure) for failure in report.failures], "seconds": round(report.seconds, 3),
    }
