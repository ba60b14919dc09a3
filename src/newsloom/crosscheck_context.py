"""Context rules of the cross-check: where a story happens, which event a date belongs to, whose figure it is.

``crosscheck_compare`` compares one aligned pair of claims; some of its
decisions need more than the pair:

* ``story_regions`` / ``foreign_to``: the countries and first-level regions
  the sources name, so that a well-known place none of them is in
  ("Krakow" in a story every source sets in Greece) can be compared with a
  loosely related claim, without the anchoring a place of the story needs;
* ``same_event`` / ``said_when``: two dates are of one event unless their
  verbs say otherwise ("talks broke down on Sunday" is not the day of "back
  at the table on Tuesday"), and the day something was said ("police said
  Saturday") is never the day of the event -- unless the same subject stands
  just before both days (``same_subject``: "Loretta E. Lynch announced
  Sunday" / "Loretta Lynch shared the findings on Friday"); two consecutive
  days told late and early (``across_midnight``: "late Tuesday" / "early
  Wednesday") are one night, not two dates;
* ``different_subjects`` / ``counts_a_part``: figures of two different named
  people or organisations ("Velluto ran for 112 yards" / "Keddle ran for 87
  yards") count different things, and a part ("another 2,000 people", "two
  other buses") is compared only with a part, never with a total;
  ``different_scopes`` / ``different_days``: two lines of figures sharing
  no other figure count over different spans, and figures of two different
  days are two moments, not one count told twice; ``rounded_spans``: two
  lengths of time within ``SPAN_ROUNDING`` ("four weeks" / "three weeks")
  are one span counted from different starts;
* orphans (``orphan_place_rivals``, ``orphan_date_rivals``,
  ``orphan_number_rivals``): a value no source states anywhere -- a
  well-known place foreign to the story, a day, a figure -- is checked against
  any related source claim, not only the best few aligned ones, when the
  article does not itself state the rival value (an article giving both
  days or both figures tells two things, not one changed); a date even against
  a barely related claim when the same full name stands next to both dates
  (``named_near``: "floored Lennox Lewis ... in 1998" / "won the belts from
  Lennox Lewis in 2001");
* ``lead_day_rivals``: the day of an article's lead (title and first sentence)
  that no source names, against the day the sources' leads give, whatever the
  verbs: the leads of a story tell one piece of news ("The House on Wednesday
  approved the bill" / "The House gave final approval on Friday").

Thresholds were chosen on ECB+ topics 1-22 only (the rules added with the
NeuS set were judged on topics 1-22 and NeuS val together, and reuse existing
thresholds). No I/O, no text
extraction: dates carry their verb from ``nlp/dates.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsloom.nlp.numbers import (COUNT_MODIFIERS, DateMention, dates_agree, describe_apart, different_dimensions,
                                  one_of_many, quantities_agree, same_count, verb_lemma)
from newsloom.nlp.places import PlaceMention, well_known
from newsloom.nlp.text import STOPWORDS

_WORD_RE = re.compile(r"[A-Za-z]+")
_CAPITALISED_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")


def story_regions(sources: list) -> frozenset[str]:
    """Where the sources' story happens: the country codes they name (places and demonyms), and
    "CC-admin1" of every place below country level."""
    regions = set()
    for facts in sources:
        for claim in facts.claims:
            regions.update(claim.countries)
            for mention in claim.places:
                regions.add(mention.place.country_code)
                if mention.place.kind != "country":
                    regions.add(f"{mention.place.country_code}-{mention.place.admin1}")
    return frozenset(regions)


def foreign_to(mention: PlaceMention, regions: frozenset[str] | None) -> bool:
    """A place in a country (for a country) or a first-level region (below it) that no source names."""
    if not regions:
        return False
    place = mention.place
    if place.kind == "country" or not place.admin1:
        return place.country_code not in regions
    return f"{place.country_code}-{place.admin1}" not in regions


_PLACE_NAME_RE = re.compile(r"[A-Z][a-z’'.-]+(?:[\s-][A-Z]?[a-z’'.-]+)*")


def plainly_a_place(mention: PlaceMention, known: bool = True) -> bool:
    """Written like a place name ("Krakow", "New South Wales"; not "ISNA", "LiLo"), not opening the
    sentence ("Most", "Since"), and (``known``) big enough to be rarely anything else (``well_known``)."""
    return (mention.start > 0 and bool(_PLACE_NAME_RE.fullmatch(mention.text))
            and (not known or well_known(mention.place)))


# Verbs that tell one event in other words: a date of "said" is compared with one of "told", not of "hit".
SAME_EVENT_VERBS = (frozenset("say tell announc report confirm stat add write".split()),
                    frozenset("hit strike rock jolt shook".split()),
                    frozenset("kill shot murder die slay gun pass".split()),  # "passed away"
                    frozenset("beat defeat floor knock stop".split()),
                    frozenset("arrest detain charg book captur nab".split()))
_EVENT_SYNONYMS = SAME_EVENT_VERBS[1:]  # the groups of events, without the verbs of saying


@lru_cache(maxsize=8192)
def _verb_lemmas(text: str) -> frozenset[str]:
    return frozenset(verb_lemma(word) for word in _WORD_RE.findall(text))


def said_when(mention: DateMention) -> bool:
    """The date is when something was said ("police said Saturday"), not when the event happened."""
    return mention.verb in SAME_EVENT_VERBS[0]


def same_event(mine: DateMention, theirs: DateMention, my_text: str, their_text: str) -> bool:
    """Two dates belong to one event unless their verbs differ: "talks broke down on Sunday" is not the day
    of "back at the table on Tuesday". Verbs match when equal, synonyms (``SAME_EVENT_VERBS``), or when my
    sentence also tells the other's event, in its verb or a synonym of it ("intercepted ... and foiled an
    attack" against "foiled ... on Friday"; "three people died when the bank went up in flames Friday"
    against "the attack killed three people Wednesday"); not the reverse: "were rescued on Saturday" after
    being "trapped" is not the day of "trapped on Thursday". A verb of saying is no event: "officials said"
    in my sentence does not make a date of theirs "said" one of mine."""
    if not mine.verb or not theirs.verb or mine.verb == theirs.verb:
        return True
    if any(mine.verb in group and theirs.verb in group for group in SAME_EVENT_VERBS):
        return True
    my_verbs = _verb_lemmas(my_text)
    return theirs.verb in my_verbs or any(theirs.verb in group and group & my_verbs for group in _EVENT_SYNONYMS)


def _subject_names(claim) -> list[frozenset[str]]:
    """The words of each person or organisation the claim names (``Actor.tokens``)."""
    return [actor.tokens for actor in claim.actors if actor.tokens and actor.kind in SUBJECT_KINDS]


SUBJECT_KINDS = frozenset({"person", "org"})


def different_subjects(claim, other, written) -> bool:
    """The two claims are about different named subjects: each names a person or organisation and no name of
    one shares a word with a name of the other ("Smith ran for 112 yards" / "Jones ran for 87 yards"). Their
    figures count different things, however alike the sentences. ``written(word, words)`` tells a name word
    spelt two ways."""
    mine, theirs = _subject_names(claim), _subject_names(other)
    if not mine or not theirs:
        return False
    their_words = frozenset().union(*theirs)
    return not any(written(word, their_words) for name in mine for word in name)


ORPHAN_DATE_ALIGN_MIN = 0.2  # a source claim this related may give the day of the same event (topics 1-22)
ORPHAN_DATE_VERB_ALIGN_MIN = 0.12  # ... or this related, when both dates have the same verb (or a synonym)
ORPHAN_DATE_NAMED_ALIGN_MIN = 0.05  # ... or this related, when a name stands near both dates (``named_near``)
NAME_NEAR_CHARS = 40  # a name this close to a date tells whose event it is
SUBJECT_WORDS = 2  # one subject: a name sharing this many words (one word is often only the story's subject)
SUBJECT_NEAR_CHARS = 200  # ... in the clause before both dates (at most this long)
NAME_NEAR_WORDS = 2  # ... when this many of its words stand near both dates (one word: often the story's subject)
_NOT_NAME_WORDS = STOPWORDS | frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec".split())


@lru_cache(maxsize=8192)
def _names_near(text: str, mention: DateMention) -> frozenset[str]:
    """Capitalised words (not sentence openers, function or calendar words) written near a date."""
    end = mention.start + len(mention.text)
    window = text[max(0, mention.start - NAME_NEAR_CHARS):mention.start] + " " + text[end:end + NAME_NEAR_CHARS]
    return frozenset(w.lower() for w in _CAPITALISED_RE.findall(window)
                     if w.lower() not in _NOT_NAME_WORDS and len(w) > 2)


def named_near(mine: DateMention, theirs: DateMention, my_text: str, their_text: str) -> bool:
    """The same name stands near both dates: "floored Lennox Lewis to win the title in 1998" and "won the belts
    from Lennox Lewis in 2001" date one event, however little else the two sentences share."""
    return len(_names_near(my_text, mine) & _names_near(their_text, theirs)) >= NAME_NEAR_WORDS


_WEEKDAY_ORDER = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_LATE_RE = re.compile(r"(?:\blate|\bovernight)\W*$", re.IGNORECASE)
_NIGHT_AFTER_RE = re.compile(r"^\W*(?:night|evening|overnight)\b", re.IGNORECASE)
_EARLY_RE = re.compile(r"(?:\bearly|\bovernight)\W*$", re.IGNORECASE)
_MORNING_AFTER_RE = re.compile(r"^\W*(?:morning|overnight|before dawn|around \d{1,2}(?::\d\d)? ?a\.?m)\b",
                               re.IGNORECASE)


def _days_apart(first: DateMention, second: DateMention) -> int | None:
    """``second`` minus ``first`` in days when both are days or weekdays (weekdays: -3 to 3), else None."""
    if first.day is not None and second.day is not None:
        return (second.day - first.day).days
    names = [(d.weekday or (d.day.strftime("%A").lower() if d.day else d.text.lower())) for d in (first, second)]
    if not all(name in _WEEKDAY_ORDER for name in names):
        return None
    return (_WEEKDAY_ORDER.index(names[1]) - _WEEKDAY_ORDER.index(names[0]) + 3) % 7 - 3


def _late(text: str, mention: DateMention) -> bool:
    end = mention.start + len(mention.text)
    return bool(_LATE_RE.search(text[max(0, mention.start - 12):mention.start])
                or _NIGHT_AFTER_RE.match(text[end:end + 12]))


def _early(text: str, mention: DateMention) -> bool:
    end = mention.start + len(mention.text)
    return bool(_EARLY_RE.search(text[max(0, mention.start - 12):mention.start])
                or _MORNING_AFTER_RE.match(text[end:end + 24]))


def across_midnight(mine: DateMention, my_text: str, theirs: DateMention, their_text: str) -> bool:
    """Two consecutive days, the earlier told late ("late Tuesday", "Friday night") and the later early ("early
    Wednesday", "Saturday morning"): one night reported on either side of midnight, or from two time zones --
    outlets differ here without either being wrong. "Saturday night" and "Sunday night" are two nights."""
    apart = _days_apart(mine, theirs)
    if apart not in (1, -1):
        return False
    earlier, later = ((my_text, mine), (their_text, theirs)) if apart == 1 else ((their_text, theirs), (my_text, mine))
    return _late(*earlier) and _early(*later)


def same_verb(mine: DateMention, theirs: DateMention) -> bool:
    """Both dates have a verb, and it is one verb or two synonyms (``SAME_EVENT_VERBS``): "died on Saturday" and
    "passed away on Thursday" tell one event even in sentences that share few other words."""
    if not mine.verb or not theirs.verb:
        return False
    return mine.verb == theirs.verb or any(mine.verb in group and theirs.verb in group for group in SAME_EVENT_VERBS)


_STRETCH_BREAK_RE = re.compile(r"[,;:—–]|\b(?:after|when|because|while|before|since|that|who|which|whom|whose|"
                               r"where|until|although|though|if)\b", re.IGNORECASE)


def _words_before(text: str, mention: DateMention) -> frozenset[str]:
    """The lower-cased words of the clause just before a date (back to the nearest comma, semicolon, colon,
    dash or word opening a clause such as "after" or "that"; at most ``SUBJECT_NEAR_CHARS``): where its subject
    stands ("Loretta Lynch shared the findings on Friday"; not "For the family of Corvo, the vigil was on
    Thursday", nor "Barstow hit back after a radio host mocked her on his show Monday")."""
    return frozenset(_clause_words_before(text, mention))


def _clause_words_before(text: str, mention: DateMention) -> list[str]:
    window = text[max(0, mention.start - SUBJECT_NEAR_CHARS):mention.start]
    breaks = list(_STRETCH_BREAK_RE.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return [word.lower() for word in _WORD_RE.findall(window)]


def _verb_before(text: str, mention: DateMention) -> bool:
    """The date's verb stands in the stretch before it ("ruled Monday"), not after it ("on Monday ordered")."""
    return bool(mention.verb) and any(verb_lemma(word) == mention.verb for word in _last_words_before(text, mention))


def _one_day(claim) -> bool:
    return sum(mention.granularity != "year" for mention in claim.dates) == 1


def _last_words_before(text: str, mention: DateMention) -> frozenset[str]:
    """The last ``SUBJECT_PHRASE_REACH`` words of ``_words_before``, lower-cased."""
    return frozenset(_clause_words_before(text, mention)[-SUBJECT_PHRASE_REACH:])


def same_subject(claim, mention: DateMention, other, rival: DateMention) -> bool:
    """Both claims name one person or organisation just before both dates (``_words_before``): "Attorney
    General Loretta E. Lynch announced Sunday" / "Loretta Lynch shared the findings on Friday". Whatever the
    verbs, both days are that subject's act. A name elsewhere in the sentence is not the date's subject
    ("Crenshaw took aim at Tammy Duckworth Wednesday" / "Duckworth, firing back at Carlson, after he slammed
    her on his show Monday")."""
    near = _words_before(claim.text, mention) & _words_before(other.text, rival)
    if not near:
        return False
    return any(_one_subject(mine, theirs, near) for mine in claim.actors if mine.kind in SUBJECT_KINDS
               for theirs in other.actors if theirs.kind in SUBJECT_KINDS)


SUBJECT_PHRASE_WORDS = 2  # one subject: this many content words shared just before both dates ...
SUBJECT_PHRASE_REACH = 12  # ... among the last this many words before each date


def same_subject_words(claim, mention: DateMention, other, rival: DateMention) -> bool:
    """Both dates follow the same subject phrase, named or not: ``SUBJECT_PHRASE_WORDS`` content words shared
    in the stretch just before both (``_words_before``), neither date only the day something was said: "A
    federal judge in Washington on Wednesday ordered" / "A federal judge in Washington ruled Monday". Only
    in claims naming one day each ("will strike on Monday after talks broke down on Sunday" tells two events),
    and not when both verbs stand in those stretches and tell two events (``same_event``)."""
    if said_when(mention) or said_when(rival) or not (_one_day(claim) and _one_day(other)):
        return False
    if (_verb_before(claim.text, mention) and _verb_before(other.text, rival)
            and not same_event(mention, rival, claim.text, other.text)):
        return False  # "were rescued from the quarry on Saturday" / "were trapped in the quarry on Thursday"
    shared = _last_words_before(claim.text, mention) & _last_words_before(other.text, rival)
    return len({w for w in shared if len(w) > 2 and w not in _NOT_NAME_WORDS
                and verb_lemma(w) not in SAME_EVENT_VERBS[0]}) >= SUBJECT_PHRASE_WORDS


def _one_subject(mine, theirs, near: frozenset[str]) -> bool:
    """Two names of one subject written near both dates: ``SUBJECT_WORDS`` shared words, or a person's
    surname when one side gives the full name ("John Hickenlooper on Wednesday" / "Hickenlooper announced")."""
    shared = mine.tokens & theirs.tokens & near
    if len(shared) >= SUBJECT_WORDS:
        return True
    return (mine.kind == theirs.kind == "person" and mine.surname == theirs.surname and mine.surname in shared
            and max(len(mine.tokens), len(theirs.tokens)) >= 2)


def orphan_date_rivals(claim, target_dates: list[DateMention], candidates: list[tuple[object, float]],
                       stated_anywhere, agree) -> list[tuple[DateMention, DateMention, object, float]]:
    """Days of the claim that no source names (``stated_anywhere(mention)`` false), against the day a related
    source claim (``candidates``: (claim, score) at ``ORPHAN_DATE_ALIGN_MIN`` or above, or at
    ``ORPHAN_DATE_VERB_ALIGN_MIN`` with the same verb, ``same_verb``, or the same subject, ``same_subject``)
    gives the same event, when the article names that other day nowhere: an article naming both days tells
    two events, one naming only its own has moved the event ("died Saturday" against "died on Thursday").

    Same event: when both dates have a verb, the verbs tell one event (``same_event``); neither date is only
    the day something was said -- unless both claims name the same subject (``same_subject``): "the
    committee said on Friday it agreed" and "the committee on Wednesday backed" tell one act. Returns
    (claim's date, rival date, source claim, score), best score first.
    """
    found = []
    for mention in claim.dates:
        if stated_anywhere(mention):
            continue
        for other, score in candidates:
            for rival in other.dates:
                if ((rival.granularity == "year") != (mention.granularity == "year")
                        or agree(mention, rival) is not False
                        or any(agree(rival, own) for own in target_dates if own.granularity != "year")
                        or any(agree(rival, own) for own in claim.dates)
                        or across_midnight(mention, claim.text, rival, other.text)):
                    continue
                if rival.granularity != "year" and (
                        score >= ORPHAN_DATE_VERB_ALIGN_MIN and same_subject(claim, mention, other, rival)
                        or score >= ORPHAN_DATE_NAMED_ALIGN_MIN and same_subject_words(claim, mention, other, rival)):
                    found.append((mention, rival, other, score))
                    continue
                if said_when(mention) or said_when(rival) or not same_event(mention, rival, claim.text, other.text):
                    continue  # two verbs that tell two events: "trapped on Thursday", "rescued on Saturday"
                named = named_near(mention, rival, claim.text, other.text)
                if score < ORPHAN_DATE_ALIGN_MIN and not (same_verb(mention, rival) or named):
                    continue  # a loosely related claim counts only when it tells the event with the same verb
                if score < ORPHAN_DATE_VERB_ALIGN_MIN and not named:
                    continue  # ... or, barely related, names the same person or thing next to the date
                found.append((mention, rival, other, score))
    return sorted(found, key=lambda entry: -entry[3])


ORPHAN_PLACE_ALIGN_MIN = 0.25  # the claim must be this related to some source claim (topics 1-22)
ORPHAN_PLACE_UNDATED_ALIGN_MIN = 0.2  # ... or this related, when it names no month or year (topics 1-11)
_MONTH_OR_YEAR_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                               r"November|December|(?:19|20)\d\d)\b")


def orphan_place_align_min(claim) -> float:
    """How related to some source claim a claim must be for its foreign places to be checked: less when it
    names no month or year. A dated claim is often background from another time ("In February, a gunman
    killed five people in Salt Lake City"; "traded from Atlanta in July"), where other places are no error."""
    return ORPHAN_PLACE_ALIGN_MIN if _MONTH_OR_YEAR_RE.search(claim.text) else ORPHAN_PLACE_UNDATED_ALIGN_MIN


def orphan_place_rivals(claim, candidates: list[tuple[object, float]], regions: frozenset[str] | None,
                        stated_anywhere, compatible) -> list[tuple[PlaceMention, PlaceMention, object, float]]:
    """Well-known places of the claim in a country or region no source names (``foreign_to``), that no source
    names anywhere (``stated_anywhere``), against the place of the same level that a related source claim
    (``candidates``: (claim, score) at ``ORPHAN_PLACE_ALIGN_MIN`` or above) names: "Winnipeg police said"
    in a story every source sets in Michigan. Returns (claim's place, rival, source claim, score), best first.
    """
    found = []
    for mention in claim.places:
        if not plainly_a_place(mention) or not foreign_to(mention, regions) or stated_anywhere(mention):
            continue
        for other, score in candidates:
            found += [(mention, rival, other, score) for rival in other.places
                      if (rival.place.kind == "country") == (mention.place.kind == "country")
                      and plainly_a_place(rival, known=False) and not compatible(mention.place, rival.place)
                      and not any(compatible(rival.place, own.place) for own in claim.places)]
    return sorted(found, key=lambda entry: -entry[3])


ORPHAN_NUMBER_ALIGN_MIN = 0.3  # a source claim this related may give the figure of the same count (topics 1-22)


def orphan_number_rivals(claim, target_quantities: list, candidates: list[tuple[object, float]], stated_anywhere,
                         written) -> list[tuple[object, object, object, float]]:
    """Figures of the claim that no source gives (``stated_anywhere(quantity, rival)`` false: a hedge fitting
    both figures gives neither), against a figure for
    the same noun in a related source claim (``candidates``: (claim, score)) that the article gives nowhere:
    an article giving both figures counts two things; one giving only its own has changed the count.
    Not figures of different named subjects (``different_subjects``). Returns (claim's figure, rival,
    source claim, score), best score first.
    """
    found = []
    for quantity in claim.quantities:
        if "vague" in quantity.qualifier:
            continue
        for other, score in candidates:
            if different_subjects(claim, other, written):
                continue
            found += [(quantity, rival, other, score) for rival in other.quantities
                      if same_count(rival.noun, quantity.noun) and "vague" not in rival.qualifier
                      and not quantities_agree(rival, quantity)
                      and counts_a_part(claim.text, quantity) == counts_a_part(other.text, rival)
                      and not any(quantities_agree(rival, own) for own in target_quantities if same_count(own.noun, rival.noun))
                      and not different_scopes(claim.quantities, quantity, other.quantities, rival)
                      and not describe_apart(quantity, rival) and not one_of_many(quantity, rival)
                      and not rounded_spans(quantity, rival)
                      and not different_dimensions(claim.text, quantity, other.text, rival)
                      and not different_days(claim, other, dates_agree)
                      and not stated_anywhere(quantity, rival)]
    return sorted(found, key=lambda entry: -entry[3])


SPAN_ROUNDING = 1.4  # two lengths of time this close (larger / smaller) are one span counted or rounded apart
_SPAN_NOUNS = frozenset("second minute hour day week month year decade century".split())


def rounded_spans(quantity, rival) -> bool:
    """Two lengths of time close enough to be one span counted from different starts or rounded apart:
    "hospitalised for four weeks" / "for three weeks", "almost three hours" / "about two hours" (within
    ``SPAN_ROUNDING``). Outlets seldom agree on such spans; a count of things has no such slack."""
    if quantity.noun not in _SPAN_NOUNS or rival.noun not in _SPAN_NOUNS:
        return False
    smaller, larger = sorted((abs(quantity.value), abs(rival.value)))
    return smaller > 0 and larger / smaller <= SPAN_ROUNDING


def different_scopes(mine: list, quantity, theirs: list, rival) -> bool:
    """Two lines of figures that count the same other things but share no other figure count over different
    spans: "13 homers and 43 RBIs in 54 games" (since a trade) against "33 homers and 121 RBIs" in "157 games"
    (the season).
    A line with one figure changed keeps its other figures: "seven rifles, two other rifles and 13 magazines"
    against "seven rifles, three other rifles" is still compared. A measure qualifying a thing ("a 5.9-magnitude
    quake" against "a 6.1-magnitude quake") tells no span: sources often disagree on it."""
    others_mine = [q for q in mine if q is not quantity and q.value != quantity.value and "vague" not in q.qualifier
                   and not q.describes]
    others_theirs = [q for q in theirs if q is not rival and q.value != rival.value and "vague" not in q.qualifier
                     and not q.describes]
    if not {q.noun for q in others_mine} & {q.noun for q in others_theirs}:
        return False  # no other count of the same kind on both sides: nothing tells the spans apart
    return not any(a.value == b.value or a.noun == b.noun and quantities_agree(a, b)
                   for a in others_mine for b in others_theirs)


def different_days(claim, other, agree) -> bool:
    """The two claims give figures for different days ("12,000 homes without power on Wednesday morning"
    against "40,000 homes without power on Tuesday"): counts at two moments, not one count told two ways.
    Only days (not years), and only when every pair of days can be compared and none agrees."""
    mine = [d for d in claim.dates if d.granularity != "year"]
    theirs = [d for d in other.dates if d.granularity != "year"]
    if not mine or not theirs:
        return False
    verdicts = [agree(a, b) for a in mine for b in theirs]
    return all(verdict is False for verdict in verdicts)


_PART_BEFORE_RE = re.compile(r"\b(?:another|a further|further|an additional|additional|an extra|extra)\s+$",
                             re.IGNORECASE)


def counts_a_part(text: str, quantity) -> bool:
    """The figure counts a part on top of others ("another 20,000 people", "two other victims", "30 more
    people"), not a total: it is compared only with another part."""
    if _PART_BEFORE_RE.search(text[max(0, quantity.start - 16):quantity.start]):
        return True
    written = quantity.text.lower()
    if quantity.qualifier and written.startswith(quantity.qualifier.split(" vague")[0]):
        written = written[len(quantity.qualifier.split(" vague")[0]):]  # "more than $5 million" is a total
    return any(word in COUNT_MODIFIERS for word in _WORD_RE.findall(written))


def other_of_its_kind(mention: PlaceMention, rival: PlaceMention) -> bool:
    """A rival of the same kind elsewhere in the same country: a state for a state, a city for a city in another
    state (Valparaiso, Indiana for Seattle; not Boca Raton for Miami, both in the Florida the source may name)."""
    if mention.place.kind != rival.place.kind or mention.place.country_code != rival.place.country_code:
        return False
    return mention.place.kind == "region" or mention.place.admin1 != rival.place.admin1



LEAD_SENTENCES = 1  # the title and this many first sentences of the text tell the article's news
LEAD_DAY_ALIGN_MIN = 0.15  # a source's lead claim this related to the claim may give the day of its news
LEAD_DAY_SOURCES = 2  # ... confirmed by this many sources' leads (all but one of them when there are fewer)


def lead_claims(facts) -> list:
    """The claims of the title and of the first ``LEAD_SENTENCES`` sentences of the text."""
    sentences: list[str] = []
    title = facts.article.title.strip()
    found = []
    for claim in facts.claims:
        if claim.sentence != title and claim.sentence not in sentences:
            if len(sentences) >= LEAD_SENTENCES:
                break
            sentences.append(claim.sentence)
        found.append(claim)
    return found


def lead_day_rivals(claim, target, sources: dict, scores, stated_anywhere, agree,
                    needed: int) -> list[tuple[DateMention, DateMention, object, float]]:
    """The day of the article's lead that no source names anywhere (``stated_anywhere``), against the day
    the leads of ``needed`` independent sources give (``sources``: root id -> the facts of its articles; each
    with a lead claim at ``LEAD_DAY_ALIGN_MIN`` or above: ``scores(claim)``), when the article names that day
    nowhere: a lead tells the news of its day, and the story's articles tell the same news, often with other
    verbs ("The House on Wednesday approved the bill" / "The House gave final approval on Friday").

    Only leads naming one day each (two days tell two events), and not a day that qualifies another thing
    ("before Tuesday's elections"), a day closing the sentence after a verb of saying ("..., officials said
    Saturday": when the report was given), nor two days of which one tells a known kind of event the other
    sentence does not tell (``_two_known_events``). Returns (claim's date, rival date, source claim, score).
    """
    if not _one_day(claim) or claim not in lead_claims(target):
        return []
    found = []
    for mention in claim.dates:
        if (mention.granularity == "year" or _names_another_event(claim.text, mention)
                or _attribution_day(claim.text, mention) or stated_anywhere(mention)):
            continue
        by_key: dict[str, dict[str, tuple]] = {}  # rival key -> root -> its best (mention, rival, claim, score)
        for root, articles in sources.items():
            for other in (c for facts in articles for c in lead_claims(facts)):
                score = scores(other)
                if score < LEAD_DAY_ALIGN_MIN or not _one_day(other):
                    continue
                for rival in other.dates:
                    if _lead_rival(claim, mention, other, rival, target.dates, agree):
                        best = by_key.setdefault(rival.key, {}).get(root)
                        if best is None or score > best[3]:
                            by_key[rival.key][root] = (mention, rival, other, score)
        found += [max(by_root.values(), key=lambda entry: entry[3]) for by_root in by_key.values()
                  if len(by_root) >= needed]
    return sorted(found, key=lambda entry: -entry[3])


def _lead_rival(claim, mention: DateMention, other, rival: DateMention, target_dates: list, agree) -> bool:
    """Whether ``rival`` (a day of a source's lead claim ``other``) can be the day the claim's ``mention`` got
    wrong: another day, that the article names nowhere, not one night told either side of midnight, and
    neither day only qualifying another thing or closing a report."""
    return not (rival.granularity == "year" or agree(mention, rival) is not False
                or _names_another_event(other.text, rival) or _attribution_day(other.text, rival)
                or _two_known_events(mention, rival, claim.text, other.text)
                or any(agree(rival, own) for own in target_dates if own.granularity != "year")
                or across_midnight(mention, claim.text, rival, other.text))


_POSSESSIVE_AFTER_RE = re.compile(r"['’]s?\b")


def _names_another_event(text: str, mention: DateMention) -> bool:
    """ "before Tuesday's elections": the day of the thing it qualifies, not the news of the sentence."""
    return bool(_POSSESSIVE_AFTER_RE.match(text, mention.start + len(mention.text)))


_CLAUSE_END_RE = re.compile(r"(?:\s+(?:morning|afternoon|evening|night))?\W*$", re.IGNORECASE)


def _attribution_day(text: str, mention: DateMention) -> bool:
    """The day closing the sentence after a verb of saying ("..., the port authority said Saturday."): when the
    report was given, not the news it reports ("Romney said Sunday that he was sickened" is the news)."""
    return said_when(mention) and bool(_CLAUSE_END_RE.match(text, mention.start + len(mention.text)))


def _two_known_events(mine: DateMention, theirs: DateMention, my_text: str, their_text: str) -> bool:
    """One of the dates tells a known kind of event (a killing, a quake, a defeat, an arrest:
    ``_EVENT_SYNONYMS``) that the other sentence does not tell (``same_event``): "were rescued when the mill went
    up in flames on Friday" is not the day of "the attack killed three workers on Wednesday"."""
    known = any(verb in group for verb in (mine.verb, theirs.verb) for group in _EVENT_SYNONYMS)
    return known and not same_event(mine, theirs, my_text, their_text)
