"""A forward HTTP proxy on loopback: absolute-form GETs are relayed, CONNECT opens a tunnel.

It stands in for the corporate proxy a CI runner reaches the web through (HTTP_PROXY,
HTTPS_PROXY). Every request is logged as (method, target), so a test can tell whether a link
went through the proxy or around it. With `credentials` set, a request without the matching
`Proxy-Authorization: Basic ...` is answered 407. It only ever connects on to 127.0.0.0/8.
"""

from __future__ import annotations

import base64
import select
import socket
from typing import Any
from urllib.parse import urlsplit

from standins.base import SocketServerStandin, StandinHandler, StandinHTTPServer, check_loopback

_RELAY_SECONDS = 10  # a tunnel or relay idle this long is closed


class _Server(StandinHTTPServer):
    standin: ProxyStandin


class _Handler(StandinHandler):
    server: _Server

    def do_CONNECT(self) -> None:
        self.server.standin._record(self.command, self.path)
        if not self._authorized():
            return
        host, _, port = self.path.rpartition(":")
        upstream = self._upstream(host, port, True)
        if upstream is None:
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        _pipe(self.connection, upstream)
        self.close_connection = True

    def _answer(self, send_body: bool) -> None:
        if not self._authorized():
            return
        target = urlsplit(self.path)
        if target.scheme != "http" or not target.hostname:
            self._reply(400, send_body)  # a proxy is asked in absolute form
            return
        upstream = self._upstream(target.hostname, target.port or 80, send_body)
        if upstream is None:
            return
        origin_form = (target.path or "/") + (f"?{target.query}" if target.query else "")
        head = f"{self.command} {origin_form} HTTP/1.0\r\nHost: {target.netloc}\r\nConnection: close\r\n\r\n"
        upstream.sendall(head.encode("latin-1"))
        _pipe(self.connection, upstream)
        self.close_connection = True

    def _upstream(self, host: str, port: str | int, send_body: bool) -> socket.socket | None:
        """A connection to the (loopback) server asked for, or None once a 502 has been answered."""
        try:
            return socket.create_connection((check_loopback(host), int(port)), timeout=_RELAY_SECONDS)
        except (OSError, ValueError):
            self._reply(502, send_body)
            return None

    def _authorized(self) -> bool:
        expected = self.server.standin.credentials
        if expected is None:
            return True
        token = base64.b64encode(f"{expected[0]}:{expected[1]}".encode()).decode("ascii")
        if self.headers.get("Proxy-Authorization", "") == f"Basic {token}":
            return True
        self._reply(407, True, headers={"Proxy-Authenticate": 'Basic realm="stand-in"'})
        return False


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes (or nothing moves for a while)."""
    with upstream:
        sockets = [client, upstream]
        while True:
            ready, _, _ = select.select(sockets, [], [], _RELAY_SECONDS)
            if not ready:
                return
            for source in ready:
                try:
                    data = source.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                (upstream if source is client else client).sendall(data)


class ProxyStandin(SocketServerStandin):
    """HTTP forward proxy on an ephemeral loopback port; `url` is what HTTP(S)_PROXY is set to."""

    scheme = "http"
    _kind = "proxy"

    def __init__(self, host: str = "127.0.0.1", credentials: tuple[str, str] | None = None) -> None:
        super().__init__(host)
        self.credentials = credentials

    def _make_server(self) -> Any:
        server = _Server((self.host, 0), _Handler)
        server.standin = self
        return server

    def proxy_url(self, user: str | None = None, password: str | None = None) -> str:
        """The proxy's address as the environment gives it, with credentials when asked."""
        login = f"{user}:{password}@" if user is not None else ""
        return f"http://{login}{self.host}:{self.port}"


__all__: list[str] = ["ProxyStandin"]
