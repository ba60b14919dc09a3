"""Updates, not conflicts: a figure that changed between reports because the news moved on.

``crosscheck_compare`` finds two figures for the same noun that disagree;
``update_of`` decides whether the pair is an update instead: the higher
figure says it rose ("rose to", "now"), or it is a count that grows as a
story unfolds (a toll) and comes from the later report. Split from
``crosscheck_compare.py``; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsloom.models import Article
from newsloom.nlp.claims import Claim
from newsloom.nlp.numbers import Quantity

_UPDATE_WORDS_RE = re.compile(r"\b(rose|risen|rises|climbed|climbs|jumped|increased|updated|revised|"
                              r"has reached|have reached|so far)\b|\bnow(?:\s+(?:at\s+least|stands\s+at|at|is|are))?\s+$",
                              re.IGNORECASE)


def label(article: Article) -> str:
    return article.outlet or article.id


@dataclass
class Update:
    """A figure that changed between reports: the later, higher one is an update, not a conflict."""

    claim: str
    claim_article: str
    evidence: str
    evidence_article: str
    noun: str
    earlier: dict  # {"article", "value", "text", "sentence", "published_at"}
    later: dict
    explanation: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# Counts that grow while a story unfolds: a later, higher figure is news, not a contradiction.
GROWING_COUNTS = frozenset({"people", "people:dead", "people:injured", "people:missing", "people:arrested",
                            "people:evacuated", "people:rescued", "people:shot"})
UPDATE_WORDS_BEFORE = 40  # characters before a figure where "rose to", "now" mark it as an update


def _says_it_rose(text: str, quantity: Quantity) -> bool:
    """ "The toll rose to 15", "now 15 dead": an update word just before the figure (not anywhere in the claim;
    "now" only right before it: "is now accused of murdering two women" is no update)."""
    return bool(_UPDATE_WORDS_RE.search(text[max(0, quantity.start - UPDATE_WORDS_BEFORE):quantity.start]))


def update_of(claim: Claim, quantity: Quantity, target: Article, other: Claim, rival: Quantity,
            source: Article) -> Update | None:
    """An update, when the higher figure says it rose, or is a growing count (a toll) in the later report.

    A count that does not grow as news comes in (passengers on board, records
    stolen, a depth) is a conflict whatever the publication times.
    """
    mine_higher = quantity.value > rival.value
    higher, lower = ((target, claim, quantity), (source, other, rival))[:: 1 if mine_higher else -1]
    later_published = (higher[0].published_at is not None and lower[0].published_at is not None
                       and higher[0].published_at > lower[0].published_at)
    if not _says_it_rose(higher[1].text, higher[2]) and not (later_published and quantity.noun in GROWING_COUNTS):
        return None

    def side(entry: tuple) -> dict:
        article, side_claim, side_quantity = entry
        published = article.published_at.isoformat() if article.published_at else None
        return {"article": article.id, "value": side_quantity.value, "text": side_quantity.text,
                "sentence": side_claim.sentence, "published_at": published}

    return Update(claim.sentence, target.id, other.sentence, source.id, quantity.noun, side(lower), side(higher),
                  f"'{lower[2].text}' ({label(lower[0])}) was updated to '{higher[2].text}' ({label(higher[0])})")


def walked_back(update: Update, facts: list) -> tuple | None:
    """A later report that still gives an update's earlier figure: (its facts, its claim, its figure), or None.

    "Three dead" then "four dead" reads as a toll that grew; but when a report
    published after the four still gives three, the four is not the last word
    and the two figures disagree: the story shows a conflict, not an update.
    ``facts`` are the story's ``ArticleFacts``.
    """
    higher = next((entry for entry in facts if entry.article.id == update.later["article"]), None)
    if higher is None or higher.article.published_at is None:
        return None
    for entry in facts:
        published = entry.article.published_at
        if entry is higher or published is None or published <= higher.article.published_at:
            continue
        for claim in entry.claims:
            for quantity in claim.quantities:
                if quantity.noun == update.noun and quantity.low <= update.earlier["value"] <= quantity.high:
                    return entry, claim, quantity
    return None
