"""Claims: the checkable units of an article, each with its slots.

A claim is a sentence, or a clause when a sentence packs several facts
("..., while ..."; "...; ..."), with what it says in comparable form:

* ``quantities``: numbers with their noun as intervals (``nlp/numbers.py``);
* ``places``: gazetteer places with the country the sentence claims for them
  (``nlp/places.py``) -- "Russia's Sumy region" records Russia as claimed;
  places that are part of a longer name ("Betty Ford Center") are dropped;
* ``dates``: days, weekdays and years resolved against ``published_at``;
* ``actors``: people and organisations from capitalised runs, with the role
  written before them ("Prosecutor Terry White" -> role "prosecutor");
* ``event``: the first verb-like word, for the record;
* ``terms``: singular content words, for alignment.

Everything is regular expressions and gazetteer lookups, so the whole text
of an article is read (about a millisecond per sentence); spaCy is not used
here because it would cost more than the whole per-article budget of the
cross-check. This module must not compare claims or decide verdicts: that is
``crosscheck.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from newsloom.models import Article
from newsloom.nlp.gazetteer import COMMON_WORDS, DEMONYMS
from newsloom.nlp.numbers import DateMention, Quantity, find_dates, find_quantities
from newsloom.nlp.places import PlaceMention, find_place_mentions, well_known
from newsloom.nlp.text import STOPWORDS, content_words, split_sentences

MIN_CLAUSE_WORDS = 5

ROLE_WORDS = frozenset(
    """president minister secretary spokesman spokeswoman spokesperson chief head director governor gov
    senator sen rep representative mayor judge prosecutor lawyer attorney coach manager captain ceo chairman
    chairwoman chair commander general gen officer sheriff detective inspector superintendent founder leader
    king queen pope ambassador agent actor actress singer pitcher quarterback striker goalkeeper player owner
    analyst deputy official correspondent reporter premier chancellor dr mr mrs ms""".split()
)
_ORG_WORDS = frozenset(
    """ministry department police agency office council committee court party army navy force forces
    university college school hospital company corporation corp inc ltd group bank association union
    federation league club team times post news network service services commission institute center
    centre foundation organization organisation brigade regiment administration government parliament
    congress senate house board authority airlines airline fund project channel""".split()
)
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:['’-][A-Z]?[a-z]+)*|[A-Z]\.|[A-Z]{2,6}|Mc[A-Z][a-z]+)"
_NAME_RUN_RE = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:(?:de|van|von|bin|al|da|del|di|la|le)\s+)?{_NAME_TOKEN})*")
_CLAUSE_SPLIT_RE = re.compile(r";\s+|,\s+(?:while|whereas|but|and)\s+|\s+while\s+")
_IRREGULAR_VERBS = frozenset(
    """hit struck said says shot sent took made left fell rose ran won lost met began broke brought bought
    built came caught chose cut drove fought found flew gave got held hurt kept knew led paid put quit saw
    sold set shut spent stood stole swept threw told went wrote died killed sank""".split()
)
_NOT_NAMES = frozenset("western eastern northern southern europe africa asia america meanwhile however".split())
# Words of datelines and time stamps ("Posted 4:08 PM ET Updated"): a capitalised run holding one is no name.
_STAMP_WORDS = frozenset("am pm gmt et est edt pst pdt ist utc cst cet bst updated posted published edited "
                         "story created".split())
_CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed
    thu thur thurs fri sat sun""".split()
)


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # "person" | "org"
    role: str = ""  # e.g. "ukrainian president", "lawyer"

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset(t for t in re.findall(r"[a-z]+", self.name.lower()) if len(t) > 1)

    @cached_property
    def surname(self) -> str:
        """The last word of the name: later mentions use it alone ("Zelensky")."""
        words = re.findall(r"[a-z]+", self.name.lower())
        return words[-1] if words else ""

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "role": self.role}


@dataclass
class Claim:
    id: str  # "<article id>:<n>"
    article_id: str
    text: str  # the claim unit (a sentence or one clause of it)
    sentence: str  # the full sentence it came from
    index: int  # position in the article (0 = title)
    quantities: list[Quantity] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)  # locations (no demonyms, no attributing possessives)
    countries: list[str] = field(default_factory=list)  # country codes named by demonyms ("Russian")
    dates: list[DateMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    event: str = ""
    terms: frozenset[str] = frozenset()

    def slots(self) -> dict:
        return {
            "numbers": [q.to_dict() for q in self.quantities],
            "places": [p.to_dict() for p in self.places],
            "countries": list(self.countries),
            "dates": [d.to_dict() for d in self.dates],
            "actors": [a.to_dict() for a in self.actors],
            "event": self.event,
        }


def split_clauses(sentence: str) -> list[str]:
    """The sentence, or its clauses when it joins facts with ';' or ', while/but/and'."""
    parts, start = [], 0
    for match in _CLAUSE_SPLIT_RE.finditer(sentence):
        left, right = sentence[start:match.start()], sentence[match.end():]
        if len(left.split()) >= MIN_CLAUSE_WORDS and len(right.split()) >= MIN_CLAUSE_WORDS:
            parts.append(left.strip())
            start = match.end()
    parts.append(sentence[start:].strip())
    return [part for part in parts if part]


def _is_name_part(sentence: str, mention: PlaceMention) -> bool:
    """A place inside a longer capitalised name: "Lindsay Lohan", "Betty Ford Center"."""
    before = sentence[:mention.start].rstrip()
    after = sentence[mention.end:].lstrip()
    word_before = re.search(r"[A-Z][\w’'.-]*(?<!['’]s)$", before)
    joined_before = (word_before is not None and word_before.group().lower() not in STOPWORDS  # "In Lyon, ..."
                     and len(before) == len(sentence[:mention.start]) - 1)
    possessive = bool(re.search(r"['’]s$", sentence[mention.start:mention.end]))
    joined_after = (not possessive and bool(re.match(r"[A-Z]", after))
                    and len(after) == len(sentence[mention.end:]) - 1)
    return joined_before or joined_after


def _sort_mentions(sentence: str, mentions: list[PlaceMention]) -> tuple[list, list, list]:
    """(locations, demonyms, possessors): "Russia's" in "Russia's Sumy region" only attributes."""
    possessors = [m for m in mentions if any(p.claimed_country and p is not m
                                             and p.attribution.startswith(sentence[m.start:m.end]) for p in mentions)]
    demonyms = [m for m in mentions if m.is_demonym]
    locations = [m for m in mentions if not m.is_demonym and m not in possessors and not _is_name_part(sentence, m)]
    return locations, demonyms, possessors


def _split_role(tokens: list[str]) -> tuple[list[str], list[str]]:
    """("Ukrainian President Volodymyr Zelensky") -> (["ukrainian", "president"], ["Volodymyr", "Zelensky"])."""
    last_role = max((i for i, t in enumerate(tokens) if t.lower().rstrip(".") in ROLE_WORDS), default=-1)
    return [t.lower().rstrip(".") for t in tokens[:last_role + 1]], tokens[last_role + 1:]


def _role_before(sentence: str, start: int) -> list[str]:
    """Lower-case role words written just before a name: "her lawyer Mark Heller"."""
    words_before = re.findall(r"[A-Za-z]+", sentence[max(0, start - 40):start])[-3:]
    role = []
    for word in reversed(words_before):
        if word.lower() in ROLE_WORDS or (role and word.lower() in DEMONYMS):
            role.insert(0, word.lower())
        elif not role and word.lower() in ("the", "a", "her", "his", "their", "its"):
            continue
        else:
            break
    return role


def _actor(tokens: list[str], role_words: list[str]) -> Actor | None:
    name = " ".join(tokens).replace("’s", "").replace("'s", "")
    lowered = [t.lower().rstrip(".") for t in tokens]
    if len(tokens) == 1 and ("-" in name or lowered[0] in _NOT_NAMES):
        return None
    if not tokens or all(t in COMMON_WORDS or t in STOPWORDS or t in _CALENDAR_WORDS for t in lowered):
        return None
    if any(t in _STAMP_WORDS for t in lowered):
        return None
    if len(tokens) == 1 and re.split(r"['’]", lowered[0])[0] in STOPWORDS:
        return None  # "We're", "It's": a contraction opening a quote
    if any(t in _ORG_WORDS for t in lowered) or (len(tokens) == 1 and tokens[0].isupper()):
        return Actor(name, "org", " ".join(role_words))
    return Actor(name, "person", " ".join(role_words))


def _is_headline_case(text: str) -> bool:
    tokens = [t for t in text.split() if t[:1].isalpha() and t.lower() not in STOPWORDS]
    return len(tokens) >= 4 and all(t[:1].isupper() for t in tokens)


def find_actors(sentence: str, places: list[PlaceMention]) -> list[Actor]:
    """People and organisations named in a sentence, with the role written before them.

    ``places`` are the sentence's locations and demonyms: they are masked out
    first, so "Russia's Sumy region" is not read as a name.
    """
    if _is_headline_case(sentence):
        return []  # In Title Case every word looks like a name
    masked = list(sentence)
    for place in places:
        masked[place.start:place.end] = " " * (place.end - place.start)
    masked_sentence = "".join(masked)
    actors = []
    for run in _NAME_RUN_RE.finditer(masked_sentence):
        for number, tokens in enumerate(_name_chunks(run.group().split())):
            while tokens and (tokens[0].lower() in STOPWORDS or tokens[0].lower() in DEMONYMS):
                tokens = tokens[1:]  # "The", "But", "Russian" before the name
            title_role, name_tokens = _split_role(tokens)
            if run.start() == 0 and number == 0 and len(name_tokens) == 1 and not title_role:
                continue  # one capitalised word opening a sentence is usually not a name
            role = title_role or (_role_before(sentence, run.start()) if number == 0 else [])
            actor = _actor(name_tokens, role)
            if actor is not None and actor.name.lower() not in DEMONYMS:
                actors.append(actor)
    return actors


def _name_chunks(tokens: list[str]) -> list[list[str]]:
    """A capitalised run cut at capitalised function words inside it: "Fire Damaged In Church Attack"
    (headline capitals) holds no name that runs across "In"."""
    chunks = [[]]
    for token in tokens:
        if chunks[-1] and token.lower() in STOPWORDS:
            chunks.append([])
        chunks[-1].append(token)
    return chunks


def _event_verb(text: str) -> str:
    for word in re.findall(r"\b[a-z]+\b", text):
        if word in _IRREGULAR_VERBS or (len(word) > 4 and word.endswith("ed") and word not in STOPWORDS):
            return word
    return ""


_SUFFIX_RE = re.compile(r"(?:ing|ed|es|s|ly|ment)$")


def stem(word: str) -> str:
    """A crude stem, so that "targeted", "targeting" and "targets" meet; never shorter than four letters."""
    word = word.replace("’", "'").split("'")[0]
    stemmed = _SUFFIX_RE.sub("", word)
    stemmed = stemmed[:-1] if len(stemmed) > 4 and stemmed[-1] == stemmed[-2] else stemmed  # travell -> travel
    return stemmed if len(stemmed) >= 4 else word


def claim_terms(text: str, quantities: list[Quantity] = (), places: list[PlaceMention] = ()) -> frozenset[str]:
    """What alignment compares: stemmed content words, plus one term per counted noun and per region."""
    terms = {stem(word) for word in content_words(text)}
    terms.update("#" + quantity.noun for quantity in quantities)
    terms.update(f"@{p.place.country_code}-{p.place.admin1}" for p in places if p.place.admin1)
    return frozenset(terms)


DATELINE_CHARS = 30


TITLE_CASE_SHARE = 0.8  # a clause whose longer words are capitalised this often is written in title case
_LONG_WORD_RE = re.compile(r"\b[A-Za-z][a-z]{3,}\b|\b[A-Z]{4,}\b")


def is_title_case(clause: str) -> bool:
    """Written in title case, as many headlines are ("George Floyd Will Be Laid to Rest in Houston"): at least
    three words of four letters or more, nearly all capitalised."""
    words = _LONG_WORD_RE.findall(clause)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _claim(article: Article, index: int, clause: str, sentence: str) -> Claim:
    locations, demonyms, possessors = _sort_mentions(clause, find_place_mentions(clause))
    quantities = find_quantities(clause)
    places = [m for m in locations if well_known(m.place)] if is_title_case(clause) else locations
    return Claim(
        id=f"{article.id}:{index}", article_id=article.id, text=clause, sentence=sentence, index=index,
        quantities=quantities, places=places,
        countries=[m.place.country_code for m in demonyms],
        dates=_event_dates(article, clause), actors=find_actors(clause, locations + demonyms + possessors),
        event=_event_verb(clause), terms=claim_terms(clause, quantities, places),
    )


_STAMP_BEFORE_RE = re.compile(r"\b(?:published|updated|posted|edited|created)(?:\s+time)?\s*:?\s*$"
                              r"|\bposted\s+in\b[^.;]{0,40}\bon\s+(?:[a-z]+day,?\s+)?$", re.IGNORECASE)
_STAMP_AFTER_RE = re.compile(r"[\s,]*(?:(?:19|20)\d\d[\s,]*)?\|\s*(?:updated|posted|published)\b", re.IGNORECASE)
_CLOCK_AFTER_RE = re.compile(r"[\s,]*(?:[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?[\s,]*)?(?:(?:19|20)\d\d[\s,]*)?"
                             r"\d{1,2}[:.]\d\d\b")


_DATELINE_BEFORE_RE = re.compile(r"\b(?:on|in|since|until|till|by|from|before|after|of|to|and|or|between|through|"
                                 r"than|at|that|the|was|were|is|are|be|been)\s+$", re.IGNORECASE)
_YEAR_END_RE = re.compile(r"(?:19|20)\d\d$")


def _is_dateline(clause: str, mention: DateMention) -> bool:
    """ "... in Danger Mar 4, 2009 In a move that ...": a full date run into the next sentence's capital, with no
    word tying it to an event before it (in prose: "on March 3, 2009, Obama ..."), is when the page was filed."""
    end = mention.start + len(mention.text)
    if mention.granularity != "day" or not _YEAR_END_RE.search(mention.text):
        return False
    return bool(re.match(r"\s+[A-Z]", clause[end:end + 2])) and not _DATELINE_BEFORE_RE.search(
        clause[max(0, mention.start - 12):mention.start])


def _is_stamp(clause: str, mention: DateMention) -> bool:
    """ "Updated: Monday, 28 November 2005, 02:24 GMT": when the page was written, not when the event was."""
    return _is_marked_stamp(clause, mention) or _is_dateline(clause, mention)


def _is_marked_stamp(clause: str, mention: DateMention) -> bool:
    """A date marked as a time stamp: after "Updated", before a clock time or "| Updated"."""
    end = mention.start + len(mention.text)
    return bool(_STAMP_BEFORE_RE.search(clause[max(0, mention.start - 60):mention.start])
                or _CLOCK_AFTER_RE.match(clause, end) or _STAMP_AFTER_RE.match(clause, end))


_WEEKDAY_JOIN_RE = re.compile(r",?\s*")


def _stamped_weekdays(clause: str, found: list[DateMention], stamps: list[bool]) -> list[bool]:
    """ "Monday, Sep 10, 2012 | Updated ...": a weekday written just before a date marked as a stamp is part of
    it (not before a date only run into the next sentence: "End of Watch: Sunday, June 24, 2005 Deputy ...")."""
    stamped_starts = {d.start for d, stamp in zip(found, stamps) if stamp and d.granularity == "day"
                      and _is_marked_stamp(clause, d)}
    if not stamped_starts:
        return stamps
    return [stamp or mention.granularity == "weekday"
            and _WEEKDAY_JOIN_RE.match(clause, mention.start + len(mention.text)).end() in stamped_starts
            for mention, stamp in zip(found, stamps)]


def _event_dates(article: Article, clause: str) -> list[DateMention]:
    """Dates of the clause, without datelines and time stamps: a date opening the article text is when it
    was filed, and a date followed by a clock time, after "Updated", or run into the next sentence (``_is_dateline``)
    is when the page was, and so is a weekday written just before such a date."""
    found = find_dates(clause, article.published_at)
    stamps = _stamped_weekdays(clause, found, [_is_stamp(clause, d) for d in found])
    dates = [d for d, stamp in zip(found, stamps) if not stamp]
    if article.text.lstrip().startswith(clause[:DATELINE_CHARS]):
        dates = [d for d in dates if d.start >= DATELINE_CHARS or _in_lead_prose(clause, d)]
    return dates


_LEAD_STAMP_WORDS = frozenset({"on", "at", "by", "published", "updated", "posted", "last", "time", "edited", "date"})
_OPENING_ON_RE = re.compile(r"\s*on\s+$", re.IGNORECASE)
_SUBJECT_ON_RE = re.compile(r"(?:[A-Z][\w.’'-]*\s+)+on\s+")
_STAMPED_OPENING_RE = re.compile(r"\b(?:19|20)\d\d\b|\d:\d\d")  # a year or a clock time: a page stamp


def _in_lead_prose(clause: str, mention: DateMention) -> bool:
    """A day in the first words of an article that its lead sentence tells, not a dateline: no year or clock
    time in those words, and prose before the day ("The Senate on Monday voted", "Turkmens go to the polls
    Sunday") or "On Thursday," opening the sentence. "Published: Monday", "on September 10th, 2010 According"
    and "Sunday, November 27" stay datelines."""
    if mention.granularity == "year" or _STAMPED_OPENING_RE.search(clause[:DATELINE_CHARS]):
        return False
    before = clause[:mention.start]
    if _OPENING_ON_RE.fullmatch(before):
        return clause[mention.start + len(mention.text):].startswith(",")
    words = re.findall(r"[A-Za-z]+", before)
    if _SUBJECT_ON_RE.fullmatch(before):  # "President Donald Trump on Friday signed": a named subject, then the day
        return not any(word.lower() in _LEAD_STAMP_WORDS - {"on"} for word in words)
    return any(word.islower() and word not in _LEAD_STAMP_WORDS for word in words)


def extract_claims(article: Article, *, max_claims: int | None = None) -> list[Claim]:
    """The article's claims in reading order: the title (index 0), then sentences split into clauses."""
    claims: list[Claim] = []
    if article.title.strip():
        claims.append(_claim(article, 0, article.title.strip(), article.title.strip()))
    for sentence in split_sentences(article.text):
        if max_claims is not None and len(claims) >= max_claims:
            break
        for clause in split_clauses(sentence):
            if len(clause.split()) >= 3:
                claims.append(_claim(article, len(claims), clause, sentence))
    return claims[:max_claims] if max_claims is not None else claims
