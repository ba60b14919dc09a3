"""A place's rival is judged against the claim's most specific place, not the region that contains it."""

from __future__ import annotations

from newsloom.crosscheck import check_article
from newsloom.models import Article


def _article(key: str, text: str) -> Article:
    return Article(id=key, raw_id=key, title="", text=text, outlet=f"{key}.example")


TARGET = "A freight train derailed near {place} early on Friday and leaked methanol from three tank cars."


def _place_conflicts(target_place: str, source_place: str) -> list:
    report = check_article(_article("t", TARGET.format(place=target_place)),
                           [_article("s", TARGET.format(place=source_place))])
    return [c for c in report.conflicts if c.kind == "place"]


def test_two_towns_in_one_province_disagree_even_when_the_claim_names_the_province():
    assert _place_conflicts("Wrenfield, Saskatchewan,", "the village of Tessford")
    assert _place_conflicts("Regina, Saskatchewan,", "Saskatoon"), "two known cities 235 km apart"


def test_the_same_town_or_its_province_is_no_conflict():
    assert not _place_conflicts("Wrenfield, Saskatchewan,", "Wrenfield")
    assert not _place_conflicts("Wrenfield, Saskatchewan,", "the Saskatchewan border")
    assert not _place_conflicts("Regina, Saskatchewan,", "Regina")


def test_a_village_of_unknown_country_is_no_rival_of_a_city_it_may_lie_in():
    target = _article("t", "Firefighters moved 850 people out of Heraklion on Wednesday as the storm flooded the "
                           "coast.")
    source = _article("s", "Firefighters moved 850 people out of the village of Kalyvaki on Wednesday as the storm "
                           "flooded the coast.")
    assert not [c for c in check_article(target, [source]).conflicts if c.kind == "place"]


def test_the_explanation_names_a_town_of_unknown_country_without_empty_brackets():
    conflicts = _place_conflicts("Wrenfield, Saskatchewan,", "the village of Tessford")
    assert conflicts[0].explanation.endswith("says Tessford"), conflicts[0].explanation
    assert "Wrenfield (Canada)" in conflicts[0].explanation
