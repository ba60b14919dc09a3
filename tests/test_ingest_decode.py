"""decode_text and the byte sniffers: right text from legacy encodings, refusals for non-text."""

from __future__ import annotations

import codecs

import pytest

from newsloom.errors import BinaryInputError, EmptyInputError
from newsloom.ingest.decode import decode_text, sniff_binary, sniff_kind

CP1252_TEXT = "The council’s “green budget” costs €4.2 million — a café owner on the quay called it naïve."
LATIN1_TEXT = "Le maire a déclaré que la rénovation du marché coûtera très cher à la ville d'Évreux."
JAPANESE_TEXT = "市議会は新しい図書館の建設計画を承認した。市長は来年の春に開館すると述べた。"


def test_cp1252_bytes_without_declaration_decode_to_curly_quotes_and_euro():
    assert decode_text(CP1252_TEXT.encode("cp1252")) == CP1252_TEXT


def test_latin1_bytes_without_declaration_decode_to_accented_text():
    assert decode_text(LATIN1_TEXT.encode("latin-1")) == LATIN1_TEXT


def test_short_cp1252_text_prefers_cp1252_over_tied_code_pages():
    assert decode_text("naïve café".encode("cp1252")) == "naïve café"


def test_utf16_with_bom_decodes_and_drops_the_bom():
    assert decode_text(codecs.BOM_UTF16_LE + LATIN1_TEXT.encode("utf-16-le")) == LATIN1_TEXT


def test_utf8_with_bom_decodes_and_drops_the_bom():
    assert decode_text(codecs.BOM_UTF8 + "Café".encode()) == "Café"


def test_utf32_with_bom_is_not_mistaken_for_utf16():
    assert decode_text("Ferry timetable".encode("utf-32")) == "Ferry timetable"


def test_shift_jis_bytes_decode_to_japanese():
    assert decode_text(JAPANESE_TEXT.encode("shift_jis")) == JAPANESE_TEXT


def test_declared_shift_jis_charset_is_used():
    assert decode_text(JAPANESE_TEXT.encode("shift_jis"), declared_charset="Shift_JIS") == JAPANESE_TEXT


def test_meta_charset_in_document_is_used():
    html = '<html><head><meta charset="windows-1251"></head><body>Городской совет</body></html>'
    assert decode_text(html.encode("cp1251")) == html


def test_xml_encoding_declaration_is_used():
    xml = '<?xml version="1.0" encoding="ISO-8859-7"?><rss><title>Νέα</title></rss>'
    assert decode_text(xml.encode("iso-8859-7")) == xml


def test_latin1_label_reads_c1_bytes_as_windows_1252():
    assert decode_text("“Quote” €5".encode("cp1252"), declared_charset="iso-8859-1") == "“Quote” €5"


def test_utf8_body_wins_over_a_wrong_latin1_label():
    assert decode_text("Café crème".encode("utf-8"), declared_charset="iso-8859-1") == "Café crème"


def test_wrong_declared_charset_that_fails_falls_back_to_utf8():
    assert decode_text("東京".encode("utf-8"), declared_charset="ascii") == "東京"


def test_png_bytes_raise_binary_input_error_naming_the_format():
    with pytest.raises(BinaryInputError, match="photo.png: looks like a PNG image"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", origin="photo.png")


@pytest.mark.parametrize(
    "head, name",
    [(b"%PDF-1.7\n", "PDF document"), (b"PK\x03\x04rest", "ZIP archive"), (b"\x1f\x8b\x08\x00", "gzip archive"),
     (b"\xff\xd8\xff\xe0", "JPEG image"), (b"GIF89a..", "GIF image")],
)
def test_known_magic_numbers_are_sniffed_as_binary(head, name):
    assert sniff_binary(head) == name


def test_nul_bytes_without_bom_are_binary():
    assert sniff_binary(b"\x01\x02\x00\x00\x00\xff\xfe\x00\x07") == "binary file (it contains NUL bytes)"


def test_utf16_without_bom_is_not_binary():
    assert sniff_binary("Harbour news".encode("utf-16-le")) is None


def test_empty_and_whitespace_input_raise_empty_input_error():
    for body in (b"", b"  \n\t \r\n"):
        with pytest.raises(EmptyInputError, match="a.txt: the input is empty"):
            decode_text(body, origin="a.txt")


@pytest.mark.parametrize(
    "head, kind",
    [(b"  <!DOCTYPE html><html>", "html"), (b"<html lang='en'>", "html"), (b"<rss version='2.0'>", "feed"),
     (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
     (b"\xef\xbb\xbf<?xml version='1.0'?><rdf:RDF>", "feed"), (b"Plain words.", None), (b"<?xml version='1.0'?><sitemap>", None)],
)
def test_sniff_kind_recognises_html_and_feeds(head, kind):
    assert sniff_kind(head) == kind
