"""Shared fixtures: the demo corpus ingested once per test session, and ../shared."""

import json
from pathlib import Path

import pytest

from newsloom import Engine

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "examples" / "demo-corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def demo_expected() -> dict:
    return json.loads((DEMO_CORPUS / "EXPECTED.json").read_text())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Engine(db) as engine:
        report = engine.ingest([str(DEMO_CORPUS)])
    assert report.failures == [], report.failures
    return db


@pytest.fixture
def shared_examples() -> Path:
    folder = SHARED / "examples"
    if not folder.is_dir():
        pytest.skip("../shared/examples is not present")
    return folder


def article_key(ref) -> str:
    """The answer key's name for an article: its URL, else its path in the corpus."""
    if ref.url:
        return ref.url
    return "file:" + Path(ref.origin).resolve().relative_to(DEMO_CORPUS.resolve()).as_posix()
