"""Which proxy, if any, a link's request goes through: HTTP_PROXY, HTTPS_PROXY and NO_PROXY.

The standard library reads the variables (either case) and decides NO_PROXY, as requests and
LinkChecker did before our transport replaced them. A proxy is itself an http:// address: an
http:// link is asked of it in absolute form, an https:// link through a CONNECT tunnel.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..environment import proxy_configured


@dataclass(frozen=True)
class Proxy:
    """A proxy's address and, when its URL carries credentials, the Proxy-Authorization value."""

    host: str
    port: int
    authorization: str = ""

    @property
    def shown(self) -> str:
        return f"{self.host}:{self.port}"


class Proxies:
    """The run's proxies, read once from the environment; ValueError names a proxy we cannot use."""

    def __init__(self) -> None:
        self._by_scheme: dict[str, Proxy] = {}
        self._no_proxy = ""
        # Most runs have no proxy at all: urllib.request (about 20 ms to import) is only loaded for one.
        if not proxy_configured():
            return
        from urllib.request import getproxies_environment

        found = getproxies_environment()
        self._no_proxy = found.get("no", "")
        for scheme in ("http", "https"):
            if found.get(scheme):
                try:
                    self._by_scheme[scheme] = parse_proxy(found[scheme])
                except ValueError as exc:
                    raise ValueError(f"{scheme}_proxy: {exc}") from None

    def for_url(self, scheme: str, host: str, port: int) -> Proxy | None:
        """The proxy for a request to `host:port` by `scheme`, or None to connect directly."""
        proxy = self._by_scheme.get(scheme)
        if proxy is None or not host:
            return None
        from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]  # public, not in typeshed

        if proxy_bypass_environment(f"{host}:{port}", {"no": self._no_proxy}):
            return None
        return proxy


def parse_proxy(value: str) -> Proxy:
    """A proxy from its URL (`http://user:password@host:port`; the scheme may be left out).

    ValueError for a proxy we cannot speak to (an https:// or socks proxy).
    """
    parts = urlsplit(value if "://" in value else f"http://{value}")
    # The address is never echoed: it may hold a password, and CI logs are read by many.
    if parts.scheme.lower() != "http":
        raise ValueError(f"{parts.scheme}:// proxies are not supported, only http:// ones")
    if not parts.hostname:
        raise ValueError("the proxy address names no host")
    authorization = ""
    if parts.username is not None:
        login = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + base64.b64encode(login).decode("ascii")
    return Proxy(parts.hostname, parts.port or 80, authorization)
