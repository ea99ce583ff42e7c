"""Links checked through a proxy named by HTTP_PROXY / HTTPS_PROXY, and around it by NO_PROXY.

A loopback forward proxy (tests/standins/proxy_standin.py) logs every request it carries: an
http:// link must reach it in absolute form, an https:// link as a CONNECT tunnel, and a host in
NO_PROXY must not reach it at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, LinkOutcome, check_external
from compliance.links.classify import LinkClass
from compliance.links.cli import main
from compliance.links.linkmap import LinkSource
from compliance.links.proxy import parse_proxy
from compliance.links.settings import CheckSettings
from standins.http_standin import HttpStandin
from standins.proxy_standin import ProxyStandin
from standins.tls_standin import TlsStandin

SOURCE = [LinkSource("data", "data/x.yml", 3, "x.url")]


@pytest.fixture(scope="module")
def tls() -> Iterator[TlsStandin]:
    with TlsStandin() as server:
        yield server


def check(urls: list[str], ca_bundle: str | None = None) -> dict[str, LinkOutcome]:
    settings = CheckSettings(timeout=3, ca_bundle=ca_bundle)
    outcomes = check_external({u: SOURCE for u in urls}, CheckOptions(settings, retries=0), LinkCache(None))
    return {o.url: o for o in outcomes}


def test_http_links_go_through_the_proxy_in_absolute_form(http: HttpStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    with ProxyStandin() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.proxy_url())
        outcomes = check([http.url("/ok"), http.url("/missing")])
        assert outcomes[http.url("/ok")].verdict.kind is LinkClass.OK
        assert outcomes[http.url("/missing")].verdict.status == "404 Not Found"
        assert sorted(proxy.requests) == [("GET", http.url("/missing")), ("GET", http.url("/ok"))]


def test_https_links_go_through_a_connect_tunnel(tls: TlsStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    with ProxyStandin() as proxy:
        monkeypatch.setenv("https_proxy", proxy.proxy_url())
        outcome = check([tls.url("/page")], str(tls.ca_file))[tls.url("/page")]
        assert outcome.verdict.kind is LinkClass.OK, outcome.verdict
        assert proxy.requests == [("CONNECT", f"127.0.0.1:{tls.port}")]
        assert ("GET", "/page") in tls.requests  # TLS ran end to end, through the tunnel


def test_no_proxy_hosts_are_reached_directly(http: HttpStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    with ProxyStandin() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.proxy_url())
        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
        assert check([http.url("/ok")])[http.url("/ok")].verdict.kind is LinkClass.OK
        assert proxy.requests == []


def test_proxy_credentials_from_its_url(http: HttpStandin, tls: TlsStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    urls = [http.url("/ok"), tls.url("/page")]
    with ProxyStandin(credentials=("ci", "s3cr:t")) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.proxy_url("ci", "s3cr%3At"))  # percent-encoded in the URL
        monkeypatch.setenv("HTTPS_PROXY", proxy.proxy_url("ci", "s3cr%3At"))
        assert [o.verdict.kind for o in check(urls, str(tls.ca_file)).values()] == [LinkClass.OK, LinkClass.OK]
        monkeypatch.setenv("HTTP_PROXY", proxy.proxy_url())
        monkeypatch.setenv("HTTPS_PROXY", proxy.proxy_url())
        refused = check(urls, str(tls.ca_file))
    assert refused[http.url("/ok")].verdict.status == "407 Proxy Authentication Required"
    tunnel = refused[tls.url("/page")].verdict
    assert (tunnel.kind, tunnel.status) == (LinkClass.BROKEN, "proxy error")
    assert f"refused a tunnel to 127.0.0.1:{tls.port}: 407" in tunnel.advice


def test_a_proxy_that_is_down_is_a_refused_connection(http: HttpStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    with ProxyStandin() as proxy:
        address = proxy.proxy_url()
    monkeypatch.setenv("HTTP_PROXY", address)
    outcome = check([http.url("/ok")])[http.url("/ok")]
    assert (outcome.verdict.kind, outcome.verdict.status) == (LinkClass.BROKEN, "connection refused")


def test_an_unusable_proxy_is_one_usage_error_that_keeps_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text("<p>no links</p>")
    monkeypatch.setenv("HTTPS_PROXY", "socks5://ci:hunter2@127.0.0.1:1080")
    assert main(["--site", str(tmp_path), "--no-cache"]) == 2
    error = capsys.readouterr().err
    assert error == "error: https_proxy: socks5:// proxies are not supported, only http:// ones\n"


@pytest.mark.parametrize(
    ("value", "host", "port", "authorization"),
    [
        ("http://127.0.0.1:3128", "127.0.0.1", 3128, ""),
        ("127.0.0.1:3128", "127.0.0.1", 3128, ""),  # curl and requests take it without a scheme too
        ("http://proxy.internal", "proxy.internal", 80, ""),
        ("http://a%40b:p%40ss@127.0.0.1:8080/", "127.0.0.1", 8080, "Basic YUBiOnBAc3M="),
    ],
)
def test_proxy_addresses(value: str, host: str, port: int, authorization: str) -> None:
    proxy = parse_proxy(value)
    assert (proxy.host, proxy.port, proxy.authorization) == (host, port, authorization)
