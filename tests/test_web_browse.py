"""newsloom.browse: cursors, entity queries over odd entities_json, stable order."""

import pytest

from conftest_web import build_web_db
from newsloom.api import Engine
from newsloom.browse import Browse, InvalidCursorError, decode_cursor, encode_cursor


@pytest.fixture
def browse(tmp_path):
    engine = Engine(build_web_db(tmp_path / "b.db"))
    yield Browse(engine)
    engine.close()


def test_cursor_round_trips_and_rejects_tampering():
    assert decode_cursor(encode_cursor("2026-03-03T10:05:00+00:00", "s-ferry"), (str, str)) == [
        "2026-03-03T10:05:00+00:00", "s-ferry"]
    for bad in ("", "%%%", encode_cursor("x"), encode_cursor(True), encode_cursor(1, 2)):
        with pytest.raises(InvalidCursorError):
            decode_cursor(bad, (int,))


def test_malformed_or_odd_entities_json_is_ignored_not_fatal(browse):
    conn = browse.conn
    conn.execute("UPDATE articles SET entities_json = 'not json' WHERE id = 'a-strike-1'")
    conn.execute("""UPDATE articles SET entities_json = '{"people": "Edda Lorne", "places": [3, null, "Dunmore"]}'
                    WHERE id = 'a-strike-2'""")
    assert [(e.name, e.article_count) for e in browse.entities("places")] == [("Port Ellery", 3), ("Dunmore", 1), ("Skerry", 1)]
    assert browse.story_entities("s-strike") == {"people": [], "orgs": [], "places": [("Dunmore", 1)]}
    assert [a.id for a in browse.articles(entity="Dunmore").items] == ["a-strike-2"]


def test_stories_with_the_same_last_time_are_ordered_by_id(browse):
    browse.conn.execute("UPDATE stories SET last_published = '2026-03-05T00:00:00+00:00'")
    assert [s.id for s in browse.stories_page(10).items] == ["s-ferry", "s-hostile", "s-pending", "s-strike"]
    first = browse.stories_page(2)
    assert [s.id for s in browse.stories_page(2, first.next_cursor).items] == ["s-pending", "s-strike"]
