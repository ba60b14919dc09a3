"""Cross-check of names anywhere in the sources: a person or body the article names with one word that no
source writes, where the sources write the same name with another word in its place.

Two rules, used by ``crosscheck._check_claim`` when the aligned pairs found no actor conflict (a later
mention of a person rarely stands in the sentence that aligns with the claim):

- ``namesake_disagreements``: the same first name with another surname ("Hugh Okonkwo" against the
  "Hugh Jackman" of ``NAMESAKE_SOURCES`` sources), in a sentence or article related to the claim;
- ``renamed_disagreements``: a name with one word changed ("Central Okonkwo for Elections" against
  "Central Commission for Elections"; ``crosscheck_names.renamed_in_sources``).

Every disagreement keeps the source sentence naming the rival. No I/O.
"""

from __future__ import annotations

import re

from newsloom.crosscheck_compare import (ArticleFacts, Disagreement, all_but_one_of, label, one_word_apart,
                                         written_two_ways)
from newsloom.crosscheck_names import RENAMED_ALIGN_MIN, renamed_in_sources
from newsloom.nlp.claims import Actor, Claim

_FIRST_NAME_RE = re.compile(r"[A-Z][a-z]+")


def _surname_apart(actor: Actor, other: Actor, text: str) -> bool:
    """The same first name with another surname ("Hugh Okonkwo"/"Hugh Jackman"), in no other role.

    Not the same surname with another first name: people of one story who share a surname are kin
    ("Dorothy Brown", grandmother of "Latonya Brown"). Not a name opening the sentence, whose first
    word may be any capitalised word ("Though Epstein").
    """
    mine, theirs = actor.name.split(), other.name.split()
    if len(mine) != len(theirs) or mine[0] != theirs[0] or not _FIRST_NAME_RE.fullmatch(mine[0]):
        return False
    if mine[-1] == theirs[-1] or not one_word_apart(actor, other) or text.startswith(actor.name):
        return False
    return not (actor.role and other.role and actor.role != other.role)


NAMESAKE_SOURCES = 2  # a name one word apart, found anywhere in the sources, must be written by this many
# (all but one of them when there are fewer sources: with two, a person both name is rare in short reports)
NAMESAKE_ALIGN_MIN = 0.1  # ... in a sentence at least this related to the claim (chosen on topics 1-22),
NAMESAKE_ARTICLE_ALIGN_MIN = 0.2  # ... or in an article with a sentence this related


def namesake_disagreements(claim: Claim, sources: list[ArticleFacts],
                           scores: dict[str, float]) -> list[tuple[str, Disagreement]]:
    """A name whose differing word no source writes, where the sources name the same person with another
    surname or first name ("Hugh Okonkwo" against the "Hugh Jackman" of every source), found anywhere in
    the sources: a later mention of a person rarely stands in the sentence that aligns with this one, but
    the sentence naming the rival, or another sentence of its article, must be related to the claim
    (``NAMESAKE_ALIGN_MIN``, ``NAMESAKE_ARTICLE_ALIGN_MIN``).

    Returns (source id, disagreement); the evidence is that source's sentence naming the rival that aligns
    best with the claim (``scores``: source sentence -> alignment score). Only people named with two or
    more words, and only when ``NAMESAKE_SOURCES`` sources write the rival name (one, when the claim is
    checked against at most two sources: asking both of two short reports to name the person lets a
    changed name through whenever one outlet leaves the person out).
    """
    found = []
    needed = all_but_one_of(len(sources), NAMESAKE_SOURCES)
    for actor in claim.actors:
        if actor.kind != "person" or len(actor.tokens) < 2:
            continue
        if all(any(f.states_name_word(word) for f in sources) for word in actor.tokens):
            continue
        writers: dict[str, list[tuple[ArticleFacts, Claim, Actor]]] = {}
        for facts in sources:
            for other in facts.claims:
                for rival in other.actors:
                    if rival.kind == "person" and _surname_apart(actor, rival, claim.text):
                        writers.setdefault(rival.name, []).append((facts, other, rival))
        for name, places in writers.items():
            sources_writing = len({facts.article.id for facts, _, _ in places})
            if sources_writing < needed:
                continue
            facts, other, rival = max(places, key=lambda entry: scores.get(entry[1].sentence, 0.0))
            if scores.get(other.sentence, 0.0) < NAMESAKE_ALIGN_MIN and max(
                    scores.get(c.sentence, 0.0) for c in facts.claims) < NAMESAKE_ARTICLE_ALIGN_MIN:
                continue  # "Bill Ayers" in an aside, "Bill McAllister" in an article about something else
            found.append((facts.article.id, Disagreement(
                "actor", actor.name, rival.name,
                f"this article names {actor.name}; {label(facts.article)} "
                f"{'and others name' if sources_writing > 1 else 'names'} {rival.name}",
                other.sentence, slot=actor, rival=rival)))
            break
    return found


def renamed_disagreements(claim: Claim, sources: list[ArticleFacts], scores: dict[str, float],
                          own_text: str = "") -> list[tuple[str, Disagreement]]:
    """A name with one word no source writes, where the sources write the same name with another word in its
    place ("Central Okonkwo for Elections" against "Central Commission for Elections"; ``renamed_in_sources``).

    The evidence is the source sentence naming the rival that aligns best with the claim (``scores``: source
    sentence -> alignment score); it must be related (``RENAMED_ALIGN_MIN``), and the article must not write
    the rival name itself (then it names two different things).
    """
    for actor in claim.actors:
        mentions = renamed_in_sources(actor.name, sources, ArticleFacts.states_name_word)
        if not mentions or any(written_two_ways(actor, Actor(mention[2], actor.kind)) for mention in mentions):
            continue  # the sources write this very name another way: "William Hakim" for "Bill Hakim"
        facts, sentence, rival = max(mentions, key=lambda mention: scores.get(mention[1], 0.0))
        writers = {mention[0].article.id for mention in mentions}
        if scores.get(sentence, 0.0) < RENAMED_ALIGN_MIN or rival in own_text:
            continue  # the article writes the rival name too: two names, not one name changed
        return [(facts.article.id, Disagreement(
            "actor", actor.name, rival, f"this article names {actor.name}; {label(facts.article)} names {rival}",
            sentence, slot=actor))]
    return []
