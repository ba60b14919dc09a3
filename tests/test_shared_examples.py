"""The project's reference case: a raw repost (000) and a machine digest about the same event (001)."""

import re

import pytest

from conftest import DEMO_CORPUS
from newsloom import Engine

REPOST = "000_8618f0a8f728be58.txt"
DIGEST = "001_84c68ebb345634ad.txt"


def report_paragraphs(raw_text: str) -> tuple[list[str], str]:
    """The input's lines that belong to the report, and its doubled caption's full text.

    Chrome is recognised here by plain markers, independently of clean.py's rules.
    """
    paragraphs = [line.strip() for line in raw_text.splitlines() if line.strip()][1:]  # [0] is the title
    chrome = ("Post At", "Disclaimer", "—")
    caption = ""
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if index == 0 and len(paragraph.split()) <= 3:
            continue  # category label
        if paragraph.startswith(chrome) or "pic.twitter.com" in paragraph:
            continue
        doubled = re.match(r"(?P<head>.{40,}?)\.\.\. (?P<full>.+)$", paragraph)
        if doubled and doubled.group("full").startswith(doubled.group("head")):
            caption = doubled.group("full")
            continue
        kept.append(paragraph)
    return kept, caption


def test_repost_alone_loses_its_chrome_and_keeps_its_report(shared_examples, tmp_path):
    with Engine(tmp_path / "n.db") as engine:
        report = engine.ingest([str(shared_examples / REPOST)])
        article = engine.article(report.article_ids[0])
    raw_text = (shared_examples / REPOST).read_text()
    kept, caption = report_paragraphs(raw_text)
    assert len(kept) > 15 and caption
    for paragraph in kept:
        assert paragraph in article.text
    assert "Post At" not in article.text
    assert "pic.twitter.com" not in article.text
    assert "(@DefenceU)" not in article.text
    assert "Disclaimer" not in article.text
    assert article.text.count(caption[:80]) <= 1
    assert not article.text.startswith("War")


def test_repost_and_digest_form_one_story_apart_from_the_demo(shared_examples, tmp_path):
    with Engine(tmp_path / "n.db") as engine:
        engine.ingest([str(DEMO_CORPUS)])
        report = engine.ingest([str(shared_examples / REPOST), str(shared_examples / DIGEST)])
        assert report.ingested == 2
        repost, digest = (engine.article(article_id) for article_id in report.article_ids)
        assert repost.story_id == digest.story_id
        story = engine.story(repost.story_id)
        assert {ref.id for ref in story.articles} == {repost.id, digest.id}
