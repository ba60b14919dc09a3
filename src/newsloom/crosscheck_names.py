"""Names for the cross-check: when two written names are one name, and which name words a text writes.

Split out of ``crosscheck_compare.py`` (which re-exports every name here):
spelling variants ("Wolfe"/"Wolff" are ``written`` alike), the capitalised
words of a text, and the tests of two ``Actor`` names -- the same person
with a short and a long first name, a name with one word changed. No I/O,
no comparison of articles.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from newsloom.nlp.claims import Actor

SPELLING_MIN = 0.8  # two name words this alike (difflib ratio) are one name spelt two ways
_CAPITALISED_RE = re.compile(r"\b[A-Z][A-Za-z’'-]+")


def _spelt_alike(word: str, other: str) -> bool:
    if other[:1] != word[:1] or min(len(word), len(other)) < SPELLING_MIN * max(len(word), len(other)) * 0.8:
        return False  # the ratio cannot reach SPELLING_MIN: skip the costly comparison
    matcher = SequenceMatcher(None, word, other)
    return matcher.quick_ratio() >= SPELLING_MIN and matcher.ratio() >= SPELLING_MIN


def written(word: str, words: frozenset[str]) -> bool:
    """``word`` is in ``words``, or spelt almost the same ("Wolfe"/"Wolff", "Advisors"/"Advisers")."""
    return word in words or any(_spelt_alike(word, other) for other in words)


@lru_cache(maxsize=4096)
def capitalised_words(text: str) -> frozenset[str]:
    """Lower-cased words of the capitalised words in text, as ``Actor.tokens`` splits them."""
    return frozenset(t for w in _CAPITALISED_RE.findall(text) for t in re.findall(r"[a-z]+", w.lower())
                     if len(t) > 1)



def is_named_person(actor: Actor) -> bool:
    return actor.kind == "person" and len(actor.tokens) >= 2


_NICKNAMES = {"bill": "william", "will": "william", "bob": "robert", "rob": "robert", "jim": "james",
              "mike": "michael", "tom": "thomas", "joe": "joseph", "dave": "david", "dan": "daniel",
              "steve": "steven", "tony": "anthony", "ed": "edward", "ted": "edward", "dick": "richard",
              "rick": "richard", "chuck": "charles", "charlie": "charles", "kate": "katherine", "liz": "elizabeth",
              "beth": "elizabeth", "peggy": "margaret", "sue": "susan", "alex": "alexander", "sandy": "alexandra"}


def _same_first_name(first: str, second: str) -> bool:
    """ "Bill"/"William", "Lou"/"Louis": one first name, short and long."""
    first, second = first.lower(), second.lower()
    if _NICKNAMES.get(first, first) == _NICKNAMES.get(second, second):
        return True
    short, long = sorted((first, second), key=len)
    return len(short) >= 3 and long.startswith(short)


def one_word_apart(actor: Actor, other: Actor) -> bool:
    """Two names that differ in one word ("Chris Weitz"/"Chris Szabo", "Indian Navy"/"Indian Army"):
    the same slot written with another name, whatever the extraction guessed each to be."""
    return len(actor.tokens) == len(other.tokens) and len(actor.tokens - other.tokens) == 1


def written_two_ways(actor: Actor, other: Actor) -> bool:
    """One name written two ways: another word before the same name ("Named Maurice Cheeks"/"Hire Maurice
    Cheeks", "Commodore Nirad Sinha"/"Commander Nirad Sinha": a headline verb or a title), or one person
    with a short and a long first name ("Bill Hakim"/"William Hakim", "Lou Williams"/"Louis Williams")."""
    mine, theirs = actor.name.split(), other.name.split()
    if len(mine) != len(theirs) or len(mine) < 2 or mine[1:] != theirs[1:]:
        return False
    return len(mine) >= 3 or _same_first_name(mine[0], theirs[0])
