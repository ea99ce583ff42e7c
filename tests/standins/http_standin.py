"""Threaded HTTP stand-in for external websites, bound to loopback only."""

from __future__ import annotations

import ipaddress
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")

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


def check_loopback(host: str) -> str:
    """Return ``host`` if it is an IPv4 loopback literal, else raise ValueError."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError as exc:
        raise ValueError(f"stand-ins only bind to 127.0.0.0/8 literals, got {host!r}") from exc
    if address not in _LOOPBACK:
        raise ValueError(f"stand-ins only bind to 127.0.0.0/8, got {host!r}")
    return host


class _Server(ThreadingHTTPServer):
    """HTTP server that carries a back-reference to its stand-in."""

    daemon_threads = True
    # The default backlog of 5 drops connections when a checker opens many at once.
    request_queue_size = 128
    standin: HttpStandin

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (timeouts, resets) are expected; keep test output clean.
        pass


class _Handler(BaseHTTPRequestHandler):
    """Routes requests to the fixed set of stand-in behaviours."""

    server: _Server
    # HTTP/1.0 closes after every response, so clients never reuse a half-dead connection.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        """Answer a GET request."""
        self._dispatch(send_body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD request (same headers, no body)."""
        self._dispatch(send_body=False)

    def _dispatch(self, send_body: bool) -> None:
        standin = self.server.standin
        standin._record(self.command, self.path)
        path = urlsplit(self.path).path

        if path == "/robots.txt":
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

    def _reply(
        self,
        status: int,
        send_body: bool,
        *,
        body: bytes | None = None,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        if body is None:
            body = f"<html><body><p>stand-in {status}</p></body></html>\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
        self.close_connection = True

    def _reset_connection(self) -> None:
        # Linger (on, 0s) makes close() emit RST instead of FIN, which is what a crashing server looks like.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class HttpStandin:
    """Local HTTP server with fixed routes that mimic real-world website behaviour."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        *,
        all_ok: bool = False,
        robots_status: int | None = None,
        slow_seconds: float = 3.0,
        flaky_failures: int = 1,
    ) -> None:
        self.host = check_loopback(host)
        self.all_ok = all_ok
        self.robots_status = robots_status
        self.slow_seconds = slow_seconds
        self.flaky_failures = flaky_failures
        self._lock = threading.Lock()
        self._log: list[tuple[str, str]] = []
        self._hits: dict[str, int] = {}
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def start(self) -> HttpStandin:
        """Bind an ephemeral port and start serving in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server((self.host, 0), _Handler)
        server.standin = self
        self._server = server
        self.port = server.server_address[1]
        # A short poll interval keeps shutdown() fast; the default 0.5s adds up across many tests.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"http-standin-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the listening socket and join the thread."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> HttpStandin:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Root URL of the running server, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL for ``path`` on this server."""
        return f"{self.base_url}/{path.lstrip('/')}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Snapshot of (method, path) pairs in arrival order."""
        with self._lock:
            return list(self._log)

    def requests_for(self, path: str) -> int:
        """Number of requests whose path (query ignored unless given) equals ``path``."""
        return sum(1 for _, seen in self.requests if seen == path or urlsplit(seen).path == path)

    def clear_log(self) -> None:
        """Forget logged requests (flaky-route counters are kept; see ``reset_flaky``)."""
        with self._lock:
            self._log.clear()

    def reset_flaky(self) -> None:
        """Make /flaky and /rate-limited fail again for their next ``flaky_failures`` hits."""
        with self._lock:
            self._hits.clear()

    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self._log.append((method, path))

    def _next_hit(self, path: str) -> int:
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]


__all__: list[str] = ["HttpStandin", "check_loopback"]
