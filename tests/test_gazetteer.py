"""The gazetteer: which names are places, of what kind, in which country."""

from __future__ import annotations

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


def test_exonym_finds_the_city_by_its_main_name():
    assert kinds_and_countries("Kiev")[0] == ("Kyiv", "city", "UA")


def test_unknown_name_finds_nothing():
    assert default_gazetteer().lookup("Zzyzxville") == []


def test_find_places_gives_spans_of_place_mentions():
    text = "Shelling hit the Sumy region and Kursk, officials in Paris said."
    found = [(text[start:end], place.name) for start, end, place in default_gazetteer().find_places(text)]
    assert found == [("the Sumy region", "Sumy region"), ("Kursk", "Kursk"), ("Paris", "Paris")]


def test_find_places_skips_common_words_that_are_also_place_names():
    text = "Of the Union members, Reading was Nice in March. Mobile phones rang."
    assert default_gazetteer().find_places(text) == []


def test_find_places_ignores_lower_case_words():
    assert default_gazetteer().find_places("a trip to paris and kursk") == []
