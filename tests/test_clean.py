"""Tests for clean.py: repost chrome is removed with its reason, the report is kept whole.

All article text here is fiction written for newsloom.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.clean import BoilerplateMemory, clean_text

SHARED = Path(__file__).resolve().parents[2] / "shared"

SOLAR_TITLE = "Harbour Town Council Approves Floating Solar Farm"
SOLAR_REPOST = """Energy
Posted: 14 March 2025, 08:15 GMT

The council of Port Alder voted seven to two on Tuesday to build a floating solar farm on the disused north basin of the harbour.

The array of 4,000 panels will supply roughly a fifth of the town's street lighting, according to the council's engineering office.

Port Alder Council voted yes on the harbour solar farm today. Construction starts in May! https://x.com/PortAlderCouncil/status/1900000000000000001

— Port Alder Council (@PortAlderCouncil) March 14, 2025

Councillor Mira Holt, who proposed the plan, said the basin "has sat idle for thirty years and can finally earn its keep."

An artist's impression of the floating panels on the north basin of Port… An artist's impression of the floating panels on the north basin of Port Alder harbour. Port Alder Council

Opponents argued the panels could disturb the seals that rest on the basin's old pontoons.

Statement: This content is reproduced from other media for reference only and does not represent the views of this site. Should any content infringe your rights, contact us and it will be removed.
"""

DIARY_TITLE = "Lighthouse Keeper's Diary Found in Museum Attic"
DIARY_REPOST = """Lighthouse Keeper's Diary Found in Museum Attic
Culture & Heritage
Published on Monday, 2 June 2025 at 9:40 am

Volunteers at the Greywick Maritime Museum have found a diary kept by the town's last lighthouse keeper, hidden behind a loose board in the attic.

Photo: Greywick Maritime Museum

The diary covers the winter of 1911 and records forty-one ships passing the headland, the museum said.

Advertisement

View this post on Instagram
A post shared by Greywick Maritime Museum (@greywickmuseum)

Read more: Storm damage closes coastal path for a month

Curator Idris Penn said the handwriting was "steady even on the nights the lamp nearly failed."

The museum plans to show the diary from September.

Follow us on Instagram and Facebook for more stories from the coast.
This article was originally published by the Greywick Gazette and is republished with permission.
© 2025 Coastline Media. All rights reserved.
"""

LAWSUIT_ARTICLE = """A group of illustrators filed a copyright lawsuit on Thursday against the Brackenford Printing Company, saying it reprinted their drawings without permission.

The illustrators say the company ignored requests to remove the drawings from its catalogue.

"Copyright is how we pay our rent," said illustrator Nell Varga, who leads the group.

The suit asks for damages and an order to stop reprinting the drawings, which the group says were copied from its own website.

The company said it believed its licence covered the reprints and that it would defend itself in court.

A judge is expected to hear the infringement claim over the reprinted drawings and the request for their deletion in the autumn."""

PLAIN_ARTICLE = """Fishing boats returned to Greywick harbour on Friday after a storm kept them in port for six days.

The harbour master, Agnes Tull, said 32 boats had left before dawn and all were back by 4 p.m.

"It was the longest closure since the winter of 2019," she said.

Fish prices at the morning market fell by a third once the first catch came in, traders said.

The coastguard lifted its warning on 14 March 2025 at noon."""


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _assert_offsets_point_at_input(text: str, result) -> None:
    for span in result.removed:
        assert text[span.start : span.end] == span.text


# --- hand-written reposts -----------------------------------------------------------


def test_repost_with_label_posted_line_x_embed_caption_and_statement_is_cleaned_exactly():
    result = clean_text(SOLAR_REPOST, title=SOLAR_TITLE)

    assert _paragraphs(result.text) == [
        "The council of Port Alder voted seven to two on Tuesday to build a floating solar farm on the disused north basin of the harbour.",
        "The array of 4,000 panels will supply roughly a fifth of the town's street lighting, according to the council's engineering office.",
        'Councillor Mira Holt, who proposed the plan, said the basin "has sat idle for thirty years and can finally earn its keep."',
        "An artist's impression of the floating panels on the north basin of Port Alder harbour. Port Alder Council",
        "Opponents argued the panels could disturb the seals that rest on the basin's old pontoons.",
    ]
    assert [span.reason for span in result.removed] == [
        "category-label",
        "timestamp",
        "social-embed",
        "social-embed",
        "duplicate-caption",
        "disclaimer",
    ]
    assert result.removed[4].text == "An artist's impression of the floating panels on the north basin of Port… "


def test_repost_with_title_line_instagram_embed_promo_credit_and_footer_is_cleaned_exactly():
    result = clean_text(DIARY_REPOST, title=DIARY_TITLE, outlet="coastline")

    assert _paragraphs(result.text) == [
        "Volunteers at the Greywick Maritime Museum have found a diary kept by the town's last lighthouse keeper, hidden behind a loose board in the attic.",
        "The diary covers the winter of 1911 and records forty-one ships passing the headland, the museum said.",
        'Curator Idris Penn said the handwriting was "steady even on the nights the lamp nearly failed."',
        "The museum plans to show the diary from September.",
    ]
    assert [(span.reason, span.text) for span in result.removed] == [
        ("title-repeat", DIARY_TITLE),
        ("category-label", "Culture & Heritage"),
        ("timestamp", "Published on Monday, 2 June 2025 at 9:40 am"),
        ("image-credit", "Photo: Greywick Maritime Museum"),
        ("promo", "Advertisement"),
        ("social-embed", "View this post on Instagram"),
        ("social-embed", "A post shared by Greywick Maritime Museum (@greywickmuseum)"),
        ("promo", "Read more: Storm damage closes coastal path for a month"),
        ("promo", "Follow us on Instagram and Facebook for more stories from the coast."),
        ("disclaimer", "This article was originally published by the Greywick Gazette and is republished with permission."),
        ("site-boilerplate", "© 2025 Coastline Media. All rights reserved."),
    ]


def test_every_removal_has_evidence():
    result = clean_text(DIARY_REPOST, title=DIARY_TITLE)

    assert len(result.evidence) == len(result.removed) == 11
    assert all(result.evidence)


def test_removed_spans_point_at_their_text_in_the_input():
    for text, title in ((SOLAR_REPOST, SOLAR_TITLE), (DIARY_REPOST, DIARY_TITLE)):
        result = clean_text(text, title=title)
        assert result.removed
        _assert_offsets_point_at_input(text, result)


def test_post_text_without_link_above_a_signature_is_an_embed():
    text = (
        "The ferry service to Skerrin Isle resumed on Sunday, the operator said.\n\n"
        "Back on the water from tomorrow morning, thanks for your patience everyone\n\n"
        "— Skerrin Ferries (@skerrinferries) May 4, 2025\n\n"
        "Tickets bought for cancelled sailings will be honoured until June."
    )

    result = clean_text(text)

    assert _paragraphs(result.text) == [
        "The ferry service to Skerrin Isle resumed on Sunday, the operator said.",
        "Tickets bought for cancelled sailings will be honoured until June.",
    ]
    assert [span.reason for span in result.removed] == ["social-embed", "social-embed"]


def test_caption_printed_twice_in_a_row_as_two_lines_keeps_one_copy():
    text = (
        "Crews cleared the landslide from the Tarn Valley road on Wednesday.\n\n"
        "A digger clears rocks from the Tarn Valley road...\n\n"
        "A digger clears rocks from the Tarn Valley road near Lowmere.\n\n"
        "The road will reopen to cars on Friday, the county said."
    )

    result = clean_text(text)

    assert _paragraphs(result.text) == [
        "Crews cleared the landslide from the Tarn Valley road on Wednesday.",
        "A digger clears rocks from the Tarn Valley road near Lowmere.",
        "The road will reopen to cars on Friday, the county said.",
    ]
    assert [(s.reason, s.text) for s in result.removed] == [
        ("duplicate-caption", "A digger clears rocks from the Tarn Valley road...")
    ]


# --- conservative: the report stays ------------------------------------------------


def test_article_without_chrome_comes_back_unchanged():
    result = clean_text(PLAIN_ARTICLE, title="Fishing Boats Return After Storm", outlet="greywick-news")

    assert result.text == PLAIN_ARTICLE
    assert result.removed == []


def test_copyright_lawsuit_report_is_kept_whole():
    result = clean_text(LAWSUIT_ARTICLE, title="Illustrators Sue Printer Over Reprinted Drawings")

    assert result.text == LAWSUIT_ARTICLE
    assert result.removed == []


def test_short_line_below_the_first_paragraph_is_not_a_category_label():
    text = (
        "The Lowmere choir won the regional final on Saturday, its first title in a decade.\n\n"
        "Results\n\n"
        "The choir scored 94 points, four ahead of the runners-up from Tarn Bridge."
    )

    result = clean_text(text)

    assert result.text == text
    assert result.removed == []


def test_promo_call_to_action_in_the_middle_of_the_article_is_kept():
    text = "\n\n".join(
        [
            "The Greywick library will stay open until nine on weekdays from April, the council said.",
            "Staff asked for the change after a survey of 600 readers.",
            "The survey found most readers came after work, the librarian said.",
            "Subscribe to the library newsletter was the most common request in the comment box.",
            "Evening opening will cost the council about 40,000 pounds a year.",
            "The council will review the hours after six months.",
            "Weekend hours are not affected.",
            "The mobile library van keeps its Tuesday route.",
            "Readers can renew books online as before.",
            "The library first opened in 1902.",
        ]
    )

    result = clean_text(text)

    assert result.text == text


# --- the reference example ----------------------------------------------------------------


def _reference_example() -> tuple[str, str]:
    path = SHARED / "examples" / "000_8618f0a8f728be58.txt"
    if not path.exists():
        pytest.skip("shared examples folder is absent")
    raw = path.read_text(encoding="utf-8")
    title, _, text = raw.lstrip().partition("\n")
    return title.strip(), text


def _is_chrome_paragraph(paragraph: str) -> bool:
    return (
        paragraph.startswith("Post At")
        or "pic.twitter.com" in paragraph
        or (paragraph.startswith("—") and "(@" in paragraph)
        or paragraph.startswith("Disclaimer")
        or paragraph == "War"
        or "... " in paragraph  # the caption printed twice
    )


def test_reference_repost_loses_its_chrome():
    title, text = _reference_example()

    result = clean_text(text, title=title)

    output = _paragraphs(result.text)
    assert "Post At" not in result.text
    assert "pic.twitter.com" not in result.text
    assert not [p for p in output if p.startswith("—") and "(@" in p]
    assert "Disclaimer" not in result.text
    assert "War" not in output
    _assert_offsets_point_at_input(text, result)


def _doubled_caption(text: str) -> tuple[str, str]:
    """(truncated first copy, full second copy) of the caption printed twice in one paragraph."""
    caption_paragraph = next(p for p in _paragraphs(text.replace("\n", "\n\n")) if "... " in p)
    truncated_copy, _, full_caption = caption_paragraph.partition("... ")
    return truncated_copy, full_caption


def test_reference_repost_keeps_its_caption_once():
    title, text = _reference_example()
    truncated_copy, full_caption = _doubled_caption(text)

    result = clean_text(text, title=title)

    assert result.text.count(truncated_copy) == 1
    assert full_caption in _paragraphs(result.text)


def test_reference_repost_keeps_every_report_paragraph_unchanged():
    title, text = _reference_example()
    report = [p for p in _paragraphs(text.replace("\n", "\n\n")) if not _is_chrome_paragraph(p)]
    _, full_caption = _doubled_caption(text)

    result = clean_text(text, title=title)

    assert len(report) >= 20
    assert [p for p in _paragraphs(result.text) if p != full_caption] == report


# --- corpus-learned boilerplate -------------------------------------------------------------

FOOTER = "Coastline Media thanks every reader who keeps local reporting going"


def _article(number: int, footer: str = FOOTER) -> str:
    return "\n\n".join(
        [
            f"The Greywick ferry carried {number} hundred passengers in its first week of the season.",
            f"Operators said bookings for week {number} were ahead of last year.",
            f"More sailings are planned for summer {number}.",
            footer,
        ]
    )


def test_footer_line_in_three_articles_of_one_outlet_is_removed_from_the_fourth():
    memory = BoilerplateMemory()
    for number in (1, 2, 3):
        memory.observe("coastline", f"a{number}", _article(number))

    result = clean_text(_article(4), outlet="coastline", memory=memory)

    assert [(s.reason, s.text) for s in result.removed] == [("site-boilerplate", FOOTER)]
    assert result.evidence == ["line seen in 3 articles of outlet 'coastline' (threshold 3)"]
    assert FOOTER not in result.text


def test_footer_line_in_three_articles_of_different_outlets_is_kept():
    memory = BoilerplateMemory()
    for number, outlet in ((1, "coastline"), (2, "harbour-post"), (3, "tarn-times")):
        memory.observe(outlet, f"a{number}", _article(number))

    result = clean_text(_article(4), outlet="coastline", memory=memory)

    assert result.removed == []
    assert memory.article_count("coastline", FOOTER) == 1


def test_observing_one_article_twice_counts_it_once():
    memory = BoilerplateMemory()
    for _ in range(3):
        memory.observe("coastline", "a1", _article(1))

    assert memory.article_count("coastline", FOOTER) == 1


def test_line_repeated_inside_one_article_counts_once():
    memory = BoilerplateMemory()
    memory.observe("coastline", "a1", FOOTER + "\n" + FOOTER)

    assert memory.article_count("coastline", FOOTER) == 1


def test_memory_matches_lines_after_normalisation():
    memory = BoilerplateMemory()
    memory.observe("Coastline", "a1", "  COASTLINE media thanks every reader, who keeps local reporting going! ")

    assert memory.article_count("coastline", FOOTER) == 1


def test_rows_round_trip_keeps_counts_and_seen_articles():
    memory = BoilerplateMemory()
    for number in (1, 2, 3):
        memory.observe("coastline", f"a{number}", _article(number))

    restored = BoilerplateMemory.from_rows(memory.to_rows())
    restored.observe("coastline", "a2", _article(2))

    assert sorted(restored.to_rows()) == sorted(memory.to_rows())
    assert restored.article_count("coastline", FOOTER) == 3
    footer_rows = [row for row in restored.to_rows() if row[3] == FOOTER]
    assert [(outlet, count, sample) for outlet, _, count, sample in footer_rows] == [("coastline", 3, FOOTER)]


def test_memory_stays_bounded_and_keeps_recurring_lines():
    memory = BoilerplateMemory(max_keys_per_outlet=10)
    for number in range(50):
        memory.observe("coastline", f"a{number}", _article(number))

    line_rows = [row for row in memory.to_rows() if not row[1].startswith(BoilerplateMemory.ARTICLE_PREFIX)]
    assert len(line_rows) <= 10
    assert memory.article_count("coastline", FOOTER) == 50


def test_fourth_copy_of_the_same_report_from_one_outlet_is_not_stripped():
    memory = BoilerplateMemory()
    for number in (1, 2, 3):
        memory.observe("coastline", f"a{number}", _article(7))

    result = clean_text(_article(7), outlet="coastline", memory=memory)

    assert result.removed == []


def test_known_prose_paragraph_in_the_middle_of_an_article_is_kept():
    shared = "Greywick has run a ferry to Skerrin Isle every summer since 1954, when the causeway washed away."
    memory = BoilerplateMemory()
    for number in (1, 2, 3):
        memory.observe("coastline", f"a{number}", _article(number).replace("More sailings", shared + "\n\nMore sailings"))
    lines = [f"Paragraph {n} of the fourth report says something new about the ferry." for n in range(6)]
    text = "\n\n".join(lines[:3] + [shared] + lines[3:])

    result = clean_text(text, outlet="coastline", memory=memory)

    assert result.text == text


# --- shapes of header and footer lines ---------------------------------------------------

LEAD = "The Tarn Bridge reopened to traffic on Saturday after eight months of repairs, the county said."
CLOSE = "The county said the repairs had cost 2.1 million pounds."


@pytest.mark.parametrize(
    "line",
    [
        "Posted on 3 June 2025 by Admin",
        "Updated: 2025-06-03 14:05 UTC",
        "Last updated 5 hours ago",
        "June 3, 2025 | 9:40 AM",
        "Published 03/06/2025 21:50",
    ],
)
def test_date_only_line_above_the_report_is_a_timestamp(line):
    result = clean_text(f"{line}\n\n{LEAD}\n\n{CLOSE}")

    assert [(s.reason, s.text) for s in result.removed] == [("timestamp", line)]
    assert result.text == f"{LEAD}\n\n{CLOSE}"


@pytest.mark.parametrize(
    "line",
    ["SEE MORE: Ferry fares to rise in the spring", "Related posts: Ten bridges worth a visit", "More:", "Also",
     "Crowds gather on the reopened bridge [VIDEO]", "Council leader hits back at critics [PICTURES]|"],
)
def test_promo_labels_and_tagged_teaser_headlines_inside_the_text_are_removed(line):
    result = clean_text(f"{LEAD}\n\n{line}\n\n{CLOSE}")

    assert [(s.reason, s.text) for s in result.removed] == [("promo", line)]
    assert result.text == f"{LEAD}\n\n{CLOSE}"


@pytest.mark.parametrize(
    "line",
    ["The works were late, said one report [Bloomberg]", "The mayor called the repairs \"a triumph [SIC].\"",
     "More than 2,000 drivers used the bridge on its first day.", "Also closed was the footpath under the east arch."],
)
def test_sentences_that_resemble_promo_labels_are_kept(line):
    text = f"{LEAD}\n\n{line}\n\n{CLOSE}"

    assert clean_text(text).text == text


@pytest.mark.parametrize("line", ["02-751-1500", "555-0142", "(02) 751-1500"])
def test_phone_number_line_is_not_a_timestamp(line):
    result = clean_text(f"{LEAD}\n\n{CLOSE}\n\n{line}")

    assert result.removed == []


@pytest.mark.parametrize("line", ["World News", "Home > World > Europe", "POLITICS", "Science & Tech"])
def test_short_label_above_the_report_is_a_category_label(line):
    result = clean_text(f"{line}\n{LEAD}\n{CLOSE}")

    assert [(s.reason, s.text) for s in result.removed] == [("category-label", line)]


@pytest.mark.parametrize(
    "first_line",
    [
        "By Jane Marr",
        "First published in 1902, the Tarn Bridge Gazette printed its last edition on Friday.",
        "Published reports put the cost at 2 million pounds.",
    ],
)
def test_byline_and_prose_that_opens_with_chrome_words_are_kept(first_line):
    text = f"{first_line}\n\n{LEAD}\n\n{CLOSE}"

    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "last_line",
    [
        "Share this year's repair budget with the bridge was the council's largest outlay.",
        "Follow-up inspections on the bridge are planned for the spring.",
        "Copyright lawyers were not involved in the dispute, the council said.",
    ],
)
def test_last_paragraph_that_opens_with_promo_words_is_kept(last_line):
    text = f"{LEAD}\n\n{CLOSE}\n\n{last_line}"

    assert clean_text(text).text == text


@pytest.mark.parametrize(
    "footer",
    [
        "The views expressed in this article are the author's own and do not necessarily reflect those of the site.",
        "This article is reproduced for reference only; if it infringes your rights, contact us for removal.",
        "Share this article",
        "Click here to subscribe to our morning briefing",
        "All rights reserved.",
    ],
)
def test_footer_wordings_are_removed(footer):
    result = clean_text(f"{LEAD}\n\n{CLOSE}\n\n{footer}")

    assert [s.text for s in result.removed] == [footer]
    assert result.text == f"{LEAD}\n\n{CLOSE}"


def test_windows_line_endings_keep_offsets_right():
    text = SOLAR_REPOST.replace("\n", "\r\n")

    result = clean_text(text, title=SOLAR_TITLE)

    assert len(result.removed) == 6
    _assert_offsets_point_at_input(text, result)
    assert "\r" not in result.text


def test_empty_text_gives_empty_result():
    result = clean_text("  \n\n ")

    assert (result.text, result.removed) == ("", [])


def test_label_and_timestamp_joined_on_one_line_are_removed_as_two_spans():
    text = f"Regional News › Coast Published: 4 May 2025 - 7:30 PM\n\n{LEAD}\n\n{CLOSE}"

    result = clean_text(text)

    assert [(s.reason, s.text) for s in result.removed] == [
        ("category-label", "Regional News › Coast"),
        ("timestamp", "Published: 4 May 2025 - 7:30 PM"),
    ]
    assert result.text == f"{LEAD}\n\n{CLOSE}"
    _assert_offsets_point_at_input(text, result)


def test_reshare_note_with_rights_and_takedown_wording_is_a_disclaimer():
    note = (
        "Site note: this story is reshared from its first publisher for readers' information only. "
        "Every right stays with the original author, and nothing on this page is professional advice. "
        "Owners who want it taken down can write to our desk."
    )

    result = clean_text(f"{LEAD}\n\n{CLOSE}\n\n{note}")

    assert [(s.reason, s.text) for s in result.removed] == [("disclaimer", note)]


def test_newsletter_pitch_repeated_by_one_outlet_is_removed_mid_article():
    pitch = "Get the Gazette's evening digest in your inbox. Free, every weekday."

    def report(day: int) -> list[str]:
        return [f"Harbour report for day {day}, paragraph {k}, on the repairs to the north quay." for k in range(10)]

    memory = BoilerplateMemory()
    for day in (1, 2, 3):
        memory.observe("gazette", f"a{day}", "\n\n".join(report(day)[:2] + [pitch] + report(day)[2:]))
    text = "\n\n".join(report(4)[:2] + [pitch] + report(4)[2:])

    result = clean_text(text, outlet="gazette", memory=memory)

    assert [(s.reason, s.text) for s in result.removed] == [("site-boilerplate", pitch)]
    assert result.evidence == [
        "line seen in 3 articles of outlet 'gazette' (threshold 3), pitches to the reader ('in your inbox')"
    ]


def test_newsletter_pitch_seen_once_is_kept_mid_article():
    lines = [f"Harbour report paragraph {k} on the repairs to the north quay." for k in range(10)]
    text = "\n\n".join(lines[:2] + ["Get the Gazette's evening digest in your inbox. Free, every weekday."] + lines[2:])

    assert clean_text(text, outlet="gazette", memory=BoilerplateMemory()).text == text
