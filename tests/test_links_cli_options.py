"""The checker as users drive it: filters, config file, formats, TLS switches, cache, mail, offline, memory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, check_mail
from compliance.links.classify import LinkClass, Verdict
from compliance.links.cli import main
from compliance.links.linkmap import LinkSource, link_map_path, write_link_map
from conftest import REPO
from standins.fault_routes import public_routes
from standins.fault_standin import FaultStandin, answer
from standins.tls_standin import TlsStandin

CLAIM = LinkSource("data", "data/claims.yml", 12, "claims[0].evidence[0].url")


@pytest.fixture(scope="module")
def public() -> Iterator[FaultStandin]:
    with FaultStandin("127.0.0.2", {"/secret": answer(200, "OK")}) as inner, FaultStandin("127.0.0.1") as server:
        server.routes.update(public_routes(server, inner))
        yield server


def site_with(tmp_path: Path, urls: list[str], sources: dict[str, list[LinkSource]] | None = None) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("".join(f'<a href="{url}">x</a>\n' for url in urls), encoding="utf-8")
    write_link_map(link_map_path(site), sources or {})
    return site


def run(site: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--site", str(site), "--no-cache", "--retries", "0", "--progress", "never", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--exclude" in capsys.readouterr().out


def test_exclude_include_and_the_ignore_file(
    public: FaultStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [public.url("/missing?a"), public.url("/missing?b"), public.url("/missing?c")]
    site = site_with(tmp_path, urls)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".lycheeignore").write_text("# known\nmissing\\?b\n", encoding="utf-8")
    code, out, _ = run(site, "--exclude", r"missing\?a", "--include", r"\?c", "--format", "json", capsys=capsys)
    links = {link["url"]: link for link in json.loads(out)["links"]}
    assert links[urls[0]]["status"] == "excluded by 'missing\\\\?a'"
    assert links[urls[1]]["class"] == "skipped"  # by .lycheeignore
    assert links[urls[2]]["class"] == "broken"  # included, so checked
    assert code == 1
    assert public.requests_for("/missing") and not public.requests_for("/missing?a") + public.requests_for("/missing?b")


def test_a_links_toml_holds_the_options(
    public: FaultStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = site_with(tmp_path, [public.url("/forbidden")])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "links.toml").write_text('[links]\naccept = ["403"]\nheader = ["X-Team: docs"]\n', encoding="utf-8")
    code, out, _ = run(site, capsys=capsys)
    assert code == 0, out
    assert [r.headers.get("x-team") for r in public.received if r.target == "/forbidden"][-1] == "docs"
    (tmp_path / "links.toml").write_text("acept = [403]\n", encoding="utf-8")
    code, _, err = run(site, capsys=capsys)
    assert (code, err) == (2, "error: links.toml: unknown option 'acept' (see --help for the names)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accept", "4xx"], "--accept '4xx'"),
        (["--header", "No colon"], "--header 'No colon'"),
        (["--header", "X: a\r\nInjected: 1"], "--header"),
        (["--resolve", "host-only"], "--resolve 'host-only'"),
        (["--exclude", "(["], "--exclude '(['"),
    ],
)
def test_bad_option_values_are_usage_errors(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(site_with(tmp_path, []), *args, capsys=capsys)
    assert code == 2 and err.startswith(f"error: {message}")


def test_github_annotations_name_the_yaml_line(
    public: FaultStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = public.url("/missing")
    site = site_with(tmp_path, [url], {url: [CLAIM]})
    code, out, _ = run(site, "--format", "github", capsys=capsys)
    assert code == 1
    assert f"::error file=data/claims.yml,line=12,title=link broken::{url}: 404 Not Found" in out
    assert out.splitlines()[-1].startswith("Checked ")


def test_markdown_report_is_a_table(public: FaultStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = public.url("/missing")
    _, out, _ = run(site_with(tmp_path, [url], {url: [CLAIM]}), "--format", "markdown", capsys=capsys)
    # Values from outside are code spans: nothing a server or the data says renders (tests/test_hardening_reports.py).
    assert f"| broken | `{url}` | `404 Not Found` | `data/claims.yml:12 claims[0].evidence[0].url`<br>" in out


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_links_prints_a_github_annotation_for_a_broken_yaml_link(public: FaultStandin, tmp_path: Path) -> None:
    url = public.url("/missing")
    site = site_with(tmp_path, [url], {url: [CLAIM]})
    done = subprocess.run(
        ["make", "-s", "links", f"SITE={site}", "ARGS=--format github --no-cache --retries 0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert f"::error file=data/claims.yml,line=12,title=link broken::{url}: 404 Not Found" in done.stdout


def test_offline_machine_is_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = site_with(tmp_path, ["https://nothing-here.invalid/", "http://nor-here.invalid/x"])
    code, out, _ = run(site, "--no-https-twins", capsys=capsys)
    assert code == 1
    assert "The machine looks offline: every host failed DNS" in out


def test_not_offline_when_one_host_answers(public: FaultStandin, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    site = site_with(tmp_path, ["http://nothing-here.invalid/", public.url("/ok")])
    _, out, _ = run(site, capsys=capsys)
    assert "looks offline" not in out


# Runs the checker from a small launcher: a child forked from this large test process would count the
# parent's pages in its own peak, so the launcher reports its child's peak (ru_maxrss, in kilobytes).
_LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.stdout)
"""


def test_endless_headers_leave_the_checker_under_100_mb(public: FaultStandin, tmp_path: Path) -> None:
    """The server would send a gigabyte of headers; the checker stops reading at aiohttp's limits."""
    site = site_with(tmp_path, [public.url("/endless")])
    checker = [sys.executable, "-m", "compliance.links", "--site", str(site), "--no-cache", "--retries", "0"]
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks")}
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *checker], env=environment, capture_output=True, text=True, timeout=120
    )
    first, _, report = done.stdout.partition("\n")
    code, peak_kilobytes = map(int, first.split())
    assert code == 1 and "invalid response" in report, done.stdout + done.stderr
    assert peak_kilobytes < 100 * 1024


def test_insecure_and_ssl_cert_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    with TlsStandin() as tls:
        site = site_with(tmp_path, [tls.url("/page")])
        assert run(site, capsys=capsys)[0] == 1  # its own CA: not trusted
        assert run(site, "--insecure", capsys=capsys)[0] == 0
        monkeypatch.setenv("SSL_CERT_FILE", tls.ca_file)
        assert run(site, capsys=capsys)[0] == 0


def test_cache_entries_from_the_future_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    future = LinkCache(path, ttl=100, now=10_000)
    future.put("http://ok/", Verdict(LinkClass.OK, "200 OK"), "http://ok/")
    future.save()
    assert LinkCache(path, ttl=100, now=10_030).get("http://ok/") is not None
    assert LinkCache(path, ttl=100, now=1_000).get("http://ok/") is None  # checked "in 2.5 hours"
    path.write_text('{"version": 1, "links": {"http://ok/": {"checked_at": "soon"}}}')
    assert LinkCache(path, ttl=100, now=1_000).get("http://ok/") is None


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("mailto:security@example.com", LinkClass.OK),
        ("mailto:a@example.com,b@example.org", LinkClass.OK),
        ("mailto:a@example.com?subject=Hello%20there", LinkClass.OK),
        ("mailto:a@example.com%0ABcc:everyone@example.net", LinkClass.BROKEN),
        ("mailto:a@example.com?subject=x%0D%0ABcc:everyone@example.net", LinkClass.BROKEN),
        ("mailto:a@example.com?cc=not-an-address", LinkClass.BROKEN),
        ("mailto:", LinkClass.BROKEN),
        ("mailto:two@@example.com", LinkClass.BROKEN),
    ],
)
def test_mail_addresses_are_validated_against_header_injection(url: str, kind: LinkClass) -> None:
    (outcome,) = check_mail({url: [CLAIM]}, CheckOptions())
    assert outcome.verdict.kind is kind, outcome.verdict
