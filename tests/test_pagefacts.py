"""What pages tell machines: a description per page and sitemap dates, both from the data."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from bs4 import BeautifulSoup

from conftest import edit_yaml, run_mkdocs

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _description(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    meta = soup.find("meta", attrs={"name": "description"})
    assert meta is not None
    return str(meta["content"])


def _lastmods(site: Path) -> dict[str, str | None]:
    root = ET.parse(site / "sitemap.xml").getroot()
    found = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc, lastmod = url.find(f"{SITEMAP}loc"), url.find(f"{SITEMAP}lastmod")
        assert loc is not None and loc.text
        page = re.sub(r"^https://trust\.harborledger\.example/", "", loc.text)
        found[page] = lastmod.text if lastmod is not None else None
    return found


def test_each_page_is_described_by_its_own_facts(example_site: Path) -> None:
    assert _description(example_site, "claims/soc2") == (
        "SOC 2 Type 2: Attestation report, Current · Report period ended 30 September 2026"
    )
    assert _description(example_site, "claims/pci") == "PCI DSS: Certification, In progress · Expected 1 May 2027"
    assert _description(example_site, "subprocessors").startswith("These companies process customer data")
    # A page the data says nothing particular about keeps the site's description.
    site_description = _description(example_site, "")
    assert _description(example_site, "matrix") == site_description
    claims = [_description(example_site, f"claims/{c}") for c in ("iso27001", "soc2", "soc1", "gdpr", "pci")]
    assert len(set(claims)) == len(claims) and site_description not in claims


def test_sitemap_dates_come_from_the_data_and_none_where_it_has_none(example_site: Path) -> None:
    lastmods = _lastmods(example_site)
    assert lastmods[""] == "2026-11-02"  # the guide's last_reviewed
    assert lastmods["claims/iso27001/"] == "2026-10-15"  # its last_reviewed
    assert lastmods["claims/soc1/"] == "2025-11-14"  # no last_reviewed: when it was issued
    assert lastmods["claims/pci/"] is None  # in progress: neither
    assert lastmods["subprocessors/"] == "2026-11-01"  # the section's last_updated
    assert lastmods["updates/"] == "2026-11-01"  # the newest update
    assert lastmods["matrix/"] is None and lastmods["faq/"] is None


def test_a_description_from_data_is_escaped_and_the_page_date_follows_an_edit(tmp_path: Path) -> None:
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    data = project / "examples/harborledger/data"
    edit_yaml(data / "claims.yml", lambda d: d["claims"][1].update(title='SOC 2 "Type 2" <report>'))
    edit_yaml(data / "subprocessors.yml", lambda d: d["subprocessors"].update(last_updated="2026-11-20"))
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    site = project / "example-site"
    html = (site / "claims/soc2/index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="SOC 2 &quot;Type 2&quot; &lt;report&gt;: Attestation report' in html
    assert _lastmods(site)["subprocessors/"] == "2026-11-20"
