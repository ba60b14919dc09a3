"""Deduplication: link exact copies, reposts and syndicated copies to their original.

A copy is never deleted; ``Deduplicator.process`` returns ``DedupLink`` rows
(copy -> original, with the measured overlap and a one-line reason) for the
store to write. Articles form groups with one root, the original; links always
point at the root, so chains never form.

How an arriving article is compared (one ``process`` call):

1. Exact key. Long texts (``dedup_min_words`` words or more) are keyed by
   their normalised body (``normalise_for_hash``); short texts and headline-only
   entries by normalised headline + body, because short bodies (paywall stubs,
   "more soon") repeat across different reports. A key match inside the time
   window links at once.
2. Near copies, long texts only. The body's 5-word shingles
   (``sentence_shingles``: crc32 of windows that never cross a sentence or
   paragraph boundary, with kana and CJK characters counted as words, see
   ``comparison_tokens``) get a 128-value MinHash signature; MinHashLSH
   (datasketch) returns candidates. The best ``dedup_max_candidates`` by
   estimated Jaccard are verified exactly on the kept shingle arrays: a copy
   needs containment (share of the smaller text's shingles found in the larger)
   of at least ``dedup_containment`` and Jaccard of at least
   ``dedup_lsh_threshold``. Containment catches chrome (the original is
   contained in the repost) and truncation (the teaser is contained in the
   original); the Jaccard floor keeps a quoted paragraph or a brief that is a
   small part of a long report from counting as a copy of it.
3. Original. The earliest published copy is the original; a dated copy beats
   an undated one; on equal or missing publication times the more complete
   text (more words), then the one seen first. An arriving article that beats
   its group's root takes the group over: the old root and every copy are
   re-linked to it, and those links are returned. An arriving copy joins the
   group of its best match only; groups are never merged.

Time window: two articles can be copies when their publication times lie within
``dedup_window_days``; when either has none, their ingestion times are compared
instead. A copy must be within the window of its group's original too.

Kinds: "syndicated" when outlets differ (outlet, else the URL's host), the
normalised headlines differ and each text holds at least ``dedup_containment``
of the other's shingles (a whole copy retitled by another outlet); otherwise
"exact" when the exact keys match; otherwise "repost".

Why an LSH threshold of 0.3 finds 60% teasers: with 128 permutations datasketch
picks 37 bands of 3 rows, so a pair of Jaccard s becomes a candidate with
probability 1 - (1 - s^3)^37: 0.64 at 0.3, 0.91 at 0.4, 0.993 at 0.5 and
0.9999 at 0.6. A teaser holding the first 60% of a text has Jaccard about
0.56-0.6 with it (its shingles are nearly all in the full text; measured 0.58
on the test fixture), so it is found; so is a 50% teaser (0.50). Pairs at
the 0.3 floor are found two times in three; lower the threshold for more
recall at the cost of more verification.

Cost per article is flat: one signature (numpy, ~0.06-0.1 ms for 500 words,
against ~0.4 ms for datasketch's ``update_batch``), one LSH query, at most
``dedup_max_candidates`` sorted-array intersections; about 1 ms per article in
all, most of it in tokenising and shingling. Memory is about 15 KB per indexed
400-word article, most of it datasketch's LSH buckets (37 per article).
It is bounded by the window: ``evict_before`` drops entries published
before the cutoff (the stream's newest date minus the window), except those
among the last ``late_arrival_memory`` arrivals, which wait until newer
arrivals push them out. Without that grace, an archive backfill mixing years
would evict an old page as soon as a newer one arrived, and its copies
arriving later would find nothing. An evicted root whose copies are still
indexed keeps a few facts (date, size, outlet) so later copies still point at it.

This module must not touch the store, the network or the text itself (no
cleaning, no rewriting); it never deletes anything.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsloom.models import Article, DedupLink
from newsloom.nlp.text import WORD_RE, normalise_for_hash, split_sentences

_MINHASH_SEED = 1
_SCHEME = "affine32"
# Rows of the shingle x permutation matrix computed at once: bounds memory for very long texts.
_SIGNATURE_CHUNK = 2048


class MinHasher:
    """MinHash signatures of crc32 shingle arrays, bit-for-bit datasketch's "affine32" scheme.

    datasketch's ``update_batch`` calls a Python hash function per value; the
    shingles are already 32-bit hashes, so the pre-mix and the permutations are
    applied to the whole array in numpy instead.
    """

    def __init__(self, num_perm: int, seed: int = _MINHASH_SEED):
        self.seed = seed
        multipliers, offsets = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations
        self._multipliers = multipliers.astype(np.uint32)[None, :]
        self._offsets = offsets.astype(np.uint32)[None, :]

    def signature(self, shingle_hashes: np.ndarray) -> np.ndarray:
        mixed = _fmix32(shingle_hashes.astype(np.uint32))[:, None]
        signature = np.full(self._multipliers.shape[1], np.iinfo(np.uint32).max, dtype=np.uint32)
        for start in range(0, len(mixed), _SIGNATURE_CHUNK):
            permuted = mixed[start : start + _SIGNATURE_CHUNK] * self._multipliers + self._offsets
            np.minimum(signature, permuted.min(axis=0), out=signature)
        return signature

    def lean(self, signature: np.ndarray) -> LeanMinHash:
        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme=_SCHEME)


# Scripts written without spaces between words (kana and CJK ideographs): each character is a token.
_UNSPACED_SCRIPT_RE = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def comparison_tokens(text: str) -> list[list[str]]:
    """The tokens texts are compared by, sentence by sentence: normalised words, a kana or CJK character each.

    The words are ``normalise_for_hash``'s (NFKC, lower case, ``WORD_RE``), taken
    per sentence after one normalisation of the whole text. A Japanese sentence
    is one ``\\w+`` run; split into characters it gets shingles (and a size)
    comparable to a sentence of words.
    """
    tokenised = []
    if not text or text.isspace():  # a headline-only article's text: no sentence to split
        return tokenised
    for sentence in split_sentences(unicodedata.normalize("NFKC", text)):
        tokens = WORD_RE.findall(sentence.lower())
        if _UNSPACED_SCRIPT_RE.search(sentence):
            tokens = [part for word in tokens for part in _UNSPACED_SCRIPT_RE.split(word) if part]
        if tokens:
            tokenised.append(tokens)
    return tokenised


def sentence_shingles(sentence_tokens: list[list[str]], size: int) -> np.ndarray:
    """Sorted unique crc32 hashes of the ``size``-token windows inside each sentence (a shorter sentence: one).

    Windows never span two sentences (nor two paragraphs), so reordered or
    dropped paragraphs and sentences, and chrome lines between them, leave the
    other sentences' shingles intact. Measured on the repost set of
    ``bench/bench_dedup.py``: reordered copies kept a containment of 1.00 with
    their original, against 0.79 at worst with windows across sentences.
    """
    hashes = set()
    for tokens in sentence_tokens:
        if len(tokens) <= size:
            hashes.add(zlib.crc32(" ".join(tokens).encode()))
            continue
        hashes.update([zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)])
    return np.array(sorted(hashes), dtype=np.uint32)  # for a headline's few shingles, cheaper than numpy's sort


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch applies before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@dataclass(frozen=True)
class _Facts:
    """What choosing an original and naming a link's kind needs; kept for evicted roots too."""

    article_id: str
    when: datetime  # published_at, else ingested_at: what eviction goes by
    published_at: datetime | None  # precedence only trusts real publication times
    ingested_at: datetime
    size: int  # words in the compared text
    order: int  # arrival number: the last tie-break
    outlet: str
    title_key: str
    exact_key: str | None  # None when there is nothing to compare
    headline_only: bool


@dataclass
class _Entry:
    facts: _Facts
    shingle_hashes: np.ndarray  # sorted, unique uint32
    signature: np.ndarray | None  # None: not searchable by MinHash (short or headline-only)


@dataclass(frozen=True)
class _Overlap:
    jaccard: float
    copy_in_original: float  # share of the copy's shingles found in the original
    original_in_copy: float

    @property
    def containment(self) -> float:
        """Share of the smaller text's shingles found in the other."""
        return max(self.copy_in_original, self.original_in_copy)


@dataclass(frozen=True)
class _Match:
    article_id: str
    overlap: _Overlap


class Deduplicator:
    """An in-memory index of recent articles that links each copy to its group's original."""

    def __init__(self, settings):
        self._settings = settings
        self._window = timedelta(days=settings.dedup_window_days)
        self._hasher = MinHasher(settings.dedup_num_perm)
        self._lsh = MinHashLSH(threshold=settings.dedup_lsh_threshold, num_perm=settings.dedup_num_perm)
        self._entries: dict[str, _Entry] = {}
        self._by_exact_key: dict[str, list[str]] = {}
        self._original_of: dict[str, str] = {}  # copy id -> root id
        self._copies: dict[str, set[str]] = {}  # root id -> copy ids
        self._link_of: dict[str, DedupLink] = {}  # copy id -> its current link
        self._evicted_roots: dict[str, _Facts] = {}  # evicted roots whose copies are still indexed
        self._expiry: list[tuple[datetime, int, str]] = []  # min-heap of (when, arrival, id): eviction pops, never scans
        self._late: list[tuple[int, str]] = []  # min-heap of (arrival, id): past the date cutoff, arrived recently
        self._grace = settings.late_arrival_memory
        self._arrivals = 0

    def __len__(self) -> int:
        return len(self._entries)

    def process(self, article: Article) -> list[DedupLink]:
        """Compare the article with the index, add it to the index, and return the links to write:
        [] for an original; [link(article -> original)] for a copy; or, when the article is a better original,
        links re-pointing the old group (old original and its copies) to the new article."""
        if article.id in self._entries:
            return self._current_links(article.id)
        entry = self._make_entry(article)
        if self._evicted_roots.pop(article.id, None) is not None:
            # An evicted original processed again (an index rebuild): it is still its copies' root.
            self._add(entry)
            return []
        match = self._best_match(entry)
        links = [] if match is None else self._attach(entry, match)
        self._add(entry)
        return links

    def original_of(self, article_id: str) -> str | None:
        """The id of the original an indexed article is a copy of; None for an original or an unknown id."""
        return self._original_of.get(article_id)

    def evict_before(self, cutoff: datetime) -> int:
        """Drop articles published (else ingested) before ``cutoff`` from the index, once they are no longer
        among the last ``late_arrival_memory`` arrivals; returns how many were dropped."""
        cutoff = _aware(cutoff)
        recent_from = self._arrivals - self._grace
        evicted = 0
        while self._expiry and self._expiry[0][0] < cutoff:
            _, order, article_id = heapq.heappop(self._expiry)
            if order >= recent_from:
                heapq.heappush(self._late, (order, article_id))
            else:
                evicted += self._evict_if_current(article_id, order)
        while self._late and self._late[0][0] < recent_from:
            order, article_id = heapq.heappop(self._late)
            evicted += self._evict_if_current(article_id, order)
        return evicted

    def _evict_if_current(self, article_id: str, order: int) -> bool:
        entry = self._entries.get(article_id)
        if entry is None or entry.facts.order != order:  # a stale heap item of a re-added id
            return False
        self._evict(article_id)
        return True

    def lsh_candidates(self, shingle_hashes: np.ndarray) -> list[str]:
        """Indexed ids the LSH returns for a sorted shingle array, sorted (for inspection and tests)."""
        return sorted(self._lsh.query(self._hasher.lean(self._hasher.signature(shingle_hashes))))

    # --- building entries -----------------------------------------------------------------------------------

    def _make_entry(self, article: Article) -> _Entry:
        title_key = normalise_for_hash(article.title)
        body = normalise_for_hash(article.text)
        body_sentences = comparison_tokens(article.text)
        size = sum(map(len, body_sentences))
        searchable = size >= self._settings.dedup_min_words
        if searchable:
            exact_material, compared = "body\x1f" + body, body_sentences
        else:
            exact_material = f"short\x1f{title_key}\x1f{body}"
            compared = comparison_tokens(article.title) + body_sentences
            size = sum(map(len, compared))
        has_content = bool(body or title_key)
        shingle_hashes = sentence_shingles(compared, self._settings.dedup_shingle_size)
        facts = _Facts(
            article_id=article.id,
            when=_aware(article.published_at or article.ingested_at),
            published_at=_aware(article.published_at) if article.published_at else None,
            ingested_at=_aware(article.ingested_at),
            size=size,
            order=self._arrivals,
            outlet=_outlet_key(article),
            title_key=title_key,
            exact_key=hashlib.blake2b(exact_material.encode(), digest_size=16).hexdigest() if has_content else None,
            headline_only=article.is_title_only,
        )
        self._arrivals += 1
        signature = self._hasher.signature(shingle_hashes) if searchable else None
        return _Entry(facts, shingle_hashes, signature)

    def _add(self, entry: _Entry) -> None:
        article_id = entry.facts.article_id
        self._entries[article_id] = entry
        heapq.heappush(self._expiry, (entry.facts.when, entry.facts.order, article_id))
        if entry.facts.exact_key is not None:
            self._by_exact_key.setdefault(entry.facts.exact_key, []).append(article_id)
        if entry.signature is not None:
            self._lsh.insert(article_id, self._hasher.lean(entry.signature), check_duplication=False)

    # --- finding the best match -----------------------------------------------------------------------------

    def _best_match(self, entry: _Entry) -> _Match | None:
        exact = self._exact_match(entry)
        if exact is not None or entry.signature is None:
            return exact
        return self._near_match(entry)

    def _exact_match(self, entry: _Entry) -> _Match | None:
        for candidate_id in self._by_exact_key.get(entry.facts.exact_key, ()):
            if self._in_window(entry.facts, candidate_id):
                return _Match(candidate_id, _measure(entry, self._entries[candidate_id]))
        return None

    def _near_match(self, entry: _Entry) -> _Match | None:
        candidate_ids = [
            candidate_id
            for candidate_id in self._lsh.query(self._hasher.lean(entry.signature))
            if self._in_window(entry.facts, candidate_id)
        ]
        best: _Match | None = None
        for candidate_id in self._rank_by_estimate(entry, candidate_ids):
            overlap = _measure(entry, self._entries[candidate_id])
            if self._is_copy(overlap) and (best is None or _strength(overlap) > _strength(best.overlap)):
                best = _Match(candidate_id, overlap)
        return best

    def _rank_by_estimate(self, entry: _Entry, candidate_ids: list[str]) -> list[str]:
        """The candidates worth an exact check: highest MinHash Jaccard estimate first, ties by arrival."""
        if not candidate_ids:
            return []
        signatures = np.stack([self._entries[candidate_id].signature for candidate_id in candidate_ids])
        estimates = (signatures == entry.signature).mean(axis=1)
        arrivals = [self._entries[candidate_id].facts.order for candidate_id in candidate_ids]
        ranked = sorted(zip(candidate_ids, estimates, arrivals), key=lambda item: (-item[1], item[2]))
        return [candidate_id for candidate_id, _, _ in ranked[: self._settings.dedup_max_candidates]]

    def _is_copy(self, overlap: _Overlap) -> bool:
        return (
            overlap.containment >= self._settings.dedup_containment
            and overlap.jaccard >= self._settings.dedup_lsh_threshold
        )

    def _in_window(self, facts: _Facts, candidate_id: str) -> bool:
        """Both the candidate and its group's original lie within the window of the arriving article."""
        root_facts = self._facts_of(self._root_of(candidate_id))
        return all(_gap(facts, other) <= self._window for other in (self._entries[candidate_id].facts, root_facts))

    # --- groups ---------------------------------------------------------------------------------------------

    def _root_of(self, article_id: str) -> str:
        return self._original_of.get(article_id, article_id)

    def _facts_of(self, article_id: str) -> _Facts:
        entry = self._entries.get(article_id)
        return entry.facts if entry is not None else self._evicted_roots[article_id]

    def _attach(self, entry: _Entry, match: _Match) -> list[DedupLink]:
        root_id = self._root_of(match.article_id)
        if root_id in self._entries and _precedes(entry.facts, self._entries[root_id].facts):
            return self._take_over(entry, root_id)
        return [self._join(entry, root_id, match)]

    def _join(self, entry: _Entry, root_id: str, match: _Match) -> DedupLink:
        """Link the arriving copy to the root, with evidence from the root when it is indexed and close enough."""
        evidence = match
        if match.article_id != root_id and root_id in self._entries:
            root_overlap = _measure(entry, self._entries[root_id])
            if self._is_copy(root_overlap):
                evidence = _Match(root_id, root_overlap)
        return self._record(entry.facts, root_id, evidence)

    def _take_over(self, entry: _Entry, old_root_id: str) -> list[DedupLink]:
        """The arriving article is a better original: re-link the old root and its copies to it."""
        members = [old_root_id] + sorted(self._copies.pop(old_root_id, ()), key=lambda i: self._entries[i].facts.order)
        new_root_id = entry.facts.article_id
        return [
            self._record(member.facts, new_root_id, _Match(new_root_id, _measure(member, entry)), entry)
            for member in (self._entries[member_id] for member_id in members)
        ]

    def _record(self, copy: _Facts, root_id: str, evidence: _Match, root_entry: _Entry | None = None) -> DedupLink:
        root_facts = root_entry.facts if root_entry is not None else self._facts_of(root_id)
        link = DedupLink(
            article_id=copy.article_id,
            original_id=root_id,
            kind=_kind_of(copy, root_facts, evidence.overlap, self._settings.dedup_containment),
            jaccard=round(evidence.overlap.jaccard, 4),
            containment=round(evidence.overlap.containment, 4),
            reason=_reason(copy, root_facts, evidence, self._settings),
        )
        self._original_of[copy.article_id] = root_id
        self._copies.setdefault(root_id, set()).add(copy.article_id)
        self._link_of[copy.article_id] = link
        return link

    def _current_links(self, article_id: str) -> list[DedupLink]:
        link = self._link_of.get(article_id)
        return [link] if link is not None else []

    # --- eviction -------------------------------------------------------------------------------------------

    def _evict(self, article_id: str) -> None:
        entry = self._entries.pop(article_id)
        self._unindex(entry)
        root_id = self._original_of.pop(article_id, None)
        if root_id is None:
            if self._copies.get(article_id):
                self._evicted_roots[article_id] = entry.facts
            return
        self._link_of.pop(article_id, None)
        copies = self._copies[root_id]
        copies.discard(article_id)
        if not copies:
            del self._copies[root_id]
            self._evicted_roots.pop(root_id, None)

    def _unindex(self, entry: _Entry) -> None:
        article_id = entry.facts.article_id
        same_key = self._by_exact_key.get(entry.facts.exact_key)
        if same_key is not None:
            same_key.remove(article_id)
            if not same_key:
                del self._by_exact_key[entry.facts.exact_key]
        if entry.signature is not None:
            self._lsh.remove(article_id)


# --- measuring and explaining -------------------------------------------------------------------------------


def _measure(copy: _Entry, original: _Entry) -> _Overlap:
    """Exact Jaccard and both containments of two shingle sets (sorted unique uint32 arrays)."""
    copy_hashes, original_hashes = copy.shingle_hashes, original.shingle_hashes
    if not len(copy_hashes) or not len(original_hashes):
        return _Overlap(0.0, 0.0, 0.0)
    shared = len(np.intersect1d(copy_hashes, original_hashes, assume_unique=True))
    union = len(copy_hashes) + len(original_hashes) - shared
    return _Overlap(shared / union, shared / len(copy_hashes), shared / len(original_hashes))


def _gap(one: _Facts, other: _Facts) -> timedelta:
    """Time between two articles: publication times when both have one, else ingestion times.

    Comparing one's publication time with the other's ingestion time would put an
    undated repost of an archive article months away from it.
    """
    if one.published_at and other.published_at:
        return abs(one.published_at - other.published_at)
    return abs(one.ingested_at - other.ingested_at)


def _strength(overlap: _Overlap) -> tuple[float, float]:
    return (overlap.containment, overlap.jaccard)


def _precedes(challenger: _Facts, incumbent: _Facts) -> bool:
    """Whether ``challenger`` is the better original: earlier published, else more complete, else seen first.

    A dated article beats an undated one: repost sites are the usual undated
    copies, and their chrome would make them look "more complete".
    """
    if challenger.published_at and incumbent.published_at and challenger.published_at != incumbent.published_at:
        return challenger.published_at < incumbent.published_at
    if (challenger.published_at is None) != (incumbent.published_at is None):
        return challenger.published_at is not None
    if challenger.size != incumbent.size:
        return challenger.size > incumbent.size
    return challenger.order < incumbent.order


def _kind_of(copy: _Facts, original: _Facts, overlap: _Overlap, containment_needed: float) -> str:
    whole_copy = min(overlap.copy_in_original, overlap.original_in_copy) >= containment_needed
    other_outlet = bool(copy.outlet and original.outlet) and copy.outlet != original.outlet
    if whole_copy and other_outlet and copy.title_key != original.title_key:
        return "syndicated"
    if copy.exact_key == original.exact_key:
        return "exact"
    return "repost"


def _reason(copy: _Facts, original: _Facts, evidence: _Match, settings) -> str:
    """One line a person understands: what overlaps with what, and when the copy appeared."""
    overlap, source_id = evidence.overlap, evidence.article_id
    via = "" if source_id == original.article_id else f" (a copy of {original.article_id})"
    kind = _kind_of(copy, original, overlap, settings.dedup_containment)
    if copy.headline_only:
        what = f"Same headline as {source_id}{via} (headline-only entries)"
    elif kind == "exact" or (kind == "syndicated" and overlap.jaccard == 1.0):
        what = f"Same {'normalised text' if kind == 'exact' else 'text'} as {source_id}{via}"
    else:
        what = _shared_shingles_phrase(overlap, source_id, via, settings.dedup_shingle_size)
    if kind == "syndicated":
        what += f" under another headline from another outlet ({copy.outlet})"
    elif kind == "exact" and not copy.headline_only:
        what += " under another URL"
    return f"{what}; {_timing_phrase(copy, original)}."


def _shared_shingles_phrase(overlap: _Overlap, source_id: str, via: str, shingle_size: int) -> str:
    shingle = f"{shingle_size}-word shingles"
    jaccard = f"(Jaccard {overlap.jaccard:.2f})"
    if overlap.copy_in_original >= overlap.original_in_copy:
        return f"{overlap.copy_in_original:.0%} of this text's {shingle} appear in {source_id}{via} {jaccard}"
    return f"{overlap.original_in_copy:.0%} of {source_id}'s {shingle} appear in this text{via} {jaccard}"


def _timing_phrase(copy: _Facts, original: _Facts) -> str:
    if copy.published_at is None and original.published_at is not None:
        return "this text has no publication time and the original has one"
    if copy.published_at is None or original.published_at is None:
        if copy.size != original.size:
            return "no publication time to compare, so the more complete text is the original"
        return "no publication time to compare, so the one seen first is the original"
    delta = copy.published_at - original.published_at
    if not delta:
        return "published at the same time"
    return f"published {_duration(abs(delta))} {'later' if delta > timedelta(0) else 'earlier'}"


def _duration(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} h"
    return f"{round(minutes / 1440)} days"


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC so that every comparison is between aware datetimes."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _outlet_key(article: Article) -> str:
    if article.outlet:
        return article.outlet.strip().lower()
    host = urlsplit(article.url).hostname if article.url else None
    return (host or "").removeprefix("www.")
