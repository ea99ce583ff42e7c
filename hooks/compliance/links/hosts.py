"""How many requests one host gets at once: adaptive, lowered by its rate limits, raised again by its successes.

A host that answers 429 (or 503) when more than N requests are in flight tells the checker two things:
how many it takes at once, and, with Retry-After, how long to leave it alone. The gate acts on both
for the whole host, not for the one link that was refused: it lowers the host's limit below the
number of requests the refused one was sent among, and holds every request to that host until
Retry-After has passed. Successes raise the limit again by one at a time, within `--per-host`, each
step after more successes than the last (a host that refused a probe is probed less often), so a
host with a fixed limit costs a handful of refusals per run rather than one per link.

A refusal only counts against the host's retry budget when it answers a request sent after the
host's last backing off (a new round): the refusals of one burst are one round, and a success
anywhere on the host gives the budget back. Links are given up as rate limited only when the host
has refused more than `budget` rounds in a row; from then on the host is not asked again in this run,
and its links still waiting end as rate limited too (thousands of links to a host that refuses us
would otherwise each cost a request and a pause).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass

# The most successes ever asked for before probing one request more: a host that keeps refusing
# probes is still probed now and then, in case it was only busy.
MAX_PATIENCE = 4096


@dataclass(frozen=True)
class Ticket:
    """A request's place at its host: the round it was sent in and how many were in flight with it."""

    round: int
    in_flight: int


class HostGate:
    """Admits requests to one host: at most `limit` at once (between 1 and `ceiling`), none while paused."""

    def __init__(self, name: str, ceiling: int, budget: int) -> None:
        self.name, self.budget = name, budget
        self.ceiling = max(1, ceiling)
        self.limit = self.ceiling
        self.in_flight = 0
        self.paused_until = 0.0  # time.monotonic(): no request starts before it
        self.round = 0  # incremented each time the host backs off
        self.strikes = 0  # rounds refused in a row, without a success in between
        self.patience = self.ceiling  # successes before the limit is raised by one
        self._successes = 0
        self._queue: deque[asyncio.Future[None]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def spent(self) -> bool:
        """Whether the host refused more rounds in a row than its budget: it is not asked again."""
        return self.strikes > self.budget

    @property
    def backing_off(self) -> bool:
        """Whether the host is held below its ceiling or paused."""
        return self.limit < self.ceiling or self.paused_until > time.monotonic()

    async def acquire(self, again: bool = False) -> Ticket:
        """Wait for a slot (first come, first served); the ticket goes back with `release`.

        A link trying `again` goes first: it has started its deadline, the links behind it have not.
        """
        if not self._queue and self._open():
            self.in_flight += 1
        else:
            waiter = asyncio.get_running_loop().create_future()
            if again:
                self._queue.appendleft(waiter)
            else:
                self._queue.append(waiter)
            self._wake()
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self.release()  # granted just as it was cancelled: hand the slot on
                raise
        return Ticket(self.round, self.in_flight)

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def refused(self, ticket: Ticket, wait: float) -> bool:
        """A rate limit answered the ticket's request: lower the limit, pause `wait` s. True if a new round."""
        self.limit = max(1, min(self.limit, ticket.in_flight - 1))
        self.paused_until = max(self.paused_until, time.monotonic() + wait)
        self._successes = 0
        new_round = ticket.round == self.round
        if new_round:
            self.round += 1
            self.strikes += 1
            self.patience = min(MAX_PATIENCE, self.patience * 2)
        return new_round

    def succeeded(self) -> None:
        """A request was answered (not refused): the budget is whole again, and the limit may grow."""
        self.strikes = 0
        if self.limit >= self.ceiling:
            return
        self._successes += 1
        if self._successes >= self.patience:
            self.limit += 1
            self._successes = 0
            self._wake()

    def _open(self) -> bool:
        return self.in_flight < self.limit and time.monotonic() >= self.paused_until

    def _wake(self) -> None:
        while self._queue and self._queue[0].done():  # cancelled while waiting
            self._queue.popleft()
        if not self._queue:
            return
        pause = self.paused_until - time.monotonic()
        if pause > 0:
            if self._timer is None:
                self._timer = asyncio.get_running_loop().call_later(pause, self._resume)
            return
        while self._queue and self.in_flight < self.limit:
            waiter = self._queue.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)

    def _resume(self) -> None:
        self._timer = None
        self._wake()
