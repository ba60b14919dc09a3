"""trafilatura's cleaned-tree backup, made only when something reads it.

Each of trafilatura's passes cleans a copy of the raw tree and, before
converting its tags, copies the cleaned tree again (``_prepare_tree``'s
"backup"). With comments off, only one thing reads that backup: justext, when
the comparison with readability finds the body unclean or short
(``external.compare_extraction`` -> ``justext_rescue``): on the benchmark pages
2 passes in 377 (and never a pass in fast mode). So the backup copy (about
0.4 ms a pass) is mostly thrown away.

``_LazyBackup`` stands in for it: when ``justext_rescue`` is handed one, it
cleans a fresh copy of the raw tree with the same options, which gives the
very tree the copy would have been (cleaning is a function of the tree and the
options, and inside ``extract._raw_prune_shared`` nothing changes the raw tree
during a pass). Installed only for a trafilatura whose functions along that
path have the source they were checked against (``_CHECKED``: a hash of each
function's source), and used only while ``active()`` says the raw tree is
left alone (extract.py passes its shared-prune flag); otherwise trafilatura's
own ``_prepare_tree`` runs. tests/test_extract_backup.py compares the
extraction with and without it.
"""

from __future__ import annotations

import functools
import hashlib
import inspect

# "module.function" -> start of the SHA-256 of its source, as read when this stand-in was written
_CHECKED = {
    "trafilatura.core._prepare_tree": "9595f0642825",
    "trafilatura.core._extract_and_compare": "f7d056c21182",
    "trafilatura.core._recall_retry": "59594c39714f",
    "trafilatura.core.trafilatura_sequence": "f03dc4d2946d",
    "trafilatura.external.compare_extraction": "2d3d1ffea3ba",
}


def source_hash(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()[:12]


def _resolve(dotted: str):
    import importlib

    module, name = dotted.rsplit(".", 1)
    function = getattr(importlib.import_module(module), name, None)
    if isinstance(function, functools.partial) and function.func in (_prepare_tree, _justext_rescue):
        return function.args[0]  # already routed through the stand-in: trafilatura's own function
    return function


def sources_match() -> bool:
    """Whether each function on the backup's path has the source this module was checked against."""
    try:
        return all(source_hash(_resolve(name)) == expected for name, expected in _CHECKED.items())
    except (OSError, TypeError):  # no source to read: do not guess
        return False


class _LazyBackup:
    """The backup ``_prepare_tree`` would have copied, made on first use from the raw tree and the options."""

    __slots__ = ("tree", "options")

    def __init__(self, tree, options):
        self.tree, self.options = tree, options

    def make(self):
        from copy import copy

        from trafilatura.htmlprocessing import tree_cleaning

        return tree_cleaning(copy(self.tree), self.options)


def _prepare_tree(original, active, tree, options, url):
    """trafilatura's ``_prepare_tree``, except that while ``active()`` (comments off) the backup is lazy."""
    if not active() or options.comments:
        return original(tree, options, url)
    from copy import copy

    from trafilatura.htmlprocessing import convert_tags, tree_cleaning

    cleaned = tree_cleaning(copy(tree), options)
    return convert_tags(cleaned, options, url), _LazyBackup(tree, options)


def _justext_rescue(original, tree, *args, **kwargs):
    """trafilatura's ``justext_rescue`` (as ``compare_extraction`` calls it), making a lazy backup first."""
    if isinstance(tree, _LazyBackup):
        tree = tree.make()
    return original(tree, *args, **kwargs)


@functools.cache
def install_lazy_backup(active) -> bool:
    """Route trafilatura's ``_prepare_tree`` and the comparison's ``justext_rescue`` through the stand-ins when
    the sources match; whether it did. ``active``: a function saying whether the raw tree is left alone."""
    import trafilatura.core
    import trafilatura.external

    if not sources_match():
        return False
    trafilatura.external.justext_rescue = functools.partial(_justext_rescue, trafilatura.external.justext_rescue)
    trafilatura.core._prepare_tree = functools.partial(_prepare_tree, trafilatura.core._prepare_tree, active)
    return True
