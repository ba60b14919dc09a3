"""Fetching and URL sources, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

import newsloom
from newsloom.errors import FetchError, IngestError, InputTooLargeError, UnsafeURLError
from newsloom.ingest.fetch import Fetcher, MemoryValidatorCache, check_url_allowed
from newsloom.ingest.sources import iter_inputs
from newsloom.models import IngestFailure, RawInput
from newsloom.settings import from_env

PAGE = b"<html><head><title>Harbour bridge reopens</title></head><body><p>The bridge reopened.</p></body></html>"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True


class LocalServer:
    """Routes path -> Reply (or a callable taking the request headers); records every request."""

    def __init__(self, port: int):
        self.port = port
        self.routes: dict = {}
        self.requests: list[tuple[str, dict]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        local: LocalServer = self.server.local
        headers = {name.lower(): value for name, value in self.headers.items()}
        local.requests.append((self.path, headers))
        route = local.routes.get(self.path, Reply(404, b"not here"))
        reply = route(headers) if callable(route) else route
        time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.content_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.local = LocalServer(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield httpd.local
    httpd.shutdown()
    httpd.server_close()


def local_settings(**overrides):
    return from_env({}, **{"allow_private_urls": True, "fetch_timeout": 5.0, **overrides})


@pytest.fixture
def fetcher():
    with Fetcher(local_settings()) as local_fetcher:
        yield local_fetcher


def fake_dns(monkeypatch, answers: dict[str, str]):
    """Resolve the given made-up host names to the given addresses; others as usual."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            family = socket.AF_INET6 if ":" in answers[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# --- fetching -------------------------------------------------------------


def test_fetch_returns_body_content_type_and_charset(server, fetcher):
    server.routes["/story.html"] = Reply(body=PAGE, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    result = fetcher.get(server.url("/story.html"))
    assert (result.status, result.body, result.content_type, result.charset) == (200, PAGE, "text/html", "iso-8859-1")
    assert result.url == server.url("/story.html")


def test_fetch_sends_newsloom_user_agent(server, fetcher):
    server.routes["/story.html"] = Reply(body=PAGE)
    fetcher.get(server.url("/story.html"))
    assert server.requests[0][1]["user-agent"] == f"newsloom/{newsloom.__version__} (+news story engine)"


def test_http_404_raises_fetch_error_with_status_and_url(server, fetcher):
    with pytest.raises(FetchError, match=r"/gone\.html: HTTP 404"):
        fetcher.get(server.url("/gone.html"))


def test_server_slower_than_fetch_timeout_raises_fetch_error(server):
    server.routes["/slow.html"] = Reply(body=PAGE, delay=1.5)
    with Fetcher(local_settings(fetch_timeout=0.5)) as slow_fetcher:
        with pytest.raises(FetchError, match="timed out after 0.5s"):
            slow_fetcher.get(server.url("/slow.html"))


def test_body_over_cap_with_content_length_raises_input_too_large(server):
    server.routes["/big.html"] = Reply(body=b"x" * 5000)
    with Fetcher(local_settings(max_input_bytes=1000)) as capped_fetcher:
        with pytest.raises(InputTooLargeError, match="NEWSLOOM_MAX_INPUT_BYTES"):
            capped_fetcher.get(server.url("/big.html"))


def test_body_over_cap_without_content_length_is_cut_while_streaming(server):
    server.routes["/big.html"] = Reply(body=b"x" * 50_000, content_length=False)
    with Fetcher(local_settings(max_input_bytes=1000)) as capped_fetcher:
        with pytest.raises(InputTooLargeError, match="more than 1,000 bytes"):
            capped_fetcher.get(server.url("/big.html"))


def test_redirect_is_followed_to_the_final_page(server, fetcher):
    server.routes["/old"] = Reply(301, headers={"Location": "/new.html"})
    server.routes["/new.html"] = Reply(body=PAGE)
    result = fetcher.get(server.url("/old"))
    assert (result.url, result.body) == (server.url("/new.html"), PAGE)


def test_more_than_five_redirects_raise_fetch_error(server, fetcher):
    for hop in range(7):
        server.routes[f"/hop{hop}"] = Reply(302, headers={"Location": f"/hop{hop + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.get(server.url("/hop0"))
    assert len(server.requests) == 6


def test_conditional_get_returns_none_on_304_and_fills_validator_cache(server):
    def honour_etag(headers):
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2026 08:00:00 GMT"})

    server.routes["/feed.xml"] = honour_etag
    validators = MemoryValidatorCache()
    with Fetcher(local_settings(), validators=validators) as polling_fetcher:
        first = polling_fetcher.get(server.url("/feed.xml"), conditional=True)
        second = polling_fetcher.get(server.url("/feed.xml"), conditional=True)
    assert first.body == b"<rss/>"
    assert validators.get(server.url("/feed.xml")) == ('"v1"', "Tue, 03 Mar 2026 08:00:00 GMT")
    assert second is None
    assert server.requests[1][1]["if-modified-since"] == "Tue, 03 Mar 2026 08:00:00 GMT"


# --- address guard --------------------------------------------------------


def test_loopback_url_refused_when_private_urls_are_not_allowed(server):
    server.routes["/story.html"] = Reply(body=PAGE)
    with Fetcher(from_env({})) as guarded_fetcher:
        with pytest.raises(UnsafeURLError, match="loopback address 127.0.0.1"):
            guarded_fetcher.get(server.url("/story.html"))
    assert server.requests == []


def test_redirect_from_public_host_to_loopback_is_refused(monkeypatch, server):
    fake_dns(monkeypatch, {"news.example.test": "93.184.216.34"})
    first_hop_requests = []

    def public_host(request: httpx.Request) -> httpx.Response:
        first_hop_requests.append(str(request.url))
        return httpx.Response(302, headers={"Location": server.url("/admin")})

    with Fetcher(from_env({}), transport=httpx.MockTransport(public_host)) as guarded_fetcher:
        with pytest.raises(UnsafeURLError, match="127.0.0.1"):
            guarded_fetcher.get("http://news.example.test/story")
    assert first_hop_requests == ["http://news.example.test/story"]
    assert server.requests == []


def test_public_looking_host_resolving_to_loopback_is_refused(monkeypatch):
    fake_dns(monkeypatch, {"cdn.example-news.test": "127.0.0.1"})
    with pytest.raises(UnsafeURLError, match="cdn.example-news.test resolves to loopback"):
        check_url_allowed("https://cdn.example-news.test/a.html", from_env({}))


def test_ipv4_mapped_ipv6_private_address_is_refused(monkeypatch):
    fake_dns(monkeypatch, {"mapped.example.test": "::ffff:10.0.0.7"})
    with pytest.raises(UnsafeURLError, match="private address"):
        check_url_allowed("http://mapped.example.test/", from_env({}))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example.test/story.txt"])
def test_non_http_schemes_are_refused(url):
    with pytest.raises(UnsafeURLError, match="only http and https"):
        check_url_allowed(url, from_env({}, allow_private_urls=True))


def test_public_address_is_allowed(monkeypatch):
    fake_dns(monkeypatch, {"news.example.test": "93.184.216.34"})
    assert check_url_allowed("https://news.example.test/a", from_env({})) is None


# --- URL sources ----------------------------------------------------------


def rss(items: str, title: str = "Valley Courier") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://valley.example/</link>{items}</channel></rss>"
    ).encode()


def rss_item(path_url: str, title: str, summary: str) -> str:
    return (
        f"<item><title>{title}</title><link>{path_url}</link><guid>{path_url}</guid>"
        f"<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate><description>{summary}</description></item>"
    )


def test_url_source_page_yields_one_html_input_with_final_url(server, fetcher):
    server.routes["/go"] = Reply(302, headers={"Location": "/story.html"})
    server.routes["/story.html"] = Reply(body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    [page] = list(iter_inputs(server.url("/go"), local_settings(), fetcher))
    assert (page.kind, page.origin, page.body, page.content_type) == ("html", server.url("/go"), PAGE, "text/html")
    assert page.hints == {"url": server.url("/story.html"), "charset": "utf-8"}


def test_url_source_feed_with_summary_only_entries_fetches_each_page(server, fetcher):
    items = rss_item(server.url("/mill.html"), "Mill closes", "The mill closes.") + rss_item(
        server.url("/ferry.html"), "Ferry returns", "The ferry returns."
    )
    server.routes["/feed.xml"] = Reply(body=rss(items), headers={"Content-Type": "application/rss+xml"})
    server.routes["/mill.html"] = Reply(body=b"<html><body>Mill page</body></html>")
    server.routes["/ferry.html"] = Reply(body=b"<html><body>Ferry page</body></html>")
    inputs = list(iter_inputs(server.url("/feed.xml"), local_settings(), fetcher))
    assert [(raw.kind, raw.origin) for raw in inputs] == [
        ("feed", server.url("/feed.xml")),
        ("html", server.url("/mill.html")),
        ("html", server.url("/ferry.html")),
    ]
    assert inputs[1].body == b"<html><body>Mill page</body></html>"
    assert inputs[1].hints == {
        "url": server.url("/mill.html"),
        "title": "Mill closes",
        "published": "2026-03-03T08:00:00+00:00",
        "outlet": "Valley Courier",
        "guid": server.url("/mill.html"),
    }


def test_entry_page_fetch_failure_yields_failure_then_summary_entry(server, fetcher):
    server.routes["/feed.xml"] = Reply(body=rss(rss_item(server.url("/gone.html"), "Dam opens", "The dam opens today.")))
    inputs = list(iter_inputs(server.url("/feed.xml"), local_settings(), fetcher))
    assert [type(item).__name__ for item in inputs] == ["RawInput", "IngestFailure", "RawInput"]
    failure, fallback = inputs[1], inputs[2]
    assert (failure.origin, failure.stage) == (server.url("/gone.html"), "fetch")
    assert "HTTP 404" in failure.message and "summary" in failure.message
    assert (fallback.kind, fallback.body, fallback.hints["title"]) == ("feed-entry", b"The dam opens today.", "Dam opens")


def test_feed_url_polled_again_yields_nothing_when_not_modified(server, fetcher):
    def honour_etag(headers):
        if headers.get("if-none-match") == '"rev7"':
            return Reply(304)
        return Reply(body=rss(""), headers={"ETag": '"rev7"', "Content-Type": "application/rss+xml"})

    server.routes["/feed.xml"] = honour_etag
    first_run = list(iter_inputs(server.url("/feed.xml"), local_settings(), fetcher))
    second_run = list(iter_inputs(server.url("/feed.xml"), local_settings(), fetcher))
    assert [raw.kind for raw in first_run] == ["feed"]
    assert second_run == []


def test_page_url_is_not_polled_conditionally(server, fetcher):
    server.routes["/story.html"] = Reply(body=PAGE, headers={"ETag": '"p1"'})
    list(iter_inputs(server.url("/story.html"), local_settings(), fetcher))
    [again] = list(iter_inputs(server.url("/story.html"), local_settings(), fetcher))
    assert again.body == PAGE
    assert "if-none-match" not in server.requests[1][1]


def test_url_source_that_fails_yields_a_failure_instead_of_raising(server, fetcher):
    [failure] = list(iter_inputs(server.url("/missing.html"), local_settings(), fetcher))
    assert isinstance(failure, IngestFailure)
    assert (failure.origin, failure.stage) == (server.url("/missing.html"), "fetch")


def test_url_source_serving_an_image_yields_a_decode_failure(server, fetcher):
    server.routes["/photo"] = Reply(body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, headers={"Content-Type": "image/png"})
    [failure] = list(iter_inputs(server.url("/photo"), local_settings(), fetcher))
    assert (failure.stage, "PNG image" in failure.message) == ("decode", True)


def test_url_source_without_fetcher_raises_ingest_error():
    with pytest.raises(IngestError, match="needs a Fetcher"):
        iter_inputs("https://news.example.test/a.html", local_settings())


def test_url_source_with_unsupported_scheme_raises_ingest_error():
    with pytest.raises(IngestError, match="ftp: URLs are not supported"):
        iter_inputs("ftp://files.example.test/a.txt", local_settings())


def test_url_inputs_are_raw_inputs_with_exact_bytes(server, fetcher):
    body = "<html><body>Caf\u00e9 reopens</body></html>".encode("latin-1")
    server.routes["/cafe.html"] = Reply(body=body, headers={"Content-Type": "text/html; charset=latin-1"})
    [page] = list(iter_inputs(server.url("/cafe.html"), local_settings(), fetcher))
    assert isinstance(page, RawInput) and page.body == body


def test_feed_validators_are_stored_only_after_every_entry_was_handed_on(server, fetcher):
    server.routes["/feed.xml"] = Reply(
        body=rss(rss_item(server.url("/a.html"), "Weir mended", "The weir is mended.")),
        headers={"ETag": '"rev1"', "Content-Type": "application/rss+xml"},
    )
    server.routes["/a.html"] = Reply(body=PAGE)
    stream = iter_inputs(server.url("/feed.xml"), local_settings(), fetcher)
    next(stream), next(stream)
    assert fetcher.validators.get(server.url("/feed.xml")) == (None, None)
    assert list(stream) == []
    assert fetcher.validators.get(server.url("/feed.xml")) == ('"rev1"', None)
