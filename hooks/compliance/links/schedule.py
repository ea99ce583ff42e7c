"""Run link checks concurrently: a cap per host, an optional rate per host, retries on each URL's own clock.

One dispatcher (the calling thread) starts a check only when its host has a free slot, so a
busy host never holds a worker that another host could use, and a URL waiting for its retry
(say a 429 with Retry-After: 2) waits exactly that long, whatever the other URLs are doing.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .classify import LinkClass, Verdict
from .http_check import RawResult

# The automatic worker count is hosts x per-host limit, but never more than this: past it
# a two-core machine spends more on thread switches than it gains.
MAX_AUTO_WORKERS = 256


@dataclass(frozen=True)
class CheckSettings:
    """How hard and how politely to check."""

    timeout: float = 20.0
    threads: int = 0  # concurrent checks in all; 0 picks hosts x per_host, bounded
    per_host: int = 10
    host_rate: float = 0.0  # check starts per second per host; 0 means no limit
    ca_bundle: str | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """Transient failures are retried `retries` times, after base x 2^n s or Retry-After, at most `cap` s."""

    retries: int = 3
    base: float = 1.0
    cap: float = 60.0

    def delay(self, attempt: int, verdict: Verdict) -> float:
        return min(self.cap, max(self.base * 2 ** (attempt - 1), verdict.retry_after or 0.0))


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
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def worker_count(urls: Iterable[str], settings: CheckSettings) -> int:
    """Explicit --threads, else hosts x per-host limit, bounded, and never more than the URLs."""
    urls = list(urls)
    if settings.threads > 0:
        return max(1, min(settings.threads, len(urls)))
    hosts = len({host_of(url) for url in urls})
    return max(1, min(hosts * settings.per_host, MAX_AUTO_WORKERS, len(urls)))


def run_checks(
    urls: Iterable[str],
    check: Callable[[str], RawResult],
    judge: Callable[[RawResult], Verdict],
    settings: CheckSettings,
    policy: RetryPolicy,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Attempts]:
    """Check each URL until it is not transient or out of retries; results keyed by URL."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}
    run = _Run(check, judge, settings, policy, progress, len(wanted))
    workers = worker_count(wanted, settings)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        run.dispatch(wanted, pool, workers)
    return run.done


class _Run:
    def __init__(
        self,
        check: Callable[[str], RawResult],
        judge: Callable[[RawResult], Verdict],
        settings: CheckSettings,
        policy: RetryPolicy,
        progress: Callable[[int, int], None] | None,
        total: int,
    ) -> None:
        self.check, self.judge, self.policy, self.progress, self.total = check, judge, policy, progress, total
        self.per_host = max(1, settings.per_host)
        self.interval = 1.0 / settings.host_rate if settings.host_rate > 0 else 0.0
        self.cond = threading.Condition()
        self.ready: dict[str, deque[str]] = defaultdict(deque)
        self.retry_at: list[tuple[float, int, str]] = []
        self.active: Counter[str] = Counter()
        self.next_start: dict[str, float] = defaultdict(float)
        self.counts: Counter[str] = Counter()
        self.waits: dict[str, list[float]] = defaultdict(list)
        self.done: dict[str, Attempts] = {}
        self.in_flight = 0

    def dispatch(self, urls: list[str], pool: ThreadPoolExecutor, workers: int) -> None:
        for url in urls:
            self.ready[host_of(url)].append(url)
        with self.cond:
            while len(self.done) < self.total:
                now = time.monotonic()
                while self.retry_at and self.retry_at[0][0] <= now:
                    url = heapq.heappop(self.retry_at)[2]
                    self.ready[host_of(url)].append(url)
                wake = self.retry_at[0][0] if self.retry_at else None
                for host in list(self.ready):
                    queue = self.ready[host]
                    while queue and self.in_flight < workers and self.active[host] < self.per_host:
                        if self.interval:
                            if self.next_start[host] > now:
                                wake = min(wake or self.next_start[host], self.next_start[host])
                                break
                            self.next_start[host] = now + self.interval
                        self.active[host] += 1
                        self.in_flight += 1
                        pool.submit(self._work, queue.popleft(), host)
                    if not queue:
                        del self.ready[host]
                self.cond.wait(None if wake is None else max(0.0, wake - now))

    def _work(self, url: str, host: str) -> None:
        try:
            raw = self.check(url)
        except Exception as exc:  # one URL's surprise must never stop the run
            raw = RawResult(url, False, f"InternalError: {type(exc).__name__}: {exc}", url)
        verdict = self.judge(raw)
        with self.cond:
            self.active[host] -= 1
            self.in_flight -= 1
            self.counts[url] += 1
            count = self.counts[url]
            if verdict.kind is LinkClass.TRANSIENT and count <= self.policy.retries:
                delay = self.policy.delay(count, verdict)
                self.waits[url].append(delay)
                heapq.heappush(self.retry_at, (time.monotonic() + delay, count, url))
            else:
                self.done[url] = Attempts(raw, verdict, count, self.waits.get(url, []))
                if self.progress:
                    self.progress(len(self.done), self.total)
            self.cond.notify()
