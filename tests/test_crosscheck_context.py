"""Context rules of the cross-check, on hand-written fiction: named subjects, partial counts, a name with one
word changed, and values no source states (a place foreign to the story, a day, a figure) checked against any
related source claim."""

from crosscheck_fiction import conflict_kinds as _kinds
from crosscheck_fiction import fiction_article as _article
from newsloom.crosscheck import check_article
from newsloom.crosscheck_compare import written
from newsloom.crosscheck_context import (counts_a_part, different_days, different_scopes, different_subjects,
                                         named_near, orphan_date_rivals, orphan_number_rivals, same_event,
                                         same_subject)
from newsloom.nlp.claims import extract_claims
from newsloom.nlp.numbers import dates_agree, find_dates, find_quantities


def _claim(text):
    (claim,) = extract_claims(_article("x", text))
    return claim


# -- named subjects and partial counts ---------------------------------------------------------------------


def test_claims_naming_different_people_are_about_different_subjects():
    first = _claim("Running back Dario Velluto carried the ball for 112 yards in the second half.")
    second = _claim("Running back Amos Keddle carried the ball for 87 yards in the second half.")
    same = _claim("The running back Velluto carried the ball for 87 yards in the second half.")
    unnamed = _claim("The running back carried the ball for 87 yards in the second half.")
    assert different_subjects(first, second, written)
    assert not different_subjects(first, same, written)
    assert not different_subjects(first, unnamed, written)


def test_figures_of_two_named_players_are_not_a_number_conflict():
    assert not [k for k in _kinds("Running back Dario Velluto carried the ball for 112 yards in the second half.",
                                  "Running back Amos Keddle carried the ball for 87 yards in the second half.")
                if k[0] == "number"]
    assert ("number", "112 yards", "87 yards") in _kinds(
        "Running back Dario Velluto carried the ball for 112 yards in the second half.",
        "Running back Dario Velluto carried the ball for 87 yards in the second half.")


def test_a_count_on_top_of_others_is_a_part_not_a_total():
    text = "Another 2,000 people marched in Corvale, and two other buses were stopped."
    quantities = find_quantities(text)
    assert [q.text for q in quantities] == ["2,000 people", "two other buses"]
    assert quantities[1].noun == find_quantities("five buses")[0].noun  # "other" is no noun
    assert all(counts_a_part(text, q) for q in quantities)
    assert not counts_a_part("About 9,000 people marched in Corvale.", find_quantities("About 9,000 people")[0])


def test_a_hedged_total_is_no_part():
    text = "The blaze caused more than $4 million in damage to the Corvale library."
    assert not counts_a_part(text, find_quantities(text)[0])
    assert counts_a_part("Police found 30 more boxes.", find_quantities("Police found 30 more boxes.")[0])
    assert ("number", "more than $4 million in damage", "$1 million in damage") in _kinds(
        "The blaze caused more than $4 million in damage to the old Corvale library, the fire chief said.",
        "The blaze caused $1 million in damage to the old Corvale library, the fire chief said.")


def test_a_partial_count_is_not_compared_with_a_total():
    assert _kinds("Another 2,000 people marched through the centre of Corvale on Friday afternoon.",
                  "About 9,000 people marched through the centre of Corvale on Friday afternoon.") == []
    assert ("number", "two other buses", "five other buses") in _kinds(
        "Police stopped two other buses carrying marchers to the centre of Corvale on Friday.",
        "Police stopped five other buses carrying marchers to the centre of Corvale on Friday.")


def test_two_lines_of_the_same_figures_sharing_none_count_over_different_spans():
    since_trade = ("After joining the Harriers in the spring, Okafor scored 9 goals with 4 assists in 21 games "
                   "for his new club.")
    season = "Over the whole season Okafor scored 23 goals with 11 assists in 40 games for his two clubs."
    assert not [k for k in _kinds(since_trade, season) if k[0] == "number"]
    one_changed = season.replace("23 goals", "31 goals")
    assert ("number", "31 goals", "23 goals") in _kinds(one_changed, season)
    mine, theirs = find_quantities(since_trade), find_quantities(season)
    assert different_scopes(mine, mine[0], theirs, theirs[0])
    assert not different_scopes(mine[:1], mine[0], theirs, theirs[0])  # a lone figure has no span to tell


def test_a_measure_the_sources_disagree_on_does_not_make_two_spans():
    source = "The 6.1-magnitude quake struck Veldor island, home to 120,000 people, and the port of Amsa, media said."
    changed = source.replace("6.1", "5.9").replace("120,000", "240,000")
    assert ("number", "240,000 people", "120,000 people") in _kinds(changed, source)
    same_people = source.replace("6.1", "5.9")  # only the magnitude differs: nothing said about the people
    assert not [k for k in _kinds(same_people, source) if k[0] == "number" and "people" in k[1]]
    mine, theirs = find_quantities(changed), find_quantities(source)
    assert not different_scopes(mine, mine[1], theirs, theirs[1])


def test_a_year_before_the_noun_of_an_event_dates_it():
    source = "A former cook was charged on Friday in the 1971 slayings of two clerks at a Dunmore diner."
    target = "Police say the former cook killed two clerks at the Dunmore diner in the 1968 slayings."
    assert ("date", "1968", "1971") in _kinds(target, source)
    agreeing = target.replace("1968", "1971")
    assert not [k for k in _kinds(agreeing, source) if k[0] == "date"]


def test_streaks_of_different_kinds_are_not_a_number_conflict_but_one_streak_told_twice_is():
    target = "The Harriers arrived in Corvale on a four-game winning streak, the longest in the league this season."
    losing = "The Harriers arrived in Corvale on a seven-game losing streak, the longest in the league this season."
    winning = "The Harriers arrived in Corvale on a seven-game winning streak, the longest in the league this season."
    assert not [k for k in _kinds(target, losing) if k[0] == "number"]
    assert ("number", "four-game", "seven-game") in _kinds(target, winning)


def test_counts_given_for_two_different_days_are_two_moments_not_a_number_conflict():
    target = "About 9,000 homes in Corvale were still without power on Tuesday evening, the grid operator said."
    later = "About 2,000 homes in Corvale were still without power on Thursday evening, the grid operator said."
    same_day = "About 2,000 homes in Corvale were still without power on Tuesday evening, the grid operator said."
    assert not [k for k in _kinds(target, later) if k[0] == "number"]
    assert ("number", "About 9,000 homes", "About 2,000 homes") in _kinds(target, same_day)
    assert different_days(_claim(target), _claim(later), dates_agree)
    assert not different_days(_claim(target), _claim("About 2,000 homes in Corvale had no power."), dates_agree)


def test_an_open_bound_elsewhere_in_the_source_does_not_state_a_far_higher_figure():
    target = "Seven workers were injured when a crane toppled at the Lenmoor docks on Friday morning."
    source = ("Two workers were injured when a crane toppled at the Lenmoor docks on Friday morning. "
              "The union said at least three workers had been hurt in accidents at the docks this year.")
    assert ("number", "Seven workers", "Two workers") in _kinds(target, source)
    hedged = source.replace("Two workers were injured", "At least six workers were injured")
    assert not [k for k in _kinds(target, hedged) if k[0] == "number"]  # "at least six" allows seven


# -- a name with one word changed --------------------------------------------------------------------------


DAM = "Engineers from the Harrowgate Water Board inspected the cracked dam above the village of Lenmoor."


def test_a_name_with_one_word_no_source_writes_is_an_actor_conflict():
    kinds = _kinds("Engineers from the Harrowgate Quarry Board inspected the cracked dam above the village.",
                   DAM)
    assert ("actor", "Harrowgate Quarry Board", "Harrowgate Water Board") in kinds


def test_an_article_writing_both_names_tells_two_bodies_not_one_renamed():
    target = ("Engineers from the Harrowgate Quarry Board inspected the cracked dam above the village. "
              "The Harrowgate Water Board said it would pay for the repairs to the dam above the village.")
    assert not [k for k in _kinds(target, DAM) if k[0] == "actor"]


def test_one_person_with_a_short_and_a_long_first_name_or_another_title_is_not_renamed():
    target = "Harbour pilot Bill Okafor guided the tanker Maren into the Lenmoor docks on Friday night."
    long_name = "Harbour pilot William Okafor guided the tanker Maren into the Lenmoor docks on Friday night."
    other_person = "Harbour pilot Stefan Okafor guided the tanker Maren into the Lenmoor docks on Friday night."
    assert not [k for k in _kinds(target, long_name) if k[0] == "actor"]
    assert [k for k in _kinds(target, other_person) if k[0] == "actor"]
    titled = "Captain Nadia Ferreira of the Lenmoor harbour police said the tanker was held overnight."
    assert not [k for k in _kinds(titled, titled.replace("Captain", "Commander")) if k[0] == "actor"]


def test_a_title_written_for_a_first_name_is_the_same_person_not_a_renamed_one():
    source = "Later that night, Mayor Okafor inspected the cracked dam above the village of Lenmoor."
    target = "Later that night, Nadia Okafor inspected the cracked dam above the village of Lenmoor."
    assert not [k for k in _kinds(target, source) if k[0] == "actor"]
    # A title changed inside a longer name is still a changed name.
    assert ("actor", "Harrowgate Water Okafor", "Harrowgate Water Board") in _kinds(
        "Engineers from the Harrowgate Water Okafor inspected the cracked dam above the village.", DAM)


def test_a_function_word_capitalised_in_a_headline_is_no_name_word():
    source = "Council Votes To Hand Over Okafor Report On Lenmoor Dam"
    target = "Later that night, the council voted to hand over Nadia Okafor's report on the Lenmoor dam."
    assert not [k for k in _kinds(target, source) if k[0] == "actor"]


def test_a_name_in_an_unrelated_source_sentence_is_not_renamed():
    assert not [k for k in _kinds("The Harrowgate Quarry Board will publish its yearly accounts in June.",
                                  DAM, "Walkers crossed the dam above the village after the storm.")
                if k[0] == "actor"]


# -- values no source states, against any related claim ----------------------------------------------------


HARBOUR = ("Fishermen said the water rose two metres along the quay before dawn. "
           "The storm left the old quay of Halifax under water.")


def _place_conflicts(target_text, source_text):
    report = check_article(_article("t", target_text), [_article("s", source_text)])
    return [c for c in report.conflicts if c.kind == "place"]


def test_a_well_known_place_foreign_to_the_story_is_a_place_conflict_with_any_related_claim():
    target = ("A storm flooded the harbour of Halifax on Monday night. "
              "Fishermen in Osaka said the water rose two metres along the quay before dawn.")
    (conflict,) = _place_conflicts(target, HARBOUR)
    assert (conflict.claim_value, conflict.evidence_value) == ("Osaka", "Halifax")
    assert conflict.explanation == "this article says Osaka (Japan), a place no source names; s says Halifax (Canada)"


def test_a_place_a_source_names_or_of_the_story_is_no_orphan():
    target = ("A storm flooded the harbour of Halifax on Monday night. "
              "Fishermen in Osaka said the water rose two metres along the quay before dawn.")
    assert _place_conflicts(target, HARBOUR + " Osaka sent pumps.") == []
    assert _place_conflicts(target.replace("Osaka", "Dartmouth"), HARBOUR) == []  # a town of the same province


def test_a_day_no_source_names_is_a_date_conflict_with_a_related_claim_of_the_same_event():
    target = ("The dam above Lenmoor cracked after a week of rain, the water board said. "
              "Families living below the cracked dam were moved to the school hall on Saturday.")
    source = ("A week of rain cracked the dam above Lenmoor. "
              "The water board moved the families living below the dam to the school hall on Thursday.")
    assert ("date", "Saturday", "Thursday") in _kinds(target, source)


def test_an_article_naming_both_days_tells_two_events():
    claim = _claim("Families living below the cracked dam were moved to the school hall on Saturday.")
    other = _claim("The water board moved the families living below the dam to the school hall on Thursday.")
    thursday = find_dates("on Thursday")[0]
    found = orphan_date_rivals(claim, [], [(other, 0.5)], lambda mention: False, dates_agree)
    assert [(mine.text, rival.text) for mine, rival, _, _ in found] == [("Saturday", "Thursday")]
    assert orphan_date_rivals(claim, [thursday], [(other, 0.5)], lambda mention: False, dates_agree) == []
    assert orphan_date_rivals(claim, [], [(other, 0.5)], lambda mention: True, dates_agree) == []


def test_days_whose_verbs_tell_two_events_are_not_compared():
    claim = _claim("The walkers were rescued from the deep quarry on Saturday morning.")
    other = _claim("The walkers were trapped in the deep quarry on Thursday morning.")
    assert orphan_date_rivals(claim, [], [(other, 0.5)], lambda mention: False, dates_agree) == []


def test_a_loosely_related_claim_gives_the_day_only_when_it_tells_the_event_with_the_same_verb():
    claim = _claim("The retired harbour pilot Ines Corvo died on Saturday at her home in Lenmoor.")
    passed = _claim("Corvo, who guided ships into the old port for forty years, passed away on Thursday.")
    visited = _claim("Corvo, who guided ships into the old port for forty years, visited the museum on Thursday.")
    found = orphan_date_rivals(claim, [], [(passed, 0.15)], lambda mention: False, dates_agree)
    assert [(mine.text, rival.text) for mine, rival, _, _ in found] == [("Saturday", "Thursday")]
    assert orphan_date_rivals(claim, [], [(visited, 0.15)], lambda mention: False, dates_agree) == []
    no_verb = _claim("For the family of Corvo, the long vigil at the harbour was on Thursday.")
    assert orphan_date_rivals(claim, [], [(no_verb, 0.15)], lambda mention: False, dates_agree) == []
    assert orphan_date_rivals(claim, [], [(no_verb, 0.25)], lambda mention: False, dates_agree) != []


MILL = "The mill had stood by the canal for a century."


def test_a_sentence_telling_the_other_event_with_a_synonym_dates_the_same_event():
    source = ("A fire-bomb attack on the Lenmoor flour mill killed three workers on Wednesday as crowds marched "
              "past. " + MILL)
    died = "Three workers died when the Lenmoor flour mill went up in flames on Friday, the fire brigade said. "
    assert ("date", "Friday", "Wednesday") in _kinds(died + MILL, source)  # "died" tells the killing
    rescued = died.replace("died", "were rescued")
    assert not [k for k in _kinds(rescued + MILL, source) if k[0] == "date"]  # another event: no synonym


def test_a_verb_of_saying_in_my_sentence_does_not_make_their_date_one_of_mine():
    claim = _claim("Officials said the Lenmoor flour mill went up in flames on Friday.")
    other = _claim("The Lenmoor flour mill owners reported the fire on Wednesday.")
    assert not same_event(claim.dates[0], other.dates[0], claim.text, other.text)
    killed = _claim("The fire at the Lenmoor flour mill killed three workers on Wednesday.")
    died = _claim("Three workers died when the Lenmoor flour mill went up in flames on Friday.")
    assert same_event(died.dates[0], killed.dates[0], died.text, killed.text)


def test_the_day_something_was_written_is_not_the_day_of_the_event():
    claim = _claim("The coach wrote to the club on Wednesday that the offer stood.")
    other = _claim("The coach wrote in his Monday column that the offer stood.")
    assert orphan_date_rivals(claim, [], [(other, 0.5)], lambda mention: False, dates_agree) == []


def test_a_year_written_before_a_lower_case_word_is_compared():
    lead = "Visitors queued outside the Lenmoor museum on its first day. "
    target = lead + "The old mill, which closed in 1987 after the floods, reopened as a museum in Lenmoor."
    source = lead + "The old mill closed in 1991 after the floods and reopened as a museum in Lenmoor."
    assert ("date", "1987", "1991") in _kinds(target, source)


def test_a_figure_no_source_gives_is_a_number_conflict_with_a_related_claim():
    target = ("Divers searched the flooded quarry near Lenmoor for a missing walker on Sunday. "
              "The search team used 14 boats and a helicopter during the long search of the quarry.")
    source = ("Divers searched the flooded quarry near Lenmoor for a missing walker. "
              "Volunteers brought 6 boats, and the team searched the quarry until dark with a helicopter overhead.")
    assert ("number", "14 boats", "6 boats") in _kinds(target, source)


def test_a_figure_the_article_also_gives_for_the_rival_is_two_counts():
    claim = _claim("The search team used 14 boats and a helicopter during the long search of the quarry.")
    other = _claim("Volunteers brought 6 boats to the long search of the quarry near the village.")
    six = find_quantities("six boats")
    found = orphan_number_rivals(claim, [], [(other, 0.5)], lambda quantity, rival: False, written)
    assert [(mine.text, rival.text) for mine, rival, _, _ in found] == [("14 boats", "6 boats")]
    assert orphan_number_rivals(claim, six, [(other, 0.5)], lambda quantity, rival: False, written) == []
    assert orphan_number_rivals(claim, [], [(other, 0.5)], lambda quantity, rival: True, written) == []


def test_bare_counts_of_people_in_loosely_related_claims_are_not_compared():
    target = ("Storm Pavla flooded the fishing town of Corvale on Monday. The regional director said two people were "
              "still being treated in hospital for injuries suffered during the storm.")
    source = ("Storm Pavla flooded the fishing town of Corvale on Monday. The regional director said at dawn that "
              "around 1,000 people had already left their homes before the storm.")
    assert not [k for k in _kinds(target, source) if k[0] == "number"]


# -- a year no source gives, anchored by a name written next to both years ----------------------------------------

TITLE_WIN = ("Ortega, who won the WBA and WBO belts from Lennox Ward in 2001 and the vacant WBA belt in 2005, arrived "
             "in Hamburg on Monday and declared he was in top shape.")


def test_a_year_next_to_the_same_full_name_as_a_source_year_is_a_date_conflict_in_loosely_similar_claims():
    target = ("Ortega, who looked a shadow of the fighter that floored Lennox Ward to win the title in 1998, barely "
              "landed a punch.")
    assert ("date", "1998", "2001") in _kinds(target, TITLE_WIN)


def test_one_shared_name_word_or_a_name_far_from_the_dates_does_not_anchor_them():
    mine_text = "Ortega floored Lennox Ward to win the title in 1998."
    (mine,) = find_dates(mine_text)
    theirs_text = "He won the belts from Lennox Ward in 2001."
    (theirs,) = find_dates(theirs_text)
    assert named_near(mine, theirs, mine_text, theirs_text)
    subject_only = "He won the belts from Ward in 2001."
    assert not named_near(mine, find_dates(subject_only)[0], mine_text, subject_only)
    far = "Lennox Ward, the tall and patient champion of the eastern league, lost his belts in 2001."
    assert not named_near(mine, find_dates(far)[0], mine_text, far)


# -- a value another source writes elsewhere ---------------------------------------------------------------

FLEW = "Owner Dario Velluto flew from his {} home to Lenmoor on Tuesday and met the agent of the striker."


def test_a_restated_sentence_with_another_place_conflicts_though_a_source_names_that_place_elsewhere():
    elsewhere = "The club's reserve side trained in Idaho last summer before the cup run."
    assert ("place", "Idaho", "Oregon") in _kinds(FLEW.format("Idaho"), FLEW.format("Oregon"), elsewhere)
    loose = "Velluto, who keeps a ranch in Idaho, met the agent of the striker in Lenmoor on Tuesday."
    assert _kinds(loose, FLEW.format("Oregon"), elsewhere) == []  # not one statement: the sources disagree


def test_a_restated_sentence_is_not_a_conflict_when_a_related_source_sentence_states_its_place():
    related = "Owner Dario Velluto flew to Lenmoor from his Idaho home on Tuesday, a club official said."
    assert _kinds(FLEW.format("Idaho"), FLEW.format("Oregon"), related) == []


# -- a date in one clause of a sentence whose other clause restates a source sentence --------------------

MILL_LEAD = "The old Lenmoor flour mill is a ruin. "
TORCHED = MILL_LEAD + ("Arsonists torched the mill on Friday night although a dozen night bakers were still inside, "
                       "the brigade chief said.")
LIT = MILL_LEAD + ("Somebody lit it on Sunday night, while a dozen night bakers were still inside the mill, "
                   "the brigade chief said.")


def test_a_day_in_a_clause_is_compared_with_the_sentence_its_other_clause_restates():
    assert ("date", "Sunday", "Friday") in _kinds(LIT, TORCHED)  # "Somebody lit it" alone shares no word
    report = check_article(_article("t", LIT), [_article("s", TORCHED)])
    (lit,) = [check for check in report.claims if check.claim.text.startswith("Somebody")]
    assert lit.verdict == "conflicting" and "s" not in lit.agreeing


def test_a_clause_day_is_no_conflict_when_its_sentence_names_the_rival_day_or_tells_another_event():
    both_days = LIT.replace("a dozen night bakers", "a dozen night bakers who started on Friday night")
    assert not [k for k in _kinds(both_days, TORCHED) if k[0] == "date"]
    other_event = LIT.replace("Somebody lit it", "The bakery union met")
    assert not [k for k in _kinds(other_event, TORCHED) if k[0] == "date"]


# -- one subject's day, whatever its verbs ------------------------------------------------------------------

LEAD = "Ferries will run while the harbour bridge is shut. "  # a date in the first words is a dateline


def test_a_subject_named_at_both_days_makes_them_one_act_whatever_the_verbs():
    # "announced" is a verb of saying and "signed" an event: without the shared subject the days were not compared.
    assert ("date", "Sunday", "Thursday") in _kinds(
        LEAD + "Governor Ellen Barstow announced Sunday that the harbour bridge would close for repairs.",
        LEAD + "Governor Ellen Barstow on Thursday signed the order closing the harbour bridge for repairs.")
    # The surname alone on one side is the same person when the other side gives the full name.
    assert ("date", "Sunday", "Thursday") in _kinds(
        LEAD + "Governor Ellen Barstow announced Sunday that the harbour bridge would close for repairs.",
        LEAD + "Governor Barstow on Thursday signed the order closing the harbour bridge for repairs.")


def test_a_name_far_from_the_day_or_behind_a_comma_is_not_the_subject_of_that_day():
    acting = _claim("Councillor Tom Reddy took aim at Mayor Ellen Barstow on Wednesday over the bridge plan.")
    mocked = _claim("Mayor Ellen Barstow hit back after a radio host mocked her harbour bridge plan on his show Monday.")
    vigil = _claim("For the family of Ellen Barstow, the long vigil at the harbour was on Monday.")
    signed = _claim("Mayor Ellen Barstow signed the harbour bridge order on Monday.")
    closed = _claim("As the storm neared, Mayor Ellen Barstow on Wednesday closed the harbour bridge.")
    assert same_subject(signed, signed.dates[0], closed, closed.dates[0])
    assert not same_subject(mocked, mocked.dates[0], acting, acting.dates[0])
    assert not same_subject(vigil, vigil.dates[0], acting, acting.dates[0])
    # Two people who share a first name only are two subjects.
    assert not [k for k in _kinds(
        LEAD + "Ellen Barstow announced Sunday that the harbour bridge would close for repairs.",
        LEAD + "Ellen Okafor on Thursday signed the order closing the harbour bridge for repairs.") if k[0] == "date"]


# -- lengths of time rounded apart ------------------------------------------------------------------------


def test_lengths_of_time_close_together_are_one_span_counted_apart_not_a_conflict():
    assert not [k for k in _kinds(
        LEAD + "The ferry captain had been in hospital in Valletta for four weeks with pneumonia.",
        LEAD + "The ferry captain had been in hospital in Valletta for three weeks with pneumonia.")
                if k[0] == "number"]


def test_lengths_of_time_far_apart_or_counts_of_things_still_conflict():
    assert ("number", "ten weeks", "three weeks") in _kinds(
        LEAD + "The ferry captain had been in hospital in Valletta for ten weeks with pneumonia.",
        LEAD + "The ferry captain had been in hospital in Valletta for three weeks with pneumonia.")
    # Four crew against three crew is a count of people, not a span: no rounding slack.
    assert ("number", "Four crew members", "Three crew members") in _kinds(
        LEAD + "Four crew members were taken to hospital in Valletta with burns.",
        LEAD + "Three crew members were taken to hospital in Valletta with burns.")


# -- one night on either side of midnight -----------------------------------------------------------------


def test_late_one_day_against_early_the_next_is_one_night_not_a_date_conflict():
    assert not [k for k in _kinds(
        LEAD + "Fire crews were still fighting the blaze at the Lenmoor mill late Tuesday, officials said.",
        LEAD + "Fire crews were still fighting the blaze at the Lenmoor mill early Wednesday, officials said.")
                if k[0] == "date"]
    assert not [k for k in _kinds(
        LEAD + "The blaze destroyed the Lenmoor mill on Tuesday night after a spark from the kiln.",
        LEAD + "The blaze destroyed the Lenmoor mill on Wednesday morning after a spark from the kiln.")
                if k[0] == "date"]


def test_consecutive_days_without_night_words_or_two_days_apart_still_conflict():
    plain = _kinds(LEAD + "The blaze destroyed the Lenmoor mill on Tuesday after a spark from the kiln.",
                   LEAD + "The blaze destroyed the Lenmoor mill on Wednesday after a spark from the kiln.")
    assert ("date", "Tuesday", "Wednesday") in plain
    apart = _kinds(LEAD + "The blaze destroyed the Lenmoor mill on Tuesday night after a spark from the kiln.",
                   LEAD + "The blaze destroyed the Lenmoor mill early Thursday after a spark from the kiln.")
    assert ("date", "Tuesday", "Thursday") in apart
    nights = _kinds(LEAD + "The blaze destroyed the Lenmoor mill on Tuesday night after a spark from the kiln.",
                    LEAD + "The blaze destroyed the Lenmoor mill on Wednesday night after a spark from the kiln.")
    assert ("date", "Tuesday", "Wednesday") in nights  # two nights, a day apart


def test_one_subject_phrase_before_both_days_dates_one_act_whatever_the_verbs():
    claim = _claim("A district judge in Tessford on Wednesday ordered the ferry company to restore the night route.")
    other = _claim("A district judge in Tessford ruled Monday that the ferry company must run the night route.")
    found = orphan_date_rivals(claim, [], [(other, 0.1)], lambda mention: False, dates_agree)
    assert [(mine.text, rival.text) for mine, rival, _, _ in found] == [("Wednesday", "Monday")]
    # One word in common ("district") is not one subject.
    another = _claim("A district court in Lenmoor ruled Monday that the ferry company must run the night route.")
    assert orphan_date_rivals(claim, [], [(another, 0.1)], lambda mention: False, dates_agree) == []


def test_a_length_is_not_compared_with_a_depth_but_a_depth_is():
    from crosscheck_fiction import conflict_kinds

    claim = "Divers from the Ostrava institute said the barge, about 25 metres long, lies 38 metres below the surface."
    source = "The barge lies 44 metres down, divers from the Ostrava institute said."
    assert conflict_kinds(claim, source) == [("number", "38 metres", "44 metres")]
    assert conflict_kinds(claim.replace(", lies 38 metres below the surface", ""), source) == []
