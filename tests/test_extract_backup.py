"""The lazy cleaned-tree backup of extract_backup.py gives trafilatura the tree its copy would have given."""

from __future__ import annotations

import pytest

from newsloom import extract_backup
from newsloom.extract import _load_html, _read_html

trafilatura_core = pytest.importorskip("trafilatura.core")

# short: the precision pass's body is under trafilatura's minimum size, so justext reads the backup
_SHORT_PAGE = """<html><head><title>Ferry strike</title></head><body>
<nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="article-body"><h1>Ferry strike halts crossings</h1>
<p>Crews on the island ferries walked out on Thursday, stranding about 900 passengers at the harbour.</p>
<div>The union said talks had failed.</div><p>More <b>to</b> follow.</p></div>
<footer>Contact us</footer></body></html>"""


def test_the_checked_sources_are_this_trafilaturas():
    assert extract_backup.sources_match(), "trafilatura's extraction sequence changed: re-check extract_backup.py"


def test_a_changed_source_turns_the_stand_in_off(monkeypatch):
    monkeypatch.setitem(extract_backup._CHECKED, "trafilatura.core._prepare_tree", "000000000000")
    assert not extract_backup.sources_match()


def test_the_made_backup_is_the_copy_trafilatura_makes():
    from lxml import etree
    from trafilatura.settings import Extractor

    original = getattr(trafilatura_core._prepare_tree, "args", (trafilatura_core._prepare_tree,))[0]
    options = Extractor(comments=False, tables=True, precision=True)
    tree = _load_html(_SHORT_PAGE)
    _converted, backup = original(tree, options, None)
    made = extract_backup._LazyBackup(tree, options).make()
    assert etree.tostring(made) == etree.tostring(backup)
    assert etree.tostring(made) != etree.tostring(tree)  # cleaning did something: the comparison has teeth


def test_an_extraction_through_justext_is_unchanged(monkeypatch):
    made = []
    make = extract_backup._LazyBackup.make
    monkeypatch.setattr(extract_backup._LazyBackup, "make", lambda self: made.append(1) or make(self))
    lazy = _read_html(_SHORT_PAGE, "https://example.org/ferry")
    assert made, "justext did not read the backup: the page no longer exercises the stand-in"
    assert isinstance(trafilatura_core._prepare_tree, __import__("functools").partial)
    monkeypatch.setattr(trafilatura_core, "_prepare_tree", trafilatura_core._prepare_tree.args[0])
    eager = _read_html(_SHORT_PAGE, "https://example.org/ferry")
    assert lazy == eager and lazy["text"]
