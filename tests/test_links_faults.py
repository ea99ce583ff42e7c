"""Each fault kind lands in its class against real loopback stand-ins."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
import types
from pathlib import Path

import pytest

from compliance.links import schedule
from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass, Verdict, classify
from compliance.links.linkmap import LinkSource
from compliance.links.schedule import CheckRun, SchemeCheckers, run_checks
from compliance.links.settings import CheckSettings, Hop, RawResult, RetryPolicy
from standins.base import HOLD_LIMIT
from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin

FAST = CheckOptions(settings=CheckSettings(timeout=1.0), retries=2, retry_base=0.05, retry_cap=2.0, https_twins=False)
SOURCE = [LinkSource("data", "data/x.yml", 3, "x.url")]


# The `http` stand-in (conftest.py) of this module.
HTTP_STANDIN = {"slow_seconds": 2.5, "flaky_failures": 1}


def check(urls: list[str], options: CheckOptions = FAST) -> dict[str, LinkOutcome]:
    outcomes = check_external({u: SOURCE for u in urls}, options, LinkCache(None))
    return {o.url: o for o in outcomes}


@pytest.fixture(scope="module")
def http_outcomes(http: HttpStandin) -> dict[str, LinkOutcome]:
    """One check run over every HTTP fault route (the slow and reset routes cost the most)."""
    paths = ["/ok", "/moved", "/found", "/permanent308", "/moved-to-404", "/missing", "/gone", "/error"]
    paths += ["/flaky", "/rate-limited", "/slow", "/reset", "/loop-a"]
    return check([http.url(p) for p in paths])


@pytest.mark.parametrize(
    ("path", "kind", "status", "attempts"),
    [
        ("/ok", LinkClass.OK, "200 OK", 1),
        ("/found", LinkClass.OK, "200 OK", 1),
        ("/moved", LinkClass.WARNING, "permanent redirect", 1),
        ("/permanent308", LinkClass.WARNING, "permanent redirect", 1),
        ("/moved-to-404", LinkClass.BROKEN, "404 Not Found", 1),
        ("/missing", LinkClass.BROKEN, "404 Not Found", 1),
        ("/gone", LinkClass.BROKEN, "410 Gone", 1),
        ("/error", LinkClass.BROKEN, "500 Internal Server Error", 3),
        ("/flaky", LinkClass.OK, "200 OK", 2),
        ("/rate-limited", LinkClass.OK, "200 OK", 2),
        ("/slow", LinkClass.BROKEN, "timeout", 3),
        ("/reset", LinkClass.BROKEN, "connection reset", 3),
        ("/loop-a", LinkClass.BROKEN, "redirect loop", 1),
    ],
)
def test_http_fault_lands_in_its_class(
    http: HttpStandin, http_outcomes: dict[str, LinkOutcome], path: str, kind: LinkClass, status: str, attempts: int
) -> None:
    outcome = http_outcomes[http.url(path)]
    assert (outcome.verdict.kind, outcome.verdict.status, outcome.attempts) == (kind, status, attempts)


def test_permanent_redirect_suggests_the_new_url(http: HttpStandin, http_outcomes: dict[str, LinkOutcome]) -> None:
    outcome = http_outcomes[http.url("/moved")]
    assert outcome.verdict.advice == f"update the link to {http.url('/ok')}"
    assert http_outcomes[http.url("/moved-to-404")].final_url == http.url("/missing")


def test_retries_honour_retry_after_up_to_the_cap(http: HttpStandin) -> None:
    outcome = check([http.url("/always-429")])[http.url("/always-429")]
    assert outcome.verdict.kind is LinkClass.WARNING  # rate limited: not known to be dead
    assert outcome.verdict.advice == (
        "429 Too Many Requests after 3 attempts, the host backed off each time; the server asked to wait 1 s"
    )
    assert outcome.waits == [1.0, 1.0]  # Retry-After: 1 beats the 0.05 s and 0.1 s backoff
    capped = CheckOptions(settings=FAST.settings, retries=1, retry_base=0.05, retry_cap=0.2, https_twins=False)
    assert check([http.url("/always-503")], capped)[http.url("/always-503")].waits == [0.2]


def test_backoff_doubles_without_retry_after(http: HttpStandin) -> None:
    assert check([http.url("/error")])[http.url("/error")].waits == [0.05, 0.1]


def test_each_url_is_retried_on_its_own_clock() -> None:
    """A 429 asking for 2 s is retried 2 s later, while a slow URL of the same run is still in flight.

    Retrying in rounds would wait for the slow URL first (the issue saw 5.1 s for Retry-After: 2).
    The slow URL is on another host: on the same one, the 429 rightly leaves the host one request
    at a time (test_links_rate_limits.py), and the slow one holds it.
    """
    # The slow URL is answered only once the retry has arrived (or after HOLD_LIMIT): a run that waited
    # for it before retrying would find it answered by then, whatever the machine's load.
    with HttpStandin() as server, HttpStandin("127.0.0.2", hold_until=2, all_ok=True) as other:
        # (requests of the 429 URL seen, slow answers still pending) when the watcher let the slow one go.
        at_release: list[tuple[int, int]] = []

        def release_on_retry() -> None:
            deadline = time.monotonic() + HOLD_LIMIT  # a guard against hanging, not a measure
            while len(server.arrivals("/retry-after/2")) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            at_release.append((len(server.arrivals("/retry-after/2")), other.in_flight))
            other.held.set()

        watcher = threading.Thread(target=release_on_retry)
        watcher.start()
        options = CheckOptions(settings=CheckSettings(timeout=60.0), retries=1, retry_base=0.05, https_twins=False)
        outcomes = check([server.url("/retry-after/2"), other.url("/page")], options)
        watcher.join()
        first, again = server.arrivals("/retry-after/2")
        assert outcomes[server.url("/retry-after/2")].waits == [2.0]
        assert again - first >= 2.0  # never before the server asked
        assert at_release == [(2, 1)], "the retry waited for the slow URL"
        assert outcomes[server.url("/retry-after/2")].verdict.kind is LinkClass.OK


def test_robots_txt_403_does_not_make_links_valid() -> None:
    with HttpStandin(robots_status=403) as guarded:
        outcomes = check([guarded.url("/missing"), guarded.url("/ok")])
        assert outcomes[guarded.url("/missing")].verdict.kind is LinkClass.BROKEN
        assert outcomes[guarded.url("/ok")].verdict.kind is LinkClass.OK
        assert guarded.requests_for("/robots.txt") == 0


def test_connection_refused_is_broken() -> None:
    with HttpStandin() as gone:
        url = gone.url("/ok")
    outcome = check([url])[url]
    assert (outcome.verdict.kind, outcome.verdict.status, outcome.attempts) == (
        LinkClass.BROKEN,
        "connection refused",
        1,
    )


@pytest.mark.parametrize("loop", ["uvloop", "standard library"])
def test_each_event_loop_classifies_alike(http: HttpStandin, monkeypatch: pytest.MonkeyPatch, loop: str) -> None:
    """uvloop is used when installed; without it the standard loop must give the same verdicts."""
    import uvloop

    from compliance.links import schedule

    assert schedule.loop_factory() is uvloop.new_event_loop
    made: list[object] = []

    def recording_factory() -> object:
        made.append(uvloop.new_event_loop())
        return made[-1]

    monkeypatch.setattr(schedule, "loop_factory", lambda: recording_factory if loop == "uvloop" else None)
    with HttpStandin() as gone:
        refused = gone.url("/ok")
    urls = [http.url("/ok"), http.url("/missing"), http.url("/moved"), http.url("/reset"), refused]
    outcomes = check(urls)
    assert [(outcomes[u].verdict.kind, outcomes[u].verdict.status) for u in urls] == [
        (LinkClass.OK, "200 OK"),
        (LinkClass.BROKEN, "404 Not Found"),
        (LinkClass.WARNING, "permanent redirect"),
        (LinkClass.BROKEN, "connection reset"),
        (LinkClass.BROKEN, "connection refused"),
    ]
    assert len(made) == (1 if loop == "uvloop" else 0)


def test_ftp_present_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "cert.pdf").write_bytes(b"%PDF-1.4 certificate")
    with FtpStandin(tmp_path) as ftp:
        outcomes = check([ftp.url("cert.pdf"), ftp.url("missing.pdf")])
        assert outcomes[ftp.url("cert.pdf")].verdict.kind is LinkClass.OK
        missing = outcomes[ftp.url("missing.pdf")].verdict
        assert (missing.kind, missing.status) == (LinkClass.BROKEN, "FTP 550 File not found")


def test_no_more_than_per_host_requests_in_flight_on_one_host() -> None:
    """12 links to a host, per-host limit 4: the server sees exactly 4 at once."""
    # No answer before four are in flight, so the count does not depend on how busy the machine is;
    # more than four would be seen as a higher peak, fewer as a lower one (after HOLD_LIMIT).
    with HttpStandin(hold_until=4, all_ok=True) as server:
        settings = CheckSettings(timeout=5.0, per_host=4)
        check([server.url(f"/page/{n}") for n in range(12)], CheckOptions(settings=settings, https_twins=False))
        assert server.peak_in_flight == 4


def test_hosts_are_checked_side_by_side(tmp_path: Path) -> None:
    """Two hosts, per-host limit 2: each host reaches its limit and no more."""
    with (
        HttpStandin("127.0.0.2", hold_until=2, all_ok=True) as one,
        HttpStandin("127.0.0.3", hold_until=2, all_ok=True) as two,
    ):
        urls = [server.url(f"/p{n}") for n in range(6) for server in (one, two)]
        check(urls, CheckOptions(settings=CheckSettings(timeout=5.0, per_host=2), https_twins=False))
        assert (one.peak_in_flight, two.peak_in_flight) == (2, 2)


def test_host_rate_spaces_check_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starts on one host are spaced by 1/rate on the scheduler's clock. The clock is a stand-in that
    never moves, and each check records when its task was told to wake: exact under any load, with no
    wall-clock gaps measured."""
    woken_at: contextvars.ContextVar[float] = contextvars.ContextVar("woken_at", default=0.0)
    real_sleep = asyncio.sleep

    async def waiting(delay: float, *args: object) -> None:
        woken_at.set(max(woken_at.get(), delay))  # each task has its own context: this is its wake time
        await real_sleep(0)

    monkeypatch.setattr(schedule, "time", types.SimpleNamespace(monotonic=lambda: 0.0))
    monkeypatch.setattr(schedule.asyncio, "sleep", waiting)
    starts: list[float] = []

    async def record(url: str, timeout: float | None = None) -> RawResult:
        starts.append(woken_at.get())
        return RawResult(url, url, [Hop(200, "OK")])

    urls = [f"http://h.example/{n}" for n in range(5)]
    run_checks(
        urls, record, lambda raw: Verdict(LinkClass.OK, "200 OK"), CheckSettings(host_rate=20), RetryPolicy(retries=0)
    )
    assert sorted(starts) == pytest.approx([0.0, 0.05, 0.10, 0.15, 0.20])


# Turns of the event loop a stand-in check stays in flight: the scheduler starts every check it may
# within a few turns.
STEPS_IN_FLIGHT = 50


@pytest.mark.parametrize(
    ("hosts", "urls", "settings", "peak"),
    [
        (50, 500, CheckSettings(), 500),
        (100, 2000, CheckSettings(), 512),  # 100 hosts x 10 would be 1000: bounded
        (3, 90, CheckSettings(), 30),
        (1, 60, CheckSettings(per_host=10), 10),
        (2, 5, CheckSettings(), 5),  # never more than the URLs
        (50, 500, CheckSettings(threads=8), 8),
    ],
)
def test_default_concurrency_follows_the_work(hosts: int, urls: int, settings: CheckSettings, peak: int) -> None:
    """Checks in flight at once: hosts x per-host limit, at most 512, or --threads when given."""
    in_flight, most = 0, 0

    async def slow(url: str, timeout: float | None = None) -> RawResult:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        # In flight for a number of turns of the event loop, not of milliseconds: what starts meanwhile
        # depends on the scheduler alone, never on how busy the machine is.
        for _ in range(STEPS_IN_FLIGHT):
            await asyncio.sleep(0)
        in_flight -= 1
        return RawResult(url, url, [Hop(200, "OK")])

    work = [f"http://h{n % hosts}.example/{n}" for n in range(urls)]
    done = run_checks(work, slow, classify, settings, RetryPolicy(retries=0))
    assert (len(done), most) == (urls, peak)


def test_checks_started_early_are_answered_once() -> None:
    """URLs started page by page, some twice, then collected: each is checked exactly once."""
    calls: list[str] = []

    async def record(url: str, timeout: float | None = None) -> RawResult:
        calls.append(url)
        await asyncio.sleep(0.01)
        return RawResult(url, url, [Hop(200, "OK")])

    run = CheckRun(record, classify, CheckSettings(), RetryPolicy(retries=0))
    run.start(["http://a.example/1", "http://b.example/2"])
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:  # under way without waiting for results()
        time.sleep(0.01)
    assert sorted(calls) == ["http://a.example/1", "http://b.example/2"]
    run.start(["http://a.example/1", "http://a.example/3"])
    done = run.results()
    assert sorted(calls) == sorted(done) == ["http://a.example/1", "http://a.example/3", "http://b.example/2"]


def test_a_check_that_raises_is_one_broken_link_not_an_abort() -> None:
    async def explode(url: str, timeout: float | None = None) -> RawResult:
        if "bad" in url:
            raise ValueError("Invalid IPv6 URL")
        return RawResult(url, url, [Hop(200, "OK")])

    done = run_checks(["http://a/bad", "http://a/good"], explode, classify, CheckSettings(), RetryPolicy(retries=0))
    assert done["http://a/bad"].verdict.kind is LinkClass.BROKEN
    assert done["http://a/bad"].verdict.status == "internal error"
    assert "ValueError: Invalid IPv6 URL" in done["http://a/bad"].verdict.advice
    assert done["http://a/good"].verdict.kind is LinkClass.OK


def test_a_busy_caller_that_keeps_calling_start_does_not_make_checks_time_out() -> None:
    """Checks started early go on while the caller parses pages, calling start() after each.

    The answer comes after 0.2 s and the time limit is 1 s; the caller asks for the results
    only after 1.5 s of work in short steps. The answer was in time, so the link is fine.
    """
    with HttpStandin(response_delay=0.2, all_ok=True) as server:
        settings = CheckSettings(timeout=1.0)
        run = CheckRun(SchemeCheckers(settings).check, classify, settings, RetryPolicy(retries=0))
        run.start([server.url("/page")])
        for _ in range(15):
            time.sleep(0.1)  # a page being parsed
            run.start()  # no new links on it
        done = run.results()
    assert done[server.url("/page")].verdict.kind is LinkClass.OK, done[server.url("/page")].verdict


def test_closing_a_run_early_cancels_its_checks_at_once(recwarn: pytest.WarningsRecorder) -> None:
    """An interrupted or failed scan closes the run: nothing waits for the slow server, nothing is left pending."""
    # The server answers after a minute (or when it stops): a close that waited for the answers would
    # find none of them still pending.
    with HttpStandin(response_delay=60, all_ok=True) as server:
        settings = CheckSettings(timeout=120)
        run = CheckRun(SchemeCheckers(settings).check, classify, settings, RetryPolicy(retries=0))
        run.start([server.url(f"/slow/{n}") for n in range(3)])
        deadline = time.monotonic() + 30  # a guard against hanging, not a measure
        while server.in_flight < 3 and time.monotonic() < deadline:
            run.start()  # the loop runs only inside start() and results(), a few turns at a time
        assert server.in_flight == 3
        run.close()
        assert server.in_flight == 3  # closed while every answer was still pending
    assert run.done == {}
    assert not [w for w in recwarn if "never awaited" in str(w.message) or "destroyed" in str(w.message)]
