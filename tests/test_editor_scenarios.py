"""What an editor can do in YAML alone, each shown on the rendered pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.data import load_compliance_data
from compliance.errors import ComplianceError
from compliance.render import PageRenderer
from conftest import edit_yaml

PAGES = ("index.md", "certifications.md")


def render_pages(project: Path) -> dict[str, str]:
    """Every templated page of `project`, rendered to Markdown."""
    data = load_compliance_data(project, project / "data", project / "docs")
    renderer = PageRenderer(data, project, [project / "docs", project / "overrides"])
    pages = {}
    for name in PAGES:
        path = project / "docs" / name
        pages[name] = renderer.render(path.read_text(encoding="utf-8"), path, {"root": ""})
    return pages


def headings(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def test_renaming_a_provider_changes_every_page(project: Path) -> None:
    rename = lambda d: d["hosting"]["providers"][1].update(company="Amazon Web Services")  # noqa: E731
    edit_yaml(project / "data/hosting.yml", rename)
    pages = render_pages(project)
    for name in PAGES:
        assert "IBM (SoftLayer) and Amazon Web Services" in pages[name], name
        assert pages[name].count("Amazon") == pages[name].count("Amazon Web Services")


def test_adding_a_certification_with_its_section(project: Path) -> None:
    def add_standard(d: dict[str, Any]) -> None:
        d["standards"].append({"id": "pci-dss", "name": "PCI DSS", "purpose": "protects cardholder data"})

    def add_certification(d: dict[str, Any]) -> None:
        d["certifications"].append(
            {
                "id": "pci",
                "standard": "pci-dss",
                "documents": [
                    {"title": "Attestation of Compliance", "url": "https://example.com/aoc.pdf"},
                    {"title": "Responsibility Matrix", "url": "https://example.com/matrix.pdf"},
                ],
            }
        )

    edit_yaml(project / "data/standards.yml", add_standard)
    edit_yaml(project / "data/certifications.yml", add_certification)
    edit_yaml(
        project / "data/guide.yml",
        lambda d: d["guide"]["sections"].append({"title": "PCI", "shows": "certification", "certification": "pci"}),
    )
    pages = render_pages(project)
    assert headings(pages["index.md"])[-1] == "PCI"
    assert "Cloudant is certified under the PCI DSS standard, which protects cardholder data." in pages["index.md"]
    both = (
        "[Attestation of Compliance](<https://example.com/aoc.pdf>) and "
        "[Responsibility Matrix](<https://example.com/matrix.pdf>)"
    )
    assert both in pages["index.md"]
    assert "### PCI DSS" in pages["certifications.md"]


def test_removing_a_certification_and_its_section_leaves_no_heading(project: Path) -> None:
    edit_yaml(project / "data/certifications.yml", lambda d: d["certifications"].pop())
    edit_yaml(project / "data/guide.yml", lambda d: d["guide"]["sections"].pop())
    pages = render_pages(project)
    assert "SOC 2 Certification" not in headings(pages["index.md"])
    assert "### SOC 2" not in pages["certifications.md"]


def test_removing_a_certification_still_named_by_a_section_is_a_clear_error(project: Path) -> None:
    edit_yaml(project / "data/certifications.yml", lambda d: d["certifications"].pop())
    with pytest.raises(ComplianceError) as caught:
        render_pages(project)
    assert "guide.sections[4].certification: unknown certification 'soc2'" in str(caught.value)


def test_a_privacy_law_scoped_to_several_offerings(project: Path) -> None:
    edit_yaml(
        project / "data/organisation.yml",
        lambda d: d["organisation"]["offerings"].append({"id": "standard", "name": "Cloudant Standard"}),
    )
    gdpr = {
        "id": "gdpr",
        "name": "GDPR",
        "full_name": "General Data Protection Regulation",
        "scope": {"offerings": ["enterprise", "standard"], "providers": ["softlayer", "amazon"]},
    }
    edit_yaml(project / "data/regulations.yml", lambda d: d["regulations"].append(gdpr))
    edit_yaml(
        project / "data/guide.yml",
        lambda d: d["guide"]["sections"].insert(3, {"title": "GDPR", "shows": "regulation", "regulation": "gdpr"}),
    )
    pages = render_pages(project)
    assert headings(pages["index.md"])[2:4] == ["HIPAA", "GDPR"]
    assert (
        "Cloudant Enterprise and Cloudant Standard, when hosted on IBM SoftLayer or Amazon, meet the required "
        "controls that are commensurate with the General Data Protection Regulation (GDPR) requirements."
    ) in pages["index.md"]
    assert "Scope: Cloudant Enterprise and Cloudant Standard on IBM SoftLayer or Amazon." in pages["certifications.md"]


def test_removing_a_regulation_and_its_section(project: Path) -> None:
    edit_yaml(project / "data/regulations.yml", lambda d: d.update(regulations=[]))
    edit_yaml(project / "data/guide.yml", lambda d: d["guide"]["sections"].pop(2))
    pages = render_pages(project)
    assert "HIPAA" not in pages["index.md"]
    assert "## Regulations" not in pages["certifications.md"]


def test_adding_a_provider_and_a_measure(project: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["hosting"]["providers"].append({"id": "azure", "company": "Microsoft", "platform": "Azure"})
        d["hosting"]["measures"].append({"name": "Encryption at rest", "description": "AES-256 on every disk"})

    edit_yaml(project / "data/hosting.yml", change)
    index = render_pages(project)["index.md"]
    assert "such as IBM (SoftLayer), Amazon, and Microsoft (Azure)." in index
    assert "-   Encryption at rest: AES-256 on every disk\n" in index


def test_removing_a_measure(project: Path) -> None:
    edit_yaml(project / "data/hosting.yml", lambda d: d["hosting"]["measures"].pop(2))
    index = render_pages(project)["index.md"]
    assert "Server hardening" not in index
    assert "-   Identity and access management\n" in index


def test_a_section_with_no_data_is_left_out_heading_and_all(project: Path) -> None:
    def no_hosting(d: dict[str, Any]) -> None:
        d["hosting"]["providers"] = []

    edit_yaml(project / "data/hosting.yml", no_hosting)
    edit_yaml(project / "data/regulations.yml", lambda d: d["regulations"][0]["scope"].pop("providers"))
    edit_yaml(project / "data/certifications.yml", lambda d: d["certifications"][1]["reports"].pop("providers"))
    edit_yaml(project / "data/organisation.yml", lambda d: d["organisation"].pop("built_on"))
    pages = render_pages(project)
    assert headings(pages["index.md"]) == [
        "HIPAA",
        "International Organization for Standardization (ISO)",
        "SOC 2 Certification",
    ]
    assert "Held by our hosting providers" not in pages["certifications.md"]


def test_adding_a_free_text_section(project: Path) -> None:
    section = {"title": "Shared responsibility", "shows": "text", "paragraphs": ["First.", "Second <b>bold</b>."]}
    edit_yaml(project / "data/guide.yml", lambda d: d["guide"]["sections"].append(section))
    index = render_pages(project)["index.md"]
    assert index.rstrip().endswith("## Shared responsibility\n\nFirst.\n\nSecond &lt;b&gt;bold&lt;/b&gt;.")


def test_report_request_channels_web_and_email(project: Path) -> None:
    def channels(d: dict[str, Any]) -> None:
        d["certifications"][1]["reports"]["channels"].append(
            {"kind": "email", "label": "email our compliance team", "url": "mailto:compliance@example.com"}
        )

    edit_yaml(project / "data/certifications.yml", channels)
    index = render_pages(project)["index.md"]
    assert (
        "Customers may request SOC 2 reports from the customer portal, "
        "[contact our sales team](<https://cloudant.com/history/contact-us/>), or "
        "[email our compliance team](<mailto:compliance@example.com>)."
    ) in index
