"""Rewrite the settings table in README.md from newsloom.settings.SETTINGS (run by `make docs`)."""

import re
from pathlib import Path

from newsloom.settings import settings_markdown

readme = Path(__file__).resolve().parents[1] / "README.md"
text = readme.read_text()
table = "<!-- settings:start -->\n" + settings_markdown() + "\n<!-- settings:end -->"
updated = re.sub(r"<!-- settings:start -->.*?<!-- settings:end -->", lambda _: table, text, flags=re.S)
readme.write_text(updated)
