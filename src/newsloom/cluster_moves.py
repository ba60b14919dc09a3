"""The revisit of a story, step 6 of ``cluster.py``: the moves it makes (``StoryClusterer`` inherits them).

When a story of body articles reaches one of the ``REVISIT_AT`` sizes
(``cluster_revisit.py``), its kept articles are re-examined:

1. Split: when they form two groups that disagree (``find_split``), the
   group without the founder moves to a new story and both profiles are
   rebuilt from their articles.
2. Absorb (when there was no split): a single pass leaves an article alone
   when the story it belongs with was still small, or not yet there: its
   score against that story's one or two articles stayed below the
   threshold. Now that the story has grown, each small neighbour (at most
   ``ABSORB_MAX`` articles, all kept, found under the story's index keys,
   within the window) is taken in when every one of its articles now clears
   ``cluster_threshold`` against the story (the online score: penalties and
   time factor included), the story is the best-scoring open story for each
   of them, and each names at least one of the story's own names or places
   (an article with no name or place of the story's has nothing to confirm
   it by). The emptied story keeps its id with an empty profile: it is never
   a candidate again, and its saved state says so.
3. Linked absorb: below the first revisit size, each join runs step 2 over
   the small stories the joining article came near (``LINK_SHARE`` of the
   threshold; ``cluster.py`` passes them), whose articles must also be close
   in words to the story's articles on average (``close_in_words``;
   ``mean_member_words`` in the evidence). No posting is read: the
   candidates were already scored for the article.
4. Pull (after step 3): from each linked story of two or more articles
   (below the first revisit size, all kept), one article moves to the story
   when it clears the threshold against it, is close in words to its
   articles (``close_in_words``), scores ``PULL_MARGIN`` more against it
   than against its own story's other articles (``own_story_score`` in the
   evidence), the story is its best home and it names one of the story's
   names or places (as in step 2). An early wrong join is undone this way
   once the article's own event has a story of its own. A story's founder,
   which names it, stays; its story is rebuilt from the articles left.

Each moved article's new assignment, with its evidence (``revisit``:
``split``, ``absorbed`` or ``pulled``, ``moved_from``, the split's
discriminators or the absorbing score's parts), waits in ``take_moves`` for
the caller to store. Cost: at revisit sizes, and at joins below the first
one, only for stories of body articles (a headline-only story keeps no
articles and is never revisited); an absorb at a revisit size reads at most
``POSTING_SCAN`` stories per index key of the story, and scores only the
small ones among them; steps 3 and 4 score only the small stories the
article came near (on undated NeuS val, 15% more time per article).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from newsloom.cluster_revisit import ABSORB_MAX, FIRST_REVISIT, PULL_MARGIN, absorbs, close_in_words, find_split
from newsloom.cluster_scores import member_words, score_evidence
from newsloom.cluster_story import _Story
from newsloom.models import StoryAssignment, stable_id

if TYPE_CHECKING:  # the types only: cluster.py imports this module
    from newsloom.cluster_story import _Query


class StoryMoves:
    """The revisit of ``StoryClusterer`` (a mixin: it uses the clusterer's stories, index and scores)."""

    def _revisit(self, story: _Story, assignment: StoryAssignment) -> StoryAssignment:
        """Split ``story`` when its articles form two disagreeing groups, else absorb its small neighbours;
        the moved articles' new assignments wait in ``take_moves`` (the current article's own is returned)."""
        members = story.members
        if not members or len(members) != story.articles:
            return assignment
        settings = self.settings
        weights = (settings.cluster_term_weight, settings.cluster_title_weight, settings.cluster_entity_weight)
        split = find_split(members, weights, settings.cluster_split_threshold)
        if split is None:
            self._absorb(story)
            return assignment
        moved = [members[i] for i in split.moved]
        new_id = stable_id("story", moved[0].article_id)
        self._rebuild(story.story_id, story.founder_id, [members[i] for i in split.kept])
        self._rebuild(new_id, moved[0].article_id, moved)
        reason = {"revisit": "split", "moved_from": story.story_id, **split.evidence}
        for position, query in enumerate(moved):
            move = StoryAssignment(query.article_id, new_id, reason["cross_similarity"], position == 0, dict(reason))
            if query.article_id == assignment.article_id:
                assignment = StoryAssignment(assignment.article_id, new_id, assignment.score, False,
                                             {**assignment.matched, **reason})
            else:
                self._moves.append(move)
        return assignment

    def _rebuild(self, story_id: str, founder_id: str, members: list[_Query]) -> None:
        """Replace a story's profile by one built from ``members`` (in arrival order)."""
        old = self._stories.get(story_id)
        if old is not None:
            self._reindex(story_id, old.index_keys(), set(), set())
            self._vectors.remove(story_id)
        story = self._new_story(story_id, founder_id, members[0].published_at)
        for query in members:
            self._accumulate(story, query)
        story.last_arrival = self._arrivals
        self._reindex(story_id, set(), story.index_keys(), set())
        if story.vector_sum is not None:
            self._vectors.put(story_id, story.vector_sum, story.first_at, story.last_at)
        self._dirty_stories[story_id] = None

    def _absorb(self, story: _Story, linked: list[str] | None = None) -> None:
        """Take in each small neighbour whose articles all now belong with ``story`` (module docstring);
        ``linked``: below the first revisit size, the stories the joining article came near, which must also be
        close in words to the story's articles (``close_in_words``), and from which single articles may move
        (``_pull``)."""
        if linked is not None and not (story.members and len(story.members) == story.articles):
            return  # a story restored after a restart, or one with headlines: no articles to compare with
        for small in self._small_neighbours(story) if linked is None else self._linked_stories(linked, ABSORB_MAX):
            scores = [self._score(query, story) for query in small.members]
            if not absorbs(scores, self.settings.cluster_threshold):
                continue
            words = [member_words(query, story) for query in small.members] if linked is not None else []
            if (linked is not None and not close_in_words(words)) or not self._best_home(small, story):
                continue
            reason = {"revisit": "absorbed", "moved_from": small.story_id}
            if words:
                reason["mean_member_words"] = round(min(words), 4)
            self._take_in(story, small.members, scores, reason)
            self._reindex(small.story_id, small.index_keys(), set(), set())  # emptied: never a candidate again
            self._vectors.remove(small.story_id)
            emptied = self._new_story(small.story_id, small.founder_id, small.first_at)
            emptied.last_at, emptied.members = small.last_at, None
            self._dirty_stories[small.story_id] = None
        if linked is not None:
            self._pull(story, linked)

    def _pull(self, story: _Story, linked: list[str]) -> None:
        """Move to ``story`` one article (not the founder) of each linked story of two or more articles (below the
        first revisit size) that now belongs with it more than with its own story's other articles (module
        docstring, step 4)."""
        threshold = self.settings.cluster_threshold
        for other in self._linked_stories(linked, FIRST_REVISIT - 1, least=2):
            for query in other.members:
                if query.article_id == other.founder_id:
                    continue  # the story is named after its founder, which stays
                score = self._score(query, story)
                if score < threshold or not close_in_words([words := member_words(query, story)]):
                    continue
                own = self._score(query, self._profile([m for m in other.members if m is not query]))
                if score <= own + PULL_MARGIN or not self._best_home_of(query, other.story_id, story):
                    continue
                self._rebuild(other.story_id, other.founder_id, [m for m in other.members if m is not query])
                reason = {"revisit": "pulled", "moved_from": other.story_id, "mean_member_words": round(words, 4),
                          "own_story_score": round(own, 4)}
                self._take_in(story, [query], [score], reason)
                break  # its story was rebuilt: one article per linked story and join

    def _take_in(self, story: _Story, queries: list[_Query], scores: list[float], reason: dict) -> None:
        """Add ``queries`` (moved from another story) to ``story`` and record their moves with the evidence."""
        self._moves += [StoryAssignment(query.article_id, story.story_id, round(score, 4), False,
                                        {**score_evidence(query, story, score, self._words(query, story)), **reason})
                        for query, score in zip(queries, scores)]
        old_keys = story.index_keys()
        for query in queries:
            self._accumulate(story, query)
        self._reindex(story.story_id, old_keys, story.index_keys(), set())
        if story.vector_sum is not None:
            self._vectors.put(story.story_id, story.vector_sum, story.first_at, story.last_at)
        self._dirty_stories[story.story_id] = None

    def _profile(self, members: list[_Query]) -> _Story:
        """A story profile of ``members`` alone, kept nowhere (what an article's own story is without it)."""
        profile = _Story("", "", members[0].published_at, members[0].published_at, members=[])
        for query in members:
            self._accumulate(profile, query)
        return profile

    def _best_home(self, small: _Story, story: _Story) -> bool:
        """Whether ``story`` is the best-scoring open story (other than its own) for each of ``small``'s
        articles, and each names one of the story's own names or places."""
        return all(self._best_home_of(query, small.story_id, story) for query in small.members)

    def _best_home_of(self, query: _Query, own_id: str, story: _Story) -> bool:
        """Whether ``story`` is the best-scoring open story for ``query`` other than its own story ``own_id``,
        and the article names one of the story's own names or places."""
        others = sorted(set(self._candidates(query)) - {own_id})
        best = max(others, key=lambda other_id: self._score(query, self._stories[other_id]), default=None)
        return best == story.story_id and not (query.names.isdisjoint(story.signature_names)
                                               and query.places.isdisjoint(story.dominant_places))

    def _linked_stories(self, linked: list[str], most: int, least: int = 1) -> list[_Story]:
        """The stories of ``linked`` (open candidates) of ``least`` to ``most`` articles, all kept."""
        found = [story for story in (self._stories[story_id] for story_id in sorted(linked))
                 if least <= story.articles <= most]
        for other in found:
            self._ensure_members(other)  # a story restored after a restart: its articles from the store
        return [other for other in found if other.members and len(other.members) == other.articles]

    def _small_neighbours(self, story: _Story) -> list[_Story]:
        """Open stories of at most ``ABSORB_MAX`` articles, all kept (body articles), found under the story's
        index keys (the newest ``POSTING_SCAN`` of each posting); the most keys shared first."""
        from newsloom.cluster import POSTING_SCAN

        earliest, latest = story.first_at - self._window, story.last_at + self._window
        hits: dict[str, int] = {}
        for key in sorted(story.index_keys()):
            for scanned, other_id in enumerate(reversed(self._index.get(key, {}))):
                if scanned >= POSTING_SCAN:
                    break
                hits[other_id] = hits.get(other_id, 0) + 1
        small = [self._stories[other_id] for other_id in sorted(hits) if other_id != story.story_id]
        small = [other for other in small
                 if 0 < other.articles <= ABSORB_MAX and other.last_at >= earliest and other.first_at <= latest]
        for other in small:
            self._ensure_members(other)  # a story restored after a restart: its articles from the store
        small = [other for other in small if other.members and len(other.members) == other.articles]
        return heapq.nlargest(self.settings.cluster_max_candidates, small, key=lambda other: hits[other.story_id])

    def take_moves(self) -> list[StoryAssignment]:
        """Assignments of earlier articles that a revisit moved to another story, since the last call.

        The caller stores each (it replaces the article's assignment; its
        ``matched`` says why: ``revisit``, ``moved_from`` and the evidence) and
        recounts both stories.
        """
        moves, self._moves = self._moves, []
        return moves
