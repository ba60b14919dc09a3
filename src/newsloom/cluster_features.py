"""Article features for story clustering: step 1 of ``cluster.py``.

Per article, without any state: term counts of the title and the body lead
(a crude plural fold lets wording variants meet; the headline counts as if
said three times), the title terms, the entities (``nlp/entities.py``;
model-free ``quick_entities`` when none are given), the publication time
(``published_at``, else ``ingested_at``; an undated article is marked so
that no time penalty or window applies) and, in semantic mode, the
headline+lead sentence vector. ``entity_keys`` turns entities into the
index keys the clusterer weighs and looks up (``p:lobo``, ``l:porto``; a
name is keyed by each of its words, so "Lohan" meets "Lindsay Lohan").

``newsloom.cluster`` re-exports these names; import them from there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from newsloom.models import Article
from newsloom.nlp.entities import Entities, quick_entities
from newsloom.nlp.text import content_words

BODY_CHARS = 3000  # body text read for terms: the lead says what the event is
LEAD_CHARS = 300  # the headline and this much of the body make the sentence vector


@dataclass
class ArticleFeatures:
    terms: dict[str, float]
    title_terms: dict[str, float]
    entities: Entities
    published_at: datetime
    time_known: bool = True  # False for an undated article: no time penalty, no window, span unchanged
    title_only: bool = False  # a headline without text is compared with the story's headlines
    vector: np.ndarray | None = None  # normalised headline+lead sentence vector (semantic mode only)


def lead_text(article: Article) -> str:
    """What the sentence vector reads: the headline and the start of the body."""
    return f"{article.title}\n{article.text[:LEAD_CHARS]}".strip()


def lead_vectors(articles: list[Article], embedder) -> list[np.ndarray]:
    """Headline+lead vectors of a batch in one call (the pipeline passes each to ``featurize``)."""
    return list(embedder.embed([lead_text(a) for a in articles]))


def _term(word: str) -> str:
    """A crude plural fold ("storms" -> "storm") so wording variants meet."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _term_counts(text: str) -> dict[str, float]:
    return {term: float(n) for term, n in Counter(_term(w) for w in content_words(text) if not w.isdigit()).items()}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def featurize(article: Article, entities: Entities | None = None, vector: np.ndarray | None = None) -> ArticleFeatures:
    """Features of one article; without ``entities`` the model-free ``quick_entities`` are used."""
    title_terms = _term_counts(article.title)
    terms = Counter(_term_counts(article.text[:BODY_CHARS]))
    for term, count in title_terms.items():
        terms[term] += 2 * count  # the headline names the event: count it as if said three times
    if entities is None:
        entities = quick_entities(article.title, article.text)
    published_at = _aware(article.published_at or article.ingested_at)
    return ArticleFeatures(dict(terms), title_terms, entities, published_at, article.published_at is not None,
                           article.is_title_only, vector)


def entity_keys(entities: Entities) -> dict[str, str]:
    """Index keys of the entities -> the name shown in evidence. People match by surname."""
    keys: dict[str, str] = {}
    for name in sorted(entities.people):
        keys["p:" + name.lower().split()[-1]] = name
    for name in sorted(getattr(entities, "names", ())):
        for token in name.lower().split():
            if len(token) > 2:
                keys.setdefault("m:" + token, name)
    for kind, values in (("o", entities.orgs), ("l", entities.places), ("c", entities.countries),
                         ("n", entities.numbers), ("d", entities.dates)):
        for value in sorted(values):
            keys[f"{kind}:{value.lower()}"] = value
    return keys


def keys_not_spelled_by(keys, title_terms) -> list[str]:
    """The entity keys whose words are not all among the title's terms: "m:zentrex" under a title saying
    "Zentrex" is the same evidence as the word, "c:kp" under "North Korea ..." is not."""
    return [key for key in keys if not all(word in title_terms for word in key[2:].split())]
