"""Contract with LinkChecker: everything compliance/links/linkchecker.py relies on, checked on the pinned version.

An upgrade that renames, moves or changes any of it fails here, loudly, instead of silently
bringing back a stall or dropping links from the report.
"""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Iterator

import pytest
from linkcheck.director import aggregator
from linkcheck.director import checker as director_checker
from linkcheck.htmlutil import linkparse

from compliance.links import linkchecker
from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, check_external
from compliance.links.classify import LinkClass
from compliance.links.failures import FailureKind
from compliance.links.linkchecker import FoundLink, LinkCheckerSession, parse_page
from compliance.links.linkmap import LinkSource
from compliance.links.settings import CheckSettings
from conftest import REPO
from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin

LINKS_PACKAGE = REPO / "hooks" / "compliance" / "links"


def test_the_pinned_version_is_installed_and_pinned_exactly_everywhere() -> None:
    assert linkchecker.installed_version() == linkchecker.PINNED_VERSION
    pin = f"linkchecker=={linkchecker.PINNED_VERSION}"
    assert re.search(rf"^{re.escape(pin)}\b", (REPO / "requirements.in").read_text(), re.IGNORECASE | re.MULTILINE)
    # The lock continues the line with its hashes: `linkchecker==10.6.0 \`.
    lock = (REPO / "requirements.txt").read_text()
    assert re.search(rf"^{re.escape(pin)}(?: \\)?$", lock, re.IGNORECASE | re.MULTILINE)


def test_only_one_module_imports_linkchecker() -> None:
    importers = set()
    for path in sorted(LINKS_PACKAGE.parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            if any(name == "linkcheck" or name.startswith("linkcheck.") for name in names):
                importers.add(path.relative_to(REPO).as_posix())
    assert importers == {"hooks/compliance/links/linkchecker.py"}


def test_link_and_anchor_tables_hold_what_we_extract() -> None:
    expected = {"a": "href", "area": "href", "img": "srcset", "link": "href", "script": "src", "iframe": "src"}
    expected |= {"source": "src", "object": "data", "form": "action", "embed": "src", "track": "src"}
    for tag, attribute in expected.items():
        assert attribute in linkparse.LinkTags[tag], (tag, attribute)
    assert linkparse.AnchorTags == {"a": ["name"], None: ["id"]}


def test_link_finder_takes_start_tags_one_by_one() -> None:
    """We drive LinkFinder from html.parser: its constructor, html_element() and callback keywords."""
    found: list[tuple[object, ...]] = []
    finder = linkparse.LinkFinder(lambda url, **where: found.append((url, *where.values())), linkparse.LinkTags)
    finder.html_element("a", {"href": "https://a.example/", "title": "A"}, "", 3, 7)
    finder.html_element("img", {"srcset": "one.png 1x, two.png 2x"}, "", 4, 1)
    assert found == [("https://a.example/", 3, 7, "A", ""), ("one.png", 4, 1, "", ""), ("two.png", 4, 1, "", "")]
    assert finder.universal_attrs == {"style", "itemtype"}


def test_find_links_reports_url_line_column_and_base() -> None:
    html = (
        '<html><head><base href="https://base.example/">'
        '<meta http-equiv="refresh" content="5; url=https://refresh.example/">\n'
        '<link rel="icon" href="/favicon.png"></head><body>\n'
        "<div style=\"background: url('https://css.example/bg.png')\"></div>\n"
        '<img srcset="https://img.example/a.png 1x, https://img.example/b.png 2x" alt="x">\n'
        '<x-card href="https://custom.example/"></x-card><h2 id="here">h</h2><a name="old"></a>\n'
        "</body></html>"
    )
    page = parse_page(html)
    base = "https://base.example/"
    # Each URL at its own place in its tag (issue 25: two srcset candidates had collapsed into one).
    assert page.links == [
        FoundLink("https://refresh.example/", 1, 91, base),
        FoundLink("/favicon.png", 2, 24, base),
        FoundLink("https://css.example/bg.png", 3, 30, base),
        FoundLink("https://img.example/a.png", 4, 14, base),
        FoundLink("https://img.example/b.png", 4, 44, base),
        FoundLink("https://custom.example/", 5, 15, base),
    ]
    assert page.anchors == {"here", "old"}


@pytest.fixture(scope="module")
def ftp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FtpStandin]:
    root = tmp_path_factory.mktemp("ftp")
    (root / "pub").mkdir()
    (root / "pub" / "cert.pdf").write_bytes(b"%PDF-1.4")
    with FtpStandin(root) as server:
        yield server


def test_ftp_failures_are_typed_by_their_exception(ftp: FtpStandin) -> None:
    session = LinkCheckerSession(timeout=5)
    assert session.check_ftp(ftp.url("pub/cert.pdf")) == (None, "FTP file found")
    assert session.check_ftp(ftp.url("pub/missing.pdf")) == (FailureKind.FTP_PERMANENT, "550 File not found")
    with HttpStandin() as closed:
        port = closed.port
    failure, _said = session.check_ftp(f"ftp://127.0.0.1:{port}/x")
    assert failure is FailureKind.REFUSED


@pytest.mark.parametrize(
    ("url", "valid", "problem"),
    [
        ("mailto:compliance@example.com?subject=SOC", True, ""),
        ("mailto:a@example.com,b@example.org", True, ""),
        ("mailto:no-at-sign", False, "Missing `@' in mail address `no-at-sign'."),
        ("mailto:a@b@c", False, "Missing local part of mail address `@c'."),
    ],
)
def test_mail_syntax_check_without_network(url: str, valid: bool, problem: str) -> None:
    assert LinkCheckerSession(timeout=5).check_mail(url, dns=False)[:2] == (valid, problem)


def test_the_session_leaves_process_settings_alone() -> None:
    """No sanitize(): it would set the default timeout of every socket of the process."""
    before = socket.getdefaulttimeout()
    LinkCheckerSession(timeout=3)
    assert socket.getdefaulttimeout() == before
    assert director_checker.QUEUE_POLL_INTERVALL_SECS == 1.0  # nobody patches LinkChecker's module globals


def test_no_global_per_host_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten requests in flight on one host, counted by the server; LinkChecker's host throttle never runs.

    Its wait_for_host sleeps under a lock shared by all threads; if any path of ours reached it,
    requests to a host would go one by one and the peak would be 1.
    """
    throttled: list[str] = []
    monkeypatch.setattr(aggregator.Aggregate, "wait_for_host", lambda self, host: throttled.append(host))
    with HttpStandin(hold_until=10, all_ok=True) as server:  # no answer before ten are in flight
        links = {server.url(f"/doc/{n}"): [LinkSource("theme")] for n in range(20)}
        options = CheckOptions(settings=CheckSettings(timeout=5, per_host=10), https_twins=False)
        outcomes = check_external(links, options, LinkCache(None))
        assert [o.verdict.kind for o in outcomes] == [LinkClass.OK] * 20
        assert server.peak_in_flight == 10
    assert throttled == []


def test_nothing_starts_linkcheckers_thread_director(ftp: FtpStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(aggregator.Aggregate, "start_threads", lambda self: started.append(True))
    links = {ftp.url("pub/cert.pdf"): [LinkSource("theme")], ftp.url("pub/none.pdf"): [LinkSource("theme")]}
    outcomes = check_external(links, CheckOptions(https_twins=False, retries=0), LinkCache(None))
    assert [o.verdict.kind for o in outcomes] == [LinkClass.OK, LinkClass.BROKEN]
    assert started == []
