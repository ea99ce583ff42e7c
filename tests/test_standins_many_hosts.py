"""Tests proving the many-hosts stand-in answers on each loopback host and counts each one's load."""

from __future__ import annotations

import http.client
import threading

from standins.client import TIMEOUT
from standins.many_hosts import ManyHostsStandin


def test_many_hosts_standin_serves_each_host_and_counts_its_concurrency() -> None:
    hosts = ["127.0.0.2", "127.0.0.3"]
    # No answer before the first host has all four in flight: the peaks are counts, not a race.
    with ManyHostsStandin(hosts, hold_until={hosts[0]: 4}) as standin:
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
