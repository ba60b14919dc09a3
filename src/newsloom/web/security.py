"""Defences of the web app: text from the web is hostile, and so are requests.

- ``SecurityHeaders``: a Content-Security-Policy without inline scripts or
  styles, nosniff, a strict Referrer-Policy and no framing, on every response.
- ``BodySizeLimit``: refuses request bodies over a limit with 413, both by
  Content-Length and while streaming (chunked uploads).
- ``safe_href``: only http(s) URLs become links; anything else is shown as text.
- ``ingest_denial``: the rules of the write endpoints (off unless the
  operator allows ingest; then a bearer token, compared in constant time).

This module must not render pages or touch the store.
"""

from __future__ import annotations

import hmac
import json
import re
from urllib.parse import urlsplit

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def safe_href(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host and no control characters, else None."""
    if not isinstance(url, str) or _UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in names]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """A request body grew past the limit while it was being read."""


class BodySizeLimit:
    """ASGI middleware answering 413 to bodies over ``limit_for(path)`` bytes."""

    def __init__(self, app, default_limit: int, limits_by_path: dict[str, int] | None = None):
        self.app = app
        self.default_limit = default_limit
        self.limits_by_path = limits_by_path or {}

    def limit_for(self, path: str) -> int:
        return self.limits_by_path.get(path.rstrip("/") or "/", self.default_limit)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_too_large(send, limit)
            return
        state = {"received": 0, "started": False}

        async def counting_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message):
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not state["started"]:
                await _send_too_large(send, limit)


async def _send_too_large(send, limit: int) -> None:
    body = json.dumps({"error": f"request body too large: the limit is {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def ingest_denial(allow_ingest: bool, token: str | None, authorization: str | None) -> tuple[int, str] | None:
    """Why a write request is refused, as (status, message); None when it may go ahead."""
    if not allow_ingest:
        return 403, ("ingest through the web API is off; the operator can start the server with "
                     "`newsloom serve --allow-ingest` and set NEWSLOOM_TOKEN")
    if not token:
        return 403, "ingest is allowed but no token is configured; the operator must set NEWSLOOM_TOKEN"
    scheme, _, presented = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return 401, "missing bearer token: send the header `Authorization: Bearer <NEWSLOOM_TOKEN>`"
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        return 403, "the bearer token is not valid"
    return None
