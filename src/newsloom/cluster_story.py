"""A story's profile and an article's query, the two states of the story clusterer (``cluster.py``).

``_Story`` is a story's compact profile (top centroid terms, entity counts, first/last time, the
recency-weighted sum of its headlines, its signature and dominant places) with its JSON form for
``dirty_stories`` / ``load_story_state``; ``_Query`` is one article weighted with the document
frequencies of its arrival. The clusterer builds and updates them; this module only holds the state
and the values derived from it (``refresh_norms``, ``index_keys``, ``add_headline``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

import numpy as np

from newsloom.cluster_scores import signature_slot

INDEXED_TERMS = 30  # a story is findable by its top centroid terms and its entity keys
HEADLINE_KEYS = 60  # keys kept in a headline story's recent-headline sum
HEADLINE_HALF_LIFE_HOURS = 48.0  # a headline's weight in its story's recent-headline sum halves every this many hours

# How much one shared entity of each kind says about "same event".
ENTITY_KIND_WEIGHTS = {"m": 1.0, "p": 1.0, "o": 0.7, "l": 1.0, "c": 0.3, "n": 0.6, "d": 0.5}
# A place (or country) is one of a story's own when this share of its articles mention it.
DOMINANT_SHARE = 0.34


_WEIGHT_THEN_KEY = itemgetter(1, 0)


def _top(weights: dict, keep: int) -> list[tuple]:
    """The ``keep`` heaviest (key, weight) pairs, heaviest first, ties by the larger key: what
    ``heapq.nlargest`` gave (the keys are distinct, so the order is total), without its Python loop."""
    return sorted(weights.items(), key=_WEIGHT_THEN_KEY, reverse=True)[:keep]


def _normalised(weights: dict[str, float], keep: int) -> dict[str, float]:
    top = _top(weights, keep)
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {key: w / norm for key, w in top}


@dataclass
class _Story:
    """A story's compact profile."""

    story_id: str
    founder_id: str
    first_at: datetime
    last_at: datetime
    articles: int = 0
    text_articles: int = 0  # articles with a body (not headline-only)
    terms: dict[str, float] = field(default_factory=dict)  # summed article vectors, top STORY_TERMS
    title_terms: dict[str, float] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)  # entity key -> articles mentioning it
    terms_norm: float = 0.0
    title_norm: float = 0.0
    entity_weights: dict[str, float] = field(default_factory=dict)  # share of articles x kind weight
    entity_norm: float = 0.0
    dominant_places: frozenset[str] = frozenset()  # places (countries) named by a good share of its articles
    dominant_countries: frozenset[str] = frozenset()
    signature: frozenset[str] = frozenset()  # names and years named by a good share of its articles
    vector_sum: np.ndarray | None = None  # summed sentence vectors of its articles (semantic mode only)
    headlines: dict[str, float] = field(default_factory=dict)  # recency-weighted sum of unit headline vectors
    headline_mass: float = 0.0  # the summed recency weights of those headlines
    headline_at: datetime | None = None  # the time the recency weights are relative to
    signature_names: frozenset[str] = frozenset()  # the signature split by slot (computed in refresh_norms)
    signature_years: frozenset[str] = frozenset()
    members: list | None = None  # the _Query of each of its body articles while small (revisits); None: not kept
    last_arrival: int = -1  # the clusterer's arrival count when an article last joined (not persisted)
    members_stored: bool = False  # restored small story: its members can be rebuilt from the store on first need
    _index_keys: set[str] | None = None

    def index_keys(self) -> set[str]:
        """The keys the story is indexed under (computed once per update: ``refresh_norms`` clears them)."""
        if self._index_keys is None:
            top_terms = _top(self.terms, INDEXED_TERMS)
            self._index_keys = {term for term, _ in top_terms} | set(self.entities)
        return self._index_keys

    def to_json(self) -> str:
        state = {
            "story_id": self.story_id, "founder_id": self.founder_id, "first_at": self.first_at.isoformat(),
            "last_at": self.last_at.isoformat(), "articles": self.articles, "terms": self.terms,
            "title_terms": self.title_terms, "entities": self.entities, "text_articles": self.text_articles,
        }
        if self.vector_sum is not None:
            state["vector_sum"] = [round(float(x), 5) for x in self.vector_sum]
        if self.headline_mass:
            state["headlines"], state["headline_mass"] = self.headlines, self.headline_mass
            state["headline_at"] = self.headline_at.isoformat() if self.headline_at else None
        return json.dumps(state, sort_keys=True)

    @classmethod
    def from_json(cls, state_json: str) -> _Story:
        state = json.loads(state_json)
        story = cls(state["story_id"], state["founder_id"], datetime.fromisoformat(state["first_at"]),
                    datetime.fromisoformat(state["last_at"]), articles=state["articles"],
                    text_articles=state.get("text_articles", state["articles"]), terms=state["terms"],
                    title_terms=state["title_terms"], entities=state["entities"])
        if "vector_sum" in state:
            story.vector_sum = np.asarray(state["vector_sum"], dtype=np.float32)
        if state.get("headline_mass"):
            story.headlines, story.headline_mass = state["headlines"], state["headline_mass"]
            story.headline_at = datetime.fromisoformat(state["headline_at"]) if state.get("headline_at") else None
        story.refresh_norms()
        return story

    def refresh_norms(self) -> None:
        """Derived values, computed once per update instead of once per scoring."""
        self._index_keys = None
        self.terms_norm = math.sqrt(sum(w * w for w in self.terms.values()))
        self.title_norm = math.sqrt(sum(w * w for w in self.title_terms.values()))
        articles = max(1, self.articles)
        self.entity_weights = {k: n / articles * ENTITY_KIND_WEIGHTS[k[0]] for k, n in self.entities.items()}
        self.entity_norm = math.sqrt(sum(w * w for w in self.entity_weights.values()))
        least = max(1.0, DOMINANT_SHARE * articles)
        self.dominant_places = frozenset(k for k, n in self.entities.items() if k[0] == "l" and n >= least)
        self.dominant_countries = frozenset(k for k, n in self.entities.items() if k[0] == "c" and n >= least)
        self.signature = frozenset(k for k, n in self.entities.items() if signature_slot(k) and n >= least)
        self.signature_names = frozenset(k for k in self.signature if signature_slot(k) == "names")
        self.signature_years = frozenset(k for k in self.signature if signature_slot(k) == "years")

    def add_headline(self, vector: dict[str, float], at: datetime | None) -> None:
        """Add a unit headline vector to the recency-weighted sum (older weights decay to ``at``)."""
        weight = 1.0
        if at is not None and self.headline_at is not None:
            hours = (at - self.headline_at).total_seconds() / 3600
            if hours > 0:  # the newest headline weighs 1: scale the others down
                decay = 0.5 ** (hours / HEADLINE_HALF_LIFE_HOURS)
                self.headlines = {k: w * decay for k, w in self.headlines.items()}
                self.headline_mass *= decay
            else:  # an older headline arriving late weighs less than the newest
                weight = 0.5 ** (-hours / HEADLINE_HALF_LIFE_HOURS)
        if at is not None and (self.headline_at is None or at > self.headline_at):
            self.headline_at = at
        self.headline_mass += weight
        self.headlines = _add_capped(self.headlines, {k: w * weight for k, w in vector.items()}, HEADLINE_KEYS)


def _add_capped(profile: dict, additions: dict, keep: int) -> dict:
    for key, value in additions.items():
        profile[key] = profile.get(key, 0) + value
    if len(profile) <= keep:
        return profile
    return dict(_top(profile, keep))


@dataclass
class _Query:
    """One article, weighted with the current document frequencies."""

    vector: dict[str, float]
    title_vector: dict[str, float]
    entity_vector: dict[str, float]
    entity_names: dict[str, str]
    published_at: datetime
    places: frozenset[str] = frozenset()  # "l:" keys
    countries: frozenset[str] = frozenset()  # "c:" keys
    time_known: bool = True
    title_only: bool = False
    sentence_vector: np.ndarray | None = None
    headline_vector: dict[str, float] = field(default_factory=dict)  # title terms + entity keys (headline-only)
    names: frozenset[str] = frozenset()  # signature slots the article fills
    years: frozenset[str] = frozenset()
    article_id: str = ""
    entity_evidence: dict[str, float] | None = None  # entity_vector scaled by each key's story rarity (scores)
    common_pins: frozenset[str] = frozenset()  # its places, numbers, dates too common in the stream to pin an event

    def __post_init__(self):
        if self.entity_evidence is None:  # built by hand (tests): every key counts in full
            self.entity_evidence = self.entity_vector
