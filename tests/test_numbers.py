"""Figures as intervals (nlp/numbers.py), on hand-written phrases: spans, ranges, joined number words, and
what a hedged figure gives."""

from newsloom.nlp.numbers import describe_apart, find_dates, find_quantities, gives_figure, quantities_agree


def _one(text):
    (quantity,) = find_quantities(text)
    return quantity


def test_over_before_a_span_of_time_is_the_span_not_more_than():
    offer = find_quantities("The club offered him $40 million over six years.")
    assert [q.text for q in offer] == ["$40 million", "over six years"]
    span = offer[1]
    assert (span.low, span.high, span.qualifier) == (6, 6, "")
    assert not quantities_agree(span, _one("a contract for nine years"))
    crowd = _one("over 300 people marched")
    assert (crowd.low, crowd.high) == (300, float("inf"))


def test_number_words_joined_by_and_are_two_numbers_unless_after_a_scale():
    assert [q.value for q in find_quantities("a term of six and twelve years")] == [12]
    assert _one("one hundred and forty sheep").value == 140


def test_between_gives_an_interval_in_the_scale_of_the_second_figure():
    years = _one("a deal of between four and seven years")
    assert (years.low, years.high) == (4, 7)
    euros = _one("between 30 and 45 million euros")
    assert (euros.low, euros.high) == (30e6, 45e6)
    assert quantities_agree(years, _one("five years")) and not quantities_agree(years, _one("nine years"))


def test_an_open_bound_gives_only_a_figure_close_to_it():
    at_least_ten = _one("at least 10 people")
    assert quantities_agree(at_least_ten, _one("23 people"))  # no contradiction ...
    assert not gives_figure(at_least_ten, _one("23 people"))  # ... but it does not state 23 either
    assert gives_figure(_one("at least a dozen boats"), _one("12 boats"))
    assert gives_figure(_one("more than 200 people"), _one("212 people"))
    assert gives_figure(_one("12 boats"), _one("at least 12 boats"))


def test_people_shot_are_counted_apart_from_other_people():
    assert _one("A gunman shot five people at the depot").noun == "people:shot"
    assert _one("a man suspected of shooting two people").noun == "people:shot"
    assert _one("five people attended the hearing").noun == "people"


def test_a_range_of_money_written_short_is_one_interval_in_the_scale_of_its_end():
    (short,) = find_quantities("a bid of $30-45MM over four years")[:1]
    assert (short.low, short.high) == (30e6, 45e6)
    (spaced,) = find_quantities("a bid of $30- $45 million")
    assert (spaced.low, spaced.high) == (30e6, 45e6)
    assert _one("a fee of $12MM").value == 12e6
    assert [q.value for q in find_quantities("fees of $30 million and $45 million")] == [30e6, 45e6]


def test_a_year_after_a_preposition_is_a_date_whatever_follows():
    assert [d.year for d in find_dates("The old mayor, who died in 1987 after a long illness, founded it.")] == [1987]
    assert [d.year for d in find_dates("It first opened in 1994 and closed a decade later.")] == [1994]
    assert find_dates("The 2008 season was a poor one.") == []
    assert [d.year for d in find_dates("She was charged in the 1967 slayings of two clerks.")] == [1967]
    assert [d.year for d in find_dates("The 2004 election was close.")] == [2004]
    assert find_dates("Rebels carried out more than 2000 attacks.") == []  # a count, not a year
    assert [d.year for d in find_dates("In 2003 fires broke out twice.")] == [2003]
    assert find_dates("She coached there from 1979-90.") == []
    assert [d.verb for d in find_dates("Born in 1931 in a fishing town, she sang.")] == ["born"]


def test_a_compound_adjective_is_not_the_verb_of_a_date():
    checked = find_dates("The singer checked into court-mandated rehab at the clinic late Saturday.")
    assert [d.verb for d in checked] == ["check"]  # not "mandat", from the adjective "court-mandated"
    assert [d.verb for d in find_dates("The long-awaited vote on Tuesday was close.")] == [""]
    assert [d.verb for d in find_dates("The mayor was re-elected on Tuesday.")] == ["elect"]  # a prefix: a verb


def test_a_measure_is_compared_only_with_a_measure_of_the_same_thing():
    win_streak, losing_streak = _one("an 11-game win streak"), _one("a three-game losing streak")
    assert win_streak.noun == losing_streak.noun == "game"
    assert describe_apart(win_streak, losing_streak)
    assert not describe_apart(_one("a 10-year deal"), _one("an eight-year contract"))  # one thing, two words
    assert not describe_apart(_one("a 10-year deal"), _one("eight years"))  # a plain count qualifies nothing
    assert _one("a $40 million deal").noun == _one("a $45 million contract").noun


# -- scores and records, ranges, capitalised modifiers, dashes (nlp/numbers.py) ----------------------------------


def test_a_score_or_record_is_one_value_that_agrees_only_when_every_part_does():
    (record,) = find_quantities("The Falcons fell to 9-14 after the loss.")
    (same,) = find_quantities("a 9-14 start to the season")
    (other,) = find_quantities("a 9-31 start to the season")
    assert record.noun == same.noun == other.noun == "score"
    assert quantities_agree(record, same) and not quantities_agree(record, other)
    assert [q.text for q in find_quantities("She improved to 31-2-1 with 20 knockouts.")][0] == "31-2-1"


def test_scores_with_no_part_in_common_are_two_different_games_or_spans():
    (season,) = find_quantities("a 38-44 mark in his first season")
    career = find_quantities("a 162-139 mark over four seasons")[0]
    (changed,) = find_quantities("a 38-51 mark in his first season")
    assert describe_apart(season, career)
    assert not describe_apart(season, changed)


def test_hyphenated_figures_before_a_plural_noun_are_a_range_and_names_or_days_are_neither():
    crowd = _one("between 10-12 people were hurt")
    assert (crowd.low, crowd.high, crowd.noun) == (10, 12, "people:injured")
    assert not any(q.noun == "score" for q in find_quantities("seven AK-47 rifles and 13 magazines"))
    assert [q.text for q in find_quantities("the 2008-09 season, talks on May 3-4, call 555-1234")] == []


def test_capitalised_words_between_a_figure_and_its_plural_noun_are_modifiers():
    assert _one("the show drew 32 million U.S. viewers").noun == "viewer"
    assert _one("12 Russian military vehicles crossed").noun == "vehicle"
    assert find_quantities("the office at 10 Downing Street yesterday") == []


def test_a_hyphen_before_a_number_word_is_a_dash_not_part_of_the_noun():
    (workers,) = find_quantities("The three bank workers-two women and a man-were killed.")
    assert (workers.text, workers.noun) == ("three bank workers", "worker")


def test_a_day_written_after_a_month_name_counts_nothing():
    assert find_quantities("The warning came in a Jan. 29 memo to the board.") == []
    assert find_quantities("since the September 11 attacks") == []
    # Not a day: lower-case "may", a figure past 31, a sum of money, or a count after the date.
    assert [q.text for q in find_quantities("the fund may 12 donors choose")] == ["12 donors"]
    assert [q.text for q in find_quantities("By March 40 people had left the island.")] == ["40 people"]
    assert [q.text for q in find_quantities("On Feb. 23 another 5 people died.")] == ["5 people"]


# -- dates (nlp/dates.py, re-exported here) ---------------------------------------------------------------------


def test_a_year_does_not_state_a_day_but_agrees_with_it():
    from newsloom.nlp.numbers import states_date

    (day,) = find_dates("She was born on April 22, 1931, in Dayton.")
    (year,) = find_dates("Born in 1931 in Dayton, she ...")
    (other_day,) = find_dates("She was born on April 27, 1931, in Dayton.")
    assert states_date(day, day) and states_date(day, year)
    assert not states_date(year, day) and not states_date(day, other_day)
