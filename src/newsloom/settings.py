"""One table of settings: (name, default, help). It feeds the CLI options, the
Python API, the README and a test that fails when a setting is undocumented.

Every stage receives the one ``Settings`` object; nothing reads the
environment except ``Settings.from_env``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    # ingest
    Setting("max_input_bytes", 50_000_000, "Inputs (files, downloads) larger than this many bytes are refused."),
    Setting("fetch_timeout", 20.0, "Seconds to wait for a web server before giving up on a URL."),
    Setting("user_agent", "newsloom/{version} (+news story engine)", "User-Agent sent with every HTTP request."),
    Setting("allow_private_urls", False, "Allow fetching URLs on private, loopback or link-local addresses (off: refused)."),
    Setting("fetch_feed_pages", True, "Fetch each feed entry's page when the feed carries only a summary."),
    Setting("batch_size", 64, "Inputs processed and committed together; a crash loses at most the batch in flight."),
    Setting("extract_workers", 0, "Worker processes that read a batch's web pages, and build story digests while the next batch runs (0: one per CPU core; 1: none, all in this process)."),
    # clean
    Setting("boilerplate_max_keys", 50_000, "Most distinct lines remembered per outlet for boilerplate learning (lines seen once are forgotten first)."),
    Setting("boilerplate_min_articles", 3, "A line seen in this many articles of one outlet is treated as site boilerplate."),
    # dedup
    Setting("dedup_min_words", 30, "Texts with fewer words (a kana or CJK character counts as one) are only linked when headline and text are identical (never by MinHash)."),
    Setting("dedup_max_candidates", 20, "LSH candidates checked exactly per article, best MinHash estimate first (keeps the cost flat)."),
    Setting("dedup_shingle_size", 5, "Words per shingle when comparing texts for reposts."),
    Setting("dedup_num_perm", 128, "MinHash permutations for near-duplicate search."),
    Setting("dedup_lsh_threshold", 0.3, "Jaccard threshold of the LSH candidate search, and the least exact Jaccard of a copy (low, so that containment decides)."),
    Setting("dedup_containment", 0.8, "Share of a text's shingles found in another for it to count as a repost of it."),
    Setting("dedup_window_days", 30.0, "Only articles published within this many days of each other can be copies."),
    Setting("late_arrival_memory", 10000, "The dedup and story indexes keep what the last this many articles touched, whatever its publication date, so the copies and follow-ups of an older page that arrive soon after it (an archive backfill mixing years) are still found; beyond that they keep only what lies within the windows of the newest publication date seen. Memory: about 15 KB per kept article."),
    # embeddings
    Setting("embedding_model", "", "Sentence-transformers model name or local path for the semantic features (\"\": the packaged all-MiniLM-L6-v2, offline)."),
    Setting("embedding_backend", "onnx-int8", "How sentence vectors are computed: onnx-int8 (the model exported locally to ONNX, int8 weights; the fastest), onnx-fp32, or torch."),
    # cluster
    Setting("cluster_threshold", 0.22, "Minimum score for an article to join an existing story instead of starting one."),
    Setting("cluster_window_days", 7.0, "A story stays open for new articles this many days after its latest article."),
    Setting("cluster_max_candidates", 50, "Candidate stories scored per article (from the term/entity index)."),
    Setting("cluster_term_weight", 0.8, "Weight of the TF-IDF cosine of title + body terms in a story score."),
    Setting("cluster_title_weight", 0.2, "Weight of the headline-terms cosine in a story score."),
    Setting("cluster_entity_weight", 0.6, "Weight of the shared people/orgs/places/numbers/dates in a story score."),
    Setting("cluster_headline_weight", 1.0, "Weight of a headline-only article's mean cosine with a headline story's recent headlines, its score against that story."),
    Setting("cluster_place_conflict_penalty", 0.15, "Subtracted when an article's places share nothing with a story's own places."),
    Setting("cluster_signature_conflict_penalty", 0.1, "Subtracted per slot (names, years) where an article names its own but none of a story's signature."),
    Setting("cluster_split_threshold", 0.3, "A revisited story is split in two when its articles form two groups whose mean cross similarity is below this and that each have names, places or years of their own (0: never split)."),
    Setting("cluster_time_scale_hours", 96.0, "A story score is divided by 1 + (hours since the story's last article) / this."),
    Setting("cluster_semantic_weight", 0.0, "Weight of the headline+lead sentence-embedding cosine to a story's mean vector (needs newsloom[semantic]; 0: off)."),
    # digest
    Setting("digest_sentences", 8, "Maximum number of sentences in a story digest's body."),
    Setting("citation_threshold", 0.5, "TF-IDF cosine at which two sentences are near-repeats: a digest never holds both (who states a sentence is the cross-check's rule)."),
    Setting("digest_refresh_growth", 1.0, "During an ingest, a changed story's digest (and cross-check) is rebuilt after a batch only when the story has grown by this share since its last build (a new story: once it has a second article; 1.0: at 2, 4, 8... articles), or once it has closed (no article within cluster_window_days of the stream); the stories still open are rebuilt when the ingest ends. A growth rebuild of a story of more than 20 articles reads 20 of them, and the story gets its final build (from up to 40) when it closes or the ingest ends, so the final digests do not depend on this setting. 0: every changed story after every batch."),
    # cross-check
    Setting("crosscheck_semantic", False, "Align claims by sentence embeddings as well as shared words in the cross-check (needs newsloom[semantic])."),
    Setting("crosscheck_stories", True, "Cross-check the articles of every story when it changes (agreements, conflicts, single-source claims)."),
)

_ENV_PREFIX = "NEWSLOOM_"


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def _settings_class():
    namespace = {"__annotations__": {s.name: type(s.default) for s in SETTINGS}}
    namespace.update({s.name: s.default for s in SETTINGS})
    return dataclass(frozen=True)(type("Settings", (), namespace))


Settings = _settings_class()
Settings.__doc__ = "The resolved value of every setting in ``SETTINGS``."


def from_env(environ: dict | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``NEWSLOOM_<NAME>`` environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        key = _ENV_PREFIX + setting.name.upper()
        if key in environ:
            values[setting.name] = _coerce(environ[key], setting.default)
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - {f.name for f in fields(Settings)}
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(Settings(), **values)


def settings_markdown() -> str:
    """The settings table as Markdown, for the README."""
    rows = ["| setting | default | what it does |", "| --- | --- | --- |"]
    rows += [f"| `{s.name}` | `{s.default!r}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
