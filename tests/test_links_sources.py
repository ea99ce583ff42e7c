"""Every URL keeps its own source (each srcset candidate, each URL of a tag), any --site path works, and
a link on this machine may be redirected elsewhere on it (loopback stays loopback; nothing more).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import CheckOptions, check_external
from compliance.links.classify import LinkClass
from compliance.links.cli import main
from compliance.links.failures import FailureKind
from compliance.links.linkchecker import parse_page
from compliance.links.settings import CheckSettings
from standins.fault_standin import FaultStandin, answer


@pytest.fixture(scope="module")
def server() -> Iterator[FaultStandin]:
    with FaultStandin("127.0.0.1", {"/ok": answer(200, "OK")}) as standin:
        port = standin.port
        standin.routes.update(
            {
                "/to-localhost": answer(302, "Found", {"Location": f"http://localhost:{port}/ok"}),
                "/to-private": answer(302, "Found", {"Location": "http://10.0.0.1/admin"}),
                "/to-metadata": answer(302, "Found", {"Location": "http://169.254.169.254/latest/meta-data/"}),
            }
        )
        yield standin


def test_each_srcset_candidate_and_each_url_of_a_tag_has_its_own_place() -> None:
    page = parse_page(
        '<p>\n<img src="https://x.example/s.png" srcset="https://x.example/a.png 1x,\n  https://x.example/b.png 2x">'
    )
    places = {link.url: (link.line, link.column) for link in page.links}
    assert places == {
        "https://x.example/s.png": (2, 11),
        "https://x.example/a.png": (2, 44),
        "https://x.example/b.png": (3, 3),
    }


def test_a_broken_srcset_candidate_is_reported_where_it_is_written(
    server: FaultStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    ok, missing = server.url("/ok"), server.url("/missing")
    (site / "index.html").write_text(f'<img src="{ok}" srcset="{ok} 1x, {missing} 2x">', encoding="utf-8")
    argv = ["--site", str(site), "--no-cache", "--progress", "never", "--retries", "0", "--format", "json"]
    assert main(argv) == 1
    links = {entry["url"]: entry for entry in json.loads(capsys.readouterr().out)["links"]}
    column = len(f'<img src="{ok}" srcset="{ok} 1x, ') + 1
    assert [source["text"] for source in links[missing]["sources"]] == [f"{site}/index.html:1:{column}"]
    assert len(links[ok]["sources"]) == 2  # written twice in one tag: two places


@pytest.mark.parametrize("form", [".", "./", "", "../site", "site/"])
def test_any_form_of_the_site_path_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="#gone">x</a><a href="other.html">y</a>', encoding="utf-8")
    monkeypatch.chdir(site if form in (".", "./", "", "../site") else tmp_path)
    assert main(["--site", form, "--no-cache", "--progress", "never"]) == 1
    out = capsys.readouterr().out
    assert "2 broken" in out and "BROKEN  internal link /other.html" in out


def test_a_site_path_with_nothing_beside_it_fails_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--site", "/", "--no-cache", "--progress", "never"]) == 2
    assert capsys.readouterr().err == "error: --site /: no folder beside it for the link map (give --link-map)\n"


def check(url: str) -> tuple[LinkClass, FailureKind | None]:
    options = CheckOptions(CheckSettings(timeout=5.0), retries=0, https_twins=False)
    (outcome,) = check_external({url: []}, options, LinkCache(None))
    return outcome.verdict.kind, outcome.failure


def test_a_loopback_link_may_be_redirected_to_another_loopback_name(server: FaultStandin) -> None:
    before = server.requests_for("/ok")
    assert check(server.url("/to-localhost")) == (LinkClass.OK, None)
    assert server.requests_for("/ok") == before + 1


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_a_loopback_link_is_still_never_redirected_off_the_machine(server: FaultStandin, path: str) -> None:
    assert check(server.url(path)) == (LinkClass.BROKEN, FailureKind.BLOCKED_ADDRESS)
