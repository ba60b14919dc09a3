"""JSONL files: one raw input per line, normalised hints, per-line failures."""

from __future__ import annotations

import json

from newsloom.ingest.jsonl import jsonl_inputs, normalise_row
from newsloom.ingest.sources import iter_inputs
from newsloom.models import IngestFailure, RawInput
from newsloom.settings import from_env

GOOD_ROW = {
    "url": "https://marsh.example/levee",
    "title": "Levee holds after storm",
    "text": "The levee held through the night.",
    "source": "Marsh Herald",
    "date": "2026-02-27",
    "author": "Tomas Reed",
    "language": "en",
    "section": "local",
}


def write_lines(tmp_path, lines: list[str], name: str = "articles.jsonl"):
    path = tmp_path / name
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


def test_row_becomes_jsonl_input_with_line_bytes_and_normalised_hints(tmp_path):
    line = json.dumps(GOOD_ROW)
    path = write_lines(tmp_path, [line])
    [raw] = list(jsonl_inputs(path, from_env({})))
    assert (raw.kind, raw.origin, raw.body, raw.content_type) == ("jsonl", f"{path}#L1", line.encode(), "application/json")
    assert raw.hints == {
        "url": "https://marsh.example/levee",
        "title": "Levee holds after storm",
        "text": "The levee held through the night.",
        "author": "Tomas Reed",
        "language": "en",
        "outlet": "Marsh Herald",
        "published": "2026-02-27",
    }


def test_bad_lines_become_failures_and_the_rest_goes_on(tmp_path):
    lines = [
        '{"title": "Tide tables change", "text": "New tables apply from April."}',
        '{"title": "broken',
        "",
        '["a", "list"]',
        '{"title": "Ferry fares frozen"}',
        '{"url": "https://marsh.example/x", "source": "Marsh Herald"}',
        '{"html": "<p>Bridge toll scrapped.</p>", "publisher": "Fen Times", "timestamp": 1772000000}',
    ]
    path = write_lines(tmp_path, lines)
    inputs = list(jsonl_inputs(path, from_env({})))
    assert [(type(item).__name__, item.origin) for item in inputs] == [
        ("RawInput", f"{path}#L1"),
        ("IngestFailure", f"{path}#L2"),
        ("IngestFailure", f"{path}#L4"),
        ("RawInput", f"{path}#L5"),
        ("IngestFailure", f"{path}#L6"),
        ("RawInput", f"{path}#L7"),
    ]
    assert "not valid JSON" in inputs[1].message
    assert "JSON list, not an object" in inputs[2].message
    assert "neither a title nor text/html" in inputs[4].message


def test_title_only_row_is_valid(tmp_path):
    path = write_lines(tmp_path, ['{"title": "Ferry fares frozen"}'])
    [raw] = list(jsonl_inputs(path, from_env({})))
    assert raw.hints == {"title": "Ferry fares frozen"}


def test_html_row_keeps_html_and_maps_publisher_and_timestamp(tmp_path):
    path = write_lines(tmp_path, ['{"html": "<p>Bridge toll scrapped.</p>", "publisher": "Fen Times", "timestamp": 1772000000}'])
    [raw] = list(jsonl_inputs(path, from_env({})))
    assert raw.hints == {"html": "<p>Bridge toll scrapped.</p>", "outlet": "Fen Times", "published": 1772000000}


def test_line_over_the_cap_fails_alone_without_being_read_whole(tmp_path):
    lines = ['{"title": "Short one"}', json.dumps({"title": "Long", "text": "word " * 400}), '{"title": "After it"}']
    path = write_lines(tmp_path, lines)
    inputs = list(jsonl_inputs(path, from_env({}, max_input_bytes=500)))
    assert [type(item) for item in inputs] == [RawInput, IngestFailure, RawInput]
    assert inputs[1].message.startswith(f"{path}#L2: the line is longer than the max_input_bytes cap of 500 bytes")
    assert inputs[2].origin == f"{path}#L3"


def test_whole_file_larger_than_the_cap_is_still_read_line_by_line(tmp_path):
    lines = [json.dumps({"title": f"Council vote {number}"}) for number in range(50)]
    path = write_lines(tmp_path, lines)
    inputs = list(iter_inputs(str(path), from_env({}, max_input_bytes=100)))
    assert len(inputs) == 50 and all(isinstance(raw, RawInput) for raw in inputs)


def test_crlf_line_endings_are_not_part_of_the_body(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b'{"title": "Dock strike ends"}\r\n')
    [raw] = list(jsonl_inputs(path, from_env({})))
    assert raw.body == b'{"title": "Dock strike ends"}'


def test_invalid_utf8_line_is_a_failure(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"title": "Café"}\n'.encode("latin-1"))
    [failure] = list(jsonl_inputs(path, from_env({})))
    assert isinstance(failure, IngestFailure) and "not valid JSON" in failure.message


def test_canonical_key_wins_over_its_aliases():
    assert normalise_row({"outlet": "A", "source": "B", "published": "", "date": "2026-01-01"}) == {
        "outlet": "A",
        "published": "2026-01-01",
    }
