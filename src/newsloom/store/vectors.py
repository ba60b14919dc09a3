"""The persistent sentence-vector cache: the ``embeddings`` table (migration 4).

One row per (model id, sha1 of the text): the vector as float32 bytes and its
dimension. ``nlp.embeddings.Embedder`` asks it for what its memory cache
misses and hands it every vector it computes, so a text is embedded once per
model for the life of the database, across runs. The model id names the
backend's precision too (``all-MiniLM-L6-v2+onnx-int8``), so vectors of
different backends never mix.

``SqliteVectorStore`` implements the ``VectorStore`` protocol of
``nlp/embeddings.py`` over a ``Store``; writes join the store's open
transaction (a pipeline batch) or make their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from newsloom.store.sqlite import Store

LOOKUP_CHUNK = 500  # hashes per SELECT ... IN (...)
VECTOR_ITEMSIZE = 4  # float32


class SqliteVectorStore:
    """Vectors by (model id, text sha1) in the store's ``embeddings`` table."""

    def __init__(self, store: Store):
        self.store = store

    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, bytes]:
        """The stored vector bytes of each hash that has one (hashes without a row are left out)."""
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(text_hashes))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start:start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.store.conn.execute(
                f"SELECT text_sha1, dim, vector FROM embeddings WHERE model_id = ? AND text_sha1 IN ({marks})",
                (model_id, *chunk))
            found.update({sha: bytes(blob) for sha, dim, blob in rows if len(blob) == dim * VECTOR_ITEMSIZE})
        return found

    def put_vectors(self, model_id: str, vectors: dict[str, bytes]) -> None:
        """Store new vectors; a row already there (another process, same text) is kept."""
        if not vectors:
            return
        now = datetime.now(timezone.utc).isoformat()
        rows = [(model_id, sha, len(blob) // VECTOR_ITEMSIZE, blob, now) for sha, blob in vectors.items()]
        with self.store.transaction():
            self.store.conn.executemany(
                "INSERT OR IGNORE INTO embeddings (model_id, text_sha1, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)",
                rows)

    def count(self, model_id: str | None = None) -> int:
        """Rows held (of one model, or of all)."""
        if model_id is None:
            return self.store.conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
        return self.store.conn.execute("SELECT COUNT(*) FROM embeddings WHERE model_id = ?", (model_id,)).fetchone()[0]
