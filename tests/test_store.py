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
