"""The JSON API under /api, in process, over the hand-made fixture database (tests/conftest_web.py)."""

import pytest

from conftest_web import FERRY_CROSSCHECK, FERRY_LEAD, REMOVED_FROM_FERRY_1, client, web_app, web_db  # noqa: F401

ALL_STORIES = ["s-ferry", "s-strike", "s-hostile", "s-pending"]
ALL_ARTICLES_NEWEST_FIRST = ["a-pending", "a-hostile", "a-strike-2", "a-strike-1", "a-ferry-3", "a-ferry-2", "a-ferry-1"]


def _walk(client, path, **params):
    """Every item id of a paged list, following next_cursor; and the number of pages."""
    ids, pages, cursor = [], 0, None
    while True:
        answer = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200
        body = answer.json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages


def test_stories_are_listed_latest_first_with_counts_outlets_and_entities(client):
    body = client.get("/api/stories").json()
    assert [story["id"] for story in body["items"]] == ALL_STORIES
    assert body["next_cursor"] is None
    ferry = body["items"][0]
    assert (ferry["article_count"], ferry["outlet_count"]) == (3, 3)
    assert ferry["outlets"] == ["Coastline Courier", "Harbour Ledger", "Valley Wire"]
    assert ferry["top_entities"] == {"people": ["Mara Quint"], "orgs": ["Ellery Port Authority"], "places": ["Port Ellery"]}
    assert ferry["standfirst"] == FERRY_LEAD


def test_story_pages_follow_the_cursor_without_gaps_or_repeats(client):
    assert _walk(client, "/api/stories", limit=1) == (ALL_STORIES, 4)
    assert _walk(client, "/api/stories", limit=3) == (ALL_STORIES, 2)


def test_stories_filter_by_outlet_entity_words_and_time(client):
    def ids(**params):
        return [story["id"] for story in client.get("/api/stories", params=params).json()["items"]]

    assert ids(outlet="Valley Wire") == ["s-ferry", "s-strike"]
    assert ids(entity="Edda Lorne") == ["s-strike"]
    assert ids(q="lifeboat crews") == ["s-ferry"]
    assert ids(q="lighthouse") == ["s-pending"]  # matched through its article: it has no digest
    assert ids(q="!!! ***") == []
    assert ids(since="2026-03-02T07:00:00+00:00") == ["s-ferry", "s-strike"]


def test_story_has_digest_citations_sources_crosscheck_entities_and_timeline(client):
    story = client.get("/api/stories/s-ferry").json()
    assert story["digest"]["headline"] == "Ferry runs aground outside Port Ellery"
    assert [c["article_id"] for c in story["digest"]["standfirst"]["citations"]] == ["a-ferry-1", "a-ferry-2", "a-ferry-3"]
    assert [a["id"] for a in story["articles"]] == ["a-ferry-1", "a-ferry-2", "a-ferry-3"]
    assert story["articles"][2]["copy_of"] == "a-ferry-1"
    assert story["articles"][2]["copy_kind"] == "syndicated"
    assert story["crosscheck"] == FERRY_CROSSCHECK
    assert story["entities"]["places"] == [{"name": "Port Ellery", "count": 3}]
    assert [entry["article_id"] for entry in story["timeline"]] == ["a-ferry-1", "a-ferry-2", "a-ferry-3"]


def test_story_without_digest_or_crosscheck_answers_nulls(client):
    story = client.get("/api/stories/s-pending").json()
    assert (story["digest"], story["crosscheck"], story["headline"]) == (None, None, None)


def test_unknown_story_and_article_answer_404_with_an_error_message(client):
    for path in ("/api/stories/nope", "/api/articles/nope", "/api/outlets/Nobody", "/api/entities/Nobody"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "no " in answer.json()["error"]


def test_article_has_clean_text_removed_spans_copies_and_assignment(client):
    article = client.get("/api/articles/a-ferry-1").json()
    assert article["removed"] == [{"start": len(article["text"]) + 1, "end": len(article["extracted_text"]),
                                   "text": REMOVED_FROM_FERRY_1, "reason": "social-embed",
                                   "evidence": "a <b>post</b> line above its signature line"}]
    assert [copy["article_id"] for copy in article["copies"]] == ["a-ferry-3"]
    assert article["story_assignment"] == {"story_id": "s-ferry", "score": 1.0, "new_story": True, "matched": {}}
    copy = client.get("/api/articles/a-ferry-3").json()
    assert copy["copy_of"]["original_id"] == "a-ferry-1"
    assert copy["story_assignment"]["matched"] == {"terms": 0.62, "entities": ["Port Ellery", "Mara Quint"], "title": 0.4}
    assert copy["entities"] == {"people": ["Mara Quint"], "orgs": [], "places": ["Port Ellery"]}


def test_articles_are_paged_newest_first_and_filtered(client):
    assert _walk(client, "/api/articles", limit=2) == (ALL_ARTICLES_NEWEST_FIRST, 4)
    by_outlet = client.get("/api/articles", params={"outlet": "Harbour Ledger"}).json()["items"]
    assert [a["id"] for a in by_outlet] == ["a-strike-2", "a-ferry-1"]
    by_entity = client.get("/api/articles", params={"entity": "Mara Quint"}).json()["items"]
    assert [a["id"] for a in by_entity] == ["a-ferry-3", "a-ferry-1"]
    by_words = client.get("/api/articles", params={"q": "230 passengers"}).json()["items"]
    assert [a["id"] for a in by_words] == ["a-ferry-2"]


def test_outlets_and_entities_are_listed_most_articles_first(client):
    outlets = client.get("/api/outlets").json()
    assert [(o["name"], o["article_count"]) for o in outlets][:3] == [
        ("Coastline Courier", 2), ("Harbour Ledger", 2), ("Valley Wire", 2)]
    assert client.get("/api/outlets/Valley Wire").json()["story_count"] == 2
    places = client.get("/api/entities", params={"kind": "places"}).json()
    assert [(e["name"], e["article_count"]) for e in places] == [("Port Ellery", 3), ("Dunmore", 2), ("Skerry", 1)]
    assert client.get("/api/entities/Port Ellery").json() == [
        {"name": "Port Ellery", "kind": "places", "article_count": 3, "story_count": 1}]


def test_search_finds_stories_and_articles(client):
    hits = client.get("/api/search", params={"q": "Dunmore strike"}).json()
    assert [hit["story_id"] for hit in hits["stories"]] == ["s-strike"]
    assert sorted(hit["id"] for hit in hits["articles"]) == ["a-strike-1", "a-strike-2"]


def test_failures_lists_the_failed_inputs(client):
    assert [(row["origin"], row["error"]) for row in client.get("/api/failures").json()] == [
        ("fixtures/broken.bin", "binary input")]


@pytest.mark.parametrize("path, params, words", [
    ("/api/stories", {"limit": 0}, "query.limit"),
    ("/api/stories", {"limit": 101}, "query.limit"),
    ("/api/stories", {"limit": "ten"}, "query.limit"),
    ("/api/stories", {"cursor": "not-a-cursor"}, "invalid cursor"),
    ("/api/articles", {"cursor": "WyJ4Il0"}, "invalid cursor"),  # a valid encoding of the wrong shape
    ("/api/stories", {"since": "yesterday-ish"}, "invalid since"),
    ("/api/stories", {"since": "99999999999d"}, "invalid since"),
    ("/api/entities", {"kind": "animals"}, "invalid kind"),
    ("/api/search", {}, "query.q"),
])
def test_bad_parameters_answer_422_with_a_clear_message(client, path, params, words):
    answer = client.get(path, params=params)
    assert answer.status_code == 422
    assert words in answer.json()["error"]


def test_openapi_documents_the_main_endpoints_with_response_models(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/outlets", "/api/entities", "/api/search", "/api/ingest", "/api/ingest/files", "/stories.atom"):
        assert path in schema["paths"], path
    story_response = schema["paths"]["/api/stories/{story_id}"]["get"]["responses"]["200"]
    assert story_response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/StoryOut"}


def test_response_models_refuse_fields_they_do_not_declare_except_the_loose_crosscheck():
    from newsloom.web import schemas

    loose = {"ConflictOut", "CrosscheckOut"}
    models = [m for m in vars(schemas).values()
              if isinstance(m, type) and issubclass(m, schemas.Out) and m is not schemas.Out]
    assert len(models) > 20
    assert {m.__name__ for m in models if m.model_config.get("extra") != "forbid"} == loose
