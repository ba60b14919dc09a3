"""Tests for the story digest: citations, independent sources, conflicts, MMR.

Every article below is fiction written for newsloom.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsloom.digest import build_digest
from newsloom.models import Article
from newsloom.nlp.text import content_words, split_sentences
from newsloom.settings import from_env

SETTINGS = from_env({})
T0 = datetime(2031, 3, 4, 21, 0, tzinfo=timezone.utc)


def article(article_id: str, title: str, text: str, outlet: str, minutes: int = 0) -> Article:
    return Article(
        id=article_id,
        raw_id="raw-" + article_id,
        title=title,
        text=text,
        published_at=T0 + timedelta(minutes=minutes),
        outlet=outlet,
    )


HARBOUR = article(
    "a-harbour",
    "Fourteen dead as fire sweeps Porto apartment tower",
    "A fire in an apartment tower in Porto killed 14 people on Tuesday night. "
    "Firefighters fought the blaze for six hours before bringing it under control. "
    "Mayor Ines Calado ordered an inquiry into the building's fire safety record. "
    "Residents said the smoke alarms on the upper floors never sounded. "
    "Meanwhile, the regional government promised emergency housing for displaced families.",
    "Harbour Gazette",
)
LEDGER = article(
    "b-ledger",
    "Porto tower fire leaves 14 dead",
    "Fourteen people died on Tuesday night when fire swept through an apartment tower in Porto. "
    "Investigators are examining whether a faulty heater on the third floor started the blaze. "
    "Firefighters needed six hours to bring the fire under control. "
    "Is the city doing enough to inspect old buildings? "
    "Mayor Ines Calado has ordered an inquiry into fire safety at the building.",
    "Northern Ledger",
    minutes=20,
)
COASTLINE = article(
    "c-coastline",
    "Deadly blaze in Porto tower block",
    "At least 14 people were killed on Tuesday night as fire gutted an apartment tower in Porto. "
    "Survivors described thick smoke filling the stairwells within minutes. "
    "Firefighters fought the fire for six hours before they brought it under control. "
    '"We could not see our own hands," one resident said.',
    "Coastline Daily",
    minutes=35,
)
VALLEY = article(
    "d-valley",
    "Porto tower fire kills 12",
    "A fire in an apartment tower in Porto killed 12 people on Tuesday night. "
    "Several neighbouring buildings were evacuated by police as a precaution.",
    "Valley Courier",
    minutes=50,
)
WIRE_REPOST = article("r-wire", HARBOUR.title, HARBOUR.text, "Wire Copy", minutes=90)

STORY = [HARBOUR, LEDGER, COASTLINE, VALLEY, WIRE_REPOST]
COPY_OF = {"r-wire": "a-harbour"}


def fire_digest():
    return build_digest("story-fire", STORY, COPY_OF, SETTINGS)


def all_sentences(digest):
    return ([digest.standfirst] if digest.standfirst else []) + digest.body


def sentence_containing(digest, fragment: str):
    matches = [s for s in all_sentences(digest) if fragment in s.text]
    assert len(matches) == 1, f"expected one digest sentence with {fragment!r}, got {matches}"
    return matches[0]


def cited_ids(sentence) -> set[str]:
    return {c.article_id for c in sentence.citations}


def comparable(digest) -> dict:
    fields = asdict(digest)
    fields.pop("built_at")
    return fields


def test_every_sentence_is_verbatim_from_its_cited_source_article():
    by_id = {a.id: a for a in STORY}
    for sentence in all_sentences(fire_digest()):
        own = [c for c in sentence.citations if c.article_id == sentence.article_id]
        assert len(own) == 1 and own[0].similarity == 1.0
        assert own[0].sentence in split_sentences(by_id[sentence.article_id].text)
        # the text is the sentence itself, or the sentence minus a leading connective
        assert own[0].sentence == sentence.text or own[0].sentence.endswith(sentence.text[1:])


def test_fact_stated_by_three_outlets_cites_all_three_and_the_repost():
    deaths = sentence_containing(fire_digest(), "14 people")
    assert cited_ids(deaths) == {"a-harbour", "b-ledger", "c-coastline", "r-wire"}
    assert deaths.independent_sources == 3


def test_repost_is_cited_but_does_not_add_an_independent_source():
    without_repost = build_digest("story-fire", STORY[:4], {}, SETTINGS)
    with_repost = fire_digest()
    inquiry_before = sentence_containing(without_repost, "inquiry")
    inquiry_after = sentence_containing(with_repost, "inquiry")
    assert "r-wire" in cited_ids(inquiry_after)
    assert inquiry_before.independent_sources == inquiry_after.independent_sources == 2


def test_fact_only_one_outlet_states_is_single_source():
    heater = sentence_containing(fire_digest(), "faulty heater")
    assert cited_ids(heater) == {"b-ledger"}
    assert heater.independent_sources == 1 and heater.single_source


def test_different_death_toll_is_not_cited_as_confirmation():
    deaths = sentence_containing(fire_digest(), "14 people")
    assert "d-valley" not in cited_ids(deaths)


def one_sentence_articles_digest(*texts: str):
    """A story of one-sentence articles "s0", "s1", ... each from its own outlet."""
    articles = [article(f"s{n}", "Story", text, f"Paper {n}") for n, text in enumerate(texts)]
    return build_digest("story-small", articles, {}, SETTINGS)


def test_two_article_story_with_conflicting_numbers_keeps_both_single_source():
    digest = one_sentence_articles_digest(
        "Twelve people died when a lorry hit a bus near the old bridge.",
        "14 people died when a lorry hit a bus near the old bridge.",
    )
    for sentence in all_sentences(digest):
        assert len(sentence.citations) == 1 and sentence.independent_sources == 1


def test_different_place_is_not_cited_as_confirmation():
    digest = one_sentence_articles_digest(
        "Police closed the main bridge in Porto after a lorry crash on Monday.",
        "Police closed the main bridge in Faro after a lorry crash on Monday.",
        "After a lorry crash on Monday, police closed the main bridge in Porto.",
    )
    porto_sentence = sentence_containing(digest, "in Porto after")
    assert cited_ids(porto_sentence) == {"s0", "s2"}
    assert porto_sentence.independent_sources == 2


def test_different_region_of_the_same_country_is_not_cited_as_confirmation():
    digest = one_sentence_articles_digest(
        "Wildfires forced evacuations in Portugal's Faro district on Sunday afternoon.",
        "Wildfires forced evacuations in Portugal's Braga district on Sunday afternoon.",
        "On Sunday afternoon wildfires forced evacuations in Portugal's Faro district.",
    )
    assert cited_ids(sentence_containing(digest, "Faro district on Sunday")) == {"s0", "s2"}


def test_region_the_gazetteer_does_not_know_is_not_cited_as_confirmation():
    digest = one_sentence_articles_digest(
        "Wildfires forced evacuations in Portugal's Algarve region on Sunday afternoon.",
        "Wildfires forced evacuations in Portugal's Minho region on Sunday afternoon.",
        "On Sunday afternoon wildfires forced evacuations in Portugal's Algarve region.",
    )
    assert cited_ids(sentence_containing(digest, "Algarve region on Sunday")) == {"s0", "s2"}


def test_different_day_is_not_cited_as_confirmation():
    digest = one_sentence_articles_digest(
        "Police closed the main bridge after a lorry crash on Tuesday evening.",
        "Police closed the main bridge after a lorry crash on Friday evening.",
        "Tuesday's lorry crash led police to close the main bridge that evening.",
    )
    assert cited_ids(sentence_containing(digest, "on Tuesday evening")) == {"s0", "s2"}


def test_different_person_is_not_cited_as_confirmation():
    digest = one_sentence_articles_digest(
        "Harbour director Ana Lima resigned from the port authority on Monday.",
        "Harbour director Rui Costa resigned from the port authority on Monday.",
        "On Monday the harbour director, Ana Lima, resigned from the port authority.",
    )
    assert cited_ids(sentence_containing(digest, "Ana Lima resigned")) == {"s0", "s2"}


def test_possessive_name_confirms_the_plain_name():
    digest = one_sentence_articles_digest(
        "Mayor Ines Calado praised the firefighters for saving dozens of residents.",
        "The firefighters who saved dozens of residents won praise from Ines Calado's office, the mayor said.",
    )
    assert cited_ids(sentence_containing(digest, "Calado praised")) == {"s0", "s1"}


def test_copies_of_an_original_outside_the_story_count_as_one_source():
    copy_one = article("k-copy1", LEDGER.title, LEDGER.text, "Aggregator One")
    copy_two = article("k-copy2", LEDGER.title, LEDGER.text, "Aggregator Two")
    copy_of = {"k-copy1": "b-ledger-absent", "k-copy2": "b-ledger-absent"}
    digest = build_digest("story-fire", [copy_one, copy_two], copy_of, SETTINGS)
    assert all(s.independent_sources == 1 for s in all_sentences(digest))
    assert cited_ids(digest.standfirst) == {"k-copy1", "k-copy2"}


def test_articles_without_usable_text_give_an_empty_digest_without_failing():
    blank = article("z-blank", "", "", "Paper One")
    short = article("z-short", "", "Fire. Smoke.", "Paper Two")
    digest = build_digest("story-blank", [blank, short], {"z-short": "z-short"}, SETTINGS)
    assert (digest.headline, digest.standfirst, digest.body) == ("", None, [])


def test_body_has_no_two_sentences_stating_the_same_thing():
    digest = fire_digest()
    texts = [s.text for s in all_sentences(digest)]
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            a, b = set(content_words(first)), set(content_words(second))
            assert len(a & b) / len(a | b) < 0.5, (first, second)


def test_body_is_at_most_the_configured_number_of_sentences():
    short = from_env({}, digest_sentences=3)
    assert len(build_digest("story-fire", STORY, COPY_OF, short).body) == 3
    assert len(fire_digest().body) <= SETTINGS.digest_sentences


def test_standfirst_and_the_sentences_stating_it_are_not_repeated_in_the_body():
    digest = fire_digest()
    body_texts = {s.text for s in digest.body}
    assert digest.standfirst is not None
    assert not body_texts & {c.sentence for c in digest.standfirst.citations}


def test_standfirst_is_the_widely_confirmed_lead():
    standfirst = fire_digest().standfirst
    assert standfirst.text == "A fire in an apartment tower in Porto killed 14 people on Tuesday night."
    assert standfirst.article_id == "a-harbour"


def test_standfirst_skips_a_lead_that_needs_context():
    pronoun_lead = article(
        "e-pronoun",
        "Calado speaks",
        "She said the city would pay for the funerals of all the victims. "
        "The mayor visited the burned apartment tower in Porto on Wednesday morning.",
        "Paper One",
    )
    digest = build_digest("story-mayor", [pronoun_lead], {}, SETTINGS)
    assert digest.standfirst.text.startswith("The mayor visited")


def test_headline_is_an_original_source_title_never_the_reposts():
    digest = fire_digest()
    assert digest.headline in {a.title for a in STORY}
    assert digest.headline_article_id != "r-wire"
    assert digest.headline == {a.id: a.title for a in STORY}[digest.headline_article_id]


def test_headline_is_never_a_title_contradicting_the_confirmed_lead():
    # Valley Courier's "kills 12" is the title closest to the centre, but three outlets say 14
    assert fire_digest().headline_article_id != "d-valley"
    assert fire_digest().headline == "Fourteen dead as fire sweeps Porto apartment tower"


def test_headline_case_title_is_not_mistaken_for_a_list_of_names():
    # read as names, "Blaze Kills Residents" would share none with the lead's "Porto", "Tuesday"
    headline_case = article("h-case", "Tower Blaze Kills 14 Residents", HARBOUR.text, "Paper One")
    vague = article("w-briefing", "Evening briefing from the regional desk", LEDGER.text, "Paper Two")
    digest = build_digest("story-fire", [headline_case, vague], {}, SETTINGS)
    assert digest.headline_article_id == "h-case"


def test_headline_prefers_the_original_over_a_repost_with_the_same_title_and_an_earlier_id():
    early_repost = article("0-wire", HARBOUR.title, HARBOUR.text, "Wire Copy", minutes=90)
    digest = build_digest("story-fire", [early_repost, HARBOUR], {"0-wire": "a-harbour"}, SETTINGS)
    assert digest.headline_article_id == "a-harbour"
    assert digest.standfirst.article_id == "a-harbour"


def test_leading_connective_is_trimmed_and_the_source_sentence_kept_in_the_citation():
    digest = build_digest("story-fire", [HARBOUR], {}, SETTINGS)
    housing = sentence_containing(digest, "emergency housing")
    assert housing.text == "The regional government promised emergency housing for displaced families."
    assert housing.citations[0].sentence.startswith("Meanwhile, the regional")


def test_single_article_story_gets_its_lead_sentences_in_order_each_single_source():
    digest = build_digest("story-fire", [LEDGER], {}, SETTINGS)
    assert digest.headline == LEDGER.title
    assert digest.standfirst.text.startswith("Fourteen people died")
    assert [s.text for s in digest.body] == [
        "Investigators are examining whether a faulty heater on the third floor started the blaze.",
        "Firefighters needed six hours to bring the fire under control.",
        "Mayor Ines Calado has ordered an inquiry into fire safety at the building.",
    ]
    assert all(s.independent_sources == 1 and cited_ids(s) == {"b-ledger"} for s in digest.body)


def test_body_puts_the_most_relevant_sentence_first():
    # inverted pyramid: the claim three outlets state leads the body, single-source details follow
    body = fire_digest().body
    assert body[0].text.startswith("Firefighters fought the blaze")
    assert body[0].independent_sources == 3
    assert max(s.independent_sources for s in body[1:]) <= body[0].independent_sources


def test_sentence_another_outlet_states_outranks_an_earlier_one_only_its_outlet_tells():
    first = article(
        "v-first",
        "Storm floods Vilar",
        "Storm Elena flooded the coastal town of Vilar on Sunday night. "
        "A local bakery handed out free bread to volunteers in the market square. "
        "Rescue teams evacuated residents from the riverside streets by boat.",
        "Paper One",
    )
    second = article(
        "v-second",
        "Vilar under water",
        "Storm Elena brought record rain to the coast of Vilar. "
        "Rescue teams used boats to evacuate residents of the riverside streets.",
        "Paper Two",
    )
    digest = build_digest("story-storm", [first, second], {}, from_env({}, digest_sentences=1))
    assert digest.standfirst.text == "Storm Elena flooded the coastal town of Vilar on Sunday night."
    assert [s.text for s in digest.body] == ["Rescue teams evacuated residents from the riverside streets by boat."]
    assert cited_ids(digest.body[0]) == {"v-first", "v-second"}


def test_forty_near_identical_leads_do_not_crowd_the_other_sentences_out_of_the_body():
    body = build_digest("story-big", big_story(40), {}, SETTINGS).body
    leads = [s for s in body if s.text.startswith("Fire in a Porto apartment tower")]
    assert len(leads) <= 1 and len(body) == SETTINGS.digest_sentences


def test_questions_and_quote_only_sentences_are_skipped():
    texts = [s.text for s in all_sentences(fire_digest())]
    assert not [t for t in texts if t.endswith("?") or t.startswith('"')]


def test_subheadlines_captions_and_embeds_never_enter_the_digest():
    messy = article(
        "m-messy",
        "Porto tower fire",
        "Fire Crews Battle Deadly Blaze In Porto Apartment Tower Overnight\n"
        "A fire in an apartment tower in Porto killed 14 people on Tuesday night.\n"
        "Smoke rising over the tower block as seen from the river bank\n"
        "Watch the footage of the blaze posted at https://video.example.invalid/porto now.\n"
        "Firefighters were still damping down the upper floors on Wednesday morning.",
        "Paper One",
    )
    digest = build_digest("story-messy", [messy, COASTLINE], {}, SETTINGS)
    assert [s.text for s in all_sentences(digest)] == [
        "A fire in an apartment tower in Porto killed 14 people on Tuesday night.",
        "Firefighters fought the fire for six hours before they brought it under control.",
        "Survivors described thick smoke filling the stairwells within minutes.",
        "Firefighters were still damping down the upper floors on Wednesday morning.",
    ]


def test_title_only_story_uses_titles_as_sentences():
    feeds = [
        article("t1", "Fire in Porto apartment tower kills 14 people", "", "Feed One"),
        article("t2", "Porto apartment tower fire kills 14 people overnight", "", "Feed Two"),
        article("t3", "Mayor Ines Calado orders inquiry into Porto tower fire", "", "Feed Three"),
    ]
    digest = build_digest("story-feeds", feeds, {}, SETTINGS)
    titles = {a.title for a in feeds}
    assert digest.headline in titles
    assert digest.standfirst.text in titles
    assert all(s.text in titles for s in digest.body)
    deaths = sentence_containing(digest, "kills 14")
    assert cited_ids(deaths) == {"t1", "t2"} and deaths.independent_sources == 2


def test_standfirst_is_not_a_headline_when_an_article_has_text():
    headline = article("h1", "Fourteen dead in Porto tower fire", "", "Feed One", minutes=-30)
    digest = build_digest("story-mixed", [headline, HARBOUR], {}, SETTINGS)
    assert digest.standfirst.article_id == "a-harbour"
    assert digest.standfirst.text in HARBOUR.text


def test_story_with_one_usable_sentence_puts_it_in_the_body_without_its_label():
    flash = article("f-flash", "BREAKING: Fire breaks out in apartment tower in Porto", "", "Feed One")
    digest = build_digest("story-flash", [flash], {}, SETTINGS)
    assert digest.headline == "BREAKING: Fire breaks out in apartment tower in Porto"
    assert digest.standfirst is None
    assert [s.text for s in digest.body] == ["Fire breaks out in apartment tower in Porto"]
    assert digest.body[0].citations[0].sentence == flash.title


def test_story_without_articles_gives_an_empty_digest():
    digest = build_digest("story-empty", [], {}, SETTINGS)
    assert (digest.headline, digest.standfirst, digest.body) == ("", None, [])


def test_same_input_gives_the_same_digest_in_any_order():
    first = comparable(fire_digest())
    assert comparable(fire_digest()) == first
    assert comparable(build_digest("story-fire", list(reversed(STORY)), COPY_OF, SETTINGS)) == first


def test_max_articles_keeps_originals_first():
    digest = build_digest("story-fire", STORY, COPY_OF, SETTINGS, max_articles=3)
    sources = {s.article_id for s in all_sentences(digest)}
    assert "r-wire" not in sources and len(sources) <= 3


FILLER = [
    "Engineers from the city council inspected the tower's concrete frame on Wednesday.",
    "A collection for the families of the victims raised money across the northern district.",
    "The tower was built in the 1970s and renovated with new cladding eight years ago.",
    "Schools near the tower stayed closed while investigators examined the site.",
    "The national fire service said it would review evacuation rules for tall residential buildings.",
    "Relatives gathered outside the local hospital waiting for news of the injured.",
    "Opposition councillors demanded to see the last fire inspection report for the building.",
    "Traffic around the district was diverted for most of the day.",
]


def big_story(count: int = 40) -> list[Article]:
    stories = []
    for n in range(count):
        rotated = FILLER[n % len(FILLER) :] + FILLER[: n % len(FILLER)]
        text = " ".join([f"Fire in a Porto apartment tower killed 14 people, outlet {n} reported."] + rotated * 4)
        stories.append(article(f"big-{n:02d}", f"Porto tower fire report number {n}", text, f"Outlet {n}", n))
    return stories


def test_forty_article_story_is_built_in_under_two_seconds():
    # most of it is the cross-check's claim extraction (support.py), about 20 ms per article here
    articles = big_story(40)
    started = time.perf_counter()
    digest = build_digest("story-big", articles, {}, SETTINGS)
    assert time.perf_counter() - started < 2.0
    assert len(digest.body) == SETTINGS.digest_sentences


@pytest.mark.parametrize("sentences", [1, 8])
def test_body_never_exceeds_setting_even_with_many_candidates(sentences):
    digest = build_digest("story-big", big_story(12), {}, from_env({}, digest_sentences=sentences))
    assert len(digest.body) == sentences


EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"


def example_article(name: str, outlet: str) -> Article:
    title, _, text = (EXAMPLES / name).read_text(encoding="utf-8").partition("\n")
    return article(name[:3], title.strip(), text.strip(), outlet)


@pytest.mark.shared
@pytest.mark.skipif(not (EXAMPLES / "001_84c68ebb345634ad.txt").exists(), reason="../shared/examples absent")
def test_reference_case_unsupported_figure_and_wrong_region_are_never_confirmed_by_the_report():
    report = example_article("000_8618f0a8f728be58.txt", "Report")
    machine = example_article("001_84c68ebb345634ad.txt", "Machine digest")
    digest = build_digest("story-convoy", [report, machine], {}, SETTINGS)
    texts = {"000": split_sentences(report.text), "001": split_sentences(machine.text)}
    for sentence in all_sentences(digest):
        assert sentence.citations[0].sentence in texts[sentence.article_id]
        if "conscripts" in sentence.text or "Sumy region, with" in sentence.text:
            assert cited_ids(sentence) == {"001"} and sentence.single_source
    assert not digest.standfirst.text.startswith("Russian Outrage")  # the machine's sub-headline line


def test_cross_source_share_counts_the_terms_another_independent_source_uses():
    from newsloom.digest import _cross_source_share, _Sentence
    from newsloom.digest_text import terms

    texts = [("a1", "Fire crews fought the blaze in Porto for six hours."),
             ("a2", "The blaze in Porto burned for six hours, crews said."),
             ("a3", "Crews from Porto fought the fire."),  # a repost of a1: the same source
             ("a4", "Insurers counted the damage on Wednesday.")]
    source_key = {"a1": "outlet:ledger", "a2": "outlet:herald", "a3": "outlet:ledger", "a4": "outlet:post"}
    sentences = [_Sentence(row, article_id, 0, 0, 0.0, text, text, True) for row, (article_id, text) in enumerate(texts)]
    shares = _cross_source_share(sentences, source_key)
    for sentence in sentences:  # the definition, term by term
        own = set(terms(sentence.source))
        others = {term for s in sentences if source_key[s.article_id] != source_key[sentence.article_id]
                  for term in terms(s.source)}
        assert shares[sentence.row] == len(own & others) / len(own)
    assert shares[3] == 0.0 and 0.0 < shares[2] < 1.0
