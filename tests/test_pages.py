"""What the model puts on pages for a second organisation: dates, status, scope, access, agreements."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from compliance.review import main as review
from conftest import DATASETS, FIXTURE_TODAY, copy_project, edit_yaml, run_mkdocs


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _facts(site: Path, page: str, claim_id: str) -> dict[str, str]:
    block = _soup(site, page).select_one(f"#claim-{claim_id} dl")
    assert block is not None
    return {
        dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text(" ").split())
        for dt in block.find_all("dt")
    }


def test_facts_show_status_scope_access_agreements_and_dates(dated_site: Path) -> None:
    iso = _facts(dated_site, "claims/iso/index.html", "iso")
    assert iso == {
        "Type": "Certification",
        "Status": "Current · Valid until 15 January 2027",
        "Standards": "ISO/IEC 27001 (2022) , ISO/IEC 27017 (2015) , ISO/IEC 27018 (2019)",
        "Offerings": "Analytics Cloud, Analytics On-Premises",
        "Conditions": "on dedicated hardware requested at provisioning",
        "Evidence": "ISO certificate (Certificate) Statement of Applicability · Original (needs an FTP client) "
        "Audit letter (needs an FTP client)",
        "Access": "Public",
        "Issued": "1 March 2025",
        "Valid until": "15 January 2027",
        "Last reviewed": "1 September 2026",
        "Auditor": "Example Registrar Ltd",
    }
    soc2 = _facts(dated_site, "claims/soc2/index.html", "soc2")
    assert soc2["Report type"] == "Type 2"
    assert soc2["Access"] == "Under NDA Request the report: your sales representative Email the trust team"
    assert _facts(dated_site, "claims/pci/index.html", "pci")["Status"] == "In progress · Expected 1 March 2027"
    assert _facts(dated_site, "claims/hipaa/index.html", "hipaa")["Status"] == "Lapsed · Valid until 31 January 2025"
    assert _facts(dated_site, "claims/gdpr/index.html", "gdpr")["Agreements"] == "Data Processing Addendum (DPA)"


def test_an_organisation_without_hosting_gets_no_hosting_words(dated_site: Path) -> None:
    guide = _soup(dated_site, "index.html")
    # A section without a title names its one claim in a heading of the same level.
    headings = [h.get_text(strip=True).rstrip("¶") for h in guide.select("article h2")]
    assert headings == ["Certifications", "SOC 2 Type 2 report", "Regulations"]
    assert guide.select(".compliance-measures") == []
    header = [th.get_text(strip=True) for th in _soup(dated_site, "matrix/index.html").select("thead th")]
    assert "Hosted on" not in header and "Analytics Cloud" in header


def test_the_guide_links_prose_mentions_to_claim_pages_relative_to_each_page(dated_site: Path) -> None:
    intro = _soup(dated_site, "index.html").select_one("article .compliance-prose")
    assert [a["href"] for a in intro.select("a")] == ["claims/pci/", "claims/soc2/"]
    iso = _soup(dated_site, "claims/iso/index.html").select_one(".compliance-prose")
    assert iso.get_text(strip=True) == "Certified by Example Registrar Ltd on 1 March 2025."


def test_the_matrix_marks_scope_per_offering(dated_site: Path) -> None:
    rows = {
        tr["id"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in _soup(dated_site, "matrix/index.html").select("tbody tr")
    }
    # Analytics On-Premises is not in the claim's list: "not listed", never "No", which only `excludes` says.
    assert rows["matrix-pci"] == ["Attestation report", "In progress · Expected 1 March 2027", "Yes", "Not listed", ""]
    assert rows["matrix-iso"][2:4] == ["Yes", "Yes"]
    assert len(rows) == 5


def test_the_export_of_another_organisation_validates(dated_site: Path) -> None:
    export = json.loads((dated_site / "compliance.json").read_text(encoding="utf-8"))
    schema = json.loads((dated_site / "compliance.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(export)
    assert [c["id"] for c in export["claims"]] == ["iso", "pci", "soc2", "gdpr", "hipaa"]
    assert export["claims"][1]["expected"] == "2027-03-01"


def test_labels_are_the_editors_to_reword(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/labels.yml", lambda d: d["labels"]["facts"].update(valid_until="Gültig bis"))
    assert run_mkdocs(project).returncode == 0
    assert "Gültig bis" in _facts(project / "site", "claims/iso/index.html", "iso")


def test_an_expired_claim_fails_the_build_at_its_line_unless_lapsed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][2].update(valid_until="2026-11-27"))
    result = run_mkdocs(project)
    assert result.returncode != 0
    line = next(
        n
        for n, text in enumerate((project / "data/claims.yml").read_text("utf-8").splitlines(), 1)
        if "2026-11-27" in text
    )
    assert re.search(
        rf"data/claims.yml:{line}:\d+: claims\[2\].valid_until: claim 'soc2' expired on 2026-11-27; "
        r"renew it with a new date, or set `status: lapsed` to publish it as lapsed",
        result.stderr,
    )
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][2].update(status="lapsed"))
    assert run_mkdocs(project).returncode == 0
    lapsed = _facts(project / "site", "claims/soc2/index.html", "soc2")["Status"]
    assert lapsed == "Lapsed · Valid until 27 November 2026"


def test_review_lists_claims_expiring_soon_or_unreviewed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project", "dated")
    assert review(["--project", str(project), "--today", FIXTURE_TODAY]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "data/claims.yml:30:18: claims[0].valid_until: iso: expires on 2027-01-15",
        "data/claims.yml:45:20: claims[1].last_reviewed: pci: last reviewed on 2025-06-01, over 365 days ago",
        "data/claims.yml:60:18: claims[2].valid_until: soc2: expires on 2026-12-20",
        "data/claims.yml:66:13: claims[3].status: rule undated_status (warn): claim 'gdpr' states status current with "
        "no date it rests on (valid_until, report_period, issued or last_reviewed); the site says no date is stated "
        "beside it",
        "data/claims.yml:84:18: claims[4].valid_until: hipaa: expired on 2025-01-31",
    ]
    args = ["--project", str(project), "--today", FIXTURE_TODAY, "--expires-within", "0", "--reviewed-within", "9999"]
    assert review(args) == 1  # the lapsed claim's date has passed
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][4].pop("valid_until"))
    assert review(args) == 1  # GDPR and now HIPAA state a status with no date
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("undated_status: warn", "undated_status: off"), "utf-8")
    assert review(args) == 0


def test_the_claims_page_shows_every_claim_at_a_glance(dated_site: Path) -> None:
    table = _soup(dated_site, "claims/index.html").select_one("article table.compliance-overview")
    assert table is not None and table.caption.get_text() == "At a glance"
    rows = [[" ".join(cell.get_text(" ").split()) for cell in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]
    assert rows == [
        [
            "ISO/IEC 27001, 27017 and 27018",
            "Current · Valid until 15 January 2027",
            "Offerings: Analytics Cloud, Analytics On-Premises;"
            " Conditions: on dedicated hardware, requested at provisioning",
            "Public: ISO certificate ; Statement of Applicability ; Audit letter",
        ],
        ["PCI DSS Attestation of Compliance", "In progress · Expected 1 March 2027", "Offerings: Analytics Cloud", ""],
        ["SOC 2 Type 2 report", "Current · Valid until 20 December 2026", "Not stated", "Under NDA"],
        ["GDPR", "Current · no date stated", "Not stated", ""],
        ["HIPAA (lapsed)", "Lapsed · Valid until 31 January 2025", "Not stated", ""],
    ]


def test_every_page_footer_names_the_organisation_contact_review_date_and_export(dated_site: Path) -> None:
    for page in ("index.html", "matrix/index.html", "claims/gdpr/index.html"):
        footer = _soup(dated_site, page).select_one(".compliance-footer")
        assert " ".join(footer.get_text(" ").split()) == (
            "Example Analytics · Contact · Last reviewed 1 October 2026 · Machine-readable data (compliance.json)"
            " · its JSON Schema"
        )
        links = [a["href"] for a in footer.select("a")]
        assert links[0] == "mailto:trust@example.com"
        assert (dated_site / page).parent.joinpath(links[1]).resolve() == (dated_site / "compliance.json").resolve()


def test_a_build_for_the_pdf_links_it_from_every_footer(tmp_path: Path) -> None:
    from compliance.pdf.guide import PDF_NAME

    project = copy_project(tmp_path / "project", "dated")
    assert run_mkdocs(project, env={"COMPLIANCE_PDF": "1"}).returncode == 0
    footer = _soup(project / "site", "claims/iso/index.html").select_one(".compliance-footer")
    assert footer.select("a")[-1]["href"] == f"../../{PDF_NAME}"
    assert [a.get_text() for a in footer.select("a")].count("Machine-readable data (compliance.json)") == 1
    assert footer.select("a")[-1].get_text() == "The whole guide as PDF"


def test_an_ftp_document_offers_its_https_mirror_first(dated_site: Path) -> None:
    facts = _soup(dated_site, "claims/iso/index.html").select_one("#claim-iso dl")
    items = next(dt for dt in facts("dt") if dt.get_text().strip() == "Evidence").find_next_sibling("dd")("li")
    mirrored = [a["href"] for a in items[1].select("a")]
    assert mirrored == ["https://trust.example.com/soa.pdf", "ftp://files.example.com/soa.pdf"]
    assert [a["href"] for a in items[2].select("a")] == ["ftp://files.example.com/letter.pdf"]


def test_site_url_from_the_data_gives_canonical_links_and_a_sitemap(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/guide.yml", lambda d: d["guide"].update(site_url="https://trust.example.com/"))
    assert run_mkdocs(project).returncode == 0
    canonical = _soup(project / "site", "claims/iso/index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://trust.example.com/claims/iso/"
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://trust.example.com/matrix/</loc>" in sitemap


def test_the_home_page_counts_claims_by_status_and_shows_a_card_per_claim(dated_site: Path) -> None:
    home = _soup(dated_site, "index.html")
    summary = " ".join(home.select_one("article .compliance-summary").get_text(" ").split())
    # The claim with no date is counted apart; the date is the guide's own review, never the build's.
    assert summary == "3 Current (no date stated: 1) 1 In progress 1 Lapsed Last reviewed 1 October 2026"
    cards = home.select("article .compliance-cards > li")
    assert [card.select_one(".compliance-card__title").get_text() for card in cards] == [
        "ISO/IEC 27001, 27017 and 27018",
        "PCI DSS Attestation of Compliance",
        "SOC 2 Type 2 report",
        "GDPR",
        "HIPAA (lapsed)",
    ]
    statuses = [card.select_one(".compliance-status")["class"][-1] for card in cards]
    assert statuses == [f"compliance-status--{s}" for s in ("current", "in_progress", "current", "current", "lapsed")]
    texts = [" ".join(card.get_text(" ").split()) for card in cards]
    assert "Expected 1 March 2027" in texts[1] and "Valid until" not in texts[1]
    # Who may read the report and whom to ask, never a bare link that reads like a download.
    assert texts[2].endswith("Under NDA · Request the report: your sales representative · Email the trust team")
    assert "Valid until" not in texts[3] and "Expected" not in texts[3]  # no date stated, none shown
    assert len(home.select("article h1")) == 1
    # The title is the page's own heading: the header (styled to hide its copy) is marked on the home page only.
    assert home.select_one(".md-container > .compliance-home") is not None
    assert _soup(dated_site, "matrix/index.html").select_one(".compliance-home") is None
    assert [a.get_text() for a in home.select("a")].count("Machine-readable data (compliance.json)") == 1


def test_a_claims_page_opens_the_claims_entry_of_the_navigation(dated_site: Path) -> None:
    """Claims are listed on the claims page, not in the navigation, which stays small at any scale."""
    for page, expected in (("claims/iso/index.html", "../"), ("claims/index.html", "./"), ("index.html", None)):
        nav = _soup(dated_site, page).select_one("nav.md-nav--primary")
        assert not [a for a in nav.select("a[href]") if "claims/" in a["href"] and a["href"] != "claims/"]
        active = [li.a["href"] for li in nav.select("li.md-nav__item--active") if li.a.get_text(strip=True) == "Claims"]
        assert active == ([expected] if expected else []), page


def test_the_404_page_says_only_the_labels_words(dated_site: Path) -> None:
    """Every sentence of the page not found comes from `not_found:` in labels.yml (reworded in this data set)."""
    labels = yaml.safe_load((DATASETS / "dated" / "labels.yml").read_text(encoding="utf-8"))["labels"]["not_found"]
    page = _soup(dated_site, "404.html")
    article = page.select_one("article")
    texts = [" ".join(tag.get_text(" ").split()) for tag in article.select("h1, p")]
    assert texts == [labels[name] for name in ("title", "lost", "home", "others", "search")]
    assert page.title.get_text().startswith(f"{labels['title']} - ")
    assert [a.get_text() for a in article.select("li a")] == ["Compliance matrix", "Claims"]
