"""A small hand-made newsloom database for the web tests, written row by row with the Store.

The stories and articles are fiction written for newsloom. The rows are
written directly (no pipeline), so the web tests do not depend on the
extraction, dedup, clustering or digest algorithms:

- ``s-ferry``: three articles from three outlets; ``a-ferry-3`` is a
  syndicated copy of ``a-ferry-1``; a digest with citations and a cross-check
  with an agreement, a conflict and a single-source claim.
- ``s-strike``: two articles, a digest, no cross-check yet.
- ``s-hostile``: an article whose title, body, outlet and URL are hostile
  markup (``<script>``, ``javascript:`` links).
- ``s-pending``: one article, no digest yet.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsloom.models import Article, Citation, DedupLink, Digest, DigestSentence, RawInput, RemovedSpan, StoryAssignment
from newsloom.store import Store

SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"

FERRY_LEAD = "The ferry Northern Tern ran aground outside Port Ellery on Tuesday morning."
FERRY_PASSENGERS = "All 212 passengers were taken off by lifeboat crews."
FERRY_PASSENGERS_OTHER = "Lifeboat crews brought 230 passengers ashore before noon."
FERRY_QUOTE = "Harbourmaster Mara Quint said the channel would stay closed until Thursday."

ARTICLES = [
    # id, story, outlet, title, text, published, url, entities
    ("a-ferry-1", "s-ferry", "Harbour Ledger", "Ferry runs aground outside Port Ellery",
     f"{FERRY_LEAD} {FERRY_PASSENGERS} {FERRY_QUOTE}", "2026-03-03T07:40:00+00:00",
     "https://ledger.example/ferry-aground",
     {"people": ["Mara Quint"], "orgs": ["Ellery Port Authority"], "places": ["Port Ellery"]}),
    ("a-ferry-2", "s-ferry", "Coastline Courier", "Northern Tern grounding: 230 rescued",
     f"{FERRY_LEAD} {FERRY_PASSENGERS_OTHER} The Ellery Port Authority opened an inquiry.",
     "2026-03-03T09:15:00+00:00", "https://courier.example/news/tern",
     {"people": [], "orgs": ["Ellery Port Authority"], "places": ["Port Ellery"]}),
    ("a-ferry-3", "s-ferry", "Valley Wire", "Ferry runs aground outside Port Ellery",
     f"{FERRY_LEAD} {FERRY_PASSENGERS} {FERRY_QUOTE}", "2026-03-03T10:05:00+00:00",
     "https://wire.example/syndicated/ferry",
     {"people": ["Mara Quint"], "orgs": [], "places": ["Port Ellery"]}),
    ("a-strike-1", "s-strike", "Valley Wire", "Dunmore rail workers walk out",
     "Rail workers in Dunmore began a two-day strike over rosters. Trains to the coast are cancelled.",
     "2026-03-02T06:00:00+00:00", "https://wire.example/dunmore-strike",
     {"people": ["Edda Lorne"], "orgs": ["Dunmore Rail Union"], "places": ["Dunmore"]}),
    ("a-strike-2", "s-strike", "Harbour Ledger", "Strike cancels Dunmore trains",
     "Trains to the coast are cancelled as Dunmore rail workers strike. Union leader Edda Lorne called for talks.",
     "2026-03-02T08:30:00+00:00", "https://ledger.example/strike",
     {"people": ["Edda Lorne"], "orgs": ["Dunmore Rail Union"], "places": ["Dunmore"]}),
    ("a-hostile", "s-hostile", f"Evil {SCRIPT} Post", f"Breaking {SCRIPT} news",
     f'Body text {SCRIPT} with <a href="{JS_URL}">a link</a> and <img src=x onerror=alert(2)>.',
     "2026-03-01T12:00:00+00:00", JS_URL,
     {"people": [f"Mr {SCRIPT}"], "orgs": [], "places": []}),
    ("a-pending", "s-pending", "Coastline Courier", "Lighthouse keeper retires after 40 years",
     "The last keeper of Skerry Light retired on Sunday.", "2026-02-27T15:00:00+00:00", None,
     {"people": [], "orgs": [], "places": ["Skerry"]}),
]

REMOVED_FROM_FERRY_1 = "Share this article on social media"


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _article(article_id: str, outlet: str, title: str, text: str, published: str, url: str | None) -> Article:
    removed, extracted = [], text
    if article_id == "a-ferry-1":
        extracted = text + "\n" + REMOVED_FROM_FERRY_1
        removed = [RemovedSpan(len(text) + 1, len(extracted), REMOVED_FROM_FERRY_1, "social-embed",
                               "a <b>post</b> line above its signature line")]
    return Article(
        id=article_id, raw_id="raw-" + article_id, title=title, text=text, extracted_text=extracted, url=url,
        published_at=_moment(published), author="Staff reporter", outlet=outlet, language="en", removed=removed,
        ingested_at=_moment(published).replace(minute=59),
    )


def _sentence(text: str, source: str, cited: list[tuple[str, str]], independent: int) -> DigestSentence:
    return DigestSentence(text=text, article_id=source, independent_sources=independent,
                          citations=[Citation(article_id, sentence, 0.9) for article_id, sentence in cited])


def _digests() -> list[Digest]:
    built = _moment("2026-03-03T11:00:00+00:00")
    ferry = Digest(
        story_id="s-ferry", headline="Ferry runs aground outside Port Ellery", headline_article_id="a-ferry-1",
        standfirst=_sentence(FERRY_LEAD, "a-ferry-1",
                             [("a-ferry-1", FERRY_LEAD), ("a-ferry-2", FERRY_LEAD), ("a-ferry-3", FERRY_LEAD)], 2),
        body=[
            _sentence(FERRY_PASSENGERS, "a-ferry-1", [("a-ferry-1", FERRY_PASSENGERS), ("a-ferry-3", FERRY_PASSENGERS)], 1),
            _sentence(FERRY_QUOTE, "a-ferry-1", [("a-ferry-1", FERRY_QUOTE)], 1),
        ],
        built_at=built,
    )
    strike_lead = "Rail workers in Dunmore began a two-day strike over rosters."
    strike = Digest(
        story_id="s-strike", headline="Dunmore rail workers walk out", headline_article_id="a-strike-1",
        standfirst=_sentence(strike_lead, "a-strike-1", [("a-strike-1", strike_lead)], 1),
        body=[_sentence("Trains to the coast are cancelled.", "a-strike-1",
                        [("a-strike-1", "Trains to the coast are cancelled."),
                         ("a-strike-2", "Trains to the coast are cancelled as Dunmore rail workers strike.")], 2)],
        built_at=built,
    )
    hostile_text = f"Body text {SCRIPT} with a link."
    hostile = Digest(
        story_id="s-hostile", headline=f"Breaking {SCRIPT} news", headline_article_id="a-hostile",
        standfirst=_sentence(hostile_text, "a-hostile", [("a-hostile", f'{SCRIPT} <a href="{JS_URL}">x</a>')], 1),
        body=[], built_at=built,
    )
    return [ferry, strike, hostile]


FERRY_CROSSCHECK = {
    "agreements": [{"claim": FERRY_LEAD, "articles": ["a-ferry-1", "a-ferry-2"]}],
    "conflicts": [{
        "kind": "number", "claim": FERRY_PASSENGERS, "claim_article": "a-ferry-1",
        "evidence": FERRY_PASSENGERS_OTHER, "evidence_article": "a-ferry-2",
        "explanation": "212 passengers vs 230 passengers",
    }],
    "single_source": [{"claim": FERRY_QUOTE, "article_id": "a-ferry-1"}],
    "updates": [],
}


def write_articles(store: Store) -> None:
    for article_id, story_id, outlet, title, text, published, url, entities in ARTICLES:
        article = _article(article_id, outlet, title, text, published, url)
        store.put_raw(RawInput(origin=f"fixtures/{article_id}.html", body=text.encode(), kind="html"))
        store.conn.execute("UPDATE raw_inputs SET id = ? WHERE origin = ?", (article.raw_id, f"fixtures/{article_id}.html"))
        store.put_article(article, entities=entities)
        founding = article_id.endswith("-1") or story_id in ("s-hostile", "s-pending")
        matched = {} if founding else {"terms": 0.62, "entities": ["Port Ellery", "Mara Quint"], "title": 0.4}
        store.put_assignment(StoryAssignment(article_id, story_id, 1.0 if founding else 0.71, founding, matched), article.ingested_at)
        store.touch_story(story_id, article.ingested_at)


def build_web_db(path: Path) -> Path:
    """Write the fixture database at ``path`` and return the path."""
    store = Store(path)
    with store.transaction():
        write_articles(store)
        store.put_links([DedupLink("a-ferry-3", "a-ferry-1", "syndicated", 1.0, 1.0, "identical text, other outlet")],
                        _moment("2026-03-03T11:00:00+00:00"))
        broken = RawInput(origin="fixtures/broken.bin", body=b"\x00\x01", kind="html")
        store.put_raw(broken)
        store.mark_raw(broken.id, "failed", error="binary input")
        for digest in _digests():
            store.put_digest(digest)
        store.put_crosscheck("s-ferry", FERRY_CROSSCHECK, _moment("2026-03-03T11:00:00+00:00"))
    store.close()
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("webdb") / "web.db")


@pytest.fixture(scope="session")
def web_app(web_db):
    from newsloom.web.app import create_app

    return create_app(web_db)


@pytest.fixture(scope="session")
def client(web_app):
    from fastapi.testclient import TestClient

    with TestClient(web_app) as test_client:
        yield test_client
