"""Quantities and dates in a sentence, as comparable values.

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
* ``find_dates(text, published_at)`` resolves "June 3", "3 June 2024",
  "2008" and weekdays ("on Monday": the latest such day on or before the
  publication date) to ``DateMention(day or year)``.

This module is regular expressions and small tables only: it must not call
spaCy, the gazetteer, or compare articles.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

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
_TOKEN_RE = re.compile(r"\s*[-–]?\s*([a-z][A-Za-z’'-]*)")

_MONTHS = {name: i + 1 for i, name in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_RE = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|" \
            r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
# After these words a year is a date whatever follows it ("died in 2003 after 21 years"); elsewhere a year before
# a lower-case word is more often part of a name or a measure ("the 2008 season", "2003 models").
_YEAR_PREPOSITIONS = "(?:" + "|".join(rf"(?<=\b{word} )" for word in
                                      "in since until by from before after during of early late".split()) + ")"
_DATE_RE = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_RE})(?:,?\s+(?P<year2>(?:19|20)\d\d))?\b"
    rf"|\b(?P<weekday>{'|'.join(_WEEKDAYS)})\b"
    rf"|\b(?P<year3>(?:19|20)\d\d)\b(?!\s*(?:[-–]\s*)?[a-z])"
    rf"|{_YEAR_PREPOSITIONS}\b(?P<year4>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)",
    re.IGNORECASE,
)


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


@dataclass(frozen=True)
class DateMention:
    text: str
    granularity: str  # "day" | "weekday" | "year"
    day: date | None = None  # resolved day ("day", or a weekday resolved against the publication date)
    year: int | None = None
    weekday: str | None = None  # unresolved weekday name
    month_day: str | None = None  # "06-03": a day without a year and no publication date
    start: int = 0
    verb: str = ""  # the event the date belongs to: the nearest verb ("broke" in "talks broke down on Sunday")

    @property
    def key(self) -> str:
        if self.day is not None:
            return self.day.isoformat()
        return self.weekday or self.month_day or str(self.year)

    def to_dict(self) -> dict:
        return {"text": self.text, "granularity": self.granularity, "resolved": self.key}


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


def _noun_after(text: str, position: int) -> tuple[str, int]:
    """Head noun of the words following a number and where it ends: the last of up to three
    content words, stopping at stopwords and at participles after the first word."""
    noun, end, taken = "", position, 0
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


def _quantity(text: str, match: re.Match) -> Quantity | None:
    amount = _amount(match)
    if amount is None or _is_year(match):
        return None
    value, low, high = amount
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
    "a five-time All-Defensive pick" and "a four-time All-Star". Not when either qualifies nothing written."""
    return bool(first.describes and second.describes) and first.describes != second.describes


_TIME_SPANS = frozenset("second minute hour day week month year decade season".split())


def find_quantities(text: str) -> list[Quantity]:
    """Every number with its noun in text, as an interval (see the module docstring)."""
    found = []
    for match in _QUANTITY_RE.finditer(text):
        if not match.group().strip() or (match["words"] and match["words"].strip().lower() == "one"
                                          and match["of"]):
            continue
        quantity = _quantity(text, match)
        if quantity is not None and not _is_conversion(text, quantity, found) and not _is_address(text, quantity):
            found.append(_with_range(text, quantity))
    return _scaled_range_starts(text, found)


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


def _resolve_weekday(name: str, published: date | None, future: bool = False) -> date | None:
    if published is None:
        return None
    if future:
        return published + timedelta(days=(_WEEKDAYS.index(name) - published.weekday()) % 7)
    back = (published.weekday() - _WEEKDAYS.index(name)) % 7
    return published - timedelta(days=back)


def _day_mention(match: re.Match, published: date | None) -> DateMention | None:
    month = _MONTHS[(match["month"] or match["month2"]).lower().rstrip(".")]
    day = int(match["day"] or match["day2"])
    year_text = match["year"] or match["year2"]
    year = int(year_text) if year_text else (published.year if published else None)
    if year is None:
        return DateMention(match.group(), "day", None, None, None, f"{month:02d}-{day:02d}", match.start())
    try:
        resolved = date(year, month, day)
    except ValueError:
        return None
    if not year_text and published and resolved > published + timedelta(days=180):
        resolved = date(year - 1, month, day)  # "Dec 30" in a January article
    return DateMention(match.group(), "day", resolved, resolved.year, None, None, match.start())


_RANGE_AFTER_RE = re.compile(r"\s*(?:[-–/]\s*\d|(?:to|and|through|until)\s+(?:19|20)\d\d)")
_RANGE_BEFORE_RE = re.compile(r"(?:\d\s*[-–/]|(?:19|20)\d\d\s+(?:to|and|through|until))\s*$")


def _in_year_range(text: str, start: int, end: int) -> bool:
    """ "1994-96", "2008-09 season", "from 1943 to 1947": a span of years, not the date of one event."""
    return bool(_RANGE_AFTER_RE.match(text, end) or _RANGE_BEFORE_RE.search(text[max(0, start - 20):start]))


# Verbs of events that news dates, in their written forms; words ending in "-ed" count as verbs too.
_EVENT_VERBS = frozenset(
    """said says told tells hit struck sent took made left fell rose ran won lost met began begun broke brought
    came caught fought found flew gave got held upheld kept knew paid quit saw sold stood stole swept threw wrote
    died sank went spent born""".split()
)
_NOT_VERBS = frozenset("hundred red bed need seed feed speed shed led-by united based".split())
_FUTURE_RE = re.compile(r"\b(?:will|'ll|’ll|shall|to be|due|scheduled|planned|expected to|next|starting)\b"
                        r"[^;]{0,50}$", re.IGNORECASE)
_PAST_FORMS = {"hit": "hit", "struck": "strike", "said": "say", "told": "tell", "sent": "send", "took": "take",
               "made": "make", "left": "leave", "fell": "fall", "rose": "rise", "ran": "run", "won": "win",
               "lost": "lose", "met": "meet", "began": "begin", "begun": "begin", "broke": "break", "brought": "bring",
               "came": "come", "caught": "catch", "fought": "fight", "found": "find", "flew": "fly", "gave": "give",
               "got": "get", "held": "hold", "kept": "keep", "knew": "know", "led": "lead", "paid": "pay",
               "saw": "see", "sold": "sell", "stood": "stand", "stole": "steal", "swept": "sweep", "threw": "throw",
               "wrote": "write", "went": "go", "sank": "sink", "spent": "spend", "died": "die"}
_CLAUSE_CUT_RE = re.compile(r"[;:]|,\s+(?:and|but|while|after|before|when|as)\b|\b(?:after|before|when|while)\b")
DATE_VERB_AFTER_WORDS = 3
_CLAUSE_WORDS = frozenset("after before when while as and but because since until".split())


def verb_lemma(word: str) -> str:
    """ "broke" -> "break", "opened" -> "open", "meets" -> "meet", "announced" -> "announc" (crude, but both
    forms of one verb meet: "announce" -> "announc")."""
    word = word.lower()
    if word in _PAST_FORMS:
        return _PAST_FORMS[word]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("e", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]  # "stopped" -> "stop"
    return word


def _is_verb(word: str, previous: str = "") -> bool:
    word = word.lower()
    if previous.lower() in ("will", "would", "to", "shall", "could", "may", "might") and word not in STOPWORDS:
        return True  # "will meet", "to resume"
    return word in _EVENT_VERBS or (len(word) > 4 and word.endswith("ed") and word not in _NOT_VERBS
                                    and word not in STOPWORDS)


def date_verb(text: str, start: int, end: int) -> str:
    """The verb of the event a date belongs to: the nearest verb just after it ("on Thursday upheld"),
    else the nearest before it in the same clause ("talks broke down on Sunday", "police said Saturday")."""
    after = re.findall(r"[A-Za-z]+", text[end:end + 40].split(",")[0])[:DATE_VERB_AFTER_WORDS]
    for word in after:
        if word.lower() in _CLAUSE_WORDS:
            break  # "on Monday after talks broke down": "broke" is another event's
        if _is_verb(word):
            return verb_lemma(word)
    before = text[:start]
    cuts = list(_CLAUSE_CUT_RE.finditer(before))
    clause = before[cuts[-1].end():] if cuts else before
    words = re.findall(r"[A-Za-z]+", clause)
    for index in range(len(words) - 1, -1, -1):
        if _is_verb(words[index], words[index - 1] if index else ""):
            return verb_lemma(words[index])
    return ""


def _is_future(text: str, start: int) -> bool:
    """ "will meet on Tuesday", "is scheduled for Tuesday", "next Tuesday": a day still to come."""
    return bool(_FUTURE_RE.search(text[max(0, start - 50):start]))


def find_dates(text: str, published_at: datetime | None = None) -> list[DateMention]:
    """Dates, weekdays and years in text, resolved against the publication date when given.

    A weekday is the latest such day on or before publication, or the next one on or after it when
    the words before it speak of the future ("will meet on Tuesday"). Each date keeps the verb of its
    event (``date_verb``).
    """
    published = published_at.date() if published_at else None
    found = []
    for match in _DATE_RE.finditer(text):
        verb = date_verb(text, match.start(), match.end())
        if match["weekday"]:
            name = match["weekday"].lower()
            day = _resolve_weekday(name, published, _is_future(text, match.start()))
            found.append(DateMention(match.group(), "weekday", day, day.year if day else None,
                                     None if day else name, None, match.start(), verb))
        elif match["year3"] or match["year4"]:
            if not _in_year_range(text, match.start(), match.end()):
                found.append(DateMention(match.group(), "year", None, int(match["year3"] or match["year4"]),
                                         start=match.start(),
                                         verb=verb))
        else:
            mention = _day_mention(match, published)
            if mention is not None:
                found.append(replace(mention, verb=verb))
    return found


def dates_agree(first: DateMention, second: DateMention) -> bool | None:
    """True/False when the two can be compared, None when they cannot (e.g. a year and a weekday).

    Two weekdays of the same name agree even when resolved a week apart: a
    weekday says nothing about which week ("strike from Monday" written on a
    Tuesday means the next one).
    """
    if first.granularity == second.granularity == "weekday" and first.text.lower() == second.text.lower():
        return True
    if first.day is not None and second.day is not None:
        return first.day == second.day
    if "year" in (first.granularity, second.granularity):
        return None if first.year is None or second.year is None else first.year == second.year
    if first.weekday and second.weekday:
        return first.weekday == second.weekday
    first_md = first.month_day or (first.day.strftime("%m-%d") if first.day else None)
    second_md = second.month_day or (second.day.strftime("%m-%d") if second.day else None)
    if first_md and second_md:
        return first_md == second_md
    return None
