"""Tests proving the HTTP and FTP stand-ins behave as documented."""

from __future__ import annotations

import ftplib
import http.client
import io
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin
from standins.many_hosts import ManyHostsStandin

TIMEOUT = 5.0


def _request(server: HttpStandin, path: str, method: str = "GET") -> http.client.HTTPResponse:
    """Issue one raw request without following redirects."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    conn.request(method, path, headers={"Connection": "close"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


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
    response = _request(http_server, path)
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
    assert _request(http_server, path).status == status
    assert _request(http_server, path, method="HEAD").status == status


@pytest.mark.parametrize(("path", "status"), [("/flaky", 503), ("/rate-limited", 429)])
def test_flaky_routes_fail_then_recover(http_server: HttpStandin, path: str, status: int) -> None:
    """Flaky routes fail once with Retry-After: 1, then answer 200."""
    first = _request(http_server, path)
    assert first.status == status
    assert first.headers["Retry-After"] == "1"
    assert _request(http_server, path).status == 200
    assert _request(http_server, path).status == 200
    http_server.reset_flaky()
    assert _request(http_server, path).status == status


def test_flaky_failures_is_configurable() -> None:
    """flaky_failures sets how many hits fail before success."""
    with HttpStandin(flaky_failures=2) as server:
        assert [_request(server, "/flaky").status for _ in range(3)] == [503, 503, 200]


@pytest.mark.parametrize(("path", "status"), [("/always-503", 503), ("/always-429", 429)])
def test_always_failing_routes(http_server: HttpStandin, path: str, status: int) -> None:
    """The always-* routes never recover and always send Retry-After: 1."""
    for _ in range(3):
        response = _request(http_server, path)
        assert response.status == status
        assert response.headers["Retry-After"] == "1"


def test_slow_delays_without_blocking_others(http_server: HttpStandin) -> None:
    """/slow waits slow_seconds while other requests are still served promptly."""
    results: dict[str, float] = {}

    def fetch_slow() -> None:
        start = time.monotonic()
        assert _request(http_server, "/slow").status == 200
        results["slow"] = time.monotonic() - start

    worker = threading.Thread(target=fetch_slow)
    worker.start()
    time.sleep(0.05)
    start = time.monotonic()
    assert _request(http_server, "/ok").status == 200
    results["ok"] = time.monotonic() - start
    worker.join(TIMEOUT)
    assert results["slow"] >= 0.5
    assert results["ok"] < 0.4


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
    assert _request(http_server, "/ok").status == 200


def test_request_log(http_server: HttpStandin) -> None:
    """The log keeps (method, path) pairs in order and can be cleared."""
    _request(http_server, "/ok")
    _request(http_server, "/ok", method="HEAD")
    _request(http_server, "/missing?x=1")
    assert http_server.requests == [("GET", "/ok"), ("HEAD", "/ok"), ("GET", "/missing?x=1")]
    assert http_server.requests_for("/ok") == 2
    assert http_server.requests_for("/missing") == 1
    assert http_server.requests_for("/gone") == 0
    http_server.clear_log()
    assert http_server.requests == []


def test_robots_default_404_and_configurable(http_server: HttpStandin) -> None:
    """/robots.txt is 404 by default and answers robots_status when set."""
    assert _request(http_server, "/robots.txt").status == 404
    with HttpStandin(robots_status=403) as server:
        assert _request(server, "/robots.txt").status == 403


def test_all_ok_mode() -> None:
    """all_ok makes every path 200 except /robots.txt handling."""
    with HttpStandin(all_ok=True, robots_status=403) as server:
        for path in ("/anything", "/missing", "/reset", "/deep/page.html?q=1"):
            assert _request(server, path).status == 200
        assert _request(server, "/robots.txt").status == 403


def test_url_helpers(http_server: HttpStandin) -> None:
    """url() and base_url build absolute loopback URLs."""
    assert http_server.base_url == f"http://127.0.0.1:{http_server.port}"
    assert http_server.url("ok") == http_server.url("/ok") == f"{http_server.base_url}/ok"


def test_stop_releases_port() -> None:
    """After stop() the port no longer accepts connections."""
    server = HttpStandin().start()
    port = server.port
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/ok")


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "example.com", "::1"])
def test_non_loopback_host_rejected(host: str, tmp_path: Path) -> None:
    """Both stand-ins refuse anything outside 127.0.0.0/8."""
    with pytest.raises(ValueError):
        HttpStandin(host=host)
    with pytest.raises(ValueError):
        FtpStandin(tmp_path, host=host)


@pytest.fixture
def ftp_server(tmp_path: Path) -> Iterator[FtpStandin]:
    """FTP stand-in serving a small tree."""
    (tmp_path / "pub").mkdir()
    (tmp_path / "pub" / "report.pdf").write_bytes(b"%PDF-1.4 ftp stand-in\n")
    (tmp_path / "readme.txt").write_bytes(b"hello over ftp\n")
    with FtpStandin(tmp_path) as server:
        yield server


def _ftp_login(server: FtpStandin) -> ftplib.FTP:
    ftp = ftplib.FTP()
    ftp.connect(server.host, server.port, timeout=TIMEOUT)
    ftp.login()
    return ftp


def test_ftp_download_present_file(ftp_server: FtpStandin) -> None:
    """An anonymous client downloads exact bytes and the RETR is logged."""
    ftp = _ftp_login(ftp_server)
    buffer = io.BytesIO()
    ftp.retrbinary("RETR pub/report.pdf", buffer.write)
    assert ftp.size("readme.txt") == len(b"hello over ftp\n")
    ftp.cwd("pub")
    assert "report.pdf" in ftp.nlst()
    ftp.quit()
    assert buffer.getvalue() == b"%PDF-1.4 ftp stand-in\n"
    assert ftp_server.retrieved() == ["pub/report.pdf"]
    assert ("SIZE", "readme.txt") in ftp_server.requests
    assert ("CWD", "pub") in ftp_server.requests


def test_ftp_missing_file_is_550(ftp_server: FtpStandin) -> None:
    """A missing file yields a permanent 550 error."""
    ftp = _ftp_login(ftp_server)
    with pytest.raises(ftplib.error_perm, match=r"^550"):
        ftp.retrbinary("RETR nope.pdf", io.BytesIO().write)
    ftp.quit()
    assert ftp_server.retrieved() == ["nope.pdf"]


def test_ftp_is_read_only(ftp_server: FtpStandin) -> None:
    """Uploads are refused."""
    ftp = _ftp_login(ftp_server)
    with pytest.raises(ftplib.error_perm):
        ftp.storbinary("STOR new.txt", io.BytesIO(b"x"))
    ftp.quit()


def test_ftp_urllib_and_url(ftp_server: FtpStandin) -> None:
    """url() yields an ftp:// URL that urllib can download."""
    assert ftp_server.url("readme.txt") == f"ftp://127.0.0.1:{ftp_server.port}/readme.txt"
    with urllib.request.urlopen(ftp_server.url("readme.txt"), timeout=TIMEOUT) as response:
        assert response.read() == b"hello over ftp\n"


def test_ftp_stop_closes_port(tmp_path: Path) -> None:
    """stop() closes the listener and is idempotent."""
    server = FtpStandin(tmp_path).start()
    port = server.port
    server.stop()
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        ftplib.FTP().connect("127.0.0.1", port, timeout=1)


@pytest.mark.parametrize(("path", "status"), [("/status/404", 404), ("/status/503/deeper", 503), ("/status/200", 200)])
def test_status_route_answers_the_status_in_its_path(http_server: HttpStandin, path: str, status: int) -> None:
    assert _request(http_server, path).status == status


def test_retry_after_route_asks_once_then_answers(http_server: HttpStandin) -> None:
    first = _request(http_server, "/retry-after/2")
    assert (first.status, first.headers["Retry-After"]) == (429, "2")
    assert _request(http_server, "/retry-after/2").status == 200
    arrivals = http_server.arrivals("/retry-after/2")
    assert len(arrivals) == 2 and arrivals[0] <= arrivals[1]


def test_delay_route_waits_before_answering(http_server: HttpStandin) -> None:
    start = time.monotonic()
    assert _request(http_server, "/delay/0.3").status == 200
    assert time.monotonic() - start >= 0.3


def test_peak_in_flight_counts_concurrent_requests() -> None:
    """Six clients at once on a server that answers after a second: the peak is six, then back to none."""
    with HttpStandin(response_delay=1.0) as server:  # a second of overlap, even on a loaded machine
        workers = [threading.Thread(target=_request, args=(server, f"/ok?{n}")) for n in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(TIMEOUT)
        assert (server.peak_in_flight, server.in_flight) == (6, 0)
        server.reset_peak()
        _request(server, "/ok")
        assert server.peak_in_flight == 1


def test_many_hosts_standin_serves_each_host_and_counts_its_concurrency() -> None:
    hosts = ["127.0.0.2", "127.0.0.3"]
    with ManyHostsStandin(hosts, delay=1.0) as standin:  # a second of overlap, even on a loaded machine
        calls = [(hosts[0], f"/page/{n}") for n in range(4)] + [(hosts[1], "/status/404/x")]
        answers: dict[str, tuple[int, str]] = {}

        def fetch(host: str, path: str) -> None:
            conn = http.client.HTTPConnection(host, standin.ports[host], timeout=TIMEOUT)
            conn.request("GET", path)
            response = conn.getresponse()
            answers[path] = (response.status, response.reason)
            conn.close()

        workers = [threading.Thread(target=fetch, args=call) for call in calls]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(TIMEOUT)
        assert standin.peak == {hosts[0]: 4, hosts[1]: 1}
        assert answers["/status/404/x"] == (404, "Not Found") and answers["/page/0"] == (200, "OK")
        standin.reset_peaks()
        assert standin.peak == {hosts[0]: 0, hosts[1]: 0}
        assert standin.url(hosts[1], "/a") == f"http://127.0.0.3:{standin.ports[hosts[1]]}/a"


def test_many_hosts_standin_keeps_connections_alive() -> None:
    with ManyHostsStandin(["127.0.0.2"]) as standin:
        conn = http.client.HTTPConnection("127.0.0.2", standin.ports["127.0.0.2"], timeout=TIMEOUT)
        statuses = []
        for path in ("/one", "/status/503", "/two"):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
        assert statuses == [200, 503, 200] and standin.served == 3
