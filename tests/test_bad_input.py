"""Bad input through the whole engine: one clear failure per item, the batch goes on, raw input kept."""

import http.server
import threading
import time

import pytest

from newsloom import Engine

GOOD_TEXT = "Harbour crane collapses at dawn\n\nA crane fell onto the quay in Brenmouth at dawn on Tuesday, port officials said.\n\nNobody was hurt, the harbour master told reporters.\n"


@pytest.fixture
def engine(tmp_path):
    with Engine(tmp_path / "n.db", allow_private_urls=True, fetch_timeout=0.5) as engine:
        yield engine


def ingest_folder_with(engine, tmp_path, name, content: bytes):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / name).write_bytes(content)
    return engine.ingest([str(folder)])


def test_binary_file_fails_alone(engine, tmp_path):
    report = ingest_folder_with(engine, tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert report.ingested == 1
    assert [f.origin.endswith("photo.txt") for f in report.failures] == [True]
    assert "binary" in report.failures[0].message.lower()


def test_empty_file_fails_alone(engine, tmp_path):
    report = ingest_folder_with(engine, tmp_path, "empty.txt", b"")
    assert report.ingested == 1 and len(report.failures) == 1
    assert "empty" in report.failures[0].message.lower()


def test_cp1252_text_is_decoded_not_mangled(engine, tmp_path):
    text = "Café owners protest in Évora\n\nThe owners of the café said the new rules would cost them “dearly” this summer, and they asked the mayor for talks.\n"
    report = ingest_folder_with(engine, tmp_path, "latin.txt", text.encode("cp1252"))
    assert report.failures == [] and report.ingested == 2
    titles = {engine.article(article_id).title for article_id in report.article_ids}
    assert "Café owners protest in Évora" in titles


def test_malformed_html_still_yields_its_text(engine, tmp_path):
    html = ("<html><head><title>Dam gates opened</title></head><body><div><p>Engineers opened the gates of the "
            "Lorvan dam on Friday after three days of rain raised the reservoir to a record level, the water "
            "authority said.<p>Residents downstream were told to move cars away from the river bank<div></span>")
    report = ingest_folder_with(engine, tmp_path, "broken.html", html.encode())
    assert report.failures == [] and report.ingested == 2


def test_page_without_article_text_is_reported_and_raw_kept(engine, tmp_path):
    html = b"<html><body><nav><a href='/a'>Home</a> <a href='/b'>World</a></nav></body></html>"
    report = ingest_folder_with(engine, tmp_path, "index.html", html)
    assert report.ingested == 1 and len(report.failures) == 1
    assert "no article text" in report.failures[0].message
    kept = engine.failures()
    assert [row["origin"].endswith("index.html") for row in kept] == [True]


def test_malformed_feed_is_reported(engine, tmp_path):
    report = ingest_folder_with(engine, tmp_path, "feed.xml", b"<?xml version='1.0'?><rss><channel><title>x</ti")
    assert report.ingested == 1 and len(report.failures) == 1


def test_huge_file_is_refused_before_reading(engine, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT)
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing them
    started = time.perf_counter()
    report = engine.ingest([str(folder)])
    assert time.perf_counter() - started < 30
    assert report.ingested == 1 and len(report.failures) == 1
    assert "max_input_bytes" in report.failures[0].message.lower() or "NEWSLOOM_MAX_INPUT_BYTES" in report.failures[0].message


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/missing" or self.path == "/slow":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_http_error_and_timeout_are_reported_and_the_batch_goes_on(engine, tmp_path, server):
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT)
    report = engine.ingest([f"{server}/missing", f"{server}/slow", str(good)])
    assert report.ingested == 1
    assert len(report.failures) == 2
    assert "404" in report.failures[0].message
    assert "time" in report.failures[1].message.lower()


def test_private_address_refused_without_the_flag(tmp_path, server):
    with Engine(tmp_path / "n.db") as engine:
        report = engine.ingest([f"{server}/page"])
    assert report.ingested == 0 and len(report.failures) == 1
    assert "private" in report.failures[0].message.lower() or "loopback" in report.failures[0].message.lower()


def test_missing_path_is_one_failure(engine, tmp_path):
    report = engine.ingest([str(tmp_path / "nope.txt")])
    assert report.ingested == 0 and len(report.failures) == 1


def test_reingesting_is_idempotent(engine, tmp_path):
    first = ingest_folder_with(engine, tmp_path, "other.txt", GOOD_TEXT.replace("crane", "gantry").encode())
    second = engine.ingest([str(tmp_path / "in")])
    assert first.ingested == 2
    assert second.ingested == 0 and second.unchanged == 2 and second.failures == []
    assert engine.store.count("articles") == 2
