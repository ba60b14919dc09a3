"""Feed files: the feed's own raw input first, then entries with their hints."""

from __future__ import annotations

import pytest

from newsloom.errors import FeedError
from newsloom.ingest.feeds import parse_feed
from newsloom.ingest.sources import iter_inputs
from newsloom.models import IngestFailure, RawInput
from newsloom.settings import from_env

# Fiction written for newsloom's tests.
LONG_REPORT = " ".join(
    ["The Kestrel Valley ferry returned to service on Monday after a winter of repairs to its hull and engines."] * 6
)
SHORT_SUMMARY = "The Kestrel Valley ferry is back."

ATOM_FULL = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Kestrel Gazette</title>
  <id>urn:kestrel:gazette</id>
  <updated>2026-03-02T10:00:00Z</updated>
  <entry>
    <title>Ferry back in service</title>
    <link href="https://kestrel.example/ferry"/>
    <id>urn:kestrel:ferry</id>
    <published>2026-03-02T09:30:00+01:00</published>
    <updated>2026-03-02T09:30:00+01:00</updated>
    <author><name>Ines Marlow</name></author>
    <summary>{SHORT_SUMMARY}</summary>
    <content type="html">&lt;p&gt;{LONG_REPORT}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Harbour notice</title>
    <id>urn:kestrel:notice-12</id>
    <updated>2026-03-02T08:00:00Z</updated>
    <summary>Berths 3 and 4 close for dredging.</summary>
  </entry>
</feed>
"""

RSS_SUMMARY_ONLY = """<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Post</title>
<item><title>Lighthouse repainted</title><link>https://quay.example/lighthouse</link>
<description>Volunteers repainted the lighthouse.</description></item></channel></rss>"""


def write(tmp_path, name: str, body: str | bytes):
    path = tmp_path / name
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def settings(**overrides):
    return from_env({}, **overrides)


def test_feed_file_yields_feed_input_first_with_exact_bytes(tmp_path):
    path = write(tmp_path, "gazette.atom", ATOM_FULL)
    first = next(iter_inputs(str(path), settings()))
    assert (first.kind, first.origin, first.body, first.content_type) == (
        "feed", str(path), ATOM_FULL.encode(), "application/atom+xml"
    )


def test_feed_entry_with_full_content_yields_content_html_and_hints(tmp_path):
    path = write(tmp_path, "gazette.atom", ATOM_FULL)
    entry = list(iter_inputs(str(path), settings()))[1]
    assert (entry.kind, entry.origin, entry.content_type) == ("feed-entry", "https://kestrel.example/ferry", "text/html")
    assert entry.body == f"<p>{LONG_REPORT}</p>".encode()
    assert entry.hints == {
        "url": "https://kestrel.example/ferry",
        "title": "Ferry back in service",
        "published": "2026-03-02T08:30:00+00:00",
        "author": "Ines Marlow",
        "outlet": "Kestrel Gazette",
        "guid": "urn:kestrel:ferry",
        "charset": "utf-8",
    }


def test_entry_without_link_uses_feed_origin_and_guid(tmp_path):
    path = write(tmp_path, "gazette.atom", ATOM_FULL)
    notice = list(iter_inputs(str(path), settings()))[2]
    assert (notice.kind, notice.origin, notice.body) == (
        "feed-entry", f"{path}#urn:kestrel:notice-12", b"Berths 3 and 4 close for dredging."
    )


def test_summary_only_entry_without_fetcher_keeps_the_summary(tmp_path):
    path = write(tmp_path, "quay.rss", RSS_SUMMARY_ONLY)
    inputs = list(iter_inputs(str(path), settings()))
    assert [(raw.kind, raw.origin, raw.body) for raw in inputs[1:]] == [
        ("feed-entry", "https://quay.example/lighthouse", b"Volunteers repainted the lighthouse.")
    ]


def test_malformed_feed_yields_feed_input_then_one_failure(tmp_path):
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</ti'
    path = write(tmp_path, "broken.xml", broken)
    inputs = list(iter_inputs(str(path), settings()))
    assert [type(item) for item in inputs] == [RawInput, IngestFailure]
    assert (inputs[0].kind, inputs[0].body) == ("feed", broken)
    assert (inputs[1].origin, inputs[1].stage) == (str(path), "decode")
    assert inputs[1].message.startswith(f"{path}: not a readable RSS/Atom feed")


def test_bozo_but_recoverable_feed_still_yields_its_entries(tmp_path):
    # An undefined entity and an unclosed channel: feedparser flags it, but recovers the items.
    bozo = RSS_SUMMARY_ONLY.replace("Volunteers", "Volunteers&nbsp;").replace("</channel></rss>", "")
    path = write(tmp_path, "bozo.rss", bozo)
    inputs = list(iter_inputs(str(path), settings()))
    assert [raw.kind for raw in inputs] == ["feed", "feed-entry"]
    assert inputs[1].hints["title"] == "Lighthouse repainted"


def test_parse_feed_raises_feed_error_for_html(tmp_path):
    with pytest.raises(FeedError, match="page.html: not a readable RSS/Atom feed"):
        parse_feed(b"<html><body>Just a page</body></html>", "page.html")


def test_parse_feed_never_opens_a_file_named_by_the_body(tmp_path):
    feed_path = write(tmp_path, "real.rss", RSS_SUMMARY_ONLY)
    with pytest.raises(FeedError):
        parse_feed(str(feed_path).encode(), "body-naming-a-path")


def test_valid_feed_without_entries_yields_only_the_feed_input(tmp_path):
    path = write(tmp_path, "empty.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert [raw.kind for raw in iter_inputs(str(path), settings())] == ["feed"]
