"""Names for the cross-check: when two written names are one name, and which name words a text writes.

Split out of ``crosscheck_compare.py`` (which re-exports every name here):
spelling variants ("Wolfe"/"Wolff" are ``written`` alike), the capitalised
words of a text, and the tests of two ``Actor`` names -- the same person
with a short and a long first name, a name with one word changed -- and
where the sources write a name with one word changed (``renamed_in_sources``:
"Kutztown Brannigan" against "Kutztown University"; not a title written for a
first name, "President Trump" for "Donald Trump"). No I/O, no comparison of
articles.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from newsloom.nlp.claims import ROLE_WORDS, Actor
from newsloom.nlp.text import STOPWORDS

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


def _name_words(name: str) -> list[str]:
    return [t for t in re.findall(r"[a-z]+", name.lower()) if len(t) > 1]


def one_word_apart(actor: Actor, other: Actor) -> bool:
    """Two names that differ in one word, the others in the same places ("Chris Weitz"/"Chris Szabo", "Indian
    Navy"/"Indian Army"): the same slot written with another name, whatever the extraction guessed each to be.
    Not a shared word in another place ("Philadelphia Inquirer"/"Northeast Philadelphia": two things), nor a
    word written short ("Church Ave"/"Church Avenue": one name)."""
    mine, theirs = _name_words(actor.name), _name_words(other.name)
    if len(mine) != len(theirs):
        return False
    differing = [(word, rival) for word, rival in zip(mine, theirs) if word != rival]
    return len(differing) == 1 and not _shortened(*differing[0])


def _shortened(word: str, other: str) -> bool:
    """One word is the other written short: "Ave"/"Avenue", "Univ"/"University"."""
    short, long = sorted((word, other), key=len)
    return len(short) >= 3 and long.startswith(short)


def written_two_ways(actor: Actor, other: Actor) -> bool:
    """One name written two ways: another word before the same name ("Named Maurice Cheeks"/"Hire Maurice
    Cheeks", "Commodore Nirad Sinha"/"Commander Nirad Sinha": a headline verb or a title), or one person
    with a short and a long first name ("Bill Hakim"/"William Hakim", "Lou Williams"/"Louis Williams"), or one
    word written short ("Church Ave"/"Church Avenue")."""
    mine, theirs = actor.name.split(), other.name.split()
    if len(mine) == len(theirs) and _shortened_once(_name_words(actor.name), _name_words(other.name)):
        return True
    if len(mine) != len(theirs) or len(mine) < 2 or mine[1:] != theirs[1:]:
        return False
    return len(mine) >= 3 or _same_first_name(mine[0], theirs[0])


def _shortened_once(mine: list[str], theirs: list[str]) -> bool:
    """The same words but one, written short on one side: "Church Ave"/"Church Avenue"."""
    differing = [(word, rival) for word, rival in zip(mine, theirs) if word != rival]
    return len(mine) == len(theirs) and len(differing) == 1 and _shortened(*differing[0])


RENAMED_ALIGN_MIN = 0.2  # the source sentence writing the rival name must be this related (topics 1-22)
_NAME_WORD_RE = re.compile(r"[A-Z][a-z]+")


def _name_pattern(words: list[str], position: int) -> re.Pattern:
    """The name with the word at ``position`` left open to any capitalised word."""
    parts = [r"([A-Z][a-z]+)" if index == position else re.escape(word) for index, word in enumerate(words)]
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])")


def renamed_in_sources(name: str, sources: list, writes) -> list[tuple[object, str, str]]:
    """Where the sources write this name with one word changed: "Commerce Secretary Szabo Locke" against the
    "Commerce Secretary Gary Locke" of a source, "Kutztown Brannigan" against "Kutztown University".

    Only when exactly one word of the name is written by no source (``writes(facts, word)``) and is a plain
    capitalised word, and the source's word is no title standing for a first name: "President Trump" for
    "Donald Trump" names the same person (a title changed inside a name, "County District Okonkwo" for
    "County District Attorney", still counts), nor a function word capitalised in a headline ("Turn Over
    Trump's Tax Returns"). Returns (source facts, source sentence, the source's name) for every such mention.
    """
    words = name.split()
    if len(words) < 2:
        return []
    unknown = [index for index, word in enumerate(words)
               if not any(writes(facts, token) for facts in sources for token in re.findall(r"[a-z]+", word.lower()))]
    if len(unknown) != 1 or not _NAME_WORD_RE.fullmatch(words[unknown[0]]):
        return []
    pattern = _name_pattern(words, unknown[0])
    found = []
    for facts in sources:
        for sentence in facts.by_sentence:
            found += [(facts, sentence, match.group()) for match in pattern.finditer(sentence)
                      if match.group(1) != words[unknown[0]] and match.group(1).lower() not in STOPWORDS
                      and not (unknown[0] == 0 and match.group(1).lower() in ROLE_WORDS)]
    return found


def one_titled_name(actor: Actor, other: Actor) -> bool:
    """A lone surname under a title, against a name under the same title ("President Marchetti" / "President
    Trump"): one holder of the office, though a single word is otherwise too often a short form to compare."""
    return (len(actor.tokens) == 1 and bool(actor.role) and actor.role == other.role
            and actor.kind == other.kind == "person")
