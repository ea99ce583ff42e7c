"""Lifecycle, URLs and request log shared by the loopback stand-in servers."""

from __future__ import annotations

import ipaddress
import socketserver
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

_LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
# Short poll keeps stop() responsive without burning CPU; the socketserver default of 0.5s adds up across many tests.
POLL_SECONDS = 0.05
# How long stop() waits for the serving thread; it is a daemon, so giving up cannot hang the test run.
_JOIN_SECONDS = 5


# How long answers wait at most for `hold_until` requests: a client that never sends that many at once
# is answered in the end, and its test fails on the peak it reached instead of hanging.
HOLD_LIMIT = 30.0


def check_loopback(host: str) -> str:
    """Return ``host`` if it is an IPv4 loopback literal, else raise ValueError."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError as exc:
        raise ValueError(f"stand-ins only bind to 127.0.0.0/8 literals, got {host!r}") from exc
    if address not in _LOOPBACK:
        raise ValueError(f"stand-ins only bind to 127.0.0.0/8, got {host!r}")
    return host


class Standin(ABC):
    """A server on an ephemeral loopback port that logs what clients asked for; usable as a context manager."""

    # URL scheme of base_url, e.g. "http".
    scheme: ClassVar[str]
    # Serving threads are named "<kind>-standin-<port>" so a hung one is easy to spot in a thread dump.
    _kind: ClassVar[str]

    def __init__(self, host: str) -> None:
        self.host = check_loopback(host)
        self.port = 0
        # Handler threads append while the test thread reads, hence the lock.
        self._lock = threading.Lock()
        self._log: list[tuple[str, str]] = []
        self._arrivals: list[float] = []  # time.monotonic() of each logged request, same order as _log
        self._thread: threading.Thread | None = None

    @abstractmethod
    def start(self) -> Self:
        """Bind an ephemeral port and serve from a daemon thread; a no-op if already running."""

    @abstractmethod
    def stop(self) -> None:
        """Stop serving and release the port; a no-op if not running."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Root URL of the running server, without a trailing slash."""
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL for ``path`` on this server."""
        return f"{self.base_url}/{path.lstrip('/')}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Snapshot of logged (method or command, path or argument) pairs in arrival order."""
        with self._lock:
            return list(self._log)

    def requests_for(self, path: str) -> int:
        """Number of requests whose path (query ignored unless given) equals ``path``."""
        return sum(1 for _, seen in self.requests if seen == path or urlsplit(seen).path == path)

    def arrivals(self, path: str) -> list[float]:
        """time.monotonic() at which each request for ``path`` (query ignored unless given) arrived."""
        with self._lock:
            logged = list(zip(self._log, self._arrivals, strict=True))
        return [at for (_, seen), at in logged if seen == path or urlsplit(seen).path == path]

    def clear_log(self) -> None:
        """Forget logged requests."""
        with self._lock:
            self._log.clear()
            self._arrivals.clear()

    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self._log.append((method, path))
            self._arrivals.append(time.monotonic())

    def _start_thread(self, target: Callable[..., object], **kwargs: Any) -> None:
        # A daemon thread: a server that fails to stop must never keep the test process alive.
        self._thread = threading.Thread(
            target=target, kwargs=kwargs, name=f"{self._kind}-standin-{self.port}", daemon=True
        )
        self._thread.start()

    def _join_thread(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=_JOIN_SECONDS)
            self._thread = None


class SocketServerStandin(Standin):
    """A stand-in whose ``socketserver`` server runs ``serve_forever`` in a daemon thread."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self._server: socketserver.TCPServer | None = None

    @abstractmethod
    def _make_server(self) -> socketserver.TCPServer:
        """Return a new server bound to ``(self.host, 0)``, ready to serve."""

    def start(self) -> Self:
        """Bind an ephemeral port and start serving in a daemon thread."""
        if self._server is not None:
            return self
        server = self._make_server()
        self._server = server
        self.port = server.server_address[1]
        self._start_thread(server.serve_forever, poll_interval=POLL_SECONDS)
        return self

    def stop(self) -> None:
        """Stop serving, close the listening socket and join the thread."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._join_thread()
        self._server = None


class StandinHTTPServer(ThreadingHTTPServer):
    """Threaded HTTP server that carries a back-reference to its stand-in and stays quiet about client errors."""

    daemon_threads = True
    # The default backlog of 5 drops connections when a checker opens many at once.
    request_queue_size = 128
    standin: Standin

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (timeouts, resets) are expected; keep test output clean.
        pass


class StandinHandler(BaseHTTPRequestHandler):
    """Logs each GET and HEAD to the server's stand-in, then lets ``_answer`` respond; writes no access log."""

    server: StandinHTTPServer
    # HTTP/1.0 closes after every response, so clients never reuse a half-dead connection.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        """Answer a GET request."""
        self._handle(send_body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD request (same headers, no body)."""
        self._handle(send_body=False)

    def _handle(self, send_body: bool) -> None:
        self.server.standin._record(self.command, self.path)
        self._answer(send_body)

    def _answer(self, send_body: bool) -> None:
        # BaseHTTPRequestHandler is no ABC, so a subclass that forgets this override fails here, on the first request.
        raise NotImplementedError

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


__all__: list[str] = [
    "POLL_SECONDS",
    "SocketServerStandin",
    "Standin",
    "StandinHTTPServer",
    "StandinHandler",
    "check_loopback",
]
