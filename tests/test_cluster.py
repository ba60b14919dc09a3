"""Online story clustering: events apart, wording variants together, evidence kept, cost flat."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from newsloom.cluster import StoryClusterer, featurize, keys_not_spelled_by
from newsloom.models import Article, stable_id
from newsloom.settings import from_env

T0 = datetime(2031, 3, 4, 8, 0, tzinfo=timezone.utc)

# Fiction written for newsloom's tests.
STORM_PORTUGAL_1 = (
    "Storm Helka floods Faro as Portugal counts damage",
    "Storm Helka brought flooding to Faro on Tuesday. Portugal's civil protection agency said rivers burst "
    "their banks near Faro and that fishermen were missing. Ana Lobo, the mayor of Faro, asked residents to stay home.",
)
STORM_PORTUGAL_2 = (
    "Faro mayor Ana Lobo says flood waters are receding after Helka",
    "Rescuers in Faro found two missing fishermen alive on Wednesday, mayor Ana Lobo said, as the waters "
    "left by Storm Helka began to recede across the Algarve coast of Portugal.",
)
STORM_PHILIPPINES = (
    "Typhoon Marisol floods Cebu as Philippines counts damage",
    "Typhoon Marisol brought flooding to Cebu on Wednesday. The Philippines disaster agency said rivers burst "
    "their banks near Cebu and that fishermen were missing. Governor Dario Quimpo asked residents to stay home.",
)
QUAKE_CHILE = (
    "Earthquake shakes Valparaiso, Chile; buildings damaged",
    "A strong earthquake struck near Valparaiso on Monday, damaging buildings and cutting power across "
    "central Chile, the national seismology office said.",
)
UNRELATED_TOPICS = ["budget", "election", "football", "vaccine", "tariff", "festival", "museum", "rocket", "strike", "harvest"]


def make_article(key: str, title: str, text: str, at: datetime | None) -> Article:
    return Article(id=key, raw_id=key, title=title, text=text, published_at=at, ingested_at=T0)


def assign_all(clusterer: StoryClusterer, items: list[tuple[str, tuple[str, str], datetime]]) -> list:
    assignments = []
    for key, (title, text), at in items:
        article = make_article(key, title, text, at)
        assignments.append(clusterer.assign(article, featurize(article)))
    return assignments


def new_clusterer(**overrides) -> StoryClusterer:
    return StoryClusterer(from_env({}, **overrides))


def test_first_article_founds_a_story_with_a_stable_id():
    [assignment] = assign_all(new_clusterer(), [("a1", STORM_PORTUGAL_1, T0)])
    assert assignment.new_story is True
    assert assignment.story_id == stable_id("story", "a1")
    assert assignment.score == 1.0


def test_same_event_with_different_wording_joins_one_story():
    first, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=20)),
    ])
    assert second.new_story is False
    assert second.story_id == first.story_id


def test_two_storms_in_different_countries_stay_two_stories():
    first, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0 + timedelta(days=1)),
    ])
    assert second.new_story is True
    assert second.story_id != first.story_id


def test_place_conflict_is_recorded_when_a_same_kind_event_is_elsewhere():
    clusterer = new_clusterer(cluster_threshold=-1.0)  # force a join to see the evidence
    _, second = assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0)])
    assert second.matched["place_conflict"] == ["Cebu City", "Philippines"]  # the gazetteer's name


def test_assignment_keeps_matched_features_as_evidence():
    _, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=5)),
    ])
    assert second.matched["entities"]["places"] == ["Faro", "Portugal"]
    assert second.matched["time_gap_hours"] == 5.0
    assert second.matched["place_conflict"] == []
    assert second.matched["terms"] > 0.2
    assert second.matched["candidates"] == 1
    assert second.score >= from_env({}).cluster_threshold


def test_article_after_the_window_starts_a_new_story():
    window = from_env({}).cluster_window_days
    first, late = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(days=window + 1)),
    ])
    assert late.new_story is True
    assert late.matched == {"candidates": 0}


def test_new_story_records_the_best_rejected_candidate():
    first, other = assign_all(new_clusterer(), [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0)])
    assert other.new_story is True
    assert other.matched["best_candidate"]["story_id"] == first.story_id
    assert other.matched["best_candidate"]["score"] < from_env({}).cluster_threshold


def test_a_refused_loose_join_is_recorded_on_the_new_story(monkeypatch):
    import newsloom.cluster as cluster

    first, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=20))])
    assert second.new_story is False and "refused" not in second.matched
    monkeypatch.setattr(cluster, "loose_join", lambda query, story, entity: True)  # as if far from its articles
    first, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=20))])
    assert second.new_story is True
    best = second.matched["best_candidate"]
    assert best["story_id"] == first.story_id and best["score"] < from_env({}).cluster_threshold
    assert best["refused"]["rule"] == "loose_join"
    assert best["refused"]["score"] >= from_env({}).cluster_threshold
    assert 0 < best["refused"]["mean_member_words"] < 1
    assert "too_common_to_pin" not in best["refused"]  # its places are the story's own, not the stream's
    # As if every article of the stream named the storm's places: the refusal says which shared ones did not pin.
    monkeypatch.setattr(cluster, "common_pins", lambda keys, frequency, documents: frozenset(
        key for key in keys if key[0] == "l"))
    first, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=20))])
    shared_places = second.matched["best_candidate"]["refused"]["too_common_to_pin"]
    assert shared_places and all(name in STORM_PORTUGAL_1[1] + STORM_PORTUGAL_2[1] for name in shared_places)


def test_title_only_articles_cluster_by_headline():
    clusterer = new_clusterer()
    items = [
        ("h1", ("Storm Helka floods Faro in southern Portugal", ""), T0),
        ("h2", ("Typhoon Marisol floods Cebu in the Philippines", ""), T0 + timedelta(minutes=10)),
        ("h3", ("Faro floods: Storm Helka leaves Portugal town under water", ""), T0 + timedelta(hours=2)),
        ("h4", ("Cebu floods as Typhoon Marisol hits the Philippines", ""), T0 + timedelta(hours=3)),
    ]
    h1, h2, h3, h4 = assign_all(clusterer, items)
    assert h3.story_id == h1.story_id
    assert h4.story_id == h2.story_id
    assert h1.story_id != h2.story_id


def test_missing_published_at_falls_back_to_ingested_at():
    article = make_article("a1", *STORM_PORTUGAL_1, at=None)
    assert featurize(article).published_at == T0


def test_same_input_in_same_order_gives_same_stories():
    items = [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0), ("a3", STORM_PORTUGAL_2, T0),
             ("a4", QUAKE_CHILE, T0)]
    runs = [[(a.story_id, a.score, a.matched) for a in assign_all(new_clusterer(), items)] for _ in range(2)]
    assert runs[0] == runs[1]


def test_force_join_puts_a_repost_in_its_originals_story():
    clusterer = new_clusterer()
    [original] = assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0)])
    repost = make_article("a2", *QUAKE_CHILE, at=T0)
    joined = clusterer.join(repost, featurize(repost), original.story_id, {"repost_of": "a1"})
    assert (joined.story_id, joined.score, joined.new_story, joined.matched) == (
        original.story_id, 1.0, False, {"repost_of": "a1"})


def unrelated_story_items(count: int) -> list:
    items = []
    for i in range(count):
        topic = UNRELATED_TOPICS[i % len(UNRELATED_TOPICS)]
        title = f"Council {i} debates {topic} plan number{i} in district{i}"
        items.append((f"u{i}", (title, f"Officials of council{i} discussed the {topic} plan{i}."), T0))
    return items


def test_candidates_scored_stay_bounded_with_thousands_of_stories():
    clusterer = new_clusterer(cluster_threshold=2.0)  # every article founds a story
    assign_all(clusterer, unrelated_story_items(2000))
    assert clusterer.story_count == 2000
    [probe] = assign_all(clusterer, [("p1", ("Council debates budget plan", "The budget plan was debated."), T0)])
    assert probe.matched["candidates"] == clusterer.last_candidates_scored
    assert clusterer.last_candidates_scored <= from_env({}).cluster_max_candidates


def test_evict_before_drops_idle_stories():
    clusterer = new_clusterer(late_arrival_memory=0)
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0), ("a2", QUAKE_CHILE, T0 + timedelta(days=3))])
    assert clusterer.evict_before(T0 + timedelta(days=1)) == 1
    assert clusterer.story_count == 1


def test_state_round_trip_gives_the_same_next_assignment():
    history = [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0 + timedelta(hours=1)),
               ("a3", QUAKE_CHILE, T0 + timedelta(hours=2))]
    original = new_clusterer()
    assign_all(original, history)
    restored = new_clusterer()
    restored.load_story_state([(story_id, state) for story_id, _, state in original.dirty_stories()])
    restored.load_document_frequencies(*original.document_frequencies())
    next_item = [("a4", STORM_PORTUGAL_2, T0 + timedelta(hours=6))]
    expected, got = assign_all(original, next_item)[0], assign_all(restored, next_item)[0]
    assert (got.story_id, got.score, got.matched) == (expected.story_id, expected.score, expected.matched)
    assert got.story_id == stable_id("story", "a1")


def test_dirty_stories_lists_only_changes_since_the_last_call():
    clusterer = new_clusterer()
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0), ("a2", QUAKE_CHILE, T0)])
    assert len(clusterer.dirty_stories()) == 2
    assign_all(clusterer, [("a3", STORM_PORTUGAL_2, T0 + timedelta(hours=1))])
    [(story_id, last_active, _)] = clusterer.dirty_stories()
    assert (story_id, last_active) == (stable_id("story", "a1"), T0 + timedelta(hours=1))
    assert clusterer.dirty_stories() == []


def test_document_frequencies_are_incremental():
    clusterer = new_clusterer()
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0)])
    documents, first = clusterer.document_frequencies()
    assert documents == 1 and first["faro"] == 1
    assign_all(clusterer, [("a2", QUAKE_CHILE, T0)])
    documents, changed = clusterer.document_frequencies()
    assert documents == 2
    assert "faro" not in changed and changed["earthquake"] == 1


def test_a_body_article_weighs_a_young_stream_s_words_as_if_more_documents_had_been_seen():
    import math

    from newsloom.cluster import IDF_PRIOR_DOCUMENTS

    clusterer = new_clusterer()
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0)])
    assert clusterer._idf("faro") == 1.0  # in every article of a two-article stream: as common as can be
    assert clusterer._body_idf("faro") == math.log((3 + IDF_PRIOR_DOCUMENTS) / 3) + 1.0 > 1.5
    assert clusterer._body_idf("never-seen") > clusterer._body_idf("faro")
    article = make_article("a3", *STORM_PORTUGAL_1, T0)
    body = clusterer._query(featurize(article), article, count=False)
    headline = make_article("h1", STORM_PORTUGAL_1[0], "", T0)
    title_only = clusterer._query(featurize(headline), headline, count=False)
    # "faro" against the storm's own rarer words: a body article gives it more weight than a headline does
    body_ratio = body.title_vector["faro"] / body.title_vector["count"]
    assert body_ratio > title_only.title_vector["faro"] / title_only.title_vector["count"]


def test_undated_article_is_not_penalised_for_time_and_keeps_the_story_span():
    clusterer = new_clusterer()
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0)])
    undated = Article(id="a2", raw_id="a2", title=STORM_PORTUGAL_2[0], text=STORM_PORTUGAL_2[1],
                      published_at=None, ingested_at=T0 + timedelta(days=200))
    assignment = clusterer.assign(undated, featurize(undated))
    assert assignment.story_id == stable_id("story", "a1")
    assert assignment.matched["time_gap_hours"] is None
    [(_, last_active, _)] = clusterer.dirty_stories()
    assert last_active == T0


def test_headline_only_article_is_compared_with_headlines():
    clusterer = new_clusterer()
    assign_all(clusterer, [("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PHILIPPINES, T0)])
    [headline] = assign_all(clusterer, [("h1", ("Storm Helka: Faro floods leave Portugal counting damage", ""), T0 + timedelta(hours=2))])
    assert headline.story_id == stable_id("story", "a1")
    assert headline.matched["title"] > headline.matched["terms"]


def test_full_article_joins_a_story_founded_by_a_headline():
    clusterer = new_clusterer()
    assign_all(clusterer, [("h1", ("Storm Helka floods Faro as Portugal counts damage", ""), T0)])
    [full] = assign_all(clusterer, [("a1", STORM_PORTUGAL_2, T0 + timedelta(hours=3))])
    assert full.story_id == stable_id("story", "h1")


# Two title defences of one champion: the shared name, the challenger and the year differ.
FIGHT_2008 = (
    "Champion Marek Wolski stops Dario Fenn in the seventh round",
    "Marek Wolski retained his heavyweight belt in 2008, stopping challenger Dario Fenn in the seventh round "
    "before a sold-out arena. Fenn was down twice.",
)
FIGHT_2008_AGAIN = (
    "Wolski too strong for Fenn",
    "Marek Wolski kept his heavyweight title in 2008 with a seventh-round stoppage of Dario Fenn, "
    "who went down twice before the referee stepped in.",
)
FIGHT_2012 = (
    "Brill no match for champion Marek Wolski",
    "In Oslo in 2012 Marek Wolski beat Tomas Brill, a late substitute, on a cut in round six. "
    "Brill had asked for the rematch after losing on points in 2010.",
)


def test_signature_conflict_is_recorded_when_the_year_differs_and_not_for_the_same_fight():
    clusterer = new_clusterer(cluster_threshold=-1.0)  # force joins to see the evidence
    _, same, other = assign_all(clusterer, [("f1", FIGHT_2008, T0), ("f2", FIGHT_2008_AGAIN, T0),
                                            ("f3", FIGHT_2012, T0)])
    assert same.matched["signature_conflict"] == []
    assert "years" in other.matched["signature_conflict"]
    assert same.matched["entities"]["names"] == ["Dario Fenn", "Marek Wolski"]


def test_each_conflicting_signature_slot_costs_the_penalty():
    items = [("f1", FIGHT_2008, T0), ("f2", FIGHT_2008_AGAIN, T0), ("f3", FIGHT_2012, T0)]
    *_, lenient = assign_all(new_clusterer(cluster_threshold=-1.0, cluster_signature_conflict_penalty=0.0), items)
    *_, strict = assign_all(new_clusterer(cluster_threshold=-1.0, cluster_signature_conflict_penalty=0.2), items)
    assert strict.matched["signature_conflict"] == ["years"]
    assert round(lenient.score - strict.score, 4) == 0.2


# The mayor of the Portugal storm story, reported elsewhere: a place conflict, but her names are the story's.
LOBO_IN_CEBU = (
    "Ana Lobo flies to Cebu with rescue boats",
    "Ana Lobo, who led the rescue of the missing fishermen after Storm Helka, flew to Cebu on Thursday with "
    "two rescue boats for the Philippines.",
)


def test_a_place_conflict_costs_in_full_without_shared_names_and_less_with_them():
    from newsloom.cluster_scores import CONFLICT_NAMES_CANCEL, conflict_share

    assert conflict_share(0.0) == 1.0 and conflict_share(CONFLICT_NAMES_CANCEL) == 0.0 == conflict_share(1.0)
    assert 0.0 < conflict_share(CONFLICT_NAMES_CANCEL / 2) < 1.0
    costs = {}
    for name, article in (("storm", STORM_PHILIPPINES), ("mayor", LOBO_IN_CEBU)):
        scores = []
        for penalty in (0.0, 0.15):
            _, second = assign_all(new_clusterer(cluster_threshold=-1.0, cluster_place_conflict_penalty=penalty),
                                   [("a1", STORM_PORTUGAL_1, T0), ("a2", article, T0)])
            assert second.matched["place_conflict"]  # the evidence says so either way
            scores.append(second.score)
        costs[name] = (round(scores[0] - scores[1], 4), second.matched)
    assert costs["storm"][0] == 0.15 and costs["storm"][1]["conflict_share"] == 1.0  # another storm: in full
    mayor_cost, mayor = costs["mayor"]
    assert mayor["entities"]["names"] and mayor["conflict_share"] < 1.0
    assert mayor_cost == round(0.15 * mayor["conflict_share"], 4) < 0.15


# A headline story about one event of a company, and headlines about the company only.
RECALL_HEADLINES = [
    "Battery fires: Zentrex recalls Volta scooters",
    "Recall of Volta scooters by Zentrex spreads after battery fires",
    "Owners told to park Volta scooters as Zentrex widens battery recall",
    "Battery fires force Zentrex to recall 40,000 Volta scooters",
    "What the Zentrex recall means for owners of Volta scooters",
    "Regulators question Zentrex over Volta battery fires",
]
SAME_COMPANY_OTHER_NEWS = [
    "Engineers at Zentrex open an office in Lyon",
    "Investors cheer as Zentrex shares jump",
    "Former rival executive joins Zentrex as design chief",
]


def _recall_story() -> StoryClusterer:
    clusterer = new_clusterer()
    items = [(f"r{i}", (title, ""), T0 + timedelta(hours=i)) for i, title in enumerate(RECALL_HEADLINES)]
    assert len({a.story_id for a in assign_all(clusterer, items)}) == 1
    return clusterer


def test_headline_sharing_only_the_company_name_starts_its_own_story():
    for i, title in enumerate(SAME_COMPANY_OTHER_NEWS):
        clusterer = _recall_story()
        [other] = assign_all(clusterer, [(f"o{i}", (title, ""), T0 + timedelta(hours=8))])
        assert other.new_story, title
        assert other.matched["best_candidate"]["story_id"] == stable_id("story", "r0")


def test_in_a_long_stream_a_headline_sharing_only_the_company_name_still_starts_its_own_story():
    # Forty headlines on other subjects first: the company's name is now rare in the stream, so it weighs
    # much more than it does at the start. Counted once (as its word, not again as its entity key), it is
    # still too little to make another piece of company news part of the recall story.
    subjects = ["Harbour", "Vineyard", "Glacier", "Orchestra", "Marathon", "Library", "Volcano", "Bridge", "Museum", "Festival"]
    verbs = ["reopens after repairs", "draws record crowds", "faces budget cuts", "wins national award"]
    earlier = [f"{subject} in town {k} {verb}" for k, subject in enumerate(subjects) for verb in verbs]
    for i, title in enumerate(SAME_COMPANY_OTHER_NEWS):
        clusterer = new_clusterer()
        assign_all(clusterer, [(f"w{j}", (t, ""), T0 - timedelta(hours=40 - j)) for j, t in enumerate(earlier)])
        recall = assign_all(clusterer, [(f"r{j}", (t, ""), T0 + timedelta(hours=j)) for j, t in enumerate(RECALL_HEADLINES)])
        assert len({a.story_id for a in recall}) == 1
        [other] = assign_all(clusterer, [(f"o{i}", (title, ""), T0 + timedelta(hours=8))])
        assert other.new_story, (title, other.score)
        [same] = assign_all(clusterer, [(f"s{i}", ("Zentrex widens Volta scooter battery recall", ""), T0 + timedelta(hours=9))])
        assert same.story_id == stable_id("story", "r0")


def test_a_headline_entity_key_counts_only_when_its_words_are_not_in_the_title():
    keys = {"m:zentrex": "Zentrex", "l:north korea": "North Korea", "c:kp": "KP", "p:lobo": "Ana Lobo"}
    assert keys_not_spelled_by(keys, {"zentrex": 1.0, "north": 1.0, "korea": 1.0, "missile": 1.0}) == ["c:kp", "p:lobo"]


def test_headline_sharing_the_event_words_joins_and_records_its_group_average():
    clusterer = _recall_story()
    [more] = assign_all(clusterer, [("m1", ("Volta scooter owners wait as Zentrex battery recall drags on", ""),
                                        T0 + timedelta(hours=8))])
    assert more.story_id == stable_id("story", "r0")
    assert 0 < more.matched["headlines"] <= 1


def test_recent_headlines_weigh_more_than_old_ones():
    clusterer = _recall_story()
    story = clusterer._stories[stable_id("story", "r0")]
    mass = story.headline_mass
    assert len(RECALL_HEADLINES) - 1 < mass < len(RECALL_HEADLINES)  # the first five have decayed a little
    assign_all(clusterer, [("late", ("Zentrex widens Volta scooter recall after battery fires", ""), T0 + timedelta(days=4))])
    assert story.headline_mass < 1 + mass / 2  # after two half-lives the old ones weigh a quarter


def test_headline_profile_survives_a_restart():
    clusterer = _recall_story()
    restarted = new_clusterer()
    restarted.load_document_frequencies(*clusterer.document_frequencies())
    restarted.load_story_state([(sid, state) for sid, _, state in clusterer.dirty_stories()])
    item = [("m1", ("Volta scooter owners wait as Zentrex battery recall drags on", ""), T0 + timedelta(hours=8))]
    assert assign_all(restarted, item)[0].matched == assign_all(clusterer, item)[0].matched


# -- revisiting: a story whose articles form two disagreeing groups is split ------

# Fiction: two title defences by one champion, years apart, in two cities against two challengers.
DEFENCE_ORSK = [
    ("Varga stops Petrakis in Orsk", "Champion Tomas Varga stopped challenger Dimitri Petrakis in the seventh round "
     "in Orsk in 2019. Petrakis was cut early and the referee waved it off."),
    ("Petrakis cut as Varga keeps belt", "Dimitri Petrakis bled from the eyebrow as Tomas Varga kept his belt in Orsk, "
     "a stoppage fans there saw coming in 2019."),
    ("Orsk crowd cheers Varga", "Fans in Orsk cheered Tomas Varga after the referee stopped the bout with Dimitri "
     "Petrakis, who was cut by a jab, in 2019."),
]
DEFENCE_LYNDALE = [
    ("Varga outpoints Okafor", "Tomas Varga beat Samuel Okafor on points in Lyndale in 2024 after twelve close rounds "
     "judged by three officials."),
    ("Okafor loses decision", "Samuel Okafor lost a split decision to Tomas Varga at Lyndale in 2024; the judges "
     "scored it narrowly after twelve rounds."),
    ("Judges favour Varga", "Twelve rounds in Lyndale ended with judges favouring Tomas Varga over Samuel Okafor, "
     "the 2024 decision booed loudly."),
]


def test_revisit_splits_a_story_of_two_events_and_records_the_moves_with_their_evidence():
    clusterer = new_clusterer(cluster_threshold=-5.0)  # every article joins: the single pass merges both events
    items = DEFENCE_ORSK + DEFENCE_LYNDALE
    stories = {}
    for n, (title, text) in enumerate(items):
        article = make_article(f"b{n}", title, text, T0 + timedelta(hours=n))
        stories[article.id] = clusterer.assign(article, featurize(article)).story_id
        moves = clusterer.take_moves()
        for move in moves:
            stories[move.article_id] = move.story_id
    assert stories["b0"] == stories["b1"] == stories["b2"] == stable_id("story", "b0")
    assert stories["b3"] == stories["b4"] == stories["b5"] == stable_id("story", "b3")
    assert [m.article_id for m in moves] == ["b3", "b4"]  # b5 itself was returned by assign, already moved
    evidence = moves[0].matched
    assert evidence["revisit"] == "split" and evidence["moved_from"] == stable_id("story", "b0")
    assert "Dimitri Petrakis" in evidence["kept_discriminators"]["names"]
    assert "Samuel Okafor" in evidence["moved_discriminators"]["names"]
    assert evidence["kept_discriminators"]["years"] == ["2019"] and evidence["moved_discriminators"]["years"] == ["2024"]
    from newsloom.cluster_revisit import SLOTS_FACTOR

    # two events that share the champion's name and the sport's words: they disagree in two slots, the year one
    assert evidence["cross_similarity"] < clusterer.settings.cluster_split_threshold * SLOTS_FACTOR
    assert "years" in evidence["conflicting_slots"] and len(evidence["conflicting_slots"]) >= 2
    assert clusterer.story_count == 2


def test_split_stories_take_their_own_later_articles():
    clusterer = new_clusterer(cluster_threshold=-5.0)
    for n, (title, text) in enumerate(DEFENCE_ORSK + DEFENCE_LYNDALE):
        clusterer.assign(make_article(f"b{n}", title, text, T0), featurize(make_article(f"b{n}", title, text, T0)))
    clusterer.settings = from_env({})  # back to the default threshold for the next articles
    late = make_article("late", "Okafor wants rematch", "Samuel Okafor asked for a rematch with Tomas Varga after "
                        "the Lyndale decision in 2024.", T0)
    assert clusterer.assign(late, featurize(late)).story_id == stable_id("story", "b3")


def test_revisit_keeps_one_event_told_in_many_wordings_together():
    clusterer = new_clusterer(cluster_threshold=-5.0)
    items = DEFENCE_ORSK + DEFENCE_ORSK  # six articles of one event
    ids = set()
    for n, (title, text) in enumerate(items):
        article = make_article(f"c{n}", title, text, T0)
        ids.add(clusterer.assign(article, featurize(article)).story_id)
        assert clusterer.take_moves() == []
    assert ids == {stable_id("story", "c0")}


def test_no_split_without_discriminators_on_both_sides_or_when_disabled():
    shared_names_only = [(t, text.replace("Samuel Okafor", "a challenger").replace("Okafor", "the challenger")
                          .replace("Lyndale", "the arena").replace("2024", "this year")) for t, text in DEFENCE_LYNDALE]
    for items, overrides in ((DEFENCE_ORSK + [(t.replace("Okafor", "rival"), x) for t, x in shared_names_only], {}),
                             (DEFENCE_ORSK + DEFENCE_LYNDALE, {"cluster_split_threshold": 0.0})):
        clusterer = new_clusterer(cluster_threshold=-5.0, **overrides)
        for n, (title, text) in enumerate(items):
            article = make_article(f"d{n}", title, text, T0)
            assert clusterer.assign(article, featurize(article)).story_id == stable_id("story", "d0")
        assert clusterer.take_moves() == []


def test_headline_only_stories_are_never_revisited():
    clusterer = new_clusterer(cluster_threshold=-5.0)
    for n, (title, _) in enumerate(DEFENCE_ORSK + DEFENCE_LYNDALE):
        article = make_article(f"h{n}", title, "", T0)
        assert clusterer.assign(article, featurize(article)).story_id == stable_id("story", "h0")
    assert clusterer.take_moves() == []


def _member(terms: dict[str, float], entities: list[str], at: datetime | None = None):
    """A stand-in for an article's weighted vectors and time (what ``find_split`` reads); undated by default."""
    from types import SimpleNamespace

    norm = sum(w * w for w in terms.values()) ** 0.5
    unit = 1 / len(entities) ** 0.5
    return SimpleNamespace(vector={k: w / norm for k, w in terms.items()}, title_vector={},
                           entity_vector={k: unit for k in entities}, entity_names={k: k[2:].title() for k in entities},
                           published_at=at or T0, time_known=at is not None)


def test_a_looser_split_needs_two_slots_in_conflict():
    from newsloom.cluster_revisit import SLOTS_FACTOR, find_split

    weights, threshold = (0.8, 0.2, 0.6), 0.25
    orsk = [_member({"bout": 0.39, f"orsk{i}": 0.92}, ["m:varga", "m:petrakis", "l:orsk"]) for i in range(3)]
    lyndale = [_member({"bout": 0.39, f"lyndale{i}": 0.92}, ["m:varga", "m:okafor", "l:lyndale"]) for i in range(3)]
    split = find_split(orsk + lyndale, weights, threshold)  # cross about 0.32: above the threshold, below 1.5x it
    assert split is not None and split.kept == [0, 1, 2] and split.moved == [3, 4, 5]
    assert threshold < split.evidence["cross_similarity"] < SLOTS_FACTOR * threshold
    assert split.evidence["conflicting_slots"] == ["names", "places"]
    no_place = [_member({"bout": 0.39, f"lyndale{i}": 0.92}, ["m:varga", "m:okafor"]) for i in range(3)]
    assert find_split(orsk + no_place, weights, threshold) is None  # who differs, where is not said: one slot only


def test_a_looser_split_also_takes_two_slots_of_its_own_on_each_side_when_they_are_not_the_same():
    from newsloom.cluster_revisit import find_split

    weights, threshold = (0.8, 0.2, 0.6), 0.25
    orsk = [_member({"bout": 0.39, f"orsk{i}": 0.92}, ["m:varga", "m:petrakis", "l:orsk"]) for i in range(3)]
    dated = [_member({"bout": 0.39, f"lyndale{i}": 0.92}, ["m:varga", "m:okafor", "d:2024"]) for i in range(3)]
    split = find_split(orsk + dated, weights, threshold)  # who and where against who and when
    assert split is not None and split.moved == [3, 4, 5] and split.evidence["conflicting_slots"] == ["names"]
    assert split.evidence["cross_similarity"] >= threshold  # would have joined: the slots of its own decide
    assert sorted(split.evidence["kept_discriminators"]) == ["names", "places"]
    assert sorted(split.evidence["moved_discriminators"]) == ["names", "years"]
    same_place = [_member({"bout": 0.39, f"lyndale{i}": 0.92}, ["m:varga", "m:okafor", "d:2024", "l:orsk"])
                  for i in range(3)]  # where is shared: the first group has one slot of its own only
    assert find_split(orsk + same_place, weights, threshold) is None


def test_two_tight_groups_far_apart_split_when_one_of_them_has_names_of_its_own():
    from newsloom.cluster_revisit import SLOTS_FACTOR, SPLIT_CONTRAST, find_split

    weights, threshold = (0.8, 0.2, 0.6), 0.3
    # Two rulings of one court named by its chief justice: the abortion ruling names its state and governor, the
    # homeless ruling nothing of its own. Each group is tight; across them only the court and its justice meet.
    abortion = [_member({"court": 0.3, "abortion": 0.9, f"clinic{i}": 0.3}, ["m:roberts", "l:louisiana", "m:landry"])
                for i in range(3)]
    homeless = [_member({"court": 0.3, "homeless": 0.9, f"camp{i}": 0.3}, ["m:roberts"]) for i in range(3)]
    split = find_split(abortion + homeless, weights, threshold)
    assert split is not None and split.kept == [0, 1, 2] and split.moved == [3, 4, 5]
    evidence = split.evidence
    assert evidence["contrast"] and evidence["moved_discriminators"] == {}  # one side only has names of its own
    assert threshold < evidence["cross_similarity"] < SLOTS_FACTOR * threshold  # above the split threshold
    tighter = min(evidence["kept_similarity"], evidence["moved_similarity"])
    assert evidence["cross_similarity"] < SPLIT_CONTRAST * tighter
    # The same second group told in scattered words is not tight: far from it is not far apart, and it stays.
    scattered = [_member({"court": 0.3, f"camp{i}": 0.95}, ["m:roberts"]) for i in range(3)]
    assert find_split(abortion + scattered, weights, threshold) is None
    # Nor does a contrast split a story without any discriminator (its groups differ in words only).
    plain = [_member({"court": 0.3, "abortion": 0.9, f"clinic{i}": 0.3}, ["m:roberts"]) for i in range(3)]
    assert find_split(plain + homeless, weights, threshold) is None


def test_a_closed_story_drops_its_kept_articles():
    from newsloom.cluster import EVICT_EVERY

    clusterer = new_clusterer(late_arrival_memory=0)
    title, text = DEFENCE_ORSK[0]
    clusterer.assign(make_article("old", title, text, T0), featurize(make_article("old", title, text, T0)))
    assert len(clusterer._stories[stable_id("story", "old")].members) == 1
    later = T0 + timedelta(days=clusterer.settings.cluster_window_days + 1)  # closed, not yet evicted
    for n in range(EVICT_EVERY):
        article = make_article(f"n{n}", f"Headline number {n} about {UNRELATED_TOPICS[n % 10]}", "", later)
        clusterer.assign(article, featurize(article))
    assert clusterer._stories[stable_id("story", "old")].members is None


def test_a_story_reaching_a_revisit_size_by_a_forced_join_is_revisited_too():
    clusterer = new_clusterer(cluster_threshold=-5.0)
    items = DEFENCE_ORSK + DEFENCE_LYNDALE
    for n, (title, text) in enumerate(items[:-1]):
        article = make_article(f"j{n}", title, text, T0 + timedelta(hours=n))
        clusterer.assign(article, featurize(article))
    title, text = items[-1]
    repost = make_article("j5", title, text, T0 + timedelta(hours=6))  # the sixth article arrives as a copy
    assignment = clusterer.join(repost, featurize(repost), stable_id("story", "j0"), {"copy_of": "elsewhere"})
    assert assignment.story_id == stable_id("story", "j3") and assignment.matched["copy_of"] == "elsewhere"
    assert [move.article_id for move in clusterer.take_moves()] == ["j3", "j4"]


def _shooting_coverage(hours: list[float] | None):
    """Three reports of an office shooting, then three of the charges filed: the later coverage names the
    prosecutor and the victim, not the sheriff (who differs, where does not); ``hours``: times, or undated."""
    hours = hours or [None] * 6
    at = [None if h is None else T0 + timedelta(hours=h) for h in hours]
    news = [_member({"shooting": 0.3, "office": 0.5, f"gunman{i}": 0.8}, ["m:lacalamita", "m:pickell", "m:gage",
                                                                           "m:scherlinck", "l:troy"], at[i]) for i in range(3)]
    charges = [_member({"shooting": 0.2, "charged": 0.6, f"court{i}": 0.77}, ["m:lacalamita", "m:steinberg", "m:kafoury",
                                                                                 "m:riva", "l:troy"], at[3 + i]) for i in range(3)]
    return news + charges


def test_coverage_moving_to_new_names_soon_after_is_not_split_but_the_same_groups_undated_or_apart_are():
    from newsloom.cluster_revisit import DRIFT_GAP_HOURS, find_split

    weights, threshold = (0.8, 0.2, 0.6), 0.3
    undated = find_split(_shooting_coverage(None), weights, threshold)
    assert undated is not None and undated.moved == [3, 4, 5]  # without dates, two groups of names look like two events
    assert undated.evidence["conflicting_slots"] == ["names"] and not undated.evidence["groups_follow_closely"]
    assert find_split(_shooting_coverage([0, 2, 5, 20, 26, 30]), weights, threshold) is None  # charges the next day
    apart = find_split(_shooting_coverage([0, 2, 5, 5 + DRIFT_GAP_HOURS + 1, 80, 90]), weights, threshold)
    assert apart is not None and apart.moved == [3, 4, 5]  # more than the gap later: no longer one story's drift
    interleaved = find_split(_shooting_coverage([0, 10, 20, 5, 15, 25]), weights, threshold)
    assert interleaved is not None  # told side by side at the same time: two events, as without dates


def test_two_events_following_closely_still_split_when_they_differ_in_two_slots():
    clusterer = new_clusterer(cluster_threshold=-5.0)
    for n, (title, text) in enumerate(DEFENCE_ORSK + DEFENCE_LYNDALE):  # an hour apart: the groups follow closely
        article = make_article(f"f{n}", title, text, T0 + timedelta(hours=n))
        assignment = clusterer.assign(article, featurize(article))
    assert assignment.story_id == stable_id("story", "f3")
    assert assignment.matched["groups_follow_closely"] and len(assignment.matched["conflicting_slots"]) >= 2


def _assign_with_threshold(clusterer: StoryClusterer, threshold: float, key: str, item: tuple[str, str]):
    clusterer.settings = from_env({}, cluster_threshold=threshold)
    article = make_article(key, *item, T0)
    return clusterer.assign(article, featurize(article))


ORSK_LATE_REPORT = ("Varga stops Petrakis in Orsk", "In Orsk, Tomas Varga retained his belt when the referee stopped "
                    "the fight with a cut Dimitri Petrakis in 2019.")


def test_a_grown_story_absorbs_a_small_neighbour_that_now_clears_the_threshold_with_the_evidence():
    clusterer = new_clusterer()
    for n, item in enumerate(DEFENCE_ORSK + DEFENCE_ORSK[:2]):  # five articles of one event in one story
        _assign_with_threshold(clusterer, -5.0, f"g{n}", item)
    alone = _assign_with_threshold(clusterer, 5.0, "alone", ORSK_LATE_REPORT)  # kept out when it arrived
    other = _assign_with_threshold(clusterer, 5.0, "other", DEFENCE_LYNDALE[0])  # another event: must stay out
    assert alone.new_story and other.new_story
    sixth = _assign_with_threshold(clusterer, 0.22, "g5", DEFENCE_ORSK[2])  # the story reaches a revisit size
    assert sixth.story_id == stable_id("story", "g0")
    moves = clusterer.take_moves()
    assert [(m.article_id, m.story_id) for m in moves] == [("alone", stable_id("story", "g0"))]
    evidence = moves[0].matched
    assert evidence["revisit"] == "absorbed" and evidence["moved_from"] == alone.story_id
    assert evidence["score"] >= 0.22 and "Dimitri Petrakis" in evidence["entities"]["names"]
    assert clusterer._stories[stable_id("story", "g0")].articles == 7
    late = make_article("late", *ORSK_LATE_REPORT, T0)
    assert clusterer.assign(late, featurize(late)).story_id == stable_id("story", "g0")  # the emptied story is gone
    assert clusterer._stories[alone.story_id].articles == 0


def test_a_small_neighbour_without_a_name_or_place_of_the_story_is_not_absorbed():
    clusterer = new_clusterer()
    for n, item in enumerate(DEFENCE_ORSK + DEFENCE_ORSK[:2]):
        _assign_with_threshold(clusterer, -5.0, f"k{n}", item)
    nameless = ("Champion keeps belt after cut stops bout", "The champion kept his belt after a cut stopped the bout "
                "and the referee waved it off; fans cheered the stoppage.")
    _assign_with_threshold(clusterer, 5.0, "nameless", nameless)
    _assign_with_threshold(clusterer, 0.0, "k5", DEFENCE_ORSK[2])
    assert clusterer.take_moves() == []


def test_below_the_first_revisit_size_a_join_absorbs_the_small_story_its_article_links():
    clusterer = new_clusterer()
    for n, item in enumerate(DEFENCE_ORSK[:2]):  # two articles of one event in one story
        _assign_with_threshold(clusterer, -5.0, f"s{n}", item)
    alone = _assign_with_threshold(clusterer, 5.0, "alone", ORSK_LATE_REPORT)  # kept out when it arrived
    other = _assign_with_threshold(clusterer, 5.0, "other", DEFENCE_LYNDALE[0])  # another event: must stay out
    assert alone.new_story and other.new_story
    third = _assign_with_threshold(clusterer, 0.22, "s2", DEFENCE_ORSK[2])  # nearest the late report: joins it
    assert third.story_id == alone.story_id  # two articles (below the first revisit size): not revisited
    moves = clusterer.take_moves()  # the third article links the late report's story with the two-article one
    assert [(m.article_id, m.story_id) for m in moves] == [("s0", alone.story_id), ("s1", alone.story_id)]
    for move in moves:
        assert move.matched["revisit"] == "absorbed" and move.matched["moved_from"] == stable_id("story", "s0")
        assert move.matched["score"] >= 0.22 and move.matched["mean_member_words"] >= 0.22
    assert clusterer._stories[alone.story_id].articles == 4
    assert clusterer._stories[stable_id("story", "s0")].articles == 0  # emptied
    assert clusterer._stories[other.story_id].articles == 1


def test_a_linked_small_story_far_in_words_from_the_story_s_articles_is_not_absorbed(monkeypatch):
    import newsloom.cluster_revisit as revisit

    monkeypatch.setattr(revisit, "MEMBER_WORDS_FLOOR", 0.99)  # no article is that close to the story's on average
    clusterer = new_clusterer()
    for n, item in enumerate(DEFENCE_ORSK[:2]):
        _assign_with_threshold(clusterer, -5.0, f"s{n}", item)
    _assign_with_threshold(clusterer, 5.0, "alone", ORSK_LATE_REPORT)
    assert not _assign_with_threshold(clusterer, 0.22, "s2", DEFENCE_ORSK[2]).new_story
    assert clusterer.take_moves() == []


def test_a_join_pulls_an_article_that_belongs_with_the_story_more_than_with_its_own_story_s_others():
    clusterer = new_clusterer()
    lyndale = _assign_with_threshold(clusterer, 5.0, "l0", DEFENCE_LYNDALE[0])
    misplaced = _assign_with_threshold(clusterer, -5.0, "o1", DEFENCE_ORSK[0])  # forced into the other fight's story
    assert misplaced.story_id == lyndale.story_id
    orsk = _assign_with_threshold(clusterer, 5.0, "o2", DEFENCE_ORSK[1])
    third = _assign_with_threshold(clusterer, 0.22, "o3", DEFENCE_ORSK[2])
    assert third.story_id == orsk.story_id  # two articles: the stories its article came near are looked at
    moves = clusterer.take_moves()
    assert [(m.article_id, m.story_id) for m in moves] == [("o1", orsk.story_id)]
    evidence = moves[0].matched
    assert evidence["revisit"] == "pulled" and evidence["moved_from"] == lyndale.story_id
    assert evidence["score"] > evidence["own_story_score"] and evidence["mean_member_words"] >= 0.22
    assert clusterer._stories[lyndale.story_id].articles == 1 and clusterer._stories[orsk.story_id].articles == 3


def test_a_story_s_founder_is_never_pulled_away():
    clusterer = new_clusterer()
    founder = _assign_with_threshold(clusterer, 5.0, "o1", DEFENCE_ORSK[0])
    _assign_with_threshold(clusterer, -5.0, "l0", DEFENCE_LYNDALE[0])  # the other fight forced into its story
    orsk = _assign_with_threshold(clusterer, 5.0, "o2", DEFENCE_ORSK[1])
    assert _assign_with_threshold(clusterer, 0.22, "o3", DEFENCE_ORSK[2]).story_id == orsk.story_id
    assert clusterer.take_moves() == []
    assert clusterer._stories[founder.story_id].articles == 2


# Two fictional stories about one senator that share her name and nothing else.
SENATOR_BUDGET = (
    "Senator Vela Ostrander unveils a farm budget",
    "Senator Vela Ostrander presented a farm budget on Monday that doubles irrigation grants and cuts "
    "fertiliser subsidies, her office said.",
)
SENATOR_WEDDING = (
    "Lakeside chapel wedding ends with a string quartet dance",
    "A cellist married the violinist daughter of Vela Ostrander at a lakeside chapel on Saturday; guests "
    "danced to a string quartet until midnight while lanterns floated across the calm water.",
)


def test_a_shared_name_alone_does_not_join_an_article_about_something_else():
    budget, wedding = assign_all(new_clusterer(), [
        ("b1", SENATOR_BUDGET, T0), ("w1", SENATOR_WEDDING, T0 + timedelta(hours=2)),
    ])
    assert wedding.new_story is True
    rejected = wedding.matched["best_candidate"]
    assert rejected["story_id"] == budget.story_id and rejected["score"] < from_env({}).cluster_threshold


def test_the_entity_evidence_counts_in_full_once_the_words_agree():
    from newsloom.cluster_scores import ENTITY_WORDS_FLOOR, entity_share

    assert entity_share(0.0) == 0.0
    assert entity_share(ENTITY_WORDS_FLOOR / 2) == 0.5
    assert entity_share(ENTITY_WORDS_FLOOR) == entity_share(0.9) == 1.0
    _, second = assign_all(new_clusterer(), [
        ("a1", STORM_PORTUGAL_1, T0), ("a2", STORM_PORTUGAL_2, T0 + timedelta(hours=5)),
    ])
    assert 0.0 < second.matched["entity_share"] <= 1.0  # the evidence says how much of the shared names counted


def test_a_name_many_stories_hold_counts_less_than_a_name_one_story_holds():
    from newsloom.cluster_scores import story_rarity

    assert story_rarity(0) == story_rarity(1) == 1.0
    assert story_rarity(3) == 0.5 and story_rarity(99) == 0.02
    budget_again = ("Ostrander farm budget doubles irrigation grants",
                    "The farm budget Senator Vela Ostrander presented doubles irrigation grants, her office "
                    "said on Tuesday.")
    alone = assign_all(new_clusterer(), [("b1", SENATOR_BUDGET, T0), ("b2", budget_again, T0 + timedelta(hours=1))])[1]
    others = [(f"o{k}", (f"{topic.title()} {detail} draws crowds", f"The {topic} {detail} drew crowds; {who} Vela "
                         f"Ostrander {verb}."), T0)
              for k, (topic, detail, who, verb) in enumerate([
                  ("festival", "lantern parade", "guest", "waved"), ("museum", "fossil hall", "donor", "cut a ribbon"),
                  ("rocket", "launch pad", "engineer", "counted down"), ("harvest", "grape picking", "grower", "laughed"),
                  ("football", "cup final", "fan", "cheered"), ("strike", "dockworker picket", "organiser", "spoke")])]
    shared = assign_all(new_clusterer(), others + [("b1", SENATOR_BUDGET, T0),
                                                   ("b2", budget_again, T0 + timedelta(hours=1))])[-1]
    assert alone.story_id == stable_id("story", "b1") and alone.matched["entities"]
    # Six other stories name her too: her name says little about which story the article belongs to.
    assert shared.matched["entity_score"] < alone.matched["entity_score"]


def test_a_loose_join_is_close_to_the_centroid_but_far_from_each_article():
    from types import SimpleNamespace

    from newsloom.cluster_scores import (
        MEMBER_ENTITY_FLOOR, MEMBER_WORDS_FLOOR, NAMES_ONLY_WORDS_FLOOR, loose_join, member_words,
    )

    # Two rulings of one court met in a story; a third article on the court shares only the subject's words.
    story = SimpleNamespace(members=[_member({"court": 0.5, "abortion": 0.85}, ["o:court"]),
                                     _member({"court": 0.5, "immunity": 0.85}, ["o:court"])])
    nominee = SimpleNamespace(vector=_member({"court": 0.4, "nominee": 0.92}, ["o:court"]).vector, title_only=False)
    ruling = SimpleNamespace(vector=_member({"court": 0.5, "abortion": 0.7, "immunity": 0.5}, ["o:court"]).vector,
                             title_only=False)
    assert NAMES_ONLY_WORDS_FLOOR <= member_words(nominee, story) < MEMBER_WORDS_FLOOR <= member_words(ruling, story)
    assert loose_join(nominee, story, entity=0.0)
    assert not loose_join(ruling, story, entity=0.0)
    story.entities = {"p:ostrander": 2, "l:bexley": 1}
    nominee.entity_vector, nominee.common_pins = {"p:ostrander": 1.0}, frozenset()
    assert not loose_join(nominee, story, entity=MEMBER_ENTITY_FLOOR)  # a shared name backs an article this close
    senator = SimpleNamespace(vector=_member({"court": 0.2, "farm": 0.98}, ["o:court"]).vector, title_only=False,
                              entity_vector={"p:ostrander": 1.0}, common_pins=frozenset())
    assert member_words(senator, story) < NAMES_ONLY_WORDS_FLOOR
    assert loose_join(senator, story, entity=0.5)  # her name alone does not make her farm bill a court story
    senator.entity_vector["o:court"] = 0.5
    story.entities["o:court"] = 2
    assert loose_join(senator, story, entity=0.5)  # nor does the court: an organisation is a subject, as she is
    senator.entity_vector["l:bexley"] = 0.5
    assert not loose_join(senator, story, entity=0.5)  # a place in common pins the event: the score decides
    senator.common_pins = frozenset({"l:bexley"})
    assert loose_join(senator, story, entity=0.5)  # unless most of the stream names that place: it pins nothing
    assert not loose_join(nominee, SimpleNamespace(members=None), entity=0.0)  # no kept articles: nothing to check
    headline = SimpleNamespace(vector=nominee.vector, title_only=True)
    assert not loose_join(headline, story, entity=0.0)


def test_a_place_most_of_the_stream_names_is_too_common_to_pin_an_event():
    from newsloom.cluster_scores import COMMON_PIN_MIN, COMMON_PIN_SHARE, common_pins

    keys = ["l:washington", "l:bexley", "p:ostrander", "n:40"]
    frequency = {"l:washington": 30, "l:bexley": 2, "p:ostrander": 30, "n:40": 30}
    # People never pin; a place or number in more than the share of the articles seen (and in enough of them) is common.
    assert common_pins(keys, frequency, documents=100) == {"l:washington", "n:40"}
    in_share = 30 / COMMON_PIN_SHARE  # the stream size in which 30 articles are exactly the share
    assert common_pins(keys, frequency, documents=int(in_share * 0.95)) == {"l:washington", "n:40"}
    assert common_pins(keys, frequency, documents=int(in_share * 1.05)) == frozenset()  # a smaller share: they pin
    few = {key: COMMON_PIN_MIN - 1 for key in keys}
    assert common_pins(keys, few, documents=COMMON_PIN_MIN) == frozenset()  # a stream's first articles still pin
    # In a stream where every article says where it was written, that place pins no story; a rare place does.
    clusterer = new_clusterer()
    dateline = [(f"w{i}", (f"Council vote number {i} held in Washington", f"Washington hosted topic{i} talks on "
                           f"subject{i}."), T0 + timedelta(hours=i)) for i in range(COMMON_PIN_MIN + 5)]
    assign_all(clusterer, dateline)
    article = make_article("q1", "Bridge closes in Washington", "The Bexley bridge in Washington closes for repairs.",
                           T0)
    query = clusterer._query(featurize(article), article, count=False)
    assert {"l:washington", "l:bexley"} <= set(query.entity_vector)
    assert query.common_pins == {"l:washington"}
    headline = make_article("q2", "Bridge closes in Washington", "", T0)
    assert clusterer._query(featurize(headline), headline, count=False).common_pins == frozenset()  # never asked


def _reference_headline_score(clusterer: StoryClusterer, query, story) -> float:
    """The headline score as the score parts of ``cluster_scores`` give it, one call per part."""
    from newsloom.cluster_scores import gap_hours, group_average, place_conflict, signature_conflicts

    settings = clusterer.settings
    raw = settings.cluster_headline_weight * group_average(query, story)
    if (query.places or query.countries) and place_conflict(query, story):
        raw -= settings.cluster_place_conflict_penalty
    if query.names or query.years:
        raw -= settings.cluster_signature_conflict_penalty * len(signature_conflicts(query, story))
    return raw / (1.0 + gap_hours(query, story) / settings.cluster_time_scale_hours)


def test_headline_scores_in_one_loop_equal_the_score_parts_to_the_bit():
    from newsloom.cluster_scores import place_conflict, signature_conflicts

    clusterer = _recall_story()
    others = [(f"o{i}", (title, ""), T0 + timedelta(hours=7 + i)) for i, title in enumerate(SAME_COMPANY_OTHER_NEWS)]
    assign_all(clusterer, others)
    stories = sorted(clusterer._stories.values(), key=lambda story: story.story_id)
    assert len(stories) > 2 and all(story.headline_mass and not story.text_articles for story in stories)
    stories[0].dominant_places, stories[1].signature_years = frozenset({"l:lyon"}), frozenset({"d:2029"})
    stories[1].signature_names = frozenset({"m:zentrex"})
    article = make_article("q", "Zentrex battery recall of Volta scooters reaches Lyon", "", T0 + timedelta(hours=9))
    query = clusterer._query(featurize(article), article, count=False)
    for places, years, names in [(frozenset(), frozenset(), frozenset()), (frozenset({"l:faro"}), frozenset({"d:2031"}), frozenset({"m:volta"}))]:
        query.places, query.years, query.names = places, years, names
        candidates = [story.story_id for story in stories]
        expected = [(_reference_headline_score(clusterer, query, story), story.story_id) for story in stories]
        assert clusterer._scores(query, candidates) == expected
        assert any(score > 0 for score, _ in expected)
    assert place_conflict(query, stories[0]) and signature_conflicts(query, stories[1]) == ["names", "years"]


def test_top_keeps_what_heapq_nlargest_kept_in_its_order():
    import heapq
    import random

    from newsloom.cluster_story import _top

    rng = random.Random(7)
    for size in (0, 3, 40, 200):
        weights = {f"k{i}": rng.choice([0.5, 1.0, rng.random()]) for i in range(size)}  # equal weights: ties by key
        for keep in (1, 10, 120):
            assert _top(weights, keep) == heapq.nlargest(keep, weights.items(), key=lambda item: (item[1], item[0]))
