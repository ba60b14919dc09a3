"""How many sources must back the rival of a weakly aligned disagreement (``crosscheck._witnesses_needed``).
All texts are hand-written fiction."""

from crosscheck_fiction import conflict_kinds as _kinds
from newsloom.crosscheck import CONSENSUS_SOURCES, _witnesses_needed

# Related at about 0.25 (below NUMBER_ALIGN_MIN) and anchored only by "linking" after both figures: a weak pair.
_TARGET = ("The harbour board approved 14 ferry routes linking the island towns after a long night of arguing "
           "over fares.")
_RIVAL = ("Members voted to open nine ferry routes linking Dunmere with the mainland, the board chair told "
          "reporters.")
_SILENT = "Fares on the existing crossings will rise by a few pence, officials said."


def test_one_witness_suffices_against_two_sources_except_for_names():
    assert _witnesses_needed("number", 2) == 1
    assert _witnesses_needed("date", 2) == 1
    assert _witnesses_needed("place", 2) == 1
    assert _witnesses_needed("actor", 2) == min(CONSENSUS_SOURCES, 2)
    assert _witnesses_needed("number", 3) == CONSENSUS_SOURCES
    assert _witnesses_needed("actor", 1) == 1


def test_a_weakly_aligned_figure_conflicts_when_the_only_other_source_is_silent():
    assert ("number", "14 ferry routes", "nine ferry routes") in _kinds(_TARGET, _RIVAL, _SILENT)


def test_a_weakly_aligned_figure_still_needs_a_second_witness_in_a_larger_story():
    more = (_SILENT, "The chair thanked island residents for their patience.")
    assert [k for k in _kinds(_TARGET, _RIVAL, *more) if k[0] == "number"] == []


def test_no_conflict_when_the_other_source_gives_the_same_figure():
    same = "The board's plan adds 14 ferry routes, officials said."
    assert [k for k in _kinds(_TARGET, _RIVAL, same) if k[0] == "number"] == []
