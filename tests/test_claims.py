"""Claims and their slots: numbers as intervals, places with claimed countries, dates, actors."""

from datetime import datetime, timezone

import pytest

from newsloom.models import Article
from newsloom.nlp.claims import extract_claims, split_clauses
from newsloom.nlp.numbers import find_dates, find_quantities, quantities_agree
from newsloom.nlp.places import find_place_mentions, geography_problem


def _one(text):
    quantities = find_quantities(text)
    assert len(quantities) == 1, quantities
    return quantities[0]


def test_hedged_dozen_is_an_open_interval_from_twelve():
    quantity = _one("at least a dozen armoured trucks crossed")
    assert (quantity.low, quantity.high, quantity.noun, quantity.qualifier) == (12, float("inf"), "truck", "at least")


def test_under_and_approximately_two_miles_agree():
    assert quantities_agree(_one("under two miles from the dam"), _one("approximately two miles from the dam"))


def test_different_exact_counts_disagree():
    assert not quantities_agree(_one("14 barges sank"), _one("9 barges sank"))


def test_same_direction_bounds_with_different_figures_disagree():
    assert not quantities_agree(_one("more than 50 firefighters"), _one("more than 103 firefighters"))


def test_generic_noun_takes_its_casualty_role():
    nouns = [q.noun for q in find_quantities("Seven people were killed and 30 people were injured.")]
    assert nouns == ["people:dead", "people:injured"]


def test_spelled_number_with_scale():
    assert _one("two hundred and five ferries").value == 205


def test_weekday_resolves_to_latest_such_day_before_publication():
    published = datetime(2031, 3, 12, tzinfo=timezone.utc)  # a Wednesday
    (monday,) = find_dates("The bridge closed on Monday.", published)
    assert monday.day.isoformat() == "2031-03-10"


def test_possessive_country_is_recorded_as_claimed_and_checked():
    sentence = "Floods swept through Russia's Sumy region overnight."
    sumy = [m for m in find_place_mentions(sentence) if m.text == "Sumy region"][0]
    assert sumy.claimed_country == "RU"
    assert geography_problem(sumy) == ("'Russia's Sumy region' places Sumy region in Russia, "
                                       "but the gazetteer puts Sumy region in Ukraine")


def test_adjectival_and_locative_attributions():
    city = find_place_mentions("Sirens sounded in the Russian city of Kharkiv.")[-1]
    lyon = find_place_mentions("The fair opened in Lyon, France.")[0]
    assert (city.text, city.claimed_country, lyon.claimed_country) == ("Kharkiv", "RU", "FR")
    assert geography_problem(lyon) is None


def test_a_list_of_places_claims_no_country():
    kyiv = find_place_mentions("Delegates flew in from Kyiv, Russia and Belarus.")[0]
    assert kyiv.claimed_country is None


def test_role_written_before_a_name_is_kept():
    article = Article(id="a", raw_id="a", title="", text="Prosecutor Hilda Varga said the barge was overloaded.")
    actors = extract_claims(article)[0].actors
    assert [(a.name, a.role) for a in actors] == [("Hilda Varga", "prosecutor")]


def test_place_inside_a_longer_name_is_not_a_location():
    article = Article(id="a", raw_id="a", title="", text="Lindsay Mortlake opened the Paris Hilton Grill in Kursk.")
    assert [p.text for p in extract_claims(article)[0].places] == ["Kursk"]


def test_clauses_split_on_while_when_both_sides_are_facts():
    sentence = "Nine ferries were cancelled on the northern route, while the southern route ran four extra boats."
    assert split_clauses(sentence) == ["Nine ferries were cancelled on the northern route",
                                       "the southern route ran four extra boats."]


@pytest.mark.parametrize("text", ["Jun 03/2024 09:50PM", "at 0300 GMT"])
def test_clock_times_are_not_quantities(text):
    assert find_quantities(text) == []


def _claim_dates(text):
    article = Article(id="a", raw_id="a", title="", text="Filed by the harbour desk. " + text)
    return [d.text for claim in extract_claims(article) for d in claim.dates]


def test_time_stamps_are_not_event_dates():
    assert _claim_dates("Updated: Monday, 28 March 2031, 02:24 GMT The ferry sank on Sunday.") == ["Sunday"]
    assert _claim_dates("Monday, March 27, 2031 23:51 Divers reached the wreck on Saturday.") == ["Saturday"]


def test_a_weekday_with_the_time_of_the_event_is_kept():
    assert _claim_dates("The ferry struck the reef on Monday at 11:30 p.m. near Valletta.") == ["Monday"]


def test_years_in_a_span_are_not_dates_of_one_event():
    assert [d.text for d in find_dates("He coached there (1994-96) and from 1997 to 2001, and retired in 2005.")] == [
        "2005"]


def test_headline_capitals_do_not_join_two_names_across_a_function_word():
    article = Article(id="a", raw_id="a", title="",
                      text="The crew read the item on the Marisol Hull Damaged In Harbour Storm report again.")
    names = [a.name for claim in extract_claims(article) for a in claim.actors]
    assert not any(" In " in name for name in names)


def test_future_weekday_resolves_forward_and_past_weekday_backward():
    published = datetime(2031, 3, 10, 9, tzinfo=timezone.utc)  # a Monday
    (future,) = find_dates("The two unions will meet on Wednesday to resume talks.", published)
    (past,) = find_dates("The two unions met on Wednesday to resume talks.", published)
    assert (future.key, past.key) == ("2031-03-12", "2031-03-05")


def test_each_date_keeps_the_verb_of_its_event():
    found = find_dates("Pilots will begin a strike on Monday after talks broke down on Sunday, the union said.")
    assert [(d.text, d.verb) for d in found] == [("Monday", "begin"), ("Sunday", "break")]
    (said,) = find_dates("The ferry was refloated, the port authority said Saturday.")
    assert said.verb == "say"


def test_bare_figure_after_a_casualty_verb_counts_the_dead():
    assert [(q.value, q.noun) for q in find_quantities("Harbour fire kills 12 in Valletta")] == [(12, "people:dead")]
    assert [q.noun for q in find_quantities("The fire killed 14 people on Tuesday.")] == ["people:dead"]


def test_converted_figure_in_brackets_and_street_block_are_not_quantities():
    assert [q.text for q in find_quantities("a reef 1,150 kilometres (700 miles) south")] == ["1,150 kilometres"]
    assert find_quantities("he lives in the 1200 block of Harbour Street") == []
    assert [q.text for q in find_quantities("about 10 blocks east of the harbour")] == ["about 10 blocks"]


def test_money_in_damage_counts_the_damage():
    assert [q.noun for q in find_quantities("caused an estimated $1 million in damage")] == ["$:damage"]


def test_place_after_a_capitalised_function_word_opening_a_sentence_is_kept():
    article = Article(id="a", raw_id="a", title="", text="In Lyon, 10,000 people marched on Saturday.")
    (claim,) = extract_claims(article)
    assert [p.text for p in claim.places] == ["Lyon"]


def test_a_full_date_run_into_the_next_sentence_is_a_dateline_not_an_event_date():
    text = ("Ferry Operator Cuts Winter Routes Mar 4, 2031 In a move that surprised islanders, the operator cut "
            "two routes. The last sailing left on March 3, 2031 after a storm.")
    assert _claim_dates(text) == ["March 3, 2031"]
    assert _claim_dates("On March 3, 2031 Marisol Lines cut two routes.") == ["March 3, 2031"]


def test_a_posted_in_stamp_with_its_weekday_is_not_an_event_date():
    text = "The ferry sank on Sunday. This note was posted in Harbour News on Friday, March 20, 2031."
    assert _claim_dates(text) == ["Sunday"]


def test_calendar_abbreviations_and_opening_contractions_are_not_names():
    article = Article(id="a", raw_id="a", title="",
                      text='The post of Tue March 3, 2031 was short. "We\'re like family here," said Ana Ruiz.')
    names = [a.name for claim in extract_claims(article) for a in claim.actors]
    assert names == ["Ana Ruiz"]


def test_a_title_case_headline_keeps_only_well_known_places():
    from newsloom.nlp.claims import is_title_case

    headline = "Lots of Drama but Little Certainty in Kentucky and New York Primaries"
    article = Article(id="h", raw_id="h", title=headline, text="Voters in Kentucky went to the polls on Tuesday.")
    (title, *_) = extract_claims(article)
    assert is_title_case(headline) and not is_title_case("Lots of drama but little certainty in Kentucky primaries")
    places = [p.text for p in title.places]
    assert "Kentucky" in places and "Drama" not in places  # "Drama" (a Greek town) is a word here
    plain = Article(id="p", raw_id="p", title="", text="Reporters found lots of drama in the town of Drama in Greece.")
    assert "Drama" in [p.text for c in extract_claims(plain) for p in c.places]


def _lead_dates(text):
    article = Article(id="a", raw_id="a", title="", text=text)
    return [d.text for claim in extract_claims(article) for d in claim.dates]


def test_a_day_in_the_lead_sentence_prose_is_an_event_date_not_a_dateline():
    assert _lead_dates("The harbour board on Monday voted to close the old quay.") == ["Monday"]
    assert _lead_dates("On Thursday, the harbour board voted to close the old quay.") == ["Thursday"]
    assert _lead_dates("Published: Monday The harbour board voted to close the old quay.") == []
    assert _lead_dates("Saturday, March 14, 2031 The harbour board voted to close the old quay.") == []
