"""Batch extraction: byte-identical pages at new URLs are read once and linked as exact copies."""

from __future__ import annotations

import pytest

import newsloom.extract_pool as extract_pool
from newsloom import Engine
from newsloom.errors import NewsloomError
from newsloom.extract_pool import ParallelExtractor
from newsloom.models import RawInput


def page(topic: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} on the {topic}: residents of Brenmouth describe the closures, the repairs and what the council "
        f"promised to do about the {topic} before the winter storms arrive.</p>" for n in range(4))
    return f"<html lang='en'><head><title>The {topic} report</title></head><body><article><h1>The {topic} report</h1>{paragraphs}</article></body></html>".encode()


def html_input(url: str, body: bytes) -> RawInput:
    return RawInput(origin=url, body=body, kind="html", hints={"url": url})


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The URLs whose bytes went through trafilatura (``read_page``), in order."""
    seen: list[str] = []
    real = extract_pool.read_page

    def counting(raw):
        seen.append(raw.hints["url"])
        return real(raw)

    monkeypatch.setattr(extract_pool, "read_page", counting)
    return seen


def test_identical_bytes_at_other_urls_are_read_once_and_keep_their_own_url(reads):
    bridge, ferry = page("bridge"), page("ferry")
    batch = [html_input("https://a.example/bridge", bridge), html_input("https://b.example/bridge", bridge),
             html_input("https://a.example/ferry", ferry)]
    extractor = ParallelExtractor(workers=1)
    first, copy, other = extractor.extract_all(batch)
    later, = extractor.extract_all([html_input("https://c.example/bridge", bridge)])
    assert reads == ["https://a.example/bridge", "https://a.example/ferry"]
    assert extractor.pages_reused == 2
    assert [article.url for article in (first, copy, later)] == [
        "https://a.example/bridge", "https://b.example/bridge", "https://c.example/bridge"]
    assert len({first.id, copy.id, later.id}) == 3
    assert first.text == copy.text == later.text and "winter storms" in first.text
    assert copy.outlet == "b.example" and other.title == "The ferry report"


def test_a_forgotten_reading_is_read_again(reads):
    bridge = page("bridge")
    extractor = ParallelExtractor(workers=1, memo_size=1)
    extractor.extract_all([html_input("https://a.example/bridge", bridge)])
    extractor.extract_all([html_input("https://a.example/ferry", page("ferry"))])
    again, = extractor.extract_all([html_input("https://b.example/bridge", bridge)])
    assert reads == ["https://a.example/bridge", "https://a.example/ferry", "https://b.example/bridge"]
    assert again.url == "https://b.example/bridge"


def test_a_page_without_text_fails_at_every_url_it_is_met():
    empty = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    extractor = ParallelExtractor(workers=1)
    results = extractor.extract_all([html_input("https://a.example/x", empty), html_input("https://b.example/x", empty)])
    assert all(isinstance(result, NewsloomError) for result in results)


def test_prefetched_batches_in_workers_send_each_distinct_page_once():
    bodies = [page(topic) for topic in ("bridge", "ferry", "harbour", "school", "tram")]
    first = [html_input(f"https://a.example/{n}", body) for n, body in enumerate(bodies)]
    second = [html_input(f"https://b.example/{n}", body) for n, body in enumerate(bodies)]
    extractor = ParallelExtractor(workers=2)
    try:
        extractor.prefetch(first)
        extractor.prefetch(second)  # every page is in flight already: nothing sent
        assert len(extractor._ahead) == 1
        articles = extractor.extract_all(first) + extractor.extract_all(second)
    finally:
        extractor.close()
    assert (extractor.pages_read, extractor.pages_reused) == (5, 5)
    assert [article.url for article in articles] == [raw.hints["url"] for raw in first + second]
    assert [article.text for article in articles[:5]] == [article.text for article in articles[5:]]


def test_identical_bytes_at_a_new_url_are_linked_as_an_exact_copy_without_a_second_read(tmp_path, reads):
    bridge = page("bridge")
    with Engine(tmp_path / "copies.db", extract_workers=1) as engine:
        report = engine.ingest_inputs([html_input("https://a.example/bridge", bridge),
                                       html_input("https://mirror.example/bridge", bridge)])
        original, copy = (engine.article(article_id) for article_id in report.article_ids)
    assert reads == ["https://a.example/bridge"]
    assert (report.ingested, report.duplicates) == (2, 1)
    assert copy.url == "https://mirror.example/bridge"
    assert original.copy_of is None
    assert copy.copy_of["original_id"] == original.id and copy.copy_of["kind"] == "exact"
    assert copy.copy_of["reason"] and copy.copy_of["containment"] == 1.0


def test_trafilatura_caches_are_cleared_every_so_many_pages_read(monkeypatch):
    import trafilatura.meta

    clearings = []
    monkeypatch.setattr(trafilatura.meta, "reset_caches", lambda: clearings.append(True))
    monkeypatch.setattr(extract_pool, "RESET_CACHES_EVERY", 3)
    monkeypatch.setattr(extract_pool, "_pages_since_reset", 0)
    extractor = ParallelExtractor(workers=1)
    articles = extractor.extract_all([html_input(f"https://a.example/{n}", page(f"topic {n}")) for n in range(7)])
    assert all(not isinstance(article, NewsloomError) for article in articles)
    assert len(clearings) == 2  # after the 3rd and the 6th page
