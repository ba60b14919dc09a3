"""Read-only queries for browsing: outlets, entities, and paged lists of stories and articles.

``Browse(engine)`` answers what the web pages and the REST API need beyond
``Engine``: stories and articles filtered by outlet, entity, time or words,
in pages with an opaque cursor over a stable order (stories: latest article
first, then id; articles: newest arrival first, by ``seq``); outlet and
entity summaries; the entities and timeline of one story.

Entities are read from ``articles.entities_json`` ({"people": [...],
"orgs": [...], "places": [...], ...}); only ``ENTITY_KINDS`` are listed.
This module only reads the store with SQL; it never writes or decides.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime

from newsloom.api import fts_phrase_query
from newsloom.errors import NotFoundError
from newsloom.store.sqlite import to_iso

ENTITY_KINDS = ("people", "orgs", "places")
TOP_ENTITIES_PER_KIND = 4
_KIND_LIST_SQL = ", ".join(f"'{kind}'" for kind in ENTITY_KINDS)

# One row per (kind, name) of article ``a``'s entities; no rows for NULL or malformed JSON.
_ENTITY_ROWS_FROM = (
    "json_each(CASE WHEN json_valid(a.entities_json) THEN a.entities_json ELSE '{}' END) AS kinds, "
    "json_each(CASE WHEN kinds.type = 'array' THEN kinds.value ELSE '[]' END) AS names"
)
_ENTITY_KIND_WHERE = f"kinds.key IN ({_KIND_LIST_SQL}) AND names.type = 'text'"
_HAS_ENTITY_SQL = f"EXISTS (SELECT 1 FROM {_ENTITY_ROWS_FROM} WHERE {_ENTITY_KIND_WHERE} AND names.value = ?)"
_ENTITY_SELECT = (
    "SELECT kinds.key AS kind, names.value AS name, COUNT(DISTINCT a.id) AS article_count, "
    f"COUNT(DISTINCT a.story_id) AS story_count FROM articles a, {_ENTITY_ROWS_FROM} WHERE {_ENTITY_KIND_WHERE}"
)


class InvalidCursorError(ValueError):
    """A page cursor that this server did not hand out (or that was altered)."""


@dataclass
class StorySummary:
    """A story as listed: enough to show a card and link to it."""

    id: str
    headline: str | None
    standfirst: str | None
    article_count: int
    outlet_count: int
    first_published: str | None
    last_published: str | None
    outlets: list[str] = field(default_factory=list)
    top_entities: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ArticleSummary:
    id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    ingested: str | None
    story_id: str | None
    copy_of: str | None = None
    copy_kind: str | None = None


@dataclass
class OutletSummary:
    name: str
    article_count: int
    story_count: int
    first_published: str | None
    last_published: str | None


@dataclass
class EntitySummary:
    name: str
    kind: str
    article_count: int
    story_count: int


@dataclass
class Page:
    """One page of a list, and the cursor of the next page (None on the last)."""

    items: list
    next_cursor: str | None

    def to_dict(self) -> dict:
        return {"items": [asdict(item) for item in self.items], "next_cursor": self.next_cursor}


@dataclass
class TimelineEntry:
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    ingested: str | None


def encode_cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, types: tuple[type, ...]) -> list:
    """The values packed by ``encode_cursor``, checked against ``types``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidCursorError("invalid cursor: pass the next_cursor value of the previous page unchanged") from None
    if not isinstance(values, list) or len(values) != len(types) or not all(
        isinstance(value, kind) and not isinstance(value, bool) for value, kind in zip(values, types)
    ):
        raise InvalidCursorError("invalid cursor: pass the next_cursor value of the previous page unchanged")
    return values


class Browse:
    """Read-only browsing queries over one Engine's store."""

    def __init__(self, engine):
        self.engine = engine
        self.conn = engine.store.conn

    # -- stories ----------------------------------------------------------
    def stories_page(self, limit: int = 20, cursor: str | None = None, *, since: datetime | None = None,
                     outlet: str | None = None, entity: str | None = None, q: str | None = None) -> Page:
        """Stories with articles, latest article first (ties by id), filtered, one page at a time."""
        where, params = ["s.article_count > 0"], []
        if cursor:
            last_published, story_id = decode_cursor(cursor, (str, str))
            where.append("(COALESCE(s.last_published, '') < ? OR (COALESCE(s.last_published, '') = ? AND s.id > ?))")
            params += [last_published, last_published, story_id]
        if since is not None:
            where.append("s.last_published >= ?")
            params.append(to_iso(since))
        if outlet:
            where.append("s.id IN (SELECT story_id FROM articles WHERE outlet = ?)")
            params.append(outlet)
        if entity:
            where.append(f"s.id IN (SELECT a.story_id FROM articles a WHERE {_HAS_ENTITY_SQL})")
            params.append(entity)
        if q is not None:
            where.append(self._story_text_match(q, params))
        rows = self.conn.execute(
            "SELECT s.id, s.headline, s.standfirst, s.article_count, s.outlet_count, s.first_published, "
            f"s.last_published FROM stories s WHERE {' AND '.join(where)} "
            "ORDER BY COALESCE(s.last_published, '') DESC, s.id LIMIT ?",
            params + [limit + 1],
        ).fetchall()
        summaries = self._story_summaries(rows[:limit])
        last = rows[limit - 1] if len(rows) > limit else None
        next_cursor = encode_cursor(last["last_published"] or "", last["id"]) if last else None
        return Page(summaries, next_cursor)

    def _story_text_match(self, q: str, params: list) -> str:
        fts_query = fts_phrase_query(q)
        if not fts_query:
            return "0"
        params += [fts_query, fts_query]
        return (
            "(s.id IN (SELECT story_id FROM stories_fts WHERE stories_fts MATCH ?) OR s.id IN "
            "(SELECT a.story_id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ?))"
        )

    def _story_summaries(self, rows) -> list[StorySummary]:
        story_ids = [row["id"] for row in rows]
        outlets, entities = self._outlets_and_entities_of(story_ids)
        return [
            StorySummary(
                id=row["id"], headline=row["headline"], standfirst=row["standfirst"],
                article_count=row["article_count"], outlet_count=row["outlet_count"],
                first_published=row["first_published"], last_published=row["last_published"],
                outlets=sorted(outlets.get(row["id"], set())),
                top_entities=top_names(entities.get(row["id"], {}), TOP_ENTITIES_PER_KIND),
            )
            for row in rows
        ]

    def _outlets_and_entities_of(self, story_ids: list[str]) -> tuple[dict, dict]:
        outlets: dict[str, set[str]] = {}
        entities: dict[str, dict[str, Counter]] = {}
        if not story_ids:
            return outlets, entities
        marks = ",".join("?" * len(story_ids))
        rows = self.conn.execute(
            f"SELECT story_id, outlet, entities_json FROM articles WHERE story_id IN ({marks}) ORDER BY seq", story_ids
        )
        for row in rows:
            if row["outlet"]:
                outlets.setdefault(row["story_id"], set()).add(row["outlet"])
            count_entities(entities.setdefault(row["story_id"], {}), row["entities_json"])
        return outlets, entities

    def story_entities(self, story_id: str) -> dict[str, list[tuple[str, int]]]:
        """People, orgs and places named in a story's articles, with how many articles name each."""
        counters: dict[str, Counter] = {}
        for row in self.conn.execute("SELECT entities_json FROM articles WHERE story_id = ?", (story_id,)):
            count_entities(counters, row["entities_json"])
        return {kind: ranked(counters.get(kind, Counter())) for kind in ENTITY_KINDS}

    def story_timeline(self, story_id: str) -> list[TimelineEntry]:
        """The story's articles in the order they were published (arrival time for undated ones)."""
        rows = self.conn.execute(
            "SELECT id, title, outlet, published_at, ingested_at FROM articles WHERE story_id = ? "
            "ORDER BY COALESCE(published_at, ingested_at), seq",
            (story_id,),
        )
        return [TimelineEntry(row["id"], row["title"], row["outlet"], row["published_at"], row["ingested_at"]) for row in rows]

    # -- articles ---------------------------------------------------------
    def articles(self, limit: int = 20, cursor: str | None = None, *, outlet: str | None = None,
                 entity: str | None = None, q: str | None = None) -> Page:
        """Articles, newest arrival first, filtered, one page at a time."""
        where, params = ["1"], []
        if cursor:
            (seq,) = decode_cursor(cursor, (int,))
            where.append("a.seq < ?")
            params.append(seq)
        if outlet:
            where.append("a.outlet = ?")
            params.append(outlet)
        if entity:
            where.append(_HAS_ENTITY_SQL)
            params.append(entity)
        if q is not None:
            fts_query = fts_phrase_query(q)
            where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)" if fts_query else "0")
            params += [fts_query] if fts_query else []
        rows = self.conn.execute(
            "SELECT a.seq, a.id, a.title, a.outlet, a.url, a.published_at, a.ingested_at, a.story_id, "
            "l.original_id, l.kind AS copy_kind FROM articles a LEFT JOIN dedup_links l ON l.article_id = a.id "
            f"WHERE {' AND '.join(where)} ORDER BY a.seq DESC LIMIT ?",
            params + [limit + 1],
        ).fetchall()
        items = [_article_summary(row) for row in rows[:limit]]
        next_cursor = encode_cursor(rows[limit - 1]["seq"]) if len(rows) > limit else None
        return Page(items, next_cursor)

    def article_titles(self, article_ids: list[str]) -> dict[str, ArticleSummary]:
        """Summaries of the given articles by id (missing ids are left out)."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = self.conn.execute(
            "SELECT a.seq, a.id, a.title, a.outlet, a.url, a.published_at, a.ingested_at, a.story_id, "
            "l.original_id, l.kind AS copy_kind FROM articles a LEFT JOIN dedup_links l ON l.article_id = a.id "
            f"WHERE a.id IN ({marks})",
            list(article_ids),
        )
        return {row["id"]: _article_summary(row) for row in rows}

    def article_entities(self, article_id: str) -> dict[str, list[str]]:
        row = self.conn.execute("SELECT entities_json FROM articles WHERE id = ?", (article_id,)).fetchone()
        counters: dict[str, Counter] = {}
        count_entities(counters, row["entities_json"] if row else None)
        return {kind: sorted(counters.get(kind, Counter())) for kind in ENTITY_KINDS}

    # -- outlets ----------------------------------------------------------
    def outlets(self, limit: int = 100, offset: int = 0) -> list[OutletSummary]:
        """Outlets by number of articles (most first), then name."""
        rows = self.conn.execute(
            f"{_OUTLET_SELECT} WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY article_count DESC, outlet LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_outlet_summary(row) for row in rows]

    def outlet(self, name: str) -> OutletSummary:
        row = self.conn.execute(f"{_OUTLET_SELECT} WHERE outlet = ? GROUP BY outlet", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no outlet named {name!r}. See the list of outlets at /outlets.")
        return _outlet_summary(row)

    # -- entities ---------------------------------------------------------
    def entities(self, kind: str | None = None, limit: int = 100, offset: int = 0) -> list[EntitySummary]:
        """Entities by number of articles naming them (most first), then name and kind."""
        if kind is not None and kind not in ENTITY_KINDS:
            raise ValueError(f"unknown entity kind {kind!r}; use one of {', '.join(ENTITY_KINDS)}")
        kind_filter, params = ("AND kinds.key = ?", [kind]) if kind else ("", [])
        rows = self.conn.execute(
            f"{_ENTITY_SELECT} {kind_filter} GROUP BY kinds.key, names.value "
            "ORDER BY article_count DESC, name, kind LIMIT ? OFFSET ?",
            params + [limit, offset],
        )
        return [EntitySummary(row["name"], row["kind"], row["article_count"], row["story_count"]) for row in rows]

    def entity(self, name: str) -> list[EntitySummary]:
        """Every kind under which ``name`` is named (usually one), most articles first."""
        rows = self.conn.execute(
            f"{_ENTITY_SELECT} AND names.value = ? GROUP BY kinds.key, names.value ORDER BY article_count DESC, kind", (name,)
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no person, organisation or place named {name!r}. See the list at /entities.")
        return [EntitySummary(row["name"], row["kind"], row["article_count"], row["story_count"]) for row in rows]


_OUTLET_SELECT = (
    "SELECT outlet, COUNT(*) AS article_count, COUNT(DISTINCT story_id) AS story_count, "
    "MIN(COALESCE(published_at, ingested_at)) AS first_published, "
    "MAX(COALESCE(published_at, ingested_at)) AS last_published FROM articles"
)


def _article_summary(row) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"], title=row["title"], outlet=row["outlet"], url=row["url"], published=row["published_at"],
        ingested=row["ingested_at"], story_id=row["story_id"], copy_of=row["original_id"], copy_kind=row["copy_kind"],
    )


def _outlet_summary(row) -> OutletSummary:
    return OutletSummary(row["outlet"], row["article_count"], row["story_count"], row["first_published"], row["last_published"])


def count_entities(counters: dict[str, Counter], entities_json: str | None) -> None:
    """Add one article's people/orgs/places to ``counters`` (each name once per article)."""
    try:
        entities = json.loads(entities_json) if entities_json else {}
    except ValueError:
        return
    if not isinstance(entities, dict):
        return
    for kind in ENTITY_KINDS:
        names = entities.get(kind) or []
        if isinstance(names, list):
            counters.setdefault(kind, Counter()).update({name for name in names if isinstance(name, str) and name})


def ranked(counter: Counter) -> list[tuple[str, int]]:
    """Names by count (most first), then alphabetically: a stable order."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def top_names(counters: dict[str, Counter], per_kind: int) -> dict[str, list[str]]:
    return {kind: [name for name, _ in ranked(counters[kind])[:per_kind]] for kind in ENTITY_KINDS if counters.get(kind)}
