"""The story digest: a headline, a standfirst and a short body, every sentence cited.

``build_digest`` runs these steps, each a small function below:

1. Choose at most ``max_articles`` articles: originals before copies, the most
   central first (a cheap pass over title and lead), ties by article id.
2. Cut each article into candidate sentences (its first ``MAX_SENTENCES``; a
   title-only article contributes its title) and vectorise them: TF-IDF over
   lightly stemmed content words, rows normalised, so a dot product is a cosine.
3. Score every sentence's relevance (``_relevance``): its closeness to the
   story's centre (the normalised sum of the original articles' sentence
   vectors), the share of its terms that another independent source also
   uses, its closeness to the centre of the originals' titles (headlines say
   what the story is), minus a little per position below the lead and for
   quoted speech.
4. Support: an article states a claim when one of its sentences is at least
   ``citation_threshold`` similar *and* agrees on the facts that matter: it
   gives every number the claim gives, and names no other place, day or
   (with no name in common) person. Copies are cited but collapse to their
   original, and originals to their outlet, when independent sources are
   counted. Confirmation by more sources adds a small bonus to relevance.
5. Standfirst: the most relevant lead sentence that reads on its own (no
   opening "He", "This", "But"...).
6. Headline: the original's title closest to the centre among those that do
   not contradict the standfirst.
7. Body: maximal marginal relevance over a bounded pool of candidates; a
   sentence similar enough to cite an already chosen one is never added.
   The body keeps that order, most relevant first (the inverted pyramid of a
   news report): a reader who stops early, or a length cut, keeps the story's
   core (on NeuS val, reading order instead cost about one ROUGE-1 point).
   One-source stories take their lead sentences in order instead.

Questions, quote-led fragments, lines that do not end like a sentence
(sub-headlines, captions), sentences with links or handles, and sentences
under 6 or over 60 words never enter a digest.

What this module must not do: write words of its own. Every digest sentence
is a source sentence verbatim (at most trimmed of a leading connective such as
"Meanwhile,"), and its source article is always among its citations. It does
no I/O, reads no settings except through ``settings``, and never mutates the
articles it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix

from newsloom.models import Article, Citation, Digest, DigestSentence
from newsloom.nlp.text import STOPWORDS, content_words, split_sentences, words

MAX_SENTENCES = 30  # per article: leads carry the news, and the cost stays bounded
MIN_WORDS, MAX_WORDS = 6, 60
RANKING_CHARS = 600  # of each article's text (its lead), for the cheap article-ranking pass
MMR_LAMBDA = 0.7  # weight of relevance against redundancy
SUPPORT_BONUS = 0.05  # per extra independent source, so confirmed claims win close calls
SUPPORT_BONUS_CAP = 4
CONTEXT_PENALTY = 0.1  # body sentences opening with "He"/"This" read badly out of context
POOL_PER_SENTENCE, POOL_MIN = 5, 40  # body candidates whose support is computed: the cost bound of MMR
# Relevance terms, chosen on NeuS val only (bench/bench_digest.py, 66-word cut): centrality alone gave
# ROUGE-1 39.1 there, with the four terms below 39.7; moving any weight to 0.5x or 1.5x costs under 0.2.
CROSS_SOURCE_WEIGHT = 1.0  # share of a sentence's terms that another independent source also uses
TITLE_WEIGHT = 1.0  # closeness to the centre of the originals' titles
POSITION_PENALTY, POSITION_PENALTY_CAP = 0.1, 3  # per sentence below the lead: news leads carry the story
QUOTE_PENALTY = 0.1  # quoted speech is a voice in the story, rarely its news

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                      "eighty": "80", "ninety": "90", "hundred": "100", "dozen": "12"})
_DIGITS_RE = re.compile(r"\d+(?:[,.]\d+)*")
# the look-ahead rejects most words before the alternation is tried: five times faster
_NUMBER_WORD_RE = re.compile(r"\b(?=[a-zA-Z]{3,9}\b)(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_CAPITALISED_RE = re.compile(r"[A-Za-z][\w-]*(?:[’'](?!s\b)\w+)*")  # "Porto's" is "Porto"
_PLACE_RE = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s?)+)")
_POSSESSIVE_RE = re.compile(r"[’']s$")
# "May" is left out: too often the verb
_DAY_NAMES = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December""".split()
)
_DAY_RE = re.compile(r"\b(?:" + "|".join(sorted(_DAY_NAMES)) + r")\b")
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


@dataclass(frozen=True)
class _Facts:
    """What a sentence commits to: a citing sentence must not disagree on these."""

    numbers: frozenset[str]
    names: frozenset[str]
    places: frozenset[str]
    days: frozenset[str]


@dataclass(frozen=True)
class _Sentence:
    row: int  # row in the story's sentence-vector matrix
    article_id: str
    article_rank: int  # index of its article in the chosen order (originals, central first)
    position: int
    relative_position: float  # position / sentences in the article: 0.0 is the lead
    source: str  # exactly as the article has it
    text: str  # ``source`` minus a leading connective
    eligible: bool  # may stand in the body (see ``_eligible``)

    @property
    def facts(self) -> _Facts:
        return _facts(self.source)  # lazily: only sentences that come close to a claim are checked


@dataclass
class _StoryText:
    articles: list[Article]  # chosen, in rank order
    sentences: list[_Sentence]
    vectors: csr_matrix  # one normalised row per sentence
    centrality: np.ndarray  # cosine of each sentence to the story's centre
    relevance: np.ndarray  # per sentence, before support: see ``_relevance``
    title_rows: dict[str, int]  # article id -> its row in ``title_centrality``
    title_centrality: np.ndarray  # cosine of each title to the story's centre
    source_key: dict[str, str]  # article id -> independent source it counts as
    is_copy: dict[str, bool]


@dataclass
class _Candidate:
    sentence: _Sentence
    citations: list[Citation]
    citing: list[_Sentence]  # the sentences behind ``citations``, same order
    independent_sources: int
    relevance: float


# --- text features -------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A crude suffix stripper: enough for 'killed'/'kills'/'killing' and "Calado's"/'Calado' to meet."""
    word = word[:-2] if word.endswith(("'s", "’s")) else word
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@lru_cache(maxsize=8192)
def _numbers(text: str) -> frozenset[str]:
    digits = {match.replace(",", "").rstrip(".") for match in _DIGITS_RE.findall(text)}
    spelled = {_NUMBER_WORDS[word.lower()] for word in _NUMBER_WORD_RE.findall(text)}
    return frozenset(digits | spelled)


@lru_cache(maxsize=8192)
def _facts(text: str) -> _Facts:
    tokens = [match.group() for match in _CAPITALISED_RE.finditer(text)][1:]  # the opener is capitalised anyway
    capitalised = [] if _is_headline_case(tokens) else [t for t in tokens if t[0].isupper()]
    names = {t for t in capitalised if t.lower() not in STOPWORDS and t.lower() not in _NUMBER_WORDS} - _DAY_NAMES
    places = {_POSSESSIVE_RE.sub("", word) for phrase in _PLACE_RE.findall(text) for word in phrase.split()}
    places -= _DAY_NAMES
    days = frozenset(_DAY_RE.findall(text))
    return _Facts(_numbers(text), frozenset(names), frozenset(places), days)


def _is_headline_case(tokens: list[str]) -> bool:
    """Most words capitalised: a headline's style, where capitals no longer mark names."""
    return sum(1 for t in tokens if t[0].isupper()) * 2 > len(tokens)


def _terms(text: str) -> list[str]:
    numbers = sorted(_numbers(text))
    return [_stem(w) for w in content_words(text) if w not in _NUMBER_WORDS and not w[0].isdigit()] + numbers


def _contradicts(claim: _Facts, other: _Facts) -> str | None:
    """Why ``other`` cannot confirm ``claim``, or None when it agrees on the facts that matter."""
    missing = claim.numbers - other.numbers
    if missing:  # "12 died" does not confirm "14 died", nor does a sentence that gives no figure
        return "numbers " + ",".join(sorted(missing))
    for kind, mine, theirs in (("place", claim.places, other.places), ("day", claim.days, other.days)):
        # each names one the other lacks: "in Portugal's Minho" against "in Portugal's Algarve";
        # "in Porto" still confirms "in Porto, Portugal"
        if mine - theirs and theirs - mine:
            return kind
    if claim.names and other.names and not claim.names & other.names:
        return "names"  # looser: capitals catch titles and attributions, so only a clean miss counts
    return None


def _trim_connective(sentence: str) -> str:
    trimmed = _LEADING_CONNECTIVE_RE.sub("", sentence, count=1)
    return trimmed[:1].upper() + trimmed[1:] if trimmed != sentence else sentence


def _is_quote_fragment(text: str) -> bool:
    straight_unbalanced = text.count('"') % 2 == 1
    curly_unbalanced = text.count("“") != text.count("”")
    return text[0] in _OPENING_QUOTES or straight_unbalanced or curly_unbalanced


def _eligible(text: str, from_title: bool) -> bool:
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


def _has_quote(text: str) -> bool:
    return any(mark in text for mark in '"“”')


def _needs_context(source: str) -> bool:
    opener = words(source[:24])
    return bool(opener) and opener[0] in _CONTEXT_OPENERS


# --- vectors -------------------------------------------------------------------------


def _tfidf(term_lists: list[list[str]]) -> csr_matrix:
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
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))


def _centre(rows: csr_matrix) -> np.ndarray:
    centre = np.asarray(rows.sum(axis=0)).ravel()
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


# --- step 1: choose the articles -----------------------------------------------------


def _is_copy(article_id: str, copy_of: dict[str, str]) -> bool:
    return copy_of.get(article_id, article_id) != article_id


def _root(article_id: str, copy_of: dict[str, str]) -> str:
    seen = {article_id}
    while article_id in copy_of and copy_of[article_id] not in seen:  # guard against a cycle
        article_id = copy_of[article_id]
        seen.add(article_id)
    return article_id


def _source_keys(articles: list[Article], copy_of: dict[str, str]) -> dict[str, str]:
    """Article id -> the independent source it counts as: its root's outlet, or the root's id."""
    by_id = {a.id: a for a in articles}
    keys = {}
    for article in articles:
        root = _root(article.id, copy_of)
        outlet = (by_id[root].outlet or "").strip().lower() if root in by_id else ""
        keys[article.id] = "outlet:" + outlet if outlet else "article:" + root
    return keys


def _article_sentences(article: Article) -> list[str]:
    if article.is_title_only:
        return [article.title.strip()] if article.title.strip() else []
    return split_sentences(article.text)[:MAX_SENTENCES]


def _choose_articles(articles: list[Article], copy_of: dict[str, str], max_articles: int) -> list[Article]:
    """At most ``max_articles``: originals first, then by closeness of title and lead to the centre, then id."""
    ordered = sorted(articles, key=lambda a: (_is_copy(a.id, copy_of), a.id))
    if len(ordered) <= max_articles:  # nothing to drop: the ranking pass would only cost time
        return ordered
    vectors = _tfidf([_terms(a.title + "\n" + a.text[:RANKING_CHARS]) for a in ordered])
    is_copy = [_is_copy(a.id, copy_of) for a in ordered]
    originals = [i for i, copy in enumerate(is_copy) if not copy] or list(range(len(ordered)))
    closeness = vectors @ _centre(vectors[originals])
    rank = sorted(range(len(ordered)), key=lambda i: (is_copy[i], -round(float(closeness[i]), 9), ordered[i].id))
    return [ordered[i] for i in rank[:max_articles]]


# --- steps 2 and 3: sentences, vectors, centre ---------------------------------------


def _story_text(articles: list[Article], copy_of: dict[str, str]) -> _StoryText:
    sentences: list[_Sentence] = []
    for rank, article in enumerate(articles):
        article_sentences = _article_sentences(article)
        for position, source in enumerate(article_sentences):
            text = _trim_connective(source)
            sentences.append(_Sentence(
                row=len(sentences), article_id=article.id, article_rank=rank, position=position,
                relative_position=position / len(article_sentences), source=source,
                text=text, eligible=_eligible(text, from_title=article.is_title_only),
            ))
    titled = [a for a in articles if a.title.strip()]
    matrix = _tfidf([_terms(s.source) for s in sentences] + [_terms(a.title) for a in titled])
    vectors, title_vectors = matrix[: len(sentences)], matrix[len(sentences):]
    is_copy = {a.id: _is_copy(a.id, copy_of) for a in articles}
    original_rows = [s.row for s in sentences if not is_copy[s.article_id]] or [s.row for s in sentences]
    centre = _centre(vectors[original_rows]) if sentences else np.zeros(matrix.shape[1])
    original_titles = [row for row, a in enumerate(titled) if not is_copy[a.id]] or list(range(len(titled)))
    title_centre = _centre(title_vectors[original_titles]) if titled else np.zeros(matrix.shape[1])
    source_key = _source_keys(articles, copy_of)
    centrality = vectors @ centre
    return _StoryText(
        articles=articles,
        sentences=sentences,
        vectors=vectors,
        centrality=centrality,
        relevance=_relevance(sentences, centrality, vectors @ title_centre, source_key),
        title_rows={a.id: row for row, a in enumerate(titled)},
        title_centrality=title_vectors @ centre,
        source_key=source_key,
        is_copy=is_copy,
    )


def _cross_source_share(sentences: list[_Sentence], source_key: dict[str, str]) -> np.ndarray:
    """Per sentence, the share of its terms that some other independent source also uses.

    What several outlets state is the story; what one outlet adds is its angle.
    """
    term_lists = [set(_terms(s.source)) for s in sentences]
    sources_by_term: dict[str, set[str]] = {}
    for sentence, terms in zip(sentences, term_lists):
        for term in terms:
            sources_by_term.setdefault(term, set()).add(source_key[sentence.article_id])
    shares = np.zeros(len(sentences))
    for sentence, terms in zip(sentences, term_lists):
        own = source_key[sentence.article_id]
        shared = sum(1 for term in terms if sources_by_term[term] - {own})
        shares[sentence.row] = shared / len(terms) if terms else 0.0
    return shares


def _relevance(sentences: list[_Sentence], centrality: np.ndarray, title_closeness: np.ndarray,
               source_key: dict[str, str]) -> np.ndarray:
    """Centrality, plus cross-source share and title closeness, minus position and quote penalties."""
    penalties = np.array([
        POSITION_PENALTY * min(s.position, POSITION_PENALTY_CAP) + QUOTE_PENALTY * _has_quote(s.source)
        for s in sentences
    ])
    cross_source = _cross_source_share(sentences, source_key)
    return centrality + CROSS_SOURCE_WEIGHT * cross_source + TITLE_WEIGHT * title_closeness - penalties


# --- step 4: headline ----------------------------------------------------------------


def _headline(story: _StoryText, standfirst: _Candidate | None) -> tuple[str, str]:
    """(title, article id): the original's title closest to the centre that agrees with the standfirst.

    A title is too terse to be cited like a sentence, but it can still state a
    minority figure ("kills 12" when three outlets say 14): checking it against
    the best-confirmed lead keeps such a title out. Copies' titles count only
    when no original has one.
    """
    titled = [a for a in story.articles if a.id in story.title_rows]
    titled = [a for a in titled if not story.is_copy[a.id]] or titled
    if standfirst is not None:
        titled = [a for a in titled if not _contradicts(_facts(a.title.strip()), standfirst.sentence.facts)] or titled
    if not titled:
        return "", ""
    best = min(titled, key=lambda a: (-round(float(story.title_centrality[story.title_rows[a.id]]), 9), a.id))
    return best.title.strip(), best.id


# --- step 5: support -----------------------------------------------------------------


def _support(sentence: _Sentence, similarities: np.ndarray, story: _StoryText, threshold: float) -> _Candidate:
    """Cite the sentence's own article and every other article with a close, agreeing sentence.

    ``similarities`` holds the claim's cosine to every sentence of the story.
    """
    citations = [Citation(sentence.article_id, sentence.source, 1.0)]
    citing = [sentence]
    cited = {sentence.article_id}
    close_rows = np.flatnonzero(similarities >= threshold)
    closest_first = close_rows[np.argsort(-np.round(similarities[close_rows], 9), kind="stable")]
    for row in closest_first:
        other = story.sentences[int(row)]
        if other.article_id in cited or _contradicts(sentence.facts, other.facts):
            continue
        cited.add(other.article_id)
        citations.append(Citation(other.article_id, other.source, round(min(float(similarities[row]), 1.0), 4)))
        citing.append(other)
    independent = len({story.source_key[c.article_id] for c in citations})
    extra = min(independent - 1, SUPPORT_BONUS_CAP)
    relevance = float(story.relevance[sentence.row]) + SUPPORT_BONUS * extra
    return _Candidate(sentence, citations, citing, independent, relevance)


def _candidates(rows: list[int], story: _StoryText, threshold: float) -> list[_Candidate]:
    if not rows:
        return []
    similarities = (story.vectors[rows] @ story.vectors.T).toarray()
    return [_support(story.sentences[row], similarities[i], story, threshold) for i, row in enumerate(rows)]


def _to_digest_sentence(candidate: _Candidate) -> DigestSentence:
    return DigestSentence(
        text=candidate.sentence.text,
        article_id=candidate.sentence.article_id,
        citations=candidate.citations,
        independent_sources=candidate.independent_sources,
    )


# --- step 6: standfirst --------------------------------------------------------------


def _lead_rows(story: _StoryText) -> list[int]:
    """Per article, its first sentence (among the first three) that reads on its own.

    A headline-only article's lead is its title; it stands first only when no
    article of the story has text, or the standfirst would repeat a headline.
    """
    leads: dict[str, int] = {}
    for sentence in story.sentences:
        if sentence.position < 3 and sentence.article_id not in leads and sentence.eligible \
                and not _needs_context(sentence.source):
            leads[sentence.article_id] = sentence.row
    headline_only = {article.id for article in story.articles if article.is_title_only}
    with_text = [row for article_id, row in leads.items() if article_id not in headline_only]
    return sorted(with_text or leads.values())


def _standfirst(story: _StoryText, threshold: float) -> _Candidate | None:
    leads = _candidates(_lead_rows(story), story, threshold)
    if not leads:
        return None
    return min(leads, key=lambda c: _preference(c, story, c.relevance))


def _preference(candidate: _Candidate, story: _StoryText, score: float) -> tuple:
    """Sort key: best score first, then originals, earlier positions, article rank."""
    sentence = candidate.sentence
    return (-round(score, 9), story.is_copy[sentence.article_id], sentence.position, sentence.article_rank)


# --- step 7: body --------------------------------------------------------------------


def _body_pool(story: _StoryText, exclude_row: int | None, size: int, threshold: float) -> list[int]:
    """The most relevant eligible sentences, none as close as a citation to a better one or to the standfirst.

    A near-repeat could never join the body next to the sentence it repeats,
    so keeping it out lets the bounded pool reach further down the story (forty
    outlets' near-identical leads would otherwise fill it).
    """
    ranked = sorted(
        (s for s in story.sentences if s.row != exclude_row and s.eligible),
        key=lambda s: (-round(float(story.relevance[s.row]), 9), story.is_copy[s.article_id], s.article_rank, s.position),
    )
    rows = ([exclude_row] if exclude_row is not None else []) + [s.row for s in ranked]
    similarity = (story.vectors[rows] @ story.vectors[rows].T).toarray()
    kept = [0] if exclude_row is not None else []
    for index in range(len(kept), len(rows)):
        if len(kept) - (exclude_row is not None) == size:
            break
        if not kept or similarity[index, kept].max() < threshold:
            kept.append(index)
    return [rows[index] for index in kept if rows[index] != exclude_row]


def _body_relevance(candidate: _Candidate) -> float:
    penalty = CONTEXT_PENALTY if _needs_context(candidate.sentence.source) else 0.0
    return candidate.relevance - penalty


def _mmr(pool: list[_Candidate], chosen: list[_Candidate], story: _StoryText, limit: int, threshold: float):
    """Greedy maximal marginal relevance; anything that would cite a chosen sentence is redundant."""
    if not pool:
        return []
    rows = [c.sentence.row for c in chosen + pool]
    similarity = (story.vectors[rows] @ story.vectors[rows].T).toarray()
    chosen_idx = list(range(len(chosen)))
    remaining = list(range(len(chosen), len(rows)))
    body: list[_Candidate] = []
    while remaining and len(body) < limit:
        best, best_key = None, None
        for idx in remaining:
            redundancy = float(similarity[idx, chosen_idx].max()) if chosen_idx else 0.0
            if redundancy >= threshold:
                continue
            candidate = pool[idx - len(chosen)]
            score = MMR_LAMBDA * _body_relevance(candidate) - (1 - MMR_LAMBDA) * redundancy
            key = _preference(candidate, story, score)
            if best_key is None or key < best_key:
                best, best_key = idx, key
        if best is None:
            break
        body.append(pool[best - len(chosen)])
        chosen_idx.append(best)
        remaining.remove(best)
    return body


def _lead_body(story: _StoryText, standfirst: _Candidate | None, limit: int, threshold: float):
    """A one-source story: the standfirst's article's sentences in their own order, minus repeats."""
    first_id = standfirst.sentence.article_id if standfirst else story.articles[0].id
    rows = [s.row for s in story.sentences if s.article_id == first_id and s.eligible
            and (standfirst is None or s.row != standfirst.sentence.row)]
    in_order = _candidates(rows, story, threshold)
    chosen = [standfirst] if standfirst else []
    return _in_order_without_repeats(in_order, chosen, story, limit, threshold)


def _in_order_without_repeats(pool: list[_Candidate], chosen: list[_Candidate], story: _StoryText, limit: int, threshold: float):
    """Take ``pool`` in order, skipping a sentence as close as a citation to one already taken."""
    body: list[_Candidate] = []
    for candidate in pool:
        taken = [c.sentence.row for c in chosen + body]
        if taken:
            closest = (story.vectors[candidate.sentence.row] @ story.vectors[taken].T).toarray().max()
            if closest >= threshold:
                continue
        body.append(candidate)
        if len(body) == limit:
            break
    return body


# --- the stage -----------------------------------------------------------------------


def build_digest(story_id: str, articles: list[Article], copy_of: dict[str, str], settings, *,
                 max_articles: int = 40) -> Digest:
    """Headline, standfirst and up to ``settings.digest_sentences`` cited body sentences for one story."""
    if not articles:
        return Digest(story_id=story_id, headline="", headline_article_id="", standfirst=None, body=[])
    threshold = settings.citation_threshold
    limit = settings.digest_sentences
    story = _story_text(_choose_articles(articles, copy_of, max_articles), copy_of)
    standfirst = _standfirst(story, threshold)
    headline, headline_article_id = _headline(story, standfirst)
    if len(set(story.source_key.values())) == 1:
        body = _lead_body(story, standfirst, limit, threshold)
    else:
        exclude_row = standfirst.sentence.row if standfirst else None
        pool_rows = _body_pool(story, exclude_row, max(POOL_PER_SENTENCE * limit, POOL_MIN), threshold)
        pool = _candidates(pool_rows, story, threshold)
        body = _mmr(pool, [standfirst] if standfirst else [], story, limit, threshold)
    if not headline and standfirst:  # no article has a title: the standfirst is the best we can cite
        headline, headline_article_id = standfirst.sentence.text, standfirst.sentence.article_id
    if not body and standfirst:  # a one-sentence story: its sentence is the body, not a summary of it
        body, standfirst = [standfirst], None
    return Digest(
        story_id=story_id,
        headline=headline,
        headline_article_id=headline_article_id,
        standfirst=_to_digest_sentence(standfirst) if standfirst else None,
        body=[_to_digest_sentence(c) for c in body],
    )
