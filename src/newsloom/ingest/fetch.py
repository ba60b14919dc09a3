"""Fetch one URL safely: address guard, size cap, timeouts, conditional GET.

``Fetcher.get`` follows redirects itself (at most ``MAX_REDIRECTS``) so that
``check_url_allowed`` vets every hop, not only the first: a public page must
not be able to bounce newsloom onto ``127.0.0.1`` or a cloud metadata
address. Bodies are streamed and cut off at ``settings.max_input_bytes``.

Feeds are polled with ``If-None-Match`` / ``If-Modified-Since``; the
validators live in a ``ValidatorCache`` (the store implements it, so they
survive between runs; ``MemoryValidatorCache`` is the default).

``page_input`` wraps a fetched page as a RawInput (kind "html").

This module must not parse or decode what it downloads, and must not read
the environment (proxies, certificates) beyond httpx's own defaults.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

import newsloom
from newsloom.errors import BinaryInputError, FetchError, InputTooLargeError, UnsafeURLError
from newsloom.ingest.decode import sniff_binary
from newsloom.models import RawInput

MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass
class FetchResult:
    url: str  # final URL after redirects
    status: int
    body: bytes
    content_type: str | None  # media type only, lower-cased: "text/html"
    charset: str | None  # the charset parameter of Content-Type, if any
    etag: str | None
    last_modified: str | None


class ValidatorCache(Protocol):
    """Where the ETag / Last-Modified of feeds are kept between runs."""

    def get(self, url: str) -> tuple[str | None, str | None]: ...

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


class MemoryValidatorCache:
    """A ValidatorCache that lives as long as the process."""

    def __init__(self) -> None:
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def get(self, url: str) -> tuple[str | None, str | None]:
        return self._validators.get(url, (None, None))

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self._validators[url] = (etag, last_modified)


def page_input(origin: str, response: FetchResult, hints: dict | None = None) -> RawInput:
    """A fetched page as a RawInput of kind "html"; BinaryInputError for an image, PDF, archive..."""
    binary_format = sniff_binary(response.body)
    if binary_format:
        raise BinaryInputError(f"{response.url}: the response is a {binary_format}, not an HTML page; skipped.")
    page_hints = {**(hints or {}), "url": response.url}
    if response.charset:
        page_hints["charset"] = response.charset
    return RawInput(origin=origin, body=response.body, kind="html", content_type=response.content_type, hints=page_hints)


def check_url_allowed(url: str, settings) -> None:
    """Raise UnsafeURLError unless ``url`` is http(s) to a public address.

    Private, loopback, link-local, multicast, reserved and unspecified
    addresses (IPv4-mapped IPv6 included) are refused unless
    ``settings.allow_private_urls``. Every address the host resolves to must
    be public: one private answer is enough to refuse.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"{url}: only http and https URLs can be fetched (got {parts.scheme or 'no'} scheme).")
    if not parts.hostname:
        raise UnsafeURLError(f"{url}: the URL has no host name; give a full http(s) URL.")
    if settings.allow_private_urls:
        return
    for address in _resolve(url, parts.hostname, _port_of(url, parts)):
        reason = _non_public_reason(address)
        if reason:
            raise UnsafeURLError(
                f"{url}: host {parts.hostname} resolves to {reason} address {address}; refused. "
                "Set allow_private_urls (NEWSLOOM_ALLOW_PRIVATE_URLS=1) to fetch from private networks."
            )


def _port_of(url: str, parts) -> int:
    try:
        port = parts.port
    except ValueError:
        raise UnsafeURLError(f"{url}: the port is not a number between 0 and 65535; fix the URL.") from None
    return port or (443 if parts.scheme.lower() == "https" else 80)


def _resolve(url: str, host: str, port: int) -> list[str]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: could not resolve host {host} ({error}); check the URL and your network.") from None
    return [str(answer[4][0]) for answer in answers]


def _non_public_reason(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


class Fetcher:
    """One HTTP client for a run; ``get`` returns a FetchResult, or None for 304."""

    def __init__(self, settings, validators: ValidatorCache | None = None, transport=None):
        self.settings = settings
        self.validators = validators if validators is not None else MemoryValidatorCache()
        self._client = httpx.Client(
            timeout=settings.fetch_timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent.format(version=newsloom.__version__)},
            transport=transport,
        )

    def get(self, url: str, *, conditional: bool = False, remember: bool = True) -> FetchResult | None:
        """GET ``url``; with ``conditional``, send stored validators and return None on 304.

        A conditional GET that succeeds stores the response's validators,
        unless ``remember`` is False (the caller stores them once the
        response's content is safely handed on, see ``remember_validators``).
        Raises FetchError (HTTP error, timeout, too many redirects),
        UnsafeURLError (any hop) and InputTooLargeError (body over the cap).
        """
        headers = self._conditional_headers(url) if conditional else {}
        current_url = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_url_allowed(current_url, self.settings)
            outcome = self._request_once(current_url, headers)
            if isinstance(outcome, str):
                current_url = outcome
                continue
            if outcome is not None and conditional and remember:
                self.remember_validators(url, outcome)
            return outcome
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects (last: {current_url}); open the URL in a browser to find the final address.")

    def remember_validators(self, url: str, result: FetchResult) -> None:
        """Keep ``result``'s ETag / Last-Modified so the next poll of ``url`` can be conditional."""
        if result.etag or result.last_modified:
            self.validators.put(url, result.etag, result.last_modified)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _conditional_headers(self, url: str) -> dict[str, str]:
        etag, last_modified = self.validators.get(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _request_once(self, url: str, headers: dict[str, str]) -> FetchResult | str | None:
        """One request: a FetchResult, the next URL of a redirect, or None for 304."""
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._handle_response(url, response)
        except httpx.TimeoutException:
            raise FetchError(
                f"{url}: timed out after {self.settings.fetch_timeout}s; try again later or raise fetch_timeout (NEWSLOOM_FETCH_TIMEOUT)."
            ) from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: request failed ({type(error).__name__}: {error}); check the URL and your network.") from None

    def _handle_response(self, url: str, response: httpx.Response) -> FetchResult | str | None:
        location = response.headers.get("location")
        if response.status_code in _REDIRECT_STATUSES and location:
            return urljoin(url, location)
        if response.status_code == 304:
            return None
        if response.status_code >= 400:
            raise FetchError(
                f"{url}: HTTP {response.status_code} {response.reason_phrase}; check that the address is right and public."
            )
        body = self._read_capped(url, response)
        media_type, charset = _split_content_type(response.headers.get("content-type"))
        return FetchResult(
            url=str(response.url),
            status=response.status_code,
            body=body,
            content_type=media_type,
            charset=charset,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        limit = self.settings.max_input_bytes
        declared_length = response.headers.get("content-length", "")
        if declared_length.isdigit() and int(declared_length) > limit:
            raise _too_large(url, f"{int(declared_length):,} bytes (Content-Length)", limit)
        chunks, received = [], 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > limit:
                raise _too_large(url, f"more than {limit:,} bytes", limit)
            chunks.append(chunk)
        return b"".join(chunks)


def _too_large(url: str, size: str, limit: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"{url}: the response is {size}, over the max_input_bytes cap of {limit:,}; "
        "raise max_input_bytes (NEWSLOOM_MAX_INPUT_BYTES) to fetch it."
    )


def _split_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower() or None, charset
