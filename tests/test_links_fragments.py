"""External fragments as a browser finds them: inherited across redirects, in pages decoded by their charset.

Issue 25: a link's `#fragment` carried over a redirect whose Location has none was never checked
(RFC 9110, 10.2.2: the fragment is inherited), and a page declared ISO-8859-1 was decoded as UTF-8,
so its `id="café"` was "missing".
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest

from compliance.links.cache import LinkCache
from compliance.links.charset import page_text
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass
from compliance.links.failures import FailureKind
from compliance.links.settings import CheckSettings
from standins.fault_standin import FaultStandin, answer

CAFE = '<html><body><p id="caf\u00e9">x</p><h1 id="present">y</h1></body></html>'
LATIN1 = CAFE.encode("latin-1")


def html(charset: str | None = None) -> dict[str, str]:
    return {"Content-Type": "text/html" + (f"; charset={charset}" if charset else "")}


@pytest.fixture(scope="module")
def server() -> Iterator[FaultStandin]:
    routes = {
        "/page": answer(200, "OK", html("utf-8"), CAFE.encode()),
        "/to-page": answer(302, "Found", {"Location": "/page"}),
        "/to-page-twice": answer(301, "Moved", {"Location": "/to-page"}),
        "/to-page-with-own": answer(302, "Found", {"Location": "/page#present"}),
        "/latin1-header": answer(200, "OK", html("ISO-8859-1"), LATIN1),
        "/latin1-meta": answer(200, "OK", html(), b'<meta charset="iso-8859-1">' + LATIN1),
        "/latin1-http-equiv": answer(
            200, "OK", html(), b'<meta http-equiv="Content-Type" content="text/html; charset=latin1">' + LATIN1
        ),
        "/utf16-bom": answer(200, "OK", html("iso-8859-1"), codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le")),
        "/late-id": answer(200, "OK", html("iso-8859-1"), b"<p>" + b"x" * 5000 + LATIN1),
    }
    with FaultStandin("127.0.0.1", routes) as standin:
        yield standin


def one(url: str, **settings: object) -> LinkOutcome:
    values: dict[str, object] = {"timeout": 5.0, **settings}
    options = CheckOptions(CheckSettings(**values), retries=0, https_twins=False)  # type: ignore[arg-type]
    (outcome,) = check_external({url: []}, options, LinkCache(None))
    return outcome


@pytest.mark.parametrize("path", ["/to-page", "/to-page-twice"])
def test_a_fragment_is_inherited_by_a_redirect_without_one(server: FaultStandin, path: str) -> None:
    found = one(server.url(path) + "#caf%C3%A9")
    assert (found.failure, found.final_url) == (None, server.url("/page") + "#caf%C3%A9")
    assert found.verdict.kind is (LinkClass.OK if path == "/to-page" else LinkClass.WARNING)  # a 301 on the way
    missing = one(server.url(path) + "#absent")
    assert (missing.verdict.kind, missing.failure) == (LinkClass.BROKEN, FailureKind.FRAGMENT_MISSING)


def test_a_locations_own_fragment_wins(server: FaultStandin) -> None:
    outcome = one(server.url("/to-page-with-own") + "#absent")
    assert (outcome.verdict.kind, outcome.final_url) == (LinkClass.OK, server.url("/page") + "#present")


@pytest.mark.parametrize("path", ["/latin1-header", "/latin1-meta", "/latin1-http-equiv", "/utf16-bom"])
def test_a_page_is_decoded_by_its_declared_charset(server: FaultStandin, path: str) -> None:
    outcome = one(server.url(path) + "#caf%C3%A9")
    assert outcome.verdict.kind is LinkClass.OK, outcome.verdict


def test_the_byte_cap_still_holds_for_a_declared_charset(server: FaultStandin) -> None:
    outcome = one(server.url("/late-id") + "#caf%C3%A9", max_page_bytes=1000)
    assert (outcome.verdict.kind, outcome.failure) == (LinkClass.WARNING, FailureKind.FRAGMENT_UNCHECKED)
    assert one(server.url("/late-id") + "#caf%C3%A9").verdict.kind is LinkClass.OK


@pytest.mark.parametrize(
    ("body", "declared", "text"),
    [
        (b"caf\xc3\xa9", None, "caf\u00e9"),  # UTF-8 without any declaration, as before
        (b"caf\xe9", "latin1", "caf\u00e9"),
        (b"\x80", "iso-8859-1", "\u20ac"),  # WHATWG: ISO-8859-1 is windows-1252
        (codecs.BOM_UTF8 + b"caf\xc3\xa9", "iso-8859-1", "caf\u00e9"),  # the BOM wins over the header
        (b'<meta charset="no-such-charset">caf\xc3\xa9', None, '<meta charset="no-such-charset">caf\u00e9'),
        (b'<meta charset="utf-16">caf\xc3\xa9', None, '<meta charset="utf-16">caf\u00e9'),
    ],
)
def test_page_text_follows_the_html_standards_order(body: bytes, declared: str | None, text: str) -> None:
    assert page_text(body, declared) == text
