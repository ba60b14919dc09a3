"""Numbered schema migrations, applied in order and recorded in ``schema_migrations``.

A migration is data: (version, name, SQL). Never edit a released migration;
add the next number instead. ``apply_migrations`` runs each pending one in its
own transaction, so a crash leaves the schema at a known version.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "raw inputs, articles, dedup links, stories, full-text search",
        """
        CREATE TABLE raw_inputs (
            id TEXT PRIMARY KEY,
            origin TEXT NOT NULL,
            kind TEXT NOT NULL,
            received_at TEXT NOT NULL,
            content_type TEXT,
            content_sha TEXT NOT NULL,
            size INTEGER NOT NULL,
            body BLOB NOT NULL,
            hints_json TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending',   -- pending | article | skipped | failed
            error TEXT,
            article_id TEXT
        );
        CREATE INDEX raw_inputs_origin ON raw_inputs(origin);
        CREATE INDEX raw_inputs_status ON raw_inputs(status);

        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order; also the FTS rowid
            id TEXT NOT NULL UNIQUE,
            raw_id TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            extracted_text TEXT NOT NULL,
            published_at TEXT,
            author TEXT,
            outlet TEXT,
            language TEXT,
            content_hash TEXT NOT NULL,
            removed_json TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL,
            story_id TEXT,
            entities_json TEXT
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published_at);
        CREATE INDEX articles_url ON articles(url);

        CREATE TABLE dedup_links (
            article_id TEXT PRIMARY KEY,
            original_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            jaccard REAL NOT NULL,
            containment REAL NOT NULL,
            reason TEXT NOT NULL,
            linked_at TEXT NOT NULL
        );
        CREATE INDEX dedup_links_original ON dedup_links(original_id);

        CREATE TABLE story_assignments (
            article_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            score REAL NOT NULL,
            new_story INTEGER NOT NULL,
            matched_json TEXT NOT NULL,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX story_assignments_story ON story_assignments(story_id);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT,
            article_count INTEGER NOT NULL DEFAULT 0,
            outlet_count INTEGER NOT NULL DEFAULT 0,
            headline TEXT,
            standfirst TEXT,
            digest_json TEXT,
            digest_built_at TEXT,
            digest_dirty INTEGER NOT NULL DEFAULT 1,
            state_json TEXT,
            last_active TEXT
        );
        CREATE INDEX stories_last_published ON stories(last_published);
        CREATE INDEX stories_last_active ON stories(last_active);

        CREATE TABLE engine_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
        CREATE TABLE boilerplate_lines (
            outlet TEXT NOT NULL, line_key TEXT NOT NULL, count INTEGER NOT NULL, sample TEXT NOT NULL,
            PRIMARY KEY (outlet, line_key)
        );
        CREATE TABLE http_validators (
            url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq', tokenize='porter unicode61'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;

        CREATE VIRTUAL TABLE stories_fts USING fts5(
            story_id UNINDEXED, headline, body, tokenize='porter unicode61'
        );
        """,
    ),
    (
        2,
        "story cross-check results",
        """
        ALTER TABLE stories ADD COLUMN crosscheck_json TEXT;
        ALTER TABLE stories ADD COLUMN crosscheck_built_at TEXT;
        """,
    ),
    (
        3,
        "story upkeep in O(log n) per article: digest build size, dirty-story index, per-story outlet and date indexes",
        """
        ALTER TABLE stories ADD COLUMN digest_article_count INTEGER NOT NULL DEFAULT 0;
        UPDATE stories SET digest_article_count = article_count WHERE digest_dirty = 0;
        CREATE INDEX stories_dirty ON stories(id) WHERE digest_dirty = 1;
        DROP INDEX articles_story;
        CREATE INDEX articles_story_published ON articles(story_id, published_at);
        CREATE INDEX articles_story_outlet ON articles(story_id, outlet);
        """,
    ),
    (
        4,
        "sentence-vector cache: one row per model and text hash, so nothing is embedded twice across runs",
        """
        CREATE TABLE embeddings (
            model_id TEXT NOT NULL,
            text_sha1 TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,        -- float32, little-endian, dim values
            created_at TEXT NOT NULL,
            PRIMARY KEY (model_id, text_sha1)
        ) WITHOUT ROWID;
        """,
    ),
    (
        5,
        "flat digest upkeep: a story's search row keyed by the story's rowid, closed dirty stories by date",
        """
        CREATE TABLE stories_fts_rows AS
            SELECT s.rowid AS story_rowid, f.story_id, f.headline, f.body FROM stories_fts f JOIN stories s ON s.id = f.story_id;
        DELETE FROM stories_fts;
        INSERT INTO stories_fts (rowid, story_id, headline, body)
            SELECT story_rowid, story_id, headline, body FROM stories_fts_rows;
        DROP TABLE stories_fts_rows;
        CREATE INDEX stories_dirty_published ON stories(last_published) WHERE digest_dirty = 1;
        """,
    ),
    (
        6,
        "cheaper article writes: drop the URL and publication-date indexes, which no query reads",
        # Every article insert paid a random-key insert into each; look-ups go by id, story or outlet,
        # and date filters compare COALESCE(published_at, ingested_at), which these indexes cannot serve.
        """
        DROP INDEX IF EXISTS articles_url;
        DROP INDEX IF EXISTS articles_published;
        """,
    ),
]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def apply_migrations(conn: sqlite3.Connection) -> list[int]:
    """Apply every pending migration; return the versions applied."""
    applied = []
    version = current_version(conn)
    for number, name, sql in MIGRATIONS:
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (number, name, datetime.now(timezone.utc).isoformat()),
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in sql.splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buffer = []
    tail = "\n".join(buffer).strip()
    if tail:
        statements.append(tail)
    return statements
