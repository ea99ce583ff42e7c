"""The https-twin warning and `--ca-bundle`, against a real loopback TLS server with its own CA.

Twins are only looked for on the default port, so links here are written as http://twin.example/...
and remapped: the link to the plain-HTTP stand-in, its https twin to the TLS stand-in (or, to see
a twin fail, to the plain-HTTP port). Each check run is a module fixture shared by several tests.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPSConnection

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, Remap, check_external
from compliance.links.classify import LinkClass, Verdict
from compliance.links.linkmap import LinkSource
from compliance.links.settings import CheckSettings
from standins.http_standin import HttpStandin
from standins.tls_standin import TlsStandin

SOURCE = [LinkSource("data", "data/x.yml", 3, "x.url")]


@dataclass(frozen=True)
class Run:
    """One check_external run: outcomes by URL, and the paths each stand-in was asked for meanwhile."""

    outcomes: dict[str, LinkOutcome]
    tls_paths: list[str]
    http_paths: list[str]


@pytest.fixture(scope="module")
def tls() -> Iterator[TlsStandin]:
    with TlsStandin() as server:
        yield server


# The `http` stand-in (conftest.py) of this module.
HTTP_STANDIN = {"all_ok": True}


def link(path: str) -> str:
    """A default-port http:// link, as a page would write it."""
    return "http://twin.example" + path


def twin_remaps(http: HttpStandin, tls: TlsStandin, tls_path: str = "") -> tuple[Remap, ...]:
    """Links go to the plain-HTTP stand-in; twins under `tls_path` to the TLS stand-in, others to the plain port."""
    return (
        (re.compile(r"^http://twin\.example"), http.base_url),
        (re.compile(rf"^https://twin\.example(?=/{re.escape(tls_path.lstrip('/'))})"), tls.base_url),
        (re.compile(r"^https://twin\.example"), f"https://127.0.0.1:{http.port}"),
    )


def options(ca_bundle: str | None, remaps: tuple[Remap, ...], https_twins: bool = True) -> CheckOptions:
    # retries=0: nothing here is transient, and a retry would only hide a surprise behind a sleep.
    settings = CheckSettings(timeout=2, ca_bundle=ca_bundle)
    return CheckOptions(settings=settings, remaps=remaps, retries=0, https_twins=https_twins)


def run(urls: list[str], check_options: CheckOptions, http: HttpStandin, tls: TlsStandin) -> Run:
    """Check `urls` with no cache, recording what reached each stand-in; fail if anything was retried."""
    http.clear_log()
    tls.clear_log()
    outcomes = check_external({url: SOURCE for url in urls}, check_options, LinkCache(None))
    assert all(o.waits == [] for o in outcomes)
    return Run({o.url: o for o in outcomes}, [p for _, p in tls.requests], [p for _, p in http.requests])


@pytest.fixture(scope="module")
def trusting(http: HttpStandin, tls: TlsStandin) -> Run:
    """CA bundle given; only /policy's twin is remapped to TLS, /plain's twin hits the plain-HTTP port."""
    urls = [link("/policy?v=1"), link("/plain"), tls.url("/secure")]
    return run(urls, options(tls.ca_file, twin_remaps(http, tls, "/policy")), http, tls)


@pytest.fixture(scope="module")
def untrusting(http: HttpStandin, tls: TlsStandin) -> Run:
    """No CA bundle: every twin goes to the TLS stand-in, whose certificate nothing then trusts."""
    urls = [link("/plain"), tls.url("/secure")]
    return run(urls, options(None, twin_remaps(http, tls)), http, tls)


@pytest.fixture(scope="module")
def twins_off(http: HttpStandin, tls: TlsStandin) -> Run:
    """Twins would work (remap and CA in place), but looking for them is switched off."""
    return run([link("/policy")], options(tls.ca_file, twin_remaps(http, tls), https_twins=False), http, tls)


def test_standin_certificate_names_the_loopback_ip(tls: TlsStandin) -> None:
    """Python's own strict client trusts the stand-in through its CA, and only through it."""
    tls.clear_log()
    trusting = ssl.create_default_context(cafile=tls.ca_file)
    trusting.verify_flags |= ssl.VERIFY_X509_STRICT
    connection = HTTPSConnection(tls.host, tls.port, context=trusting, timeout=5)
    connection.request("HEAD", "/any/path")
    assert connection.getresponse().status == 200
    connection.close()
    untrusting = HTTPSConnection(tls.host, tls.port, context=ssl.create_default_context(), timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        untrusting.request("HEAD", "/refused")
    untrusting.close()
    assert tls.requests == [("HEAD", "/any/path")]


@pytest.mark.parametrize("host", ["192.0.2.1", "0.0.0.0", "localhost", "::1"])
def test_standin_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError):
        TlsStandin(host)


def test_http_link_with_working_https_twin_warns(http: HttpStandin, trusting: Run) -> None:
    """The twin is checked at the remapped URL, but the advice names the twin the page should link."""
    outcome = trusting.outcomes[link("/policy?v=1")]
    assert outcome.verdict == Verdict(LinkClass.WARNING, "https available", "use https://twin.example/policy?v=1")
    assert outcome.checked_url == http.url("/policy?v=1")
    assert "/policy?v=1" in trusting.http_paths
    assert "/policy?v=1" in trusting.tls_paths  # the twin request really arrived over TLS


def test_twin_on_plain_http_port_keeps_link_ok(http: HttpStandin, trusting: Run) -> None:
    """Without a remap the twin speaks TLS to the plain-HTTP port; the failed handshake is no reason to warn."""
    assert trusting.outcomes[link("/plain")].verdict == Verdict(LinkClass.OK, "200 OK")
    assert "/plain" in trusting.http_paths
    assert "/plain" not in trusting.tls_paths


def test_twin_with_untrusted_certificate_keeps_link_ok(http: HttpStandin, untrusting: Run) -> None:
    """Twins are checked with the same trust as links: without the CA bundle the twin does not count."""
    assert untrusting.outcomes[link("/plain")].verdict == Verdict(LinkClass.OK, "200 OK")
    # The untrusting client aborts every handshake, so no HTTP request ever reached the TLS stand-in.
    assert untrusting.tls_paths == []


def test_self_signed_https_link_is_a_tls_error_without_ca_bundle(tls: TlsStandin, untrusting: Run) -> None:
    outcome = untrusting.outcomes[tls.url("/secure")]
    assert (outcome.verdict.kind, outcome.verdict.status) == (LinkClass.BROKEN, "TLS error")
    assert outcome.verdict.advice.startswith("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")


def test_ca_bundle_makes_the_self_signed_https_link_ok(tls: TlsStandin, trusting: Run) -> None:
    outcome = trusting.outcomes[tls.url("/secure")]
    assert outcome.verdict == Verdict(LinkClass.OK, "200 OK")
    assert outcome.final_url == tls.url("/secure")
    assert "/secure" in trusting.tls_paths


def test_https_twins_off_never_contacts_the_tls_standin(http: HttpStandin, twins_off: Run) -> None:
    """With the twin remap in place, only `https_twins` stands between the link and the TLS server."""
    assert twins_off.outcomes[link("/policy")].verdict == Verdict(LinkClass.OK, "200 OK")
    assert twins_off.http_paths == ["/policy"]
    assert twins_off.tls_paths == []


def test_no_twin_is_tried_for_an_explicit_port(http: HttpStandin, tls: TlsStandin) -> None:
    """http://host:PORT/ has no https to expect, so even a twin remapped to working TLS is never asked."""
    to_tls = ((re.compile(rf"^https://127\.0\.0\.1:{http.port}"), tls.base_url),)
    result = run([http.url("/explicit")], options(tls.ca_file, to_tls), http, tls)
    assert result.outcomes[http.url("/explicit")].verdict == Verdict(LinkClass.OK, "200 OK")
    assert result.tls_paths == []


def test_one_tls_context_serves_the_whole_run(tls: TlsStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six https links, six connections (the stand-in closes each), the CA bundle read once."""
    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args or kwargs)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    urls = [tls.url(f"/doc/{n}") for n in range(6)]
    outcomes = check_external({u: SOURCE for u in urls}, options(tls.ca_file, ()), LinkCache(None))
    assert [o.verdict.kind for o in outcomes] == [LinkClass.OK] * 6
    assert loads == [{"cafile": tls.ca_file}]  # added to the system's public roots, read once


def test_no_ca_bundle_reads_no_store_of_its_own(tls: TlsStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --ca-bundle, the system's roots that aiohttp loaded on import serve the run: none is read again."""
    if not any(ssl.get_default_verify_paths()[:2]):
        pytest.skip("this system has no CA store: certifi's roots are read instead")
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    import compliance.links.schedule  # noqa: F401  (aiohttp's own contexts, made on import, are not counted)

    made: list[object] = []
    original = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        made.append(args or kwargs)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    urls = [tls.url(f"/doc/{n}") for n in range(3)]
    outcomes = check_external({u: SOURCE for u in urls}, options(None, ()), LinkCache(None))
    # The stand-in's own CA is not among the system's roots, so verification did happen, and failed.
    assert [o.verdict.kind for o in outcomes] == [LinkClass.BROKEN] * 3
    assert all("CERTIFICATE_VERIFY_FAILED" in o.verdict.advice for o in outcomes)
    assert made == []
