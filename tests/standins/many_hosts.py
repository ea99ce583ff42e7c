"""Many loopback HTTP hosts served by one asyncio loop, cheap enough to benchmark a checker against.

The thread-per-connection stand-in costs about a millisecond of CPU per request, so under a burst
of hundreds of requests the server, not the checker, sets the pace. Here one event loop thread
serves every host: each host is its own loopback address (127.0.0.2, 127.0.0.3, ...), every
answer waits `delay` seconds like a distant server, and each host counts how many requests it is
answering at once. Routes: /status/NNN[/anything] answers NNN; every other path answers 200.
Connections may be kept alive (HTTP/1.1) or closed, as the client asks.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterable
from http import HTTPStatus
from types import TracebackType
from typing import Self

import h11

from standins.base import check_loopback

_STATUS = re.compile(rb"^/status/(\d{3})(?:/|$)")
_BODY = b"<html><body><p>stand-in</p></body></html>\n"


class ManyHostsStandin:
    """HTTP on each of `hosts` (loopback literals), from a daemon thread; usable as a context manager."""

    def __init__(self, hosts: Iterable[str], delay: float = 0.0) -> None:
        self.hosts = [check_loopback(host) for host in hosts]
        self.delay = delay
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
        return f"http://{host}:{self.ports[host]}/{path.lstrip('/')}"

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
                asyncio.start_server(lambda r, w, h=host: self._connection(h, r, w), host, 0, backlog=1024)
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

    async def _connection(self, host: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h11.Connection(h11.SERVER)
        try:
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    connection.receive_data(await reader.read(16 * 1024))
                elif isinstance(event, h11.Request):
                    await self._answer(host, connection, writer, event.target)
                elif isinstance(event, h11.EndOfMessage) and connection.our_state is h11.DONE:
                    if connection.their_state is not h11.DONE:
                        break
                    connection.start_next_cycle()
                elif isinstance(event, h11.ConnectionClosed) or connection.our_state is h11.MUST_CLOSE:
                    break
        except (h11.ProtocolError, ConnectionError, OSError):
            pass  # a client that gives up or resets is expected; keep the output clean
        finally:
            writer.transport.abort()

    async def _answer(self, host: str, connection: h11.Connection, writer: asyncio.StreamWriter, target: bytes) -> None:
        self.in_flight[host] += 1  # the loop runs one callback at a time: no lock needed
        self.peak[host] = max(self.peak[host], self.in_flight[host])
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            match = _STATUS.match(target)
            status = int(match.group(1)) if match else 200
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(_BODY)))]
            reason = _reason(status)
            writer.write(connection.send(h11.Response(status_code=status, headers=headers, reason=reason)))
            writer.write(connection.send(h11.Data(data=_BODY)))
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            self.served += 1
        finally:
            self.in_flight[host] -= 1


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


__all__: list[str] = ["ManyHostsStandin"]
