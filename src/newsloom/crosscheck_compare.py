"""Slot comparison for the cross-check: what one article states, and how one aligned pair of claims differs.

``article_facts`` indexes what an article states anywhere (figures by noun,
places, dates, the words of its names), so that a value is compared with
the whole source, not one sentence. ``compare`` takes one target claim and
one aligned source claim (with the other clauses of the source sentence)
and finds, kind by kind, a *substitution*: a value of the target claim that
the source states nowhere, where the aligned source sentence states another
value of the same kind that the target claim does not state:

* number: the same counted noun with a figure whose interval does not
  overlap ("12 vehicles" vs "15 vehicles"); a later, higher figure is an
  update instead;
* place: another place of the same level that is not the same location;
* date: a comparable day, weekday or year that differs;
* actor: a name whose words the source never writes (spelling variants
  such as "Wolfe"/"Wolff" count as written), against a name of the source
  sentence that the target claim does not name.

Each kind has its own alignment threshold; below it, a pair of values is
still compared when the claims are related (``LOCAL_ALIGN_MIN``) and the two
values stand between the same words (``same_surroundings``). Thresholds
were chosen on ECB+ topics 1-22 only.
This module must not extract text, call spaCy or decide verdicts; it
returns disagreements and evidence, and ``crosscheck.py`` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newsloom.models import Article
from newsloom.nlp.claims import Actor, Claim, extract_claims
from newsloom.nlp.numbers import DateMention, Quantity, dates_agree, quantities_agree
from newsloom.nlp.places import PlaceMention, geography_problem, places_compatible
from newsloom.nlp.text import STOPWORDS

NUMBER_ALIGN_MIN = 0.4  # a different figure for the same noun in claims this similar is a conflict
DATE_ALIGN_MIN = 0.4
PLACE_ALIGN_MIN = 0.4
ACTOR_ALIGN_MIN = 0.4
LOCAL_ALIGN_MIN = 0.15  # ... or this similar, when the words around the two values are the same
CORROBORATE_MIN = 0.4  # a source claim states the same thing
SPELLING_MIN = 0.8  # two name words this alike (difflib ratio) are one name spelt two ways
_CAPITALISED_RE = re.compile(r"\b[A-Z][A-Za-z’'-]+")
_UPDATE_WORDS_RE = re.compile(r"\b(rose|risen|rises|climbed|climbs|jumped|increased|now|updated|revised|"
                              r"has reached|have reached|so far)\b", re.IGNORECASE)


@dataclass
class ArticleFacts:
    """An article's claims and the values it states anywhere."""

    article: Article
    claims: list[Claim]
    quantities: dict[str, list[Quantity]] = field(default_factory=dict)  # noun -> quantities
    figures: frozenset[float] = frozenset()  # every figure, whatever its noun
    places: list[PlaceMention] = field(default_factory=list)
    claimed: list[tuple[PlaceMention, Claim]] = field(default_factory=list)  # places with a claimed country
    name_words: frozenset[str] = frozenset()  # lower-cased capitalised words of title and text
    dates: list[DateMention] = field(default_factory=list)
    by_sentence: dict[str, list[Claim]] = field(default_factory=dict)  # sentence -> its clauses

    def states_name_word(self, word: str) -> bool:
        """Whether the article writes this name word, or one spelt almost the same."""
        return written(word, self.name_words)


def written(word: str, words: frozenset[str]) -> bool:
    """``word`` is in ``words``, or spelt almost the same ("Wolfe"/"Wolff", "Advisors"/"Advisers")."""
    if word in words:
        return True
    return any(other[:1] == word[:1] and SequenceMatcher(None, word, other).ratio() >= SPELLING_MIN
               for other in words)


def capitalised_words(text: str) -> frozenset[str]:
    """Lower-cased words of the capitalised words in text, as ``Actor.tokens`` splits them."""
    return frozenset(t for w in _CAPITALISED_RE.findall(text) for t in re.findall(r"[a-z]+", w.lower())
                     if len(t) > 1)


def article_facts(article: Article, *, max_claims: int | None = None) -> ArticleFacts:
    claims = extract_claims(article, max_claims=max_claims)
    facts = ArticleFacts(article, claims)
    for claim in claims:
        for quantity in claim.quantities:
            facts.quantities.setdefault(quantity.noun, []).append(quantity)
        facts.places.extend(claim.places)
        facts.claimed.extend((place, claim) for place in claim.places if place.claimed_country)
        facts.dates.extend(claim.dates)
        facts.by_sentence.setdefault(claim.sentence, []).append(claim)
    facts.figures = frozenset(q.value for qs in facts.quantities.values() for q in qs)
    facts.name_words = capitalised_words(article.title + "\n" + article.text)
    return facts


@dataclass
class Evidence:
    source: str  # source article id
    sentence: str
    similarity: float
    agrees: bool
    detail: str
    semantic: float | None = None  # the sentence cosine, when the alignment used embeddings

    def to_dict(self) -> dict:
        found = {"source": self.source, "sentence": self.sentence, "similarity": round(self.similarity, 3),
                 "agrees": self.agrees, "detail": self.detail}
        if self.semantic is not None:
            found["semantic"] = round(self.semantic, 3)
        return found


@dataclass
class Update:
    """A figure that changed between reports: the later, higher one is an update, not a conflict."""

    claim: str
    claim_article: str
    evidence: str
    evidence_article: str
    noun: str
    earlier: dict  # {"article", "value", "text", "sentence", "published_at"}
    later: dict
    explanation: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Disagreement:
    kind: str
    claim_value: str
    evidence_value: str
    explanation: str
    evidence_sentence: str = ""  # when not the aligned sentence (article-wide place claims)
    slot: object = None  # the claim's Quantity, PlaceMention, DateMention or Actor


@dataclass
class PairOutcome:
    evidence: Evidence
    disagreements: list[Disagreement]
    updates: list[Update]


def label(article: Article) -> str:
    return article.outlet or article.id


_WORD_RE = re.compile(r"[A-Za-z]+")
CONTEXT_WORDS = 2


def _around(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The ``CONTEXT_WORDS`` words before a value and after it, lower-cased, nearest first."""
    before = [w.lower() for w in _WORD_RE.findall(text[max(0, start - 40):start])][::-1][:CONTEXT_WORDS]
    after = [w.lower() for w in _WORD_RE.findall(text[end:end + 40])][:CONTEXT_WORDS]
    return before, after


def same_surroundings(first: tuple[str, int, int], second: tuple[str, int, int]) -> bool:
    """Two values stand between the same words: a content word on the same side, or both next words."""
    (before1, after1), (before2, after2) = _around(*first), _around(*second)
    if before1[:1] == before2[:1] and after1[:1] == after2[:1] and before1[:1] and after1[:1]:
        return True
    return any(w not in STOPWORDS and len(w) > 2 for w in (set(before1) & set(before2)) | (set(after1) & set(after2)))


def _span(text: str, value: str) -> tuple[str, int, int]:
    start = max(0, text.find(value))
    return text, start, start + len(value)


def _aligned(score: float, minimum: float, mine: tuple[str, int, int], theirs: tuple[str, int, int]) -> bool:
    """A value pair is compared when the claims are similar enough, or merely related with the same surroundings."""
    return score >= minimum or (score >= LOCAL_ALIGN_MIN and same_surroundings(mine, theirs))


# -- numbers -----------------------------------------------------------------------------------------------


def _states_figure(source: ArticleFacts, quantity: Quantity) -> bool:
    same_noun = source.quantities.get(quantity.noun, ())
    return quantity.value in source.figures or any(quantities_agree(quantity, q) for q in same_noun)


def _number_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts,
                          score: float) -> list[tuple[Quantity, Quantity]]:
    """Figures of the claim the source states nowhere, where the aligned source sentence gives another."""
    found = []
    for quantity in claim.quantities:
        if "vague" in quantity.qualifier or _states_figure(source, quantity):
            continue
        mine = (claim.text, quantity.start, quantity.end)
        rivals = [q for c in rivals_from for q in c.quantities if q.noun == quantity.noun
                  and "vague" not in q.qualifier and not quantities_agree(quantity, q)
                  and not any(quantities_agree(q, own) for own in claim.quantities if own.noun == q.noun)
                  and _aligned(score, NUMBER_ALIGN_MIN, mine, (c.text, q.start, q.end))]
        if rivals:
            found.append((quantity, min(rivals, key=lambda q: abs(q.value - quantity.value))))
    return found


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
                  f"'{lower[2].text}' ({label(lower[0])}) was updated to '{higher[2].text}' ({label(higher[0])})")


# -- places ------------------------------------------------------------------------------------------------


def _same_level(first: PlaceMention, second: PlaceMention) -> bool:
    return (first.place.kind == "country") == (second.place.kind == "country")


def _states_place(source: ArticleFacts, mention: PlaceMention) -> bool:
    return (mention.text.lower().split()[0] in source.name_words
            or any(places_compatible(mention.place, p.place) for p in source.places))


def _place_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts,
                         score: float) -> list[Disagreement]:
    """A place the source never names, where the aligned source sentence names another of the same level."""
    found = []
    for mention in claim.places:
        if _states_place(source, mention):
            continue
        mine = (claim.text, mention.start, mention.end)
        rivals = [p for c in rivals_from for p in c.places if _same_level(p, mention)
                  and not any(places_compatible(p.place, own.place) for own in claim.places)
                  and _aligned(score, PLACE_ALIGN_MIN, mine, (c.text, p.start, p.end))]
        if rivals:
            rival = rivals[0]
            found.append(Disagreement(
                "place", mention.text, rival.text,
                f"this article says {mention.text} ({mention.place.country}); "
                f"{label(source.article)} says {rival.text} ({rival.place.country})", slot=mention))
    return found


def claimed_country_disagreements(claim: Claim, source: ArticleFacts) -> list[Disagreement]:
    """The same place attributed to a different country in the source: "Russia's Sumy" vs "Ukraine's Sumy"."""
    found = []
    for mention in claim.places:
        if not mention.claimed_country:
            continue
        for other, other_claim in source.claimed:
            if (other.place.name == mention.place.name and other.claimed_country != mention.claimed_country
                    and geography_problem(other) is None):  # when the source is the wrong one, it is its error
                found.append(Disagreement(
                    "place", mention.attribution, other.attribution,
                    f"this article says '{mention.attribution}'; {label(source.article)} says "
                    f"'{other.attribution}'", other_claim.sentence))
                break
    return found


# -- dates and actors --------------------------------------------------------------------------------------


def _date_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts,
                        score: float) -> list[Disagreement]:
    found = []
    for mention in claim.dates:
        if any(dates_agree(mention, d) for d in source.dates):
            continue  # the source gives this date somewhere
        mine = (claim.text, mention.start, mention.start + len(mention.text))
        rivals = [d for c in rivals_from for d in c.dates if dates_agree(mention, d) is False
                  and not any(dates_agree(d, own) for own in claim.dates)
                  and _aligned(score, DATE_ALIGN_MIN, mine, (c.text, d.start, d.start + len(d.text)))]
        if rivals:
            rival = rivals[0]
            found.append(Disagreement("date", mention.text, rival.text,
                                      f"this article dates it {mention.text} ({mention.key}); "
                                      f"{label(source.article)} says {rival.text} ({rival.key})", slot=mention))
    return found


def is_named_person(actor: Actor) -> bool:
    return actor.kind == "person" and len(actor.tokens) >= 2


def _actor_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts,
                         score: float) -> list[Disagreement]:
    """A name whose words the source never writes, against a name of the aligned sentence the claim lacks."""
    found = []
    named_here = capitalised_words(claim.text)
    for actor in claim.actors:
        if len(actor.tokens) < 2 or all(source.states_name_word(word) for word in actor.tokens):
            continue  # one word ("Oscars", "DiLeo") is too often a short form or not a name
        mine = _span(claim.text, actor.name)
        rivals = [b for c in rivals_from for b in c.actors if b.kind == actor.kind and len(b.tokens) >= 2
                  and not all(written(word, named_here) for word in b.tokens)
                  and _aligned(score, ACTOR_ALIGN_MIN, mine, _span(c.text, b.name))]
        if rivals:
            role = f" as {actor.role}" if actor.role and actor.role == rivals[0].role else ""
            found.append(Disagreement("actor", actor.name, rivals[0].name,
                                      f"this article names {actor.name}{role}; "
                                      f"{label(source.article)} names {rivals[0].name}", slot=actor))
    return found


def states_in(claims: list[Claim], disagreement: Disagreement) -> bool:
    """Whether one of these claims states the claim's value of this disagreement."""
    slot = disagreement.slot
    if isinstance(slot, Quantity):
        return any(quantities_agree(slot, q) for c in claims for q in c.quantities if q.noun == slot.noun)
    if isinstance(slot, PlaceMention):
        return any(places_compatible(slot.place, p.place) for c in claims for p in c.places)
    if isinstance(slot, DateMention):
        return any(dates_agree(slot, d) for c in claims for d in c.dates)
    if isinstance(slot, Actor):
        words = capitalised_words(" ".join(c.text for c in claims))
        return all(written(word, words) for word in slot.tokens)
    return False


# -- one aligned pair --------------------------------------------------------------------------------------


def unstated(claim: Claim, source: ArticleFacts) -> list[str]:
    """Numbers, places and named people of the claim that the source states nowhere."""
    missing = [q.text for q in claim.quantities if not _states_figure(source, q)]
    missing += [p.text for p in claim.places if p.place.kind != "country" and not _states_place(source, p)]
    missing += [a.name for a in claim.actors if is_named_person(a)
                and not all(source.states_name_word(word) for word in a.tokens)]
    return missing


def _slot_disagreements(claim: Claim, target: Article, other: Claim, source: ArticleFacts, score: float,
                        rivals_from: list[Claim]) -> tuple[list[Disagreement], list[Update]]:
    disagreements, updates = [], []
    for quantity, rival in _number_disagreements(claim, rivals_from, source, score):
        update = _update(claim, quantity, target, other, rival, source.article)
        if update is not None:
            updates.append(update)
        else:
            disagreements.append(Disagreement(
                "number", quantity.text, rival.text,
                f"this article says '{quantity.text}'; {label(source.article)} says '{rival.text}'",
                slot=quantity))
    disagreements += _place_disagreements(claim, rivals_from, source, score)
    disagreements += _date_disagreements(claim, rivals_from, source, score)
    disagreements += _actor_disagreements(claim, rivals_from, source, score)
    return disagreements, updates


def compare(claim: Claim, target: ArticleFacts, other: Claim, source: ArticleFacts, score: float) -> PairOutcome:
    """Slot-by-slot comparison of one aligned pair; rivals come from every clause of the source sentence."""
    rivals_from = source.by_sentence.get(other.sentence, [other])
    disagreements, updates = _slot_disagreements(claim, target.article, other, source, score, rivals_from)
    updated = {u.earlier["text"] for u in updates} | {u.later["text"] for u in updates}
    missing = [value for value in unstated(claim, source) if value not in updated]
    agrees = not disagreements and not missing and score >= CORROBORATE_MIN
    if disagreements:
        detail = "; ".join(d.explanation for d in disagreements)
    elif updates:
        detail = "; ".join(u.explanation for u in updates)
    elif missing:
        detail = "the source does not state: " + ", ".join(missing)
    else:
        detail = "states the same" if agrees else "related, below the corroboration threshold"
    return PairOutcome(Evidence(source.article.id, other.sentence, score, agrees, detail), disagreements, updates)
