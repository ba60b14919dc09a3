"""Which articles state a sentence (support.py): the cross-check's rule, applied sentence by sentence.

Every article below is fiction written for newsloom.
"""

from __future__ import annotations

from datetime import datetime, timezone

from newsloom.crosscheck import check_article
from newsloom.models import Article
from newsloom.support import story_support

T0 = datetime(2031, 5, 6, 9, 0, tzinfo=timezone.utc)


def article(article_id: str, text: str, outlet: str) -> Article:
    return Article(id=article_id, raw_id="raw-" + article_id, title="Flooding in Vilar", text=text,
                   published_at=T0, outlet=outlet)


BOTH_CLAUSES = ("Floods forced 300 residents of Vilar from their homes on Sunday, "
                "and the army sent 40 trucks to the riverside district.")
FIRST_CLAUSE = "Floods forced 300 residents of Vilar from their homes on Sunday."
ONE = article("s-one", BOTH_CLAUSES + " Schools stayed closed.", "Paper One")
TWO = article("s-two", FIRST_CLAUSE + " Volunteers filled sandbags all night.", "Paper Two")


def stating(support, article_id: str, sentence: str) -> dict[str, str]:
    return {s.article_id: s.sentence for s in support.statements(article_id, sentence)}


def test_sentence_is_stated_only_by_articles_stating_every_clause():
    support = story_support([ONE, TWO], {})
    assert stating(support, "s-two", FIRST_CLAUSE) == {"s-two": FIRST_CLAUSE, "s-one": BOTH_CLAUSES}
    assert stating(support, "s-one", BOTH_CLAUSES) == {"s-one": BOTH_CLAUSES}  # nobody else states the trucks
    assert ("s-two", FIRST_CLAUSE) in support.partly_stated_by("s-one", BOTH_CLAUSES)


def test_copies_carrying_the_sentence_are_listed_with_their_original():
    copy = article("s-copy", TWO.text, "Aggregator")
    support = story_support([ONE, TWO, copy], {"s-copy": "s-two"})
    found = support.statements("s-two", FIRST_CLAUSE)
    assert [(s.article_id, s.similarity) for s in found[:2]] == [("s-two", 1.0), ("s-copy", 1.0)]
    assert {s.article_id for s in found} == {"s-two", "s-copy", "s-one"}


CONVOY = "The convoy was hit two miles from the border, in {} Sumy region, on Monday."
WRONG = article("g-wrong", CONVOY.format("Russia's"), "Paper One")
RIGHT = article("g-right", CONVOY.format("Ukraine's"), "Paper Two")
NEUTRAL = article("g-neutral", CONVOY.format("the") + " Officials in Ukraine's Sumy region counted the damage.",
                  "Paper Three")


def test_source_putting_the_place_in_another_country_never_states_it():
    claim, wrong, right = WRONG.text, WRONG, RIGHT
    support = story_support([wrong, right], {})
    assert stating(support, "g-wrong", claim) == {"g-wrong": claim}



def test_digest_citations_are_the_cross_checks_agreeing_sources():
    for story in ([ONE, TWO], [WRONG, NEUTRAL], [WRONG, RIGHT, NEUTRAL]):
        support = story_support(story, {})
        for target in story:
            agreeing: dict[str, list[set[str]]] = {}
            for check in check_article(target, [a for a in story if a is not target]).claims:
                agreeing.setdefault(check.claim.sentence, []).append(set(check.agreeing))
            for sentence, per_claim in agreeing.items():
                cited = {s.article_id for s in support.statements(target.id, sentence)} - {target.id}
                assert cited == set.intersection(*per_claim), (target.id, sentence)
    assert stating(story_support([WRONG, NEUTRAL], {}), "g-wrong", WRONG.text) == {"g-wrong": WRONG.text}


def test_mutual_anchoring_cannot_change_an_agreement():
    """The digest compares without the cross-check's ``mutual`` anchoring: equal verdicts need this order."""
    from newsloom import crosscheck_compare as cc

    assert cc.CORROBORATE_MIN >= max(cc.NUMBER_ALIGN_MIN, cc.PLACE_ALIGN_MIN, cc.DATE_ALIGN_MIN, cc.ACTOR_ALIGN_MIN)
