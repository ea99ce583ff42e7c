"""The site's address on its way to production: a deployment's own address, what is left out without one,
and `make check-publish`, which refuses a site built under a placeholder."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from compliance.publish.siteurl import NO_SITE_URL, main, publish_problem, resolved_site_url
from conftest import REPO, copy_project, run_mkdocs

PAGES_URL = "https://acme.github.io/trust/"


def _without_site_url(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url:.*\n", "", config.read_text(encoding="utf-8"), flags=re.MULTILINE))


@pytest.mark.parametrize(
    ("configured", "override", "used"),
    [
        ("https://trust.example.com/security/", PAGES_URL, PAGES_URL),  # the shipped placeholder gives way
        (None, PAGES_URL, PAGES_URL),
        ("https://trust.acme.org/", PAGES_URL, "https://trust.acme.org/"),  # a real address is kept
        ("https://trust.example.com/security/", None, "https://trust.example.com/security/"),
    ],
)
def test_a_deployment_s_address_is_used_where_mkdocs_yml_has_no_real_one(
    configured: str | None, override: str | None, used: str
) -> None:
    assert resolved_site_url(configured, override) == used


def test_an_override_that_cannot_be_an_address_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValueError, match=r"^environment variable COMPLIANCE_SITE_URL: expected a URL whose scheme"):
        resolved_site_url(None, "javascript:alert(1)")


def test_without_an_address_the_build_leaves_out_canonical_links_and_the_sitemap_and_says_so_once(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project", "guide")
    _without_site_url(project)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "No site_url" in line] == [f"INFO    -  {NO_SITE_URL}"]
    site = project / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert 'rel="canonical"' not in (site / "index.html").read_text(encoding="utf-8")
    assert publish_problem(site) == (
        f"{site}/index.html: no canonical link, so the site was built without site_url: set site_url in mkdocs.yml "
        "or guide.site_url in the data to the site's real address (handbook/publishing.md)"
    )


def test_the_pages_address_from_the_environment_reaches_canonical_links_and_the_sitemap(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")  # mkdocs.yml's placeholder address, as shipped
    result = run_mkdocs(project, env={"COMPLIANCE_SITE_URL": PAGES_URL})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert f'<link rel="canonical" href="{PAGES_URL}">' in (site / "index.html").read_text(encoding="utf-8")
    assert f"<loc>{PAGES_URL}matrix/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert publish_problem(site) is None


def test_a_bad_address_in_the_environment_stops_the_build_in_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    result = run_mkdocs(project, env={"COMPLIANCE_SITE_URL": "ftp://files.acme.org/"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "ERROR   -  environment variable COMPLIANCE_SITE_URL: expected a URL whose scheme is https or http, "
        "got text 'ftp://files.acme.org/'"
    ) in result.stderr


def test_check_publish_refuses_the_shipped_placeholder_naming_it(
    built_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--site", str(built_site)]) == 1
    assert capsys.readouterr().err == (
        f"{built_site}/index.html: the site's address 'https://trust.example.com/security/' is a placeholder "
        "(under example.com, reserved by RFC 2606 and RFC 6761), which every canonical link, the sitemap and the "
        "PDF would carry: set site_url in mkdocs.yml or guide.site_url in the data to the site's real address "
        "(handbook/publishing.md)\n"
    )


def test_check_publish_on_a_folder_with_no_site(tmp_path: Path) -> None:
    problem = publish_problem(tmp_path)
    assert (
        problem == f"{tmp_path}/index.html: cannot read the built home page (No such file or directory); "
        "build the site first (make site)"
    )


def test_make_check_publish_refuses_a_placeholder_and_passes_a_real_address(built_site: Path, tmp_path: Path) -> None:
    placeholder = _make("check-publish", f"SITE={built_site}")
    assert placeholder.returncode != 0 and "is a placeholder (under example.com" in placeholder.stderr
    real = tmp_path / "real"
    real.mkdir()
    (real / "index.html").write_text('<html><head><link rel="canonical" href="https://trust.acme.org/"></head></html>')
    ready = _make("check-publish", f"SITE={real}")
    assert ready.returncode == 0, ready.stderr


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), *args], capture_output=True, text=True, timeout=120
    )
