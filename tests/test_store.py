"""The SQLite store: migrations, idempotent writes, search."""

import sqlite3

from newsloom.models import Article, DedupLink, RawInput, utc_now
from newsloom.store import Store
from newsloom.store.migrations import MIGRATIONS


def test_migrations_are_recorded_and_not_reapplied(tmp_path):
    path = tmp_path / "n.db"
    Store(path).close()
    store = Store(path)
    versions = [row[0] for row in store.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [number for number, _, _ in MIGRATIONS]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_raw_input_is_kept_byte_for_byte(tmp_path):
    store = Store(tmp_path / "n.db")
    raw = RawInput(origin="x.txt", body=b"\xff\xfeodd bytes", kind="text")
    with store.transaction():
        store.put_raw(raw)
        store.put_raw(raw)  # idempotent
    assert store.count("raw_inputs") == 1
    assert store.get_raw(raw.id).body == b"\xff\xfeodd bytes"


def test_article_round_trip_and_full_text_search(tmp_path):
    store = Store(tmp_path / "n.db")
    article = Article(id="a1", raw_id="r1", title="Harbour crane collapses", text="A crane fell onto the quay at dawn.", outlet="Ledger")
    with store.transaction():
        store.put_article(article)
    assert store.get_article("a1").title == "Harbour crane collapses"
    hits = store.search_articles('"crane"')
    assert [hit["id"] for hit in hits] == ["a1"]
    article.text = "Revised: nobody was hurt when the crane fell."
    with store.transaction():
        store.put_article(article)
    assert [hit["id"] for hit in store.search_articles('"revised"')] == ["a1"]
    assert store.search_articles('"dawn"') == []


def test_transaction_rolls_back_on_error(tmp_path):
    store = Store(tmp_path / "n.db")
    try:
        with store.transaction():
            store.put_raw(RawInput(origin="x", body=b"x", kind="text"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.count("raw_inputs") == 0


def test_links_point_copies_at_their_original(tmp_path):
    store = Store(tmp_path / "n.db")
    with store.transaction():
        store.put_links([DedupLink("b", "a", "repost", 0.7, 0.98, "98% contained")], utc_now())
    assert store.copy_map(["a", "b"]) == {"b": "a"}
    assert [link.article_id for link in store.copies_of("a")] == ["b"]


def _story_of(store, story_id, count, start_hour=0):
    from datetime import datetime, timedelta, timezone

    from newsloom.models import StoryAssignment

    base = datetime(2026, 3, 1, tzinfo=timezone.utc)
    for i in range(count):
        article = Article(id=f"{story_id}-{i}", raw_id=f"r-{story_id}-{i}", title=f"Headline {i} of {story_id}", text="",
                          published_at=base + timedelta(hours=start_hour + i))
        store.put_article(article, new=True)
        store.put_assignment(StoryAssignment(article.id, story_id, 1.0, i == 0), utc_now())
        store.add_to_story(story_id, article, utc_now())


def test_new_article_insert_falls_back_to_update_when_the_id_exists(tmp_path):
    store = Store(tmp_path / "n.db")
    article = Article(id="a1", raw_id="r1", title="Harbour crane collapses", text="")
    with store.transaction():
        store.put_article(article, new=True)
        article.title = "Harbour crane collapses at dawn"
        store.put_article(article, new=True)
    assert store.count("articles") == 1
    assert store.get_article("a1").title == "Harbour crane collapses at dawn"


def test_article_written_with_its_story_needs_no_second_write(tmp_path):
    from newsloom.models import StoryAssignment

    store = Store(tmp_path / "n.db")
    article = Article(id="a1", raw_id="r1", title="Harbour crane collapses", text="", outlet="Ledger")
    with store.transaction():
        store.put_article(article, new=True, story_id="s1")
        store.put_assignment(StoryAssignment("a1", "s1", 0.8, True), utc_now(), article_row_set=True)
        store.add_to_story("s1", article, utc_now())
    assert store.article_row("a1")["story_id"] == "s1"
    assert store.assignment_of("a1")["story_id"] == "s1"
    assert [a.id for a in store.articles_of_story("s1")] == ["a1"]
    assert store.story_row("s1")["outlet_count"] == 1
    with store.transaction():  # the id met again: the update keeps the story unless given another
        store.put_article(article, new=True)
        assert store.article_row("a1")["story_id"] == "s1"
        store.put_article(article, new=True, story_id="s2")
    assert store.article_row("a1")["story_id"] == "s2"
    assert store.story_of_article("a1") == "s2"
    assert store.story_of_article("unknown") is None


def test_story_sample_is_bounded_and_spans_the_story(tmp_path):
    store = Store(tmp_path / "n.db")
    with store.transaction():
        _story_of(store, "s1", 25)
    sample = store.articles_of_story("s1", sample=6)
    assert len(sample) == 6
    assert sample[0].id == "s1-0" and sample[-1].id == "s1-24"
    assert len(store.articles_of_story("s1", sample=40)) == 25


def test_story_sample_reads_every_original_before_any_copy(tmp_path):
    from newsloom.models import DedupLink

    store = Store(tmp_path / "n.db")
    with store.transaction():
        _story_of(store, "s1", 30)
        originals = {"s1-0", "s1-9", "s1-17", "s1-25", "s1-29"}
        copies = [f"s1-{i}" for i in range(30) if f"s1-{i}" not in originals]
        store.put_links([DedupLink(copy, "s1-0", "repost", 0.9, 0.95, "a repost") for copy in copies], utc_now())
    sample = [a.id for a in store.articles_of_story("s1", sample=8)]
    assert len(sample) == 8 and originals <= set(sample)
    assert sample == sorted(sample, key=lambda article_id: int(article_id.split("-")[1]))  # arrival order
    assert {a.id for a in store.articles_of_story("s1", sample=3)} <= originals  # fewer slots than originals


def test_dirty_stories_by_growth_among_given_ids_and_by_closing_time(tmp_path):
    from datetime import datetime, timezone

    from newsloom.models import Digest

    store = Store(tmp_path / "n.db")
    with store.transaction():
        _story_of(store, "big", 4)
        _story_of(store, "lone", 1, start_hour=100)
    assert store.dirty_story_ids(1.0, among=["big", "lone"]) == ["big"]
    assert store.dirty_story_ids(1.0, among=["lone"]) == []
    assert store.closed_dirty_story_ids(datetime(2026, 3, 2, tzinfo=timezone.utc)) == ["big"]
    with store.transaction():
        store.put_digest(Digest("big", "Headline 0 of big", "big-0", None))
    assert store.closed_dirty_story_ids(datetime(2026, 3, 9, tzinfo=timezone.utc)) == ["lone"]


def test_rebuilt_digest_replaces_the_story_search_row(tmp_path):
    from newsloom.models import Digest

    store = Store(tmp_path / "n.db")
    with store.transaction():
        _story_of(store, "s1", 1)
        _story_of(store, "s2", 1)
        store.put_digest(Digest("s1", "Crane collapses in harbour", "s1-0", None))
        store.put_digest(Digest("s2", "Ferry strike ends", "s2-0", None))
        store.put_digest(Digest("s1", "Harbour reopens after crane collapse", "s1-0", None))
    assert [row["story_id"] for row in store.search_stories('"reopens"')] == ["s1"]
    assert [row["story_id"] for row in store.search_stories('"crane"')] == ["s1"]
    assert store.conn.execute("SELECT COUNT(*) FROM stories_fts").fetchone()[0] == 2


def test_search_rows_of_an_older_database_are_rekeyed_by_the_migration(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, _, sql in MIGRATIONS:
        if number < 5:
            conn.executescript(sql)
    conn.execute("INSERT INTO stories (id, created_at, updated_at) VALUES ('s1', 'x', 'x'), ('s2', 'x', 'x')")
    conn.execute("INSERT INTO stories_fts (rowid, story_id, headline, body) VALUES (7, 's2', 'Ferry strike ends', '')")
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, 'x')", [(n, name) for n, name, _ in MIGRATIONS if n < 5])
    conn.commit()
    conn.close()
    store = Store(path)
    assert [tuple(row) for row in store.conn.execute("SELECT rowid, story_id FROM stories_fts")] == [(2, "s2")]
    assert [row["story_id"] for row in store.search_stories('"ferry"')] == ["s2"]


def _raw_table(store):
    return [tuple(row) for row in store.conn.execute(
        "SELECT rowid, id, origin, kind, status, error, article_id, hints_json FROM raw_inputs ORDER BY rowid")]


def test_raw_inputs_kept_in_a_transaction_are_written_with_their_final_status(tmp_path):
    kept, known = RawInput(origin="a.txt", body=b"a", kind="text"), RawInput(origin="b.txt", body=b"b", kind="text")
    failed, skipped = RawInput(origin="c.txt", body=b"c", kind="text"), RawInput(origin="d.xml", body=b"d", kind="feed")
    expected = Store(tmp_path / "one_by_one.db")  # each put and mark written at once: no transaction open
    store = Store(tmp_path / "batched.db")
    for target in (expected, store):
        target.put_raw(known)
        target.mark_raw(known.id, "article", article_id="k1")
    with store.transaction():
        for raw in (kept, failed, skipped):
            assert store.stored_raw_ids([raw.id]) == set()
            store.put_raw(raw)
            assert store.stored_raw_ids([raw.id]) == {raw.id}
        store.put_raw(known)  # an id already stored keeps its row...
        store.mark_raw(known.id, "article", article_id="k2")  # ...and still takes a new status
        store.mark_raw(kept.id, "article", article_id="a1")
        store.mark_raw(failed.id, "failed", error="no text")
        store.mark_raw(skipped.id, "skipped")
        assert [row["id"] for row in store.failed_raw_inputs()] == [failed.id]  # a read sees the kept rows
    for raw, status, article_id in ((kept, "article", "a1"), (failed, "failed", None), (skipped, "skipped", None)):
        expected.put_raw(raw)
        expected.mark_raw(raw.id, status, error="no text" if status == "failed" else None, article_id=article_id)
    expected.mark_raw(known.id, "article", article_id="k2")
    assert _raw_table(store) == _raw_table(expected)
    assert store.get_raw(kept.id).body == b"a"


def test_raw_inputs_kept_in_a_rolled_back_transaction_are_forgotten(tmp_path):
    store = Store(tmp_path / "n.db")
    raw = RawInput(origin="x", body=b"x", kind="text")
    try:
        with store.transaction():
            store.put_raw(raw)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.stored_raw_ids([raw.id]) == set()
    with store.transaction():
        pass
    assert store.count("raw_inputs") == 0


def test_counting_a_new_article_in_gives_the_full_recount(tmp_path):
    from datetime import datetime, timezone

    store = Store(tmp_path / "n.db")
    moment = datetime(2026, 3, 1, tzinfo=timezone.utc)
    articles = [Article(id=f"a{i}", raw_id=f"r{i}", title=f"Headline {i}", text="", outlet=outlet,
                        published_at=datetime(2026, 3, 1 + day, tzinfo=timezone.utc) if day is not None else None)
                for i, (outlet, day) in enumerate([("Ledger", 3), ("Ledger", 1), (None, None), ("Post", 5)])]
    columns = "created_at, updated_at, article_count, outlet_count, first_published, last_published, digest_dirty"
    with store.transaction():
        for article in articles:
            store.put_article(article, new=True, story_id="s1")
            store.add_to_story("s1", article, moment)
            counted = tuple(store.conn.execute(f"SELECT {columns} FROM stories WHERE id = 's1'").fetchone())
            store.touch_story("s1", moment)
            assert tuple(store.conn.execute(f"SELECT {columns} FROM stories WHERE id = 's1'").fetchone()) == counted
    assert counted[2:6] == (4, 3, "2026-03-02T00:00:00+00:00", "2026-03-06T00:00:00+00:00")


def test_batch_lookups_answer_for_every_id_asked(tmp_path):
    store = Store(tmp_path / "n.db")
    raws = [RawInput(origin=f"r{i}.txt", body=f"body {i}".encode(), kind="text") for i in range(3)]
    articles = [Article(id=f"a{i}", raw_id=raws[i].id, title=f"Headline {i}", text="") for i in range(2)]
    store.put_raw(raws[0])
    with store.transaction():
        store.put_raw(raws[1])  # kept in the open transaction, not written yet
        for article in articles:
            store.put_article(article, new=True)
        asked = [raw.id for raw in raws] + ["unknown"]
        assert store.stored_raw_ids(asked) == {raws[0].id, raws[1].id}
    ids = [f"a{i}" for i in range(3)] * 2
    hashes = store.article_content_hashes(ids)
    assert hashes == {"a0": articles[0].content_hash, "a1": articles[1].content_hash}
    many = [f"x{i}" for i in range(1200)] + ["a1"]  # more ids than one IN list takes
    assert store.article_content_hashes(many) == {"a1": articles[1].content_hash}
