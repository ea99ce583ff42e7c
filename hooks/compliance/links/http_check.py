"""One check of one http(s) URL: GET it, follow its redirects by hand, record every response.

Checks run as asyncio tasks on one thread: hundreds can wait on slow servers at once without a
thread each, which keeps the CPU cost per link low. h11 (the HTTP/1.1 parser under httpx) reads
and writes the messages; we only ever need a response's status line and headers, so each
connection is closed as soon as they arrive, body unread. One TLS context serves the whole run
(LinkChecker loaded the CA bundle again for every connection).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from urllib.parse import urljoin, urlsplit

import h11

from .settings import Hop, RawResult

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
USER_AGENT = "compliance-docs-linkcheck/2 (status check; LinkChecker-compatible)"
_READ_SIZE = 16 * 1024


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The one TLS context of a run: `ca_bundle` replaces the public roots when given."""
    import certifi  # deferred with the context: a run without https:// needs neither

    return ssl.create_default_context(cafile=ca_bundle or certifi.where())


class HttpChecker:
    """Checks http(s) URLs with GET; one instance serves every check of a run."""

    def __init__(self, timeout: float, ca_bundle: str | None = None) -> None:
        self.timeout = timeout
        self._ca_bundle = ca_bundle
        self._context: ssl.SSLContext | None = None

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
        secure = parts.scheme.lower() == "https"
        host = parts.hostname or ""
        reader, writer = await asyncio.open_connection(
            host, parts.port or (443 if secure else 80), ssl=self.context if secure else None
        )
        try:
            connection = h11.Connection(h11.CLIENT)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            headers = [("Host", parts.netloc.rpartition("@")[2]), ("User-Agent", USER_AGENT), ("Accept", "*/*")]
            headers.append(("Connection", "close"))
            writer.write(connection.send(h11.Request(method="GET", target=target, headers=headers)))
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    connection.receive_data(await reader.read(_READ_SIZE))
                elif isinstance(event, h11.Response):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    raise ConnectionResetError("connection reset: the server closed it without an answer")
        finally:
            writer.transport.abort()  # the body is not wanted; no need to wait for a polite close
        fields = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in event.headers}
        hop = Hop(event.status_code, fields.get("location"), fields.get("retry-after"))
        return hop, event.reason.decode("latin-1")


def _failure(exc: BaseException, url: str, timeout: float) -> tuple[str, str]:
    """(name, detail) in the words classify() understands."""
    if isinstance(exc, TimeoutError):
        return "ReadTimeout", f"no answer within {timeout:g} s"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "SSLError", str(exc)
    if isinstance(exc, ConnectionRefusedError):  # asyncio words it "Connect call failed"
        return "ConnectionError", f"[Errno 111] Connection refused ({exc})"
    if isinstance(exc, socket.gaierror):
        return "ConnectionError", f"Failed to resolve {urlsplit(url).hostname!r} ({exc})"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | asyncio.IncompleteReadError | h11.ProtocolError):
        return "ConnectionError", f"connection reset: {exc}" if "reset" not in str(exc) else str(exc)
    if isinstance(exc, OSError):
        return "ConnectionError", str(exc)
    if isinstance(exc, ValueError | UnicodeError):
        return "InvalidURL", str(exc)
    return type(exc).__name__, str(exc)
