"""Which articles state a sentence: one matcher for digest citations and cross-check agreements.

The rule is the cross-check's (``crosscheck.py``, ``crosscheck_compare.py``):
a claim -- a sentence, or one clause of it (``nlp/claims.py``) -- is stated
by a source when one of the source's claims aligned with it (the
``MAX_ALIGNED_PER_SOURCE`` best at ``ALIGN_MIN`` or above, by the
cross-check's ``Aligner``) passes ``compare``: similar enough, every number,
place and named person of the claim stated somewhere in the source, no slot
disagreeing. ``agreeing_evidence`` is that rule for one claim; a source
attributing one of the claim's places to another country
(``claimed_country_disagreements``: "Russia's Sumy" against "Ukraine's
Sumy") never states it. ``stating_evidence`` is the verdict for one source
from its compared pairs; the cross-check's ``_check_claim`` calls it too,
with the pairs it compared and the sources its conflicts name, so a
cross-check agreement and a digest citation are one decision. (The
cross-check compares with ``mutual`` anchoring, which only matters below
``CORROBORATE_MIN``, where no pair agrees: the verdicts stay equal.)

``StorySupport`` applies it to a story: the claims of one article per
original are extracted and indexed once, and a sentence is checked only when
asked about (a digest asks about a few dozen). A sentence is stated by an
article that states *every* claim of it: a sentence with one corroborated
clause and one unsupported clause is stated by its own article only, since
citing a source for half a sentence would lend it the other half. Copies are
listed beside the article they copy when they carry the same sentence.

This module must not add a threshold, slot rule or similarity of its own
(the cross-check decides, so that its agreements and the digest's citations
stay one verdict), and does no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsloom.crosscheck_align import (ALIGN_MIN, MAX_ALIGNED_PER_SOURCE, MAX_CLAIMS_PER_ARTICLE, MAX_STORY_ARTICLES,
                                       Aligner, Similarity, root_of)
from newsloom.crosscheck_compare import ArticleFacts, Evidence, article_facts, claimed_country_disagreements, compare
from newsloom.models import Article
from newsloom.nlp.claims import Claim
from newsloom.nlp.text import split_sentences


@dataclass(frozen=True)
class Statement:
    """``article_id`` states the sentence asked about, in ``sentence``."""

    article_id: str
    sentence: str
    similarity: float  # the weakest alignment score over the sentence's claims (1.0: the same sentence)


def story_originals(articles: list[Article], copy_of: dict[str, str]) -> list[Article]:
    """One article per original (the original itself when present), earliest first, at most ``MAX_STORY_ARTICLES``."""
    by_root: dict[str, Article] = {}
    for article in articles:
        root = root_of(article.id, copy_of)
        if root not in by_root or article.id == root:
            by_root[root] = article
    ordered = sorted(by_root.values(), key=lambda a: (a.published_at is None, a.published_at or 0, a.id))
    return ordered[:MAX_STORY_ARTICLES]


def aligned_by_source(scores: dict[int, float], indexed: list[Claim]) -> dict[str, list[tuple[int, Claim, float]]]:
    """Source article id -> its best aligned claims (position, claim, score), at most ``MAX_ALIGNED_PER_SOURCE``."""
    grouped: dict[str, list[tuple[int, Claim, float]]] = defaultdict(list)
    for position, score in sorted(scores.items(), key=lambda item: -item[1]):
        other = indexed[position]
        if score >= ALIGN_MIN and len(grouped[other.article_id]) < MAX_ALIGNED_PER_SOURCE:
            grouped[other.article_id].append((position, other, score))
    return grouped


def stating_evidence(claim: Claim, source: ArticleFacts, evidence: Iterable[Evidence],
                     disputing: frozenset[str] = frozenset()) -> Evidence | None:
    """The source's strongest evidence stating ``claim`` (``Evidence.agrees``), or None when it states it nowhere.

    A source disputing the claim never states it, whatever its other
    sentences say: one in ``disputing`` (the cross-check found a conflict of
    the claim with it), or one attributing a place of the claim to another
    country (``claimed_country_disagreements``). ``evidence`` is read lazily:
    no pair is compared for a disputing source.
    """
    if source.article.id in disputing or claimed_country_disagreements(claim, source):
        return None
    return max((e for e in evidence if e.agrees), key=lambda e: e.similarity, default=None)


def agreeing_evidence(claim: Claim, target: ArticleFacts, scores: dict[int, float], indexed: list[Claim],
                      sources: dict[str, ArticleFacts]) -> dict[str, Evidence]:
    """Source article id -> its best evidence stating ``claim``, for every source of ``sources`` that does.

    ``scores`` are the claim's alignment scores against ``indexed`` (``Aligner.score_rows``).
    """
    found: dict[str, Evidence] = {}
    for source_id, aligned in aligned_by_source(scores, indexed).items():
        source = sources.get(source_id)
        if source is None:
            continue
        best = stating_evidence(claim, source, (compare(claim, target, other, source, score).evidence
                                                for _, other, score in aligned))
        if best is not None:
            found[source_id] = best
    return found


def story_support(articles: list[Article], copy_of: dict[str, str], semantic: Similarity | None = None) -> "StorySupport":
    """The claims of the story's originals, indexed for ``StorySupport.statements``.

    With a single original no other source can state its sentences (only its
    own copies carrying a sentence are cited, which needs no claims), so no
    claims are extracted: a headline feed's many one-article stories skip it.
    """
    originals = story_originals(articles, copy_of)
    if len(originals) <= 1:
        return StorySupport([], articles, copy_of, semantic)
    facts = [article_facts(a, max_claims=MAX_CLAIMS_PER_ARTICLE) for a in originals]
    return StorySupport(facts, articles, copy_of, semantic)


def _sentences_of(article: Article) -> frozenset[str]:
    return _sentence_set(article.title, article.text)


@lru_cache(maxsize=4096)  # a story's older articles are split again at every rebuild of its digest otherwise
def _sentence_set(title: str, text: str) -> frozenset[str]:
    return frozenset(split_sentences(text)) | {title.strip()}


class StorySupport:
    """Asks the cross-check's rule which articles of a story state a sentence (see the module docstring)."""

    def __init__(self, facts: list[ArticleFacts], articles: list[Article], copy_of: dict[str, str],
                 semantic: Similarity | None = None):
        self._facts = {f.article.id: f for f in facts}
        self._root = {a.id: root_of(a.id, copy_of) for a in [*articles, *(f.article for f in facts)]}
        self._checked = {self._root[f.article.id]: f.article.id for f in facts}  # root -> the article checked
        claims = [claim for f in facts for claim in f.claims]
        self._aligner = Aligner(claims, claims, None, semantic)
        self._members: dict[str, list[Article]] = defaultdict(list)  # root -> the story's articles of it
        for article in sorted(articles, key=lambda a: a.id):
            self._members[self._root[article.id]].append(article)
        self._sentences: dict[str, frozenset[str]] = {}
        self._agreeing: dict[tuple[str, str], dict[str, tuple[str, float]]] = {}
        self._partly: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}  # (source, sentence) stating a claim

    def _carries(self, article: Article, sentence: str) -> bool:
        if article.id not in self._sentences:
            self._sentences[article.id] = _sentences_of(article)
        return sentence in self._sentences[article.id]

    def prepare(self, sentences: list[tuple[str, str]]) -> None:
        """Check these (article id, sentence) pairs in one batch (one embedding call when semantic)."""
        wanted = []
        for article_id, sentence in sentences:
            checked_id = self._checked.get(self._root.get(article_id, article_id))
            if checked_id is not None and (checked_id, sentence) not in self._agreeing:
                self._agreeing[checked_id, sentence] = {}
                self._partly[checked_id, sentence] = frozenset()
                wanted += [(checked_id, claim) for claim in self._facts[checked_id].by_sentence.get(sentence, [])]
        if not wanted:
            return
        rows, _ = self._aligner.score_rows([claim for _, claim in wanted])
        by_sentence: dict[tuple[str, str], list[dict[str, Evidence]]] = defaultdict(list)
        others_of = {checked_id: {k: f for k, f in self._facts.items() if k != checked_id} for checked_id, _ in wanted}
        for (checked_id, claim), scores in zip(wanted, rows):
            others = {position: score for position, score in scores.items()
                      if self._aligner.indexed[position].article_id != checked_id}
            sources = others_of[checked_id]
            by_sentence[checked_id, claim.sentence].append(
                agreeing_evidence(claim, self._facts[checked_id], others, self._aligner.indexed, sources))
        for key, per_claim in by_sentence.items():
            self._agreeing[key] = _stating_every_claim(per_claim)
            self._partly[key] = frozenset((source, e.sentence) for found in per_claim for source, e in found.items())

    def statements(self, article_id: str, sentence: str) -> list[Statement]:
        """Every article of the story that states ``sentence`` of ``article_id``, that article first.

        Articles of the same original carrying the very sentence are listed with
        similarity 1.0; so is everything for a sentence the cross-check does not
        read (past ``MAX_CLAIMS_PER_ARTICLE``, or of an original past ``MAX_STORY_ARTICLES``).
        """
        own_root = self._root.get(article_id, article_id)
        found = [Statement(article_id, sentence, 1.0)]
        found += [Statement(a.id, sentence, 1.0) for a in self._members.get(own_root, [])
                  if a.id != article_id and self._carries(a, sentence)]
        checked_id = self._checked.get(own_root)
        if checked_id is None:
            return found
        self.prepare([(article_id, sentence)])
        for other_id, (other_sentence, score) in self._agreeing[checked_id, sentence].items():
            other_root = self._root.get(other_id, other_id)
            found.append(Statement(other_id, other_sentence, round(min(score, 1.0), 4)))
            found += [Statement(a.id, other_sentence, round(min(score, 1.0), 4))
                      for a in self._members.get(other_root, []) if a.id != other_id and self._carries(a, other_sentence)]
        return found

    def partly_stated_by(self, article_id: str, sentence: str) -> frozenset[tuple[str, str]]:
        """(article id, sentence) of the other originals' sentences stating at least one claim of ``sentence``."""
        checked_id = self._checked.get(self._root.get(article_id, article_id))
        if checked_id is None:
            return frozenset()
        self.prepare([(article_id, sentence)])
        return self._partly[checked_id, sentence]


def _stating_every_claim(per_claim: list[dict[str, Evidence]]) -> dict[str, tuple[str, float]]:
    """Source -> (its sentence for the first claim, the weakest score), for sources stating every claim; best first."""
    common = set.intersection(*(set(found) for found in per_claim)) if per_claim else set()
    stating = {source: (per_claim[0][source].sentence, min(found[source].similarity for found in per_claim))
               for source in common}
    return dict(sorted(stating.items(), key=lambda item: (-item[1][1], item[0])))
