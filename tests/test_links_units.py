"""Pure pieces of the link checker: classification, Retry-After, remap, cache, link map."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import ClassVar

import pytest

from compliance.links import check, schedule
from compliance.links.cache import LinkCache
from compliance.links.check import remap
from compliance.links.classify import LinkClass, Verdict, classify, parse_retry_after
from compliance.links.cli import options_from, parse_arguments
from compliance.links.failures import VERDICTS, FailureKind
from compliance.links.linkmap import LinkMapBuilder, LinkSource, read_link_map, write_link_map
from compliance.links.settings import USER_AGENT, Hop, RawResult


def raw(hops: list[Hop] | None = None, failure: FailureKind | None = None, detail: str = "", final: str = "http://a/"):
    return RawResult("http://a/", final, hops or [], failure, detail)


@pytest.mark.parametrize(
    ("failure", "detail", "kind", "status"),
    [
        (FailureKind.DNS, "no such host", "broken", "DNS failure"),
        (FailureKind.REFUSED, "", "broken", "connection refused"),
        (FailureKind.RESET, "", "transient", "connection reset"),
        (FailureKind.TLS, "certificate verify failed", "broken", "TLS error"),
        (FailureKind.TIMEOUT, "", "transient", "timeout"),
        (FailureKind.REDIRECT_LOOP, "", "broken", "redirect loop"),
        (FailureKind.FTP_PERMANENT, "550 No such file", "broken", "FTP 550 No such file"),
        (FailureKind.FTP_TEMPORARY, "421 Too many connections", "transient", "FTP 421 Too many connections"),
    ],
)
def test_failures_are_judged_by_one_table(failure: FailureKind, detail: str, kind: str, status: str) -> None:
    verdict = classify(raw(failure=failure, detail=detail))
    assert (verdict.kind.value, verdict.status) == (kind, status)


def test_every_failure_kind_has_a_verdict() -> None:
    assert set(VERDICTS) == set(FailureKind)


@pytest.mark.parametrize(
    ("hop", "kind", "status"),
    [
        (Hop(503, "Service Unavailable", retry_after="7"), "transient", "503 Service Unavailable"),
        (Hop(404, "Not Found"), "broken", "404 Not Found"),
    ],
)
def test_classify_statuses(hop: Hop, kind: str, status: str) -> None:
    verdict = classify(raw([hop]))
    assert (verdict.kind.value, verdict.status) == (kind, status)


def test_classify_keeps_and_reports_the_servers_retry_after() -> None:
    verdict = classify(raw([Hop(429, retry_after="7")]))
    assert (verdict.retry_after, verdict.advice) == (7.0, "the server asked to wait 7 s")


def test_temporary_redirect_is_ok_and_permanent_one_warns() -> None:
    temporary = classify(raw([Hop(302, "Found", location="/b"), Hop(200, "OK")], final="http://a/b"))
    assert temporary == Verdict(LinkClass.OK, "200 OK")
    permanent = classify(raw([Hop(301, location="/b"), Hop(200, "OK")], final="http://a/b"))
    assert permanent == Verdict(LinkClass.WARNING, "permanent redirect", "update the link to http://a/b")


def test_retry_after_as_seconds_or_http_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_remap_replaces_only_the_matched_part() -> None:
    rules = ((re.compile(r"^https?://example\.com"), "http://127.0.0.1:8080"),)
    assert remap("https://example.com/a?b=1", rules) == "http://127.0.0.1:8080/a?b=1"
    assert remap("https://other.org/example.com", rules) == "https://other.org/example.com"


def test_cache_keeps_successes_for_the_ttl_only(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = LinkCache(path, ttl=100, now=1000)
    cache.put("http://ok/", Verdict(LinkClass.OK, "200 OK"), "http://ok/")
    cache.put("http://bad/", Verdict(LinkClass.BROKEN, "404 Not Found"), "http://bad/")
    cache.save()
    assert set(json.loads(path.read_text())["links"]) == {"http://ok/"}
    assert LinkCache(path, ttl=100, now=1099).get("http://ok/") == (Verdict(LinkClass.OK, "200 OK"), "http://ok/")
    assert LinkCache(path, ttl=100, now=1101).get("http://ok/") is None


def test_unreadable_cache_means_check_everything(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json")
    assert LinkCache(path).get("http://ok/") is None


def test_link_map_puts_data_before_pages_before_theme(tmp_path: Path) -> None:
    builder = LinkMapBuilder({"ftp://h/c.pdf": [LinkSource("data", "data/c.yml", 3, "docs[0].url")]})
    builder.add_page("docs/index.md", '<a href="ftp://h/c.pdf">c</a> <a href="https://typed.example/">t</a>')
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<a href="ftp://h/c.pdf"></a><a href="https://typed.example/"></a><script src="https://cdn.example/x.js">'
    )
    links = builder.finish(site)
    assert links == {
        "ftp://h/c.pdf": [LinkSource("data", "data/c.yml", 3, "docs[0].url")],
        "https://typed.example/": [LinkSource("page", "docs/index.md")],
        "https://cdn.example/x.js": [LinkSource("theme")],
    }
    write_link_map(tmp_path / "map.json", links)
    assert read_link_map(tmp_path / "map.json") == links
    assert str(links["ftp://h/c.pdf"][0]) == "data/c.yml:3 docs[0].url"


class FakeHttp:
    """Stands in for HttpChecker: https://back.* redirects back to http://, everything else answers 200."""

    checked: ClassVar[list[str]] = []

    def __init__(self, *args: object) -> None:
        FakeHttp.checked = []

    async def check(self, url: str, timeout: float | None = None) -> RawResult:
        FakeHttp.checked.append(url)
        if url.startswith("https://back."):
            hops = [Hop(302, "Found", "http://back.example/"), Hop(200, "OK")]
            return RawResult(url, "http://back.example/", hops)
        return RawResult(url, url, [Hop(200, "OK")])

    async def close(self) -> None:
        pass


def test_https_twin_that_redirects_back_to_http_is_no_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "HttpChecker", FakeHttp)
    links = {"http://back.example/": [], "http://secure.example/": []}
    outcomes = {o.url: o.verdict for o in check.check_external(links, check.CheckOptions(), LinkCache(None))}
    assert outcomes["http://back.example/"] == Verdict(LinkClass.OK, "200 OK")
    assert outcomes["http://secure.example/"] == Verdict(
        LinkClass.WARNING, "https available", "use https://secure.example/"
    )


@pytest.mark.parametrize(
    ("url", "twin"),
    [
        ("http://site.example/a", True),
        ("http://site.example:80/a", True),
        ("http://site.example:8080/a", False),  # no https can be expected on a non-default port
        ("https://site.example/a", False),
        ("ftp://site.example/a", False),
    ],
)
def test_https_twins_only_for_default_port_http(url: str, twin: bool) -> None:
    assert check.has_https_twin(url) is twin


def test_no_twin_is_requested_for_an_explicit_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "HttpChecker", FakeHttp)
    check.check_external({"http://127.0.0.1:8080/x": []}, check.CheckOptions(), LinkCache(None))
    assert FakeHttp.checked == ["http://127.0.0.1:8080/x"]


def test_mail_dns_option_reaches_linkcheckers_mx_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """--mail-dns turns on LinkChecker's MX lookup; without it only the syntax is checked (no network)."""
    asked: list[tuple[str, bool]] = []

    class FakeSession:
        def __init__(self, timeout: float) -> None:
            pass

        def check_mail(self, url: str, dns: bool) -> tuple[bool, str, list[str]]:
            asked.append((url, dns))
            return (not dns, "no mail server (MX) for nowhere.example" if dns else "", [])

    monkeypatch.setattr(check, "LinkCheckerSession", FakeSession)
    links = {"mailto:a@nowhere.example": [LinkSource("data", "data/c.yml", 4, "c.mail")]}
    (syntax,) = check.check_mail(links, check.CheckOptions())
    (dns,) = check.check_mail(links, check.CheckOptions(mail_dns=True))
    assert asked == [("mailto:a@nowhere.example", True)]  # syntax alone is email-validator's, offline
    assert syntax.verdict == Verdict(LinkClass.OK, "valid address")
    assert dns.verdict == Verdict(LinkClass.BROKEN, "no mail server (MX) for nowhere.example")
    assert options_from(parse_arguments(["--mail-dns"])).mail_dns is True


def test_each_pages_new_targets_are_handed_over_as_soon_as_it_is_parsed(tmp_path: Path) -> None:
    """So that their checks can start while the next pages are read: once each, in page order."""
    from compliance.links.site import scan_site

    (tmp_path / "a.html").write_text('<a href="https://x.example/1">1</a><a href="https://x.example/2">2</a>')
    (tmp_path / "b.html").write_text('<a href="https://x.example/2">2</a><a href="mailto:m@x.example">m</a>')
    (tmp_path / "c.html").write_text('<a href="https://x.example/1">1</a>')
    handed: list[list[str]] = []
    scan = scan_site(tmp_path, found=lambda targets: handed.append([t.key for t in targets]))
    assert handed == [["https://x.example/1", "https://x.example/2"], ["mailto:m@x.example"], []]
    assert sorted(scan.targets) == sorted(key for page in handed for key in page)


def test_user_agent_option_reaches_the_http_checker() -> None:
    settings = options_from(parse_arguments(["--user-agent", "Mozilla/5.0 (compatible; docs-check)"])).settings
    assert schedule.SchemeCheckers(settings).http.headers["User-Agent"] == "Mozilla/5.0 (compatible; docs-check)"
    default = options_from(parse_arguments([])).settings
    assert schedule.SchemeCheckers(default).http.headers["User-Agent"] == USER_AGENT
