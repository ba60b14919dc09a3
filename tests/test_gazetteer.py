"""The gazetteer: which names are places, of what kind, in which country."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsloom.nlp.gazetteer import default_gazetteer


def kinds_and_countries(name: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.kind, p.country_code) for p in default_gazetteer().lookup(name)]


def test_kursk_region_is_a_russian_region():
    [place] = default_gazetteer().lookup("Kursk region")
    assert (place.name, place.kind, place.country_code, place.country) == ("Kursk region", "region", "RU", "Russia")


def test_oblast_and_leading_article_spell_the_same_region():
    assert kinds_and_countries("Kursk Oblast") == kinds_and_countries("the Kursk region")


def test_sumy_is_a_ukrainian_city_and_its_region_is_ukrainian():
    assert kinds_and_countries("Sumy")[0] == ("Sumy", "city", "UA")
    assert kinds_and_countries("the Sumy region") == [("Sumy region", "region", "UA")]


def test_paris_is_first_the_city_in_france():
    place = default_gazetteer().lookup("paris")[0]
    assert (place.name, place.kind, place.country_code) == ("Paris", "city", "FR")
    assert ("Paris", "city", "US") in kinds_and_countries("Paris")  # Texas, less populous, later


def test_demonym_is_a_country_mention():
    assert kinds_and_countries("Ukrainian") == [("Ukraine", "country", "UA")]


def test_us_state_is_a_region_with_its_code():
    [place] = default_gazetteer().lookup("Texas")
    assert (place.kind, place.country_code, place.admin1) == ("region", "US", "TX")


def test_a_us_state_outranks_the_smaller_towns_named_after_it_but_not_the_big_cities():
    for state, town in [("Oregon", "US"), ("Arizona", "HN"), ("Florida", "CU"), ("Virginia", "ZA")]:
        names = kinds_and_countries(state)
        assert names[0] == (state, "region", "US")
        assert (state, "city", town) in names[1:]  # the town is still known, after the state
    [(_, _, place)] = default_gazetteer().find_places("Wildfires spread across Arizona on Monday.")
    assert (place.kind, place.admin1) == ("region", "AZ")
    assert kinds_and_countries("Washington")[0] == ("Washington", "city", "US")  # the capital, in the news
    assert kinds_and_countries("New York")[0] == ("New York City", "city", "US")


def test_exonym_finds_the_city_by_its_main_name():
    assert kinds_and_countries("Kiev")[0] == ("Kyiv", "city", "UA")


def test_unknown_name_finds_nothing():
    assert default_gazetteer().lookup("Zzyzxville") == []


def test_find_places_gives_spans_of_place_mentions():
    text = "Shelling hit the Sumy region and Kursk, officials in Paris said."
    found = [(text[start:end], place.name) for start, end, place in default_gazetteer().find_places(text)]
    assert found == [("the Sumy region", "Sumy region"), ("Kursk", "Kursk"), ("Paris", "Paris")]


def test_find_places_skips_common_words_that_are_also_place_names():
    text = "Of the Union members, Reading was Nice in March. Mobile phones rang. Most residents left."
    assert default_gazetteer().find_places(text) == []


def test_find_places_ignores_lower_case_words():
    assert default_gazetteer().find_places("a trip to paris and kursk") == []


# -- the remembered answers are the computed ones -------------------------------------------

_SAMPLE_HEADLINES = [
    "Shelling hit the Sumy region and Kursk, officials in Paris said.",
    "Fed's Yellen Says US Economy Still Needs Support From Low Rates",
    "Ukrainian troops pull back as Russia's Black Sea Fleet sails from Sevastopol",
    "The United States and the U.K. back talks in Geneva on Syria",
    "Apple Unveils New iPhone At Event In San Francisco; Shares Rise In New York",
    "Kiev protesters clash with police in the Kharkiv Oblast; Moscow's reply",
    "Of the Union members, Reading was Nice in March. Mobile phones rang.",
    "Texas, Florida And California Lead US Job Gains In June",
    "The Hague rules on the U.K.'s claim; Kiev's mayor. KIEV PROTESTS GROW in İstanbul's The Kursk Oblast's east",
    # Title Case runs (one long capitalised run each): names of several words, "the" and region words inside.
    "Floods In Rio De Janeiro And The Democratic Republic Of The Congo Hit The Kursk Region Too",
    "New York State And The United Arab Emirates Sign Deal In Ho Chi Minh City, Says Los Angeles Mayor",
    "Shelling In Kursk Oblast Hits Homes As Sumy Region Governor Meets Kharkiv Officials",
]


def _greedy_reference(gazetteer, text: str) -> list[tuple[int, int, str, str]]:
    """The longest-match walk written out plainly, asking only ``lookup`` (the rules of ``_accept``)."""
    from newsloom.nlp.gazetteer import (
        _CAPITALISED_RUN_RE, ALTERNATE_MIN_POPULATION, COMMON_WORDS, NAME_TOWN_POPULATION, REGION_WORDS, _strip_region,
    )

    def accept(name):
        if not name[:1].isupper() and not name.lower().startswith("the "):
            return None
        key, has_region_word = _strip_region(name)
        if key == "the" or (key in COMMON_WORDS and not has_region_word):
            return None
        if key.endswith("'s"):
            return accept(name[:-2])
        places = gazetteer.lookup(name)
        return places[0] if places else None

    def after_name(name, previous):  # a town known only by an alternate spelling, after a capitalised non-place
        key, has_region_word = _strip_region(name)
        previous = previous.removesuffix("'s").removesuffix("’s")
        return (not has_region_word and key.removesuffix("'s") in gazetteer._alternate_keys
                and previous[:1].isupper() and previous[-1] not in ",;:" and previous.rstrip(".").lower() != "the"
                and not gazetteer.lookup(previous.rstrip(".")))

    def name_word(token):  # a capitalised word that is not a place, a region word, "the" or a common word
        word = token.removesuffix("'s").removesuffix("’s").rstrip(".")
        return (word[:1].isupper() and word.lower() not in COMMON_WORDS | REGION_WORDS | {"the"}
                and not gazetteer.lookup(word))

    def town_in_name(tokens, i, name, place):  # "Nancy Pelosi", "Barack Obama"
        if place.kind != "city" or place.population >= NAME_TOWN_POPULATION or name != text[tokens[i][0]:tokens[i][1]]:
            return False
        if i + 1 < len(tokens) and name_word(text[tokens[i + 1][0]:tokens[i + 1][1]]):
            return True
        previous = text[tokens[i - 1][0]:tokens[i - 1][1]] if i else ""
        return (bool(previous) and place.population < ALTERNATE_MIN_POPULATION and previous[-1] not in ",;:"
                and name_word(previous))

    found, names = [], set()
    for run in _CAPITALISED_RUN_RE.finditer(text):
        tokens = [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(r"\S+", run.group())]
        i = 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + gazetteer._max_words + 1), i, -1):
                name = text[tokens[i][0]:tokens[j - 1][1]].rstrip(".,;:’'")
                place = accept(name)
                if place is not None and (i > 0 and after_name(name, text[tokens[i - 1][0]:tokens[i - 1][1]])
                                          or j == i + 1 and town_in_name(tokens, i, name, place)):
                    names.add(name.removesuffix("'s").removesuffix("’s").lower())
                    i += 1
                    break
                if place is not None:
                    found.append((tokens[i][0], tokens[i][0] + len(name), place.name, place.country_code))
                    i = j
                    break
            else:
                i += 1
    def bare(mention):
        mention = mention.removesuffix("'s").removesuffix("’s").lower()
        return mention.removeprefix("the ")

    return [f for f in found if bare(text[f[0]:f[1]]) not in names]


def _demo_texts() -> list[str]:
    corpus = Path(__file__).resolve().parents[1] / "examples" / "demo-corpus"
    texts = []
    for line in (corpus / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts += [row.get("title") or "", (row.get("text") or row.get("body") or "")[:3000]]
    return [t for t in texts if t]


def test_find_places_remembered_answers_equal_the_plain_walk():
    gazetteer = default_gazetteer()
    texts = _SAMPLE_HEADLINES + _demo_texts()
    assert len(texts) > len(_SAMPLE_HEADLINES)  # the demo corpus was read
    for _ in range(2):  # the second round is answered from the memo
        for text in texts:
            found = [(start, end, place.name, place.country_code) for start, end, place in gazetteer.find_places(text)]
            assert found == _greedy_reference(gazetteer, text), text
    assert any(_greedy_reference(gazetteer, text) for text in texts)


def test_remembered_answers_cannot_be_changed_by_a_caller():
    gazetteer = default_gazetteer()
    text = "Shelling hit the Sumy region and Kursk, officials in Paris said."
    gazetteer.find_places(text).clear()
    gazetteer.lookup("Paris").clear()
    assert len(gazetteer.find_places(text)) == 3
    assert gazetteer.lookup("Paris")[0].country_code == "FR"


def test_small_towns_alternate_spellings_are_not_places_but_big_cities_exonyms_are():
    gazetteer = default_gazetteer()
    assert gazetteer.lookup("Teixeira") == []  # an alternate spelling of a small Brazilian town
    assert gazetteer.lookup("Bombay")[0].name == "Mumbai"
    assert gazetteer.lookup("Chania")[0].name == "Chaniá"  # a small city's name without its accent is kept


def test_a_town_known_only_by_an_alternate_spelling_is_not_read_after_a_capitalised_word():
    gazetteer = default_gazetteer()
    found = [place.name for _, _, place in gazetteer.find_places("Sarah Palin and President Bush met in Kiev.")]
    assert found == ["Kyiv"]  # Palin (Palín) and Bush (Būsh) follow a first name or a title
    found = [place.name for _, _, place in gazetteer.find_places("Ferries left Chania and Palin on Monday.")]
    assert found == ["Chaniá", "Palín"]  # after a lower-case word: places


def test_a_town_that_is_part_of_a_name_is_not_a_place():
    gazetteer = default_gazetteer()

    def places(text):
        return [place.name for _, _, place in gazetteer.find_places(text)]

    # first names (Nancy in France, Vladimir in Russia), a surname (Obama in Japan), a translated alternate name
    assert places("Speaker Nancy Pelosi spoke at the White House.") == []
    assert places("Barack Obama met Vladimir Putin in Moscow.") == ["Moscow"]
    assert places("President Barack Obama spoke. The Obama administration agreed.") == []  # one reading per text
    # the same towns standing alone, and big cities before a capitalised word, stay places
    assert places("Police in Nancy said the fire was out.") == ["Nancy"]
    assert places("Flights to Vladimir, Russia, resumed.") == ["Vladimir", "Russia"]
    assert places("Paris Hilton arrived in Paris.") == ["Paris", "Paris"]
