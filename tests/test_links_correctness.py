"""Correctness of the HTTP transport against scripted local servers: URLs, redirects, safety, faults, fragments.

Names resolve through the checker's own override (`--resolve`), never /etc/hosts: `public.example`
and `bücher.example` are the 'public' server on 127.0.0.1, and a redirect to the 'internal' server
on 127.0.0.2 must never reach it, whatever notation its address is written in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass
from compliance.links.failures import FailureKind
from compliance.links.linkmap import LinkSource
from compliance.links.settings import CheckSettings
from standins.fault_routes import RESOLVE, public_routes
from standins.fault_standin import FaultStandin, answer

SOURCE = [LinkSource("data", "data/x.yml", 3, "x.url")]


@pytest.fixture(scope="module")
def internal() -> Iterator[FaultStandin]:
    with FaultStandin("127.0.0.2", {"/secret": answer(200, "OK")}) as server:
        yield server


@pytest.fixture(scope="module")
def public(internal: FaultStandin) -> Iterator[FaultStandin]:
    with FaultStandin("127.0.0.1") as server:
        server.routes.update(public_routes(server, internal))
        yield server


def check(urls: list[str], retries: int = 0, retry_cap: float = 0.2, **settings: object) -> dict[str, LinkOutcome]:
    values: dict[str, object] = {"timeout": 5.0, "resolve": RESOLVE, **settings}
    options = CheckOptions(
        CheckSettings(**values),  # type: ignore[arg-type]
        retries=retries,
        retry_base=0.05,
        retry_cap=retry_cap,
        https_twins=False,
    )
    return {o.url: o for o in check_external({u: SOURCE for u in urls}, options, LinkCache(None))}


def one(url: str, **settings: object) -> LinkOutcome:
    return check([url], **settings)[url]


def at(public: FaultStandin, path: str, host: str = "public.example") -> str:
    return f"http://{host}:{public.port}{path}"


# --- URLs as a browser sends them -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("/a b", "/a%20b"),
        ("/caf\u00e9", "/caf%C3%A9"),
        ("/a%20b", "/a%20b"),
        ("/echo?q=\u00e9 r&x=1", "/echo?q=%C3%A9%20r&x=1"),
        ("/echo?a=%2F", "/echo?a=%2F"),
    ],
)
def test_paths_and_queries_are_percent_encoded_as_browsers_send_them(
    public: FaultStandin, written: str, sent: str
) -> None:
    outcome = one(at(public, written))
    assert outcome.verdict.kind is LinkClass.OK, outcome.verdict
    assert any(request.target == sent for request in public.received)


def test_an_idn_host_is_requested_by_its_ascii_name(public: FaultStandin) -> None:
    outcome = one(at(public, "/ok", "b\u00fccher.example"))
    assert outcome.verdict.kind is LinkClass.OK, outcome.verdict
    assert any(r.headers.get("host", "").startswith("xn--bcher-kva.example:") for r in public.received)


@pytest.mark.parametrize("path", ["/utf8-location", "/relative", "/protocol-relative", "/to-self-host"])
def test_redirects_written_every_way_are_followed(public: FaultStandin, path: str) -> None:
    outcome = one(at(public, path))
    assert (outcome.verdict.kind, outcome.verdict.status) == (LinkClass.OK, "200 OK")


def test_a_utf8_location_is_requested_percent_encoded(public: FaultStandin) -> None:
    one(at(public, "/utf8-location"))
    assert public.requests_for("/caf%C3%A9%20ok") >= 1


# --- Redirect chains --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind", "status"),
    [
        ("/cookie", LinkClass.OK, "200 OK"),  # a cookie set and sent back is no loop
        ("/loop", LinkClass.BROKEN, "redirect loop"),
        ("/chain/0", LinkClass.BROKEN, "too many redirects"),
        ("/no-location", LinkClass.BROKEN, "redirect without Location"),
        ("/moved", LinkClass.WARNING, "permanent redirect"),
        ("/temporary", LinkClass.OK, "200 OK"),
        ("/see-other", LinkClass.OK, "200 OK"),
        ("/missing", LinkClass.BROKEN, "404 Not Found"),
    ],
)
def test_redirect_chains(public: FaultStandin, path: str, kind: LinkClass, status: str) -> None:
    outcome = one(at(public, path))
    assert (outcome.verdict.kind, outcome.verdict.status) == (kind, status)


def test_cookies_stay_within_one_links_chain(public: FaultStandin) -> None:
    check([at(public, "/cookie"), at(public, "/echo?after-cookie")])
    echoed = [r for r in public.received if r.target == "/echo?after-cookie"]
    assert echoed and all("cookie" not in r.headers for r in echoed)


# --- Safe by default: redirects only to http(s) on public addresses ------------------------


@pytest.mark.parametrize(
    "path",
    ["/to-internal", "/to-internal-name", "/to-hex", "/to-decimal", "/to-octal", "/to-mapped", "/to-unspecified"],
)
def test_a_redirect_to_a_loopback_address_is_never_requested(
    public: FaultStandin, internal: FaultStandin, path: str
) -> None:
    before = internal.requests_for("/secret")
    outcome = one(at(public, path))
    assert (outcome.verdict.kind, outcome.failure) == (LinkClass.BROKEN, FailureKind.BLOCKED_ADDRESS)
    assert outcome.verdict.status == "redirect to a non-public address blocked"
    assert internal.requests_for("/secret") == before  # counted at the internal server: not one request


@pytest.mark.parametrize("path", ["/to-metadata", "/to-private", "/to-home-router"])
def test_a_redirect_to_a_private_or_link_local_address_is_blocked(public: FaultStandin, path: str) -> None:
    outcome = one(at(public, path), timeout=2.0)
    assert outcome.failure is FailureKind.BLOCKED_ADDRESS, outcome.verdict


@pytest.mark.parametrize("path", ["/to-gopher", "/to-file", "/to-ftp"])
def test_a_redirect_to_another_scheme_is_blocked(public: FaultStandin, path: str) -> None:
    outcome = one(at(public, path))
    assert (outcome.verdict.kind, outcome.failure) == (LinkClass.BROKEN, FailureKind.BLOCKED_SCHEME)


def test_allow_private_follows_a_redirect_inward(public: FaultStandin, internal: FaultStandin) -> None:
    before = internal.requests_for("/secret")
    outcome = one(at(public, "/to-internal"), allow_private=True)
    assert outcome.verdict.kind is LinkClass.OK
    assert internal.requests_for("/secret") == before + 1


def test_a_remap_target_host_is_trusted(public: FaultStandin, internal: FaultStandin) -> None:
    outcome = one(at(public, "/to-internal"), trusted_hosts=frozenset({"127.0.0.2"}))
    assert outcome.verdict.kind is LinkClass.OK


# --- Responses that are not what HTTP promises ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind", "failure"),
    [
        ("/endless", LinkClass.BROKEN, FailureKind.MALFORMED),
        ("/long-line", LinkClass.BROKEN, FailureKind.TOO_LARGE),
        ("/garbage", LinkClass.BROKEN, FailureKind.MALFORMED),
        ("/silent-close", LinkClass.BROKEN, FailureKind.RESET),  # transient, given up after no retries
        ("/mid-head", LinkClass.BROKEN, FailureKind.RESET),
    ],
)
def test_broken_responses_are_typed(public: FaultStandin, path: str, kind: LinkClass, failure: FailureKind) -> None:
    outcome = one(at(public, path))
    assert (outcome.verdict.kind, outcome.failure) == (kind, failure), outcome.verdict


def test_interim_answers_are_skipped(public: FaultStandin) -> None:
    assert one(at(public, "/interim")).verdict.status == "404 Not Found"


@pytest.mark.parametrize(
    ("path", "retry_after"),
    [("/split", 7.0), ("/retry-superscript", None), ("/retry-date", 0.0), ("/retry-garbage", None)],
)
def test_any_retry_after_is_read_safely(public: FaultStandin, path: str, retry_after: float | None) -> None:
    outcome = check([at(public, path)], retries=1)[at(public, path)]
    # Still refused (429, or 503 with Retry-After): given up as rate limited, never an internal error.
    assert (outcome.verdict.kind, outcome.failure) == (LinkClass.WARNING, FailureKind.RATE_LIMITED)
    assert outcome.attempts == 2


def test_a_huge_retry_after_is_capped_and_reported(public: FaultStandin) -> None:
    outcome = check([at(public, "/retry-huge")], retries=1)[at(public, "/retry-huge")]
    assert outcome.waits == [0.2]
    assert "the server asked to wait 86400 s" in outcome.verdict.advice


def test_a_retry_after_beyond_the_links_deadline_ends_the_link(public: FaultStandin) -> None:
    outcome = check([at(public, "/retry-long")], retries=3, retry_cap=60, deadline=5.0)[at(public, "/retry-long")]
    assert (outcome.verdict.kind, outcome.attempts, outcome.waits) == (LinkClass.WARNING, 1, [])
    assert outcome.failure is FailureKind.RATE_LIMITED
    assert "deadline" in outcome.verdict.advice and "wait 30 s" in outcome.verdict.advice


def test_one_deadline_covers_every_hop_and_retry(public: FaultStandin) -> None:
    """Ten slow hops (0.3 s each) cannot finish inside a 1 s deadline, however many retries are allowed."""
    outcome = check([at(public, "/slow/0")], retries=5, timeout=5.0, deadline=1.0)[at(public, "/slow/0")]
    assert (outcome.verdict.kind, outcome.verdict.status) == (LinkClass.BROKEN, "timeout")
    assert outcome.attempts <= 2


# --- Fragments of external pages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/page.html#present", LinkClass.OK),
        ("/page.html#named", LinkClass.OK),
        ("/page.html#caf%C3%A9", LinkClass.OK),
        ("/page.html#:~:text=x", LinkClass.OK),
        ("/page.html#present:~:text=x", LinkClass.OK),
        ("/page.html#top", LinkClass.OK),
        ("/page.html#absent", LinkClass.BROKEN),
        ("/gzip.html#present", LinkClass.OK),
        ("/gzip.html#absent", LinkClass.BROKEN),
        ("/doc.pdf#page=2", LinkClass.OK),  # not HTML: nothing to look in
    ],
)
def test_external_fragments_are_looked_for(public: FaultStandin, path: str, kind: LinkClass) -> None:
    outcome = one(at(public, path))
    assert outcome.verdict.kind is kind, outcome.verdict


def test_a_missing_fragment_says_which(public: FaultStandin) -> None:
    outcome = one(at(public, "/page.html#absent"))
    assert (outcome.verdict.status, outcome.verdict.advice) == ("fragment missing", "no element with id 'absent'")


def test_a_page_is_read_only_up_to_the_cap(public: FaultStandin) -> None:
    outcome = one(at(public, "/big.html#late"), max_page_bytes=1000)
    assert (outcome.verdict.kind, outcome.failure) == (LinkClass.WARNING, FailureKind.FRAGMENT_UNCHECKED)
    assert one(at(public, "/big.html#late")).verdict.kind is LinkClass.OK


def test_fragments_can_be_left_unchecked(public: FaultStandin) -> None:
    assert one(at(public, "/page.html#absent"), fragments=False).verdict.kind is LinkClass.OK


# --- What is sent ------------------------------------------------------------------------------


def test_custom_headers_are_sent(public: FaultStandin) -> None:
    one(at(public, "/echo?headers"), headers=(("X-Token", "abc"),), user_agent="docs-check/1")
    (request,) = [r for r in public.received if r.target == "/echo?headers"]
    assert (request.headers["x-token"], request.headers["user-agent"]) == ("abc", "docs-check/1")


def test_accepted_statuses_are_ok(public: FaultStandin) -> None:
    assert one(at(public, "/forbidden")).verdict.kind is LinkClass.BROKEN
    outcome = one(at(public, "/forbidden"), accept=frozenset({403}))
    assert (outcome.verdict.kind, outcome.verdict.status) == (LinkClass.OK, "403 Forbidden")


def test_connections_to_one_host_are_kept_alive(public: FaultStandin) -> None:
    """Twenty links to one host over a handful of connections (bodies are small enough to drain)."""
    urls = [at(public, f"/echo?keepalive={n}") for n in range(20)]
    before = public.connections
    outcomes = check(urls, per_host=2)
    assert all(o.verdict.kind is LinkClass.OK for o in outcomes.values())
    assert public.connections - before <= 2
