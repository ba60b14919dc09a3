"""Score parts of the story clusterer (``cluster.py``), kept to arithmetic: every candidate pays them.

Each takes the article's ``_Query`` and a story's ``_Story`` profile
(``cluster_story.py``): the semantic cosine and its rescaling, the time gap, the
place conflict, the headline group average and the signature conflicts;
the sparse cosine they and ``cluster_revisit.py`` share; and the evidence
of a chosen story (``score_evidence``: once per join, not per candidate).
It must not keep state or read anything but its arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the types only: cluster.py imports this module
    from newsloom.cluster_story import _Query, _Story

SEMANTIC_FLOOR = 0.3  # a cosine at or below this adds nothing (unrelated news sits around 0.1-0.3)
# Shared names count in full only when the words agree at least this much (weighted term + title cosine):
# chosen on ECB+ DEV and NeuS val together (0.2-0.4 tried; see bench/RESULTS.md, cluster-neus).
ENTITY_WORDS_FLOOR = 0.3
# A small story of body articles (its articles kept) takes an article whose shared names say next to nothing
# (entity evidence below MEMBER_ENTITY_FLOOR) only when the article's words are, on average, this close to its
# articles' own (mean term cosine): chosen on NeuS val with ECB+ DEV unchanged (see bench/RESULTS.md, cluster-neus);
# 0.25 before common places stopped pinning (COMMON_PIN_SHARE), which sends more joins through this test (0.21-0.24
# within 0.001 F1 on NeuS val, ECB+ DEV unchanged; 0.2 and below lost NeuS precision and ECB+ DEV shuffled orders).
MEMBER_WORDS_FLOOR = 0.22
MEMBER_ENTITY_FLOOR = 0.07
# When the shared names are people's or organisations' only (no place, number or date in common; a senator, a
# court or a department is the subject of many stories), the article must still be at least this close to them on
# average. With CONFLICT_NAMES_CANCEL below, chosen on NeuS val and ECB+ DEV together (0.15-0.25 tried: higher buys
# NeuS precision with ECB+ recall; 0.18-0.2 keep both above their values before CONFLICT_NAMES_CANCEL).
NAMES_ONLY_WORDS_FLOOR = 0.18
# A place conflict or a conflict in the names slot of the signature costs its penalty in full when the article
# shares none of the story's names, and nothing once the shared names (entity evidence, rarity-weighted) reach
# this: then the conflict is one of detail (a venue, a second person quoted; the model-free path's stray
# capitalised words) rather than of event. A conflict in the years slot always costs in full: the same people
# in another year are another event. Chosen on ECB+ DEV and NeuS val together (0.2-0.4 within 0.005 F1 of each other).
CONFLICT_NAMES_CANCEL = 0.3
# Entity kinds that pin an event: places, numbers, dates. Not organisations: "Supreme Court", "Senate" or a
# department name many stories, as a person does (with organisations pinning, NeuS val F1 of the spaCy path,
# which finds them, was 0.796 against 0.807 without; ECB+ DEV stayed above its earlier value).
PINNING_KINDS = frozenset("lnd")
# A place, number or date that more than this share of the articles seen give (and at least COMMON_PIN_MIN of
# them) pins nothing: "United States" or "Washington" in a stream of US politics is in a fifth of the articles,
# of every story on every subject. A share of the stream, not a count of stories, so that it does not depend on
# the stream's size; the minimum keeps a stream's first articles (where any place is in a large share) pinning.
# Chosen on NeuS val and ECB+ DEV together (share 0.1-0.2 within 0.001 F1 on NeuS, ECB+ DEV unchanged from 0.15 up;
# a minimum of 10 lowered ECB+ DEV in file order, where each topic's first articles meet its places early).
COMMON_PIN_SHARE = 0.15
COMMON_PIN_MIN = 20
LOOSE_JOIN_PENALTY = 1.0  # subtracted from the score of such a join: no candidate clears the threshold with it
ENTITY_KIND_NAMES = {"m": "names", "p": "people", "o": "orgs", "l": "places", "c": "countries", "n": "numbers", "d": "dates"}


def cosine(vector: dict[str, float], profile: dict[str, float], profile_norm: float) -> float:
    """Dot product of a unit vector with a profile, divided by the profile's norm (0 for an empty profile)."""
    if not profile_norm:
        return 0.0
    small, large = (vector, profile) if len(vector) <= len(profile) else (profile, vector)
    return sum(w * large[k] for k, w in small.items() if k in large) / profile_norm


def entity_share(words: float) -> float:
    """The share of the entity evidence that counts, given the word cosine (term and title, weighted).

    Stories on one subject name the same few people: in a stream of US
    politics every story says "Trump" or "Supreme Court", and an article
    naming only those has an entity cosine near 1 with any of them (its
    entity vector is normalised, so one common name fills it). Names tell
    two events apart when the words already say they are alike (two rehab
    check-ins, two heists); they must not join an article whose words say
    it is about something else. Below ``ENTITY_WORDS_FLOOR`` the entity
    evidence counts in proportion to the word cosine.
    """
    return min(1.0, words / ENTITY_WORDS_FLOOR)


def conflict_share(entity: float) -> float:
    """The share of a place or names-slot conflict's penalty that counts, given the entity evidence shared with
    the story: all of it without shared names, falling in proportion to none at ``CONFLICT_NAMES_CANCEL``."""
    return max(0.0, 1.0 - entity / CONFLICT_NAMES_CANCEL)


def member_words(query: _Query, story: _Story) -> float:
    """Mean term cosine of the article with the story's kept articles (0 when none is kept)."""
    members = story.members
    if not members:
        return 0.0
    vector, total = query.vector, 0.0
    for member in members:
        total += cosine(vector, member.vector, 1.0)
    return total / len(members)


def loose_join(query: _Query, story: _Story, entity: float) -> bool:
    """Whether a body article would join a small body story on centroid words alone, away from its articles.

    A story's centroid is peaked on the words its articles share; once two
    stories on one subject (the Supreme Court, one senator) have met in it,
    any third article on the subject is close to the centroid (cosine about
    0.25) while far from each of its articles (mean about 0.15). When the
    names shared with the story (``entity``, rarity-weighted) give no event
    of their own, the article must be close to the story's articles on
    average too (the group average, as a headline story is scored). Names
    that are people's or organisations' only (no place, number or date in
    common) back the join less: a senator, a candidate or a court is the
    subject of many stories, so the article must not be far from them
    (``NAMES_ONLY_WORDS_FLOOR``); so do places, numbers and dates most of
    the stream gives (``query.common_pins``). Called only for a score that clears the
    threshold and has no semantic evidence (a paraphrase shares few words):
    most candidates pay nothing.
    """
    if query.title_only or not story.members:
        return False
    if entity < MEMBER_ENTITY_FLOOR:
        floor = MEMBER_WORDS_FLOOR
    elif any(key[0] in PINNING_KINDS and key in story.entities and key not in query.common_pins
             for key in query.entity_vector):
        return False
    else:
        floor = NAMES_ONLY_WORDS_FLOOR
    return member_words(query, story) < floor


def common_pins(keys, frequency: dict[str, int], documents: int) -> frozenset[str]:
    """The keys of pinning kinds too common in the stream to pin an event: given by more than
    ``COMMON_PIN_SHARE`` of the ``documents`` seen and by at least ``COMMON_PIN_MIN`` of them."""
    share = COMMON_PIN_SHARE * documents
    return frozenset(key for key in keys if key[0] in PINNING_KINDS
                     and (given := frequency.get(key, 0)) >= COMMON_PIN_MIN and given > share)


def story_rarity(stories: int) -> float:
    """The share of an entity's evidence that counts when ``stories`` stories in memory name it: all of it
    for one (or none), ``2 / (stories + 1)`` for more. A name shared by every story on a subject is shared
    by the wrong ones as much as by the right one; the names of one event are held by its story alone."""
    return min(1.0, 2.0 / (stories + 1))


def semantic_cosine(query: _Query, story: _Story) -> float:
    """Cosine of the article's sentence vector with the story's mean vector; 0 when either has none."""
    if query.sentence_vector is None or story.vector_sum is None:
        return 0.0
    return float(query.sentence_vector @ story.vector_sum) / max(float(np.linalg.norm(story.vector_sum)), 1e-12)


def semantic_score(cosine: float) -> float:
    """The cosine rescaled so that ``SEMANTIC_FLOOR`` (unrelated news) scores 0 and 1 stays 1."""
    return max(0.0, cosine - SEMANTIC_FLOOR) / (1.0 - SEMANTIC_FLOOR)


def gap_hours(query: _Query, story: _Story) -> float:
    """Hours between the article and the story's latest article; 0 when the article is undated."""
    if not query.time_known:
        return 0.0
    return abs((query.published_at - story.last_at).total_seconds()) / 3600


def place_conflict(query: _Query, story: _Story) -> frozenset[str]:
    """The article's places (or countries) when none is among the story's, though the story has its own."""
    for mine, theirs in ((query.places, story.dominant_places), (query.countries, story.dominant_countries)):
        if mine and theirs and mine.isdisjoint(story.entities):
            return mine
    return frozenset()


def group_average(query: _Query, story: _Story) -> float:
    """Mean cosine of the headline with the story's headlines (recency-weighted); 0 for a story without any."""
    if not story.headline_mass:
        return 0.0
    lookup, total = story.headlines.get, 0.0
    for key, weight in query.headline_vector.items():  # a loop: cheaper than a generator for a few keys
        mine = lookup(key)
        if mine is not None:
            total += weight * mine
    return total / story.headline_mass


def signature_slot(key: str) -> str | None:
    """The slot a key fills in a story's signature: a name, a year, or none."""
    if key[0] == "m":
        return "names"
    if key[0] == "d" and key[2:].isdigit():
        return "years"
    return None


def signature_conflicts(query: _Query, story: _Story) -> list[str]:
    """Slots (names, years) where the article names its own but none of the story's signature.

    Two same-kind events (two rehab check-ins, two jewel heists) share their
    vocabulary; who and which year they are about differ. A slot conflicts
    only when both sides fill it: an article without a year says nothing
    about the year.
    """
    conflicts = []
    for slot, mine, theirs in (("names", query.names, story.signature_names), ("years", query.years, story.signature_years)):
        if theirs and mine and mine.isdisjoint(theirs):
            conflicts.append(slot)
    return conflicts



def score_evidence(query: _Query, story: _Story, score: float, words: float | None = None) -> dict:
    """What the score of the chosen story was made of (recomputed once, for the record); ``words`` is the
    weighted word cosine, which says how much of the entity evidence counted (``entity_share``)."""
    entity = cosine(query.entity_evidence, story.entity_weights, story.entity_norm)
    places, slots = place_conflict(query, story), signature_conflicts(query, story)
    headline = query.title_only and not story.text_articles and story.headline_mass  # penalties in full (cluster.py)
    shared: dict[str, list[str]] = {}
    for key in sorted(k for k in query.entity_vector if k in story.entities):
        names = shared.setdefault(ENTITY_KIND_NAMES[key[0]], [])
        if query.entity_names[key] not in names:  # a name matches by each of its words
            names.append(query.entity_names[key])
    return {
        "score": round(score, 4),
        "terms": round(cosine(query.vector, story.terms, story.terms_norm), 4),
        "title": round(cosine(query.title_vector, story.title_terms, story.title_norm), 4),
        "entity_score": round(entity, 4),
        **({"entity_share": round(entity_share(words), 4)} if words is not None else {}),
        "entities": shared,
        "place_conflict": sorted(query.entity_names[k] for k in places),
        "signature_conflict": slots,
        **({"conflict_share": round(conflict_share(entity), 4)} if (places or "names" in slots) and not headline else {}),
        "time_gap_hours": round(gap_hours(query, story), 2) if query.time_known else None,
        **({"headlines": round(group_average(query, story), 4)} if query.title_only and story.headline_mass else {}),
        **({"semantic": round(semantic_cosine(query, story), 4)} if query.sentence_vector is not None else {}),
    }
