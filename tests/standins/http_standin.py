"""Threaded HTTP stand-in for external websites, bound to loopback only."""

from __future__ import annotations

import re
import socket
import struct
import threading
from urllib.parse import urlsplit

from standins.base import HOLD_LIMIT, SocketServerStandin, StandinHandler, StandinHTTPServer, check_loopback

# Fixed redirect table: path -> (status, target path).
_REDIRECTS: dict[str, tuple[int, str]] = {
    "/moved": (301, "/ok"),
    "/found": (302, "/ok"),
    "/permanent308": (308, "/ok"),
    "/moved-to-404": (301, "/missing"),
    "/loop-a": (301, "/loop-b"),
    "/loop-b": (301, "/loop-a"),
}
_FIXED_STATUS: dict[str, int] = {"/missing": 404, "/gone": 410, "/error": 500}
# Paths that fail with a Retry-After status for the first N hits, then succeed.
_FLAKY: dict[str, int] = {"/flaky": 503, "/rate-limited": 429}
_ALWAYS_RETRY: dict[str, int] = {"/always-503": 503, "/always-429": 429}
# Generic routes whose path says what to do: /status/404, /delay/0.2 (then 200),
# /retry-after/2 (429 with Retry-After: 2 on the first hit of that path, then 200).
_GENERIC = re.compile(r"^/(?P<route>status|delay|retry-after)/(?P<value>\d+(?:\.\d+)?)(?:/.*)?$")


class _Server(StandinHTTPServer):
    """Stand-in HTTP server whose back-reference is an HttpStandin, for the handler's routes."""

    standin: HttpStandin


class _Handler(StandinHandler):
    """Routes requests to the fixed set of stand-in behaviours."""

    server: _Server

    _counted = False

    def _answer(self, send_body: bool) -> None:
        standin = self.server.standin
        with standin._lock:
            standin.in_flight += 1
            standin.peak_in_flight = max(standin.peak_in_flight, standin.in_flight)
            if standin.in_flight >= standin.hold_until:
                standin.held.set()
        self._counted = True
        try:
            standin.held.wait(HOLD_LIMIT)
            if standin.response_delay:
                standin._stopping.wait(standin.response_delay)
            self._route(standin, urlsplit(self.path).path, send_body)
        finally:
            self._answered()

    def send_response(self, code: int, message: str | None = None) -> None:
        # A request stops counting before the first byte of its answer leaves: a client that
        # starts its next request on reading this answer must never be counted twice at once.
        self._answered()
        super().send_response(code, message)

    def _answered(self) -> None:
        if self._counted:
            self._counted = False
            with self.server.standin._lock:
                self.server.standin.in_flight -= 1

    def _route(self, standin: HttpStandin, path: str, send_body: bool) -> None:
        generic = _GENERIC.match(path)
        if generic:
            self._generic(standin, path, generic["route"], generic["value"], send_body)
        elif path == "/robots.txt":
            self._reply(standin.robots_status or 404, send_body)
        elif standin.all_ok or path == "/ok":
            self._reply(200, send_body)
        elif path == "/ok.pdf":
            self._reply(200, send_body, body=b"%PDF-1.4\n%stand-in\n%%EOF\n", content_type="application/pdf")
        elif path in _REDIRECTS:
            status, target = _REDIRECTS[path]
            self._reply(status, send_body, headers={"Location": standin.url(target)})
        elif path in _FIXED_STATUS:
            self._reply(_FIXED_STATUS[path], send_body)
        elif path in _FLAKY:
            if standin._next_hit(path) <= standin.flaky_failures:
                self._reply(_FLAKY[path], send_body, headers={"Retry-After": "1"})
            else:
                self._reply(200, send_body)
        elif path in _ALWAYS_RETRY:
            self._reply(_ALWAYS_RETRY[path], send_body, headers={"Retry-After": "1"})
        elif path == "/slow":
            # An Event wait lets stop() cut the delay short instead of hanging teardown.
            standin._stopping.wait(standin.slow_seconds)
            self._reply(200, send_body)
        elif path == "/reset":
            self._reset_connection()
        else:
            self._reply(404, send_body)

    def _generic(self, standin: HttpStandin, path: str, route: str, value: str, send_body: bool) -> None:
        if route == "status":
            self._reply(int(float(value)), send_body)
        elif route == "delay":
            standin._stopping.wait(float(value))
            self._reply(200, send_body)
        elif standin._next_hit(path) == 1:
            self._reply(429, send_body, headers={"Retry-After": value})
        else:
            self._reply(200, send_body)

    def _reset_connection(self) -> None:
        # Linger (on, 0s) makes close() emit RST instead of FIN, which is what a crashing server looks like.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class HttpStandin(SocketServerStandin):
    """Local HTTP server with fixed routes that mimic real-world website behaviour."""

    scheme = "http"
    _kind = "http"

    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        all_ok: bool = False,
        robots_status: int | None = None,
        slow_seconds: float = 3.0,
        flaky_failures: int = 1,
        response_delay: float = 0.0,
        hold_until: int = 0,
    ) -> None:
        super().__init__(host)
        # Every answer waits this long first, like a distant server.
        self.response_delay = response_delay
        # No answer leaves before this many requests were in flight at once (then every answer comes as
        # usual): a concurrency limit is seen by counting, whatever the machine's load, not by timing.
        self.hold_until = hold_until
        self.held = threading.Event()
        # Requests being answered right now, and the most at once since start (or reset_peak).
        self.in_flight = 0
        self.peak_in_flight = 0
        self.all_ok = all_ok
        self.robots_status = robots_status
        self.slow_seconds = slow_seconds
        self.flaky_failures = flaky_failures
        self._hits: dict[str, int] = {}
        self._stopping = threading.Event()

    def _make_server(self) -> _Server:
        self._stopping.clear()
        server = _Server((self.host, 0), _Handler)
        server.standin = self
        return server

    def stop(self) -> None:
        """Stop serving, close the listening socket and join the thread."""
        # Set first: handlers waiting in /slow then return at once, so shutdown is not held up by them.
        self._stopping.set()
        super().stop()

    def reset_peak(self) -> None:
        """Start counting the peak of concurrent requests afresh."""
        with self._lock:
            self.peak_in_flight = self.in_flight

    def reset_flaky(self) -> None:
        """Make /flaky and /rate-limited fail again for their next ``flaky_failures`` hits (not done by clear_log)."""
        with self._lock:
            self._hits.clear()

    def _next_hit(self, path: str) -> int:
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]


__all__: list[str] = ["HttpStandin", "check_loopback"]
