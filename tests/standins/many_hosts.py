"""Many loopback HTTP hosts served by one asyncio loop, cheap enough to benchmark a checker against.

The thread-per-connection stand-in costs about a millisecond of CPU per request, so under a burst
of hundreds of requests the server, not the checker, sets the pace. Here one event loop thread
serves every host: each host is its own loopback address (127.0.0.2, 127.0.0.3, ...), every
answer waits `delay` seconds like a distant server, and each host counts how many requests it is
answering at once. With `limit`, a host rate-limits as code hosting and CDNs do: a request that
arrives while `limit` others are being answered is refused at once with 429 and `Retry-After`.
Routes: /status/NNN[/anything] answers NNN; every other path answers 200.
Connections may be kept alive (HTTP/1.1) or closed, as the client asks; with a TLS context every
host speaks https. The HTTP is deliberately
minimal (a request line, headers, no bodies): a parser library per request would cost as much CPU
as the checkers being measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import threading
from collections.abc import Iterable
from http import HTTPStatus
from types import TracebackType
from typing import Self

from standins.base import HOLD_LIMIT, check_loopback

_STATUS = re.compile(rb"^/status/(\d{3})(?:/|$)")
_BODY = b"<html><body><p>stand-in</p></body></html>\n"


class ManyHostsStandin:
    """HTTP on each of `hosts` (loopback literals), from a daemon thread; usable as a context manager."""

    def __init__(
        self,
        hosts: Iterable[str],
        delay: float = 0.0,
        tls: ssl.SSLContext | None = None,
        limit: int | None = None,
        retry_after: str = "1",
        hold_until: dict[str, int] | None = None,
    ) -> None:
        self.hosts = [check_loopback(host) for host in hosts]
        self.delay = delay
        # No answer of a host leaves before it has this many requests in flight at once (then answers
        # come as usual, HOLD_LIMIT at the latest): its peak is then a count, whatever the machine's load.
        self.hold_until = hold_until or {}
        self._held = {host: asyncio.Event() for host in self.hold_until}
        self.limit, self.retry_after = limit, retry_after
        self.refused = 0  # requests answered 429 for being over `limit`
        self.tls = tls  # a server context: every host speaks https with it
        self.ports: dict[str, int] = {}
        self.in_flight = dict.fromkeys(self.hosts, 0)
        self.peak = dict.fromkeys(self.hosts, 0)
        self.served = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []

    def start(self) -> Self:
        """Bind an ephemeral port on every host and serve them all from one thread."""
        if self._loop is not None:
            return self
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="many-hosts-standin", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the many-hosts stand-in did not start")
        return self

    def stop(self) -> None:
        """Close every listener, stop the loop and join its thread."""
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop, self._thread = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, host: str, path: str = "/") -> str:
        """Absolute URL for `path` on `host`."""
        return f"{'https' if self.tls else 'http'}://{host}:{self.ports[host]}/{path.lstrip('/')}"

    def reset_peaks(self) -> None:
        """Start counting concurrent requests afresh (call between runs, when no request is open)."""
        for host in self.hosts:
            self.peak[host] = self.in_flight[host]

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        for host in self.hosts:
            server = loop.run_until_complete(
                loop.create_server(lambda h=host: self._protocol(h), host, 0, backlog=1024, ssl=self.tls)
            )
            self.ports[host] = server.sockets[0].getsockname()[1]
            self._servers.append(server)
        ready.set()
        try:
            loop.run_forever()
        finally:
            for server in self._servers:
                server.close()
            # Connections still open end here, inside the loop, so none is left to a closed loop.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()
            self._servers.clear()

    def _protocol(self, host: str) -> asyncio.Protocol:
        return _Exchange(self, host)

    async def _answer(self, host: str, transport: asyncio.Transport, target: bytes, close: bool) -> None:
        if self.limit is not None and self.in_flight[host] >= self.limit:
            self.refused += 1
            head = f"HTTP/1.1 429 Too Many Requests\r\nRetry-After: {self.retry_after}\r\nContent-Length: 0\r\n"
            if not transport.is_closing():
                transport.write(f"{head}{'Connection: close' if close else 'Keep-Alive: timeout=5'}\r\n\r\n".encode())
            if close:
                transport.close()
            return
        self.in_flight[host] += 1  # the loop runs one callback at a time: no lock needed
        self.peak[host] = max(self.peak[host], self.in_flight[host])
        try:
            held = self._held.get(host)
            if held is not None:
                if self.in_flight[host] >= self.hold_until[host]:
                    held.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(held.wait(), HOLD_LIMIT)
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            # Counted out before the answer leaves: a client that reads it and at once asks again
            # (or a test that reads the counters) must never find this request still in flight.
            self.in_flight[host] -= 1
        match = _STATUS.match(target)
        status = int(match.group(1)) if match else 200
        head = f"HTTP/1.1 {status} {_reason(status)}\r\nContent-Type: text/html; charset=utf-8\r\n"
        head += f"Content-Length: {len(_BODY)}\r\n{'Connection: close' if close else 'Keep-Alive: timeout=5'}\r\n\r\n"
        if not transport.is_closing():
            self.served += 1
            transport.write(head.encode("latin-1") + _BODY)
        if close:
            transport.close()


class _Exchange(asyncio.Protocol):
    """One client connection: requests are answered one after the other (nobody pipelines here)."""

    def __init__(self, standin: ManyHostsStandin, host: str) -> None:
        self.standin, self.host = standin, host
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.busy: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._next()

    def _next(self, _done: object = None) -> None:
        if self.transport is None or (self.busy and not self.busy.done()) or b"\r\n\r\n" not in self.buffer:
            return
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        request_line, *fields = head.split(b"\r\n")
        parts = request_line.split(b" ")
        if len(parts) != 3:
            self.transport.abort()  # not HTTP: what a server does with garbage
            return
        close = parts[2] == b"HTTP/1.0" or any(f.lower().replace(b" ", b"") == b"connection:close" for f in fields)
        self.busy = asyncio.ensure_future(self.standin._answer(self.host, self.transport, parts[1], close))
        self.busy.add_done_callback(self._next)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


__all__: list[str] = ["ManyHostsStandin"]
