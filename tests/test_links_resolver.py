"""The run's resolver: one lookup per host name, shared by every request waiting on it, failures not kept.

The system's resolver is replaced by a counting stand-in: no name here is ever looked up for real.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from aiohttp.abc import ResolveResult

from compliance.links.addresses import PinnedResolver


class CountingResolver:
    """Answers 192.0.2.7 for any name after a short pause (while others pile up), or fails while `failing`."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []
        self.failing = False

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        self.asked.append((host, port))
        await asyncio.sleep(0.01)
        if self.failing:
            raise OSError(socket.EAI_NONAME, "Name or service not known")
        return [ResolveResult(hostname=host, host="192.0.2.7", port=port, family=socket.AF_INET, proto=0, flags=0)]

    async def close(self) -> None:
        pass


def resolver(
    known: dict[tuple[str, int], list[ResolveResult]] | None = None,
) -> tuple[PinnedResolver, CountingResolver]:
    pinned, inner = PinnedResolver(known=known), CountingResolver()
    pinned._inner = inner  # type: ignore[assignment]
    return pinned, inner


def test_requests_to_one_host_share_one_lookup_whatever_the_port() -> None:
    async def scenario() -> list[list[ResolveResult]]:
        pinned, inner = resolver()
        ports = [80] * 5 + [443] * 5
        answers = await asyncio.gather(*(pinned.resolve("Docs.Example", port, 0) for port in ports))
        answers.append(await pinned.resolve("docs.example", 8443, 0))  # later, another port: still no new lookup
        assert len(inner.asked) == 1
        return answers

    answers = asyncio.run(scenario())
    assert [a[0]["port"] for a in answers] == [80] * 5 + [443] * 5 + [8443]
    assert {a[0]["host"] for a in answers} == {"192.0.2.7"}


def test_a_failed_lookup_reaches_every_waiter_then_is_asked_again() -> None:
    async def scenario() -> None:
        pinned, inner = resolver()
        inner.failing = True
        failures = await asyncio.gather(
            *(pinned.resolve("gone.example", 443, 0) for _ in range(4)), return_exceptions=True
        )
        assert all(isinstance(f, OSError) for f in failures) and len(inner.asked) == 1
        inner.failing = False  # a retry later in the run: DNS answers now
        answer = await pinned.resolve("gone.example", 443, 0)
        assert answer[0]["host"] == "192.0.2.7" and len(inner.asked) == 2

    asyncio.run(scenario())


def test_one_waiter_running_out_of_time_does_not_cancel_the_others() -> None:
    async def scenario() -> None:
        pinned, inner = resolver()
        impatient = asyncio.ensure_future(pinned.resolve("slow.example", 80, 0))
        patient = asyncio.ensure_future(pinned.resolve("slow.example", 80, 0))
        await asyncio.sleep(0)
        impatient.cancel()
        answer = await patient
        assert impatient.cancelled() and answer[0]["host"] == "192.0.2.7" and len(inner.asked) == 1

    asyncio.run(scenario())


def test_overrides_answer_without_any_lookup() -> None:
    async def scenario() -> None:
        pinned, inner = resolver()
        pinned.overrides = {"bücher.example".encode("idna").decode(): "127.0.0.1"}
        answer = await pinned.resolve("xn--bcher-kva.example", 8080, 0)
        assert answer[0]["host"] == "127.0.0.1" and answer[0]["port"] == 8080 and inner.asked == []

    asyncio.run(scenario())


def test_answers_outlive_the_event_loop_they_were_found_on() -> None:
    """The https-twin pass runs on a loop (and session) of its own: the run's answers serve it without a lookup."""
    known: dict[tuple[str, int], list[ResolveResult]] = {}
    asked: list[list[tuple[str, int]]] = []

    async def one_pass(port: int) -> list[ResolveResult]:
        pinned, inner = resolver(known)  # made on the running loop, as each session makes its own
        asked.append(inner.asked)
        return await pinned.resolve("docs.example", port, 0)

    asyncio.run(one_pass(80))
    answer = asyncio.run(one_pass(443))
    assert [len(a) for a in asked] == [1, 0]
    assert answer[0]["host"] == "192.0.2.7" and answer[0]["port"] == 443
