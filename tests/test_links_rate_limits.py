"""Polite under rate limits: a host's 429s lower its concurrency and pause it whole, and never make a dead link.

The hosts are loopback stand-ins that refuse (429, Retry-After) what arrives beyond a number of
requests in flight, as code hosting and CDNs do; the gate's own behaviour is checked on its state,
never on wall-clock gaps.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass
from compliance.links.cli import main
from compliance.links.failures import FailureKind
from compliance.links.hosts import HostGate, Ticket
from compliance.links.linkmap import LinkSource
from compliance.links.settings import CheckSettings
from standins.http_standin import HttpStandin
from standins.many_hosts import ManyHostsStandin

SOURCE = [LinkSource("theme")]


def check(urls: list[str], options: CheckOptions, cache: LinkCache | None = None) -> list[LinkOutcome]:
    return check_external({url: SOURCE for url in urls}, options, cache or LinkCache(None))


def test_5000_links_to_a_host_that_refuses_beyond_6_in_flight_are_all_found_working() -> None:
    """The issue's case: 265 of 5,000 working links were reported broken; now none is, and the host is spared."""
    with ManyHostsStandin(["127.0.0.2"], delay=0.005, limit=6, retry_after="1") as host:
        urls = [host.url("127.0.0.2", f"/page/{number}") for number in range(5000)]
        outcomes = check(urls, CheckOptions(CheckSettings(timeout=10.0), https_twins=False))
    assert Counter(o.verdict.kind for o in outcomes) == {LinkClass.OK: 5000}
    assert host.peak["127.0.0.2"] <= 6
    # The first burst of 10 is refused above 6, then each rarer probe one above the limit: a few dozen at most.
    assert 0 < host.refused < 50


def test_a_host_that_refuses_everything_gives_rate_limited_warnings_after_its_budget() -> None:
    with ManyHostsStandin(["127.0.0.3"], limit=0, retry_after="0") as host:
        urls = [host.url("127.0.0.3", f"/page/{number}") for number in range(30)]
        options = CheckOptions(CheckSettings(timeout=5.0), retries=1, retry_base=0.05, https_twins=False)
        outcomes = check(urls, options)
    assert {(o.verdict.kind, o.verdict.status, o.failure) for o in outcomes} == {
        (LinkClass.WARNING, "rate limited", FailureKind.RATE_LIMITED)
    }
    # One burst of --per-host requests, then one more round after backing off: the budget (1 retry) is
    # spent and the 20 links still waiting are not requested at all.
    assert host.refused == 11
    waiting = [o for o in outcomes if o.attempts == 0]
    assert len(waiting) == 19
    assert waiting[0].verdict.advice.startswith("not requested: the host had answered 429 Too Many Requests")


def test_a_link_alone_on_its_host_is_given_up_after_the_budgets_rounds() -> None:
    with HttpStandin() as server:
        options = CheckOptions(CheckSettings(timeout=5.0), retries=2, retry_base=0.05, https_twins=False)
        (limited,) = check([server.url("/always-429")], options)
    assert (limited.verdict.kind, limited.verdict.status, limited.attempts) == (LinkClass.WARNING, "rate limited", 3)
    assert limited.waits == [1.0, 1.0]  # Retry-After, for the host
    assert limited.verdict.advice == (
        "429 Too Many Requests after 3 attempts, the host backed off each time; the server asked to wait 1 s"
    )


def test_a_success_on_the_host_gives_its_budget_back() -> None:
    """A rate limit that lifts for one link lifts for the host: the refused link is asked again."""
    with HttpStandin(flaky_failures=3) as server:
        options = CheckOptions(CheckSettings(timeout=5.0), retries=2, retry_base=0.05, https_twins=False)
        outcomes = {o.url: o for o in check([server.url("/rate-limited"), server.url("/retry-after/1")], options)}
    assert {o.verdict.kind for o in outcomes.values()} == {LinkClass.OK}
    # Three refusals, more than its two retries: in whichever order the two were asked again, the
    # other link's success came between two of them and gave the host its budget back.
    assert outcomes[server.url("/rate-limited")].attempts == 4


@pytest.mark.parametrize(("choice", "kind", "code"), [("warning", "warning", 0), ("broken", "broken", 1)])
def test_rate_limited_is_its_own_kind_whose_class_the_user_chooses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], choice: str, kind: str, code: int
) -> None:
    with HttpStandin() as server:
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text(f'<a href="{server.url("/always-429")}">x</a>', encoding="utf-8")
        argv = ["--site", str(site), "--retries", "0", "--progress", "always", "--format", "json"]
        argv += ["--cache", str(tmp_path / "cache.json"), "--rate-limited", choice]
        assert main(argv) == code
        captured = capsys.readouterr()
        (entry,) = json.loads(captured.out)["links"]
        assert (entry["class"], entry["failure"], entry["status"]) == (kind, "rate-limited", "rate limited")
        assert f"backing off: {server.host} (" in captured.err  # progress says which host holds back
        # Never cached, whatever its class: the next run asks again.
        assert main(argv) == code
        assert server.requests_for("/always-429") == 2


def test_the_rate_limited_option_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rate-limited", "ignore"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


# --- The gate of one host, by its state -------------------------------------------------------


def test_a_refusal_pauses_every_request_to_the_host_and_lowers_its_limit() -> None:
    async def scenario() -> None:
        gate = HostGate("h", ceiling=10, budget=3)
        tickets = [await gate.acquire() for _ in range(8)]
        assert [t.in_flight for t in tickets] == list(range(1, 9))
        assert gate.refused(tickets[6], wait=60.0)  # sent as the 7th in flight: the host takes 6
        assert not gate.refused(tickets[7], wait=60.0)  # the same burst: one round, not two
        assert (gate.limit, gate.strikes, gate.round) == (6, 1, 1)
        for _ in tickets[1:]:
            gate.release()
        waiting = asyncio.ensure_future(gate.acquire())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiting.done()  # paused for the whole host, though it has room for 5 more
        gate.paused_until = 0.0  # as if the pause were over: the next release lets the queue in
        gate.release()
        await asyncio.wait_for(waiting, 5)
        assert waiting.result() == Ticket(round=1, in_flight=1)

    asyncio.run(scenario())


def test_successes_raise_the_limit_back_each_step_after_more_of_them() -> None:
    gate = HostGate("h", ceiling=8, budget=3)
    gate.refused(Ticket(0, 5), wait=0.0)
    assert (gate.limit, gate.patience) == (4, 16)
    gate.succeeded()
    assert gate.strikes == 0  # a success gives the budget back
    for _ in range(15):
        gate.succeeded()
    assert gate.limit == 5
    gate.refused(Ticket(1, 6), wait=0.0)  # the probe was refused: probe half as often
    assert (gate.limit, gate.patience) == (5, 32)
    for _ in range(32 * 3):
        gate.succeeded()
    assert gate.limit == 8  # never above --per-host
    for _ in range(100):
        gate.succeeded()
    assert gate.limit == 8


def test_the_budget_is_spent_only_by_rounds_refused_in_a_row() -> None:
    gate = HostGate("h", ceiling=4, budget=1)
    gate.refused(Ticket(0, 1), wait=0.0)
    assert not gate.spent
    gate.succeeded()
    gate.refused(Ticket(1, 1), wait=0.0)
    assert not gate.spent
    gate.refused(Ticket(2, 1), wait=0.0)
    assert gate.spent
