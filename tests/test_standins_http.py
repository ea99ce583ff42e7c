"""Tests proving the HTTP stand-in's routes, options and counters behave as documented."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from standins.client import TIMEOUT, request
from standins.http_standin import HttpStandin


@pytest.fixture
def http_server() -> Iterator[HttpStandin]:
    """Default-configured HTTP stand-in with a short /slow delay."""
    with HttpStandin(slow_seconds=0.5) as server:
        yield server


@pytest.mark.parametrize(("path", "ctype"), [("/ok", "text/html"), ("/ok.pdf", "application/pdf")])
def test_ok_routes(http_server: HttpStandin, path: str, ctype: str) -> None:
    """/ok and /ok.pdf answer 200 with the right content type and a body."""
    with urllib.request.urlopen(http_server.url(path), timeout=TIMEOUT) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith(ctype)
        assert response.read()


def test_head_has_headers_but_no_body(http_server: HttpStandin) -> None:
    """HEAD mirrors GET's status and length but sends no body."""
    conn = http.client.HTTPConnection(http_server.host, http_server.port, timeout=TIMEOUT)
    conn.request("HEAD", "/ok")
    response = conn.getresponse()
    assert response.status == 200
    assert int(response.headers["Content-Length"]) > 0
    assert response.read() == b""
    conn.close()
    assert http_server.requests == [("HEAD", "/ok")]


@pytest.mark.parametrize(
    ("path", "status", "target"),
    [
        ("/moved", 301, "/ok"),
        ("/found", 302, "/ok"),
        ("/permanent308", 308, "/ok"),
        ("/moved-to-404", 301, "/missing"),
        ("/loop-a", 301, "/loop-b"),
        ("/loop-b", 301, "/loop-a"),
    ],
)
def test_redirects_use_absolute_locations(http_server: HttpStandin, path: str, status: int, target: str) -> None:
    """Each redirect route answers its status with an absolute Location."""
    response = request(http_server, path)
    assert response.status == status
    assert response.headers["Location"] == f"http://127.0.0.1:{http_server.port}{target}"


def test_redirect_chain_followed_by_urllib(http_server: HttpStandin) -> None:
    """urllib follows /moved to /ok and gives up on the /loop-a cycle."""
    with urllib.request.urlopen(http_server.url("/moved"), timeout=TIMEOUT) as response:
        assert response.url == http_server.url("/ok")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(http_server.url("/loop-a"), timeout=TIMEOUT)
    assert info.value.code == 301
    info.value.close()


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/gone", 410), ("/error", 500), ("/nowhere", 404)])
def test_error_statuses(http_server: HttpStandin, path: str, status: int) -> None:
    """Fixed error routes and unknown paths answer the documented status."""
    assert request(http_server, path).status == status
    assert request(http_server, path, method="HEAD").status == status


@pytest.mark.parametrize(("path", "status"), [("/flaky", 503), ("/rate-limited", 429)])
def test_flaky_routes_fail_then_recover(http_server: HttpStandin, path: str, status: int) -> None:
    """Flaky routes fail once with Retry-After: 1, then answer 200."""
    first = request(http_server, path)
    assert first.status == status
    assert first.headers["Retry-After"] == "1"
    assert request(http_server, path).status == 200
    assert request(http_server, path).status == 200
    http_server.reset_flaky()
    assert request(http_server, path).status == status


def test_flaky_failures_is_configurable() -> None:
    """flaky_failures sets how many hits fail before success."""
    with HttpStandin(flaky_failures=2) as server:
        assert [request(server, "/flaky").status for _ in range(3)] == [503, 503, 200]


@pytest.mark.parametrize(("path", "status"), [("/always-503", 503), ("/always-429", 429)])
def test_always_failing_routes(http_server: HttpStandin, path: str, status: int) -> None:
    """The always-* routes never recover and always send Retry-After: 1."""
    for _ in range(3):
        response = request(http_server, path)
        assert response.status == status
        assert response.headers["Retry-After"] == "1"


def test_slow_delays_without_blocking_others() -> None:
    """/slow holds its answer while other requests are served: /ok is answered with /slow still pending."""
    answers: list[int] = []
    # A minute: the order of the two answers does not depend on how busy the machine is.
    with HttpStandin(slow_seconds=60) as server:
        worker = threading.Thread(target=lambda: answers.append(request(server, "/slow").status))
        worker.start()
        deadline = time.monotonic() + TIMEOUT  # a guard against hanging, not a measure
        while server.in_flight < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert request(server, "/ok").status == 200
        assert (server.in_flight, answers) == (1, [])  # /slow is still waiting
    worker.join(TIMEOUT)  # stopping the server cut its wait short
    assert answers == [200]


def test_slow_times_out_client(http_server: HttpStandin) -> None:
    """A client timeout shorter than slow_seconds fires."""
    with pytest.raises(TimeoutError):
        urllib.request.urlopen(http_server.url("/slow"), timeout=0.1)


def test_reset_aborts_connection(http_server: HttpStandin) -> None:
    """/reset drops the connection without any response."""
    conn = http.client.HTTPConnection(http_server.host, http_server.port, timeout=TIMEOUT)
    conn.request("GET", "/reset")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        conn.getresponse()
    conn.close()
    # The server must survive the abort.
    assert request(http_server, "/ok").status == 200


def test_request_log(http_server: HttpStandin) -> None:
    """The log keeps (method, path) pairs in order and can be cleared."""
    request(http_server, "/ok")
    request(http_server, "/ok", method="HEAD")
    request(http_server, "/missing?x=1")
    assert http_server.requests == [("GET", "/ok"), ("HEAD", "/ok"), ("GET", "/missing?x=1")]
    assert http_server.requests_for("/ok") == 2
    assert http_server.requests_for("/missing") == 1
    assert http_server.requests_for("/gone") == 0
    http_server.clear_log()
    assert http_server.requests == []


def test_robots_default_404_and_configurable(http_server: HttpStandin) -> None:
    """/robots.txt is 404 by default and answers robots_status when set."""
    assert request(http_server, "/robots.txt").status == 404
    with HttpStandin(robots_status=403) as server:
        assert request(server, "/robots.txt").status == 403


def test_all_ok_mode() -> None:
    """all_ok makes every path 200 except /robots.txt handling."""
    with HttpStandin(all_ok=True, robots_status=403) as server:
        for path in ("/anything", "/missing", "/reset", "/deep/page.html?q=1"):
            assert request(server, path).status == 200
        assert request(server, "/robots.txt").status == 403


def test_url_helpers(http_server: HttpStandin) -> None:
    """url() and base_url build absolute loopback URLs."""
    assert http_server.base_url == f"http://127.0.0.1:{http_server.port}"
    assert http_server.url("ok") == http_server.url("/ok") == f"{http_server.base_url}/ok"


@pytest.mark.parametrize(("path", "status"), [("/status/404", 404), ("/status/503/deeper", 503), ("/status/200", 200)])
def test_status_route_answers_the_status_in_its_path(http_server: HttpStandin, path: str, status: int) -> None:
    assert request(http_server, path).status == status


def test_retry_after_route_asks_once_then_answers(http_server: HttpStandin) -> None:
    first = request(http_server, "/retry-after/2")
    assert (first.status, first.headers["Retry-After"]) == (429, "2")
    assert request(http_server, "/retry-after/2").status == 200
    arrivals = http_server.arrivals("/retry-after/2")
    assert len(arrivals) == 2 and arrivals[0] <= arrivals[1]


def test_delay_route_waits_before_answering(http_server: HttpStandin) -> None:
    start = time.monotonic()
    assert request(http_server, "/delay/0.3").status == 200
    assert time.monotonic() - start >= 0.3


def test_peak_in_flight_counts_concurrent_requests() -> None:
    """Six clients at once on a server that answers once all six are in: the peak is six, then back to none."""
    with HttpStandin(hold_until=6) as server:  # no answer before all six are in flight
        workers = [threading.Thread(target=request, args=(server, f"/ok?{n}")) for n in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(TIMEOUT)
        assert (server.peak_in_flight, server.in_flight) == (6, 0)
        server.reset_peak()
        request(server, "/ok")
        assert server.peak_in_flight == 1
