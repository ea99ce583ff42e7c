"""Run link checks concurrently: a cap per host, an optional rate per host, retries on each URL's own clock.

Each URL is one asyncio task, on uvloop's event loop when it is installed, with one deadline for all its
attempts and waits. It takes its host's
slot before a slot of the run, so a busy host never holds a slot another host could use, and a
URL waiting for its retry (say a 429 with Retry-After: 2) sleeps exactly that long, whatever the
other URLs are doing.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from .failures import FailureKind, LinkClass
from .hosts import HostGate, Ticket
from .http_check import HttpChecker
from .linkchecker import LinkCheckerSession
from .settings import MAX_AUTO_WORKERS, CheckSettings, Progress, RawResult, RetryPolicy, Verdict
from .targets import browser_text

# Turns of the event loop that take a new check from its start to its request written (loopback).
_TURNS_TO_SEND = 4
_WEB = ("http://", "https://")  # a URL written so needs no browser reading to tell its scheme


@dataclass
class Attempts:
    """The last result for one URL, its verdict, how many checks it took and the waits between them."""

    raw: RawResult
    verdict: Verdict
    count: int
    waits: list[float] = field(default_factory=list)


def host_of(url: str) -> str:
    """The per-host key: the host name without port (two ports of one machine are one host)."""
    try:
        return (urlsplit(browser_text(url)).hostname or "").lower()
    except ValueError:
        return ""


def run_checks(
    urls: Iterable[str],
    check: Callable[[str, float], Awaitable[RawResult]],
    judge: Callable[[RawResult], Verdict],
    settings: CheckSettings,
    policy: RetryPolicy,
    progress: Progress | None = None,
    closing: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Attempts]:
    """Check each URL until it is not transient or out of retries; results keyed by URL."""
    run = CheckRun(check, judge, settings, policy, progress, closing)
    run.start(urls)
    return run.results()


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed, else None (the standard library's).

    libuv opens and tracks connections in C: on 500 URLs it halved the loop's CPU time. The
    standard loop works the same, only slower, so a platform without uvloop loses nothing else.
    """
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


class CheckRun:
    """Checks started as their URLs are found (`start`, say once per parsed page) and collected at the end.

    Started checks wait on their servers while the caller goes on parsing. The event loop runs
    only inside `start` and `results`, a few turns at a time: enough to send new requests and
    to read the answers that came meanwhile. The caller calls `start` often (after every page,
    with no URLs if it found none), because a check's time limit runs on while the loop is
    paused. Sending first and reading later keeps the last request as early as it can be, which
    a loop in a thread of its own did not: there the answers competed with the sending for the
    interpreter. The loop is opened at the first URL, so a run with nothing to request never
    opens one.
    """

    def __init__(
        self,
        check: Callable[[str, float], Awaitable[RawResult]],
        judge: Callable[[RawResult], Verdict],
        settings: CheckSettings,
        policy: RetryPolicy,
        progress: Progress | None = None,
        closing: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.check, self.judge, self.policy, self.progress = check, judge, policy, progress
        self.closing = closing
        self.timeout, self.deadline = settings.timeout, settings.deadline
        self.per_host = max(1, settings.per_host)
        self.interval = 1.0 / settings.host_rate if settings.host_rate > 0 else 0.0
        # Per-host slots already bound the run to hosts x per-host; the run's own slots add
        # --threads when given, else a ceiling on open connections.
        self.run_slots = asyncio.Semaphore(settings.threads if settings.threads > 0 else MAX_AUTO_WORKERS)
        self.gates: dict[str, HostGate] = _Gates(self.per_host, policy.retries)
        self.refusals: dict[str, tuple[RawResult, Verdict]] = {}  # per host, its last rate limit
        self._limited: dict[str, HostGate] = {}
        self.next_start: dict[str, float] = defaultdict(float)
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.done: dict[str, Attempts] = {}
        self._runner: asyncio.Runner | None = None

    def start(self, urls: Iterable[str] = ()) -> None:
        """Start checking each URL not started yet, and give the loop a few turns to send and read."""
        new = [url for url in dict.fromkeys(urls) if url not in self.tasks]
        if new and self._runner is None:
            self._runner = asyncio.Runner(loop_factory=loop_factory())
            # What exists now (modules, aiohttp, the site's links) outlives the run: set aside, it is
            # not walked by each collection the checks' own objects trigger. close() gives it back.
            gc.freeze()
        if self._runner is not None:
            self._runner.run(self._start(new))

    def results(self) -> dict[str, Attempts]:
        """Wait for every started check, then close the loop; a run is used once."""
        try:
            if self._runner is not None:
                self._runner.run(self._finish())
        finally:
            self.close()
        return self.done

    def close(self) -> None:
        """Close the loop, cancelling checks still under way (after an error or an interrupt)."""
        if self._runner is not None:
            self._runner.close()
            self._runner = None
            gc.unfreeze()

    async def _start(self, urls: list[str]) -> None:
        for url in urls:
            self.tasks[url] = asyncio.create_task(self._one(url))
        # A few turns of the loop: new tasks take their slots, connect and write their requests,
        # and the answers that arrived since the last turns are read.
        for _ in range(_TURNS_TO_SEND):
            await asyncio.sleep(0)

    async def _finish(self) -> None:
        try:
            await asyncio.gather(*self.tasks.values())
        finally:
            if self.closing is not None:
                await self.closing()

    async def _one(self, url: str) -> None:
        """Check until not transient, out of retries or out of the link's deadline (hops, attempts and waits).

        The deadline starts with the first attempt: time queued behind the host's other links is
        the host's pace, not this link's. A rate limit spends the host's budget, not the link's retries.
        """
        gate, waits = self.gates[host_of(url)], []
        deadline, count, tries = 0.0, 0, 0
        while True:
            count += 1
            ticket = await gate.acquire(again=count > 1)
            if gate.spent:  # the host refused round after round: it is not asked again
                gate.release()
                last, verdict = self.refusals[gate.name]
                raw, count = replace(last, url=url, final_url=url), count - 1
                break
            try:
                async with self.run_slots:
                    await self._keep_rate(gate.name)
                    deadline = deadline or time.monotonic() + self.deadline
                    left = deadline - time.monotonic()
                    try:
                        raw = await self.check(url, max(0.001, min(self.timeout, left)))
                    except Exception as exc:  # one URL's surprise must never stop the run
                        raw = RawResult(url, url, failure=FailureKind.INTERNAL, detail=f"{type(exc).__name__}: {exc}")
            finally:
                gate.release()
            verdict = self.judge(raw)
            tries += verdict.kind is LinkClass.TRANSIENT and not verdict.rate_limited
            wait = self._answered(gate, ticket, raw, verdict, tries)
            if wait is None:
                break
            if time.monotonic() + wait >= deadline:
                verdict = replace(verdict, advice=_joined(verdict.advice, f"the link's {self.deadline:g} s deadline"))
                break
            waits.append(wait)
            if not verdict.rate_limited:  # a rate limit's wait is the host's pause, kept by its gate
                await asyncio.sleep(wait)
        self.done[url] = Attempts(raw, verdict, count, waits)
        self._show()

    def _answered(self, gate: HostGate, ticket: Ticket, raw: RawResult, verdict: Verdict, tries: int) -> float | None:
        """Tell the host's gate how the request fared; the wait before trying again, or None to stop."""
        if raw.status in (429, 503):
            self._limited[gate.name] = gate  # only these can be backing off: progress looks at them alone
        if verdict.rate_limited:
            self.refusals[gate.name] = (raw, verdict)
            strikes = gate.strikes + (ticket.round == gate.round)  # this refusal's round, counted
            wait = self.policy.delay(max(1, strikes), verdict.retry_after)
            if gate.refused(ticket, wait):
                self._show()
            return None if gate.spent else wait  # the gate holds the host at least this long
        if raw.status == 503:  # a server failing under load: fewer at once, no pause
            gate.limit = max(1, min(gate.limit, ticket.in_flight - 1))
        elif raw.status is not None:
            gate.succeeded()
        if verdict.kind is not LinkClass.TRANSIENT or tries > self.policy.retries:
            return None
        return self.policy.delay(tries, verdict.retry_after)

    def _show(self) -> None:
        if self.progress:
            slow = [gate for gate in self._limited.values() if gate.backing_off]
            note = ", ".join(f"{g.name} ({g.limit} at once)" for g in slow[:3]) + (" ..." if len(slow) > 3 else "")
            self.progress(len(self.done), len(self.tasks), f"backing off: {note}" if slow else "")

    async def _keep_rate(self, host: str) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self.next_start[host])
        self.next_start[host] = start + self.interval
        if start > now:  # a request already due is sent at once, not after another turn of the loop
            await asyncio.sleep(start - now)


class SchemeCheckers:
    """The right checker per scheme; LinkChecker's (ftp) is only set up when an ftp URL comes."""

    def __init__(self, settings: CheckSettings) -> None:
        self.settings = settings
        self.http = HttpChecker(settings)
        self._linkchecker: LinkCheckerSession | None = None

    async def check(self, url: str, timeout: float | None = None) -> RawResult:
        if url[:8].lower().startswith(_WEB) or browser_text(url).lower().startswith(_WEB):
            return await self.http.check(url, timeout)
        # LinkChecker's ftp check blocks, so it runs in the loop's worker threads.
        failure, said = await asyncio.get_running_loop().run_in_executor(None, self.linkchecker.check_ftp, url)
        return RawResult(url, url, failure=failure, detail=said if failure else "", note="" if failure else said)

    async def close(self) -> None:
        """Close the run's HTTP session (its pooled connections)."""
        await self.http.close()

    @property
    def linkchecker(self) -> LinkCheckerSession:
        if self._linkchecker is None:
            self._linkchecker = LinkCheckerSession(self.settings.timeout)
        return self._linkchecker


class _Gates(dict[str, HostGate]):
    """One gate per host, made when the host's first link comes."""

    def __init__(self, ceiling: int, budget: int) -> None:
        super().__init__()
        self.ceiling, self.budget = ceiling, budget

    def __missing__(self, host: str) -> HostGate:
        gate = self[host] = HostGate(host, self.ceiling, self.budget)
        return gate


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)
