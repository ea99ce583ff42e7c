"""A loopback HTTP/1.1 server whose paths each answer as a test scripts, faults included.

Real websites send what no well-behaved stand-in would: UTF-8 in a Location, a head that never
ends, a redirect without Location, a Retry-After of '²'. Each route is a function given the
request's handler (stdlib `http.server`, shared with the other stand-ins through `base.py`), and
answers through its API; only `raw` writes bytes of its own, for the faults `http.server` cannot
produce. Every request is logged with its headers before its route runs, so a test can prove a
path was never asked for. Connections are kept alive (HTTP/1.1) and counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from standins.base import SocketServerStandin, StandinHandler, StandinHTTPServer


@dataclass(frozen=True)
class Request:
    """One request as it arrived: the target as sent (`http.server` folds a leading '//'), header names lower-cased."""

    method: str
    target: str
    headers: dict[str, str]


Route = Callable[["FaultHandler"], None]


def answer(status: int, reason: str = "", headers: dict[str, str] | None = None, body: bytes = b"") -> Route:
    """A route that always sends the same complete response, with Content-Length, and keeps the connection."""

    def route(handler: FaultHandler) -> None:
        handler.send_response(status, reason or None)
        for name, value in {**(headers or {}), "Content-Length": str(len(body))}.items():
            # Some servers send header values as UTF-8 (a Location with 'é'); `http.server` encodes
            # as Latin-1, so handing it the UTF-8 bytes as Latin-1 characters sends them unchanged.
            handler.send_header(name, value.encode("utf-8").decode("latin-1"))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    return route


def raw(*parts: bytes, close: bool = True) -> Route:
    """A route that writes `parts` as they are, a few milliseconds apart, then closes unless told not to.

    Kept for what `http.server` cannot send: a status line that is not HTTP, a head cut off midway,
    or a head split across several packets.
    """

    def route(handler: FaultHandler) -> None:
        for part in parts:
            handler.wfile.write(part)
            time.sleep(0.005)
        handler.close_connection = close

    return route


class FaultHandler(StandinHandler):
    """Runs the route of the request's path (404 for any other), over keep-alive connections."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.server.standin._connected()

    def _answer(self, send_body: bool) -> None:
        # The base class has logged (method, target); the headers are logged here. Routes read
        # `self.command` for HEAD, so `send_body` is not passed on.
        standin = self.server.standin
        standin._receive(Request(self.command, self.path, {name.lower(): v for name, v in self.headers.items()}))
        standin.routes.get(self.path.split("?", 1)[0], _NOT_FOUND)(self)


_NOT_FOUND = answer(404, "Not Found")


class _Server(StandinHTTPServer):
    standin: FaultStandin


class FaultStandin(SocketServerStandin):
    """Scripted HTTP on a loopback address, from a daemon thread; `routes` maps a path to its route."""

    scheme = "http"
    _kind = "fault"

    def __init__(self, host: str = "127.0.0.1", routes: dict[str, Route] | None = None) -> None:
        super().__init__(host)
        self.routes: dict[str, Route] = dict(routes or {})
        self._received: list[Request] = []  # with headers, beside the base log's (method, target)
        self.connections = 0  # accepted so far: keep-alive shows as fewer connections than requests

    def _make_server(self) -> _Server:
        server = _Server((self.host, 0), FaultHandler)
        server.standin = self
        return server

    @property
    def received(self) -> list[Request]:
        """Snapshot of the requests in arrival order, each with its headers."""
        with self._lock:
            return list(self._received)

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def _receive(self, request: Request) -> None:
        with self._lock:
            self._received.append(request)


__all__: list[str] = ["FaultHandler", "FaultStandin", "Request", "Route", "answer", "raw"]
