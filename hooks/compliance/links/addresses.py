"""Where a request may go: URLs as browsers send them, names resolved once per run, public addresses only.

A redirect is the server's choice, not the editor's: following one to 127.0.0.1, a private
network or a cloud metadata service (169.254.169.254) from CI would let any linked site probe
the runner's network. So every redirect target is resolved first and refused unless each address
is public, whatever notation the URL used (0x7f000001, 2130706433, [::ffff:7f00:1]...): the
check is made on the addresses, not on the text. The resolver keeps its answers for the run, so
the connection goes to the very address that was judged (a name cannot rebind in between).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from .targets import browser_text

# What a browser leaves as it is in a path and a query (RFC 3986 characters plus '%' already written).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_USERINFO_SAFE = "%!$&'()*+,;=-._~"  # WHATWG's userinfo set: ':' and '@' of a password are encoded
_DOTS = {".": 1, "%2e": 1, "..": 2, ".%2e": 2, "%2e.": 2, "%2e%2e": 2}
# A URL already written as a browser sends it: lower-case scheme and host name (or IPv4 address),
# no login, a port without leading zeros, a path, and a non-empty query and fragment if any, each
# of characters the reading below leaves as they are. Only dot segments and the port's range are
# left to check (`_as_sent`).
_SENT_AS_IS = re.compile(
    r"https?://[a-z0-9.-]+(?::[1-9][0-9]{0,4})?(?P<path>/[A-Za-z0-9/%:@!$&'()*+,;=._~-]*)"
    r"(?:\?[A-Za-z0-9/%:@!$&'()*+,;=._~?-]+)?(?:#[A-Za-z0-9/%:@!$&'()*+,;=._~?#-]+)?"
)
_DOT_SEGMENT = re.compile(r"(?i)/(?:\.|%2e){1,2}(?=/|$)")


def browser_url(text: str) -> URL:
    """The URL a browser would request for `text` (WHATWG URL): IDNA host, UTF-8 percent-encoded path
    and query, dot segments (`..`, `%2e%2e`) removed, backslashes as slashes, the login kept (aiohttp
    sends it as Basic authentication; reports never show it).

    ValueError for what no browser could request (no host, a bad port, an unencodable host).
    """
    if _as_sent(text):  # most links: the reading below would give back the same text (a test holds it)
        return URL(text, encoded=True)
    return browser_reading(text)


def browser_reading(text: str) -> URL:
    """browser_url's reading of any `text`, step by step (see browser_url)."""
    parts = urlsplit(browser_text(text))
    if not parts.hostname:
        raise ValueError(f"no host name in {text!r}")
    host = URL.build(scheme="http", host=parts.hostname).raw_host  # yarl applies IDNA (UTS 46)
    if not host or any(ord(c) < 0x21 or ord(c) > 0x7E for c in host):
        raise ValueError(f"host {parts.hostname!r} cannot be sent")
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    if parts.username or parts.password:
        login = quote(parts.username or "", safe=_USERINFO_SAFE, encoding="utf-8")
        if parts.password:
            login += ":" + quote(parts.password, safe=_USERINFO_SAFE, encoding="utf-8")
        netloc = f"{login}@{netloc}"
    path = without_dot_segments(quote(parts.path or "/", safe=_PATH_SAFE, encoding="utf-8"))
    query = ("?" + quote(parts.query, safe=_QUERY_SAFE, encoding="utf-8")) if parts.query else ""
    fragment = ("#" + quote(parts.fragment, safe=_QUERY_SAFE + "#", encoding="utf-8")) if parts.fragment else ""
    return URL(f"{parts.scheme.lower()}://{netloc}{path}{query}{fragment}", encoded=True)


def _as_sent(text: str) -> bool:
    written = _SENT_AS_IS.fullmatch(text)
    if written is None or _DOT_SEGMENT.search(written["path"]):
        return False
    port = written.group(0).split("/", 3)[2].partition(":")[2]
    return not port or int(port) <= 65535


def without_dot_segments(path: str) -> str:
    """An encoded absolute path with `.` and `..` segments resolved, written any way WHATWG reads them."""
    kept: list[str] = []
    segments = path.split("/")[1:]
    for number, segment in enumerate(segments, 1):
        dots = _DOTS.get(segment.lower(), 0)
        if dots == 2 and kept:
            kept.pop()
        if not dots:
            kept.append(segment)
        elif number == len(segments):
            kept.append("")  # '/a/..' is '/', '/a/.' is '/a/': a folder
    return "/" + "/".join(kept)


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (IPv4 inside IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_loopback(host: str) -> bool:
    """Whether a host as written is this machine: a loopback address, or `localhost` and its subdomains (RFC 6761)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class PinnedResolver(AbstractResolver):
    """DNS through the system, answers kept for the run; `overrides` answer for given names (tests, `--resolve`).

    One lookup per host name for the whole run, whatever the port: the ten requests a host's
    first links start at once wait on the same lookup rather than each taking one of the
    executor's few threads (aiohttp's own DNS cache would do this, but it forgets after 10 s,
    and a name must not rebind between the judging of a redirect and its request). A failed
    lookup is shared by those waiting on it, then forgotten, so a retry asks again.
    """

    def __init__(
        self, overrides: dict[str, str] | None = None, known: dict[tuple[str, int], list[ResolveResult]] | None = None
    ) -> None:
        self.overrides = {normal_host(host): address for host, address in (overrides or {}).items()}
        self._inner = ThreadedResolver()
        # Answers outlive this resolver's event loop when the caller keeps `known` (the https-twin pass
        # runs on a loop of its own); lookups under way belong to this loop only.
        self._known: dict[tuple[str, int], list[ResolveResult]] = {} if known is None else known
        self._lookups: dict[tuple[str, int], asyncio.Future[list[ResolveResult]]] = {}

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        pinned = self.overrides.get(host.lower())
        if pinned is not None:
            kind = socket.AF_INET6 if ":" in pinned else socket.AF_INET
            flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
            return [ResolveResult(hostname=host, host=pinned, port=port, family=kind, proto=0, flags=flags)]
        key = (host.lower(), int(family))
        answers = self._known.get(key)
        if answers is None:
            lookup = self._lookups.get(key)
            if lookup is None:
                lookup = self._lookups[key] = asyncio.ensure_future(self._inner.resolve(host, 0, family))
                lookup.add_done_callback(lambda done: self._settle(key, done))
            # Shielded: one link's deadline must not cancel a lookup other links are waiting on.
            answers = await asyncio.shield(lookup)
        return [{**answer, "port": port} for answer in answers]

    def _settle(self, key: tuple[str, int], done: asyncio.Future[list[ResolveResult]]) -> None:
        del self._lookups[key]
        if not done.cancelled() and done.exception() is None:
            self._known[key] = done.result()

    async def close(self) -> None:
        for lookup in list(self._lookups.values()):
            lookup.cancel()
        await self._inner.close()


def normal_host(host: str) -> str:
    """A host name as it goes on the wire (IDNA, lower case), for comparing names written differently."""
    try:
        return (URL.build(scheme="http", host=host.strip().strip("[]")).raw_host or host).lower()
    except (ValueError, UnicodeError):
        return host.lower()
