"""Cross-check rules on hand-written fiction: the day of an article's lead against the day of the sources' leads,
two names in loosely related sentences, names one word apart, and one thing against many."""

from crosscheck_fiction import conflict_kinds as _kinds
from crosscheck_fiction import fiction_article as _article
from newsloom.crosscheck_names import one_word_apart, written_two_ways
from newsloom.nlp.claims import Actor, extract_claims
from newsloom.nlp.numbers import find_quantities, one_of_many

LEAD = ("The port authority on Friday approved a levy of two euros on every cruise passenger landing at the terminal, "
        "ending months of wrangling with operators over who pays for the new quays.")
LATER = "Work on the quays starts next spring."
SOURCE_LEAD = ("Cruise operators face a new charge on passengers landing at the terminal after harbour officials voted "
               "on Wednesday to make visitors fund the new quays, a decision critics called a tourist tax. Shipping "
               "agents said bookings were already down.")


def _dates(kinds):
    return [kind for kind in kinds if kind[0] == "date"]


def test_the_day_of_a_lead_is_compared_with_the_day_of_the_sources_leads_whatever_the_verbs():
    assert _dates(_kinds(f"{LEAD} {LATER}", SOURCE_LEAD)) == [("date", "Friday", "Wednesday")]


def test_a_day_outside_the_lead_is_not_compared_with_the_day_of_the_sources_leads():
    assert _dates(_kinds(f"{LATER} {LEAD}", SOURCE_LEAD)) == []


def test_the_day_a_lead_closes_with_after_a_verb_of_saying_is_when_the_report_was_given():
    said = LEAD.replace(" on Friday", "").rstrip(".") + ", officials said Friday."
    assert _dates(_kinds(f"{said} {LATER}", SOURCE_LEAD)) == []


def test_two_names_in_loosely_related_sentences_are_two_people_quoted_not_an_actor_conflict():
    target = "Rovers have not yet made an offer for the young winger, according to Ilse Brandauer of the supporters' trust."
    source = ("Rovers still hope to sign the winger before the transfer window closes, according to Tomas Quellin of the "
              "supporters' trust.")
    assert [kind for kind in _kinds(target, source) if kind[0] == "actor"] == []


def test_names_one_word_apart_keep_their_other_words_in_place_and_a_short_form_is_the_same_name():
    assert one_word_apart(Actor("Chris Brandauer", "person"), Actor("Chris Quellin", "person"))
    assert not one_word_apart(Actor("Valletta Courier", "org"), Actor("North Valletta", "person"))
    assert not one_word_apart(Actor("Marsa Ave", "person"), Actor("Marsa Avenue", "person"))
    assert written_two_ways(Actor("Marsa Ave", "person"), Actor("Marsa Avenue", "person"))


def test_one_thing_against_many_is_one_of_them_not_a_number_conflict():
    one, many, fewer = (find_quantities(text)[0] for text in ("landed one punch", "landed 178 punches",
                                                              "landed 78 punches"))
    assert one_of_many(one, many) and not one_of_many(fewer, many)
    assert _kinds("In the sixth round, Brannic landed one punch on the champion from Valletta.",
                  "Brannic landed 178 punches on the champion from Valletta over twelve rounds.") == []
    assert ("number", "78 punches", "178 punches") in _kinds(
        "Brannic landed 78 punches on the champion from Valletta over twelve rounds.",
        "Brannic landed 178 punches on the champion from Valletta over twelve rounds.")


def test_one_person_against_many_people_is_still_a_number_conflict():
    # A toll or a count of people is never "one of many": one dead against five dead is the conflict to catch.
    blast = " when a gas tank exploded at the Dunmere ferry terminal on Tuesday."
    assert [kind[0] for kind in _kinds("One person was killed" + blast, "Five people were killed" + blast)] == ["number"]
    assert [kind[0] for kind in _kinds("The explosion killed one worker at the Dunmere ferry terminal, police said.",
                                       "The explosion killed six workers at the Dunmere ferry terminal, police said."
                                       )] == ["number"]


def test_a_day_after_a_named_subject_opening_the_article_is_the_news_not_a_dateline():
    (claim,) = extract_claims(_article("x", "President Ilse Brandauer on Friday signed the harbour levy into law."))
    assert [mention.text for mention in claim.dates] == ["Friday"]
    (stamp,) = extract_claims(_article("x", "Posted on Friday The harbour board signed the levy into law."))
    assert stamp.dates == []
