"""Quantities in a sentence, as comparable values (dates: ``nlp/dates.py``, re-exported here).

Cross-checking asks "do these two sentences state the same number?", so a
quantity here is not a string but an interval with the noun it counts:

* ``find_quantities("at least a dozen Russian vehicles")`` gives
  ``Quantity(low=12, high=inf, noun="vehicle", qualifier="at least")``;
  "under two miles" is ``[0, 2]``, "approximately two miles" ``[1.8, 2.2]``
  ("about N" in news is N within 10%, so "about 60" and "about 75" differ).
  Two quantities agree when their intervals overlap, so hedged figures do
  not contradict the exact ones they round.
* The noun is the head of the words after the number ("12 Russian military
  vehicles" -> "vehicle"); generic nouns take the role word that follows
  ("12 people were killed" -> "people:dead") so that the dead and the injured
  are never compared. Money and percentages use "$"/"%" as their noun.
  Near-synonyms count one thing (``_NOUN_GROUPS``): "nine miners trapped"
  and "11 workers trapped" are both "people:trapped", "60 vessels" and
  "75 ships" both "vessel".
* Figures joined by hyphens are a score or a win-loss record ("a 9-14
  start": one value of the noun "score", agreeing only when every part does)
  or, before a plural noun, a range ("10-12 people").
* Dates (``find_dates``, ``DateMention``, ``dates_agree``...) live in
  ``nlp/dates.py`` and are re-exported here.

This module is regular expressions and small tables only: it must not call
spaCy, the gazetteer, or compare articles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from newsloom.nlp.dates import (_MONTHS, _WEEKDAYS, DateMention, date_verb, dates_agree,  # noqa: F401 (re-exported)
                                find_dates, states_date, verb_lemma)
from newsloom.nlp.text import STOPWORDS

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
          "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
# Vague plural amounts: "dozens of people" is at least 24, "hundreds" at least 200.
_VAGUE = {"a dozen": (12, 12), "dozen": (12, 12), "dozens": (24, 120), "a few": (2, 5), "several": (3, 9),
          "scores": (40, 200), "hundreds": (200, 999), "thousands": (2_000, 99_999), "a couple of": (2, 2),
          "millions": (2_000_000, 999_999_999), "a hundred": (100, 100), "a thousand": (1_000, 1_000)}
# qualifier -> (factor of the low end, factor of the high end)
_QUALIFIERS = {
    "at least": (1, math.inf), "more than": (1, math.inf), "over": (1, math.inf), "upwards of": (1, math.inf),
    "in excess of": (1, math.inf), "no fewer than": (1, math.inf), "nearly": (0.8, 1), "almost": (0.8, 1),
    "under": (0, 1), "less than": (0, 1), "fewer than": (0, 1), "up to": (0, 1), "at most": (0, 1),
    "below": (0, 1), "about": (0.9, 1.1), "approximately": (0.9, 1.1), "around": (0.9, 1.1),
    "roughly": (0.9, 1.1), "some": (0.9, 1.1), "an estimated": (0.8, 1.2), "estimated": (0.8, 1.2),
    "close to": (0.8, 1.05), "just over": (1, 1.2), "just under": (0.8, 1), "as many as": (0.7, 1),
}
_GENERIC_NOUNS = {"people", "person", "persons", "men", "women", "children", "others", "civilians", "residents",
                  "individuals", "adults", "passengers", "soldiers", "troops", "workers", "students", "victims"}
# Counted nouns that news writes for one thing: "nine miners" and "11 workers", "60 vessels" and "75 ships"
# count the same; each singular maps to the first word of its group. Hand-written, near-synonyms only: cars
# and trucks, or ferries and ships, are often counted side by side.
_NOUN_GROUPS = (("worker", "miner", "employee", "staff", "staffer", "labourer", "laborer", "docker", "dockworker"),
                ("vessel", "ship"), ("soldier", "troop"), ("aircraft", "plane", "airplane", "jet"),
                ("home", "house"), ("child", "kid"), ("firefighter", "fireman"),
                ("deal", "contract", "agreement", "pact"))
_COUNTED_AS = {word: group[0] for group in _NOUN_GROUPS for word in group}
_ROLE_WORDS = {
    "dead": "dead", "died": "dead", "killed": "dead", "deaths": "dead", "death": "dead", "perished": "dead",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "hospitalised": "injured",
    "hospitalized": "injured", "missing": "missing", "arrested": "arrested", "detained": "arrested",
    "evacuated": "evacuated", "displaced": "evacuated", "rescued": "rescued", "trapped": "trapped",
}
_CLOCK_WORDS = frozenset("p am pm gmt utc est edt pst pdt cet bst local".split())
_NUMBER_WORDS = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
# "and" joins number words only after a scale ("one hundred and twenty"); "six and twelve" are two numbers
_AND_AFTER_SCALE = "|".join(rf"(?<={scale})\s+and\s+" for scale in _SCALES)
_QUALIFIER_RE = "|".join(sorted(map(re.escape, _QUALIFIERS), key=len, reverse=True))
_VAGUE_RE = "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True))
_AMOUNT = (
    r"(?P<currency>[$€£])?\s?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:\s?(?P<scale>{'|'.join(_SCALES)}|bn|mm|m)\b)?(?P<percent>\s?%|\s+percent\b|\s+per cent\b)?"
    rf"|(?P<words>(?:{_NUMBER_WORDS})(?:(?:[\s-]+|{_AND_AFTER_SCALE})(?:{_NUMBER_WORDS}))*)"
    rf"|(?P<vague>{_VAGUE_RE})"
)
_QUANTITY_RE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER_RE})\s+)?(?<![\w.,:/-])(?:{_AMOUNT})(?P<of>\s+of)?(?![\w:/])",
    re.IGNORECASE,
)
# A word after a figure; a hyphen before a number word is a dash ("three bank workers-two women and a man")
_TOKEN_RE = re.compile(rf"\s*[-–]?\s*([a-z][A-Za-z’']*(?:-(?!(?:{_NUMBER_WORDS})\b)[A-Za-z’']*)*)")


@dataclass(frozen=True)
class Quantity:
    text: str  # as written, e.g. "at least a dozen Russian vehicles"
    value: float
    low: float
    high: float
    noun: str  # normalised head noun, "$", "%" or "" when none
    qualifier: str = ""
    start: int = 0
    end: int = 0
    describes: tuple[str, ...] = ()  # the words a measure qualifies: ("win", "streak") in "an 11-game win streak"

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "low": self.low,
                "high": None if math.isinf(self.high) else self.high, "noun": self.noun,
                "qualifier": self.qualifier}



def singular(noun: str) -> str:
    noun = noun.lower().replace("’", "'")
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("sses", "shes", "ches", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3:
        return noun[:-1]
    return noun


def _words_value(spelled: str) -> float | None:
    total, current = 0, 0
    for token in re.split(r"[\s-]+", spelled.lower()):
        if token in ("", "and"):
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
    value = total + current
    return float(value) if value or "zero" in spelled.lower() else None


def _amount(match: re.Match) -> tuple[float, float, float] | None:
    """(value, low, high) of the amount, before qualifiers."""
    if match["vague"]:
        low, high = _VAGUE[match["vague"].lower()]
        return float(low), float(low), float(high)
    if match["words"]:
        value = _words_value(match["words"])
        return None if value is None else (value, value, value)
    value = float(match["digits"].replace(",", "")) * scale_factor(match["scale"])
    return value, value, value


_SCALE_ABBREVIATIONS = {"bn": 1e9, "m": 1e6, "mm": 1e6}


def scale_factor(word: str | None) -> float:
    """What a scale word after digits multiplies by: "million", "bn", "MM" (1 without one)."""
    word = (word or "").lower()
    return _SCALE_ABBREVIATIONS.get(word, _SCALES.get(word, 1))


# Words that make a figure count a part on top of others: "two other vehicles", "30 more people".
COUNT_MODIFIERS = frozenset("other more additional further extra".split())


# One or two capitalised words between a figure and its lower-case noun: "32 million U.S. viewers",
# "12 Russian military vehicles", "three New York firefighters".
_NAMED_MODIFIER_RE = re.compile(r"(?:\s+(?:[A-Z]\.){2,}|\s+[A-Z][a-z]+){1,2}(?=\s+[a-z])")


def _noun_after(text: str, position: int) -> tuple[str, int]:
    """Head noun of the words following a number and where it ends: the last of up to three
    content words, stopping at stopwords and at participles after the first word. One or two
    capitalised words before the first are its modifiers (``_NAMED_MODIFIER_RE``), not a name."""
    noun, end, taken = "", position, 0
    modifier = _NAMED_MODIFIER_RE.match(text, position) if text[position + 1:position + 2].isupper() else None
    if modifier is not None and not any(w.lower() in _MONTHS or w.lower() in _WEEKDAYS
                                        for w in modifier.group().split()):
        end = modifier.end()
        noun, after = _noun_after(text, end)
        if noun.endswith("s") or noun in _GENERIC_NOUNS:
            return noun, after  # a plural: what is counted ("U.S. viewers"), not "10 Downing Street yesterday"
        return "", position
    while taken < 3:
        match = _TOKEN_RE.match(text, end)
        if match is None:
            break
        token = match.group(1).lower()
        if not taken and token in COUNT_MODIFIERS and match.group()[:1].isspace():
            end = match.end()  # "two other vehicles", "30 more people": the count is of the noun after
            continue
        if token in STOPWORDS and token not in _GENERIC_NOUNS or token in _MONTHS or token in _WEEKDAYS:
            break
        if taken and token.endswith(("ing", "ed")) and token not in _ROLE_WORDS:
            break
        hyphenated = not taken and match.group().lstrip()[:1] in "-–"
        noun, end, taken = token, match.end(), taken + 1
        if hyphenated and token not in _ROLE_WORDS:
            break  # "a 6.7-strength quake", "a 12-gauge shotgun": the measure is the noun
        if token.startswith("year-old") or token in _ROLE_WORDS or token in _GENERIC_NOUNS or (token.endswith("s") and not token.endswith("ss")):
            break  # a plural closes the noun phrase: "288 candidates run" counts candidates
    return noun, end


def _role_after(text: str, position: int) -> str:
    """The casualty role of a generic noun: "people were killed" -> "dead"."""
    for token in re.findall(r"[a-z]+", text[position:position + 40].lower())[:3]:
        if token in _ROLE_WORDS:
            return _ROLE_WORDS[token]
    return ""


# Verbs that count casualties when a figure follows them: "kills 12", "killed 14 people", "injuring 30".
_CASUALTY_VERBS = {"kill": "dead", "kills": "dead", "killed": "dead", "killing": "dead", "injure": "injured",
                   "injures": "injured", "injured": "injured", "injuring": "injured", "wound": "injured",
                   "wounds": "injured", "wounded": "injured", "wounding": "injured", "left": "dead",
                   "shoot": "shot", "shoots": "shot", "shot": "shot", "shooting": "shot"}
_VERB_BEFORE_RE = re.compile(r"\b([a-z]+)\s+(?:(?:at least|more than|nearly|about|some|over|up to|an estimated)\s+)?$")


def _casualty_verb_before(text: str, start: int) -> str:
    """The casualty role of a figure written right after a verb: "kills 12", "killing at least 14 people"."""
    match = _VERB_BEFORE_RE.search(text[max(0, start - 30):start].lower())
    if match is None or match.group(1) not in _CASUALTY_VERBS or match.group(1) == "left":
        return ""
    return _CASUALTY_VERBS[match.group(1)]


def counted_noun(noun: str) -> str:
    """The key of a singular counted noun: the first word of its synonym group (``_NOUN_GROUPS``), or itself."""
    return _COUNTED_AS.get(noun, noun)


_GENERIC_KEYS = frozenset(counted_noun(singular(noun)) for noun in _GENERIC_NOUNS)  # "worker": "miner" too


def _noun_key(noun: str, text: str, end: int, start: int = 0) -> str:
    if noun in _ROLE_WORDS:
        return "people:" + _ROLE_WORDS[noun]
    key = counted_noun(singular(noun))
    if noun in _GENERIC_NOUNS or key in _GENERIC_KEYS:  # "nine miners trapped" is "11 workers trapped"
        role = _role_after(text, end) or _casualty_verb_before(text, start)
        if role:
            return "people:" + role
        return "people" if noun in ("people", "person", "persons") else key
    return "year-old" if noun.startswith("year-old") else key


def _is_year(match: re.Match) -> bool:
    digits = match["digits"] or ""
    return len(digits) == 4 and digits[:2] in ("19", "20") and not match["scale"] and not match["currency"]


_WORD_BEFORE_RE = re.compile(r"\b([A-Za-z]+)\.?\s+$")


def _is_day_of_month(text: str, match: re.Match, value: float) -> bool:
    """A bare figure of 1-31 written after a capitalised month name is a day: "a Jan. 29 memo", "the
    September 11 attacks" count no memo and no attack."""
    if match["currency"] or match["percent"] or not (1 <= value <= 31) or value != int(value):
        return False
    before = _WORD_BEFORE_RE.search(text[max(0, match.start() - 12):match.start()])
    return bool(before and before.group(1)[0].isupper() and before.group(1).lower() in _MONTHS)


def _quantity(text: str, match: re.Match) -> Quantity | None:
    amount = _amount(match)
    if amount is None or _is_year(match):
        return None
    value, low, high = amount
    if _is_day_of_month(text, match, value):
        return None
    qualifier = (match["qualifier"] or "").lower()
    if match["vague"] and low != high:
        qualifier = (qualifier + " vague").strip()  # "several", "dozens": too loose to contradict anything
    elif qualifier:
        low_factor, high_factor = _QUALIFIERS[qualifier]
        low, high = low * low_factor, high * high_factor
    if match["currency"] or match["percent"]:
        symbol = "$" if match["currency"] else "%"
        of_noun = re.match(r"\s+(?:in|of)\s+(?=[a-z])", text[match.end():]) if match["currency"] else None
        raw_noun, end = _noun_after(text, match.end() + (of_noun.end() if of_noun else 0))  # "$1 million in damage"
        noun = f"{symbol}:{counted_noun(singular(raw_noun))}" if raw_noun else symbol
        end = end if raw_noun else match.end()
    else:
        raw_noun, end = _noun_after(text, match.end())
        role = _casualty_verb_before(text, match.start())
        if role and (not raw_noun or raw_noun in STOPWORDS):
            return Quantity(text[match.start():match.end()].strip(), value, low, high, "people:" + role, qualifier,
                            match.start(), match.end())  # a bare figure: "the quake kills 12"
        if not raw_noun or raw_noun in _CLOCK_WORDS:
            return None
        noun = _noun_key(raw_noun, text, end, match.start())
    if qualifier == "over" and noun in _TIME_SPANS:
        qualifier, low, high = "", value, value  # "$140 million over seven years": a span, not "more than"
    return Quantity(text[match.start():end].strip(), value, low, high, noun, qualifier, match.start(), end,
                    _described(text, match.end(), end))


_DESCRIBED_RE = re.compile(r"\s+([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?")


def _described(text: str, number_end: int, end: int) -> tuple[str, ...]:
    """The two words after a hyphenated measure ("11-game win streak", "five-time NBA All-Star"): what it
    qualifies. Empty for a plain count ("11 games") or when punctuation follows ("an eight-year, $160 deal")."""
    if not re.match(r"\s?[-–]", text[number_end:end]):
        return ()
    match = _DESCRIBED_RE.match(text, end)
    if match is None:
        return ()
    return tuple(counted_noun(singular(word)) for word in match.groups() if word and word.lower() not in STOPWORDS)


def describe_apart(first: Quantity, second: Quantity) -> bool:
    """Two measures qualifying different things: "an 11-game win streak" and "a three-game losing streak",
    "a five-time All-Defensive pick" and "a four-time All-Star". Not when either qualifies nothing written.
    Two scores or records with no part in common are two games or two spans ("a 38-44 mark" in one season,
    "a 162-139 mark" over four); one told two ways keeps a part ("52-3" / "52-9")."""
    if first.noun == second.noun == SCORE_NOUN:
        return not set(enumerate(re.findall(r"\d+", first.text))) & set(enumerate(re.findall(r"\d+", second.text)))
    return bool(first.describes and second.describes) and first.describes != second.describes


_DIMENSIONS = {"long": "length", "length": "length", "wide": "width", "across": "width", "width": "width",
               "high": "height", "tall": "height", "height": "height", "above": "height",
               "deep": "depth", "down": "depth", "below": "depth", "beneath": "depth", "underground": "depth",
               "underwater": "depth", "depth": "depth"}
_WORD_AFTER_RE = re.compile(r"\s*(?:in\s+)?([a-z]+)")


def dimension(text: str, quantity: Quantity) -> str:
    """What a measure measures, from the word after it: "25 metres long" -> "length", "38 metres below the
    surface" / "44 metres down" -> "depth"; "" when no such word follows."""
    match = _WORD_AFTER_RE.match(text, quantity.end)
    return _DIMENSIONS.get(match.group(1), "") if match else ""


def different_dimensions(first_text: str, first: Quantity, second_text: str, second: Quantity) -> bool:
    """Two measures of different dimensions: "a wreck about 25 metres long" and "the wreck lies 44 metres
    down" give its length and its depth. Not when either names none ("at a depth of 38 metres" names it before)."""
    mine, theirs = dimension(first_text, first), dimension(second_text, second)
    return bool(mine and theirs) and mine != theirs


ONE_OF_MANY = 5  # "one punch" against "178 punches": a single one is one of many, not a count of them


def one_of_many(first: Quantity, second: Quantity) -> bool:
    """One thing against ``ONE_OF_MANY`` times as many or more: "In the sixth, he landed one punch" / "landed 178
    punches", "one bullet entered his side" / "seven bullets": a single one picked out of many, not a count told
    two ways. Never for counts of people: "one person was killed" / "five people were killed" is a toll in
    conflict."""
    if _counts_people(first.noun) or _counts_people(second.noun):
        return False
    small, large = sorted((first.value, second.value))
    return small == 1 and large >= ONE_OF_MANY


def _counts_people(noun: str) -> bool:
    return noun.startswith("people") or noun in _GENERIC_KEYS or noun in ("man", "woman")


_TIME_SPANS = frozenset("second minute hour day week month year decade season".split())


def find_quantities(text: str) -> list[Quantity]:
    """Every number with its noun in text, as an interval (see the module docstring)."""
    found, joined = [], False
    for match in _QUANTITY_RE.finditer(text):
        if not match.group().strip() or (match["words"] and match["words"].strip().lower() == "one"
                                          and match["of"]):
            continue
        end = match.end()
        joined = joined or text[end:end + 1] in _HYPHENS and text[end + 1:end + 2].isdigit()
        quantity = _quantity(text, match)
        if quantity is not None and not _is_conversion(text, quantity, found) and not _is_address(text, quantity):
            found.append(_with_range(text, quantity))
    if joined:  # a figure followed by "-9": a score, a record or a range
        found = sorted(found + _scores_and_ranges(text), key=lambda q: q.start)
    return _scaled_range_starts(text, found)


# "9-14", "52-3-1", "88-72", "10-12": one to three digits joined by hyphens, not inside a longer token ("AK-47",
# "2008-09", "555-1234", "4-6pm")
_PAIR_RE = re.compile(r"(?<![\w.,$€£/:-])(\d{1,3})[-–](\d{1,3})(?:[-–](\d{1,3}))?"
                      r"(?![\w.,%/:-]|\s?(?:am|pm|a\.m|p\.m)\b)")
SCORE_NOUN = "score"
_HYPHENS = ("-", "–")


def _scores_and_ranges(text: str) -> list[Quantity]:
    """Figures joined by hyphens. Before a plural counted noun they are a range ("10-12 people": 10 to 12
    people); otherwise a score or a win-loss record ("a 9-14 start", "52-3 with 46 KOs", "an 88-72 setback"):
    one value of the noun ``SCORE_NOUN``, encoded so that two scores agree only when every part does."""
    found = []
    for match in _PAIR_RE.finditer(text):
        parts = [int(part) for part in match.groups() if part is not None]
        raw_noun, end = _noun_after(text, match.end())
        before = re.search(r"([A-Za-z]+)\.?\s*$", text[max(0, match.start() - 12):match.start()])
        if before and before.group(1).lower() in _MONTHS:
            continue  # "May 3-4": days
        plural = raw_noun in _GENERIC_NOUNS or singular(raw_noun) != raw_noun.lower()
        if len(parts) == 2 and raw_noun and parts[0] < parts[1] and plural:
            noun = _noun_key(raw_noun, text, end, match.start())
            found.append(Quantity(text[match.start():end], float(parts[1]), float(parts[0]), float(parts[1]), noun,
                                  "between", match.start(), end))
            continue
        value = float(sum(part * 1000 ** (len(parts) - 1 - i) for i, part in enumerate(parts)))
        found.append(Quantity(match.group(), value, value, value, SCORE_NOUN, "", match.start(), match.end()))
    return found


_RANGE_JOIN_RE = re.compile(r"\s*(?:[-–]|to|and)\s*([$€£]?)(\d[\d,]*(?:\.\d+)?)\s?(" + "|".join(_SCALES)
                            + r"|bn|mm|m)\b", re.IGNORECASE)


def _scaled_range_starts(text: str, found: list[Quantity]) -> list[Quantity]:
    """ "$140-150MM", "$140 to $150 million": the first figure takes the scale of the second, and the pair
    is one interval (not $140 against $150 million)."""
    kept = []
    for quantity in found:
        match = _RANGE_JOIN_RE.match(text, quantity.end)
        if quantity.noun not in ("$", "%") or match is None or not re.fullmatch(r"[$€£]?\d[\d,.]*", quantity.text):
            kept.append(quantity)
            continue
        scale = scale_factor(match.group(3))
        high = float(match.group(2).replace(",", "")) * scale
        low = quantity.value * scale
        if not low < high:
            kept.append(quantity)
            continue
        kept.append(replace(quantity, text=text[quantity.start:match.end()], value=high, low=low, high=high,
                            qualifier="between", end=match.end()))
    return [q for q in kept if not any(o is not q and o.start < q.start < o.end for o in kept)]


_RANGE_START_RE = re.compile(rf"\bbetween\s+[$€£]?(\d[\d,]*(?:\.\d+)?|{_NUMBER_WORDS})\s+and\s+$", re.IGNORECASE)


def _with_range(text: str, quantity: Quantity) -> Quantity:
    """ "between six and twelve years": the interval from the first figure to this one."""
    match = _RANGE_START_RE.search(text[max(0, quantity.start - 40):quantity.start])
    if match is None or quantity.qualifier:
        return quantity
    first = match.group(1).replace(",", "")
    low = float(first) if first[0].isdigit() else _words_value(first)
    digits = re.sub(r"[^\d.]", "", quantity.text.split()[0]) if quantity.text[:1] in "$€£0123456789" else ""
    scale = quantity.value / float(digits) if digits and float(digits) else 1.0  # "between 140 and 150 million"
    if low is None or not 0 <= low * scale < quantity.value:
        return quantity
    return replace(quantity, low=low * scale, qualifier="between")


def _is_conversion(text: str, quantity: Quantity, before: list[Quantity]) -> bool:
    """ "1,150 kilometers (700 miles)", "$US1 million ($1.52 million)": the figure just before, in other units."""
    opening = text[:quantity.start].rstrip()
    if not opening.endswith("("):
        return False
    return bool(re.search(r"\d[\w.,%]*\s*(?:[a-z]+\s*){0,2}$", opening[:-1].rstrip())) or any(
        q.end >= len(opening[:-1].rstrip()) - 1 for q in before)


def _is_address(text: str, quantity: Quantity) -> bool:
    """ "the 12000 block of East 223rd Street": a street number, not a count of blocks."""
    return quantity.noun == "block" and bool(re.search(r"\bthe\s+$", text[max(0, quantity.start - 6):quantity.start],
                                                        re.IGNORECASE))


def same_count(first: str, second: str) -> bool:
    """Whether two noun keys count the same thing: equal, or two sums of money one of which names nothing
    ("$3 million" and "a $9 million salary"; not "a $90 million deal" and "$183 million guaranteed")."""
    return first == second or (first[:1] == "$" == second[:1] and "$" in (first, second))


SAME_BOUND_TOLERANCE = 0.25


def _bound(quantity: Quantity) -> str:
    """ "lower" for "at least N", "upper" for "under N", "" for exact or approximate figures."""
    if math.isinf(quantity.high):
        return "lower"
    return "upper" if quantity.low == 0 and quantity.qualifier else ""


def quantities_agree(first: Quantity, second: Quantity) -> bool:
    """Whether two quantities of the same noun can both be true.

    Their intervals must overlap. Two bounds of the same direction ("more than
    50" and "more than 103") must also be close: reporters who both write
    "more than" are quoting a figure, and a different figure is a different claim.
    """
    tolerance = 1e-9 * max(1.0, abs(first.value), abs(second.value))
    overlap = first.low <= second.high + tolerance and second.low <= first.high + tolerance
    if overlap and _bound(first) and _bound(first) == _bound(second):
        larger = max(first.value, second.value) or 1.0
        return abs(first.value - second.value) / larger <= SAME_BOUND_TOLERANCE
    return overlap


def gives_figure(stated: Quantity, quantity: Quantity) -> bool:
    """Whether ``stated`` gives ``quantity``'s figure, not merely allows it: they agree, and an open bound
    is close to the figure ("at least a dozen" gives 12; "at least three people" does not give seven, though
    it does not contradict it either)."""
    if not quantities_agree(stated, quantity):
        return False
    if not _bound(stated) or _bound(stated) == _bound(quantity):
        return True
    larger = max(stated.value, quantity.value) or 1.0
    return abs(stated.value - quantity.value) / larger <= SAME_BOUND_TOLERANCE
