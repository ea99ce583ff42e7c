"""One check of one http(s) URL over aiohttp: GET it, follow its redirects by hand, record every response.

aiohttp brings what a hand-written client lacked: keep-alive pools per host, llhttp with limits on
header size and count, IDNA through yarl, proxies, TLS. One ClientSession serves a run. Redirects
are followed here rather than by aiohttp, because each target must be judged first (only http(s),
only public addresses: see addresses.py) and cookies set along one link's chain must be sent back
along that chain only. A body is read only to find an external #fragment, and never past a cap;
a small body is drained so that its connection can be reused.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from ..environment import is_set
from .addresses import PinnedResolver, browser_url, is_loopback, is_public, normal_host
from .charset import page_text
from .failures import FailureKind
from .http_failures import failure_of
from .linkchecker import parse_page
from .proxy import Proxies
from .settings import CheckSettings, Hop, RawResult
from .targets import browser_text, fragment_found

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 10
DRAIN_BYTES = 64 * 1024  # bodies up to this size are read so that the connection can serve the next link
HTML_TYPES = ("text/html", "application/xhtml+xml")


def tls_context(settings: CheckSettings) -> ssl.SSLContext | bool:
    """The run's TLS context: the system's roots (SSL_CERT_FILE/SSL_CERT_DIR honoured), plus --ca-bundle.

    Importing aiohttp has already built a context on the system's roots (its default, `True`
    here), so a run that needs nothing else uses that one: reading the store again costs about
    20 ms of CPU. A context of our own is made, once per run, for --ca-bundle, --insecure, a CA
    store named by SSL_CERT_FILE/SSL_CERT_DIR (which may have been set after aiohttp was
    imported, as by a test), or a system without a CA store (a slim container: certifi's public
    roots stand in).
    """
    defaults = ssl.get_default_verify_paths()
    named = is_set(defaults.openssl_cafile_env, defaults.openssl_capath_env)
    has_store = bool(defaults.cafile or defaults.capath)
    if has_store and not (named or settings.ca_bundle or settings.insecure):
        return True
    context = ssl.create_default_context()
    if not has_store:
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    if settings.ca_bundle:
        context.load_verify_locations(cafile=settings.ca_bundle)  # added to the public roots, not instead
    if settings.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class HttpChecker:
    """Checks http(s) URLs with GET; one instance (and one session per event loop) serves a run."""

    def __init__(self, settings: CheckSettings) -> None:
        self.settings = settings
        self.proxies = Proxies()
        self.headers = {"User-Agent": settings.user_agent, "Accept": "*/*", **dict(settings.headers)}
        self._context: ssl.SSLContext | bool | None = None
        self._session: aiohttp.ClientSession | None = None
        self._trusted = {normal_host(host) for host in settings.trusted_hosts}
        self._addresses: dict[tuple[str, int], list[Any]] = {}  # kept for the run, across its sessions

    @property
    def context(self) -> ssl.SSLContext | bool:
        if self._context is None:  # made when the first https URL comes, then shared by the run and its twins
            self._context = tls_context(self.settings)
        return self._context

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self.resolver = PinnedResolver(dict(self.settings.resolve), self._addresses)
            per_host, threads = self.settings.per_host, self.settings.threads
            connector = aiohttp.TCPConnector(
                limit=threads or 0, limit_per_host=per_host, resolver=self.resolver, use_dns_cache=False
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),  # cookies live in one link's chain, not in the run
                headers=self.headers,
                # No limits of aiohttp's own (300 s by default): each link's one deadline, kept by
                # check(), covers every hop, and a second timer per request would only cost CPU.
                timeout=aiohttp.ClientTimeout(),
                auto_decompress=True,
                max_line_size=8190,
                max_field_size=8190,
                max_headers=128,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def check(self, url: str, timeout: float | None = None) -> RawResult:
        """GET `url` within `timeout` s for the whole chain; never raises for network trouble."""
        hops: list[Hop] = []
        current = url
        try:
            async with asyncio.timeout(timeout or self.settings.timeout):
                return await self._follow(url, hops)
        except TimeoutError:
            return RawResult(url, current, hops, FailureKind.TIMEOUT, "no answer in time")

    async def _follow(self, url: str, hops: list[Hop]) -> RawResult:
        try:
            target = browser_url(url)
        except (ValueError, UnicodeError) as exc:
            return RawResult(url, url, hops, FailureKind.INVALID_URL, str(exc))
        first = (target.host, target.port)
        jar = _ChainCookies()
        seen: set[tuple[str, str]] = set()
        for _ in range(MAX_REDIRECTS + 1):
            shown = str(target)
            if hops:  # a redirect: the server's choice, judged before it is requested
                blocked = await self._blocked(target, first)
                if blocked is not None:
                    return RawResult(url, shown, hops, *blocked)
            try:
                hop, page = await self._request(target, jar)
            except Exception as exc:  # every failure of one URL is that URL's result, never the run's
                return RawResult(url, shown, hops, *failure_of(exc))
            hops.append(hop)
            if hop.status not in REDIRECTS:
                return self._finish(url, target, hops, page)
            if not hop.location:
                return RawResult(url, shown, hops, FailureKind.NO_LOCATION, f"{hop.status} without a Location header")
            scheme = _scheme_of(hop.location)
            if scheme not in ("", "http", "https"):
                return RawResult(url, shown, hops, FailureKind.BLOCKED_SCHEME, f"to {scheme}:")
            try:
                target = redirect_target(target, hop.location)
            except (ValueError, UnicodeError) as exc:
                return RawResult(url, shown, hops, FailureKind.INVALID_URL, f"Location {hop.location!r}: {exc}")
            # A loop is the same URL with the same cookies: a login step that sets one and comes back is no loop.
            state = (str(target.with_fragment(None)), jar.state())
            if state in seen:
                return RawResult(url, str(target), hops, FailureKind.REDIRECT_LOOP, f"{len(hops)} hops")
            seen.add(state)
        return RawResult(url, str(target), hops, FailureKind.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS}")

    async def _blocked(self, target: URL, first: tuple[str | None, int | None]) -> tuple[FailureKind, str] | None:
        if target.scheme not in ("http", "https"):
            return FailureKind.BLOCKED_SCHEME, f"to {target.scheme}:"
        host = target.raw_host or ""
        if self.settings.allow_private or (target.host, target.port) == first or host.lower() in self._trusted:
            return None
        if self.proxies.for_url(target.scheme, host, target.port or 0) is not None:
            addresses = [host] if _is_literal(host) else []  # the proxy resolves names, not us
        else:
            try:
                answers = await self.resolver.resolve(host, target.port or 0, 0)
            except OSError:
                return None  # the request itself will fail and say DNS failure
            addresses = [answer["host"] for answer in answers]
        private = [address for address in addresses if not is_public(address)]
        # A link written for this very machine (127.0.0.1, localhost) may be sent elsewhere on it: a
        # redirect from 127.0.0.1 to localhost reaches nothing the link did not. Any other machine, no.
        if private and is_loopback(first[0] or "") and all(is_loopback(address) for address in addresses):
            return None
        if private:
            return FailureKind.BLOCKED_ADDRESS, f"{host} is {private[0]} (use --allow-private to follow)"
        return None

    async def _request(self, target: URL, jar: _ChainCookies) -> tuple[Hop, _Page | None]:
        extra: dict[str, Any] = {}
        proxy = self.proxies.for_url(target.scheme, target.raw_host or "", target.port or 0)
        if proxy is not None:
            extra["proxy"] = f"http://{proxy.shown}"
            if proxy.authorization:  # https: on the CONNECT; http: on the request the proxy forwards
                login = {"Proxy-Authorization": proxy.authorization}
                extra["proxy_headers" if target.scheme == "https" else "headers"] = login
        if target.scheme == "https":
            extra["ssl"] = self.context
        request = target.with_fragment(None)
        async with self.session().get(request, allow_redirects=False, cookies=jar.sent(target), **extra) as response:
            jar.received(response)
            headers = response.headers
            hop = Hop(response.status, response.reason or "", headers.get("Location"), headers.get("Retry-After"))
            page = None
            if target.raw_fragment and 200 <= response.status < 300 and response.content_type in HTML_TYPES:
                page = _Page(await _read_capped(response, self.settings.max_page_bytes), response.charset)
            elif response.content_length is not None and response.content_length <= DRAIN_BYTES:
                await response.read()  # drained: the connection goes back to the pool
            return hop, page

    def _finish(self, url: str, target: URL, hops: list[Hop], page: _Page | None) -> RawResult:
        shown = str(target)
        if page is None or not self.settings.fragments:
            return RawResult(url, shown, hops)
        fragment = target.raw_fragment
        anchors = parse_page(page_text(page.body, page.charset)).anchors
        if fragment_found(fragment, anchors):
            return RawResult(url, shown, hops)
        if len(page.body) >= self.settings.max_page_bytes:
            detail = f"#{fragment} not in the first {self.settings.max_page_bytes} bytes of the page"
            return RawResult(url, shown, hops, FailureKind.FRAGMENT_UNCHECKED, detail)
        return RawResult(url, shown, hops, FailureKind.FRAGMENT_MISSING, f"no element with id {fragment!r}")


@dataclass(frozen=True)
class _Page:
    """The first bytes of a page read for a fragment, and the charset its Content-Type declared."""

    body: bytes
    charset: str | None


class _ChainCookies:
    """The cookies of one link's redirect chain; the jar is only made when a server sets one (most never do)."""

    def __init__(self) -> None:
        self._jar: aiohttp.CookieJar | None = None

    def sent(self, url: URL) -> Any:
        return self._jar.filter_cookies(url) if self._jar is not None else None

    def received(self, response: aiohttp.ClientResponse) -> None:
        if response.cookies:
            if self._jar is None:
                self._jar = aiohttp.CookieJar(unsafe=True, quote_cookie=False)
            self._jar.update_cookies(response.cookies, response.url)

    def state(self) -> str:
        return str(sorted((c.key, c.value) for c in self._jar)) if self._jar is not None else ""


def redirect_target(current: URL, location: str) -> URL:
    """Where a Location (absolute or relative) leads from `current`, as a browser resolves it.

    The fragment of `current` carries over when the Location has none (RFC 9110, 10.2.2).
    """
    text = browser_text(location)
    if "://" in text.split("?", 1)[0] or text.startswith("//"):
        joined = browser_url(current.scheme + ":" + text if text.startswith("//") else text)
    else:
        from urllib.parse import quote

        relative = URL(quote(text, safe="/%:@!$&'()*+,;=-._~?#", encoding="utf-8"), encoded=True)
        joined = browser_url(str(current.join(relative)))  # again: '%2e%2e' segments the join left
    if not joined.raw_fragment and current.raw_fragment and "#" not in location:
        joined = joined.with_fragment(current.fragment)
    return joined


def _scheme_of(location: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(location.strip()).scheme.lower()
    except ValueError:
        return ""


async def _read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
    chunks, size = [], 0
    while size < cap:
        chunk = await response.content.read(cap - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _is_literal(host: str) -> bool:
    try:
        is_public(host)
    except ValueError:
        return False
    return True
