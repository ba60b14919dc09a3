"""Files and directories: kinds, walk order, skipping, and per-file failures."""

from __future__ import annotations

import pytest

from newsloom.errors import IngestError
from newsloom.ingest.files import walk_files
from newsloom.ingest.sources import iter_inputs
from newsloom.models import IngestFailure, RawInput
from newsloom.settings import from_env

HTML_PAGE = b"<!doctype html><html><body><h1>Orchard fire contained</h1></body></html>"
TEXT_STORY = b"Orchard fire contained\n\nCrews contained the fire by dawn.\n"


def put(root, relative: str, body: bytes):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path


def test_html_file_is_one_html_input_with_exact_bytes(tmp_path):
    path = put(tmp_path, "fire.html", HTML_PAGE)
    [raw] = list(iter_inputs(str(path), from_env({})))
    assert (raw.kind, raw.origin, raw.body, raw.content_type, raw.hints) == ("html", str(path), HTML_PAGE, "text/html", {})


def test_text_file_is_one_text_input(tmp_path):
    path = put(tmp_path, "fire.txt", TEXT_STORY)
    [raw] = list(iter_inputs(str(path), from_env({})))
    assert (raw.kind, raw.body, raw.content_type) == ("text", TEXT_STORY, "text/plain")


def test_non_utf8_file_is_delivered_as_raw_bytes(tmp_path):
    body = "Le café du port rouvre après l'incendie.".encode("cp1252")
    path = put(tmp_path, "cafe.txt", body)
    [raw] = list(iter_inputs(str(path), from_env({})))
    assert raw.body == body


@pytest.mark.parametrize(
    "name, body, kind",
    [("page.bin", b"\n  <!DOCTYPE html><html></html>", "html"), ("story", b"<html><p>x</p></html>", "html"),
     ("feed.dat", b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>', "feed")],
)
def test_unknown_extension_is_sniffed(tmp_path, name, body, kind):
    path = put(tmp_path, name, body)
    assert next(iter_inputs(str(path), from_env({}))).kind == kind


def test_unknown_extension_without_markup_is_a_failure(tmp_path):
    path = put(tmp_path, "notes.csv", b"a,b,c\n1,2,3\n")
    [failure] = list(iter_inputs(str(path), from_env({})))
    assert (failure.stage, failure.origin) == ("read", str(path))
    assert "unknown kind of file (extension '.csv'" in failure.message


def test_directory_walk_is_sorted_and_skips_hidden_and_paperwork(tmp_path):
    for relative in ["b.txt", "a.html", "sub/c.txt", "sub/.cache/x.txt", ".git/config.txt", ".hidden.txt",
                     "README.md", "LICENSE.txt", "EXPECTED_stories.json", "readme-notes.txt", "aa/z.txt"]:
        put(tmp_path, relative, TEXT_STORY)
    walked = [path.relative_to(tmp_path).as_posix() for path in walk_files(tmp_path)]
    assert walked == ["a.html", "aa/z.txt", "b.txt", "sub/c.txt"]


def test_directory_origins_join_the_given_path_with_relative_paths(tmp_path):
    put(tmp_path, "news/sub/c.txt", TEXT_STORY)
    [raw] = list(iter_inputs(str(tmp_path / "news"), from_env({})))
    assert raw.origin == str(tmp_path / "news" / "sub" / "c.txt")


def test_bad_files_fail_alone_while_others_in_the_directory_come_through(tmp_path):
    put(tmp_path, "1-good.html", HTML_PAGE)
    put(tmp_path, "2-photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    put(tmp_path, "3-empty.txt", b"")
    put(tmp_path, "4-huge.txt", b"word " * 400_000)
    put(tmp_path, "5-good.txt", TEXT_STORY)
    inputs = list(iter_inputs(str(tmp_path), from_env({}, max_input_bytes=1_000_000)))
    assert [(type(item).__name__, item.origin.rsplit("/", 1)[-1]) for item in inputs] == [
        ("RawInput", "1-good.html"),
        ("IngestFailure", "2-photo.html"),
        ("IngestFailure", "3-empty.txt"),
        ("IngestFailure", "4-huge.txt"),
        ("RawInput", "5-good.txt"),
    ]
    photo, empty, huge = inputs[1:4]
    assert "looks like a PNG image" in photo.message
    assert "the file is empty" in empty.message
    assert "2,000,000 bytes, over the max_input_bytes cap of 1,000,000" in huge.message
    assert "NEWSLOOM_MAX_INPUT_BYTES" in huge.message


def test_whitespace_only_file_is_a_failure(tmp_path):
    path = put(tmp_path, "blank.txt", b" \n\n\t\n")
    [failure] = list(iter_inputs(str(path), from_env({})))
    assert isinstance(failure, IngestFailure) and "only whitespace" in failure.message


def test_jsonl_and_feed_files_in_a_directory_are_expanded(tmp_path):
    put(tmp_path, "a.jsonl", b'{"title": "Mill reopens"}\n{"title": "Mill hires"}\n')
    put(tmp_path, "b.rss", b'<rss version="2.0"><channel><title>T</title><item><title>Weir</title>'
        b"<description>Weir mended.</description></item></channel></rss>")
    kinds = [raw.kind for raw in iter_inputs(str(tmp_path), from_env({}))]
    assert kinds == ["jsonl", "jsonl", "feed", "feed-entry"]


def test_missing_path_raises_ingest_error_at_once(tmp_path):
    with pytest.raises(IngestError, match="no-such-dir: no such file or directory"):
        iter_inputs(str(tmp_path / "no-such-dir"), from_env({}))


def test_files_are_read_lazily_so_a_file_deleted_mid_walk_is_a_failure(tmp_path):
    put(tmp_path, "a.txt", TEXT_STORY)
    put(tmp_path, "b.txt", TEXT_STORY)
    stream = iter_inputs(str(tmp_path), from_env({}))
    first = next(stream)
    (tmp_path / "b.txt").unlink()
    [vanished] = list(stream)
    assert isinstance(first, RawInput)
    assert vanished.message == f"{tmp_path / 'b.txt'}: could not read the file (No such file or directory); check that it exists and is readable."
