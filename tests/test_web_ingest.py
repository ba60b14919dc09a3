"""The write endpoints: off by default, bearer token when on, unsafe URLs refused, body size limits."""

import pytest
from fastapi.testclient import TestClient

from conftest_web import build_web_db, client, web_app, web_db  # noqa: F401
from newsloom.api import Engine
from newsloom.models import IngestReport

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def writable_app(tmp_path_factory):
    from newsloom.web.app import create_app

    return create_app(build_web_db(tmp_path_factory.mktemp("ingest") / "w.db"), allow_ingest=True, token=TOKEN,
                      max_body_bytes=2048, max_upload_bytes=4096)


@pytest.fixture(scope="module")
def writer(writable_app):
    with TestClient(writable_app) as test_client:
        yield test_client


def bearer(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


def test_ingest_is_off_unless_the_operator_allows_it(client):
    for answer in (client.post("/api/ingest", json={"urls": ["https://example.org/a"]}, headers=bearer()),
                   client.post("/api/ingest", content=b"not json"),
                   client.post("/api/ingest/files", files={"files": ("a.html", b"<p>x</p>")}, headers=bearer())):
        assert answer.status_code == 403
        assert answer.json()["error"].startswith("ingest through the web API is off")


def test_ingest_without_a_configured_token_is_refused(web_db):
    from newsloom.web.app import create_app

    with TestClient(create_app(web_db, allow_ingest=True, token="")) as no_token:
        answer = no_token.post("/api/ingest", json={"urls": ["https://example.org/a"]}, headers=bearer())
    assert answer.status_code == 403
    assert "NEWSLOOM_TOKEN" in answer.json()["error"]


def test_missing_bearer_token_answers_401_and_wrong_token_403(writer):
    missing = writer.post("/api/ingest", json={"urls": ["https://example.org/a"]})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"].startswith("missing bearer token")
    wrong = writer.post("/api/ingest", json={"urls": ["https://example.org/a"]}, headers=bearer("guess"))
    assert (wrong.status_code, wrong.json()) == (403, {"error": "the bearer token is not valid"})
    not_bearer = writer.post("/api/ingest/files", files={"files": ("a.html", b"x")}, headers={"Authorization": TOKEN})
    assert not_bearer.status_code == 401


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:8000/admin", "loopback address 127.0.0.1"),
    ("http://10.1.2.3/feed.xml", "private address 10.1.2.3"),
    ("http://169.254.169.254/latest/meta-data", "link-local address 169.254.169.254"),
    ("http://[::1]/x", "loopback address ::1"),
    ("javascript:alert(1)", "only http and https URLs"),
    ("file:///etc/passwd", "only http and https URLs"),
])
def test_urls_to_private_addresses_or_other_schemes_are_refused_with_400(writer, url, words):
    answer = writer.post("/api/ingest", json={"urls": ["https://93.184.215.14/ok", url]}, headers=bearer())
    assert answer.status_code == 400
    assert words in answer.json()["error"]


def test_malformed_ingest_bodies_answer_422_once_authorised(writer):
    for body in (b"not json", b'{"urls": []}', b'{"urls": ["x"], "other": 1}', b""):
        answer = writer.post("/api/ingest", content=body, headers={**bearer(), "Content-Type": "application/json"})
        assert answer.status_code == 422, body
        assert answer.json()["error"].startswith("invalid request: body")


def test_bodies_over_the_limit_answer_413(writer):
    big = {"urls": ["https://example.org/" + "a" * 1900, "https://example.org/" + "b" * 1900]}
    answer = writer.post("/api/ingest", json=big, headers=bearer())
    assert (answer.status_code, answer.json()) == (413, {"error": "request body too large: the limit is 2048 bytes"})

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b"x" * 1000

    streamed = writer.post("/api/ingest/files", content=chunks(), headers={**bearer(), "Content-Type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413
    upload = writer.post("/api/ingest/files", files={"files": ("big.html", b"x" * 5000)}, headers=bearer())
    assert upload.status_code == 413


def test_uploaded_files_are_ingested_under_their_own_names(writer, monkeypatch):
    received = []

    def record(self, inputs, **options):
        received.extend(inputs)
        return IngestReport(ingested=len(received), article_ids=["a-new"], story_ids=["s-new"])

    monkeypatch.setattr(Engine, "ingest_inputs", record)
    answer = writer.post("/api/ingest/files", headers=bearer(), files=[
        ("files", ("../../etc/report one.html", b"<html><title>Quay</title><p>The quay reopened.</p></html>", "text/html")),
        ("files", ("notes.txt", b"Ferry service resumes on Friday.", "text/plain")),
    ])
    assert answer.status_code == 200
    assert answer.json()["ingested"] == 2 and answer.json()["story_ids"] == ["s-new"]
    assert [(item.origin, item.kind) for item in received] == [("upload:00-report_one.html", "html"),
                                                               ("upload:01-notes.txt", "text")]
    assert received[1].body == b"Ferry service resumes on Friday."


def test_upload_without_files_answers_400(writer):
    answer = writer.post("/api/ingest/files", files={"other": ("a.txt", b"x")}, headers=bearer())
    assert (answer.status_code, answer.json()) == (400, {"error": "no files: send one or more files in the multipart field `files`"})
