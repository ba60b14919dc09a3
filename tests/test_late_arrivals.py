"""An archive backfill mixing years: an older page's copies and follow-ups arriving after newer pages.

The windows (``dedup_window_days``, ``cluster_window_days``) compare the articles' own dates; the
indexes evict by the newest date seen, except what the last ``late_arrival_memory`` arrivals
touched. These tests ingest one article per batch (an eviction after each) through the pipeline.
Every text below is fiction written for newsloom.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from newsloom import Engine

OLD_TITLE = "Quarry lake at Ostrel drained after dam wall cracks"
OLD_PARAGRAPHS = [
    "Engineers began draining the quarry lake above the village of Ostrel on Thursday after a crack was found "
    "in the old dam wall that holds back almost two million cubic metres of water.",
    "The district office said 140 households below the dam had been moved to a sports hall in Perrin as a "
    "precaution, and that the road along the valley would stay closed until the level had fallen by half.",
    "The crack was spotted by a walker, Hedda Lunn, who sent photographs to the parish council on Wednesday "
    "evening. An inspector confirmed within the hour that water was seeping through the wall.",
    "Pumps borrowed from the fire brigades of three districts are lowering the lake by about forty centimetres "
    "a day. The district engineer, Tomas Vrell, said the wall was not expected to fail before the work ends.",
    "The quarry closed in the nineteen-seventies and the lake has since become a popular place for swimming, "
    "which the council has now banned until further notice.",
]
OLD_BODY = "\n\n".join(OLD_PARAGRAPHS)
NEW_TITLE = "Perrin opens its new covered market after a year of works"
NEW_BODY = (
    "The covered market in Perrin opened on Saturday with sixty stalls selling cheese, bread, fish and "
    "flowers, after a year in which traders sold from tents on the square.\n\n"
    "The mayor, Anouk Sell, said the hall had cost less than planned because the old iron roof could be "
    "restored rather than replaced. Traders said the first morning had been the busiest they could remember."
)
OLD_DAY = datetime(2016, 4, 14, 9, tzinfo=timezone.utc).timestamp()
NEW_DAY = datetime(2019, 6, 1, 9, tzinfo=timezone.utc).timestamp()


def write_rows(path, rows) -> str:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def old_page():
    return {"url": "https://valley-news.example/2016/ostrel-dam", "title": OLD_TITLE, "text": OLD_BODY,
            "published": OLD_DAY, "source": "Valley News"}


def newer_page():
    return {"url": "https://perrin-post.example/2019/market", "title": NEW_TITLE, "text": NEW_BODY,
            "published": NEW_DAY, "source": "Perrin Post"}


def late_repost():
    return {"url": "https://aggregator.example/ostrel-dam-drained", "title": OLD_TITLE,
            "text": "Originally published by Valley News.\n\n" + OLD_BODY, "published": OLD_DAY + 3600,
            "source": "Aggregator"}


def copy_link_and_stories(db):
    with Engine(db) as engine:
        stories = engine.stories()
    repost = next(a for story in stories for a in story.articles if "aggregator" in a.url)
    story_of = {a.url: story.id for story in stories for a in story.articles}
    return repost.copy_of, story_of


def test_a_late_repost_of_an_older_page_is_linked_and_joins_its_story(tmp_path):
    db = tmp_path / "n.db"
    with Engine(db, batch_size=1) as engine:
        engine.ingest([write_rows(tmp_path / "rows.jsonl", [old_page(), newer_page(), late_repost()])])

    original, story_of = copy_link_and_stories(db)

    assert original is not None
    assert story_of[late_repost()["url"]] == story_of[old_page()["url"]]
    assert story_of[newer_page()["url"]] != story_of[old_page()["url"]]


def test_the_late_memory_survives_a_restart_between_ingests(tmp_path):
    db = tmp_path / "n.db"
    with Engine(db, batch_size=1) as engine:
        engine.ingest([write_rows(tmp_path / "first.jsonl", [old_page(), newer_page()])])
    with Engine(db, batch_size=1) as engine:  # a new process: the indexes are rebuilt from the store
        engine.ingest([write_rows(tmp_path / "second.jsonl", [late_repost()])])

    original, story_of = copy_link_and_stories(db)

    assert original is not None
    assert story_of[late_repost()["url"]] == story_of[old_page()["url"]]


def test_without_late_memory_the_repost_is_missed(tmp_path):
    db = tmp_path / "n.db"
    with Engine(db, batch_size=1, late_arrival_memory=0) as engine:
        engine.ingest([write_rows(tmp_path / "rows.jsonl", [old_page(), newer_page(), late_repost()])])

    original, _ = copy_link_and_stories(db)

    assert original is None
