"""Sentence features and TF-IDF vectors for the digest (``digest.py``).

Which sentences may stand in a digest (``eligible``: whole sentences of 6 to
60 words, no questions, quote fragments, captions, links or handles), the
connective a digest sentence may lose ("Meanwhile,"), the openers that need
context ("He", "This"), and the terms and vectors that say how close two
sentences are. Pure functions over text: no articles, stories or settings.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix

from newsloom.nlp.claims import stem
from newsloom.nlp.numbers import find_quantities
from newsloom.nlp.text import content_words, words

MIN_WORDS, MAX_WORDS = 6, 60

_LEADING_CONNECTIVE_RE = re.compile(
    r"^(?:(?:meanwhile|however|additionally|moreover|furthermore|in addition|separately|nevertheless"
    r"|still|also|notably|elsewhere|in a separate incident)\s*,|but|and"
    r"|(?:breaking|update|updated|watch|live|exclusive)\s*:)\s+",  # feed labels read as shouting
    re.IGNORECASE,
)
_CONTEXT_OPENERS = frozenset(
    """he she it they we i this that these those his her its their them there but and or so yet however
    meanwhile also still instead then additionally moreover furthermore nevertheless separately such
    both""".split()
)
_OPENING_QUOTES = "\"“‘'"
_CLOSING_MARKS = "\"'”’)]"
_EMBED_RE = re.compile(r"https?://|www\.|\w\.com/|(?:^|\s)@\w")  # links and handles: chrome, not report


@lru_cache(maxsize=65536)
def terms(text: str) -> tuple[str, ...]:
    """Stemmed content words, plus each figure in digits so that "Fourteen" meets "14"."""
    stems = [stem(word) for word in content_words(text)]
    figures = {_figure(quantity.value) for quantity in find_quantities(text)}
    return (*stems, *sorted(figures - set(stems)))


def _figure(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def trim_connective(sentence: str) -> str:
    trimmed = _LEADING_CONNECTIVE_RE.sub("", sentence, count=1)
    return trimmed[:1].upper() + trimmed[1:] if trimmed != sentence else sentence


def _is_quote_fragment(text: str) -> bool:
    straight_unbalanced = text.count('"') % 2 == 1
    curly_unbalanced = text.count("“") != text.count("”")
    return text[0] in _OPENING_QUOTES or straight_unbalanced or curly_unbalanced


def eligible(text: str, from_title: bool) -> bool:
    """Can this sentence stand in a digest at all?

    Sentences of a text must end like sentences: an unpunctuated line is a
    sub-headline, caption or credit. A headline feed's title is exempt.
    """
    if not text or _is_quote_fragment(text) or _EMBED_RE.search(text):
        return False
    ending = text.rstrip(_CLOSING_MARKS)
    if ending.endswith("?") or not (from_title or ending.endswith((".", "!"))):
        return False
    return MIN_WORDS <= len(words(text)) <= MAX_WORDS


def has_quote(text: str) -> bool:
    return any(mark in text for mark in '"“”')


def needs_context(source: str) -> bool:
    opener = words(source[:24])
    return bool(opener) and opener[0] in _CONTEXT_OPENERS


# --- vectors -------------------------------------------------------------------------


def tfidf(term_lists: list[list[str]]) -> csr_matrix:
    """Sublinear TF-IDF rows, l2-normalised; vocabulary ids follow first appearance."""
    vocabulary: dict[str, int] = {}
    term_ids = [vocabulary.setdefault(term, len(vocabulary)) for terms in term_lists for term in terms]
    document_ids = np.repeat(np.arange(len(term_lists)), [len(terms) for terms in term_lists])
    shape = (len(term_lists), max(len(vocabulary), 1))
    matrix = csr_matrix((np.ones(len(term_ids)), (document_ids, np.array(term_ids, dtype=np.int64))), shape=shape)
    matrix.sum_duplicates()  # entries now hold term counts
    matrix.data = 1.0 + np.log(matrix.data)
    document_frequency = np.bincount(matrix.indices, minlength=shape[1])
    matrix.data *= (np.log((1 + shape[0]) / (1 + document_frequency)) + 1.0)[matrix.indices]
    return _normalise_rows(matrix)


def _normalise_rows(matrix: csr_matrix) -> csr_matrix:
    """Each row divided by its l2 norm, in place on the stored values (a digest builds many small matrices:
    two sparse products per call cost more than the arithmetic)."""
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    squares = np.zeros(matrix.shape[0])
    if matrix.nnz:  # summed as scipy's row sum does (reduceat), so the values stay bit for bit the same
        squares[lengths > 0] = np.add.reduceat(matrix.data * matrix.data, matrix.indptr[:-1][lengths > 0])
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    matrix.data *= (1.0 / norms)[rows]
    return matrix


def centre(rows: csr_matrix) -> np.ndarray:
    centre = np.asarray(rows.sum(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre
