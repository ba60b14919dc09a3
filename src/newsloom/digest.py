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
4. Support: the articles that state a sentence come from the cross-check's
   own rule (``support.py``), so digest citations and cross-check agreements
   are the same verdicts; a sentence carries the conflicts of the story's
   cross-check (when given) whose claim or evidence is one of its cited
   sentences. Copies are cited but collapse to their original, and originals
   to their outlet, when independent sources are counted. Confirmation by
   more sources adds a small bonus to relevance; a disputed claim no other
   source states loses ``CONFLICT_PENALTY``.
5. Standfirst: the most relevant lead sentence that reads on its own (no
   opening "He", "This", "But"...).
6. Headline: the title closest to the centre among those of the articles
   stating the standfirst.
7. Body: maximal marginal relevance over a bounded pool of candidates; a
   sentence whose TF-IDF cosine to a chosen one reaches
   ``citation_threshold`` is a near-repeat, and one that states a claim of a
   chosen sentence (or whose claim a chosen sentence states, by the same
   matcher) a restatement: neither is ever added.
   The body keeps that order, most relevant first (the inverted pyramid of a
   news report): a reader who stops early, or a length cut, keeps the story's
   core (on NeuS val, reading order instead cost about one ROUGE-1 point).
   One-source stories take their lead sentences in order instead.

Questions, quote-led fragments, lines that do not end like a sentence
(sub-headlines, captions), sentences with links or handles, and sentences
under 6 or over 60 words never enter a digest.

What this module must not do: write words of its own, or decide on its own
whether two articles state the same thing. Every digest sentence is a source
sentence verbatim (at most trimmed of a leading connective such as
"Meanwhile,"), and its source article is always among its citations. It does
no I/O, reads no settings except through ``settings``, and never mutates the
articles it is given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix

from newsloom.crosscheck import Conflict, Similarity, StoryCheck, root_of
from newsloom.digest_text import centre, eligible, has_quote, needs_context, terms, tfidf, trim_connective
from newsloom.models import Article, Citation, Digest, DigestConflict, DigestSentence
from newsloom.nlp.text import split_sentences
from newsloom.support import StorySupport, story_support

MAX_SENTENCES = 30  # per article: leads carry the news, and the cost stays bounded
RANKING_CHARS = 600  # of each article's text (its lead), for the cheap article-ranking pass
MMR_LAMBDA = 0.7  # weight of relevance against redundancy
SUPPORT_BONUS = 0.05  # per extra independent source, so confirmed claims win close calls
SUPPORT_BONUS_CAP = 4
CONFLICT_PENALTY = 0.2  # a disputed claim only one source makes: as much as four confirmations are worth
CONTEXT_PENALTY = 0.1  # body sentences opening with "He"/"This" read badly out of context
POOL_PER_SENTENCE, POOL_MIN = 5, 40  # body candidates whose support is computed: the cost bound of MMR
STANDFIRST_BATCH = 8  # leads whose support is checked together (one embedding call each when semantic)
# Relevance terms, chosen on NeuS val only (bench/bench_digest.py, 66-word cut): centrality alone gave
# ROUGE-1 39.1 there, with the four terms below 39.7; moving any weight to 0.5x or 1.5x costs under 0.2.
CROSS_SOURCE_WEIGHT = 1.0  # share of a sentence's terms that another independent source also uses
TITLE_WEIGHT = 1.0  # closeness to the centre of the originals' titles
POSITION_PENALTY, POSITION_PENALTY_CAP = 0.1, 3  # per sentence below the lead: news leads carry the story
QUOTE_PENALTY = 0.1  # quoted speech is a voice in the story, rarely its news


@dataclass(frozen=True)
class _Sentence:
    row: int  # row in the story's sentence-vector matrix
    article_id: str
    article_rank: int  # index of its article in the chosen order (originals, central first)
    position: int
    relative_position: float  # position / sentences in the article: 0.0 is the lead
    source: str  # exactly as the article has it
    text: str  # ``source`` minus a leading connective
    eligible: bool  # may stand in the body (see ``digest_text.eligible``)


@dataclass
class _StoryText:
    articles: list[Article]  # chosen, in rank order
    sentences: list[_Sentence]
    vectors: csr_matrix  # one normalised row per sentence
    centrality: np.ndarray  # cosine of each sentence to the story's centre
    relevance: np.ndarray  # per sentence, before support: see ``_relevance``
    title_rows: dict[str, int]  # article id -> its row in ``title_centrality``
    title_centrality: np.ndarray  # cosine of each title to the story's centre
    source_key: dict[str, str]  # article id -> independent source it counts as (every article of the story)
    is_copy: dict[str, bool]
    root: dict[str, str]  # article id -> the original it copies, or itself
    support: StorySupport  # who states which sentence (``support.py``)
    conflicts: dict[str, list[Conflict]]  # sentence -> the story cross-check's conflicts it is the claim or evidence of


@dataclass
class _Candidate:
    sentence: _Sentence
    citations: list[Citation]
    conflicts: list[Conflict]  # cross-check conflicts whose claim or evidence is a cited sentence
    independent_sources: int
    relevance: float


# --- step 1: choose the articles -----------------------------------------------------


def _is_copy(article_id: str, copy_of: dict[str, str]) -> bool:
    return copy_of.get(article_id, article_id) != article_id


def _source_keys(articles: list[Article], copy_of: dict[str, str]) -> dict[str, str]:
    """Article id -> the independent source it counts as: its root's outlet, or the root's id."""
    by_id = {a.id: a for a in articles}
    keys = {}
    for article in articles:
        root = root_of(article.id, copy_of)
        outlet = (by_id[root].outlet or "").strip().lower() if root in by_id else ""
        keys[article.id] = "outlet:" + outlet if outlet else "article:" + root
    return keys


@lru_cache(maxsize=4096)
def _sentence_readings(title: str, text: str) -> tuple[tuple[str, str, bool], ...]:
    """(source, text without a leading connective, eligible) of each candidate sentence of an article.

    An article's first ``MAX_SENTENCES`` sentences; a title-only article's (no text) is its title.
    A pure function of title and text, kept for the last articles read: a story's digest is
    rebuilt as it grows, and its older articles are read again each time.
    """
    title_only = not text.strip()
    if title_only:
        sources = [title.strip()] if title.strip() else []
    else:
        sources = split_sentences(text)[:MAX_SENTENCES]
    return tuple((source, trimmed, eligible(trimmed, from_title=title_only))
                 for source, trimmed in ((source, trim_connective(source)) for source in sources))


def _choose_articles(articles: list[Article], copy_of: dict[str, str], max_articles: int) -> list[Article]:
    """At most ``max_articles``: originals first, then by closeness of title and lead to the centre, then id."""
    ordered = sorted(articles, key=lambda a: (_is_copy(a.id, copy_of), a.id))
    if len(ordered) <= max_articles:  # nothing to drop: the ranking pass would only cost time
        return ordered
    vectors = tfidf([terms(a.title + "\n" + a.text[:RANKING_CHARS]) for a in ordered])
    is_copy = [_is_copy(a.id, copy_of) for a in ordered]
    originals = [i for i, copy in enumerate(is_copy) if not copy] or list(range(len(ordered)))
    closeness = vectors @ centre(vectors[originals])
    rank = sorted(range(len(ordered)), key=lambda i: (is_copy[i], -round(float(closeness[i]), 9), ordered[i].id))
    return [ordered[i] for i in rank[:max_articles]]


# --- steps 2 and 3: sentences, vectors, centre ---------------------------------------


def _story_text(articles: list[Article], copy_of: dict[str, str], source_key: dict[str, str],
                support: StorySupport, conflicts: dict[str, list[Conflict]]) -> _StoryText:
    """The chosen articles' sentences, vectors and relevance; ``source_key`` covers every article of the story."""
    sentences: list[_Sentence] = []
    for rank, article in enumerate(articles):
        article_sentences = _sentence_readings(article.title, article.text)
        for position, (source, text, can_stand) in enumerate(article_sentences):
            sentences.append(_Sentence(
                row=len(sentences), article_id=article.id, article_rank=rank, position=position,
                relative_position=position / len(article_sentences), source=source,
                text=text, eligible=can_stand,
            ))
    titled = [a for a in articles if a.title.strip()]
    matrix = tfidf([terms(s.source) for s in sentences] + [terms(a.title) for a in titled])
    vectors, title_vectors = matrix[: len(sentences)], matrix[len(sentences):]
    is_copy = {a.id: _is_copy(a.id, copy_of) for a in articles}
    original_rows = [s.row for s in sentences if not is_copy[s.article_id]] or [s.row for s in sentences]
    story_centre = centre(_rows(vectors, original_rows)) if sentences else np.zeros(matrix.shape[1])
    original_titles = [row for row, a in enumerate(titled) if not is_copy[a.id]] or list(range(len(titled)))
    title_centre = centre(_rows(title_vectors, original_titles)) if titled else np.zeros(matrix.shape[1])
    centrality = vectors @ story_centre
    return _StoryText(
        articles=articles,
        sentences=sentences,
        vectors=vectors,
        centrality=centrality,
        relevance=_relevance(sentences, centrality, vectors @ title_centre, source_key),
        title_rows={a.id: row for row, a in enumerate(titled)},
        title_centrality=title_vectors @ story_centre,
        source_key=source_key,
        is_copy=is_copy,
        root={a.id: root_of(a.id, copy_of) for a in articles},
        support=support,
        conflicts=conflicts,
    )


def _rows(matrix: csr_matrix, rows: list[int]) -> csr_matrix:
    """``matrix[rows]``, without the copy when ``rows`` are all of them in order (a story without copies)."""
    return matrix if rows == list(range(matrix.shape[0])) else matrix[rows]


def _cross_source_share(sentences: list[_Sentence], source_key: dict[str, str]) -> np.ndarray:
    """Per sentence, the share of its terms that some other independent source also uses.

    What several outlets state is the story; what one outlet adds is its angle. A term of a
    sentence is used by another source exactly when two or more sources use it (its own is one).
    """
    term_sets = [_term_set(s.source) for s in sentences]
    terms_by_source: dict[str, set[str]] = {}
    for sentence, sentence_terms in zip(sentences, term_sets):
        terms_by_source.setdefault(source_key[sentence.article_id], set()).update(sentence_terms)
    sources_using = Counter(term for source_terms in terms_by_source.values() for term in source_terms)
    shared_terms = {term for term, count in sources_using.items() if count > 1}
    shares = np.zeros(len(sentences))
    for sentence, sentence_terms in zip(sentences, term_sets):
        shares[sentence.row] = len(sentence_terms & shared_terms) / len(sentence_terms) if sentence_terms else 0.0
    return shares


@lru_cache(maxsize=65536)
def _term_set(sentence: str) -> frozenset[str]:
    return frozenset(terms(sentence))


def _relevance(sentences: list[_Sentence], centrality: np.ndarray, title_closeness: np.ndarray,
               source_key: dict[str, str]) -> np.ndarray:
    """Centrality, plus cross-source share and title closeness, minus position and quote penalties."""
    penalties = np.array([
        POSITION_PENALTY * min(s.position, POSITION_PENALTY_CAP) + QUOTE_PENALTY * has_quote(s.source)
        for s in sentences
    ])
    cross_source = _cross_source_share(sentences, source_key)
    return centrality + CROSS_SOURCE_WEIGHT * cross_source + TITLE_WEIGHT * title_closeness - penalties


# --- step 4: headline ----------------------------------------------------------------


def _headline(story: _StoryText, standfirst: _Candidate | None) -> tuple[str, str]:
    """(title, article id): the title closest to the centre among those of the articles stating the standfirst.

    A title is too terse to be checked like a sentence, but it can still state
    a minority figure ("kills 12" when three outlets say 14): taking it from a
    report that states the best-confirmed lead keeps headline and lead in
    agreement. Any original's title when none of those has one; copies'
    titles only when no original has one.
    """
    titled = [a for a in story.articles if a.id in story.title_rows]
    titled = [a for a in titled if not story.is_copy[a.id]] or titled
    if standfirst is not None:
        stating = {story.root[c.article_id] for c in standfirst.citations if c.article_id in story.root}
        titled = [a for a in titled if story.root[a.id] in stating] or titled
    if not titled:
        return "", ""
    best = min(titled, key=lambda a: (-round(float(story.title_centrality[story.title_rows[a.id]]), 9), a.id))
    return best.title.strip(), best.id


# --- step 5: support -----------------------------------------------------------------


def _support(sentence: _Sentence, story: _StoryText) -> _Candidate:
    """Cite every article that states the sentence (``support.py``) and keep the conflicts it is part of."""
    statements = story.support.statements(sentence.article_id, sentence.source)
    citations = [Citation(s.article_id, s.sentence, s.similarity) for s in statements]
    conflicts = _conflicts_of([c.sentence for c in citations], story.conflicts)
    independent = len({story.source_key.get(c.article_id, "article:" + c.article_id) for c in citations})
    relevance = float(story.relevance[sentence.row]) + SUPPORT_BONUS * min(independent - 1, SUPPORT_BONUS_CAP)
    if conflicts and independent == 1:
        relevance -= CONFLICT_PENALTY
    return _Candidate(sentence, citations, conflicts, independent, relevance)


def _candidates(rows: list[int], story: _StoryText) -> list[_Candidate]:
    story.support.prepare([(story.sentences[row].article_id, story.sentences[row].source) for row in rows])
    return [_support(story.sentences[row], story) for row in rows]


def _conflicts_by_sentence(crosscheck: StoryCheck | None) -> dict[str, list[Conflict]]:
    by_sentence: dict[str, list[Conflict]] = {}
    for conflict in crosscheck.conflicts if crosscheck else []:
        for sentence in dict.fromkeys((conflict.claim, conflict.evidence)):
            by_sentence.setdefault(sentence, []).append(conflict)
    return by_sentence


def _conflicts_of(sentences: list[str], by_sentence: dict[str, list[Conflict]]) -> list[Conflict]:
    """The conflicts whose claim or evidence is one of ``sentences``, each once."""
    found = [conflict for sentence in dict.fromkeys(sentences) for conflict in by_sentence.get(sentence, [])]
    return list({id(conflict): conflict for conflict in found}.values())


def _mark(conflict: Conflict, cited_sentences: set[str]) -> DigestConflict:
    """The conflict seen from the digest sentence: the other side, and which side the sentence is on."""
    if conflict.claim in cited_sentences:
        return DigestConflict(conflict.kind, conflict.explanation, conflict.evidence, conflict.source, "claim")
    return DigestConflict(conflict.kind, conflict.explanation, conflict.claim, conflict.claim_article, "evidence")


def _to_digest_sentence(candidate: _Candidate) -> DigestSentence:
    cited_sentences = {c.sentence for c in candidate.citations}
    return DigestSentence(
        text=candidate.sentence.text,
        article_id=candidate.sentence.article_id,
        citations=candidate.citations,
        independent_sources=candidate.independent_sources,
        conflicts=_unique_marks([_mark(conflict, cited_sentences) for conflict in candidate.conflicts]),
    )


def _unique_marks(marks: list[DigestConflict]) -> list[DigestConflict]:
    """One mark per other side: the cross-check may list a pair once from each citing article."""
    unique: dict[tuple[str, str, str], DigestConflict] = {}
    for mark in marks:
        unique.setdefault((mark.kind, mark.other_sentence, mark.other_article_id), mark)
    return list(unique.values())


# --- step 6: standfirst --------------------------------------------------------------


def _lead_rows(story: _StoryText) -> list[int]:
    """Per article, its first sentence (among the first three) that reads on its own.

    A headline-only article's lead is its title; it stands first only when no
    article of the story has text, or the standfirst would repeat a headline.
    """
    leads: dict[str, int] = {}
    for sentence in story.sentences:
        if sentence.position < 3 and sentence.article_id not in leads and sentence.eligible \
                and not needs_context(sentence.source):
            leads[sentence.article_id] = sentence.row
    headline_only = {article.id for article in story.articles if article.is_title_only}
    with_text = [row for article_id, row in leads.items() if article_id not in headline_only]
    return sorted(with_text or leads.values())


def _standfirst(story: _StoryText) -> _Candidate | None:
    """The preferred lead (``_preference``), its support checked in batches, most relevant leads first.

    Support can add at most ``SUPPORT_BONUS * SUPPORT_BONUS_CAP`` to a lead's
    relevance, so once the best lead so far beats every remaining one even with
    that bonus the rest are not checked: the same choice, without checking the
    dozens of near-identical titles of a headline feed's story. (The 1e-6 margin
    covers the 9-digit rounding of ``_preference``.)
    """
    rows = sorted(_lead_rows(story), key=lambda row: (-float(story.relevance[row]), row))
    best: _Candidate | None = None
    for start in range(0, len(rows), STANDFIRST_BATCH):
        if best is not None and float(story.relevance[rows[start]]) + SUPPORT_BONUS * SUPPORT_BONUS_CAP \
                < best.relevance - 1e-6:
            break
        batch = _candidates(rows[start:start + STANDFIRST_BATCH], story)
        best = min(batch + ([best] if best else []), key=lambda c: _preference(c, story, c.relevance))
    return best


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


def _restates(candidate: _Candidate, taken: list[_Candidate], story: _StoryText) -> bool:
    """Whether the matcher says a taken sentence states one of the candidate's claims, or the candidate one of its.

    Two outlets' leads often tell the same event in different words: below
    the TF-IDF near-repeat threshold, yet one fact told twice.
    """
    support = story.support

    def key(c: _Candidate) -> tuple[str, str]:
        return c.sentence.article_id, c.sentence.source

    stated = support.partly_stated_by(*key(candidate))
    return any(key(t) in stated or key(candidate) in support.partly_stated_by(*key(t)) for t in taken)


def _body_relevance(candidate: _Candidate) -> float:
    penalty = CONTEXT_PENALTY if needs_context(candidate.sentence.source) else 0.0
    return candidate.relevance - penalty


def _mmr(pool: list[_Candidate], chosen: list[_Candidate], story: _StoryText, limit: int, threshold: float):
    """Greedy maximal marginal relevance; a near-repeat of a chosen sentence, or a restatement, is redundant."""
    if not pool:
        return []
    rows = [c.sentence.row for c in chosen + pool]
    similarity = (story.vectors[rows] @ story.vectors[rows].T).toarray()
    chosen_idx = list(range(len(chosen)))
    remaining = [idx for idx in range(len(chosen), len(rows)) if not _restates(pool[idx - len(chosen)], chosen, story)]
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
        remaining = [idx for idx in remaining if idx != best and not _restates(pool[idx - len(chosen)], body[-1:], story)]
    return body


def _lead_body(story: _StoryText, standfirst: _Candidate | None, limit: int, threshold: float):
    """A one-source story: the standfirst's article's sentences in their own order, minus repeats."""
    first_id = standfirst.sentence.article_id if standfirst else story.articles[0].id
    rows = [s.row for s in story.sentences if s.article_id == first_id and s.eligible
            and (standfirst is None or s.row != standfirst.sentence.row)]
    in_order = _candidates(rows, story)
    chosen = [standfirst] if standfirst else []
    return _in_order_without_repeats(in_order, chosen, story, limit, threshold)


def _in_order_without_repeats(pool: list[_Candidate], chosen: list[_Candidate], story: _StoryText, limit: int, threshold: float):
    """Take ``pool`` in order, skipping a near-repeat or a restatement of a sentence already taken.

    The cosines come from one product over all the rows involved: each is summed over the same
    terms in the same order as a product of the two rows alone, so it is the same number.
    """
    if not pool:
        return []
    rows = [c.sentence.row for c in chosen + pool]
    similarity = (story.vectors[rows] @ story.vectors[rows].T).toarray()
    taken = list(range(len(chosen)))  # indexes into ``rows``
    body: list[_Candidate] = []
    for index, candidate in enumerate(pool, start=len(chosen)):
        if taken:
            if similarity[index, taken].max() >= threshold or _restates(candidate, chosen + body, story):
                continue
        body.append(candidate)
        taken.append(index)
        if len(body) == limit:
            break
    return body


# --- the stage -----------------------------------------------------------------------


def build_digest(story_id: str, articles: list[Article], copy_of: dict[str, str], settings, *,
                 max_articles: int = 40, crosscheck: StoryCheck | None = None,
                 semantic: Similarity | None = None) -> Digest:
    """Headline, standfirst and up to ``settings.digest_sentences`` cited body sentences for one story.

    ``crosscheck`` is the story's cross-check, when it has one: its conflicts
    mark (and demote) the digest sentences they involve. ``semantic`` is the
    sentence-cosine function the cross-check aligned with, if any
    (``crosscheck.semantic_alignment``), so that both state the same agreements.
    """
    if not articles:
        return Digest(story_id=story_id, headline="", headline_article_id="", standfirst=None, body=[])
    threshold = settings.citation_threshold
    limit = settings.digest_sentences
    support = story_support(articles, copy_of, semantic)
    chosen = _choose_articles(articles, copy_of, max_articles)
    story = _story_text(chosen, copy_of, _source_keys(articles, copy_of), support, _conflicts_by_sentence(crosscheck))
    standfirst = _standfirst(story)
    headline, headline_article_id = _headline(story, standfirst)
    if len(set(story.source_key.values())) == 1:
        body = _lead_body(story, standfirst, limit, threshold)
    else:
        exclude_row = standfirst.sentence.row if standfirst else None
        pool_rows = _body_pool(story, exclude_row, max(POOL_PER_SENTENCE * limit, POOL_MIN), threshold)
        pool = _candidates(pool_rows, story)
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
