#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the real-browser web test
# (tests/test_web_browser.py drives it with Playwright; no browser is ever downloaded).
# Tolerates failure: without chromium that test skips with its reason.
set -u
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-browser: no apt-get here; install chromium yourself to run the browser test" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
        echo "ensure-browser: not root and no sudo; the browser test will skip" >&2
        exit 0
    fi
fi
echo "ensure-browser: installing Debian chromium for the browser test" >&2
{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >&2 \
    || echo "ensure-browser: could not install chromium; the browser test will skip" >&2
exit 0
