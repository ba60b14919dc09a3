"""Corpus-learned boilerplate: the lines an outlet prints on many of its articles.

``clean.py`` asks ``BoilerplateMemory.article_count`` how many of an outlet's
articles carried a line; the pipeline feeds it each cleaned article
(``observe``) and saves it between ingests (``to_rows`` / ``from_rows``). Only
hashes of short normalised lines are kept, with a sample of each for display,
and every count is bounded, so the memory stays small as the crawl grows.
"""

from __future__ import annotations

from newsloom.models import stable_id
from newsloom.nlp.text import normalise_for_hash

SAMPLE_CHARS = 200  # characters of a line kept as its sample


class BoilerplateMemory:
    """Learns, per outlet, which normalised lines recur across articles (corpus-learned boilerplate).

    A line (or sentence) seen in >= min_articles distinct articles of the same outlet is boilerplate for that outlet.
    Bounded: only lines of at most ``max_line_words`` words are counted, keys are 16-hex hashes, and an
    outlet holding more than ``max_keys_per_outlet`` keys forgets its count-1 lines (then its rarest).
    Observed article ids are remembered (hashed, at most ``max_articles_per_outlet`` per outlet, oldest
    forgotten first) so that observing an article twice does not count twice.
    """

    ARTICLE_PREFIX = "article:"  # row key prefix of an observed article id in ``to_rows``

    def __init__(self, max_keys_per_outlet: int = 50_000, max_line_words: int = 60, max_articles_per_outlet: int = 500_000):
        self.max_keys_per_outlet = max_keys_per_outlet
        self.max_line_words = max_line_words
        self.max_articles_per_outlet = max_articles_per_outlet
        self._lines: dict[str, dict[str, list]] = {}  # outlet -> line key -> [article count, sample text]
        self._seen: dict[str, dict[str, None]] = {}  # outlet -> hashed article ids, oldest first
        # Line keys computed while cleaning an article, reused when the caller then observes it.
        self._recent_keys: dict[str, str | None] = {}

    def observe(self, outlet: str, article_id: str, text: str) -> None:
        outlet_key = _outlet_key(outlet)
        if not outlet_key or not self._mark_seen(outlet_key, stable_id(article_id)):
            return
        counts = self._lines.setdefault(outlet_key, {})
        for key, sample in self._line_keys(text).items():
            entry = counts.get(key)
            if entry is None:
                counts[key] = [1, sample]
            else:
                entry[0] += 1
        if len(counts) > self.max_keys_per_outlet:
            _evict(counts, self.max_keys_per_outlet)
        self._recent_keys.clear()

    def article_count(self, outlet: str, line: str) -> int:
        key = self._line_key(line)
        entry = self._lines.get(_outlet_key(outlet), {}).get(key) if key else None
        return entry[0] if entry else 0

    def to_rows(self) -> list[tuple[str, str, int, str]]:
        """(outlet, line_key, count, sample_text) rows; observed articles are rows keyed ``article:<hash>``, count 0."""
        rows = [(o, key, entry[0], entry[1]) for o, counts in self._lines.items() for key, entry in counts.items()]
        rows += [(o, self.ARTICLE_PREFIX + key, 0, "") for o, seen in self._seen.items() for key in seen]
        return rows

    @classmethod
    def from_rows(cls, rows, **limits) -> BoilerplateMemory:
        memory = cls(**limits)
        for outlet, key, count, sample in rows:
            if key.startswith(cls.ARTICLE_PREFIX):
                memory._mark_seen(outlet, key[len(cls.ARTICLE_PREFIX) :])
            else:
                memory._lines.setdefault(outlet, {})[key] = [int(count), sample]
        return memory

    def _mark_seen(self, outlet_key: str, article_key: str) -> bool:
        """Record an article; False when it was already recorded."""
        seen = self._seen.setdefault(outlet_key, {})
        if article_key in seen:
            return False
        seen[article_key] = None
        if len(seen) > self.max_articles_per_outlet:
            del seen[next(iter(seen))]
        return True

    def _line_keys(self, text: str) -> dict[str, str]:
        """Distinct line keys of one text (a line repeated inside one article counts once) -> sample."""
        keys: dict[str, str] = {}
        for line in text.splitlines():
            key = self._line_key(line)
            if key:
                keys.setdefault(key, line.strip()[:SAMPLE_CHARS])
        return keys

    def _line_key(self, line: str) -> str | None:
        """Hash of the normalised line; None for empty lines and lines too long to be boilerplate."""
        line = line.strip()
        if line in self._recent_keys:
            return self._recent_keys[line]
        normalised = normalise_for_hash(line)
        key = stable_id(normalised) if normalised and normalised.count(" ") < self.max_line_words else None
        if len(self._recent_keys) < 2_000:  # bounded even if the caller never observes
            self._recent_keys[line] = key
        return key


def _outlet_key(outlet: str | None) -> str:
    return (outlet or "").strip().lower()


def _evict(counts: dict[str, list], cap: int) -> None:
    """Forget lines seen once; if that is not enough, keep the cap/2 most frequent."""
    for key in [key for key, entry in counts.items() if entry[0] == 1]:
        del counts[key]
    if len(counts) > cap:
        keep = sorted(counts.items(), key=lambda item: item[1][0], reverse=True)[: cap // 2]
        counts.clear()
        counts.update(keep)
