"""The web app in a real browser: Debian's chromium driven by Playwright against a running server.

The server runs as ``newsloom serve`` when the CLI has that command, else
``python -m newsloom.web``, on a free 127.0.0.1 port over the demo corpus
(``demo_db`` in tests/conftest.py). Skips only when chromium or Playwright
is missing (``scripts/ensure-browser.sh`` installs chromium). Nothing
leaves 127.0.0.1: the browser runs with networking extras turned off.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSLOOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed (pip install playwright)")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"chromium not found at {CHROMIUM}: run scripts/ensure-browser.sh", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(db: Path, port: int) -> list[str]:
    from newsloom.cli import cli

    options = ["--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    if "serve" in getattr(cli, "commands", {}):
        return [sys.executable, "-c", "from newsloom.cli import main; main()", "serve", *options]
    return [sys.executable, "-m", "newsloom.web", *options]


def wait_until_up(base_url: str, server: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base_url + "/api/stories?limit=1", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer on {base_url} within {seconds} s")


@pytest.fixture(scope="module")
def server_url(demo_db):
    port = free_port()
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    server = subprocess.Popen(serve_command(demo_db, port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_reader_opens_a_story_and_follows_a_citation_to_its_source(server_url, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.goto(server_url + "/")
    first_story = page.locator(".story-card h2 a").first
    headline = first_story.inner_text()
    first_story.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == headline

    citation = page.locator(".digest a.cite").first
    citation.hover()
    tooltip = citation.locator(".cite-quote")
    assert tooltip.is_visible()
    cited_sentence = tooltip.inner_text().split(": “", 1)[1].rstrip("”")
    source_number = int(citation.inner_text().split("]")[0].lstrip("["))
    source_title = page.locator(f"#source-{source_number} .source-title").inner_text()
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)
    if os.environ.get("NEWSLOOM_UPDATE_SCREENSHOT"):  # `make screenshot` refreshes the README's picture
        page.screenshot(path=str(Path(__file__).resolve().parents[1] / "docs" / "screenshot-story.png"),
                        clip={"x": 0, "y": 0, "width": 1100, "height": 1400}, full_page=True)

    citation.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == source_title
    assert page.locator("mark#quote").inner_text() == cited_sentence
    assert console_errors == []  # a CSP violation (inline script or style) would show here
    page.close()


def test_phone_sized_story_page_has_no_horizontal_scroll(server_url, browser):
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(server_url + "/")
    page.locator(".story-card h2 a").first.click()
    page.wait_for_url("**/stories/*")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    page.close()
