"""The SQLite store: every raw input, article, link, assignment and digest.

Durability rules: WAL journal, explicit transactions, and the writer commits
in batches, so a crash or kill loses at most the batch in flight; everything
committed before stays readable. The store knows rows, not algorithms: it
never decides anything, it only records what the stages decided and why.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from newsloom.errors import StoreError
from newsloom.models import Article, DedupLink, Digest, RawInput, RemovedSpan, StoryAssignment
from newsloom.store.migrations import apply_migrations

ARTICLE_COLUMNS = (
    "id, raw_id, url, title, text, extracted_text, published_at, author, outlet, language, "
    "content_hash, removed_json, ingested_at, story_id, seq"
)


# A story's first or last publication time, by index: dated articles first, arrival time for an undated story.
# COALESCE evaluates its second argument only when the first is NULL.
_STORY_EDGE = (
    "COALESCE((SELECT {fn}(published_at) FROM articles WHERE story_id = ?), "
    "(SELECT {fn}(ingested_at) FROM articles WHERE story_id = ?))"
)


def to_iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601, so that string order is time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        raw_id=row["raw_id"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        extracted_text=row["extracted_text"],
        published_at=from_iso(row["published_at"]),
        author=row["author"],
        outlet=row["outlet"],
        language=row["language"],
        removed=[RemovedSpan(**span) for span in json.loads(row["removed_json"])],
        ingested_at=from_iso(row["ingested_at"]),
    )


def _evenly_spaced(seqs: list[int], count: int) -> list[int]:
    """At most ``count`` of ``seqs``, evenly spaced (the first and the last included when count > 1)."""
    if count <= 0:
        return []
    if len(seqs) <= count:
        return list(seqs)
    if count == 1:
        return [seqs[0]]
    step = (len(seqs) - 1) / (count - 1)
    return sorted({seqs[round(i * step)] for i in range(count)})


class Store:
    """One SQLite database. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the database {path}: {error}. Check the path and its permissions, or pass --db.") from error
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA busy_timeout=10000")
        # A page cache sized for the indexes a long ingest keeps touching (the default 2 MB makes every
        # look-up in a database of some hundred MB a trip to the OS); memory-mapped reads for the rest.
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.execute("PRAGMA mmap_size=268435456")
        # Copy the log back into the database every 8,000 pages (32 MB) instead of SQLite's 1,000: the
        # story, index and search pages every batch rewrites are copied once per checkpoint, not each time.
        self.conn.execute("PRAGMA wal_autocheckpoint=8000")
        apply_migrations(self.conn)
        self._in_transaction = False
        # Raw inputs kept in the open transaction, by id: written at its commit (or before a read of the
        # table) with their final status, one statement for the batch instead of an insert and an update each.
        self._raw_rows: dict[str, list] = {}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
            self._write_raw_rows()
            self.conn.execute("COMMIT")
        except BaseException:
            self._raw_rows = {}
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._in_transaction = False

    # -- raw inputs -------------------------------------------------------
    def stored_raw_ids(self, raw_ids: list[str]) -> set[str]:
        """Which of these raw inputs are kept already, this transaction's included (a few statements in all)."""
        found = {raw_id for raw_id in raw_ids if raw_id in self._raw_rows}
        for chunk in _chunks(sorted(set(raw_ids) - found)):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.conn.execute(f"SELECT id FROM raw_inputs WHERE id IN ({marks})", chunk))
        return found

    def put_raw(self, raw: RawInput) -> None:
        """Keep a raw input (an id already stored is left as it is). Inside a transaction the row is
        written at the commit, with the status ``mark_raw`` gave it meanwhile."""
        row = [raw.id, raw.origin, raw.kind, to_iso(raw.received_at), raw.content_type, raw.content_sha,
               len(raw.body), raw.body, json.dumps(raw.hints, default=str), "pending", None, None]
        self._raw_rows.setdefault(raw.id, row)
        if not self._in_transaction:
            self._write_raw_rows()

    def mark_raw(self, raw_id: str, status: str, *, error: str | None = None, article_id: str | None = None) -> None:
        row = self._raw_rows.get(raw_id)
        if row is not None:
            row[9:] = [status, error, article_id]
            return
        self.conn.execute(
            "UPDATE raw_inputs SET status = ?, error = ?, article_id = ? WHERE id = ?", (status, error, article_id, raw_id)
        )

    def _write_raw_rows(self) -> None:
        """Write the kept raw inputs. An id already stored keeps its row; a status given since
        ``put_raw`` still updates it, as the separate insert and update did."""
        if not self._raw_rows:
            return
        rows, self._raw_rows = list(self._raw_rows.values()), {}
        self.conn.executemany(
            "INSERT INTO raw_inputs (id, origin, kind, received_at, content_type, content_sha, size, body, hints_json, "
            "status, error, article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET status = excluded.status, error = excluded.error, "
            "article_id = excluded.article_id WHERE excluded.status != 'pending'",
            rows,
        )

    def get_raw(self, raw_id: str) -> RawInput | None:
        self._write_raw_rows()
        row = self.conn.execute("SELECT * FROM raw_inputs WHERE id = ?", (raw_id,)).fetchone()
        if row is None:
            return None
        return RawInput(origin=row["origin"], body=bytes(row["body"]), kind=row["kind"],
                        received_at=from_iso(row["received_at"]), content_type=row["content_type"],
                        hints=json.loads(row["hints_json"]))

    def raw_origin(self, raw_id: str) -> str | None:
        self._write_raw_rows()
        row = self.conn.execute("SELECT origin FROM raw_inputs WHERE id = ?", (raw_id,)).fetchone()
        return row[0] if row else None

    def failed_raw_inputs(self) -> list[sqlite3.Row]:
        self._write_raw_rows()
        return self.conn.execute(
            "SELECT id, origin, kind, error FROM raw_inputs WHERE status = 'failed' ORDER BY received_at"
        ).fetchall()

    # -- articles ---------------------------------------------------------
    def article_content_hashes(self, article_ids: list[str]) -> dict[str, str]:
        """The stored content hash of each known article id (unknown ids are left out), a few statements in all."""
        hashes: dict[str, str] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            marks = ",".join("?" * len(chunk))
            hashes.update((row[0], row[1]) for row in self.conn.execute(
                f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", chunk))
        return hashes

    def put_article(self, article: Article, entities: dict | None = None, *, new: bool = False,
                    story_id: str | None = None) -> None:
        """Insert or update an article. ``new=True`` (the caller found no row with this id) tries the
        insert first: one statement instead of two, and still an update if the id appeared since.
        ``story_id`` (the story it was just assigned to) is written in the same statement, so the row
        enters the story indexes once instead of being moved there by ``put_assignment``."""
        values = (
            article.raw_id, article.url, article.title, article.text, article.extracted_text,
            to_iso(article.published_at), article.author, article.outlet, article.language, article.content_hash,
            json.dumps([asdict(span) for span in article.removed]), to_iso(article.ingested_at),
            json.dumps(entities) if entities is not None else None, story_id,
        )
        insert = ("INTO articles (raw_id, url, title, text, extracted_text, published_at, author, outlet, language, "
                  "content_hash, removed_json, ingested_at, entities_json, story_id, id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        if new and self.conn.execute("INSERT OR IGNORE " + insert, values + (article.id,)).rowcount:
            return
        updated = self.conn.execute(
            "UPDATE articles SET raw_id=?, url=?, title=?, text=?, extracted_text=?, published_at=?, author=?, outlet=?, "
            "language=?, content_hash=?, removed_json=?, ingested_at=?, entities_json=?, story_id=COALESCE(?, story_id) "
            "WHERE id = ?",
            values + (article.id,),
        ).rowcount
        if not updated:
            self.conn.execute("INSERT " + insert, values + (article.id,))

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_row(row) if row else None

    def find_article_ids(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self.conn.execute("SELECT id FROM articles WHERE id LIKE ? ORDER BY id LIMIT ?", (prefix + "%", limit))
        return [row[0] for row in rows]

    def article_row(self, article_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()

    def story_of_article(self, article_id: str) -> str | None:
        """The article's story id (None when the article is unknown or not yet assigned); reads one column."""
        row = self.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def articles_of_story(self, story_id: str, sample: int | None = None) -> list[Article]:
        """The story's articles in arrival order; with ``sample``, at most that many, so a huge story costs a
        bounded read: its originals first (a copy states nothing its original does not), evenly spaced over
        the arrival order (the first and the last included) when there are more, then copies likewise."""
        if sample is not None:
            rows = self.conn.execute(
                "SELECT seq, EXISTS (SELECT 1 FROM dedup_links WHERE dedup_links.article_id = articles.id) "
                "FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)).fetchall()
            if len(rows) > sample:
                originals = [seq for seq, is_copy in rows if not is_copy]
                copies = [seq for seq, is_copy in rows if is_copy]
                chosen_originals = _evenly_spaced(originals, sample)
                chosen = sorted(chosen_originals + _evenly_spaced(copies, sample - len(chosen_originals)))
                marks = ",".join("?" * len(chosen))
                rows = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE seq IN ({marks}) ORDER BY seq", chosen)
                return [article_from_row(row) for row in rows]
        rows = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
        ).fetchall()
        return [article_from_row(row) for row in rows]

    def story_article_count(self, story_id: str) -> int:
        row = self.conn.execute("SELECT article_count FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row[0] if row else 0

    def story_members(self, story_id: str) -> list[tuple[Article, dict | None]]:
        """The story's articles in arrival order, each with its stored entities (``entities_json``)."""
        rows = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS}, entities_json FROM articles WHERE story_id = ? ORDER BY seq", (story_id,))
        return [(article_from_row(row), json.loads(row["entities_json"]) if row["entities_json"] else None)
                for row in rows]

    def article_rows_of_story(self, story_id: str) -> list[sqlite3.Row]:
        self._write_raw_rows()
        return self.conn.execute(
            "SELECT a.id, a.url, a.title, a.outlet, a.published_at, a.ingested_at, a.raw_id, a.seq, "
            "l.original_id, l.kind AS copy_kind, l.jaccard, l.containment, l.reason AS copy_reason, "
            "s.score, s.new_story, s.matched_json, r.origin "
            "FROM articles a LEFT JOIN dedup_links l ON l.article_id = a.id "
            "LEFT JOIN story_assignments s ON s.article_id = a.id "
            "LEFT JOIN raw_inputs r ON r.id = a.raw_id WHERE a.story_id = ? ORDER BY a.seq",
            (story_id,),
        ).fetchall()

    def recent_articles(self, since: datetime, limit: int | None = None, last_arrivals: int = 0) -> Iterator[Article]:
        """Articles published (else ingested) since ``since``, and the last ``last_arrivals`` ingested, in arrival order."""
        query = (f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE COALESCE(published_at, ingested_at) >= ? "
                 "OR seq > (SELECT COALESCE(MAX(seq), 0) FROM articles) - ? ORDER BY seq")
        params: tuple = (to_iso(since), last_arrivals)
        if limit:
            query += " LIMIT ?"
            params += (limit,)
        for row in self.conn.execute(query, params):
            yield article_from_row(row)

    def count(self, table: str) -> int:
        if table not in {"articles", "stories", "raw_inputs", "dedup_links"}:
            raise ValueError(table)
        self._write_raw_rows()
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    # -- links and assignments -------------------------------------------
    def put_links(self, links: Iterable[DedupLink], linked_at: datetime) -> None:
        links = list(links)
        if not links:  # most articles are originals: no statement at all
            return
        self.conn.executemany(
            "INSERT OR REPLACE INTO dedup_links (article_id, original_id, kind, jaccard, containment, reason, linked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(l.article_id, l.original_id, l.kind, l.jaccard, l.containment, l.reason, to_iso(linked_at)) for l in links],
        )

    def remove_link(self, article_id: str) -> None:
        self.conn.execute("DELETE FROM dedup_links WHERE article_id = ?", (article_id,))

    def link_of(self, article_id: str) -> DedupLink | None:
        row = self.conn.execute("SELECT * FROM dedup_links WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return DedupLink(row["article_id"], row["original_id"], row["kind"], row["jaccard"], row["containment"], row["reason"])

    def copies_of(self, article_id: str) -> list[DedupLink]:
        rows = self.conn.execute("SELECT * FROM dedup_links WHERE original_id = ? ORDER BY article_id", (article_id,))
        return [DedupLink(r["article_id"], r["original_id"], r["kind"], r["jaccard"], r["containment"], r["reason"]) for r in rows]

    def copy_map(self, article_ids: list[str]) -> dict[str, str]:
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = self.conn.execute(f"SELECT article_id, original_id FROM dedup_links WHERE article_id IN ({marks})", article_ids)
        return {row[0]: row[1] for row in rows}

    def put_assignment(self, assignment: StoryAssignment, assigned_at: datetime, *, article_row_set: bool = False) -> None:
        """Record the assignment and its evidence, and set the article row's story (unless
        ``article_row_set``: the caller wrote it with ``put_article(story_id=...)``)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO story_assignments (article_id, story_id, score, new_story, matched_json, assigned_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (assignment.article_id, assignment.story_id, assignment.score, int(assignment.new_story),
             json.dumps(assignment.matched, default=_json_default), to_iso(assigned_at)),
        )
        if not article_row_set:
            self.conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (assignment.story_id, assignment.article_id))

    def assignment_of(self, article_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM story_assignments WHERE article_id = ?", (article_id,)).fetchone()

    # -- stories ----------------------------------------------------------
    def touch_story(self, story_id: str, now: datetime) -> None:
        """Create the story row if new, and recompute its counts and time span from all its articles.

        For a revised article, whose date or outlet may have changed; a new
        article goes through ``add_to_story``, which costs O(log n) instead.
        """
        self._ensure_story(story_id, now)
        self.conn.execute(
            "UPDATE stories SET updated_at = ?, digest_dirty = 1, "
            "article_count = (SELECT COUNT(*) FROM articles WHERE story_id = ?), "
            "outlet_count = (SELECT COUNT(DISTINCT COALESCE(outlet, id)) FROM articles WHERE story_id = ?), "
            f"first_published = {_STORY_EDGE.format(fn='MIN')}, last_published = {_STORY_EDGE.format(fn='MAX')} "
            "WHERE id = ?",
            (to_iso(now), story_id, story_id, story_id, story_id, story_id, story_id, story_id),
        )

    def add_to_story(self, story_id: str, article: Article, now: datetime) -> None:
        """Count one new article (already assigned to the story) into the story's row, incrementally.

        Gives the same counts and span as ``touch_story`` without reading the
        story's other articles: the outlet test and the date edges are index
        look-ups, so the cost per article stays flat however big the story grows.
        """
        new_outlet = "1" if article.outlet is None else (
            "NOT EXISTS (SELECT 1 FROM articles WHERE story_id = ? AND outlet = ? AND id != ?)")
        outlet_params = () if article.outlet is None else (story_id, article.outlet, article.id)
        # One statement: a new story's row is inserted already counted, a known one's updated.
        self.conn.execute(
            "INSERT INTO stories (id, created_at, updated_at, article_count, outlet_count, first_published, last_published) "
            f"VALUES (?, ?, ?, 1, {new_outlet}, {_STORY_EDGE.format(fn='MIN')}, {_STORY_EDGE.format(fn='MAX')}) "
            "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, digest_dirty = 1, "
            "article_count = article_count + 1, outlet_count = outlet_count + excluded.outlet_count, "
            "first_published = excluded.first_published, last_published = excluded.last_published",
            (story_id, to_iso(now), to_iso(now), *outlet_params, story_id, story_id, story_id, story_id),
        )

    def _ensure_story(self, story_id: str, now: datetime) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)", (story_id, to_iso(now), to_iso(now))
        )

    def dirty_story_ids(self, min_growth: float | None = None, among: Iterable[str] | None = None) -> list[str]:
        """Stories changed since their digest was built; with ``min_growth``, only those grown by at
        least that share of their size at the last build (e.g. 0.25: from 8 articles to 10). A story
        never built counts as built at one article, so a lone article waits for a second one or the
        end of the ingest instead of costing a digest of its own in every batch that makes one.
        With ``among``, only those stories are looked at (by key: the cost follows their number,
        not the number of dirty stories)."""
        if among is not None:
            return self._dirty_among(sorted(set(among)), min_growth)
        if min_growth is None:
            query, params = "SELECT id FROM stories WHERE digest_dirty = 1 ORDER BY id", ()
        else:
            query = ("SELECT id FROM stories WHERE digest_dirty = 1 "
                     "AND article_count >= MAX(digest_article_count, 1) * (1 + ?) ORDER BY id")
            params = (min_growth,)
        return [row[0] for row in self.conn.execute(query, params)]

    def _dirty_among(self, story_ids: list[str], min_growth: float | None) -> list[str]:
        found: list[str] = []
        growth = 0.0 if min_growth is None else min_growth
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found += [row[0] for row in self.conn.execute(
                f"SELECT id FROM stories WHERE id IN ({marks}) AND digest_dirty = 1 "
                "AND article_count >= MAX(digest_article_count, 1) * (1 + ?)", (*chunk, growth))]
        return sorted(found)

    def closed_dirty_story_ids(self, last_before: datetime) -> list[str]:
        """Dirty stories whose latest article is older than ``last_before`` (by the dirty-date index)."""
        rows = self.conn.execute(
            "SELECT id FROM stories WHERE digest_dirty = 1 AND last_published < ? ORDER BY id", (to_iso(last_before),))
        return [row[0] for row in rows]

    def put_digest(self, digest: Digest, changed_after: int | None = None) -> None:
        """Store a story's digest and mark the story clean.

        ``changed_after``: the story changed after its articles were read for
        this digest (built in a worker while the next batch ran), and this is
        its article count when they were read. The story stays marked dirty,
        its growth counted from that count, as if the digest had been written
        at once.
        """
        digest_json = json.dumps(asdict(digest), default=_json_default)
        body_text = " ".join(sentence.text for sentence in digest.body)
        standfirst = digest.standfirst.text if digest.standfirst else None
        if changed_after is None:
            marks, counted = "digest_dirty = 0, digest_article_count = article_count", ()
        else:
            marks, counted = "digest_article_count = ?", (changed_after,)
        self.conn.execute(
            f"UPDATE stories SET headline = ?, standfirst = ?, digest_json = ?, digest_built_at = ?, {marks} "
            "WHERE id = ?",
            (digest.headline, standfirst, digest_json, to_iso(digest.built_at), *counted, digest.story_id),
        )
        # The search row shares the story's rowid: replacing it is a key look-up, not a scan of the index.
        row = self.conn.execute("SELECT rowid FROM stories WHERE id = ?", (digest.story_id,)).fetchone()
        if row is None:
            return
        self.conn.execute("DELETE FROM stories_fts WHERE rowid = ?", (row[0],))
        self.conn.execute(
            "INSERT INTO stories_fts (rowid, story_id, headline, body) VALUES (?, ?, ?, ?)",
            (row[0], digest.story_id, digest.headline, " ".join(filter(None, [standfirst, body_text]))),
        )

    def clear_digest(self, story_id: str) -> None:
        """Forget the digest, cross-check and search row of a story left with no article, and mark it clean."""
        self.conn.execute(
            "UPDATE stories SET headline = NULL, standfirst = NULL, digest_json = NULL, digest_built_at = NULL, "
            "crosscheck_json = NULL, crosscheck_built_at = NULL, digest_dirty = 0, digest_article_count = 0 "
            "WHERE id = ?", (story_id,))
        row = self.conn.execute("SELECT rowid FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is not None:
            self.conn.execute("DELETE FROM stories_fts WHERE rowid = ?", (row[0],))

    def story_that_took_articles_of(self, story_id: str) -> str | None:
        """The story a revisit last moved articles of ``story_id`` into (for a story it emptied), or None.
        A scan of the assignments: read only for a story with no article left."""
        row = self.conn.execute(
            "SELECT story_id FROM story_assignments WHERE json_extract(matched_json, '$.moved_from') = ? "
            "ORDER BY assigned_at DESC, article_id LIMIT 1", (story_id,)).fetchone()
        return row[0] if row else None

    def put_crosscheck(self, story_id: str, crosscheck: dict, built_at: datetime) -> None:
        self.conn.execute(
            "UPDATE stories SET crosscheck_json = ?, crosscheck_built_at = ? WHERE id = ?",
            (json.dumps(crosscheck, default=_json_default), to_iso(built_at), story_id),
        )

    def story_row(self, story_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()

    def find_story_ids(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self.conn.execute("SELECT id FROM stories WHERE id LIKE ? ORDER BY id LIMIT ?", (prefix + "%", limit))
        return [row[0] for row in rows]

    def story_rows(self, since: datetime | None = None, limit: int | None = None, offset: int = 0) -> list[sqlite3.Row]:
        query = "SELECT * FROM stories WHERE article_count > 0"
        params: list = []
        if since is not None:
            query += " AND last_published >= ?"
            params.append(to_iso(since))
        query += " ORDER BY last_published DESC, id LIMIT ? OFFSET ?"
        params += [limit if limit is not None else -1, offset]
        return self.conn.execute(query, params).fetchall()

    def put_story_states(self, rows: Iterable[tuple[str, datetime, str]]) -> None:
        self.conn.executemany(
            "UPDATE stories SET state_json = ?, last_active = ? WHERE id = ?",
            [(state_json, to_iso(last_active), story_id) for story_id, last_active, state_json in rows],
        )

    def story_states_since(self, since: datetime, last_arrivals: int = 0) -> list[tuple[str, str]]:
        """Saved clusterer states of the stories active since ``since`` or joined by one of the last
        ``last_arrivals`` ingested articles, oldest activity first."""
        rows = self.conn.execute(
            "SELECT id, state_json FROM stories WHERE state_json IS NOT NULL AND (last_active >= ? OR id IN "
            "(SELECT story_id FROM articles WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM articles) - ?)) "
            "ORDER BY last_active, id",
            (to_iso(since), last_arrivals),
        )
        return [(row[0], row[1]) for row in rows]

    # -- engine state (IDF, learned boilerplate, HTTP validators) ----------
    def get_state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM engine_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_state(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO engine_state (key, value) VALUES (?, ?)", (key, value))

    def put_term_df(self, frequencies: dict[str, int]) -> None:
        """Document frequencies of the clusterer's terms (absolute values, upserted)."""
        self.conn.executemany("INSERT OR REPLACE INTO term_df (term, df) VALUES (?, ?)", list(frequencies.items()))

    def term_df(self) -> dict[str, int]:
        return {row[0]: row[1] for row in self.conn.execute("SELECT term, df FROM term_df")}

    def replace_boilerplate_rows(self, rows: Iterable[tuple[str, str, int, str]]) -> None:
        """The learned boilerplate as a whole: lines the memory forgot are forgotten here too."""
        self.conn.execute("DELETE FROM boilerplate_lines")
        self.conn.executemany(
            "INSERT OR REPLACE INTO boilerplate_lines (outlet, line_key, count, sample) VALUES (?, ?, ?, ?)", list(rows)
        )

    def boilerplate_rows(self) -> list[tuple[str, str, int, str]]:
        return [tuple(row) for row in self.conn.execute("SELECT outlet, line_key, count, sample FROM boilerplate_lines")]

    def get(self, url: str) -> tuple[str | None, str | None]:
        """ValidatorCache: the ETag and Last-Modified last seen for a feed URL."""
        row = self.conn.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO http_validators (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?)",
            (url, etag, last_modified, to_iso(datetime.now(timezone.utc))),
        )

    # -- search -----------------------------------------------------------
    def search_articles(self, fts_query: str, limit: int = 20) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published_at, a.story_id, a.url, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?",
            (fts_query, limit),
        ).fetchall()

    def search_stories(self, fts_query: str, limit: int = 20) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT story_id, headline, snippet(stories_fts, 2, '[', ']', ' … ', 12) AS snippet "
            "FROM stories_fts WHERE stories_fts MATCH ? ORDER BY bm25(stories_fts) LIMIT ?",
            (fts_query, limit),
        ).fetchall()


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    """Runs of at most ``size`` values: an IN list stays under SQLite's limit on bound parameters."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _json_default(value):
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
