"""Slot comparison for the cross-check: what one article states, and how one aligned pair of claims differs.

``article_facts`` indexes what an article states anywhere (figures by noun,
places, dates, the words of its names), so that a value is compared with
the whole source, not one sentence. ``compare`` takes one target claim and
one aligned source claim (with the other clauses of the source sentence)
and finds, kind by kind, a *substitution*: a value of the target claim that
the source states nowhere, where the aligned source sentence states another
value of the same kind that the target claim does not state:

* number: the same counted noun with a figure whose interval does not
  overlap ("12 vehicles" vs "15 vehicles"; a sum of money that names
  nothing counts what any sum counts: ``same_count``); a later, higher toll, or a
  figure that "rose", is an update instead; not figures of clauses set in
  two different places ("In Lyon, 10,000" / "in Marseille, 20,000"), nor
  the ages of two different people, nor lines of figures over different
  spans, measures of different things or figures of different days
  (``crosscheck_context``); a source "states" a figure only with a figure
  close to it ("at least 3" does not state 7: ``gives_figure``);
* place: another place of the same level that is not the same location; a
  well-known place foreign to the whole story (``crosscheck_context``) is
  compared with any related claim, without anchoring;
* date: a comparable day or weekday, or a year against a year, that differs
  in the aligned sentence (an article names many days, so dates are
  compared in context, not article-wide), of the same event: the day
  something was said is not compared with the day of an event, and in
  loosely similar claims of an article that names other days the two
  dates' verbs must match (``crosscheck_context.same_event``);
* actor: a name whose words the source never writes (spelling variants
  such as "Wolfe"/"Wolff" count as written), against a name of the source
  sentence that the target claim does not name, in the same role.

Each kind has its own alignment threshold; below it, a pair of values is
still compared when the claims are related (``LOCAL_ALIGN_MIN``) and the two
values stand between the same words (``same_surroundings``), or the two
claims are each other's best match (above ``MUTUAL_ALIGN_MIN``, or naming
the same place or day, or -- for dates -- telling the event with the same
verb; not for names), or two names differ in one word, or -- for figures --
the words near both share two content words (``shares_nearby_words``). Such a pair is
marked ``weak`` so that ``crosscheck.py`` can ask for more sources -- except
two figures worded alike: the words around them say they are one fact.
Thresholds were chosen on ECB+ topics 1-22 only.
This module must not extract text, call spaCy or decide verdicts; it
returns disagreements and evidence, and ``crosscheck.py`` decides.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from newsloom.crosscheck_align import (LOCAL_ALIGN_MIN, _aligned, _span, same_surroundings,  # noqa: F401 (re-exported)
                                       shares_nearby_words)
from newsloom.crosscheck_names import (SPELLING_MIN, capitalised_words, is_named_person,  # noqa: F401 (re-exported)
                                       one_titled_name, one_word_apart, written, written_two_ways)
from newsloom.crosscheck_updates import Update, label, update_of  # noqa: F401 (re-exported)
from newsloom.models import Article
from newsloom.nlp.claims import Actor, Claim, extract_claims
from newsloom.nlp.numbers import (DateMention, Quantity, dates_agree, describe_apart, different_dimensions,
                                  gives_figure, one_of_many, quantities_agree, same_count, states_date)
from newsloom.crosscheck_context import (across_midnight, counts_a_part, different_days, different_scopes,
                                         different_subjects, foreign_to, other_of_its_kind,
                                         plainly_a_place, rounded_spans, said_when, same_event, same_verb)
from newsloom.nlp.places import PlaceMention, geography_problem, placed, places_compatible

NUMBER_ALIGN_MIN = 0.4  # a different figure for the same noun in claims this similar is a conflict
DATE_ALIGN_MIN = 0.4
PLACE_ALIGN_MIN = 0.4
ACTOR_ALIGN_MIN = 0.4
UNSTATED_DATE_ALIGN_MIN = 0.15  # a day no source names is compared with any claim this related (same event)
FOREIGN_PLACE_ALIGN_MIN = 0.15  # a place foreign to the story is compared with any claim this related
MUTUAL_ALIGN_MIN = 0.3  # ... or this similar, when each claim is the other's best match (not for names)
SAME_EVENT_ALIGN_MIN = 0.4  # claims this similar tell one event: their dates are compared whatever the verbs
CORROBORATE_MIN = 0.4  # a source claim states the same thing
BARE_NOUNS = frozenset({"people"})  # "two people", no role: compared only in claims above NUMBER_ALIGN_MIN


def all_but_one_of(sources: int, most: int) -> int:
    """How many of ``sources`` independent sources must write a rival value: ``most``, or all but one of
    them when there are fewer (at least one). Asking every source of two short reports to repeat a detail
    lets a changed one through whenever an outlet leaves the detail out."""
    return max(1, min(most, sources - 1))


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
    _written: dict[str, bool] = field(default_factory=dict, repr=False)  # name word -> states_name_word

    def states_name_word(self, word: str) -> bool:
        """Whether the article writes this name word, or one spelt almost the same."""
        if word not in self._written:
            self._written[word] = written(word, self.name_words)
        return self._written[word]



FACTS_CACHE_SIZE = 256
_facts_cache: OrderedDict[tuple, ArticleFacts] = OrderedDict()
_facts_cache_lock = threading.Lock()  # the web server checks stories from several threads


def article_facts(article: Article, *, max_claims: int | None = None) -> ArticleFacts:
    """The article's claims and what it states.

    Cached by everything extraction reads (the last ``FACTS_CACHE_SIZE``
    articles): a story is checked again each time it grows, and its digest
    asks about the same articles.
    """
    key = (article.id, article.title, article.text, article.published_at, article.outlet, max_claims)
    with _facts_cache_lock:
        cached = _facts_cache.get(key)
        if cached is not None:
            _facts_cache.move_to_end(key)
            return cached
    facts = _extract_facts(article, max_claims)  # outside the lock: two threads may both extract, harmlessly
    with _facts_cache_lock:
        _facts_cache[key] = facts
        while len(_facts_cache) > FACTS_CACHE_SIZE:
            _facts_cache.popitem(last=False)
    return facts


def _extract_facts(article: Article, max_claims: int | None) -> ArticleFacts:
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
class Disagreement:
    kind: str
    claim_value: str
    evidence_value: str
    explanation: str
    evidence_sentence: str = ""  # when not the aligned sentence (article-wide place claims)
    slot: object = None  # the claim's Quantity, PlaceMention, DateMention or Actor
    rival: object = None  # the source's value of the same kind
    weak: bool = False  # found below the kind's alignment threshold (anchored by context or a mutual match)


@dataclass
class PairOutcome:
    evidence: Evidence
    disagreements: list[Disagreement]
    updates: list[Update]


# -- numbers -----------------------------------------------------------------------------------------------


def _states_figure(source: ArticleFacts, quantity: Quantity) -> bool:
    same_noun = _counted_alike(source, quantity.noun)
    return quantity.value in source.figures or any(quantities_agree(quantity, q) for q in same_noun)


def _confirms(stated: Quantity, quantity: Quantity, rival: Quantity | None = None) -> bool:
    """``stated`` gives ``quantity``'s figure for its noun, and not also the ``rival`` figure.

    "Several" or "dozens" confirm no figure, "more than 200" settles
    nothing between 212 and 221, and "at least three" does not give seven.
    """
    return (same_count(stated.noun, quantity.noun) and "vague" not in stated.qualifier
            and gives_figure(stated, quantity)
            and (rival is None or not quantities_agree(rival, stated)))


def _states_counted(source: ArticleFacts, quantity: Quantity, rival: Quantity | None = None) -> bool:
    """The source gives this figure for the same noun somewhere (and not one that fits ``rival`` too)."""
    return any(_confirms(q, quantity, rival) for q in _counted_alike(source, quantity.noun))


def _counted_alike(source: ArticleFacts, noun: str) -> list[Quantity]:
    """The source's figures for this noun, and for nouns that count the same (``same_count``: sums of money)."""
    if noun[:1] != "$":
        return source.quantities.get(noun, [])
    return [q for key, found in source.quantities.items() if same_count(key, noun) for q in found]


AGE_NAME_CHARS = 30  # an age belongs to the name written this close after it ("61-year-old Sharron Smith")


def elsewhere(claim: Claim, other: Claim) -> bool:
    """The two clauses are about different places ("In Heraklion, 10,000 people" / "in Thessaloniki, where
    20,000 people"): their figures count different things."""
    mine = [p.place for p in claim.places if p.place.kind != "country"]
    theirs = [p.place for p in other.places if p.place.kind != "country"]
    return bool(mine and theirs) and not any(places_compatible(a, b) for a in mine for b in theirs)


def same_person_age(mine: tuple[str, int, int], theirs: tuple[str, int, int], noun: str) -> bool:
    """An age is compared only with the age of the same named person: "a 47-year-old man" is not the
    "38-year-old Anthony LaCalamita" of the same story."""
    if noun != "year-old":
        return True

    def names(text: str, start: int, end: int) -> frozenset[str]:
        return capitalised_words(text[end:end + AGE_NAME_CHARS])

    return bool(names(*mine) & names(*theirs))


def _number_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts, score: float,
                          mutual: bool = False) -> list[tuple[Quantity, Quantity, bool]]:
    """Figures the source never gives for their noun, where the aligned source sentence gives another:
    (figure, rival, whether the words near both are alike: ``shares_nearby_words``).

    The same figure written with another noun in the aligned sentence ("12
    killed" against "12 people died") is a noun the extraction read apart,
    not a disagreement; elsewhere in the source it is another fact.
    """
    found = []
    aligned_figures = {q.value for c in rivals_from for q in c.quantities}
    for quantity in claim.quantities:
        if "vague" in quantity.qualifier or quantity.value in aligned_figures:
            continue
        mine = (claim.text, quantity.start, quantity.end)
        rivals = [(q, c) for c in rivals_from for q in c.quantities if same_count(q.noun, quantity.noun)
                  and "vague" not in q.qualifier and not quantities_agree(quantity, q)
                  and not any(quantities_agree(q, own) for own in claim.quantities if same_count(own.noun, q.noun))
                  and _aligned(score, NUMBER_ALIGN_MIN, mine, (c.text, q.start, q.end), mutual, nearby=True)
                  and (score >= NUMBER_ALIGN_MIN or quantity.noun not in BARE_NOUNS)
                  and not elsewhere(claim, c) and not different_subjects(claim, c, written)
                  and counts_a_part(claim.text, quantity) == counts_a_part(c.text, q)
                  and not different_scopes(claim.quantities, quantity, c.quantities, q)
                  and not describe_apart(quantity, q) and not one_of_many(quantity, q)
                  and not rounded_spans(quantity, q) and not different_dimensions(claim.text, quantity, c.text, q)
                  and not different_days(claim, c, dates_agree)
                  and same_person_age(mine, (c.text, q.start, q.end), quantity.noun)]
        rival, clause = min(rivals, key=lambda pair: abs(pair[0].value - quantity.value), default=(None, None))
        if rival is not None and not _states_counted(source, quantity, rival):  # a hedge fitting both states neither
            found.append((quantity, rival, shares_nearby_words(mine, (clause.text, rival.start, rival.end))))
    return found


# -- places ------------------------------------------------------------------------------------------------


def _same_level(first: PlaceMention, second: PlaceMention) -> bool:
    """Both countries, or both below country level; a town of unknown country ("the village of Kalyvaki") is
    compared only with another such town, never with a city it may lie next to."""
    if not (first.place.country_code and second.place.country_code):
        return first.place.kind == second.place.kind == "local"
    return (first.place.kind == "country") == (second.place.kind == "country")


_PLACE_DEPTH = {"country": 0, "region": 1}  # a city or town: 2


def _states_place(source: ArticleFacts, mention: PlaceMention, itself: bool = False) -> bool:
    """The source names the place or one it may be (one containing it, inside it or near it). With ``itself``,
    not one containing it: a country does not name each of its towns ("U.S." / Valparaiso), nor a region
    each of its cities -- a rival town in an aligned sentence is then still a rival."""
    depth = _PLACE_DEPTH.get(mention.place.kind, 2) if itself else 0
    return (mention.text.lower().split()[0] in source.name_words
            or any(places_compatible(mention.place, p.place) and _PLACE_DEPTH.get(p.place.kind, 2) >= depth
                   for p in source.places))


def states_place_itself(source: ArticleFacts, mention: PlaceMention) -> bool:
    return _states_place(source, mention, itself=True)


def _place_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts, score: float,
                         mutual: bool = False, regions: frozenset[str] | None = None) -> list[Disagreement]:
    """A place the source never names, where the aligned source sentence names another of the same level.

    A place foreign to the story (``foreign_to``: "Krakow" in a story every source sets in Greece) needs no
    anchoring: any aligned source claim naming a place of the same level is its rival (weak below
    ``PLACE_ALIGN_MIN``, so the rival must then be stated by more than one source).
    """
    found = []
    most_specific = _most_specific(claim.places)
    for mention in claim.places:
        if _states_place(source, mention, itself=True):
            continue
        within = _states_place(source, mention)  # the source names only a place containing it
        mine = (claim.text, mention.start, mention.end)
        foreign = score >= FOREIGN_PLACE_ALIGN_MIN and plainly_a_place(mention) and foreign_to(mention, regions)
        rivals = [p for c in rivals_from for p in c.places if _same_level(p, mention)
                  and not any(places_compatible(p.place, own.place) for own in most_specific if _same_level(p, own))
                  and not (within and not other_of_its_kind(mention, p))
                  and (foreign and plainly_a_place(p, known=False)
                       or _aligned(score, PLACE_ALIGN_MIN, mine, (c.text, p.start, p.end), mutual))]
        if rivals:
            rival = rivals[0]
            found.append(Disagreement(
                "place", mention.text, rival.text,
                f"this article says {placed(mention)}; {label(source.article)} says {placed(rival)}", slot=mention,
                rival=rival, weak=score < PLACE_ALIGN_MIN))
    return found


def _most_specific(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """The claim's places without the regions that only say where another of them lies: in "near Wrenfield,
    Saskatchewan" the rival of Wrenfield is another town, and Saskatchewan must not vouch for it."""
    return [m for m in mentions if m.place.kind != "region"
            or not any(o.place.kind in ("city", "local") and places_compatible(m.place, o.place) for o in mentions)]


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


def _names_other_days(target: ArticleFacts, mention: DateMention, rival: DateMention) -> bool:
    """The target names a third day besides these two: it tells several events, one per day."""
    return any(d.granularity != "year" and dates_agree(d, mention) is False and dates_agree(d, rival) is False
               for d in target.dates)


def _date_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts, score: float,
                        mutual: bool = False, target: ArticleFacts | None = None,
                        unstated: frozenset[int] = frozenset(), best_match: bool = False) -> list[Disagreement]:
    """A date the aligned source sentence gives otherwise.

    A day no source names anywhere (``unstated``: positions in ``claim.dates``) needs no anchoring beyond
    ``UNSTATED_DATE_ALIGN_MIN``, when both dates have a verb and it is one event (``same_event``).

    Dates are compared in context only: an article names many days, so the
    source naming this one elsewhere says nothing about this event (whether
    a related source sentence states it is checked by ``crosscheck.py``).
    """
    found = []
    for index, mention in enumerate(claim.dates):
        if any(states_date(d, mention) for c in rivals_from for d in c.dates):
            continue
        mine = (claim.text, mention.start, mention.start + len(mention.text))
        unanchored = index in unstated and score >= UNSTATED_DATE_ALIGN_MIN
        rivals = [d for c in rivals_from for d in c.dates if dates_agree(mention, d) is False
                  and (d.granularity == "year") == (mention.granularity == "year")  # a year is no day's rival
                  and not any(dates_agree(d, own) for own in claim.dates)
                  and said_when(mention) == said_when(d)
                  and not across_midnight(mention, claim.text, d, c.text)
                  and (unanchored and mention.verb and d.verb and same_event(mention, d, claim.text, c.text)
                       or unanchored and target is not None and same_event(mention, d, claim.text, c.text)
                       and not any(dates_agree(d, own) for own in target.dates)
                       or (score >= SAME_EVENT_ALIGN_MIN or same_event(mention, d, claim.text, c.text)
                           or (target is not None and not _names_other_days(target, mention, d)))
                       and _aligned(score, DATE_ALIGN_MIN, mine, (c.text, d.start, d.start + len(d.text)),
                                    mutual or best_match and same_verb(mention, d)))]
        if rivals:
            rival = rivals[0]
            found.append(Disagreement("date", mention.text, rival.text,
                                      f"this article dates it {mention.text} ({mention.key}); "
                                      f"{label(source.article)} says {rival.text} ({rival.key})", slot=mention,
                                      rival=rival, weak=score < DATE_ALIGN_MIN))
    return found




def clause_date_disagreements(claim: Claim, target: ArticleFacts, other: Claim, source: ArticleFacts,
                              score: float) -> list[Disagreement]:
    """Dates of a clause against the source sentence that another clause of its sentence restates (``score``:
    that clause's alignment, at ``SAME_EVENT_ALIGN_MIN`` or above): "No one was hurt in the fire, which was set
    Sunday night | while two children were inside" against "No one was hurt in the fire on Friday night
    although two children were inside". The split hides the day from its counterpart, so it is compared
    here: when the two dates tell one event (``same_event``) and the sentence does not name the rival day."""
    if score < SAME_EVENT_ALIGN_MIN or not claim.dates:
        return []
    sentence_dates = [d for c in target.by_sentence.get(claim.sentence, [claim]) for d in c.dates]
    rivals_from = source.by_sentence.get(other.sentence, [other])
    return [d for d in _date_disagreements(claim, rivals_from, source, score, target=target)
            if same_event(d.slot, d.rival, claim.text, other.text)
            and not any(dates_agree(d.rival, own) for own in sentence_dates)]


def _same_role(actor: Actor, other: Actor, mine: tuple[str, int, int], theirs: tuple[str, int, int],
               score: float) -> bool:
    """Two unrelated names hold one slot only when something says so: the same role written before
    both ("coach Mike Smith" / "coach Tom Brown") or the same words around both, in related claims -- for
    two names sharing no word, only in claims above ``ACTOR_ALIGN_MIN``: in loosely related sentences the
    same words around two people ("said Derek Lowe" / "said Scott Boras") are two people quoted, one each."""
    if score < LOCAL_ALIGN_MIN:
        return False
    if actor.role and actor.role == other.role:
        return True
    return same_surroundings(mine, theirs) and (score >= ACTOR_ALIGN_MIN or bool(actor.tokens & other.tokens))


def _actor_disagreements(claim: Claim, rivals_from: list[Claim], source: ArticleFacts,
                         score: float) -> list[Disagreement]:
    """A name whose words the source never writes, against a name of the aligned sentence the claim lacks.

    Names are compared in the same role: in claims similar enough, between
    the same words, or when the two names differ in one word. A mutual best
    match is not enough: two names in related sentences are more often two
    people than one slot (on ECB+ topics 1-22 it doubled the false alarms).
    """
    found = []
    named_here = capitalised_words(claim.text)
    for actor in claim.actors:
        if len(actor.tokens) < 2 and not actor.role or all(source.states_name_word(word) for word in actor.tokens):
            continue  # one word ("Oscars", "DiLeo") is too often a short form or not a name, unless titled
        mine = _span(claim.text, actor.name)
        rivals = [b for c in rivals_from for b in c.actors if (len(b.tokens) >= 2 and len(actor.tokens) >= 2
                                                               or one_titled_name(actor, b))
                  and b.surname != actor.surname  # "Warship Sukanya" and "INS Sukanya": one name, two titles
                  and not written_two_ways(actor, b)
                  and not all(written(word, named_here) for word in b.tokens)
                  and (one_word_apart(actor, b) and score >= LOCAL_ALIGN_MIN
                       or b.kind == actor.kind and _same_role(actor, b, mine, _span(c.text, b.name), score))]
        if rivals:
            role = f" as {actor.role}" if actor.role and actor.role == rivals[0].role else ""
            found.append(Disagreement("actor", actor.name, rivals[0].name,
                                      f"this article names {actor.name}{role}; "
                                      f"{label(source.article)} names {rivals[0].name}", slot=actor,
                                      rival=rivals[0], weak=score < ACTOR_ALIGN_MIN))
    return found


def states_in(claims: list[Claim], disagreement: Disagreement) -> bool:
    """Whether one of these claims states the claim's value of this disagreement."""
    slot = disagreement.slot
    if isinstance(slot, Quantity):
        return any(_confirms(q, slot, disagreement.rival) for c in claims for q in c.quantities)
    if isinstance(slot, PlaceMention):
        return any(places_compatible(slot.place, p.place) for c in claims for p in c.places)
    if isinstance(slot, DateMention):
        return any(states_date(d, slot) for c in claims for d in c.dates)
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


def article_states(source: ArticleFacts, slot: object, rival: object = None) -> bool:
    """Whether the article states this value anywhere (a figure for its noun, a place, a date, every name word).

    With ``rival`` (a figure), a hedged figure that fits both does not count.
    """
    if isinstance(slot, Quantity):
        return _states_counted(source, slot, rival if isinstance(rival, Quantity) else None)
    if isinstance(slot, PlaceMention):
        return _states_place(source, slot)
    if isinstance(slot, DateMention):
        return any(states_date(d, slot) for d in source.dates)
    if isinstance(slot, Actor):
        return all(source.states_name_word(word) for word in slot.tokens)
    return False


def _slot_disagreements(claim: Claim, target: ArticleFacts, other: Claim, source: ArticleFacts, score: float,
                        rivals_from: list[Claim], mutual: bool,
                        regions: frozenset[str] | None = None,
                        unstated_dates: frozenset[int] = frozenset(),
                        best_match: bool = False) -> tuple[list[Disagreement], list[Update]]:
    disagreements, updates = [], []
    for quantity, rival, worded_alike in _number_disagreements(claim, rivals_from, source, score, mutual):
        update = update_of(claim, quantity, target.article, other, rival, source.article)
        if update is not None:
            updates.append(update)
        else:
            disagreements.append(Disagreement(
                "number", quantity.text, rival.text,
                f"this article says '{quantity.text}'; {label(source.article)} says '{rival.text}'",
                slot=quantity, rival=rival, weak=score < NUMBER_ALIGN_MIN and not worded_alike))
    disagreements += _place_disagreements(claim, rivals_from, source, score, mutual, regions)
    disagreements += _date_disagreements(claim, rivals_from, source, score, mutual, target, unstated_dates, best_match)
    disagreements += _actor_disagreements(claim, rivals_from, source, score)
    return disagreements, updates


def _shares_a_slot(claim: Claim, others: list[Claim]) -> bool:
    """The claims name the same place (not a country) or the same day: one event, told twice."""
    return (any(places_compatible(mine.place, theirs.place) for mine in claim.places if mine.place.kind != "country"
                for other in others for theirs in other.places if theirs.place.kind != "country")
            or any(dates_agree(mine, theirs) for mine in claim.dates for other in others for theirs in other.dates))


def compare(claim: Claim, target: ArticleFacts, other: Claim, source: ArticleFacts, score: float, *,
            mutual: bool = False, regions: frozenset[str] | None = None,
            unstated_dates: frozenset[int] = frozenset()) -> PairOutcome:
    """Slot-by-slot comparison of one aligned pair; rivals come from every clause of the source sentence.

    ``mutual``: ``other`` is more similar to ``claim`` than to any other claim of the target; it anchors
    the pair (see ``_aligned``) above ``MUTUAL_ALIGN_MIN``, or below it when the two also name the same
    place or day, and two dates told with the same verb ("officials announced Monday" / "police said
    Saturday": ``same_verb``).
    """
    rivals_from = source.by_sentence.get(other.sentence, [other])
    best_match, mutual = mutual, mutual and (score >= MUTUAL_ALIGN_MIN or _shares_a_slot(claim, rivals_from))
    disagreements, updates = _slot_disagreements(claim, target, other, source, score, rivals_from, mutual, regions,
                                                 unstated_dates, best_match)
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
