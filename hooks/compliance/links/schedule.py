"""Run link checks concurrently: a cap per host, an optional rate per host, retries on each URL's own clock.

Each URL is one asyncio task, on uvloop's event loop when it is installed. It takes its host's
slot before a slot of the run, so a busy host never holds a slot another host could use, and a
URL waiting for its retry (say a 429 with Retry-After: 2) sleeps exactly that long, whatever the
other URLs are doing.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .classify import LinkClass, Verdict
from .http_check import HttpChecker
from .linkchecker import LinkCheckerSession
from .settings import CheckSettings, RawResult, RetryPolicy

# The automatic concurrency is hosts x per-host limit, but never more than this many open
# connections, well below the usual limit of 1024 open files.
MAX_AUTO_WORKERS = 512


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
    check: Callable[[str], Awaitable[RawResult]],
    judge: Callable[[RawResult], Verdict],
    settings: CheckSettings,
    policy: RetryPolicy,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Attempts]:
    """Check each URL until it is not transient or out of retries; results keyed by URL."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(_Run(check, judge, settings, policy, progress, wanted).all())


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


class _Run:
    def __init__(
        self,
        check: Callable[[str], Awaitable[RawResult]],
        judge: Callable[[RawResult], Verdict],
        settings: CheckSettings,
        policy: RetryPolicy,
        progress: Callable[[int, int], None] | None,
        urls: list[str],
    ) -> None:
        self.check, self.judge, self.policy, self.progress, self.urls = check, judge, policy, progress, urls
        self.per_host = max(1, settings.per_host)
        self.interval = 1.0 / settings.host_rate if settings.host_rate > 0 else 0.0
        self.workers = worker_count(urls, settings)
        self.next_start: dict[str, float] = defaultdict(float)
        self.done: dict[str, Attempts] = {}

    async def all(self) -> dict[str, Attempts]:
        # Semaphores belong to the running loop, so they are made here rather than in __init__.
        self.run_slots = asyncio.Semaphore(self.workers)
        self.host_slots: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self.per_host))
        await asyncio.gather(*(self._one(url) for url in self.urls))
        return self.done

    async def _one(self, url: str) -> None:
        host, waits = host_of(url), []
        for count in range(1, self.policy.retries + 2):
            async with self.host_slots[host], self.run_slots:
                await self._keep_rate(host)
                try:
                    raw = await self.check(url)
                except Exception as exc:  # one URL's surprise must never stop the run
                    raw = RawResult(url, False, f"InternalError: {type(exc).__name__}: {exc}", url)
            verdict = self.judge(raw)
            if verdict.kind is not LinkClass.TRANSIENT or count > self.policy.retries:
                break
            waits.append(self.policy.delay(count, verdict))
            await asyncio.sleep(waits[-1])
        self.done[url] = Attempts(raw, verdict, count, waits)
        if self.progress:
            self.progress(len(self.done), len(self.urls))

    async def _keep_rate(self, host: str) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self.next_start[host])
        self.next_start[host] = start + self.interval
        await asyncio.sleep(start - now)


class SchemeCheckers:
    """The right checker per scheme; LinkChecker's (ftp) is only set up when an ftp URL comes."""

    def __init__(self, settings: CheckSettings) -> None:
        self.settings = settings
        self.http = HttpChecker(settings.timeout, settings.ca_bundle)
        self._linkchecker: LinkCheckerSession | None = None

    async def check(self, url: str) -> RawResult:
        if url.lower().startswith(("http://", "https://")):
            return await self.http.check(url)
        # LinkChecker's ftp check blocks, so it runs in the loop's worker threads.
        valid, result = await asyncio.get_running_loop().run_in_executor(None, self.linkchecker.check_ftp, url)
        return RawResult(url, valid, result, url)

    @property
    def linkchecker(self) -> LinkCheckerSession:
        if self._linkchecker is None:
            self._linkchecker = LinkCheckerSession(self.settings.timeout)
        return self._linkchecker
