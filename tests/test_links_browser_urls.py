r"""URLs as a browser resolves them (WHATWG URL), against scripted local servers; logins never in a report.

Cases from issue 25 (a `../` or `%2e%2e` segment sent as written got a 404 where a browser gets 200;
`http:\\host\path` was "unparsable"; a login was dropped and got 401), and from the WHATWG URL test
data (web-platform-tests `url/resources/urltestdata.json`) where it concerns http(s) URLs written
without a base.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.links import check
from compliance.links.addresses import browser_reading, browser_url
from compliance.links.cli import main
from compliance.links.linkmap import LinkSource, link_map_path, write_link_map
from standins.fault_routes import PAGE
from standins.fault_standin import FaultHandler, FaultStandin, answer

SECRET = "s3cr%40t"  # percent-encoded '@' in the password: the login is 'editor:s3cr@t'


def login_gate(handler: FaultHandler) -> None:
    expected = "Basic " + base64.b64encode(b"editor:s3cr@t").decode()
    ok = handler.headers.get("Authorization") == expected
    (answer(200, "OK", {"Content-Type": "text/html"}, PAGE) if ok else answer(401, "Unauthorized"))(handler)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultStandin]:
    routes = {
        "/ok": answer(200, "OK"),
        "/docs/page": answer(200, "OK"),
        "/login": login_gate,
        "/login-moved": answer(301, "Moved", {"Location": "/login"}),
        "/missing": answer(404, "Not Found"),
    }
    with FaultStandin("127.0.0.1", routes) as standin:
        yield standin


@pytest.mark.parametrize(
    ("written", "requested"),
    [
        # From urltestdata.json (http, no base).
        ("http://example.com/foo/%2e", "http://example.com/foo/"),
        ("http://example.com/foo/%2e2", "http://example.com/foo/%2e2"),
        ("http://example.com/foo/%2e./%2e%2e/.%2e/%2e.bar", "http://example.com/%2e.bar"),
        ("http://example.com////../..", "http://example.com//"),
        ("http://example.com/foo/bar//../..", "http://example.com/foo/"),
        ("http://example.com/foo/bar//..", "http://example.com/foo/bar/"),
        ("http://example.com/foo/bar/../ton/../../a", "http://example.com/a"),
        ("http://example.com/foo/../../..", "http://example.com/"),
        ("http://example.com/foo/./", "http://example.com/foo/"),
        ("http:\\\\www.google.com\\foo", "http://www.google.com/foo"),
        ("http:/example.com/", "http://example.com/"),
        ("http:example.com/", "http://example.com/"),
        ("http://user:pass@foo:21/bar;par?b#c", "http://user:pass@foo:21/bar;par?b#c"),
        ("http://@www.example.com", "http://www.example.com/"),
        ("http://:@www.example.com", "http://www.example.com/"),
        ("http://example\t.\norg", "http://example.org/"),
        # A login's '@' and ':' are encoded; the host is IDNA.
        ("https://us er:p:w@b\u00fccher.example/", "https://us%20er:p%3Aw@xn--bcher-kva.example/"),
    ],
)
def test_urls_are_requested_as_the_whatwg_parser_reads_them(written: str, requested: str) -> None:
    assert str(browser_url(written)) == requested


def test_a_url_written_as_sent_is_read_as_every_other_url() -> None:
    """browser_url takes a URL already written as a browser sends it as it is; the full reading must agree.

    Every combination of parts near the fast path's edges: case, IPv4 forms, ports, dot segments,
    characters to encode, empty and repeated query and fragment marks.
    """
    parts = (
        ["http://", "https://", "HTTP://", "http:/", "http:\\\\"],
        ["a.example", "127.0.0.1", "127.0.0.01", "Ex.COM", "xn--bcher-kva.example", "1.2.3", "a..b", "b\u00fccher.de"],
        ["", ":80", ":080", ":0", ":65535", ":65536", ":99999", ":"],
        ["", "/", "/a/b", "/a/./b", "/a/../b", "/a/%2E%2e/", "/.", "/a%2eb", "/b c", "/\u00fc", "/@x", "/%zz"],
        ["", "//x", "/a\\b", "/..", "/%2e/"],
        ["", "?", "?a=b", "?a?b", "?\u00fc", "?a b"],
        ["", "#", "#x", "#a#b", "#x?y", "#\u00fc"],
    )
    urls = ["".join(combination) for combination in itertools.product(*parts)]
    for url in random.Random(25).sample(urls, 5000):
        try:
            expected = str(browser_reading(url))
        except (ValueError, UnicodeError) as exc:
            with pytest.raises(type(exc)):
                browser_url(url)
            continue
        assert str(browser_url(url)) == expected, url


@pytest.mark.parametrize(
    "path",
    ["/x/../ok", "/x/%2e%2e/ok", "/x/.%2E/ok", "/./ok", "/docs/./x/%2E%2E/page", "\\x\\..\\ok"],
)
def test_dot_segments_and_backslashes_reach_the_page_a_browser_reaches(server: FaultStandin, path: str) -> None:
    url = f"http:\\\\127.0.0.1:{server.port}{path}" if path.startswith("\\") else server.url("") + path.lstrip("/")
    server.clear_log()
    (outcome,) = check.check_external({url: []}, check.CheckOptions(https_twins=False), check.LinkCache(None))
    assert outcome.verdict.status == "200 OK", outcome.verdict
    assert server.requests[0][1] in ("/ok", "/docs/page")


@pytest.mark.parametrize("form", ["text", "json", "markdown", "github"])
def test_a_login_is_sent_as_basic_authentication_and_shown_in_no_report(
    server: FaultStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    base = f"http://editor:{SECRET}@127.0.0.1:{server.port}"
    urls = [f"{base}/login", f"{base}/login-moved", f"{base}/missing"]
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("".join(f'<a href="{url}">x</a>\n' for url in urls), encoding="utf-8")
    data = LinkSource("data", "data/claims.yml", 7, "claims[0].url")
    write_link_map(link_map_path(site), {url: [data] for url in urls})
    argv = ["--site", str(site), "--no-cache", "--progress", "never", "--retries", "0", "--format", form]
    assert main([*argv, "--json", str(tmp_path / "report.json")]) == 1
    captured = capsys.readouterr()
    shown = captured.out + captured.err + (tmp_path / "report.json").read_text()
    assert "s3cr" not in shown and "editor" not in shown, shown
    assert "***@127.0.0.1" in shown  # the URL is still named, without its login
    outcomes = {o["url"].rsplit("/", 1)[1]: o for o in json.loads((tmp_path / "report.json").read_text())["links"]}
    assert outcomes["login"]["class"] == "ok"  # the login was sent
    assert outcomes["login-moved"]["class"] == "warning"  # a relative redirect keeps it, as in a browser
    assert outcomes["missing"]["class"] == "broken"


def test_an_idn_mail_domain_is_looked_up_by_its_ascii_name(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    class FakeSession:
        def __init__(self, timeout: float) -> None:
            pass

        def check_mail(self, url: str, dns: bool) -> tuple[bool, str, list[str]]:
            asked.append(url)
            return True, "", []

    monkeypatch.setattr(check, "LinkCheckerSession", FakeSession)
    links = {"mailto:info@b\u00fccher.example?cc=x@m%C3%BCnchen.example": [LinkSource("theme")]}
    (outcome,) = check.check_mail(links, check.CheckOptions(mail_dns=True))
    assert asked == ["mailto:info@xn--bcher-kva.example?cc=x@xn--mnchen-3ya.example"]
    assert outcome.verdict.status == "mail server found"
