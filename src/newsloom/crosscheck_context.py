"""Context rules of the cross-check: where a story happens, and which event a date belongs to.

``crosscheck_compare`` compares one aligned pair of claims; some of its
decisions need more than the pair:

* ``story_regions`` / ``foreign_to``: the countries and first-level regions
  the sources name, so that a well-known place none of them is in
  ("Krakow" in a story every source sets in Greece) can be compared with a
  loosely related claim, without the anchoring a place of the story needs;
* ``same_event`` / ``said_when``: two dates are of one event unless their
  verbs say otherwise ("talks broke down on Sunday" is not the day of "back
  at the table on Tuesday"), and the day something was said ("police said
  Saturday") is never the day of the event.

Thresholds were chosen on ECB+ topics 1-22 only. No I/O, no text
extraction: dates carry their verb from ``nlp/numbers.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsloom.nlp.numbers import DateMention, verb_lemma
from newsloom.nlp.places import PlaceMention, well_known

_WORD_RE = re.compile(r"[A-Za-z]+")


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
SAME_EVENT_VERBS = (frozenset("say tell announc report confirm stat add".split()),
                    frozenset("hit strike rock jolt shook".split()),
                    frozenset("kill shot murder die slay gun".split()),
                    frozenset("arrest detain charg book captur nab".split()))


@lru_cache(maxsize=8192)
def _verb_lemmas(text: str) -> frozenset[str]:
    return frozenset(verb_lemma(word) for word in _WORD_RE.findall(text))


def said_when(mention: DateMention) -> bool:
    """The date is when something was said ("police said Saturday"), not when the event happened."""
    return mention.verb in SAME_EVENT_VERBS[0]


def same_event(mine: DateMention, theirs: DateMention, my_text: str, their_text: str) -> bool:
    """Two dates belong to one event unless their verbs differ: "talks broke down on Sunday" is not the day
    of "back at the table on Tuesday". Verbs match when equal, synonyms (``SAME_EVENT_VERBS``), or when my
    sentence also tells the other's event ("intercepted ... and foiled an attack" against "foiled ... on
    Friday"); not the reverse: "were rescued on Saturday" after being "trapped" is not the day of "trapped
    on Thursday"."""
    if not mine.verb or not theirs.verb or mine.verb == theirs.verb:
        return True
    if any(mine.verb in group and theirs.verb in group for group in SAME_EVENT_VERBS):
        return True
    return theirs.verb in _verb_lemmas(my_text)
