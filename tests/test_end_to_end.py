"""The whole pipeline on the demo corpus, against the grouping it was written with (EXPECTED.json)."""

from collections import defaultdict

import pytest

from conftest import article_key
from newsloom import Engine


@pytest.fixture(scope="module")
def stories(demo_db):
    with Engine(demo_db) as engine:
        return [engine.story(summary.id) for summary in engine.stories()]


def test_every_article_is_ingested_once(stories, demo_expected):
    keys = [article_key(ref) for story in stories for ref in story.articles]
    assert sorted(keys) == sorted(demo_expected["articles"])


def test_stories_group_articles_exactly_as_designed(stories, demo_expected):
    found = {frozenset(article_key(ref) for ref in story.articles) for story in stories}
    expected_groups = defaultdict(set)
    for key, article in demo_expected["articles"].items():
        expected_groups[article["event"]].add(key)
    assert found == {frozenset(group) for group in expected_groups.values()}


def test_same_kind_events_stay_apart(stories, demo_expected):
    event_of = {key: article["event"] for key, article in demo_expected["articles"].items()}
    for first, second in demo_expected["same_kind_pairs"]:
        for story in stories:
            events = {event_of[article_key(ref)] for ref in story.articles}
            assert not {first, second} <= events, f"{first} and {second} were merged"


def test_copies_are_linked_to_their_originals(stories, demo_expected):
    refs = {article_key(ref): ref for story in stories for ref in story.articles}
    copies = {key: a for key, a in demo_expected["articles"].items() if a["copy_of"]}
    assert copies, "the corpus must contain copies"
    for key, article in copies.items():
        assert refs[key].copy_of == refs[article["copy_of"]].id, key
        assert refs[key].copy_kind == article["copy_kind"], key
    originals = {refs[key].id for key, a in demo_expected["articles"].items() if not a["copy_of"]}
    wrongly_linked = [ref.id for ref in refs.values() if ref.copy_of and ref.id in originals]
    assert wrongly_linked == []


def test_every_digest_sentence_cites_articles_of_its_story(stories):
    for story in stories:
        story_ids = {ref.id for ref in story.articles}
        body = story.digest["body"]
        assert body, story.id
        for sentence in [s for s in [story.digest["standfirst"], *body] if s]:
            cited = {citation["article_id"] for citation in sentence["citations"]}
            assert cited and cited <= story_ids, sentence["text"]
            assert sentence["article_id"] in cited


def test_digest_sentences_are_stated_by_their_sources(demo_db, stories):
    with Engine(demo_db) as engine:
        for story in stories:
            for sentence in story.digest["body"]:
                source = engine.article(sentence["article_id"])
                assert sentence["text"] in source.text or sentence["text"] in source.title


def test_repost_chrome_is_gone_from_the_reposts(demo_db, stories, demo_expected):
    reposts = [ref for story in stories for ref in story.articles if ref.copy_kind == "repost" and not ref.url]
    assert reposts
    with Engine(demo_db) as engine:
        for ref in reposts:
            article = engine.article(ref.id)
            assert "pic.twitter.com" not in article.text
            reasons = {span["reason"] for span in article.removed}
            assert {"disclaimer", "social-embed", "duplicate-caption"} <= reasons, reasons
