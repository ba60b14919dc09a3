"""Cross-check: what sources agree on, where they conflict, what none supports.

``check_article(target, sources)`` follows these steps:

1. Claims: each article is split into claims with slots (``nlp/claims.py``):
   numbers with nouns, places with claimed countries, dates, actors.
2. Alignment: each target claim is scored against every source claim
   (TF-IDF cosine of singular content words by default; pass
   ``similarity(target_texts, source_texts) -> matrix`` to plug in sentence
   embeddings). Claims above ``ALIGN_MIN`` speak about the same thing.
3. Slot comparison of each aligned pair (``_compare``): a different number
   for the same noun, a different place, date or named person in the same
   role is a conflict -- but only when the source states the target's value
   nowhere else, so a source that mentions both is never a conflict. Hedged
   numbers are intervals ("at least a dozen" agrees with "12"). A higher
   number in the later article, or one that "rose"/"now", is an update.
4. Geography, which needs no source: a place attributed to a country the
   gazetteer does not put it in ("Russia's Sumy region").
5. Verdict per claim: geography > conflicting > corroborated (an aligned
   source claim above ``CORROBORATE_MIN`` that states every number, place
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
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsloom.models import Article
from newsloom.nlp.claims import Actor, Claim, extract_claims
from newsloom.nlp.numbers import DateMention, Quantity, dates_agree, quantities_agree
from newsloom.nlp.places import PlaceMention, geography_problem, places_compatible

ALIGN_MIN = 0.2  # two claims may speak about the same thing (chosen on ECB+ topics 1-22)
SLOT_ALIGN_MIN = 0.4  # a different number or date in them is a conflict
SUBSTITUTION_MIN = 0.45  # a different place or person in them is a conflict
CORROBORATE_MIN = 0.4  # a source claim states the same thing
MAX_ALIGNED_PER_SOURCE = 3
MAX_STORY_ARTICLES = 40
MAX_CLAIMS_PER_ARTICLE = 80
_UPDATE_WORDS_RE = re.compile(r"\b(rose|risen|rises|climbed|climbs|jumped|increased|now|updated|revised|"
                              r"has reached|have reached|so far)\b", re.IGNORECASE)

Similarity = Callable[[list[str], list[str]], Sequence[Sequence[float]]]


@dataclass
class ArticleFacts:
    """An article's claims and the article-wide values they state."""

    article: Article
    claims: list[Claim]
    quantities: dict[str, list[Quantity]] = field(default_factory=dict)  # noun -> quantities
    places: list[PlaceMention] = field(default_factory=list)
    claimed: list[tuple[PlaceMention, Claim]] = field(default_factory=list)  # places with a claimed country
    actor_tokens: frozenset[str] = frozenset()
    dates: list[DateMention] = field(default_factory=list)


def article_facts(article: Article, *, max_claims: int | None = None) -> ArticleFacts:
    claims = extract_claims(article, max_claims=max_claims)
    facts = ArticleFacts(article, claims)
    for claim in claims:
        for quantity in claim.quantities:
            facts.quantities.setdefault(quantity.noun, []).append(quantity)
        facts.places.extend(claim.places)
        facts.claimed.extend((place, claim) for place in claim.places if place.claimed_country)
        facts.dates.extend(claim.dates)
    facts.actor_tokens = frozenset(t for claim in claims for actor in claim.actors for t in actor.tokens)
    return facts


@dataclass
class Evidence:
    source: str  # source article id
    sentence: str
    similarity: float
    agrees: bool
    detail: str

    def to_dict(self) -> dict:
        return {"source": self.source, "sentence": self.sentence, "similarity": round(self.similarity, 3),
                "agrees": self.agrees, "detail": self.detail}


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
class Update:
    """A figure that changed between reports: the later, higher one is an update, not a conflict."""

    claim: str
    claim_article: str
    evidence: str
    evidence_article: str
    noun: str
    earlier: dict  # {"article", "value", "text", "published_at"}
    later: dict
    explanation: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


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
    """Scores claims against a fixed set of indexed claims (lexical cosine, or a plugged similarity)."""

    def __init__(self, indexed: list[Claim], all_claims: list[Claim], similarity: Similarity | None = None):
        self.indexed = indexed
        self.similarity = similarity
        self._idf = _idf(all_claims)
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        if similarity is None:
            for position, claim in enumerate(indexed):
                for term, weight in _unit_vector(claim.terms, self._idf).items():
                    self._postings[term].append((position, weight))

    def scores(self, claims: list[Claim]) -> list[dict[int, float]]:
        """For each claim, {position in ``indexed``: similarity} (only non-zero ones)."""
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


# -- slot comparison ---------------------------------------------------------------------------------------


@dataclass
class _Disagreement:
    kind: str
    claim_value: str
    evidence_value: str
    explanation: str
    evidence_sentence: str = ""  # when not the aligned sentence (article-wide place claims)


def _label(article: Article) -> str:
    return article.outlet or article.id


def _number_disagreements(claim: Claim, other: Claim, related: list[Claim]) -> list[tuple[Quantity, Quantity]]:
    """Figures of the claim that the aligned source claim states differently (and no related claim confirms)."""
    found = []
    for quantity in claim.quantities:
        if quantity.noun == "people" or "vague" in quantity.qualifier:
            continue  # "five people" may be the dead or the hurt; "several" is not a figure
        rivals = [q for q in other.quantities if q.noun == quantity.noun and "vague" not in q.qualifier]
        if not rivals or any(quantities_agree(quantity, q) for q in rivals):
            continue
        if any(quantities_agree(quantity, q) for c in related for q in c.quantities if q.noun == quantity.noun):
            continue  # the source states this figure in another sentence about the same thing
        found.append((quantity, min(rivals, key=lambda q: abs(q.value - quantity.value))))
    return found


def _same_level(first: PlaceMention, second: PlaceMention) -> bool:
    return (first.place.kind == "country") == (second.place.kind == "country")


def _place_disagreements(claim: Claim, other: Claim, source: ArticleFacts) -> list[_Disagreement]:
    """A place the source never names, where the aligned source claim names another of the same level."""
    found = []
    for mention in claim.places:
        if any(places_compatible(mention.place, p.place) for p in source.places):
            continue
        rivals = [p for p in other.places if _same_level(p, mention) and not places_compatible(p.place, mention.place)]
        if rivals:
            rival = rivals[0]
            found.append(_Disagreement(
                "place", mention.text, rival.text,
                f"this article says {mention.text} ({mention.place.country}); "
                f"{_label(source.article)} says {rival.text} ({rival.place.country})"))
    return found


def _claimed_country_disagreements(claim: Claim, source: ArticleFacts) -> list[_Disagreement]:
    """The same place attributed to a different country in the source: "Russia's Sumy" vs "Ukraine's Sumy"."""
    found = []
    for mention in claim.places:
        if not mention.claimed_country:
            continue
        for other, other_claim in source.claimed:
            if (other.place.name == mention.place.name and other.claimed_country != mention.claimed_country
                    and geography_problem(other) is None):  # when the source is the wrong one, it is its error
                found.append(_Disagreement(
                    "place", mention.attribution, other.attribution,
                    f"this article says '{mention.attribution}'; {_label(source.article)} says "
                    f"'{other.attribution}'", other_claim.sentence))
                break
    return found


def _date_disagreements(claim: Claim, other: Claim, source: ArticleFacts, related: list[Claim]) -> list[_Disagreement]:
    found = []
    for mention in claim.dates:
        compared = [(d, dates_agree(mention, d)) for d in other.dates]
        compared = [(d, same) for d, same in compared if same is not None]
        if not compared or any(same for _, same in compared):
            continue
        if any(dates_agree(mention, d) for c in related for d in c.dates):
            continue  # the source gives this date in another sentence about the same thing
        rival = compared[0][0]
        found.append(_Disagreement("date", mention.text, rival.text,
                                   f"this article dates it {mention.text} ({mention.key}); "
                                   f"{_label(source.article)} says {rival.text} ({rival.key})"))
    return found


def _is_named_person(actor: Actor) -> bool:
    return actor.kind == "person" and len(actor.tokens) >= 2


def _actor_disagreements(claim: Claim, other: Claim, source: ArticleFacts, score: float) -> list[_Disagreement]:
    found = []
    mine = frozenset(t for a in claim.actors for t in a.tokens)
    for actor in claim.actors:
        if actor.kind != "person" or actor.surname in source.actor_tokens:
            continue
        same_role = [b for b in other.actors if actor.role and b.role == actor.role and b.kind == "person"]
        substituted = [b for b in other.actors if _is_named_person(b) and b.surname not in mine]
        rivals = same_role or (substituted if score >= SUBSTITUTION_MIN and _is_named_person(actor) else [])
        if rivals:
            role = f" as {actor.role}" if actor.role and same_role else ""
            found.append(_Disagreement("actor", actor.name, rivals[0].name,
                                       f"this article names {actor.name}{role}; "
                                       f"{_label(source.article)} names {rivals[0].name}"))
    return found


def _unstated(claim: Claim, source: ArticleFacts) -> list[str]:
    """Numbers, places and named people of the claim that the source states nowhere."""
    missing = [q.text for q in claim.quantities
               if not any(quantities_agree(q, other) for other in source.quantities.get(q.noun, ()))]
    missing += [p.text for p in claim.places if p.place.kind != "country"
                and not any(places_compatible(p.place, other.place) for other in source.places)]
    missing += [a.name for a in claim.actors if _is_named_person(a) and a.surname not in source.actor_tokens]
    return missing


def _update(claim: Claim, quantity: Quantity, target: Article, other: Claim, rival: Quantity,
            source: Article) -> Update | None:
    """An update, when the higher figure is the later report or says it rose; None otherwise."""
    mine_higher = quantity.value > rival.value
    higher, lower = ((target, claim, quantity), (source, other, rival))[:: 1 if mine_higher else -1]
    later_published = (higher[0].published_at is not None and lower[0].published_at is not None
                       and higher[0].published_at > lower[0].published_at)
    if not later_published and not _UPDATE_WORDS_RE.search(higher[1].text):
        return None

    def side(entry: tuple) -> dict:
        article, side_claim, side_quantity = entry
        published = article.published_at.isoformat() if article.published_at else None
        return {"article": article.id, "value": side_quantity.value, "text": side_quantity.text,
                "sentence": side_claim.sentence, "published_at": published}

    return Update(claim.sentence, target.id, other.sentence, source.id, quantity.noun, side(lower), side(higher),
                  f"'{lower[2].text}' ({_label(lower[0])}) was updated to '{higher[2].text}' ({_label(higher[0])})")


@dataclass
class _PairOutcome:
    evidence: Evidence
    disagreements: list[_Disagreement]
    updates: list[Update]


def _compare(claim: Claim, target: ArticleFacts, other: Claim, source: ArticleFacts, score: float,
             related: list[Claim]) -> _PairOutcome:
    """Slot-by-slot comparison of one aligned pair of claims; ``related``: the source's claims aligned with it."""
    disagreements, updates = [], []
    for quantity, rival in (_number_disagreements(claim, other, related) if score >= SLOT_ALIGN_MIN else []):
        update = _update(claim, quantity, target.article, other, rival, source.article)
        if update is not None:
            updates.append(update)
        else:
            disagreements.append(_Disagreement(
                "number", quantity.text, rival.text,
                f"this article says '{quantity.text}'; {_label(source.article)} says '{rival.text}'"))
    if score >= SUBSTITUTION_MIN:
        disagreements += _place_disagreements(claim, other, source)
    if score >= SLOT_ALIGN_MIN:
        disagreements += _date_disagreements(claim, other, source, related)
    disagreements += _actor_disagreements(claim, other, source, score)
    updated = {u.earlier["text"] for u in updates} | {u.later["text"] for u in updates}
    unstated = [value for value in _unstated(claim, source) if value not in updated]
    agrees = not disagreements and not unstated and score >= CORROBORATE_MIN
    if disagreements:
        detail = "; ".join(d.explanation for d in disagreements)
    elif updates:
        detail = "; ".join(u.explanation for u in updates)
    elif unstated:
        detail = "the source does not state: " + ", ".join(unstated)
    else:
        detail = "states the same" if agrees else "related, below the corroboration threshold"
    return _PairOutcome(Evidence(source.article.id, other.sentence, score, agrees, detail), disagreements, updates)


def _geography_conflicts(claim: Claim, article_id: str) -> list[Conflict]:
    conflicts = []
    for mention in claim.places:
        problem = geography_problem(mention)
        if problem:
            fact = f"gazetteer: {mention.place.name} is a {mention.place.kind} of {mention.place.country}"
            conflicts.append(Conflict("geography", claim.sentence, fact, "gazetteer", problem, article_id,
                                      mention.attribution, mention.place.country))
    return conflicts


def _conflict(claim: Claim, disagreement: _Disagreement, source_id: str, sentence: str, score: float) -> Conflict:
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


def _aligned_by_source(scores: dict[int, float], indexed: list[Claim]) -> dict[str, list[tuple[Claim, float]]]:
    grouped: dict[str, list[tuple[Claim, float]]] = defaultdict(list)
    for position, score in sorted(scores.items(), key=lambda item: -item[1]):
        other = indexed[position]
        if score >= ALIGN_MIN and len(grouped[other.article_id]) < MAX_ALIGNED_PER_SOURCE:
            grouped[other.article_id].append((other, score))
    return grouped


def _check_claim(claim: Claim, scores: dict[int, float], target: ArticleFacts, sources: dict[str, ArticleFacts],
                 aligner: Aligner, copy_of: dict[str, str]) -> tuple[ClaimCheck, list[Conflict], list[Update]]:
    conflicts = _geography_conflicts(claim, target.article.id)
    check = ClaimCheck(claim, "unsupported")
    updates: list[Update] = []
    for source_id, source in sources.items():
        for disagreement in _claimed_country_disagreements(claim, source):
            conflicts.append(_conflict(claim, disagreement, source_id, "", 0.0))
            check.evidence.append(Evidence(source_id, disagreement.evidence_sentence, 0.0, False,
                                           disagreement.explanation))
    for source_id, aligned in _aligned_by_source(scores, aligner.indexed).items():
        related = [other for other, _ in aligned]
        for other, score in aligned:
            outcome = _compare(claim, target, other, sources[source_id], score, related)
            check.evidence.append(outcome.evidence)
            conflicts += [_conflict(claim, d, source_id, other.sentence, score) for d in outcome.disagreements]
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
                 similarity: Similarity | None) -> CheckReport:
    source_claims = [claim for facts in sources for claim in facts.claims]
    aligner = Aligner(source_claims, target.claims + source_claims, similarity)
    by_id = {facts.article.id: facts for facts in sources}
    checks, conflicts, updates = [], [], []
    for claim, scores in zip(target.claims, aligner.scores(target.claims)):
        check, claim_conflicts, claim_updates = _check_claim(claim, scores, target, by_id, aligner, copy_of)
        checks.append(check)
        conflicts += claim_conflicts
        updates += claim_updates
    return CheckReport(target.article, [facts.article for facts in sources], checks, conflicts, updates)


def check_article(target: Article, sources: list[Article], *, copy_of: dict[str, str] | None = None,
                  similarity: Similarity | None = None) -> CheckReport:
    """Check every claim of ``target`` against ``sources`` (see the module docstring for the steps).

    ``copy_of`` maps an article id to the id of the original it copies, so that a
    repost and its original count as one source. ``similarity(target_texts,
    source_texts)`` returns a matrix of scores in [0, 1]; the default is lexical.
    """
    others = [source for source in sources if source.id != target.id]
    return check_facts(article_facts(target), [article_facts(source) for source in others],
                        copy_of or {}, similarity)


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
    return bool(claim.quantities or claim.places or claim.dates or any(_is_named_person(a) for a in claim.actors))


def crosscheck_story(articles: list[Article], copy_of: dict[str, str]) -> StoryCheck:
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
        report = check_facts(target, [f for f in facts if f is not target], copy_of, None)
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
