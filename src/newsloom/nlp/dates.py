"""Dates in a sentence, as comparable values (split out of ``nlp/numbers.py``, which re-exports them).

``find_dates(text, published_at)`` resolves "June 3", "3 June 2024", "2008"
and weekdays ("on Monday": the latest such day on or before the publication
date; the next one when the words before it speak of the future) to
``DateMention``; each mention keeps the verb of its event (``date_verb``).
``dates_agree`` says whether two mentions can both be true, and
``states_date`` whether one gives the other (a year does not give a day).

Regular expressions and small tables only: no spaCy, no gazetteer, no
comparison of articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from newsloom.nlp.text import STOPWORDS

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
# After "the", a year before the noun of an event dates that event ("the 1967 slayings", "the 2004 election");
# "more than 2000 attacks" is a count (``_year_names_event``).
_EVENT_NOUNS = (r"(?:[a-z]{3,}ings|(?:shoot|bomb|kill|slay|stabb|rising)ing|elections?|attacks?|murders?|"
                r"(?:earth)?quakes?|fires?|crash|riots?|war|massacre|coup|floods?|explosions?|blasts?)")
_WORD_AFTER_RE = re.compile(r"\s*(?:[-–]\s*)?[a-z]", re.IGNORECASE)
_THE_BEFORE_RE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_DATE_RE = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_RE})(?:,?\s+(?P<year2>(?:19|20)\d\d))?\b"
    rf"|\b(?P<weekday>{'|'.join(_WEEKDAYS)})\b"
    rf"|{_YEAR_PREPOSITIONS}\b(?P<year4>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)"
    rf"|\b(?P<year3>(?:19|20)\d\d)\b(?!\s*(?:[-–]\s*)?(?!{_EVENT_NOUNS}\b)[a-z])",
    re.IGNORECASE,
)


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
    if not word:
        return False  # a compound adjective (``_verb_words``)
    if previous.lower() in ("will", "would", "to", "shall", "could", "may", "might") and word not in STOPWORDS:
        return True  # "will meet", "to resume"
    return word in _EVENT_VERBS or (len(word) > 4 and word.endswith("ed") and word not in _NOT_VERBS
                                    and word not in STOPWORDS)


def date_verb(text: str, start: int, end: int) -> str:
    """The verb of the event a date belongs to: the nearest verb just after it ("on Thursday upheld"),
    else the nearest before it in the same clause ("talks broke down on Sunday", "police said Saturday")."""
    after = _verb_words(text[end:end + 40].split(",")[0])[:DATE_VERB_AFTER_WORDS]
    for word in after:
        if word.lower() in _CLAUSE_WORDS:
            break  # "on Monday after talks broke down": "broke" is another event's
        if _is_verb(word):
            return verb_lemma(word)
    before = text[:start]
    cuts = list(_CLAUSE_CUT_RE.finditer(before))
    clause = before[cuts[-1].end():] if cuts else before
    words = _verb_words(clause)
    for index in range(len(words) - 1, -1, -1):
        if _is_verb(words[index], words[index - 1] if index else ""):
            return verb_lemma(words[index])
    return ""


_HYPHENATED_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_VERB_PREFIXES = frozenset("re co pre un mis out over under".split())  # "re-elected" is still a verb


def _verb_words(text: str) -> list[str]:
    """The words of text that may be verbs: a compound ("court-mandated rehab", "long-awaited") is an adjective
    and stands as an empty word, so it is neither taken nor skipped over; "re-elected" reads as "elected"."""
    words = []
    for word in _HYPHENATED_RE.findall(text):
        first, _, rest = word.rpartition("-")
        words.append(word if not first else rest if first.lower() in _VERB_PREFIXES else "")
    return words


def _is_future(text: str, start: int) -> bool:
    """ "will meet on Tuesday", "is scheduled for Tuesday", "next Tuesday": a day still to come."""
    return bool(_FUTURE_RE.search(text[max(0, start - 50):start]))


def _year_names_event(text: str, match: re.Match) -> bool:
    """A bare year followed by a word (an event noun, ``_EVENT_NOUNS``) is a date only after "the"."""
    if not match["year3"] or not _WORD_AFTER_RE.match(text, match.end()):
        return True
    return bool(_THE_BEFORE_RE.search(text, max(0, match.start() - 5), match.start()))


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
            if not _in_year_range(text, match.start(), match.end()) and _year_names_event(text, match):
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


def states_date(stated: DateMention, mention: DateMention) -> bool:
    """Whether ``stated`` gives the date ``mention`` gives: they agree, and ``stated`` is no vaguer. A year
    does not give a day ("born in 1923" says nothing for "born on April 27, 1923", nor against it)."""
    if stated.granularity == "year" and mention.granularity != "year":
        return False
    return bool(dates_agree(stated, mention))
