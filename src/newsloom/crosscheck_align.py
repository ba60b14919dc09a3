"""Cross-check alignment: which claims of the sources may speak about the same thing as a claim.

Step 2 of the cross-check (``crosscheck.py``): each claim is scored against
a fixed set of indexed claims by the TF-IDF cosine of its singular content
words, or by a plugged ``similarity`` matrix function; a ``semantic``
sentence-cosine function is blended in (the larger of the two scores, the
cosine rescaled so that ``SEMANTIC_ALIGN_FLOOR`` counts as 0). Pairs at
``ALIGN_MIN`` or above are compared slot by slot (``crosscheck_compare``);
whether one pair of values in them is anchored well enough to be compared
(``_aligned``: the words around the two values) is decided here too.

The constants bounding a story's cross-check live here too, so that the
cross-check and the digest's matcher (``support.py``) read them from one
place; ``crosscheck.py`` re-exports every name. No I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from newsloom.nlp.claims import Claim
from newsloom.nlp.text import STOPWORDS

ALIGN_MIN = 0.15  # two claims may speak about the same thing (chosen on ECB+ topics 1-22)
MAX_ALIGNED_PER_SOURCE = 3
MAX_STORY_ARTICLES = 40
MAX_CLAIMS_PER_ARTICLE = 80
SEMANTIC_ALIGN_FLOOR = 0.6  # a sentence cosine at this level aligns as 0 (chosen on topics 1-22: 0.5 or 0.6)
# Below a kind's own threshold (``crosscheck_compare``), two values of claims this similar are still compared when
# they are anchored: the words around them are the same, or the claims are each other's best match (``_aligned``).
LOCAL_ALIGN_MIN = 0.15

Similarity = Callable[[list[str], list[str]], Sequence[Sequence[float]]]


def root_of(article_id: str, copy_of: dict[str, str]) -> str:
    """The original an article copies (following chains), or the article itself."""
    seen = {article_id}
    while article_id in copy_of and copy_of[article_id] not in seen:
        article_id = copy_of[article_id]
        seen.add(article_id)
    return article_id


def _idf(claims: list[Claim]) -> dict[str, float]:
    document_frequency = Counter(term for claim in claims for term in claim.terms)
    total = len(claims) + 1
    return {term: math.log(total / (count + 0.5)) + 1.0 for term, count in document_frequency.items()}


def _unit_vector(terms: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
    # Sorted: float sums depend on their order, and a set's order on the hash seed; scores (and with
    # them the order of citations) must not change from one run to the next.
    weights = {term: idf.get(term, 1.0) for term in sorted(terms)}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


class Aligner:
    """Scores claims against a fixed set of indexed claims (lexical cosine, or a plugged similarity).

    ``semantic`` (a sentence-cosine matrix function) is blended with the
    lexical score: the larger of the two, the cosine rescaled above
    ``SEMANTIC_ALIGN_FLOOR``.
    """

    def __init__(self, indexed: list[Claim], all_claims: list[Claim], similarity: Similarity | None = None,
                 semantic: Similarity | None = None):
        self.indexed = indexed
        self.similarity = similarity
        self.semantic = semantic
        self._idf = _idf(all_claims)
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        if similarity is None:
            for position, claim in enumerate(indexed):
                for term, weight in _unit_vector(claim.terms, self._idf).items():
                    self._postings[term].append((position, weight))

    def scores(self, claims: list[Claim]) -> list[dict[int, float]]:
        """For each claim, {position in ``indexed``: similarity} (only non-zero ones)."""
        return self.score_rows(claims)[0]

    def score_rows(self, claims: list[Claim]) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        """The alignment scores of each claim, and the raw sentence cosines behind them (empty when lexical)."""
        scores = self._plain_scores(claims)
        if self.semantic is None or not claims or not self.indexed:
            return scores, [{} for _ in claims]
        matrix = self.semantic([c.text for c in claims], [c.text for c in self.indexed])
        cosines = []
        for row_scores, row in zip(scores, matrix):
            found = {j: float(c) for j, c in enumerate(row) if c > SEMANTIC_ALIGN_FLOOR}
            for position, cosine in found.items():
                rescaled = (cosine - SEMANTIC_ALIGN_FLOOR) / (1.0 - SEMANTIC_ALIGN_FLOOR)
                row_scores[position] = max(row_scores.get(position, 0.0), rescaled)
            cosines.append(found)
        return scores, cosines

    def _plain_scores(self, claims: list[Claim]) -> list[dict[int, float]]:
        if self.similarity is not None:
            matrix = self.similarity([c.text for c in claims], [c.text for c in self.indexed])
            return [{j: float(s) for j, s in enumerate(row) if s > 0} for row in matrix]
        results = []
        for claim in claims:
            found: dict[int, float] = defaultdict(float)
            for term, weight in _unit_vector(claim.terms, self._idf).items():
                for position, other in self._postings.get(term, ()):
                    found[position] += weight * other
            results.append(dict(found))
        return results


# -- anchoring one value pair of two aligned claims (used by crosscheck_compare) ----------------------------


_WORD_RE = re.compile(r"[A-Za-z]+")
CONTEXT_WORDS = 2


def _around(text: str, start: int, end: int, words: int = CONTEXT_WORDS, reach: int = 40) -> tuple[list[str], list[str]]:
    """The ``words`` words before a value and after it (within ``reach`` characters), lower-cased, nearest first."""
    before = [w.lower() for w in _WORD_RE.findall(text[max(0, start - reach):start])][::-1][:words]
    after = [w.lower() for w in _WORD_RE.findall(text[end:end + reach])][:words]
    return before, after


def same_surroundings(first: tuple[str, int, int], second: tuple[str, int, int]) -> bool:
    """Two values stand between the same words: a content word on the same side, or both next words."""
    (before1, after1), (before2, after2) = _around(*first), _around(*second)
    if before1[:1] == before2[:1] and after1[:1] == after2[:1] and before1[:1] and after1[:1]:
        return True
    return any(w not in STOPWORDS and len(w) > 2 for w in (set(before1) & set(before2)) | (set(after1) & set(after2)))


NEARBY_WORDS = 4  # a figure's anchor: content words this close on either side ...
NEARBY_SHARED = 2  # ... of which this many are the same around both figures (topics 1-22, each half on its own)


def _nearby_words(text: str, start: int, end: int) -> set[str]:
    before, after = _around(text, start, end, NEARBY_WORDS, reach=60)
    return {w for w in before + after if len(w) > 2 and w not in STOPWORDS}


def shares_nearby_words(first: tuple[str, int, int], second: tuple[str, int, int]) -> bool:
    """Two figures told with the same words around them ("stopping Rahman after 44 seconds of the seventh
    round" / "stopped the fight 44 seconds into the seventh round"): ``NEARBY_SHARED`` content words within
    ``NEARBY_WORDS`` words of each."""
    return len(_nearby_words(*first) & _nearby_words(*second)) >= NEARBY_SHARED


def _span(text: str, value: str) -> tuple[str, int, int]:
    start = max(0, text.find(value))
    return text, start, start + len(value)


def _aligned(score: float, minimum: float, mine: tuple[str, int, int], theirs: tuple[str, int, int],
             mutual: bool = False, nearby: bool = False) -> bool:
    """A value pair is compared when the claims are similar enough, or merely related and anchored.

    Anchored: the two values stand between the same words, or the two claims
    are each other's best match (``mutual``: of all the target's claims, the
    source claim is most similar to this one), so a long sentence that shares
    few words with its counterpart is still compared slot by slot. With
    ``nearby`` (figures), also when the words near both values are alike (``shares_nearby_words``).
    """
    return score >= minimum or (score >= LOCAL_ALIGN_MIN and (mutual or same_surroundings(mine, theirs)
                                                              or nearby and shares_nearby_words(mine, theirs)))
