"""Tests for deduplication: exact copies, reposts and syndicated copies are linked to their original.

Every article below is fiction written for newsloom.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import numpy as np
from datasketch import MinHash

from newsloom.dedup import Deduplicator, MinHasher, comparison_tokens, sentence_shingles
from newsloom.models import Article
from newsloom.nlp.text import shingles, split_sentences
from newsloom.settings import from_env

SETTINGS = from_env({})
NO_LATE_MEMORY = from_env({}, late_arrival_memory=0)  # eviction by the date cutoff alone
T0 = datetime(2031, 5, 12, 7, 30, tzinfo=timezone.utc)

FERRY_TITLE = "Night ferry to Skelmar runs aground on Varrow sandbank"
FERRY_PARAGRAPHS = [
    "The overnight ferry from Brellport to the island of Skelmar ran aground on the Varrow sandbank shortly "
    "after two in the morning on Sunday, leaving 212 passengers stranded in the dark for almost five hours.",
    "The coastguard said the vessel, the Maud Orrin, had drifted out of the marked channel after a steering "
    "fault that the crew could not repair at sea. Nobody was seriously hurt.",
    "Two lifeboats from Brellport and a fishing trawler that happened to be nearby stood by until the rising "
    "tide lifted the ferry off the sand at around seven o'clock.",
    "Passengers described a long night of cold tea and rumours. One teacher travelling with her class said the "
    "children had slept through most of it, wrapped in blankets handed out by the cabin staff.",
    "The operator, Skelmar Sound Lines, apologised and promised full refunds. Its chief executive, Dorran Vell, "
    "said an engineer had inspected the steering gear only last month and found nothing wrong.",
    "The marine accident board has opened an inquiry and asked the operator to keep the Maud Orrin in port "
    "until its steering system has been examined by independent surveyors.",
    "Islanders have complained for years that the crossing relies on a single ageing ship. A councillor on "
    "Skelmar, Ines Tarrow, said the grounding proved that a second vessel was overdue.",
    "The next sailing is expected to leave Brellport on Tuesday morning on a chartered boat, the operator said, "
    "while the Maud Orrin remains under inspection at the Brellport yard.",
]
FERRY_BODY = "\n\n".join(FERRY_PARAGRAPHS)

LIBRARY_TITLE = "Brellport library reopens after two-year refit"
LIBRARY_BODY = "\n\n".join(
    [
        "Brellport's central library reopened its doors on Saturday after a refit that took two years and cost "
        "more than the town council had first budgeted.",
        "The building now has a children's floor with a reading garden on the roof, a room of sewing machines "
        "and 3D printers, and longer opening hours on weekday evenings.",
        "The head librarian, Osk Ferrand, said more than nine hundred people had come through the doors by lunch "
        "time, many of them to borrow books they had reserved months ago.",
        "Critics on the council said the overspend should have been reported sooner. The council leader replied "
        "that the old roof had turned out to be far worse than the survey suggested.",
        "Visitors can sign up for a library card at the front desk or online. Follow the Harbour Herald for more "
        "local news from Brellport and the islands.",
    ]
)
FERRY_SIGNOFF = "Follow the Harbour Herald for more local news from Brellport and the islands."

# Another outlet's own report of the same grounding: different words, two quoted sentences in common.
FERRY_OTHER_REPORT = "\n\n".join(
    [
        "A passenger ferry carrying more than two hundred people spent most of Sunday night stuck on a sandbank "
        "off the Skelmar coast before the morning tide floated it free.",
        "The coastguard said the vessel, the Maud Orrin, had drifted out of the marked channel after a steering "
        "fault that the crew could not repair at sea. Nobody was seriously hurt.",
        "Relatives waiting on the quay at Skelmar said they had been given little information during the night "
        "and learned of the grounding from messages sent by passengers.",
        "Skelmar Sound Lines, which runs the only scheduled crossing, faces questions from the harbour authority "
        "about its maintenance records and about how quickly it warned the coastguard.",
        "The marine accident board has opened an inquiry and asked the operator to keep the Maud Orrin in port "
        "until its steering system has been examined by independent surveyors.",
        "Island businesses fear that a long inspection could cut them off during the busiest weeks of the spring "
        "market season, when visitors from the mainland usually arrive in large numbers.",
    ]
)

TOWN_BRIEF = "Brellport council votes to keep the old market hall open for another year."


def article(
    article_id: str,
    text: str,
    *,
    title: str = FERRY_TITLE,
    outlet: str = "harbour-herald",
    hours: float = 0.0,
    published: bool = True,
) -> Article:
    return Article(
        id=article_id,
        raw_id="raw-" + article_id,
        title=title,
        text=text,
        published_at=T0 + timedelta(hours=hours) if published else None,
        outlet=outlet,
        url=f"https://{outlet}.example/{article_id}",
        ingested_at=T0 + timedelta(hours=hours),
    )


def truncated(text: str, share: float) -> str:
    tokens = text.split(" ")
    return " ".join(tokens[: int(len(tokens) * share)]) + " ... Read more"


def run(*articles: Article, settings=SETTINGS) -> tuple[Deduplicator, list[list]]:
    dedup = Deduplicator(settings)
    return dedup, [dedup.process(a) for a in articles]


def only_link(links: list):
    assert len(links) == 1
    return links[0]


# --- exact duplicates -----------------------------------------------------------------------------------------


def test_exact_duplicate_under_another_url_links_as_exact():
    original = article("ferry-1", FERRY_BODY)
    copy = article("ferry-1-amp", FERRY_BODY.replace("\n\n", "\n").upper(), hours=0.5)

    dedup, results = run(original, copy)

    assert results[0] == []
    link = only_link(results[1])
    assert (link.article_id, link.original_id, link.kind) == ("ferry-1-amp", "ferry-1", "exact")
    assert (link.jaccard, link.containment) == (1.0, 1.0)
    assert link.reason == "Same normalised text as ferry-1 under another URL; published 30 min later."
    assert dedup.original_of("ferry-1-amp") == "ferry-1"
    assert dedup.original_of("ferry-1") is None


# --- reposts --------------------------------------------------------------------------------------------------


def test_repost_with_chrome_and_disclaimer_links_as_repost():
    chrome = "\n\n".join(
        [
            "NEWS | COASTAL | 3 MIN READ",
            "Shared from our partners at the Harbour Herald",
            FERRY_BODY,
            "Ines Tarrow on social media: a second ferry for Skelmar is not a luxury, it is a lifeline #skelmar",
            "Disclaimer: the views expressed in republished articles are not necessarily those of Coast Daily.",
        ]
    )
    original = article("ferry-1", FERRY_BODY)
    repost = article("coast-77", chrome, outlet="coast-daily", hours=3)

    _, results = run(original, repost)

    link = only_link(results[1])
    assert (link.article_id, link.original_id, link.kind) == ("coast-77", "ferry-1", "repost")
    assert link.containment == 1.0
    assert 0.7 < link.jaccard < 0.95
    assert link.reason.startswith("100% of ferry-1's 5-word shingles appear in this text (Jaccard 0.")
    assert link.reason.endswith("); published 3 h later.")


def test_copy_truncated_to_sixty_percent_links_as_repost():
    original = article("ferry-1", FERRY_BODY)
    teaser = article("coast-78", truncated(FERRY_BODY, 0.6), outlet="coast-daily", hours=1)

    _, results = run(original, teaser)

    link = only_link(results[1])
    assert (link.original_id, link.kind) == ("ferry-1", "repost")
    assert link.containment > 0.95
    assert 0.5 < link.jaccard < 0.65
    assert link.reason.startswith("9")
    assert "of this text's 5-word shingles appear in ferry-1" in link.reason


def test_sixty_percent_copy_reaches_the_lsh_candidates():
    full = np.array(sorted(shingles(FERRY_BODY)), dtype=np.uint32)
    part = np.array(sorted(shingles(truncated(FERRY_BODY, 0.6))), dtype=np.uint32)
    dedup = Deduplicator(SETTINGS)
    dedup.process(article("ferry-1", FERRY_BODY))

    candidates = dedup.lsh_candidates(part)

    assert candidates == ["ferry-1"]
    assert len(np.intersect1d(full, part)) / len(np.union1d(full, part)) > 0.5


def test_reordered_paragraphs_link_as_repost():
    reordered = "\n\n".join(FERRY_PARAGRAPHS[4:] + FERRY_PARAGRAPHS[:4])
    original = article("ferry-1", FERRY_BODY)
    copy = article("coast-79", reordered, outlet="coast-daily", hours=2)

    _, results = run(original, copy)

    link = only_link(results[1])
    assert (link.original_id, link.kind) == ("ferry-1", "repost")
    assert link.containment > 0.95


def test_copy_with_dropped_paragraphs_links_as_repost():
    shortened = "\n\n".join(FERRY_PARAGRAPHS[:3] + FERRY_PARAGRAPHS[5:])
    _, results = run(article("ferry-1", FERRY_BODY), article("coast-80", shortened, outlet="coast-daily", hours=2))

    link = only_link(results[1])
    assert (link.original_id, link.kind) == ("ferry-1", "repost")
    assert link.containment > 0.95


def test_reordered_paragraphs_keep_every_shingle_of_the_original():
    reordered = "\n\n".join(FERRY_PARAGRAPHS[4:] + FERRY_PARAGRAPHS[:4])
    _, results = run(article("ferry-1", FERRY_BODY), article("coast-79", reordered, outlet="coast-daily", hours=2))

    link = only_link(results[1])
    assert (link.jaccard, link.containment) == (1.0, 1.0)


def test_sentences_reordered_inside_one_paragraph_link_with_full_overlap():
    sentences = split_sentences(FERRY_BODY)
    shuffled = " ".join(sentences[1::2] + sentences[0::2])  # one paragraph, every sentence in a new neighbourhood
    _, results = run(article("ferry-1", FERRY_BODY), article("coast-81", shuffled, outlet="coast-daily", hours=2))

    link = only_link(results[1])
    assert (link.original_id, link.jaccard, link.containment) == ("ferry-1", 1.0, 1.0)


def test_chrome_lines_between_paragraphs_leave_the_original_wholly_contained():
    paragraphs = FERRY_PARAGRAPHS[:3] + ["pic.twitter.com/q7 — Coast Watch (@coastwatch) May 12, 2031"] + FERRY_PARAGRAPHS[3:]
    repost = "\n\n".join(["NEWS", "Posted: May 12, 2031 at 09:10"] + paragraphs)
    _, results = run(article("ferry-1", FERRY_BODY), article("coast-82", repost, outlet="coast-daily", hours=2))

    assert only_link(results[1]).containment == 1.0


def test_shingle_windows_stay_inside_a_sentence():
    tokens = comparison_tokens("One two three four five six. Seven eight.\n\nNine ten eleven twelve thirteen")

    assert tokens == [["one", "two", "three", "four", "five", "six"], ["seven", "eight"],
                      ["nine", "ten", "eleven", "twelve", "thirteen"]]
    assert len(sentence_shingles(tokens, 5)) == 2 + 1 + 1


JAPANESE_PARAGRAPHS = [
    "港町の図書館が二年間の改修工事を終えて土曜日に再開し、開館から昼までに九百人を超える人が訪れた。",
    "新しい建物には屋上の読書庭園がある子ども向けの階と、ミシンや立体印刷機を備えた工作室が設けられた。",
    "館長は、何か月も前に予約した本を受け取りに来た人が多かったと話し、平日の夜の開館時間も延ばすと述べた。",
    "一方で議会の一部からは、工事費が当初の予算を大きく上回ったことをもっと早く報告すべきだったとの批判が出た。",
]


def test_japanese_text_is_compared_character_by_character():
    body = "\n\n".join(JAPANESE_PARAGRAPHS)
    teaser = "".join(body[: int(len(body) * 0.6)]) + "…続きを読む"

    assert len(comparison_tokens(JAPANESE_PARAGRAPHS[0])[0]) > SETTINGS.dedup_min_words
    _, results = run(article("lib-1", body, title="図書館が再開"), article("mirror-1", teaser, title="図書館が再開",
                                                                            outlet="mirror", hours=3))
    link = only_link(results[1])
    assert (link.original_id, link.kind) == ("lib-1", "repost")
    assert link.containment > 0.9


def test_same_site_copy_under_a_new_headline_is_a_repost_not_syndicated():
    original = article("ferry-1", FERRY_BODY)
    retitled = article("ferry-1b", FERRY_BODY + "\n\nUpdated at noon.", title="Ferry grounding: what we know", hours=4)

    _, results = run(original, retitled)

    assert only_link(results[1]).kind == "repost"


# --- syndication ----------------------------------------------------------------------------------------------


def test_syndicated_copy_with_new_headline_from_another_outlet():
    original = article("ferry-1", FERRY_BODY)
    syndicated = article(
        "isles-5", FERRY_BODY, title="Skelmar ferry stuck on sandbank overnight", outlet="isles-gazette", hours=1
    )

    _, results = run(original, syndicated)

    link = only_link(results[1])
    assert (link.article_id, link.original_id, link.kind) == ("isles-5", "ferry-1", "syndicated")
    assert (link.jaccard, link.containment) == (1.0, 1.0)
    assert link.reason.startswith("Same text as ferry-1 under another headline from another outlet")


def test_truncated_copy_with_new_headline_from_another_outlet_is_a_repost():
    teaser = article(
        "isles-6", truncated(FERRY_BODY, 0.6), title="Ferry aground", outlet="isles-gazette", hours=1
    )

    _, results = run(article("ferry-1", FERRY_BODY), teaser)

    assert only_link(results[1]).kind == "repost"


# --- choosing the original ------------------------------------------------------------------------------------


def test_original_arriving_after_its_repost_relinks_the_group():
    repost = article("coast-77", "Shared from the Harbour Herald\n\n" + FERRY_BODY, outlet="coast-daily", hours=2)
    teaser = article("isles-6", truncated(FERRY_BODY, 0.6), outlet="isles-gazette", hours=3)
    original = article("ferry-1", FERRY_BODY, hours=0)

    dedup, results = run(repost, teaser, original)

    assert results[0] == []
    assert only_link(results[1]).original_id == "coast-77"
    relinks = results[2]
    assert [(link.article_id, link.original_id) for link in relinks] == [
        ("coast-77", "ferry-1"),
        ("isles-6", "ferry-1"),
    ]
    assert [link.kind for link in relinks] == ["repost", "repost"]
    assert all(link.containment > 0.95 for link in relinks)
    assert dedup.original_of("coast-77") == "ferry-1"
    assert dedup.original_of("isles-6") == "ferry-1"
    assert dedup.original_of("ferry-1") is None


def test_links_point_at_the_root_never_at_another_copy():
    original = article("ferry-1", FERRY_BODY)
    repost = article("coast-77", "Shared from the Harbour Herald\n\n" + FERRY_BODY, outlet="coast-daily", hours=2)
    copy_of_repost = article("blog-3", "Shared from the Harbour Herald\n\n" + FERRY_BODY, outlet="blog", hours=5)

    _, results = run(original, repost, copy_of_repost)

    assert only_link(results[2]).original_id == "ferry-1"


def test_equal_publication_time_prefers_the_more_complete_text():
    teaser = article("coast-78", truncated(FERRY_BODY, 0.6), outlet="coast-daily", hours=0)
    full = article("ferry-1", FERRY_BODY, hours=0)

    _, results = run(teaser, full)

    assert [(link.article_id, link.original_id) for link in results[1]] == [("coast-78", "ferry-1")]


def test_dated_copy_is_preferred_to_an_undated_one_even_when_shorter():
    teaser = article("coast-78", truncated(FERRY_BODY, 0.6), outlet="coast-daily", hours=3)
    undated_full = article("ferry-1", FERRY_BODY, hours=1, published=False)

    _, results = run(teaser, undated_full)

    link = only_link(results[1])
    assert (link.article_id, link.original_id) == ("ferry-1", "coast-78")
    assert link.reason.endswith("this text has no publication time and the original has one.")


def test_unknown_publication_times_prefer_the_more_complete_text():
    teaser = article("coast-78", truncated(FERRY_BODY, 0.6), outlet="coast-daily", hours=0, published=False)
    full = article("ferry-1", FERRY_BODY, hours=1, published=False)

    _, results = run(teaser, full)

    link = only_link(results[1])
    assert (link.article_id, link.original_id) == ("coast-78", "ferry-1")
    assert link.reason.endswith("no publication time to compare, so the more complete text is the original.")


def test_identical_copies_at_the_same_time_keep_the_one_seen_first():
    _, results = run(article("ferry-1", FERRY_BODY), article("ferry-2", FERRY_BODY, outlet="coast-daily"))

    assert only_link(results[1]).original_id == "ferry-1"


# --- must not link --------------------------------------------------------------------------------------------


def test_other_report_from_same_site_is_not_linked():
    ferry = article("ferry-1", FERRY_BODY + "\n\n" + FERRY_SIGNOFF)
    library = article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE, hours=5)

    _, results = run(ferry, library)

    assert results == [[], []]


def test_same_event_from_another_outlet_with_two_shared_sentences_is_not_linked():
    ours = article("ferry-1", FERRY_BODY)
    theirs = article("isles-9", FERRY_OTHER_REPORT, title="Ferry stranded off Skelmar", outlet="isles-gazette", hours=2)

    _, results = run(ours, theirs)

    assert results == [[], []]


def test_short_text_is_only_linked_when_identical_with_its_headline():
    first = article("brief-1", TOWN_BRIEF, title="Market hall stays open")
    same = article("brief-2", TOWN_BRIEF, title="Market hall stays open", hours=1)
    other_headline = article("brief-3", TOWN_BRIEF, title="Council vote on market hall", hours=1)
    one_word_changed = article("brief-4", TOWN_BRIEF.replace("another", "one more"), title="Market hall stays open")

    _, results = run(first, same, other_headline, one_word_changed)

    assert [link.kind for link in results[1]] == ["exact"]
    assert results[2] == [] and results[3] == []


def test_copy_outside_the_time_window_is_not_linked():
    window = timedelta(days=SETTINGS.dedup_window_days)
    late = article("ferry-1-again", FERRY_BODY, hours=(window + timedelta(hours=1)).total_seconds() / 3600)

    _, results = run(article("ferry-1", FERRY_BODY), late)

    assert results == [[], []]


def test_undated_copy_is_compared_by_ingestion_time():
    original = article("ferry-1", FERRY_BODY)
    undated = article("relay-1", "Reshared by Relay\n\n" + FERRY_BODY, outlet="relay", published=False)
    undated.ingested_at = original.ingested_at = T0 + timedelta(days=200)

    _, results = run(original, undated)

    link = only_link(results[1])
    assert (link.original_id, link.kind) == ("ferry-1", "repost")
    assert link.reason.endswith("this text has no publication time and the original has one.")


# --- headline-only entries ------------------------------------------------------------------------------------


def test_title_only_entries_link_on_an_exact_normalised_title():
    first = article("feed-1", "", title="Night ferry to Skelmar runs aground on Varrow sandbank")
    same = article(
        "feed-2", "", title="NIGHT FERRY to Skelmar runs aground on Varrow sandbank!", outlet="wire", hours=1
    )

    _, results = run(first, same)

    link = only_link(results[1])
    assert (link.article_id, link.original_id, link.kind) == ("feed-2", "feed-1", "exact")
    assert link.reason == "Same headline as feed-1 (headline-only entries); published 1 h later."


def test_title_only_entries_with_a_near_title_are_not_linked():
    first = article("feed-1", "", title="Night ferry to Skelmar runs aground on Varrow sandbank")
    near = article("feed-2", "", title="Night ferry to Skelmar ran aground on Varrow sandbank", hours=1)

    _, results = run(first, near)

    assert results == [[], []]


def test_title_only_entry_is_not_linked_to_a_full_article_with_that_headline():
    _, results = run(article("ferry-1", FERRY_BODY), article("feed-1", "", hours=1))

    assert results == [[], []]


# --- index upkeep ---------------------------------------------------------------------------------------------


def test_same_inputs_give_same_links():
    def inputs():
        return [
            article("coast-77", "Shared from the Harbour Herald\n\n" + FERRY_BODY, outlet="coast-daily", hours=2),
            article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE, hours=1),
            article("isles-6", truncated(FERRY_BODY, 0.6), outlet="isles-gazette", hours=3),
            article("ferry-1", FERRY_BODY),
            article("isles-9", FERRY_OTHER_REPORT, title="Ferry stranded off Skelmar", outlet="isles-gazette"),
        ]

    _, first = run(*inputs())
    _, second = run(*inputs())

    assert first == second
    assert sum(len(links) for links in first) == 3


def test_evict_before_removes_old_entries():
    dedup, _ = run(
        article("ferry-1", FERRY_BODY),
        article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE, hours=1),
        article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=30),
        settings=NO_LATE_MEMORY,
    )

    evicted = dedup.evict_before(T0 + timedelta(hours=2))

    assert evicted == 2
    assert dedup.original_of("ferry-1") is None
    assert dedup.original_of("ferry-2") == "ferry-1"
    assert dedup.process(article("library-2", LIBRARY_BODY, title=LIBRARY_TITLE, hours=40)) == []
    assert len(dedup) == 2


def test_evict_before_goes_by_time_not_by_arrival_order():
    dedup, _ = run(
        article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE, hours=10),
        article("ferry-1", FERRY_BODY, hours=1),  # arrives later, published earlier
        settings=NO_LATE_MEMORY,
    )

    assert dedup.evict_before(T0 + timedelta(hours=5)) == 1
    assert len(dedup) == 1
    assert dedup.evict_before(T0 + timedelta(hours=5)) == 0
    assert dedup.evict_before(T0 + timedelta(hours=11)) == 1
    assert len(dedup) == 0


def test_copy_joins_the_group_of_an_evicted_original():
    dedup, _ = run(article("ferry-1", FERRY_BODY), article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=30),
                   settings=NO_LATE_MEMORY)
    dedup.evict_before(T0 + timedelta(hours=2))

    links = dedup.process(article("ferry-3", FERRY_BODY, outlet="blog", hours=40))

    link = only_link(links)
    assert (link.original_id, link.kind) == ("ferry-1", "exact")
    assert "ferry-2" in link.reason


def test_evict_before_forgets_a_group_once_all_its_members_are_gone():
    dedup, _ = run(article("ferry-1", FERRY_BODY), article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=30),
                   settings=NO_LATE_MEMORY)

    assert dedup.evict_before(T0 + timedelta(hours=31)) == 2
    assert dedup.process(article("ferry-3", FERRY_BODY, hours=40)) == []


def test_reprocessing_an_evicted_original_restores_it_without_a_self_link():
    original = article("ferry-1", FERRY_BODY)
    dedup, _ = run(original, article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=30),
                   settings=NO_LATE_MEMORY)
    dedup.evict_before(T0 + timedelta(hours=2))

    assert dedup.process(original) == []
    assert dedup.original_of("ferry-2") == "ferry-1"
    assert only_link(dedup.process(article("ferry-3", FERRY_BODY, outlet="blog", hours=3))).original_id == "ferry-1"


def test_reprocessing_the_same_id_is_not_a_self_link():
    original = article("ferry-1", FERRY_BODY)
    copy = article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=1)
    dedup, results = run(original, copy)

    assert dedup.process(original) == []
    assert dedup.process(copy) == results[1]
    assert len(dedup) == 2


# --- MinHash --------------------------------------------------------------------------------------------------


def test_minhash_signature_matches_datasketch_affine32():
    hashes = np.array(sorted(shingles(FERRY_BODY)), dtype=np.uint32)
    reference = MinHash(num_perm=64, seed=7, hashfunc=int, scheme="affine32")
    reference.update_batch(hashes.tolist())

    signature = MinHasher(num_perm=64, seed=7).signature(hashes)

    assert signature.dtype == np.uint32
    assert np.array_equal(signature, reference.hashvalues)


def test_minhash_of_a_500_word_article_takes_well_under_a_millisecond():
    hasher = MinHasher(num_perm=SETTINGS.dedup_num_perm, seed=1)
    hashes = np.arange(500, dtype=np.uint32) * np.uint32(2654435761)
    hasher.signature(hashes)

    started = time.perf_counter()
    for _ in range(200):
        hasher.signature(hashes)
    per_signature = (time.perf_counter() - started) / 200

    assert per_signature < 0.001


def test_exact_checks_per_article_are_capped_however_many_candidates(monkeypatch):
    import newsloom.dedup as dedup_module

    dedup = Deduplicator(SETTINGS)
    dedup.process(article("ferry-1", FERRY_BODY))
    for number in range(30):
        dedup.process(article(f"copy-{number}", f"Shared by reader {number}\n\n" + FERRY_BODY, outlet="blog", hours=1))
    measured = []
    real_measure = dedup_module._measure
    monkeypatch.setattr(dedup_module, "_measure", lambda *pair: measured.append(pair) or real_measure(*pair))

    link = only_link(dedup.process(article("copy-new", "Shared again\n\n" + FERRY_BODY, outlet="blog", hours=2)))

    assert len(measured) == SETTINGS.dedup_max_candidates
    assert link.original_id == "ferry-1"


def test_naive_and_aware_times_are_compared_as_utc():
    naive = article("ferry-2", FERRY_BODY, outlet="coast-daily", hours=1)
    naive.published_at = naive.published_at.replace(tzinfo=None)

    _, results = run(article("ferry-1", FERRY_BODY), naive)

    assert only_link(results[1]).reason.endswith("published 1 h later.")


def test_a_late_copy_of_an_older_page_is_still_linked_after_a_newer_page_moved_the_cutoff():
    # An archive backfill: a page from years ago, then this year's news, then the old page's repost.
    dedup, _ = run(article("old-ferry", FERRY_BODY, hours=-3 * 365 * 24),
                   article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE))
    dedup.evict_before(T0 - timedelta(days=SETTINGS.dedup_window_days))

    link = only_link(dedup.process(article("old-ferry-repost", FERRY_BODY, outlet="blog", hours=-3 * 365 * 24 + 5)))

    assert link.original_id == "old-ferry"


def test_a_page_past_the_cutoff_is_evicted_once_newer_arrivals_push_it_out():
    settings = from_env({}, late_arrival_memory=2)
    dedup, _ = run(article("old-ferry", FERRY_BODY, hours=-3 * 365 * 24),
                   article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE), settings=settings)
    cutoff = T0 - timedelta(days=SETTINGS.dedup_window_days)
    assert dedup.evict_before(cutoff) == 0  # among the last two arrivals: kept
    dedup.process(article("library-2", LIBRARY_BODY + " Updated.", title="Another title", outlet="other", hours=2))

    assert dedup.evict_before(cutoff) == 1
    assert dedup.process(article("old-ferry-repost", FERRY_BODY, outlet="blog", hours=-3 * 365 * 24 + 5)) == []


def test_without_late_memory_the_late_copy_is_missed():
    dedup, _ = run(article("old-ferry", FERRY_BODY, hours=-3 * 365 * 24),
                   article("library-1", LIBRARY_BODY, title=LIBRARY_TITLE), settings=NO_LATE_MEMORY)
    dedup.evict_before(T0 - timedelta(days=SETTINGS.dedup_window_days))

    assert dedup.process(article("old-ferry-repost", FERRY_BODY, outlet="blog", hours=-3 * 365 * 24 + 5)) == []
