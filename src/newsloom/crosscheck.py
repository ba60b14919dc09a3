"""Cross-check: what sources agree on, where they conflict, what none supports.

``check_article(target, sources)`` follows these steps:

1. Claims: each article is split into claims with slots (``nlp/claims.py``):
   numbers with nouns, places with claimed countries, dates, actors.
2. Alignment: each target claim is scored against every source claim
   (TF-IDF cosine of singular content words by default; pass
   ``similarity(target_texts, source_texts) -> matrix`` to plug in sentence
   embeddings). Claims above ``ALIGN_MIN`` speak about the same thing.
   With ``semantic=`` (``crosscheck_semantic``; an embedder's cosine
   matrix) a pair scores the larger of its lexical score and its sentence
   cosine rescaled so that ``SEMANTIC_ALIGN_FLOOR`` counts as 0: a paraphrase
   that shares few words still aligns, and the raw cosine is kept in the
   evidence (``Evidence.semantic``).
3. Slot comparison of each aligned pair (``crosscheck_compare.compare``):
   a value of the claim that the source states nowhere, where the aligned
   source sentence states another value of the same kind (a figure for the
   same noun, a place, a date, a name) that the claim lacks, is a conflict
   when the claims are similar enough for that kind -- or merely related
   and the two values stand between the same words ("in the Gulf of X").
   No conflict when another source's aligned sentence states the claim's
   value: the disagreement is then reported from the side nobody supports.
   Hedged numbers are intervals ("at least a dozen" agrees with "12"); a
   higher number in the later article, or one that "rose"/"now", is an update.
4. Geography, which needs no source: a place attributed to a country the
   gazetteer does not put it in ("Russia's Sumy region").
5. Verdict per claim: geography > conflicting > corroborated (an aligned
   source claim above ``crosscheck_compare.CORROBORATE_MIN`` that states every number, place
   and person of the claim; reposts count once via ``copy_of``) >
   unsupported.

``crosscheck_story`` runs the same comparison between the articles of a
story (one per original, at most ``MAX_STORY_ARTICLES`` articles and
``MAX_CLAIMS_PER_ARTICLE`` claims each) and lists agreements, conflicts,
single-source facts and updates.

This module must not extract article text, store anything or call spaCy;
every verdict keeps its evidence (both sentences, slot values, scores).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsloom.crosscheck_compare import (ArticleFacts, Disagreement, Evidence, Update, article_facts,
                                         claimed_country_disagreements, compare, is_named_person, states_in)
from newsloom.models import Article
from newsloom.nlp.claims import Claim
from newsloom.nlp.places import geography_problem

__all__ = ["ArticleFacts", "CheckReport", "ClaimCheck", "Conflict", "Evidence", "StoryCheck", "Update",
           "article_facts", "check_article", "check_facts", "crosscheck_story", "root_of", "semantic_alignment"]

ALIGN_MIN = 0.15  # two claims may speak about the same thing (chosen on ECB+ topics 1-22)
MAX_ALIGNED_PER_SOURCE = 3
MAX_STORY_ARTICLES = 40
MAX_CLAIMS_PER_ARTICLE = 80
SEMANTIC_ALIGN_FLOOR = 0.6  # a sentence cosine at this level aligns as 0 (chosen on topics 1-22: 0.5 or 0.6)

Similarity = Callable[[list[str], list[str]], Sequence[Sequence[float]]]


@dataclass
class Conflict:
    kind: str  # "number" | "place" | "date" | "actor" | "geography" | "other"
    claim: str  # the full sentence of the checked article
    evidence: str  # the full sentence of the source, or the gazetteer fact
    source: str  # source article id, or "gazetteer"
    explanation: str
    claim_article: str = ""
    claim_value: str = ""
    evidence_value: str = ""
    similarity: float = 0.0

    def to_dict(self) -> dict:
        return {"claim": self.claim, "evidence": self.evidence, "source": self.source, "kind": self.kind,
                "explanation": self.explanation}


@dataclass
class ClaimCheck:
    claim: Claim
    verdict: str  # "corroborated" | "conflicting" | "unsupported" | "geography"
    evidence: list[Evidence] = field(default_factory=list)
    independent_sources: int = 0

    def to_dict(self) -> dict:
        return {"text": self.claim.text, "verdict": self.verdict, "slots": self.claim.slots(),
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class CheckReport:
    target: Article
    sources: list[Article]
    claims: list[ClaimCheck]
    conflicts: list[Conflict]
    updates: list[Update]

    def summary(self) -> dict:
        verdicts = Counter(check.verdict for check in self.claims)
        return {"claims": len(self.claims), "corroborated": verdicts["corroborated"],
                "conflicting": verdicts["conflicting"] + verdicts["geography"],
                "unsupported": verdicts["unsupported"]}

    def to_dict(self) -> dict:
        return {
            "target": {"id": self.target.id, "title": self.target.title},
            "sources": [{"id": s.id, "title": s.title, "outlet": s.outlet} for s in self.sources],
            "claims": [check.to_dict() for check in self.claims],
            "conflicts": [conflict.to_dict() for conflict in self.conflicts],
            "updates": [update.to_dict() for update in self.updates],
            "summary": self.summary(),
        }


# -- alignment ---------------------------------------------------------------------------------------------


def _idf(claims: list[Claim]) -> dict[str, float]:
    document_frequency = Counter(term for claim in claims for term in claim.terms)
    total = len(claims) + 1
    return {term: math.log(total / (count + 0.5)) + 1.0 for term, count in document_frequency.items()}


def _unit_vector(terms: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {term: idf.get(term, 1.0) for term in terms}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


class Aligner:
    """Scores claims against a fixed set of indexed claims (lexical cosine, or a plugged similarity).

    ``semantic`` (a sentence-cosine matrix function) is blended with the
    lexical score: the larger of the two, the cosine rescaled above
    ``SEMANTIC_ALIGN_FLOOR``.
    """

    def __init__(self, indexed: list[Claim], all_claims: list[Claim], similarity: Similarity | None = None,
                 semantic: Similarity | None = None):
        self.indexed = indexed
        self.similarity = similarity
        self.semantic = semantic
        self._idf = _idf(all_claims)
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        if similarity is None:
            for position, claim in enumerate(indexed):
                for term, weight in _unit_vector(claim.terms, self._idf).items():
                    self._postings[term].append((position, weight))

    def scores(self, claims: list[Claim]) -> list[dict[int, float]]:
        """For each claim, {position in ``indexed``: similarity} (only non-zero ones)."""
        return self.score_rows(claims)[0]

    def score_rows(self, claims: list[Claim]) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        """The alignment scores of each claim, and the raw sentence cosines behind them (empty when lexical)."""
        scores = self._plain_scores(claims)
        if self.semantic is None or not claims or not self.indexed:
            return scores, [{} for _ in claims]
        matrix = self.semantic([c.text for c in claims], [c.text for c in self.indexed])
        cosines = []
        for row_scores, row in zip(scores, matrix):
            found = {j: float(c) for j, c in enumerate(row) if c > SEMANTIC_ALIGN_FLOOR}
            for position, cosine in found.items():
                rescaled = (cosine - SEMANTIC_ALIGN_FLOOR) / (1.0 - SEMANTIC_ALIGN_FLOOR)
                row_scores[position] = max(row_scores.get(position, 0.0), rescaled)
            cosines.append(found)
        return scores, cosines

    def _plain_scores(self, claims: list[Claim]) -> list[dict[int, float]]:
        if self.similarity is not None:
            matrix = self.similarity([c.text for c in claims], [c.text for c in self.indexed])
            return [{j: float(s) for j, s in enumerate(row) if s > 0} for row in matrix]
        results = []
        for claim in claims:
            found: dict[int, float] = defaultdict(float)
            for term, weight in _unit_vector(claim.terms, self._idf).items():
                for position, other in self._postings.get(term, ()):
                    found[position] += weight * other
            results.append(dict(found))
        return results


def _geography_conflicts(claim: Claim, article_id: str) -> list[Conflict]:
    conflicts = []
    for mention in claim.places:
        problem = geography_problem(mention)
        if problem:
            fact = f"gazetteer: {mention.place.name} is a {mention.place.kind} of {mention.place.country}"
            conflicts.append(Conflict("geography", claim.sentence, fact, "gazetteer", problem, article_id,
                                      mention.attribution, mention.place.country))
    return conflicts


def _conflict(claim: Claim, disagreement: Disagreement, source_id: str, sentence: str, score: float) -> Conflict:
    return Conflict(disagreement.kind, claim.sentence, disagreement.evidence_sentence or sentence, source_id,
                    disagreement.explanation, claim.article_id, disagreement.claim_value,
                    disagreement.evidence_value, score)


def root_of(article_id: str, copy_of: dict[str, str]) -> str:
    """The original an article copies (following chains), or the article itself."""
    seen = {article_id}
    while article_id in copy_of and copy_of[article_id] not in seen:
        article_id = copy_of[article_id]
        seen.add(article_id)
    return article_id


def _aligned_by_source(scores: dict[int, float],
                       indexed: list[Claim]) -> dict[str, list[tuple[int, Claim, float]]]:
    grouped: dict[str, list[tuple[int, Claim, float]]] = defaultdict(list)
    for position, score in sorted(scores.items(), key=lambda item: -item[1]):
        other = indexed[position]
        if score >= ALIGN_MIN and len(grouped[other.article_id]) < MAX_ALIGNED_PER_SOURCE:
            grouped[other.article_id].append((position, other, score))
    return grouped


def _check_claim(claim: Claim, scores: dict[int, float], target: ArticleFacts, sources: dict[str, ArticleFacts],
                 aligner: Aligner, copy_of: dict[str, str],
                 cosines: dict[int, float] | None = None) -> tuple[ClaimCheck, list[Conflict], list[Update]]:
    conflicts = _geography_conflicts(claim, target.article.id)
    check = ClaimCheck(claim, "unsupported")
    updates: list[Update] = []
    for source_id, source in sources.items():
        for disagreement in claimed_country_disagreements(claim, source):
            conflicts.append(_conflict(claim, disagreement, source_id, "", 0.0))
            check.evidence.append(Evidence(source_id, disagreement.evidence_sentence, 0.0, False,
                                           disagreement.explanation))
    aligned_by_source = _aligned_by_source(scores, aligner.indexed)
    supporting = [other for aligned in aligned_by_source.values() for _, other, _ in aligned]
    for source_id, aligned in aligned_by_source.items():
        for position, other, score in aligned:
            outcome = compare(claim, target, other, sources[source_id], score)
            if cosines:
                outcome.evidence.semantic = cosines.get(position)
            check.evidence.append(outcome.evidence)
            conflicts += [_conflict(claim, d, source_id, other.sentence, score) for d in outcome.disagreements
                          if not states_in(supporting, d)]  # another source's sentence states it: no conflict
            updates += outcome.updates
    target_root = root_of(target.article.id, copy_of)
    independent = {root_of(e.source, copy_of) for e in check.evidence if e.agrees} - {target_root}
    check.independent_sources = len(independent)
    if any(c.kind == "geography" for c in conflicts):
        check.verdict = "geography"
    elif conflicts:
        check.verdict = "conflicting"
    elif independent:
        check.verdict = "corroborated"
    return check, _unique(conflicts), updates


def _unique(conflicts: list[Conflict]) -> list[Conflict]:
    seen, kept = set(), []
    for conflict in conflicts:
        key = (conflict.kind, conflict.claim, conflict.evidence, conflict.claim_value)
        if key not in seen:
            seen.add(key)
            kept.append(conflict)
    return kept


def check_facts(target: ArticleFacts, sources: list[ArticleFacts], copy_of: dict[str, str],
                similarity: Similarity | None, semantic: Similarity | None = None) -> CheckReport:
    source_claims = [claim for facts in sources for claim in facts.claims]
    aligner = Aligner(source_claims, target.claims + source_claims, similarity, semantic)
    by_id = {facts.article.id: facts for facts in sources}
    checks, conflicts, updates = [], [], []
    for claim, scores, cosines in zip(target.claims, *aligner.score_rows(target.claims)):
        check, claim_conflicts, claim_updates = _check_claim(claim, scores, target, by_id, aligner, copy_of,
                                                             cosines)
        checks.append(check)
        conflicts += claim_conflicts
        updates += claim_updates
    return CheckReport(target.article, [facts.article for facts in sources], checks, conflicts, updates)


def check_article(target: Article, sources: list[Article], *, copy_of: dict[str, str] | None = None,
                  similarity: Similarity | None = None, semantic: Similarity | None = None) -> CheckReport:
    """Check every claim of ``target`` against ``sources`` (see the module docstring for the steps).

    ``copy_of`` maps an article id to the id of the original it copies, so that a
    repost and its original count as one source. ``similarity(target_texts,
    source_texts)`` returns a matrix of scores in [0, 1] that replaces the lexical score;
    ``semantic`` (same shape, sentence cosines) is blended with it (see ``Aligner``).
    """
    others = [source for source in sources if source.id != target.id]
    return check_facts(article_facts(target), [article_facts(source) for source in others],
                       copy_of or {}, similarity, semantic)


def semantic_alignment(settings) -> Similarity | None:
    """The sentence-cosine function ``crosscheck_semantic`` asks for, or None (off, or no extra installed)."""
    if not settings.crosscheck_semantic:
        return None
    from newsloom.nlp.embeddings import embedder_for

    embedder = embedder_for(settings.embedding_model)
    return embedder.similarity if embedder is not None else None


# -- story -------------------------------------------------------------------------------------------------


@dataclass
class StoryCheck:
    agreements: list[dict]  # {"claim", "article_ids", "independent_sources"}
    conflicts: list[Conflict]
    single_source: list[dict]  # {"claim", "article_id"}
    updates: list[Update]

    def to_dict(self) -> dict:
        return {
            "agreements": self.agreements,
            "conflicts": [{"kind": c.kind, "claim": c.claim, "claim_article": c.claim_article,
                           "evidence": c.evidence, "evidence_article": c.source, "explanation": c.explanation}
                          for c in self.conflicts],
            "single_source": self.single_source,
            "updates": [update.to_dict() for update in self.updates],
        }


def _story_articles(articles: list[Article], copy_of: dict[str, str]) -> list[Article]:
    """One article per original (the original itself when present), earliest first, capped."""
    by_root: dict[str, Article] = {}
    for article in articles:
        root = root_of(article.id, copy_of)
        if root not in by_root or article.id == root:
            by_root[root] = article
    ordered = sorted(by_root.values(), key=lambda a: (a.published_at is None, a.published_at or 0, a.id))
    return ordered[:MAX_STORY_ARTICLES]


def _has_slots(claim: Claim) -> bool:
    return bool(claim.quantities or claim.places or claim.dates or any(is_named_person(a) for a in claim.actors))


def crosscheck_story(articles: list[Article], copy_of: dict[str, str],
                     semantic: Similarity | None = None) -> StoryCheck:
    """Agreements, conflicts, single-source facts and updates between a story's articles.

    Each original is checked against the others once; a conflict found from
    both sides is listed once. ``single_source`` lists claims with a number,
    place, date or named person that no other original states.
    """
    facts = [article_facts(a, max_claims=MAX_CLAIMS_PER_ARTICLE) for a in _story_articles(articles, copy_of)]
    agreements, single_source, conflicts, updates = [], [], [], []
    covered: set[str] = set()
    seen_conflicts: set[frozenset] = set()
    for target in facts:
        report = check_facts(target, [f for f in facts if f is not target], copy_of, None, semantic)
        for check in report.claims:
            _record_claim(check, covered, agreements, single_source)
        for conflict in report.conflicts:
            key = frozenset((conflict.kind, conflict.claim, conflict.evidence))
            if key not in seen_conflicts:
                seen_conflicts.add(key)
                conflicts.append(conflict)
        updates += [u for u in report.updates if u.claim_article == target.article.id
                    and not any(u.evidence == seen.claim and u.claim == seen.evidence for seen in updates)]
    return StoryCheck(agreements, conflicts, single_source, updates)


def _record_claim(check: ClaimCheck, covered: set[str], agreements: list[dict], single_source: list[dict]) -> None:
    claim = check.claim
    agreeing = [e for e in check.evidence if e.agrees]
    if claim.sentence in covered:
        return
    if agreeing:
        covered.add(claim.sentence)
        covered.update(e.sentence for e in agreeing)
        article_ids = [claim.article_id] + sorted({e.source for e in agreeing})
        agreements.append({"claim": claim.text, "article_ids": article_ids,
                           "independent_sources": check.independent_sources + 1})
    elif check.verdict == "unsupported" and _has_slots(claim):
        single_source.append({"claim": claim.text, "article_id": claim.article_id})
