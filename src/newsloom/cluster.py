"""Online story clustering: each article joins the best open story or starts one.

Articles arrive one at a time, in order, and each decision is deterministic
(same articles in the same order -> same stories); only a revisit (step 6) moves articles later. The
design, per article:

1. ``featurize`` (``cluster_features.py``): term counts of title + body lead, title terms, entities
   (names, people, orgs, places, countries, numbers, dates;
   ``nlp/entities.py``; a name is keyed by each of its words, so "Lohan"
   meets "Lindsay Lohan")
   and the publication time (``published_at``, else ``ingested_at``).
2. Online document frequencies are updated with the article's keys, so the
   IDF follows the stream (``document_frequencies`` /
   ``load_document_frequencies`` carry it over a restart, incrementally).
   A body article's IDF counts ``IDF_PRIOR_DOCUMENTS`` documents more than
   the stream has seen, none holding the key: at the start of a stream, whose
   few articles are all on one or two subjects, their subject's words would
   otherwise weigh as little as "said", and articles of one event would not
   meet. Headlines keep the stream's own IDF (their scores were set with it).
3. Candidates: an inverted index maps each key (a term, or an entity key
   such as ``p:lobo`` or ``l:porto``) to the stories whose profile holds it,
   most recently touched last. Only the article's rarest terms and its
   entities are looked up, only the newest ``POSTING_SCAN`` stories of each
   posting are read, only stories whose last article is within
   ``cluster_window_days`` count, and at most ``cluster_max_candidates`` are
   scored: the cost per article stays flat as the store grows.
4. Score = term cosine x w_terms + title cosine x w_title + entity cosine x
   w_entities x the share of it that counts (all of it once the weighted word
   cosine reaches ``ENTITY_WORDS_FLOOR``, in proportion below: shared names
   such as "Trump" or "Supreme Court" must not join an article whose words
   are about another event; ``entity_share``; and each shared key counts
   ``story_rarity`` of its weight: in full when one story in memory holds it,
   2 / (n + 1) when n do, so a subject's name held by many stories says
   little about which one), minus a penalty when the
   article's places and the story's dominant places (or countries) have
   nothing in common (two storms in two
   countries are two stories), minus a penalty per slot of the story's
   signature (the names and years a good share of its articles give) that
   the article fills with others only (two rehab check-ins of two actresses,
   two heists five years apart), times a time factor 1 / (1 + gap / scale).
   The place and names-slot penalties shrink as the names the article does
   share with the story grow (``conflict_share``: none of them once the
   entity evidence reaches ``CONFLICT_NAMES_CANCEL``); a years conflict
   always costs in full.
   A small story of body articles (its articles kept) refuses an article
   that clears the threshold on its centroid words while far from its
   articles on average (``loose_join``: the centroid of two stories on one
   subject is close to any third one), unless the shared names back it: a
   place, number or date in common (not one that more than
   ``COMMON_PIN_SHARE`` of the stream's articles give, "United States" in
   US news: ``common_pins``), or people's or organisations' names with
   words not too far apart; in semantic mode, the sentence vectors.
   A headline-only article against a headline-only story is scored
   differently: the headline is one vector of its title terms and of the
   entity keys its words do not already spell (``keys_not_spelled_by``: a
   country code, a place written otherwise), IDF-weighted; a name counted
   as its word and again as its key made a headline sharing only a
   company's name look like the event's own. The story answers with its
   group-average cosine, the mean cosine of the headline with the story's
   own headlines, each weighted by recency (half-life
   ``HEADLINE_HALF_LIFE_HOURS``), times ``cluster_headline_weight``. A
   centroid cosine would let a story of a thousand diverse "Google"
   headlines absorb any headline saying "Google" (its centroid is peaked on
   the shared topic word); the mean over its recent headlines stays low
   unless the headline shares the event's own words with them. The weight
   was 1.6 (the three evidence weights' sum) until titles-only NeuS val
   showed it merged stories on one subject: 1.0 there, P 0.57 -> 0.83 for R
   0.65 -> 0.62 (``bench_cluster_neus.py``, the headline rows).
   With ``cluster_semantic_weight`` > 0 (the ``newsloom[semantic]`` extra),
   a headline+lead sentence vector adds w_semantic x the cosine to the
   story's mean vector, rescaled so that unrelated news (cosine about
   ``SEMANTIC_FLOOR``) adds nothing; the ``SEMANTIC_CANDIDATES`` open
   stories nearest by that cosine (one numpy product over the open stories'
   matrix, ``nlp.embeddings.VectorIndex``) join the lexical candidates, so a paraphrase
   with few shared words is still scored.
5. Best score >= ``cluster_threshold`` joins (ties: the smaller story id);
   otherwise a new story ``stable_id("story", article.id)`` starts. Either
   way the evidence is kept in ``StoryAssignment.matched``.
6. Revisit (``cluster_revisit.py`` decides, ``cluster_moves.py`` moves): when a
   story reaches one of the ``REVISIT_AT`` sizes, its articles are
   re-examined; a story whose articles form two groups that would not have
   joined each other and that each have names, places or years of their own
   is split in two (the founder's group keeps the id; dated groups that
   follow one another closely must differ in two slots: later coverage
   moving on to new names is not a second event). A story not split absorbs
   its small neighbours (one or two articles) whose articles now clear the
   threshold against it and name one of its own names or places: articles
   the single pass left alone while the story was still small. Below the
   first revisit size, every join asks the same of the small stories the
   joining article came near (scored at least ``LINK_SHARE`` of the
   threshold), which must also be close in words to the story's articles on
   average (``MEMBER_WORDS_FLOOR``): the article links two parts of one
   story that did not meet when each had one article (most of NeuS val's
   missed joins: three outlets whose words agree weakly pairwise); from
   those of two or more articles, one article that now scores clearly
   higher (``PULL_MARGIN``) against the story than against its own story's
   other articles moves too (a pull: an early wrong join undone). The moved
   articles' new assignments, with the evidence, wait in ``take_moves`` for
   the caller to store.

A story is a compact profile (``cluster_story.py``), not its articles: the top weighted terms of
its centroid, entity counts, first/last time, article count. Only a small story
made of body articles also keeps its articles' weighted vectors (up to
``MAX_MEMBERS``, not persisted: a story restored after a restart gets them back from the store, through
the caller's ``member_source``, when it next reaches a revisit size or is a small neighbour). Stories idle
for twice the window are evicted from memory (their last state was already
handed out by ``dirty_stories``), unless an article joined them within the last
``late_arrival_memory`` arrivals: the candidate window compares the article's own
date with the story's, so an older page's story stays findable by its late copies.

This module must not read or write the store, call spaCy directly or keep
per-article data beyond the profiles and those small stories' vectors: persistence goes through
``dirty_stories`` / ``load_story_state`` and the document-frequency pair.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from itertools import islice
from typing import Iterable

import numpy as np

from newsloom.cluster_features import (  # noqa: F401  (re-exported: callers import them from here)
    BODY_CHARS, LEAD_CHARS, ArticleFeatures, entity_keys, featurize, keys_not_spelled_by, lead_text, lead_vectors,
)
from newsloom.cluster_scores import (  # noqa: F401  (SEMANTIC_FLOOR, ENTITY_KIND_NAMES: re-exported)
    ENTITY_KIND_NAMES, LOOSE_JOIN_PENALTY, SEMANTIC_FLOOR, common_pins, conflict_share, cosine, entity_share, gap_hours,
    group_average, loose_join, member_words, place_conflict, score_evidence, semantic_cosine, semantic_score,
    signature_conflicts, signature_slot, story_rarity,
)
from newsloom.cluster_moves import StoryMoves
from newsloom.cluster_revisit import FIRST_REVISIT, LINK_SHARE, MAX_MEMBERS, REVISIT_AT
from newsloom.cluster_story import (  # noqa: F401  (re-exported: the state classes and weights used to live here)
    DOMINANT_SHARE, ENTITY_KIND_WEIGHTS, HEADLINE_HALF_LIFE_HOURS, HEADLINE_KEYS, INDEXED_TERMS, _add_capped,
    _normalised, _top, _Query, _Story,
)
from newsloom.models import Article, StoryAssignment, stable_id
from newsloom.nlp.embeddings import VectorIndex

ARTICLE_TERMS = 60  # terms kept in an article vector
STORY_TERMS = 120  # terms kept in a story centroid
STORY_TITLE_TERMS = 40
STORY_ENTITY_KEYS = 60
QUERY_TERMS = 10  # an article looks up its highest-weighted terms and all its entities
POSTING_SCAN = 100  # newest stories read per posting list
EVICT_EVERY = 1024  # assignments between automatic evictions
# Documents without the key added to a body article's IDF count (step 2). Chosen on ECB+ DEV halves (each streamed
# from cold) and NeuS val: 20-70 all raised the halves by 0.02-0.05 F1, NeuS val within 0.004; 30 the best together.
IDF_PRIOR_DOCUMENTS = 30
SEMANTIC_CANDIDATES = 10  # open stories nearest by vector added to the lexical candidates


class StoryClusterer(StoryMoves):
    """Assigns articles to stories online; see the module docstring for the method."""

    def __init__(self, settings, embedder=None, member_source=None):
        """``embedder`` (``nlp.embeddings.Embedder``) is used when ``cluster_semantic_weight`` > 0; without one
        the shared embedder of ``embedding_model`` is loaded on first need (None without the extra: lexical).
        ``member_source(story_id)`` gives a restored story's (article, entities) in arrival order, so that a
        story saved before a restart can still be revisited (None: restored stories are not revisited)."""
        self.settings = settings
        self._member_source = member_source
        self._semantic = settings.cluster_semantic_weight > 0
        self._embedder = embedder
        self._vectors = VectorIndex()
        self._window = timedelta(days=settings.cluster_window_days)
        self._stories: dict[str, _Story] = {}
        self._index: dict[str, dict[str, None]] = {}  # key -> story ids, most recently touched last
        self._document_frequency: dict[str, int] = {}
        self._documents = 0
        self._dirty_terms: set[str] = set()
        self._dirty_stories: dict[str, None] = {}
        self._evicted_dirty: dict[str, tuple[datetime, str]] = {}
        self._newest_at: datetime | None = None
        self._since_eviction = 0
        self._arrivals = 0  # articles assigned or joined so far (late_arrival_memory counts in these)
        self.last_candidates_scored = 0  # for tests and benchmarks: the flat-cost promise
        self._moves: list[StoryAssignment] = []  # revisit moves not yet handed out (take_moves)
        self._loose_joins: dict[str, dict] = {}  # story id -> why the last scoring refused it (loose_join)

    # -- assigning -------------------------------------------------------

    def assign(self, article: Article, features: ArticleFeatures) -> StoryAssignment:
        """Join the best open story or start a new one; the evidence goes in ``matched``."""
        query = self._query(features, article)
        self._loose_joins = {}
        candidates = sorted(self._candidates(query))  # max() keeps the first best: ties go to the smaller id
        scored = self._scores(query, candidates)
        self.last_candidates_scored = len(scored)
        best_score, best_id = max(scored, key=lambda pair: pair[0], default=(None, None))
        if best_id is not None and best_score >= self.settings.cluster_threshold:
            story = self._stories[best_id]
            matched = {**score_evidence(query, story, best_score, self._words(query, story)), "candidates": len(scored)}
            self._update(story, query)
            assignment = StoryAssignment(article.id, best_id, round(best_score, 4), False, matched)
            if story.articles in REVISIT_AT:
                return self._revisit(story, assignment)
            if story.articles < FIRST_REVISIT:  # the small stories the article came near may belong here too
                near = LINK_SHARE * self.settings.cluster_threshold
                self._absorb(story, [sid for score, sid in scored if sid != best_id and score >= near])
            return assignment
        story_id = stable_id("story", article.id)
        matched = {"candidates": len(scored)}
        if best_id is not None:
            matched["best_candidate"] = {"story_id": best_id, "score": round(best_score, 4)}
            if best_id in self._loose_joins:  # it cleared the threshold but was refused: say so
                matched["best_candidate"]["refused"] = self._loose_joins[best_id]
        self._update(self._new_story(story_id, article.id, query.published_at), query)
        return StoryAssignment(article.id, story_id, 1.0, True, matched)

    def join(self, article: Article, features: ArticleFeatures, story_id: str, reason: dict) -> StoryAssignment:
        """Force ``article`` into ``story_id`` (a repost joins its original's story); a story reaching a
        revisit size this way is revisited as after ``assign``."""
        query = self._query(features, article)
        story = self._stories.get(story_id) or self._new_story(story_id, article.id, query.published_at)
        self._update(story, query)
        assignment = StoryAssignment(article.id, story_id, 1.0, False, dict(reason))
        return self._revisit(story, assignment) if story.articles in REVISIT_AT else assignment

    def _new_story(self, story_id: str, founder_id: str, at: datetime) -> _Story:
        story = _Story(story_id, founder_id, at, at, members=[])
        self._stories[story_id] = story
        return story

    def _sentence_vector(self, features: ArticleFeatures, article: Article) -> np.ndarray | None:
        """The article's headline+lead vector in semantic mode: given by the caller, else embedded here."""
        if not self._semantic:
            return None
        if features.vector is not None:
            return features.vector
        if self._embedder is None:
            from newsloom.nlp.embeddings import embedder_for

            self._embedder = embedder_for(self.settings.embedding_model, backend=self.settings.embedding_backend)
            self._semantic = self._embedder is not None  # without the extra: lexical, as before
            if not self._semantic:
                return None
        return self._embedder.embed([lead_text(article)])[0]

    def _query(self, features: ArticleFeatures, article: Article, *, count: bool = True) -> _Query:
        names = entity_keys(features.entities)
        if count:  # an article seen before (a restored story's member) is not counted again
            self._count_document(list(features.terms) + list(names))
        idf = self._idf if features.title_only else self._body_idf
        vector = _normalised({t: (1 + math.log(n)) * idf(t) for t, n in features.terms.items()}, ARTICLE_TERMS)
        title_vector = _normalised({t: idf(t) for t in features.title_terms}, ARTICLE_TERMS)
        entity_vector = _normalised({k: ENTITY_KIND_WEIGHTS[k[0]] * idf(k) for k in names}, STORY_ENTITY_KEYS)
        places = frozenset(k for k in entity_vector if k[0] == "l")
        countries = frozenset(k for k in entity_vector if k[0] == "c")
        headline_vector = {}
        if features.title_only:  # one vector: the title's words, and the entity keys they do not spell already
            headline_vector = _normalised({**{t: idf(t) for t in features.title_terms},
                                           **{k: ENTITY_KIND_WEIGHTS[k[0]] * idf(k)
                                              for k in keys_not_spelled_by(names, features.title_terms)}}, HEADLINE_KEYS)
        return _Query(vector, title_vector, entity_vector, names, features.published_at, places, countries,
                      features.time_known, features.title_only, self._sentence_vector(features, article),
                      headline_vector, frozenset(k for k in entity_vector if signature_slot(k) == "names"),
                      frozenset(k for k in entity_vector if signature_slot(k) == "years"), article.id,
                      self._rare_entities(entity_vector), self._common_pins(entity_vector, features.title_only))

    def _rare_entities(self, entity_vector: dict[str, float]) -> dict[str, float]:
        """The entity vector as score evidence: a key held by one story in memory counts in full, one held by
        ``n`` stories ``2 / (n + 1)`` of it (``story_rarity``). Document frequency cannot say this: a name
        may be in many articles of one story (a rare, telling name) or in a few articles of each of many
        stories (a subject's name, "Trump", "Supreme Court"); only the second says nothing about which story."""
        index = self._index
        return {key: weight * story_rarity(len(index.get(key, ()))) for key, weight in entity_vector.items()}

    def _common_pins(self, entity_vector: dict[str, float], title_only: bool) -> frozenset[str]:
        """The article's places, numbers and dates too common in the stream to pin an event (``loose_join``,
        which a headline never asks: none for it)."""
        if title_only:
            return frozenset()
        return common_pins(entity_vector, self._document_frequency, self._documents)

    def _count_document(self, keys: list[str]) -> None:
        self._documents += 1
        frequencies = self._document_frequency
        for key in keys:
            frequencies[key] = frequencies.get(key, 0) + 1
        self._dirty_terms.update(keys)

    def _idf(self, key: str, prior: int = 0) -> float:
        """The key's IDF in the stream, as if ``prior`` more documents without it had been seen."""
        return math.log((1 + self._documents + prior) / (1 + self._document_frequency.get(key, 0))) + 1.0

    def _body_idf(self, key: str) -> float:
        return self._idf(key, IDF_PRIOR_DOCUMENTS)

    # -- candidates and scores -------------------------------------------

    def _candidates(self, query: _Query) -> list[str]:
        """Open stories sharing the article's rarest terms or its entities, best hit weight first."""
        lookups = _top(query.vector, QUERY_TERMS)
        lookups += list(query.entity_vector.items())
        earliest, latest = query.published_at - self._window, query.published_at + self._window
        hits: dict[str, float] = {}
        hit_weight, index = hits.get, self._index
        for key, weight in lookups:
            posting = index.get(key)
            if posting:
                for story_id in islice(reversed(posting), POSTING_SCAN):
                    hits[story_id] = hit_weight(story_id, 0.0) + weight
        if query.time_known:
            stories = self._stories
            open_hits = [(sid, w) for sid, w in hits.items()
                         if (story := stories[sid]).last_at >= earliest and story.first_at <= latest]
        else:
            open_hits = list(hits.items())
        limit = self.settings.cluster_max_candidates
        if len(open_hits) > limit:  # the heaviest hits; among equal hit weights the smaller story id is kept
            open_hits = sorted(open_hits, key=lambda hit: (-hit[1], hit[0]))[:limit]  # ids differ: no ties
        found = [story_id for story_id, _ in open_hits]  # in no particular order: the callers sort
        if query.sentence_vector is not None:
            window = (earliest, latest) if query.time_known else (None, None)
            found += self._vectors.nearest(query.sentence_vector, SEMANTIC_CANDIDATES, *window, minimum=SEMANTIC_FLOOR)
        return list(dict.fromkeys(found))

    def _score(self, query: _Query, story: _Story) -> float:
        """The story score; kept to arithmetic because every candidate pays it."""
        settings = self.settings
        if query.title_only and not story.text_articles and story.headline_mass:
            return self._headline_score(query, story)
        word_weight = settings.cluster_term_weight + settings.cluster_title_weight
        lexical = self._lexical(query, story)
        entity = cosine(query.entity_evidence, story.entity_weights, story.entity_norm) if story.entity_norm else 0.0
        raw = lexical + settings.cluster_entity_weight * entity * entity_share(lexical / max(word_weight, 1e-9))
        meaning = semantic_score(semantic_cosine(query, story))
        raw += settings.cluster_semantic_weight * meaning
        places, slots = place_conflict(query, story), signature_conflicts(query, story)
        if places or slots:  # a place or names conflict counts less when the article shares the story's names
            share = conflict_share(entity)
            if places:
                raw -= settings.cluster_place_conflict_penalty * share
            slot_shares = sum(share if slot == "names" else 1.0 for slot in slots)  # a years conflict: in full
            raw -= settings.cluster_signature_conflict_penalty * slot_shares
        score = raw / (1.0 + gap_hours(query, story) / settings.cluster_time_scale_hours)
        if score >= settings.cluster_threshold and not meaning and loose_join(query, story, entity):
            refusal = {"rule": "loose_join", "score": round(score, 4),
                       "mean_member_words": round(member_words(query, story), 4)}
            common = sorted({query.entity_names[key] for key in query.common_pins if key in story.entities})
            if common:  # shared, but too common in the stream to pin the event
                refusal["too_common_to_pin"] = common
            self._loose_joins[story.story_id] = refusal
            score -= LOOSE_JOIN_PENALTY
        return score

    def _lexical(self, query: _Query, story: _Story) -> float:
        """The word evidence of the score: term and title cosines, weighted (headlines: the title alone, at both
        weights)."""
        settings = self.settings
        title_cosine = cosine(query.title_vector, story.title_terms, story.title_norm)
        if query.title_only or not story.text_articles:  # headlines against headlines, not against a body centroid
            return (settings.cluster_term_weight + settings.cluster_title_weight) * title_cosine
        return (settings.cluster_term_weight * cosine(query.vector, story.terms, story.terms_norm)
                + settings.cluster_title_weight * title_cosine)

    def _words(self, query: _Query, story: _Story) -> float:
        """The word cosine (``_lexical`` per unit of word weight), which says how much entity evidence counts."""
        word_weight = self.settings.cluster_term_weight + self.settings.cluster_title_weight
        return self._lexical(query, story) / max(word_weight, 1e-9)

    def _scores(self, query: _Query, candidates: list[str]) -> list[tuple[float, str]]:
        """(score, story id) of each candidate, in order. A headline's headline stories are scored together
        (``_headline_scores``): a headline has some forty candidates, and a call per candidate cost more
        than its arithmetic."""
        stories = [self._stories[story_id] for story_id in candidates]
        if query.title_only and all(not story.text_articles and story.headline_mass for story in stories):
            return list(zip(self._headline_scores(query, stories), candidates))
        return [(self._score(query, story), story_id) for story, story_id in zip(stories, candidates)]

    def _headline_score(self, query: _Query, story: _Story) -> float:
        """A headline against a headline story: the group-average cosine with its recent headlines, times
        ``cluster_headline_weight``, with the body score's penalties and time factor."""
        return self._headline_scores(query, [story])[0]

    def _headline_scores(self, query: _Query, stories: list[_Story]) -> list[float]:
        """``_headline_score`` of each headline story, in one loop with the settings read once; the penalties
        are asked only when the headline names a place or fills a signature slot (most name neither)."""
        settings = self.settings
        weight = settings.cluster_headline_weight
        check_places, check_signature = bool(query.places or query.countries), bool(query.names or query.years)
        scores = []
        for story in stories:
            raw = weight * group_average(query, story)
            if check_places and place_conflict(query, story):
                raw -= settings.cluster_place_conflict_penalty
            if check_signature:
                raw -= settings.cluster_signature_conflict_penalty * len(signature_conflicts(query, story))
            scores.append(raw / (1.0 + gap_hours(query, story) / settings.cluster_time_scale_hours))
        return scores

    # -- updating and the index ------------------------------------------

    def _update(self, story: _Story, query: _Query) -> None:
        old_keys = story.index_keys()
        if story.articles + 1 in REVISIT_AT:
            self._ensure_members(story)
        self._accumulate(story, query)
        if query.sentence_vector is not None:
            self._vectors.put(story.story_id, story.vector_sum, story.first_at, story.last_at)
        self._reindex(story.story_id, old_keys, story.index_keys(), set(query.vector) | set(query.entity_vector))
        self._dirty_stories[story.story_id] = None
        self._arrivals += 1
        story.last_arrival = self._arrivals
        self._note_time(query.published_at)

    def _ensure_members(self, story: _Story) -> None:
        """Rebuild a restored story's kept articles from the store (``member_source``), once, on first need.

        Their vectors are weighted with today's document frequencies rather than those of their arrival,
        and their profile is the saved one; when the store holds other articles than the profile counts
        (none should), the story is left without members, as before.
        """
        if not story.members_stored:
            return
        story.members_stored = False
        rows = self._member_source(story.story_id) if self._member_source is not None else []
        if len(rows) == story.articles:
            story.members = [self._query(featurize(article, entities), article, count=False) for article, entities in rows]

    def _accumulate(self, story: _Story, query: _Query) -> None:
        """Add one article to the story's profile (and to its kept members while it is small)."""
        if story.members is not None:
            keep = not query.title_only and len(story.members) < MAX_MEMBERS and self.settings.cluster_split_threshold > 0
            if keep:
                story.members.append(query)
            else:
                story.members = None
        story.articles += 1
        story.text_articles += not query.title_only
        if query.time_known:
            story.first_at = min(story.first_at, query.published_at)
            story.last_at = max(story.last_at, query.published_at)
        story.terms = _add_capped(story.terms, query.vector, STORY_TERMS)
        story.title_terms = _add_capped(story.title_terms, query.title_vector, STORY_TITLE_TERMS)
        story.entities = _add_capped(story.entities, {k: 1 for k in query.entity_vector}, STORY_ENTITY_KEYS)
        if query.title_only:
            story.add_headline(query.headline_vector, query.published_at if query.time_known else None)
        story.refresh_norms()
        if query.sentence_vector is not None:
            addition = query.sentence_vector
            story.vector_sum = addition.copy() if story.vector_sum is None else story.vector_sum + addition

    def _reindex(self, story_id: str, old_keys: set[str], new_keys: set[str], touched: set[str]) -> None:
        for key in old_keys - new_keys:
            posting = self._index.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self._index[key]
        for key in sorted(new_keys):
            posting = self._index.setdefault(key, {})
            if key in touched or story_id not in posting:
                posting.pop(story_id, None)  # re-insert: the newest stories sit at the end
                posting[story_id] = None

    def _note_time(self, published_at: datetime) -> None:
        if self._newest_at is None or published_at > self._newest_at:
            self._newest_at = published_at
        self._since_eviction += 1
        if self._since_eviction >= EVICT_EVERY:
            self._since_eviction = 0
            self.evict_before(self._newest_at - 2 * self._window)
            for story in self._stories.values():  # a closed story takes no article, so it is never revisited
                if story.members and story.last_at < self._newest_at - self._window and not self.recently_joined(story):
                    story.members = None

    def recently_joined(self, story: _Story) -> bool:
        """Whether an article joined the story within the last ``late_arrival_memory`` arrivals."""
        return story.last_arrival > self._arrivals - self.settings.late_arrival_memory

    def is_held_open(self, story_id: str) -> bool:
        """Whether a story past the window of the stream's newest date is still open to late arrivals."""
        story = self._stories.get(story_id)
        return story is not None and self.recently_joined(story)

    def evict_before(self, cutoff: datetime) -> int:
        """Drop stories whose last article is older than ``cutoff`` and that no article joined within the
        last ``late_arrival_memory`` arrivals (an older page's story stays open to its late copies); returns
        how many."""
        stale = [s for s in self._stories.values() if s.last_at < cutoff and not self.recently_joined(s)]
        for story in stale:
            if story.story_id in self._dirty_stories:
                del self._dirty_stories[story.story_id]
                self._evicted_dirty[story.story_id] = (story.last_at, story.to_json())
            self._reindex(story.story_id, story.index_keys(), set(), set())
            self._vectors.remove(story.story_id)
            del self._stories[story.story_id]
        return len(stale)

    # -- persistence -----------------------------------------------------

    def dirty_stories(self) -> list[tuple[str, datetime, str]]:
        """(story_id, last_active, state_json) of every story changed since the last call."""
        rows = [(sid, last_at, state) for sid, (last_at, state) in self._evicted_dirty.items()]
        rows += [(sid, self._stories[sid].last_at, self._stories[sid].to_json()) for sid in self._dirty_stories]
        self._evicted_dirty.clear()
        self._dirty_stories.clear()
        return rows

    def load_story_state(self, rows: Iterable[tuple[str, str]]) -> None:
        """Restore stories saved by ``dirty_stories`` (oldest activity first keeps the index order)."""
        stories = sorted((_Story.from_json(state) for _, state in rows), key=lambda s: (s.last_at, s.story_id))
        for story in stories:
            if story.story_id in self._stories:
                self._reindex(story.story_id, self._stories[story.story_id].index_keys(), set(), set())
            story.last_arrival = self._arrivals  # restored: open to late arrivals as if just joined
            story.members_stored = (self._member_source is not None and 0 < story.articles == story.text_articles
                                    and story.articles < MAX_MEMBERS and self.settings.cluster_split_threshold > 0)
            self._stories[story.story_id] = story
            self._reindex(story.story_id, set(), story.index_keys(), set())
            if story.vector_sum is not None:
                self._vectors.put(story.story_id, story.vector_sum, story.first_at, story.last_at)
            if self._newest_at is None or story.last_at > self._newest_at:
                self._newest_at = story.last_at

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        """(documents seen, {key: document frequency}) for keys changed since the last call.

        Saving each answer (upserting the keys) and handing the accumulated
        table to ``load_document_frequencies`` restores the IDF exactly.
        """
        changed = {key: self._document_frequency[key] for key in sorted(self._dirty_terms)}
        self._dirty_terms.clear()
        return self._documents, changed

    def load_document_frequencies(self, documents: int, frequencies: Iterable[tuple[str, int]]) -> None:
        """Restore the IDF table saved through ``document_frequencies``."""
        self._documents = documents
        self._document_frequency.update(dict(frequencies))

    @property
    def story_count(self) -> int:
        return len(self._stories)
