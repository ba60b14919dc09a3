"""Entities of an article: spaCy's names corrected by the gazetteer, numbers and dates by rule."""

from __future__ import annotations

from newsloom.nlp.entities import Entities, extract_entities, extract_entities_batch, quick_entities

# Fiction written for newsloom's tests.
DRONE_TITLE = "Drones strike Kursk region"
DRONE_TEXT = (
    "Drones struck the Kursk region overnight and shells fell on Sumy, officials said on March 3. "
    "Ukrainian officials said 12 dead were counted. Red Cross spokesman John Miller said crews were ready."
)


def test_places_the_model_mislabels_are_corrected_by_the_gazetteer():
    entities = extract_entities(DRONE_TITLE, DRONE_TEXT)
    assert {"Kursk region", "Sumy"} <= entities.places
    assert {"RU", "UA"} <= entities.countries
    assert "Sumy" not in entities.orgs | entities.people
    assert not any("Kursk" in name for name in entities.orgs | entities.people)


def test_demonym_adds_a_country_but_no_place():
    entities = extract_entities("", "Ukrainian officials met on Monday.")
    assert entities.countries == {"UA"}
    assert entities.places == set()


def test_numbers_keep_their_noun_and_dates_are_normalised():
    entities = extract_entities(DRONE_TITLE, DRONE_TEXT)
    assert entities.numbers == {"12 dead"}
    assert entities.dates == {"mar 3"}


def test_magnitude_and_thousands_are_normalised():
    entities = quick_entities("A magnitude 6.4 quake hits", "It destroyed 1,300 homes in 2031.")
    assert entities.numbers == {"magnitude 6.4", "6.4 quake", "1300 homes"}
    assert entities.dates == {"2031"}


def test_a_longer_name_containing_a_place_is_not_a_place():
    entities = extract_entities("", "Paris Hilton arrived at the hotel.")
    assert "Paris" not in entities.places


def test_people_and_organisations_are_found():
    entities = extract_entities(DRONE_TITLE, DRONE_TEXT)
    assert "John Miller" in entities.people
    assert "Red Cross" in entities.orgs


def test_text_beyond_max_chars_is_not_read():
    entities = extract_entities("", "Storm warning issued. " + "x " * 200 + "Crews went to Porto.", max_chars=40)
    assert "Porto" not in entities.places


def test_batch_matches_single_calls_and_skips_the_model_for_headlines():
    items = [(DRONE_TITLE, DRONE_TEXT), ("Flood waters rise in Porto, 3 missing", "")]
    full, headline = extract_entities_batch(items)
    assert full == extract_entities(*items[0])
    assert headline == Entities(places={"Porto"}, countries={"PT"}, numbers={"3 missing"})


def test_names_are_spotted_without_the_model_and_ordinary_capitalised_words_are_not():
    entities = quick_entities("Actress Mira Solberg checks into rehab",
                              "Police said Mira Solberg checked into the Lakeside Recovery Center on Friday. "
                              "Lakeside staff declined to comment. Her lawyer, Tom Avery, said police were told.")
    assert {"Mira Solberg", "Lakeside Recovery Center", "Tom Avery"} <= entities.names
    assert not any("Police" in name or "Friday" in name for name in entities.names)


def test_a_title_case_headline_gives_no_names():
    assert quick_entities("Flood Waters Rise As Mira Solberg Visits Town", "").names == set()


def _count_model_reads(monkeypatch) -> list[str]:
    """Empty the memos and wrap the model so that every text it reads is appended to the returned list."""
    import newsloom.nlp.entities as entities_module

    model, read = entities_module._model(), []

    class CountingModel:
        def pipe(self, texts, **options):
            texts = list(texts)
            read.extend(texts)
            return model.pipe(texts, **options)

    monkeypatch.setattr(entities_module, "_model", CountingModel)
    monkeypatch.setattr(entities_module, "_memo", type(entities_module._memo)())
    monkeypatch.setattr(entities_module, "_line_memo", type(entities_module._line_memo)())
    return read


def test_a_title_and_lead_read_before_are_not_read_again(monkeypatch):
    lead = 60
    fresh = extract_entities(DRONE_TITLE, DRONE_TEXT, max_chars=lead)
    read = _count_model_reads(monkeypatch)
    same_lead_other_tail = DRONE_TEXT[: lead + 1] + " The rest of this copy was edited by another site."
    first = extract_entities_batch([(DRONE_TITLE, DRONE_TEXT), (DRONE_TITLE, DRONE_TEXT)], max_chars=lead)
    first[0].places.add("Atlantis")  # a caller's change must not leak into the kept reading
    later = extract_entities_batch([(DRONE_TITLE, same_lead_other_tail), ("Another title", DRONE_TEXT)], max_chars=lead)
    assert read == [DRONE_TITLE, DRONE_TEXT[:lead].rsplit(" ", 1)[0], "Another title"]  # each line once
    assert first[1] == later[0] == fresh and "Atlantis" not in later[0].places


def test_an_edited_copy_sends_only_its_edited_paragraph_through_the_model(monkeypatch):
    paragraphs = ["Drones struck the Kursk region overnight, officials in Moscow said.",
                  "Red Cross spokesman John Miller said crews were ready in Belgorod.",
                  "Shells fell on Sumy later that day, Ukrainian officials said."]
    edited = paragraphs[:1] + [paragraphs[1].replace("crews", "medics")] + paragraphs[2:]
    cold_reading = extract_entities(DRONE_TITLE, "\n".join(edited))
    read = _count_model_reads(monkeypatch)
    extract_entities_batch([(DRONE_TITLE, "\n".join(paragraphs))])
    read.clear()
    copy = extract_entities_batch([(DRONE_TITLE, "\n".join(edited))])[0]
    assert read == [edited[1]]  # the title and the two unedited paragraphs were read with the original
    assert copy == cold_reading and "John Miller" in copy.people and "Belgorod" in copy.places


class _Labelled:
    """A stand-in for the model: labels the given phrases wherever they occur in the text it reads."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels

    def __call__(self, text: str):
        from types import SimpleNamespace

        ents = []
        for phrase, label in self.labels.items():
            start = text.find(phrase)
            while start >= 0:
                ents.append(SimpleNamespace(start_char=start, end_char=start + len(phrase), label_=label, text=phrase))
                start = text.find(phrase, start + 1)
        return SimpleNamespace(ents=sorted(ents, key=lambda ent: ent.start_char))

    def pipe(self, texts, **options):
        return [self(text) for text in texts]


def _with_model(monkeypatch, labels: dict[str, str]) -> None:
    import newsloom.nlp.entities as entities_module

    model = _Labelled(labels)
    monkeypatch.setattr(entities_module, "_model", lambda: model)


def test_the_models_names_in_a_title_case_headline_are_not_taken(monkeypatch):
    _with_model(monkeypatch, {"Velmora Maid": "PERSON", "Jon Avery": "PERSON"})
    text = "The dairy had no insurance, said Jon Avery, the safety director."
    assert extract_entities("Velmora Maid Dairy Building Was Uninsured", text).people == {"Jon Avery"}
    assert extract_entities("Velmora Maid dairy building was uninsured", text).people == {"Velmora Maid", "Jon Avery"}


def test_the_models_names_are_kept_only_when_a_word_of_them_is_a_name(monkeypatch):
    _with_model(monkeypatch, {"navy": "ORG", "Harlow Foods": "ORG", "Arden Joseph Comeaux Jr.": "PERSON"})
    entities = extract_entities("", "The navy said Harlow Foods paid Arden Joseph Comeaux Jr. on Monday.")
    assert entities.orgs == {"Harlow Foods"}
    assert entities.people == {"Arden Joseph Comeaux"}  # keyed by the surname, not "Jr"


def test_a_place_the_gazetteer_does_not_know_counts_as_a_name(monkeypatch):
    _with_model(monkeypatch, {"Velmora Heights": "FAC", "Porto": "GPE"})
    entities = extract_entities("", "Crews reached Velmora Heights, near Porto, at dawn.")
    assert entities.places == {"Porto"}
    assert "Velmora Heights" in entities.names
