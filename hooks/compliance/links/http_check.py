"""One check of one http(s) URL: GET it, follow its redirects by hand, record every response.

Checks run as asyncio tasks on one thread: hundreds can wait on slow servers at once without a
thread each, which keeps the CPU cost per link low. The request is one fixed GET whose two
variable parts (target and Host) are checked to be visible ASCII, as HTTP/1.1 requires; httptools
(llhttp, the C parser under uvicorn) reads the response, at a fortieth of h11's CPU per response,
and h11's request writing and import cost as much again. We only ever need a response's status
line and headers, so each connection is closed as soon as they arrive, body unread. One TLS context serves the whole run
(LinkChecker loaded the CA bundle again for every connection).
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from typing import cast
from urllib.parse import urljoin, urlsplit

import httptools

from .proxy import Proxies, Proxy
from .settings import USER_AGENT, Hop, RawResult, sendable_field

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
_REQUEST = (
    "{method} {target} HTTP/1.1\r\nHost: {host}\r\n{proxy}User-Agent: {agent}\r\nAccept: */*\r\n"
    "Connection: close\r\n\r\n"
)
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")  # RFC 9112: a request target and a host are VCHARs


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The one TLS context of a run: `ca_bundle` replaces the public roots when given."""
    import certifi  # deferred with the context: a run without https:// needs neither

    return ssl.create_default_context(cafile=ca_bundle or certifi.where())


class HttpChecker:
    """Checks http(s) URLs with GET; one instance serves every check of a run."""

    def __init__(self, timeout: float, ca_bundle: str | None = None, user_agent: str = USER_AGENT) -> None:
        self.timeout = timeout
        if not sendable_field(user_agent):
            raise ValueError(f"a User-Agent must be printable ASCII on one line, not {user_agent!r}")
        self.user_agent = user_agent
        self._ca_bundle = ca_bundle
        self._context: ssl.SSLContext | None = None
        self.proxies = Proxies()

    @property
    def context(self) -> ssl.SSLContext:
        """The run's TLS context, made at the first https URL (loading the CA bundle costs CPU)."""
        if self._context is None:
            self._context = tls_context(self._ca_bundle)
        return self._context

    async def check(self, url: str) -> RawResult:
        """GET `url`, following up to MAX_REDIRECTS redirects; never raises for network trouble."""
        hops: list[Hop] = []
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            try:
                async with asyncio.timeout(self.timeout):
                    hop, reason = await self._request(current)
            except Exception as exc:  # every failure of one URL is that URL's result, never the run's
                name, detail = _failure(exc, current, self.timeout)
                hops.append(Hop(None, error=name, detail=detail))
                return RawResult(url, False, f"{name}: {detail}", current, hops=hops)
            hops.append(hop)
            if hop.status in REDIRECTS and hop.location:
                current = urljoin(current, hop.location)
                if current in seen:
                    break
                seen.add(current)
                continue
            status = hop.status or 0
            return RawResult(url, status < 400, f"{status} {reason}".strip(), current, hops=hops)
        return RawResult(url, False, f"TooManyRedirects: more than {MAX_REDIRECTS} redirects", current, hops=hops)

    async def _request(self, url: str) -> tuple[Hop, str]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        secure = scheme == "https"
        host, port = parts.hostname or "", parts.port or (443 if secure else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        netloc = parts.netloc.rpartition("@")[2]
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[_Head] = loop.create_future()
        proxy = self.proxies.for_url(scheme, host, port)
        if proxy is None:
            request = self._request_bytes(target, netloc)
            transport, _ = await loop.create_connection(
                lambda: _HeadReader(request, answered), host, port, ssl=self.context if secure else None
            )
        elif not secure:  # a proxy is asked for the whole URL
            request = self._request_bytes(f"http://{netloc}{target}", netloc, proxy.authorization)
            transport, _ = await loop.create_connection(lambda: _HeadReader(request, answered), proxy.host, proxy.port)
        else:
            transport = await self._tunnel(proxy, host, port)
            reader = _HeadReader(self._request_bytes(target, netloc), answered)
            try:
                transport = await loop.start_tls(transport, reader, self.context, server_hostname=host)
            except BaseException:
                transport.abort()
                raise
            reader.connection_made(transport)  # start_tls does not call it
        try:
            head = await answered
        finally:
            transport.abort()  # the body is not wanted; no need to wait for a polite close
        hop = Hop(head.status, head.fields.get("location"), head.fields.get("retry-after"))
        return hop, head.reason

    async def _tunnel(self, proxy: Proxy, host: str, port: int) -> asyncio.Transport:
        """A connection to `host:port` through `proxy` (HTTP CONNECT), ready for TLS."""
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[_Head] = loop.create_future()
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        request = self._request_bytes(authority, authority, proxy.authorization, "CONNECT")
        transport, _ = await loop.create_connection(lambda: _HeadReader(request, answered), proxy.host, proxy.port)
        try:
            head = await answered
        except BaseException:
            transport.abort()
            raise
        if not 200 <= head.status < 300:  # any 2xx opens the tunnel (RFC 9110, 9.3.6)
            transport.abort()
            raise ProxyError(f"the proxy {proxy.shown} refused a tunnel to {authority}: {head.status} {head.reason}")
        return cast(asyncio.Transport, transport)

    def _request_bytes(self, target: str, host: str, authorization: str = "", method: str = "GET") -> bytes:
        """The request; ValueError (an invalid URL) for a target or host a server could misread."""
        for part, value in (("request target", target), ("host", host)):
            if not _VISIBLE_ASCII.fullmatch(value):
                raise ValueError(f"illegal characters in the {part} {value!r}")
        login = f"Proxy-Authorization: {authorization}\r\n" if authorization else ""
        fields = {"method": method, "target": target, "host": host, "proxy": login, "agent": self.user_agent}
        return _REQUEST.format(**fields).encode("ascii")


class ProxyError(ConnectionError):
    """A proxy that would not carry the request."""


class _Head:
    """The status and header fields of one response (names lower-cased; the last of repeated ones)."""

    __slots__ = ("fields", "reason", "status")

    def __init__(self) -> None:
        self.status = 0
        self.reason = ""
        self.fields: dict[str, str] = {}


class _HeadReader(asyncio.Protocol):
    """Writes one request and resolves `answered` with the response head, body unread.

    A bare protocol rather than asyncio's streams: a check needs no read buffer or writer of
    its own. Interim 1xx responses are skipped, as h11 did.
    """

    def __init__(self, request: bytes, answered: asyncio.Future[_Head]) -> None:
        self.request, self.answered = request, answered
        self.head = _Head()
        self.reason = b""
        self.parser = httptools.HttpResponseParser(self)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        cast(asyncio.WriteTransport, transport).write(self.request)

    def data_received(self, data: bytes) -> None:
        if self.answered.done():
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self.on_headers_complete()  # a 101 or an Upgrade header: its head is all we want anyway
        except httptools.HttpParserError as exc:
            self.answered.set_exception(ConnectionResetError(f"connection reset: malformed response ({exc})"))

    # httptools' callbacks, in the order the response is read.
    def on_status(self, reason: bytes) -> None:
        self.reason += reason  # a reason phrase split over two reads arrives in two parts

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head.fields[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200 and status != 101:  # interim: the real answer follows
            self.head, self.reason = _Head(), b""
            return
        if not self.answered.done():
            self.head.status, self.head.reason = status, self.reason.decode("latin-1")
            self.answered.set_result(self.head)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.answered.done():
            self.answered.set_exception(
                exc or ConnectionResetError("connection reset: the server closed it without an answer")
            )


def _failure(exc: BaseException, url: str, timeout: float) -> tuple[str, str]:
    """(name, detail) in the words classify() understands."""
    if isinstance(exc, TimeoutError):
        return "ReadTimeout", f"no answer within {timeout:g} s"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "SSLError", str(exc)
    if isinstance(exc, ProxyError):
        return "ProxyError", str(exc)
    if isinstance(exc, ConnectionRefusedError):  # asyncio words it "Connect call failed"
        return "ConnectionError", f"[Errno 111] Connection refused ({exc})"
    if isinstance(exc, socket.gaierror):
        return "ConnectionError", f"Failed to resolve {urlsplit(url).hostname!r} ({exc})"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "ConnectionError", f"connection reset: {exc}" if "reset" not in str(exc) else str(exc)
    if isinstance(exc, OSError):
        return "ConnectionError", str(exc)
    if isinstance(exc, ValueError | UnicodeError):
        return "InvalidURL", str(exc)
    return type(exc).__name__, str(exc)
