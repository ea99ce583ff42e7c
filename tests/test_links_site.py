"""The real site's links, remapped onto loopback stand-ins, checked end to end."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from compliance.links.cli import main
from compliance.links.linkmap import read_link_map
from conftest import DATASETS, REPO, run_mkdocs
from standins.ftp_standin import FtpStandin
from standins.http_standin import HttpStandin

CERT_URL = "ftp://public.dhe.ibm.com/cloud/bluemix/compliance/Bluemix_ISO27K1_WWCert_2016.pdf"
CERT_FILE = "cloud/bluemix/compliance/Bluemix_ISO27K1_WWCert_2016.pdf"


def certificate_looked_up(ftp: FtpStandin) -> bool:
    """LinkChecker checks an FTP file by walking to its folder and listing it."""
    walk = [("CWD", "/"), *(("CWD", part) for part in CERT_FILE.split("/")[:-1]), ("LIST", "")]
    return ftp.requests[-len(walk) :] == walk


def yaml_line_of(url: str) -> str:
    """`data/FILE.yml:LINE` where the URL is written in the guide's fixture data (what `built_site` builds)."""
    for path in sorted((DATASETS / "guide").glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if url in line:
                return f"data/{path.name}:{number}"
    raise AssertionError(f"{url} is not in data/")


def cert_source(site: Path) -> str:
    """How the report names the certificate link's YAML source (its field path belongs to the data model)."""
    (source,) = read_link_map(site.with_name("site.linkmap.json"))[CERT_URL]
    return str(source)


@pytest.fixture
def ftp_root(tmp_path: Path) -> Path:
    root = tmp_path / "ftp"
    (root / CERT_FILE).parent.mkdir(parents=True)
    (root / CERT_FILE).write_bytes(b"%PDF-1.4 certificate of registration")
    return root


@pytest.fixture
def standins(ftp_root: Path) -> Iterator[tuple[HttpStandin, FtpStandin]]:
    with HttpStandin(all_ok=True) as http, FtpStandin(ftp_root) as ftp:
        yield http, ftp


def remap_args(http: HttpStandin, ftp: FtpStandin) -> list[str]:
    return [
        "--remap",
        rf"^https?://[^/]+ http://127.0.0.1:{http.port}",
        "--remap",
        rf"^ftp://[^/]+ ftp://127.0.0.1:{ftp.port}",
        "--timeout",
        "2",
        "--retries",
        "0",
        "--no-https-twins",
    ]


# The guide's three links, and the catalogue's source of its lapsed ISO 27001:2013 claim's edition end.
EXTERNAL = 4


def catalogue_sources(site: Path) -> set[str]:
    """The standards catalogue's sources the site links beside a status (from its compliance.json)."""
    claims = json.loads((site / "compliance.json").read_text(encoding="utf-8"))["claims"]
    return {c["status_rests_on"]["source"] for c in claims if c["status_rests_on"] and c["status_rests_on"]["source"]}


def test_build_records_where_each_external_link_comes_from(built_site: Path) -> None:
    link_map = read_link_map(built_site.with_name("site.linkmap.json"))
    declared = {CERT_URL, "http://www.aicpa.org/soc", "https://cloudant.com/history/contact-us/"}
    assert set(link_map) == declared | catalogue_sources(built_site)
    for url in catalogue_sources(built_site):  # a lapsed claim's edition end links the catalogue's source
        assert [(s.kind, s.file) for s in link_map[url]] == [("data", "catalogue/standards.yml")]
    (source,) = link_map[CERT_URL]
    assert f"{source.file}:{source.line}" == yaml_line_of(CERT_URL)
    assert source.field.endswith(".url") and cert_source(built_site) == f"{yaml_line_of(CERT_URL)} {source.field}"


def test_real_site_passes_against_the_stand_ins(built_site: Path, standins, tmp_path: Path, capsys) -> None:
    http, ftp = standins
    report = tmp_path / "report.json"
    code = main(["--site", str(built_site), "--no-cache", "--json", str(report), *remap_args(http, ftp)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert re.match(rf"Checked \d+ links in [\d.]+ s \({EXTERNAL} external, 0 mail, \d+ internal; 0 from cache\)", out)
    assert certificate_looked_up(ftp)
    assert http.requests_for("/soc") == 1 and http.requests_for("/history/contact-us/") == 1
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert (summary["external"], summary["broken"], summary["skipped"], summary["exit_code"]) == (EXTERNAL, 0, 0, 0)
    assert summary["ok"] == summary["links"], "every link of the real site is fine"


def test_missing_certificate_fails_naming_its_yaml_line(
    built_site: Path, standins, ftp_root: Path, tmp_path: Path, capsys
) -> None:
    http, ftp = standins
    (ftp_root / CERT_FILE).unlink()
    report = tmp_path / "report.json"
    code = main(["--site", str(built_site), "--no-cache", "--json", str(report), *remap_args(http, ftp)])
    out = capsys.readouterr().out
    assert code == 1
    expected = (
        f"BROKEN  {CERT_URL}\n"
        "        status: FTP 550 File not found\n"
        f"        checked as: ftp://127.0.0.1:{ftp.port}/{CERT_FILE}\n"
        f"        from: {cert_source(built_site)}\n"
    )
    assert expected in out
    showing = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html") if CERT_URL in p.read_text()]
    assert showing, "the certificate link is shown on some page"
    for page in showing:  # every page that shows the link is named too, at line:column
        assert re.search(rf"\n        from: {re.escape(built_site.as_posix())}/{page}:\d+:\d+\n", out), page
    (link,) = [entry for entry in json.loads(report.read_text())["links"] if entry["class"] == "broken"]
    assert link["url"] == CERT_URL
    assert link["sources"][0]["text"] == cert_source(built_site)
    assert {s["kind"] for s in link["sources"]} == {"data", "site"}, "the pages showing the link are listed too"


def test_second_run_answers_successes_from_the_cache(built_site: Path, standins, tmp_path: Path, capsys) -> None:
    http, ftp = standins
    cache = tmp_path / "cache" / "links.json"
    assert main(["--site", str(built_site), "--cache", str(cache), *remap_args(http, ftp)]) == 0
    assert len(http.requests) == EXTERNAL - 1 and certificate_looked_up(ftp)
    http.clear_log()
    ftp.clear_log()
    capsys.readouterr()
    assert main(["--site", str(built_site), "--cache", str(cache), *remap_args(http, ftp)]) == 0
    out = capsys.readouterr().out
    assert f"({EXTERNAL} external, 0 mail, " in out and f"; {EXTERNAL} from cache)" in out
    assert http.requests == [] and ftp.requests == []
    assert main(["--site", str(built_site), "--cache", str(cache), "--cache-ttl", "0.001", *remap_args(http, ftp)]) == 0
    assert len(http.requests) == EXTERNAL - 1, "an expired entry is checked again"


def test_failures_are_never_cached(built_site: Path, standins, ftp_root: Path, tmp_path: Path) -> None:
    http, ftp = standins
    cache = tmp_path / "links.json"
    (ftp_root / CERT_FILE).unlink()
    assert main(["--site", str(built_site), "--cache", str(cache), *remap_args(http, ftp)]) == 1
    assert CERT_URL.replace("public.dhe.ibm.com", "x") not in cache.read_text()
    cached = {http.url("/soc"), http.url("/history/contact-us/")}
    cached |= {http.url(urlsplit(url).path) for url in catalogue_sources(built_site)}
    assert set(json.loads(cache.read_text())["links"]) == cached


def test_broken_internal_link_and_anchor_fail_the_check(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><body><h2 id="here">Here</h2><a href="guide/">ok</a><a href="nowhere.html">bad</a>'
        '<a href="#here">anchor</a><a href="guide/index.html#missing">bad anchor</a></body></html>'
    )
    (site / "guide" / "index.html").write_text('<html><body><a href="../index.html#here">back</a></body></html>')
    assert main(["--site", str(site), "--no-cache"]) == 1
    out = capsys.readouterr().out
    # '#here' on index.html and '../index.html#here' on guide/ are one target, listed once with both sources.
    assert "(0 external, 0 mail, 4 internal; 0 from cache): 2 ok, 0 warnings, 2 broken, 0 skipped." in out
    assert (
        "BROKEN  internal link /nowhere.html\n"
        "        status: no such file in the site\n"
        f"        from: {site.as_posix()}/index.html:1:68 (written as nowhere.html)\n"
    ) in out
    assert (
        "BROKEN  internal link /guide/index.html#missing\n"
        "        status: no element with id 'missing' in guide/index.html\n"
        f"        from: {site.as_posix()}/index.html:1:124 (written as guide/index.html#missing)\n"
    ) in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--remap", "([ http://x"], "error: --remap '([ http://x': bad regular expression"),
        (["--remap", "onlyonepart"], "error: --remap 'onlyonepart': expected 'REGEX URL'"),
        (["--timeout", "0"], "error: --timeout must be greater than 0"),
        (["--bogus"], "error: unrecognized arguments: --bogus (see --help)"),
        (["--timeout", "soon"], "error: argument --timeout: invalid float value: 'soon' (see --help)"),
        (["--user-agent", "x\r\nCookie: a=b"], "error: --user-agent must be printable ASCII on one line"),
    ],
)
def test_usage_errors_exit_2_with_one_line(built_site: Path, args: list[str], message: str, capsys) -> None:
    assert main(["--site", str(built_site), "--no-cache", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_missing_site_directory_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["--site", str(tmp_path / "nope"), "--no-cache"]) == 2
    assert "no such site directory (build it first with `make site`)" in capsys.readouterr().err


def test_command_line_works_as_root_in_a_private_folder(built_site: Path, standins, tmp_path: Path) -> None:
    # CI runs as root in a clone `nobody` cannot read; the `linkchecker` command would
    # drop to `nobody` there and fail every ftp:// check with an internal error.
    http, ftp = standins
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    shutil.copytree(built_site, private / "site")
    shutil.copy(built_site.with_name("site.linkmap.json"), private / "site.linkmap.json")
    result = subprocess.run(
        [sys.executable, "-m", "compliance.links", "--site", "site", "--no-cache", *remap_args(http, ftp)],
        cwd=private,
        env={**os.environ, "PYTHONPATH": str(REPO / "hooks")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{EXTERNAL} external" in result.stdout and " 0 broken" in result.stdout
    assert certificate_looked_up(ftp)


def test_mkdocs_build_runs_the_same_check_when_asked(project: Path, standins, ftp_root: Path) -> None:
    http, ftp = standins
    args = " ".join(f"'{a}'" for a in [*remap_args(http, ftp), "--no-cache"])
    env = {"CHECK_LINKS": "1", "CHECK_LINKS_ARGS": args}
    result = run_mkdocs(project, env=env)
    assert result.returncode == 0, result.stderr
    assert f"({EXTERNAL} external, 0 mail, " in result.stderr
    before = (project / "site" / "index.html").read_bytes()
    (ftp_root / CERT_FILE).unlink()
    (project / "data" / "guide.yml").write_text(
        (project / "data" / "guide.yml").read_text().replace("title: Security Compliance", "title: Changed"),
    )
    result = run_mkdocs(project, env=env)
    assert result.returncode != 0
    assert f"from: {cert_source(project / 'site')}" in result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "site" / "index.html").read_bytes() == before, "a build with broken links is not published"


def test_links_to_the_sites_own_address_are_checked_against_the_build(
    built_site: Path, tmp_path: Path, standins: tuple[HttpStandin, FtpStandin]
) -> None:
    """Canonical links name site_url's pages: they are files of this build, never fetched from the host."""
    from compliance.links.site import published_home, scan_site
    from compliance.links.targets import Category

    home = published_home(built_site)
    assert home is not None and home.startswith("https://")
    scan = scan_site(built_site)
    assert not [
        key for key, target in scan.targets.items() if target.category is Category.EXTERNAL and key.startswith(home)
    ]
    assert "/claims/" in scan.targets and any(home in source.field for source in scan.sources["/claims/"])
    assert home not in " ".join(read_link_map(built_site.with_name("site.linkmap.json")))
    broken = shutil.copytree(built_site, tmp_path / "site")
    shutil.rmtree(broken / "matrix")
    report = tmp_path / "report.json"
    assert main(["--site", str(broken), "--no-cache", "--json", str(report), *remap_args(*standins)]) == 1
    failures = {o["url"] for o in json.loads(report.read_text(encoding="utf-8"))["links"] if o["class"] == "broken"}
    assert failures == {"/matrix/"}
    assert standins[0].requests and not [path for _, path in standins[0].requests if path.startswith("/security/")]
