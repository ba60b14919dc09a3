"""The CLI: thin commands over the Engine, text for people and --json for programs."""

import json

from click.testing import CliRunner

from newsloom import __version__
from newsloom.cli import cli


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def test_version():
    assert __version__ in run("--version").output


def test_stories_json_lists_every_story_with_its_articles(demo_db, demo_expected):
    stories = json.loads(run("stories", "--db", demo_db, "--json").output)
    assert sum(len(story["articles"]) for story in stories) == len(demo_expected["articles"])
    for story in stories:
        assert story["headline"]
        for article in story["articles"]:
            assert {"id", "url", "title", "outlet", "published"} <= set(article)


def test_story_formats(demo_db):
    story_id = json.loads(run("stories", "--db", demo_db, "--json").output)[0]["id"]
    as_json = json.loads(run("story", story_id, "--db", demo_db, "--format", "json").output)
    assert as_json["id"] == story_id and as_json["digest"]["body"]
    markdown = run("story", story_id[:10], "--db", demo_db, "--format", "markdown").output
    assert markdown.startswith("# ") and "## Sources" in markdown and "[1]" in markdown
    text = run("story", story_id, "--db", demo_db).output
    assert "Sources" in text


def test_article_json_has_the_clean_text(demo_db, demo_expected):
    html_url = next(key for key, a in sorted(demo_expected["articles"].items()) if a["format"] == "html")
    stories = json.loads(run("stories", "--db", demo_db, "--json").output)
    story, ref = next((s, a) for s in stories for a in s["articles"] if a["url"] == html_url)
    article = json.loads(run("article", ref["id"], "--db", demo_db, "--json").output)
    assert article["id"] == ref["id"] and len(article["text"]) > 100
    assert article["story_id"] == story["id"]
    assert article["title"] == demo_expected["articles"][html_url]["title"]


def test_search_finds_articles(demo_db):
    story = json.loads(run("stories", "--db", demo_db, "--json").output)[0]
    word = max(story["articles"][0]["title"].split(), key=len)
    hits = json.loads(run("search", word, "--db", demo_db, "--json").output)
    assert any(hit["id"] == story["articles"][0]["id"] for hit in hits["articles"])


def test_unknown_story_is_a_clear_error(demo_db, capsys):
    import subprocess, sys

    result = subprocess.run([sys.executable, "-m", "newsloom.cli", "story", "zzzz", "--db", str(demo_db)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "no story with id 'zzzz'" in result.stderr


def test_ingest_exit_code_is_nonzero_when_everything_failed(tmp_path):
    import subprocess, sys

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "newsloom.cli", "ingest", str(bad), "--db", str(tmp_path / "n.db")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "bad.txt" in result.stderr


def test_ingest_json_report(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Bridge reopens after repairs\n\nThe Old Mill bridge reopened on Monday after six weeks of repairs, the council said.\n")
    payload = json.loads(run("ingest", good, "--db", tmp_path / "n.db", "--json").output)
    assert payload["ingested"] == 1 and payload["failed"] == 0


def test_check_reports_the_place_conflict_of_the_reference_digest(shared_examples):
    result = run("check", shared_examples / "001_84c68ebb345634ad.txt",
                 "--against", shared_examples / "000_8618f0a8f728be58.txt", "--json")
    report = json.loads(result.output)
    geography = [c for c in report["conflicts"] if c["kind"] in ("geography", "place")]
    assert geography and all("Russia's Sumy region" in c["claim"] for c in geography)
    assert {"claim", "evidence", "source", "kind", "explanation"} <= set(report["conflicts"][0])
    unsupported = [c["text"] for c in report["claims"] if c["verdict"] == "unsupported"]
    assert any("100 conscripts" in text for text in unsupported)
    assert not any("two miles" in c["claim"] and c["kind"] == "number" for c in report["conflicts"])
