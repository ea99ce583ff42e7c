"""One check of one http(s) URL: follow its redirects by hand and record every response.

Our own transport rather than LinkChecker's: one urllib3 pool and one TLS context serve the
whole run (LinkChecker loads the CA bundle again for every connection), nothing sleeps under a
global lock, and each hop's status, Location and Retry-After are kept for classification.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin

import certifi
import urllib3
from urllib3 import exceptions as errors

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
# A body this small is read to the end so the connection can be reused; a larger one
# (a PDF certificate, say) is not worth downloading just to learn that it exists.
_DRAIN_LIMIT = 64 * 1024
USER_AGENT = "compliance-docs-linkcheck/1 (+https://github.com/linkchecker/linkchecker)"


@dataclass
class Hop:
    """One HTTP response (or failure) seen for a request URL."""

    status: int | None
    location: str | None = None
    retry_after: str | None = None
    error: str | None = None
    detail: str = ""


@dataclass
class RawResult:
    """The outcome of one check of one URL, with the hops that led to it."""

    url: str
    valid: bool
    result: str
    final_url: str
    warnings: list[str] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The one TLS context of a run: `ca_bundle` replaces the public roots when given."""
    return ssl.create_default_context(cafile=ca_bundle or certifi.where())


class HttpChecker:
    """Checks http(s) URLs with GET, sharing connections and one TLS context across threads."""

    def __init__(self, timeout: float, ca_bundle: str | None = None, per_host: int = 10) -> None:
        self.context = tls_context(ca_bundle)
        self._pool = urllib3.PoolManager(
            num_pools=512,
            maxsize=max(1, per_host),
            block=False,
            ssl_context=self.context,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=False,
            headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
        )

    def check(self, url: str) -> RawResult:
        """GET `url`, following up to MAX_REDIRECTS redirects; never raises for network trouble."""
        hops: list[Hop] = []
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self._pool.request("GET", current, redirect=False, preload_content=False)
            except (errors.HTTPError, OSError, ValueError) as exc:
                name, detail = _error_name(exc), str(exc)
                hops.append(Hop(None, error=name, detail=detail))
                return RawResult(url, False, f"{name}: {detail}", current, hops=hops)
            headers = response.headers
            hop = Hop(response.status, headers.get("Location"), headers.get("Retry-After"))
            hops.append(hop)
            _release(response)
            if hop.status in REDIRECTS and hop.location:
                current = urljoin(current, hop.location)
                if current in seen:
                    break
                seen.add(current)
                continue
            reason = response.reason or ""
            return RawResult(url, hop.status < 400, f"{hop.status} {reason}".strip(), current, hops=hops)
        return RawResult(url, False, f"TooManyRedirects: more than {MAX_REDIRECTS} redirects", current, hops=hops)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.clear()


def _release(response: urllib3.BaseHTTPResponse) -> None:
    length = response.headers.get("Content-Length", "")
    try:
        if length.isdigit() and int(length) <= _DRAIN_LIMIT:
            response.drain_conn()
        else:
            response.close()
        response.release_conn()
    except (errors.HTTPError, OSError):
        response.close()


def _error_name(exc: BaseException) -> str:
    """The requests-style name classify() understands, for a urllib3 or socket failure."""
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2, so it goes first.
    if isinstance(exc, errors.NewConnectionError):
        return "ConnectionError"
    if isinstance(exc, errors.ConnectTimeoutError):
        return "ConnectTimeout"
    if isinstance(exc, errors.ReadTimeoutError | TimeoutError):
        return "ReadTimeout"
    if isinstance(exc, errors.SSLError | ssl.SSLError):
        return "SSLError"
    if isinstance(exc, errors.ProtocolError | ConnectionError):
        return "ConnectionError"
    if isinstance(exc, errors.LocationValueError | errors.LocationParseError | ValueError):
        return "InvalidURL"
    return type(exc).__name__
