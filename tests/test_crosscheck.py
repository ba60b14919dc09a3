"""Cross-check verdicts on hand-written fiction pairs and the shared reference case."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsloom.crosscheck import check_article, crosscheck_story
from newsloom.models import Article

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _article(article_id, text, title="", day=1, outlet=None):
    return Article(id=article_id, raw_id=article_id, title=title, text=text, outlet=outlet or article_id,
                   published_at=datetime(2031, 3, day, 9, tzinfo=timezone.utc))


def _conflicts(report, kind):
    return [c for c in report.to_dict()["conflicts"] if c["kind"] == kind]


def _verdict(report, fragment):
    return next(c["verdict"] for c in report.to_dict()["claims"] if fragment in c["text"])


FERRY = "The ferry Marisol ran aground near the harbour of Valletta on Tuesday, the port authority said."


def test_different_count_for_the_same_noun_is_a_number_conflict():
    target = _article("t", "Rescuers pulled 14 passengers from the flooded ferry Marisol near the harbour.")
    source = _article("s", "Rescuers pulled 9 passengers from the flooded ferry Marisol near the harbour.")
    (conflict,) = _conflicts(check_article(target, [source]), "number")
    assert conflict["claim"] == target.text and conflict["evidence"] == source.text and conflict["source"] == "s"
    assert conflict["explanation"] == "this article says '14 passengers'; s says '9 passengers'"


def test_different_city_for_the_same_event_is_a_place_conflict():
    target = _article("t", "The ferry Marisol ran aground near the harbour of Lyon late on Tuesday evening.")
    source = _article("s", "The ferry Marisol ran aground near the harbour of Valletta late on Tuesday evening.")
    (conflict,) = _conflicts(check_article(target, [source]), "place")
    assert (conflict["claim"], conflict["evidence"]) == (target.text, source.text)


def test_different_weekday_for_the_same_event_is_a_date_conflict():
    target = _article("t", FERRY.replace("Tuesday", "Thursday"), day=7)
    source = _article("s", FERRY, day=7)
    (conflict,) = _conflicts(check_article(target, [source]), "date")
    assert conflict["explanation"] == "this article dates it Thursday (2031-03-06); s says Tuesday (2031-03-04)"


def test_different_person_in_the_same_role_is_an_actor_conflict():
    target = _article("t", "The port spokesperson Ilse Brandauer said the ferry Marisol would be towed to the dry dock.")
    source = _article("s", "The port spokesperson Tomas Quellin said the ferry Marisol would be towed to the dry dock.")
    (conflict,) = _conflicts(check_article(target, [source]), "actor")
    assert conflict["explanation"] == "this article names Ilse Brandauer as spokesperson; s names Tomas Quellin"


def test_region_attributed_to_the_wrong_country_is_a_geography_verdict_without_sources():
    target = _article("t", "Grain silos burned overnight in Russia's Sumy region after a lightning storm.")
    report = check_article(target, [])
    (conflict,) = _conflicts(report, "geography")
    assert (conflict["source"], conflict["evidence"]) == ("gazetteer", "gazetteer: Sumy region is a region of Ukraine")
    assert _verdict(report, "Grain silos") == "geography"


def test_claim_no_source_states_is_unsupported_with_its_evidence_detail():
    target = _article("t", "The ferry Marisol ran aground near the harbour of Valletta carrying 300 tourists.")
    source = _article("s", "The ferry Marisol ran aground near the harbour of Valletta on a calm night.")
    report = check_article(target, [source])
    claim = report.to_dict()["claims"][0]
    assert claim["verdict"] == "unsupported"
    assert claim["evidence"][0]["detail"] == "the source does not state: 300 tourists"


def test_repost_and_its_original_count_as_one_independent_source():
    target = _article("t", "The ferry Marisol ran aground near the harbour of Valletta on Tuesday night.")
    original = _article("o", "The ferry Marisol ran aground near the harbour of Valletta on Tuesday night.")
    repost = _article("r", original.text)
    report = check_article(target, [original, repost], copy_of={"r": "o"})
    assert report.claims[0].verdict == "corroborated"
    assert report.claims[0].independent_sources == 1


def test_repost_of_the_target_does_not_corroborate_it():
    target = _article("t", "The ferry Marisol ran aground near the harbour of Valletta on Tuesday night.")
    repost = _article("r", target.text)
    assert check_article(target, [repost], copy_of={"r": "t"}).claims[0].verdict == "unsupported"


def test_at_least_a_dozen_and_twelve_are_not_a_conflict():
    target = _article("t", "At least a dozen fishing boats were damaged when the storm hit Valletta harbour.")
    source = _article("s", "12 fishing boats were damaged when the storm hit Valletta harbour.")
    report = check_article(target, [source])
    assert report.conflicts == [] and report.claims[0].verdict == "corroborated"


def test_under_and_approximately_two_miles_are_not_a_conflict():
    target = _article("t", "The tanker anchored approximately two miles from the breakwater at Valletta.")
    source = _article("s", "The tanker anchored under two miles from the breakwater at Valletta.")
    assert check_article(target, [source]).conflicts == []


def test_higher_toll_in_a_later_report_is_an_update_not_a_conflict():
    earlier = _article("e", "Four people were killed when the ferry Marisol capsized off Valletta.", day=2)
    later = _article("l", "The toll rose to seven people killed when the ferry Marisol capsized off Valletta.", day=3)
    report = check_article(earlier, [later])
    assert report.conflicts == []
    (update,) = report.to_dict()["updates"]
    assert (update["earlier"]["value"], update["later"]["value"]) == (4, 7)
    assert (update["earlier"]["published_at"], update["later"]["published_at"]) == (
        "2031-03-02T09:00:00+00:00", "2031-03-03T09:00:00+00:00")


def test_report_dict_has_the_agreed_shape():
    target = _article("t", FERRY, title="Ferry aground")
    report = check_article(target, [_article("s", FERRY, outlet="Harbour Gazette")]).to_dict()
    assert set(report) == {"target", "sources", "claims", "conflicts", "updates", "summary"}
    assert report["sources"] == [{"id": "s", "title": "", "outlet": "Harbour Gazette"}]
    assert set(report["claims"][0]) == {"text", "verdict", "slots", "evidence"}
    assert report["summary"] == {"claims": 2, "corroborated": 1, "conflicting": 0, "unsupported": 1}


def test_story_lists_agreement_once_and_a_conflict_once():
    first = _article("a", "Rescuers pulled 14 passengers from the flooded ferry Marisol near the harbour. " + FERRY)
    second = _article("b", "Rescuers pulled 9 passengers from the flooded ferry Marisol near the harbour. " + FERRY)
    story = crosscheck_story([first, second], {}).to_dict()
    assert [c["kind"] for c in story["conflicts"]] == ["number"]
    assert [a["article_ids"] for a in story["agreements"]] == [["a", "b"]]
    assert story["agreements"][0]["independent_sources"] == 2


def _shared_example(prefix):
    folder = SHARED / "examples"
    paths = sorted(folder.glob(f"{prefix}_*.txt")) if folder.exists() else []
    if not paths:
        pytest.skip("shared examples are absent")
    lines = paths[0].read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip())
    return Article(id=paths[0].stem, raw_id=paths[0].stem, title=lines[start].strip(), text="\n".join(lines[start + 1:]))


def test_shared_digest_checked_against_its_source():
    digest, source = _shared_example("001"), _shared_example("000")
    report = check_article(digest, [source]).to_dict()
    sumy = [c for c in report["conflicts"] if "Russia's Sumy region" in c["claim"]]
    assert {c["kind"] for c in sumy} == {"geography", "place"}
    place = next(c for c in sumy if c["kind"] == "place")
    assert place["source"] == source.id and "Kursk region" in place["evidence"]
    conscripts = next(c for c in report["claims"] if "100 conscripts" in c["text"])
    assert conscripts["verdict"] == "unsupported"
    assert not [c for c in report["conflicts"] if c["kind"] == "number" and "two miles" in c["claim"]]


def test_name_spelt_two_ways_is_not_an_actor_conflict():
    target = _article("t", "Harbour spokeswoman Ilse Brandauer said the ferry Marisol would be towed to the dry dock.")
    source = _article("s", "Harbour spokeswoman Ilse Brandaur said the ferry Marisol would be towed to the dry dock.")
    assert _conflicts(check_article(target, [source]), "actor") == []


def test_value_another_source_states_is_not_a_conflict():
    target = _article("t", "Rescuers pulled 14 passengers from the flooded ferry Marisol near the harbour.")
    agreeing = _article("a", "Rescuers pulled 14 passengers from the flooded ferry Marisol near the harbour.")
    disagreeing = _article("d", "Rescuers pulled 9 passengers from the flooded ferry Marisol near the harbour.")
    assert check_article(target, [agreeing, disagreeing]).conflicts == []
    (conflict,) = _conflicts(check_article(disagreeing, [target]), "number")
    assert (conflict["claim"], conflict["source"]) == (disagreeing.text, "t")


def test_weakly_similar_claims_conflict_when_the_place_stands_between_the_same_words():
    target = _article("t", "Divers searched the wreck of the Marisol off the coast of Lyon after the storm passed.")
    source = _article("s", "Fishing crews found the wreck of the Marisol off the coast of Valletta on a calm night.")
    (conflict,) = _conflicts(check_article(target, [source]), "place")
    assert conflict["explanation"].startswith("this article says Lyon")


def test_weakly_similar_claims_with_different_surroundings_are_not_compared():
    target = _article("t", "Divers searched the wreck of the Marisol off the coast of Lyon after the storm passed.")
    source = _article("s", "Valletta officials said the wreck of the Marisol had been found on a calm night.")
    assert _conflicts(check_article(target, [source]), "place") == []
