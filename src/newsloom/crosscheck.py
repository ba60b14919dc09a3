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
   and anchored: the two values stand between the same words ("in the Gulf
   of X"), the two claims are each other's best match (and name the same
   place or day when only loosely similar), or two names differ in one word. A conflict from such a weak
   pair also needs the rival value stated by ``CONSENSUS_SOURCES`` sources (when the story has more than
   that; against two sources one suffices, except for names: ``_witnesses_needed``).
   Some values need no anchoring: a well-known place in a region none of
   the sources names, a day none of them names (told with the same verb),
   and a person whose first name the sources give with another surname
   (``namesake_disagreements``, found anywhere in the sources), or a name
   the sources write with one other word (``renamed_disagreements``; both in
   ``crosscheck_namesakes``). A value
   no source states anywhere (a well-known place foreign to the story, a day,
   a figure) is also checked against every related source claim, not only the
   best few (``crosscheck_context``'s orphan rules; a year even against a barely
   related claim when the same full name stands next to both years, and a day whatever the verbs
   when the same person or body stands just before both days: ``same_subject``; the day of the lead
   against the day of the sources' leads: ``lead_day_rivals``), when the article does not state the rival.
   Figures of two differently named subjects, a part ("another 2,000") against a total, one thing against
   many ("one punch" / "178 punches": ``one_of_many``), two lines of figures sharing no
   other figure ("13 homers in 54 games" / "33 homers in 157 games"), measures
   of different things ("11-game win streak" / "three-game losing streak") and
   figures given for two different days are never compared; nor two lengths of time close enough
   to be one span counted apart ("four weeks" / "three weeks": ``rounded_spans``), nor consecutive
   days told late and early ("late Tuesday" / "early Wednesday": ``across_midnight``). A headline
   conflict the body repeats is reported once, from the body. The dates of
   a clause are also compared with a source sentence that another clause of
   the same sentence restates (``clause_date_disagreements``): splitting a
   sentence must not hide its day from its counterpart.
   No conflict when a source sentence at least as related states the
   claim's value (a year does not state a day), or (numbers, places, names) any source states it anywhere:
   the disagreement is then between the sources and is reported from the
   side nobody supports -- unless the two claims are one statement told twice
   (``RESTATED_MIN``). Hedged numbers are intervals ("at least a dozen"
   agrees with "12"), and a hedge that fits both figures ("more than 200"
   against 212 and 221) supports neither; an open bound states only a figure
   close to it ("at least three" does not state seven). A higher toll (dead, injured,
   evacuated...) in the later article, or a figure written after "rose
   to"/"now", is an update; other counts do not grow by themselves.
4. Geography, which needs no source: a place attributed to a country the
   gazetteer does not put it in ("Russia's Sumy region").
5. Verdict per claim: geography > conflicting > corroborated (an aligned
   source claim above ``crosscheck_compare.CORROBORATE_MIN`` that states every number, place
   and person of the claim; reposts count once via ``copy_of``) >
   unsupported. Whether a source states a claim is decided by the
   digest's matcher too (``support.stating_evidence``): a source the claim
   conflicts with, or that puts one of its places in another country, never
   corroborates it, nor is it listed among a story agreement's articles.

``crosscheck_story`` runs the same comparison between the articles of a
story (one per original, at most ``MAX_STORY_ARTICLES`` articles and
``MAX_CLAIMS_PER_ARTICLE`` claims each) and lists agreements, conflicts,
single-source facts and updates.

This module must not extract article text, store anything or call spaCy;
every verdict keeps its evidence (both sentences, slot values, scores).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsloom.crosscheck_align import (ALIGN_MIN, MAX_ALIGNED_PER_SOURCE, MAX_CLAIMS_PER_ARTICLE,  # noqa: F401
                                       MAX_STORY_ARTICLES, SEMANTIC_ALIGN_FLOOR,  # noqa: F401
                                       Aligner, Similarity, root_of)
from newsloom.crosscheck_compare import (BARE_NOUNS, NUMBER_ALIGN_MIN, SAME_EVENT_ALIGN_MIN, ArticleFacts,
                                         Disagreement, Evidence, Update, all_but_one_of, article_facts, article_states,
                                         clause_date_disagreements,
                                         claimed_country_disagreements, compare, is_named_person, label,
                                         elsewhere, same_person_age, states_in, states_place_itself, written)
from newsloom.crosscheck_context import (LEAD_DAY_SOURCES, ORPHAN_DATE_NAMED_ALIGN_MIN, ORPHAN_NUMBER_ALIGN_MIN,
                                         lead_day_rivals,
                                         orphan_date_rivals, orphan_number_rivals, orphan_place_align_min,
                                         orphan_place_rivals, other_of_its_kind, story_regions)
from newsloom.crosscheck_namesakes import (NAMESAKE_ALIGN_MIN, NAMESAKE_ARTICLE_ALIGN_MIN,  # noqa: F401
                                           NAMESAKE_SOURCES, namesake_disagreements, renamed_disagreements)
from newsloom.crosscheck_updates import walked_back
from newsloom.nlp.numbers import dates_agree
from newsloom.models import Article
from newsloom.nlp.claims import Claim
from newsloom.nlp.places import geography_problem, placed, places_compatible
from newsloom.support import aligned_by_source, stating_evidence, story_originals

__all__ = ["ArticleFacts", "CheckReport", "ClaimCheck", "Conflict", "Evidence", "StoryCheck", "Update",
           "article_facts", "check_article", "check_facts", "crosscheck_story", "root_of", "semantic_alignment"]

SUPPORT_MIN = 0.4  # a source sentence this related that states the claim's value supports it
CONSENSUS_SOURCES = 2  # a weakly aligned rival value must be stated by this many sources (``_witnesses_needed``)
RESTATED_MIN = 0.7  # a pair this similar is one statement told twice (topics 1-22: 0.5 and 0.6 added alarms)
# ALIGN_MIN, MAX_ALIGNED_PER_SOURCE, MAX_STORY_ARTICLES, MAX_CLAIMS_PER_ARTICLE, SEMANTIC_ALIGN_FLOOR,
# Aligner, Similarity and root_of live in crosscheck_align.py (shared with support.py) and are importable from here.


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
    agreeing: dict[str, Evidence] = field(default_factory=dict)  # source id -> its best evidence stating the claim

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


def _best_matches(rows: list[dict[int, float]]) -> dict[int, int]:
    """Source claim position -> the index of the target claim it is most similar to."""
    best: dict[int, tuple[float, int]] = {}
    for index, row in enumerate(rows):
        for position, score in row.items():
            if score > best.get(position, (0.0, -1))[0]:
                best[position] = (score, index)
    return {position: index for position, (_, index) in best.items()}


def _stands(disagreement: Disagreement, score: float, supporting: list[tuple[Claim, float]],
            sources: dict[str, ArticleFacts], copy_of: dict[str, str]) -> bool:
    """Whether a disagreement found in one aligned pair (at ``score``) survives what the other sources state.

    Not when a source sentence at least as related (or above ``SUPPORT_MIN``)
    states the claim's value, nor (numbers, places, names) when any source
    states it anywhere: the claim is then one side of a disagreement between
    the sources themselves -- unless the pair is a restatement (at
    ``RESTATED_MIN`` or above: "flew from his Idaho home to Las Vegas on
    Tuesday and met Boras" / "... from his Arizona home ..."), where a value
    written elsewhere, about something else, excuses nothing. A weakly aligned
    pair also needs the rival value confirmed by ``CONSENSUS_SOURCES``
    independent sources (when there are).
    """
    if states_in([claim for claim, other in supporting if other >= min(score, SUPPORT_MIN)], disagreement):
        return False
    if disagreement.kind == "place":
        stated = any(states_place_itself(s, disagreement.slot) for s in sources.values()) or (
            not other_of_its_kind(disagreement.slot, disagreement.rival)
            and any(article_states(s, disagreement.slot) for s in sources.values()))
    else:
        stated = disagreement.kind != "date" and any(
            article_states(s, disagreement.slot, disagreement.rival) for s in sources.values())
    if stated and score < RESTATED_MIN:
        return False
    if disagreement.weak and disagreement.rival is not None:
        needed = _witnesses_needed(disagreement.kind, len({root_of(source_id, copy_of) for source_id in sources}))
        confirming = {root_of(source_id, copy_of) for source_id, source in sources.items()
                      if article_states(source, disagreement.rival)}
        return len(confirming) >= needed
    return True


def _witnesses_needed(kind: str, sources: int) -> int:
    """How many independent sources must state the rival of a weakly aligned disagreement.

    ``CONSENSUS_SOURCES`` when the story has more sources than that: every extra source brings more loosely
    related sentence pairs in which another figure, day or place turns up by chance. Against only two sources,
    one witness suffices for a figure, a day or a place: the other outlet is most often silent on the detail
    rather than in agreement (one stating the claim's own figure or place anywhere, or its day in a sentence as
    related, already cancels the disagreement), and demanding both hides most substitutions. Not for names:
    two outlets quoting different officials in loosely related sentences is ordinary reporting, not a
    contradiction (NeuS val: 15 new alarms for 10 catches). Chosen on NeuS val and ECB+ topics 1-22. The count
    is ``all_but_one_of``, as for a namesake (``crosscheck_namesakes``).
    """
    if kind == "actor":
        return min(CONSENSUS_SOURCES, sources)
    return all_but_one_of(sources, CONSENSUS_SOURCES)


def _check_claim(claim: Claim, scores: dict[int, float], target: ArticleFacts, sources: dict[str, ArticleFacts],
                 aligner: Aligner, copy_of: dict[str, str], cosines: dict[int, float] | None = None,
                 mutual: frozenset[int] = frozenset(),
                 regions: frozenset[str] | None = None) -> tuple[ClaimCheck, list[Conflict], list[Update]]:
    conflicts = _geography_conflicts(claim, target.article.id)
    check = ClaimCheck(claim, "unsupported")
    updates: list[Update] = []
    for source_id, source in sources.items():
        for disagreement in claimed_country_disagreements(claim, source):
            conflicts.append(_conflict(claim, disagreement, source_id, "", 0.0))
            check.evidence.append(Evidence(source_id, disagreement.evidence_sentence, 0.0, False,
                                           disagreement.explanation))
    supporting = [(aligner.indexed[position], score) for position, score in scores.items() if score >= ALIGN_MIN]
    compared: dict[str, list[Evidence]] = {}
    unstated_dates = frozenset(index for index, mention in enumerate(claim.dates) if mention.granularity != "year"
                               and not any(article_states(source, mention) for source in sources.values()))
    for source_id, aligned in aligned_by_source(scores, aligner.indexed).items():
        compared[source_id] = []
        for position, other, score in aligned:
            outcome = compare(claim, target, other, sources[source_id], score, mutual=position in mutual,
                              regions=regions, unstated_dates=unstated_dates)
            if cosines:
                outcome.evidence.semantic = cosines.get(position)
            check.evidence.append(outcome.evidence)
            compared[source_id].append(outcome.evidence)
            conflicts += [_conflict(claim, d, source_id, other.sentence, score) for d in outcome.disagreements
                          if _stands(d, score, supporting, sources, copy_of)]
            updates += outcome.updates
    if not any(c.kind == "actor" for c in conflicts):
        by_sentence = {}
        for position, score in scores.items():
            sentence = aligner.indexed[position].sentence
            by_sentence[sentence] = max(by_sentence.get(sentence, 0.0), score)
        found = namesake_disagreements(claim, list(sources.values()), by_sentence)
        for source_id, disagreement in found or renamed_disagreements(
                claim, list(sources.values()), by_sentence, target.article.title + "\n" + target.article.text):
            conflicts.append(_conflict(claim, disagreement, source_id, "", by_sentence.get(
                disagreement.evidence_sentence, 0.0)))
    if not any(c.kind == "date" for c in conflicts):
        conflicts += _orphan_date_conflicts(claim, target, sources, scores, aligner, copy_of)
    if not any(c.kind == "number" for c in conflicts) and not updates:
        conflicts += _orphan_number_conflicts(claim, target, sources, scores, aligner, supporting, copy_of)
    if not any(c.kind in ("place", "geography") for c in conflicts):
        conflicts += _orphan_place_conflicts(claim, sources, scores, aligner, regions)
    check.agreeing = _stating_sources(claim, sources, compared, conflicts)
    independent = {root_of(source_id, copy_of) for source_id in check.agreeing} - {root_of(target.article.id, copy_of)}
    check.independent_sources = len(independent)
    if any(c.kind == "geography" for c in conflicts):
        check.verdict = "geography"
    elif conflicts:
        check.verdict = "conflicting"
    elif independent:
        check.verdict = "corroborated"
    return check, _unique(conflicts), updates


def _orphan_date_conflicts(claim: Claim, target: ArticleFacts, sources: dict[str, ArticleFacts],
                           scores: dict[int, float], aligner: Aligner, copy_of: dict[str, str]) -> list[Conflict]:
    """A day no source names, against the day a related source claim gives the same event
    (``orphan_date_rivals``; any related claim counts, not only the best few of each source), or the day the
    leads of the sources give to the news of the article's lead (``lead_day_rivals``)."""
    if not claim.dates:
        return []
    candidates = [(aligner.indexed[position], score) for position, score in scores.items()
                  if score >= ORPHAN_DATE_NAMED_ALIGN_MIN and aligner.indexed[position].dates]
    rivals = orphan_date_rivals(claim, target.dates, candidates,
                                lambda mention: any(article_states(s, mention) for s in sources.values()),
                                dates_agree)
    if not rivals:  # the lead's day against the day of the sources' leads
        score_of = {id(aligner.indexed[position]): score for position, score in scores.items()}
        by_root: dict[str, list[ArticleFacts]] = {}
        for source_id, facts in sources.items():
            by_root.setdefault(root_of(source_id, copy_of), []).append(facts)
        rivals = lead_day_rivals(claim, target, by_root, lambda other: score_of.get(id(other), 0.0),
                                 lambda mention: any(article_states(s, mention) for s in sources.values()),
                                 dates_agree, all_but_one_of(len(by_root), LEAD_DAY_SOURCES))
    return _first_rival_conflict(claim, rivals, sources, "date", lambda mention, rival, who: (
        f"this article dates it {mention.text} ({mention.key}); {who} says {rival.text} ({rival.key}) "
        "for the same event"))


def _orphan_number_conflicts(claim: Claim, target: ArticleFacts, sources: dict[str, ArticleFacts],
                             scores: dict[int, float], aligner: Aligner, supporting: list[tuple[Claim, float]],
                             copy_of: dict[str, str]) -> list[Conflict]:
    """A figure no source gives, against a figure for the same noun in a related source claim that the article
    gives nowhere (``orphan_number_rivals``); any related claim counts, not only the best few of each source.
    Below ``NUMBER_ALIGN_MIN`` the rival figure needs ``CONSENSUS_SOURCES`` sources, as in ``_stands``."""
    if not claim.quantities:
        return []
    candidates = [(aligner.indexed[position], score) for position, score in scores.items()
                  if score >= ORPHAN_NUMBER_ALIGN_MIN and aligner.indexed[position].quantities]
    candidates = [(other, score) for other, score in candidates if not elsewhere(claim, other)]
    own = [q for c in target.claims for q in c.quantities]
    rivals = orphan_number_rivals(claim, own, candidates,
                                  lambda quantity, rival: any(article_states(s, quantity, rival)
                                                              for s in sources.values()),
                                  written)
    for quantity, rival, other, score in rivals:
        if score < NUMBER_ALIGN_MIN and quantity.noun in BARE_NOUNS:
            continue
        if not same_person_age((claim.text, quantity.start, quantity.end), (other.text, rival.start, rival.end),
                               quantity.noun):
            continue
        source = sources[other.article_id]
        disagreement = Disagreement("number", quantity.text, rival.text,
                                    f"this article says '{quantity.text}', a figure no source gives; "
                                    f"{label(source.article)} says '{rival.text}'", slot=quantity, rival=rival,
                                    weak=score < NUMBER_ALIGN_MIN)
        if _stands(disagreement, score, supporting, sources, copy_of):
            return [_conflict(claim, disagreement, other.article_id, other.sentence, score)]
    return []


def _orphan_place_conflicts(claim: Claim, sources: dict[str, ArticleFacts], scores: dict[int, float],
                            aligner: Aligner, regions: frozenset[str] | None) -> list[Conflict]:
    """A well-known place foreign to the story that no source names, against the place a related source claim
    names (``orphan_place_rivals``); any related claim counts, not only the best few of each source."""
    if not claim.places:
        return []
    if max(scores.values(), default=0.0) < orphan_place_align_min(claim):
        return []
    candidates = [(aligner.indexed[position], score) for position, score in scores.items()
                  if aligner.indexed[position].places]
    rivals = orphan_place_rivals(claim, candidates, regions,
                                 lambda mention: any(article_states(s, mention) for s in sources.values()),
                                 places_compatible)
    return _first_rival_conflict(claim, rivals, sources, "place", lambda mention, rival, who: (
        f"this article says {placed(mention)}, a place no source names; {who} says {placed(rival)}"))


def _first_rival_conflict(claim: Claim, rivals: list, sources: dict[str, ArticleFacts], kind: str,
                          explain) -> list[Conflict]:
    """The conflict with the best (mention, rival, source claim, score) of ``rivals``, explained by
    ``explain(mention, rival, source label)``; [] without rivals."""
    if not rivals:
        return []
    mention, rival, other, score = rivals[0]
    why = explain(mention, rival, label(sources[other.article_id].article))
    disagreement = Disagreement(kind, mention.text, rival.text, why, slot=mention, rival=rival)
    return [_conflict(claim, disagreement, other.article_id, other.sentence, score)]


def _stating_sources(claim: Claim, sources: dict[str, ArticleFacts], compared: dict[str, list[Evidence]],
                     conflicts: list[Conflict]) -> dict[str, Evidence]:
    """Source id -> its best evidence stating ``claim``, by the digest's rule (``support.stating_evidence``).

    A source the claim conflicts with states nothing: its pairs that agree on
    their own are marked as not agreeing, so the evidence says why.
    """
    disputing = frozenset(conflict.source for conflict in conflicts)
    stating = {}
    for source_id, evidence in compared.items():
        best = stating_evidence(claim, sources[source_id], evidence, disputing)
        if best is not None:
            stating[source_id] = best
            continue
        for disputed in (e for e in evidence if e.agrees):
            disputed.agrees = False
            disputed.detail = "states the same here, but this source disputes the claim"
    return stating


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
    rows, cosine_rows = aligner.score_rows(target.claims)
    best_match = _best_matches(rows)
    regions = story_regions(sources)
    clauses_of: dict[str, list[int]] = {}  # sentence -> the positions of its clauses in target.claims
    for index, claim in enumerate(target.claims):
        clauses_of.setdefault(claim.sentence, []).append(index)
    for index, (claim, scores, cosines) in enumerate(zip(target.claims, rows, cosine_rows)):
        mutual = frozenset(position for position in scores if best_match.get(position) == index)
        check, claim_conflicts, claim_updates = _check_claim(claim, scores, target, by_id, aligner, copy_of,
                                                             cosines, mutual, regions)
        if claim.dates and not any(c.kind == "date" for c in claim_conflicts):
            clause_conflicts = _clause_date_conflicts(index, clauses_of[claim.sentence], rows, target, by_id,
                                                      aligner, copy_of)
            _disputed_by(check, clause_conflicts, copy_of, target.article.id)
            claim_conflicts += clause_conflicts
        checks.append(check)
        conflicts += claim_conflicts
        updates += claim_updates
    return CheckReport(target.article, [facts.article for facts in sources], checks,
                       _without_headline_repeats(conflicts, target.article.title.strip()), updates)


def _clause_date_conflicts(index: int, clauses: list[int], rows: list[dict[int, float]], target: ArticleFacts,
                           sources: dict[str, ArticleFacts], aligner: Aligner, copy_of: dict[str, str]) -> list[Conflict]:
    """The first date conflict of a clause against a source sentence that another clause of the same sentence
    (``clauses``: positions in ``target.claims``) restates (``clause_date_disagreements``), scored by that
    clause's alignment; [] when there is none."""
    claim, scores = target.claims[index], rows[index]
    borrowed: dict[int, float] = {}
    for other_index in clauses:
        if other_index == index:
            continue
        for position, score in rows[other_index].items():
            if score >= SAME_EVENT_ALIGN_MIN and score > max(scores.get(position, 0.0), borrowed.get(position, 0.0)):
                borrowed[position] = score
    if not borrowed:
        return []
    supporting = [(aligner.indexed[position], score) for position, score in scores.items() if score >= ALIGN_MIN]
    for source_id, aligned in aligned_by_source(borrowed, aligner.indexed).items():
        for _, other, score in aligned:
            for disagreement in clause_date_disagreements(claim, target, other, sources[source_id], score):
                if _stands(disagreement, score, supporting, sources, copy_of):
                    return [_conflict(claim, disagreement, source_id, other.sentence, score)]
    return []


def _disputed_by(check: ClaimCheck, conflicts: list[Conflict], copy_of: dict[str, str], target_id: str) -> None:
    """A claim found conflicting after its verdict: the disputing sources no longer state it."""
    if not conflicts:
        return
    for conflict in conflicts:
        check.agreeing.pop(conflict.source, None)
    independent = {root_of(source_id, copy_of) for source_id in check.agreeing} - {root_of(target_id, copy_of)}
    check.independent_sources = len(independent)
    if check.verdict != "geography":
        check.verdict = "conflicting"


def _without_headline_repeats(conflicts: list[Conflict], title: str) -> list[Conflict]:
    """A headline conflict the body repeats against the same source sentence is reported once, from the body
    ("Fire kills 12" and "The fire killed 12 people", both against "14 people were killed")."""
    in_body = {(c.kind, c.evidence) for c in conflicts if c.claim != title}
    return [c for c in conflicts if c.claim != title or (c.kind, c.evidence) not in in_body]


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


def semantic_alignment(settings, embedder=None) -> Similarity | None:
    """The sentence-cosine function ``crosscheck_semantic`` asks for, or None (off, or no extra installed)."""
    if not settings.crosscheck_semantic:
        return None
    from newsloom.nlp.embeddings import embedder_for

    embedder = embedder or embedder_for(settings.embedding_model, backend=settings.embedding_backend)
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


def _has_slots(claim: Claim) -> bool:
    return bool(claim.quantities or claim.places or claim.dates or any(is_named_person(a) for a in claim.actors))


def crosscheck_story(articles: list[Article], copy_of: dict[str, str],
                     semantic: Similarity | None = None) -> StoryCheck:
    """Agreements, conflicts, single-source facts and updates between a story's articles.

    Each original is checked against the others once; a conflict found from
    both sides is listed once. ``single_source`` lists claims with a number,
    place, date or named person that no other original states.
    """
    facts = [article_facts(a, max_claims=MAX_CLAIMS_PER_ARTICLE) for a in story_originals(articles, copy_of)]
    agreements, single_source, conflicts, updates = [], [], [], []
    covered: set[str] = set()
    for target in facts:
        report = check_facts(target, [f for f in facts if f is not target], copy_of, None, semantic)
        for check in report.claims:
            _record_claim(check, covered, agreements, single_source)
        conflicts += report.conflicts
        updates += [u for u in report.updates if u.claim_article == target.article.id
                    and not any(u.evidence == seen.claim and u.claim == seen.evidence for seen in updates)]
    updates, walked_back_conflicts = _split_walked_back(updates, facts)
    return StoryCheck(agreements, _once_from_either_side(conflicts + walked_back_conflicts), single_source, updates)


def _once_from_either_side(conflicts: list[Conflict]) -> list[Conflict]:
    """Each conflict once, in order: found from both articles, its claim and evidence are swapped."""
    seen, kept = set(), []
    for conflict in conflicts:
        key = frozenset((conflict.kind, conflict.claim, conflict.evidence))
        if key not in seen:
            seen.add(key)
            kept.append(conflict)
    return kept


def _split_walked_back(updates: list[Update], facts: list[ArticleFacts]) -> tuple[list[Update], list[Conflict]]:
    """Updates that stand, and conflicts for those a later report walked back (``walked_back``)."""
    standing, conflicts = [], []
    for update in updates:
        found = walked_back(update, facts)
        if found is None:
            standing.append(update)
            continue
        later, claim, quantity = found
        conflicts.append(Conflict(
            "number", update.later["sentence"], claim.sentence, later.article.id,
            f"this article says '{update.later['text']}'; {label(later.article)}, reporting later, "
            f"still says '{quantity.text}'", update.later["article"], update.later["text"], quantity.text))
    return standing, conflicts


def _record_claim(check: ClaimCheck, covered: set[str], agreements: list[dict], single_source: list[dict]) -> None:
    claim = check.claim
    agreeing = [e for e in check.evidence if e.agrees and e.source in check.agreeing]  # never a disputing source
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
