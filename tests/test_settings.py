"""The settings table feeds the CLI, the environment and the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsloom.cli import cli
from newsloom.settings import SETTINGS, from_env

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == []


def test_every_setting_is_an_ingest_option():
    help_text = CliRunner().invoke(cli, ["ingest", "--help"], terminal_width=200).output
    missing = [s.name for s in SETTINGS if "--" + s.name.replace("_", "-") not in help_text]
    assert missing == []


def test_environment_and_overrides():
    settings = from_env({"NEWSLOOM_BATCH_SIZE": "7", "NEWSLOOM_ALLOW_PRIVATE_URLS": "yes"}, fetch_timeout=3.0)
    assert (settings.batch_size, settings.allow_private_urls, settings.fetch_timeout) == (7, True, 3.0)


def test_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="nonsense"):
        from_env({}, nonsense=1)
