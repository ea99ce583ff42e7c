"""Each fault kind lands in its class against real loopback stand-ins."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass
from compliance.links.linkmap import LinkSource
from compliance.links.runner import CheckSettings, _HostGate
from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin

FAST = CheckOptions(settings=CheckSettings(timeout=1.0), retries=2, retry_base=0.05, retry_cap=2.0, https_twins=False)
SOURCE = [LinkSource("data", "data/x.yml", 3, "x.url")]


@pytest.fixture(scope="module")
def http() -> Iterator[HttpStandin]:
    with HttpStandin(slow_seconds=2.5, flaky_failures=1) as server:
        yield server


def check(urls: list[str], options: CheckOptions = FAST, sleeps: list[float] | None = None) -> dict[str, LinkOutcome]:
    recorded = sleeps if sleeps is not None else []
    outcomes = check_external({u: SOURCE for u in urls}, options, LinkCache(None), sleep=recorded.append)
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
    sleeps: list[float] = []
    outcome = check([http.url("/always-429")], sleeps=sleeps)[http.url("/always-429")]
    assert outcome.verdict.kind is LinkClass.BROKEN
    assert outcome.verdict.advice == "still failing after 3 attempts"
    assert sleeps == [1.0, 1.0]  # Retry-After: 1 beats the 0.05 s and 0.1 s backoff
    capped = CheckOptions(settings=FAST.settings, retries=1, retry_base=0.05, retry_cap=0.2, https_twins=False)
    sleeps.clear()
    check([http.url("/always-503")], capped, sleeps)
    assert sleeps == [0.2]


def test_backoff_doubles_without_retry_after(http: HttpStandin) -> None:
    sleeps: list[float] = []
    check([http.url("/error")], sleeps=sleeps)
    assert sleeps == [0.05, 0.1]


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


def test_ftp_present_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "cert.pdf").write_bytes(b"%PDF-1.4 certificate")
    with FtpStandin(tmp_path) as ftp:
        outcomes = check([ftp.url("cert.pdf"), ftp.url("missing.pdf")])
        assert outcomes[ftp.url("cert.pdf")].verdict.kind is LinkClass.OK
        missing = outcomes[ftp.url("missing.pdf")].verdict
        assert (missing.kind, missing.status) == (LinkClass.BROKEN, "FTP 550 File not found")


def test_host_gate_caps_concurrent_requests_per_host() -> None:
    gate, lock = _HostGate(per_host=3, rate=0), threading.Lock()
    active, peak = {"a": 0, "b": 0}, {"a": 0, "b": 0}

    def request(host: str) -> None:
        slot = gate.enter(host)
        with lock:
            active[host] += 1
            peak[host] = max(peak[host], active[host])
        time.sleep(0.02)
        with lock:
            active[host] -= 1
        slot.release()

    threads = [threading.Thread(target=request, args=(h,)) for h in "ab" * 15]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == {"a": 3, "b": 3}


def test_host_gate_spaces_request_starts_at_the_asked_rate() -> None:
    gate, starts = _HostGate(per_host=10, rate=20), []
    for _ in range(5):
        gate.enter("h").release()
        starts.append(time.monotonic())
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.045
