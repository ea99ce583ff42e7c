"""A loopback server that answers each path with exactly the bytes a test scripts, faults included.

Real websites send what no well-behaved stand-in would: UTF-8 in a Location, a head that never
ends, a redirect without Location, a Retry-After of '²'. Each route here is an async function
given the parsed request and the writer; it writes whatever it likes. Every request is logged
(path as sent, headers) before its route runs, so a test can prove a path was never asked for.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from standins.base import check_loopback


@dataclass
class Request:
    """One request as it arrived: the target exactly as sent, header names lower-cased."""

    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Route = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


def response(status: int, reason: str = "", headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """A complete HTTP/1.1 response with Content-Length (header values sent as UTF-8, as some servers do)."""
    lines = [f"HTTP/1.1 {status} {reason or 'Status'}"]
    lines += [f"{name}: {value}" for name, value in {**(headers or {}), "Content-Length": str(len(body))}.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def answer(status: int, reason: str = "", headers: dict[str, str] | None = None, body: bytes = b"") -> Route:
    """A route that always sends the same response."""
    data = response(status, reason, headers, body)

    async def route(_request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()

    return route


class FaultStandin:
    """Scripted HTTP on a loopback address, from a daemon thread; `routes` maps a path to its route."""

    def __init__(self, host: str = "127.0.0.1", routes: dict[str, Route] | None = None) -> None:
        self.host = check_loopback(host)
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.connections = 0  # accepted so far: keep-alive shows as fewer connections than requests
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for request in list(self.requests) if request.path == path)

    def start(self) -> Self:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fault-standin", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._loop = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, self.host, 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            # Connections still open end here, inside the loop, so none is left to a closed loop.
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:  # keep-alive: one connection may carry several requests
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = [*lines[0].split(" ", 2), "", ""][:3]
                headers = {
                    n.strip().lower(): v.strip() for n, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                request = Request(method, target, headers)
                self.requests.append(request)
                route = self.routes.get(request.path, answer(404, "Not Found"))
                await route(request, writer)
                if writer.is_closing():
                    return
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()
