"""The digest and the story cross-check agree: the same citations, and conflicts marked on digest sentences.

A story whose sources disagree on a number goes through the whole pipeline
and is read back as text, Markdown, JSON (CLI and REST) and HTML. The
articles are the fiction of ``test_digest.py``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsloom import Engine
from newsloom.cli import cli
from newsloom.crosscheck import crosscheck_story
from newsloom.digest import build_digest
from newsloom.models import DigestSentence
from test_digest import COASTLINE, COPY_OF, HARBOUR, LEDGER, SETTINGS, STORY, VALLEY, all_sentences, article, cited_ids

FOURTEEN = "A fire in an apartment tower in Porto killed 14 people on Tuesday night."
TWELVE = "A fire in an apartment tower in Porto killed 12 people on Tuesday night."
SIX_HOURS = "Firefighters fought the blaze for six hours before bringing it under control."


def sentence_with_text(digest, text: str):
    [found] = [s for s in all_sentences(digest) if s.text == text]
    return found


def test_sentence_three_outlets_state_is_cited_to_all_three_in_digest_and_cross_check():
    check = crosscheck_story(STORY, COPY_OF)
    digest = build_digest("story-fire", STORY, COPY_OF, SETTINGS, crosscheck=check)
    firefighters = sentence_with_text(digest, SIX_HOURS)
    assert cited_ids(firefighters) == {"a-harbour", "b-ledger", "c-coastline", "r-wire"}
    assert firefighters.independent_sources == 3
    [agreement] = [a for a in check.agreements if a["claim"] == SIX_HOURS]
    assert set(agreement["article_ids"]) == {"a-harbour", "b-ledger", "c-coastline"}
    assert agreement["independent_sources"] == 3


def test_every_digest_citation_of_an_original_is_an_agreement_of_the_cross_check():
    check = crosscheck_story(STORY, COPY_OF)
    digest = build_digest("story-fire", STORY, COPY_OF, SETTINGS, crosscheck=check)
    agreed = {a["claim"]: set(a["article_ids"]) for a in check.agreements}
    for sentence in all_sentences(digest):
        originals = cited_ids(sentence) - {"r-wire"}
        if sentence.text in agreed:  # the cross-check lists each agreement once, from its first article
            assert originals == agreed[sentence.text], sentence.text


def test_number_conflict_marks_the_digest_sentence_with_the_other_side():
    check = crosscheck_story(STORY, COPY_OF)
    digest = build_digest("story-fire", STORY, COPY_OF, SETTINGS, crosscheck=check)
    deaths = sentence_with_text(digest, FOURTEEN)
    [mark] = deaths.conflicts
    assert (mark.kind, mark.other_article_id, mark.other_sentence) == ("number", "d-valley", TWELVE)
    assert "'14 people'" in mark.explanation and "'12 people'" in mark.explanation
    assert not sentence_with_text(digest, SIX_HOURS).conflicts


def test_without_a_cross_check_no_sentence_is_marked():
    digest = build_digest("story-fire", STORY, COPY_OF, SETTINGS)
    assert all(not s.conflicts for s in all_sentences(digest))


MAYOR = article(
    "e-mayor", "Porto mayor orders fire inquiry",
    "Mayor Ines Calado ordered an inquiry into the Porto tower fire on Wednesday, after 12 people died there on "
    "Tuesday night. The inquiry will report within a month.", "Evening Post", minutes=60,
)


def test_disputed_claim_only_one_source_makes_loses_the_standfirst_to_a_confirmed_one():
    story = [LEDGER, COASTLINE, MAYOR]
    unchecked = build_digest("story-fire", story, {}, SETTINGS)
    assert unchecked.standfirst.article_id == "e-mayor"  # the most central lead, but its "12 people" is disputed
    digest = build_digest("story-fire", story, {}, SETTINGS, crosscheck=crosscheck_story(story, {}))
    assert digest.standfirst.text.startswith("Fourteen people died")
    assert digest.standfirst.independent_sources == 2


def test_digest_sentence_stored_before_conflicts_existed_reads_with_none():
    stored = {"text": FOURTEEN, "article_id": "a-harbour", "citations": [], "independent_sources": 1}
    assert DigestSentence(**stored).conflicts == []


# --- the whole pipeline, read back by every interface --------------------------------------------------------


@pytest.fixture(scope="module")
def fire_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fire")
    rows = [{"url": f"https://{a.id}.example/fire", "title": a.title, "text": a.text, "source": a.outlet,
             "published": a.published_at.isoformat()} for a in (HARBOUR, LEDGER, COASTLINE, VALLEY)]
    corpus = folder / "fire.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    db = folder / "fire.db"
    with Engine(db) as engine:
        engine.ingest([str(corpus)])
        [summary] = engine.stories()
    return db, summary.id


def run(*args) -> str:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False).output


def marked_sentences(digest: dict) -> list[dict]:
    return [s for s in [digest["standfirst"], *digest["body"]] if s and s.get("conflicts")]


def test_story_json_marks_the_sentence_the_conflict_involves(fire_db):
    db, story_id = fire_db
    story = json.loads(run("story", story_id, "--db", db, "--format", "json"))
    [marked] = marked_sentences(story["digest"])
    assert marked["text"] == FOURTEEN
    [conflict] = marked["conflicts"]
    assert conflict["kind"] == "number" and conflict["other_sentence"] == TWELVE
    valley_id = next(ref["id"] for ref in story["articles"] if ref["outlet"] == "Valley Courier")
    assert conflict["other_article_id"] == valley_id
    assert any({c["claim"], c["evidence"]} == {FOURTEEN, TWELVE} for c in story["crosscheck"]["conflicts"])


def test_story_text_and_markdown_show_the_conflict_under_the_sentence(fire_db):
    db, story_id = fire_db
    story = json.loads(run("story", story_id, "--db", db, "--format", "json"))
    valley_number = 1 + [ref["outlet"] for ref in story["articles"]].index("Valley Courier")
    text = " ".join(run("story", story_id, "--db", db).split())
    assert f"⚠ number conflict with [{valley_number}]: “{TWELVE}”" in text
    assert text.index(FOURTEEN) < text.index("⚠ number conflict") < text.index("Sources")
    markdown = run("story", story_id, "--db", db, "--format", "markdown")
    assert f"⚠ number conflict with [{valley_number}]: “{TWELVE}”" in markdown


def test_story_page_and_rest_api_show_the_conflict_on_the_sentence(fire_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    db, story_id = fire_db
    with TestClient(create_app(db)) as client:
        page = client.get(f"/stories/{story_id}").text
        story = client.get(f"/api/stories/{story_id}").json()
    digest_section = page[page.index('class="digest"'):page.index('class="crosscheck"')]
    assert 'class="badge badge-conflict" title="the cross-check found a source that disagrees">disputed' in digest_section
    assert "conflicts with" in digest_section and TWELVE in digest_section
    [marked] = marked_sentences(story["digest"])
    assert marked["text"] == FOURTEEN and marked["conflicts"][0]["kind"] == "number"


def test_digest_stored_before_conflicts_existed_renders_and_validates_unmarked():
    from newsloom.api import ArticleRef, StoryView
    from newsloom.render import story_markdown
    from newsloom.web.schemas import DigestOut
    from newsloom.web.views import digest_lines

    old_sentence = {"text": FOURTEEN, "article_id": "a-harbour", "independent_sources": 1,
                    "citations": [{"article_id": "a-harbour", "sentence": FOURTEEN, "similarity": 1.0}]}
    old_digest = {"story_id": "s-old", "headline": HARBOUR.title, "headline_article_id": "a-harbour",
                  "standfirst": old_sentence, "body": [old_sentence], "built_at": "2026-03-04T21:00:00+00:00"}
    view = StoryView("s-old", HARBOUR.title, FOURTEEN, 1, 1, None, None,
                     [ArticleRef("a-harbour", None, HARBOUR.title, "Harbour Gazette", None)], old_digest, None)
    markdown = story_markdown(view)
    assert FOURTEEN in markdown and "⚠" not in markdown
    standfirst, body = digest_lines(view)
    assert standfirst.conflicts == [] and body[0].conflicts == []
    assert DigestOut.model_validate(old_digest).body[0].conflicts == []
