"""Drive LinkChecker as a library over a list of URLs and collect what it found.

Using the library rather than the `linkchecker` command keeps its HTML parsing and
FTP support but avoids its gaps: the command drops root to `nobody` (which breaks
in folders `nobody` cannot read), and its per-host throttle sleeps while holding a
global lock. Our own transport adapter limits concurrency and rate per host instead,
and records each HTTP response so that Retry-After and redirect codes are known.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from linkcheck import checker as lc_checker
from linkcheck import configuration, director
from linkcheck.director import aggregator
from linkcheck.director import checker as lc_threads
from linkcheck.logger import _Logger

# Check threads poll their queue this often and only notice the end of a run at
# the next poll; LinkChecker's 1 s default adds a second to every run we make.
lc_threads.QUEUE_POLL_INTERVALL_SECS = 0.05


@dataclass(frozen=True)
class CheckSettings:
    """How hard and how politely to check."""

    timeout: float = 20.0
    threads: int = 64
    per_host: int = 10
    host_rate: float = 0.0  # requests per second per host; 0 means no limit
    ca_bundle: str | None = None


@dataclass
class Hop:
    """One HTTP response (or failure) seen by the transport for a request URL."""

    status: int | None
    location: str | None = None
    retry_after: str | None = None
    error: str | None = None
    detail: str = ""


@dataclass
class RawResult:
    """What LinkChecker reported for one URL, plus the HTTP hops we recorded."""

    url: str
    valid: bool
    result: str
    final_url: str
    warnings: list[str] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)


class _HostGate:
    """At most `per_host` requests in flight per host, and at most `rate` starts a second."""

    def __init__(self, per_host: int, rate: float) -> None:
        self._per_host = max(1, per_host)
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = defaultdict(float)

    def enter(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        slot.acquire()
        if self._interval:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start[host])
                self._next_start[host] = start + self._interval
            time.sleep(max(0.0, start - now))
        return slot


class _RecordingAdapter(requests.adapters.HTTPAdapter):
    """Transport that enforces the host gate and records every response."""

    def __init__(self, gate: _HostGate, hops: dict[str, Hop], ca_bundle: str | None) -> None:
        super().__init__()
        self._gate, self._hops, self._ca_bundle = gate, hops, ca_bundle

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        if self._ca_bundle:
            kwargs["verify"] = self._ca_bundle
        slot = self._gate.enter(urlsplit(url).netloc)
        try:
            response = super().send(request, **kwargs)
        except Exception as exc:
            self._hops[url] = Hop(None, error=type(exc).__name__, detail=str(exc))
            raise
        finally:
            slot.release()
        headers = response.headers
        self._hops[url] = Hop(response.status_code, headers.get("Location"), headers.get("Retry-After"))
        return response


class _Aggregate(aggregator.Aggregate):
    """LinkChecker's aggregate with our transport and without its global per-host sleep."""

    gate: _HostGate
    hops: dict[str, Hop]
    ca_bundle: str | None

    def wait_for_host(self, host: str) -> None:
        return None  # the adapter's host gate does this without a global lock

    def add_request_session(self) -> None:
        super().add_request_session()
        session = self.get_request_session()
        adapter = _RecordingAdapter(self.gate, self.hops, self.ca_bundle)
        session.mount("http://", adapter)
        session.mount("https://", adapter)


class UrlCollector(_Logger):
    """LinkChecker logger that hands every checked URL to a callback."""

    LoggerName = "compliance-collector"

    def __init__(self, on_url: Callable[[Any], None]) -> None:
        super().__init__()
        self._on_url = on_url

    def log_filter_url(self, url_data: Any, do_print: bool) -> None:
        self._on_url(url_data)

    def log_url(self, url_data: Any) -> None:
        self._on_url(url_data)

    def start_output(self) -> None:
        return None

    def end_output(self, **kwargs: Any) -> None:
        return None


def check_urls(
    urls: Iterable[str], settings: CheckSettings, progress: Callable[[int], None] | None = None
) -> dict[str, RawResult]:
    """Check each URL once with LinkChecker; return results keyed by the URL as given."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}
    found: dict[str, Any] = {}
    lock = threading.Lock()

    def collect(url_data: Any) -> None:
        with lock:
            found[url_data.base_url] = url_data
            if progress:
                progress(len(found))

    config = new_config(
        UrlCollector(collect),
        recursionlevel=0,
        checkextern=True,
        timeout=settings.timeout,
        threads=max(1, min(settings.threads, len(wanted))),
        aborttimeout=max(30, int(settings.timeout * 3)),
    )
    aggregate = _new_aggregate(config, settings)
    enqueue(aggregate, wanted)
    director.check_urls(aggregate)
    return {url: _raw(url, found.get(url), aggregate.hops) for url in wanted}


def new_config(collector: UrlCollector, **options: Any) -> configuration.Configuration:
    """A quiet LinkChecker configuration that reports every URL to `collector`."""
    logging.getLogger("linkcheck").setLevel(logging.CRITICAL)
    config = configuration.Configuration()
    config["robotstxt"] = False  # a 401/403 robots.txt would otherwise mark every link valid
    config["status"] = False
    config["verbose"] = True
    config.update(options)
    config["logger"] = collector
    config.sanitize()
    return config


def enqueue(aggregate: aggregator.Aggregate, urls: Iterable[str]) -> None:
    """Queue start URLs the way the `linkchecker` command does."""
    for url in urls:
        aggregate.urlqueue.put(lc_checker.get_url_from(url, 0, aggregate, extern=(0, 0)))


def _new_aggregate(config: configuration.Configuration, settings: CheckSettings) -> _Aggregate:
    plain = director.get_aggregate(config)
    aggregate = _Aggregate(config, plain.urlqueue, plain.robots_txt, plain.plugin_manager, plain.result_cache)
    aggregate.gate = _HostGate(settings.per_host, settings.host_rate)
    aggregate.hops = {}
    aggregate.ca_bundle = settings.ca_bundle
    return aggregate


def _raw(url: str, url_data: Any, hops: dict[str, Hop]) -> RawResult:
    if url_data is None:
        return RawResult(url, False, "InternalError: LinkChecker reported nothing for this URL", url)
    warnings = [message for _tag, message in (url_data.warnings or [])]
    return RawResult(
        url=url,
        valid=bool(url_data.valid),
        result=str(url_data.result or ""),
        final_url=str(url_data.url or url),
        warnings=warnings,
        hops=_chain(url, hops),
    )


def _chain(url: str, hops: dict[str, Hop]) -> list[Hop]:
    """The recorded responses from `url` along its redirects, stopping at a loop."""
    chain: list[Hop] = []
    seen: set[str] = set()
    current: str | None = url
    while current and current in hops and current not in seen:
        seen.add(current)
        hop = hops[current]
        chain.append(hop)
        current = requests.compat.urljoin(current, hop.location) if hop.location else None
    return chain
