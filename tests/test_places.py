"""Place mentions (nlp/places.py): towns the gazetteer does not know, and when two places can be one."""

from __future__ import annotations

import pytest

from newsloom.nlp.gazetteer import default_gazetteer
from newsloom.nlp.places import find_place_mentions, places_compatible


def _places(sentence: str) -> dict[str, tuple[str, str, str | None]]:
    return {m.text: (m.place.kind, m.place.country_code, m.place.admin1) for m in find_place_mentions(sentence)}


def test_canadian_provinces_and_australian_states_are_regions_with_their_codes():
    gazetteer = default_gazetteer()
    saskatchewan, ontario = gazetteer.lookup("Saskatchewan")[0], gazetteer.lookup("Ontario")[0]
    assert (saskatchewan.kind, saskatchewan.country_code) == ("region", "CA")
    assert (ontario.kind, ontario.country_code) == ("region", "CA"), "not the Californian city"
    assert gazetteer.lookup("Queensland")[0].country_code == "AU"
    regina = next(p for p in gazetteer.lookup("Regina") if p.country_code == "CA")
    assert places_compatible(regina, saskatchewan) and not places_compatible(regina, ontario)


@pytest.mark.parametrize("sentence, name, expected", [
    ("A train derailed near Wrenfield, Saskatchewan, early on Friday.", "Wrenfield", ("local", "CA", "11")),
    ("Officials evacuated the village of Tessford on Friday.", "Tessford", ("local", "", None)),
    ("About 600 residents of Tessford, a village in south-eastern Saskatchewan, left.", "Tessford",
     ("local", "CA", "11")),
    ("Wildfires forced evacuations in Portugal's Minho region on Sunday.", "Minho", ("local", "PT", None)),
])
def test_a_town_the_gazetteer_does_not_know_is_read_from_how_it_is_written(sentence, name, expected):
    assert _places(sentence)[name] == expected


@pytest.mark.parametrize("sentence, name", [
    ("Senator Ted Cruz, Texas Republican, spoke on Monday.", "Cruz"),  # a capitalised word follows the state
    ("The bill was signed by Jones, California's governor.", "Jones"),  # the state is a possessive
    ("However, Canada said it would wait.", "However"),
    ("On Friday, Saskatchewan officials met.", "Friday"),
    ("Senator Mark Udall, Colorado, voted no.", "Udall"),  # right after a first name: a surname
])
def test_names_that_only_look_like_towns_are_not_read_as_places(sentence, name):
    assert name not in _places(sentence)


def test_two_unknown_towns_are_two_places_but_each_lies_in_its_region():
    wrenfield = find_place_mentions("near Wrenfield, Saskatchewan, on Friday")[0].place
    tessford = find_place_mentions("the village of Tessford on Friday")[0].place
    saskatchewan = default_gazetteer().lookup("Saskatchewan")[0]
    ontario = default_gazetteer().lookup("Ontario")[0]
    canada, france = default_gazetteer().lookup("Canada")[0], default_gazetteer().lookup("France")[0]
    assert not places_compatible(wrenfield, tessford)
    assert places_compatible(wrenfield, saskatchewan) and places_compatible(tessford, saskatchewan)
    assert not places_compatible(wrenfield, ontario), "the sentence put Wrenfield in Saskatchewan"
    assert places_compatible(wrenfield, canada) and not places_compatible(wrenfield, france)
    assert not places_compatible(tessford, canada), "a town of unknown country states no country"


@pytest.mark.parametrize("sentence, name, country, admin1", [
    ("He was born in London, Ontario, in 1970.", "London", "CA", "08"),
    ("The festival opened in Perth, Scotland, on Friday.", "Perth", "GB", "SCT"),
    ("The festival opened in Perth on Friday.", "Perth", "AU", "08"),  # the most populous, with nothing said
])
def test_a_city_is_the_namesake_in_the_region_or_country_the_sentence_gives(sentence, name, country, admin1):
    assert _places(sentence)[name][1:] == (country, admin1)


@pytest.mark.parametrize("sentence, claimed", [
    ("Observers came from Kyiv, Russia, Belarus and Poland.", None),  # a list, not "Kyiv in Russia"
    ("Observers came from Kyiv, Russia and Belarus.", None),
    ("Police in Sumy, Russia, said on Monday.", "RU"),  # a claim (a wrong one, for the geography check)
])
def test_a_comma_after_the_country_tells_a_list_from_a_claim(sentence, claimed):
    kyiv_or_sumy = next(m for m in find_place_mentions(sentence) if m.text in ("Kyiv", "Sumy"))
    assert kyiv_or_sumy.claimed_country == claimed


@pytest.mark.parametrize("sentence, kind, country", [
    ("Police in Atlanta, Georgia, said on Monday.", "region", "US"),
    ("He was born in Tbilisi, Georgia.", "country", "GE"),
    ("Georgia closed its border on Monday.", "country", "GE"),  # nothing says which: the most populous
])
def test_a_container_written_after_a_city_is_the_one_that_holds_it(sentence, kind, country):
    assert _places(sentence)["Georgia"][:2] == (kind, country)
