"""The site never says more than the data: read back from the built HTML and compliance.json.

Every word that characterises a claim (kind, status, scope cell, date) must come from a field the
editor set; unset fields read "Not stated" or nothing, and no column is empty on every row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import DATASETS, REPO, date_words, site_labels

ASSERTIVE = {"Yes", "All", "All offerings", "All hosting providers", "Current", "In progress", "Lapsed"}


def _rows(site: Path, page: str, selector: str) -> list[list[str]]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one(selector)
    assert table is not None, (page, selector)
    return [[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


def _export(site: Path) -> dict[str, Any]:
    return json.loads((site / "compliance.json").read_text(encoding="utf-8"))


def _claims_as_written(dataset: str) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((DATASETS / dataset / "claims.yml").read_text(encoding="utf-8"))
    return {claim["id"]: claim for claim in data["claims"]}


def test_unset_status_and_scope_are_never_shown_as_a_default(other_site: Path) -> None:
    written = _claims_as_written("other")
    export = {claim["id"]: claim for claim in _export(other_site)["claims"]}
    matrix = {row[0]: row for row in _rows(other_site, "matrix/index.html", "table.compliance-matrix")}
    overview = {row[0]: row for row in _rows(other_site, "claims/index.html", "table.compliance-overview")}
    home = BeautifulSoup((other_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = {card.select_one(".compliance-card__title").get_text(): card for card in home.select(".compliance-card")}
    for ident, claim in written.items():
        title = claim["title"]
        scope = claim.get("scope", {})
        assert export[ident]["status"] == claim.get("status")
        assert export[ident]["scope"]["offerings"] == scope.get("offerings")
        for field in ("issued", "valid_until", "last_reviewed", "expected"):
            assert export[ident][field] == claim.get(field), (ident, field)
        if "status" not in claim:
            assert matrix[title][2] == overview[title][1] == "Not stated"
            card = cards[title]
            assert card.select(".compliance-status") == [] and "Not stated" in card.get_text(), title
        if "offerings" not in scope:
            assert matrix[title][3:5] == ["Not stated", "Not stated"], title
            assert overview[title][2] == "Not stated"
            assert not ASSERTIVE & set(matrix[title][3:] + overview[title][2:3]), title


def test_yes_only_where_the_claim_names_the_offering_or_says_all(other_site: Path) -> None:
    matrix = {row[0]: row[3:5] for row in _rows(other_site, "matrix/index.html", "table.compliance-matrix")}
    assert matrix["PCI DSS Report on Compliance"] == ["Yes", "Not listed"]  # offerings: [ledger], nothing excluded
    assert matrix["ISO/IEC 27701"] == ["Yes", "Yes"]  # offerings: all
    overview = {row[0]: row for row in _rows(other_site, "claims/index.html", "table.compliance-overview")}
    assert overview["ISO/IEC 27701"][2] == "Offerings: All offerings"


def test_kinds_are_the_editors_words_including_an_organisations_own(other_site: Path) -> None:
    kinds = {row[0]: row[1] for row in _rows(other_site, "matrix/index.html", "table.compliance-matrix")}
    assert kinds["GDPR"] == "Commitment to comply"
    assert kinds["CSA CAIQ self-assessment"] == "Self-assessment"
    assert kinds["Cyber Essentials Plus"] == "Government-backed scheme"  # defined in labels.kinds only
    assert kinds["PCI DSS Report on Compliance"] == "Attestation report"


def test_dates_are_shown_as_precise_as_written(other_site: Path) -> None:
    page = BeautifulSoup((other_site / "claims/privacy/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [(t["datetime"], t.get_text()) for t in page.select("article time")] == [("2069-04", "April 2069")]
    pci = BeautifulSoup((other_site / "claims/pci/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "issued in 2025." in pci.select_one("article").get_text(" ")
    # Beside the status (what it rests on), then among the claim's dates.
    assert [(t["datetime"], t.get_text()) for t in pci.select("article time")] == [("2025", "2025")] * 2


@pytest.mark.parametrize("site_fixture", ["other_site", "dated_site", "built_site", "shipped_site"])
def test_no_column_is_empty_on_every_row(site_fixture: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    for page, selector in (
        ("claims/index.html", "table.compliance-overview"),
        ("matrix/index.html", "table.compliance-matrix"),
    ):
        rows = _rows(site, page, selector)
        assert rows, page
        widths = {len(row) for row in rows}
        assert len(widths) == 1, (page, widths)
        for column in range(widths.pop()):
            assert any(row[column] for row in rows), (site_fixture, page, column)


def test_nothing_in_the_other_organisation_mentions_hosting(other_site: Path) -> None:
    for page in ("index.html", "claims/index.html", "matrix/index.html"):
        text = (other_site / page).read_text(encoding="utf-8")
        assert "Hosted on" not in text and "All hosting providers" not in text


@pytest.mark.parametrize(
    ("site_fixture", "data_dir"),
    [("other_site", DATASETS / "other"), ("dated_site", DATASETS / "dated"), ("shipped_site", REPO / "data")],
)
def test_every_matrix_cell_follows_from_the_export(
    site_fixture: str, data_dir: Path, request: pytest.FixtureRequest
) -> None:
    """Kind, status and scope cells say exactly what compliance.json (the data) holds, in the labels' words."""
    site: Path = request.getfixturevalue(site_fixture)
    labels = site_labels(data_dir)
    export = _export(site)
    soup = BeautifulSoup((site / "matrix/index.html").read_text(encoding="utf-8"), "html.parser")
    header = [th.get_text(" ", strip=True) for th in soup.select("table.compliance-matrix thead tr th")]
    offerings = [o for o in export["organisation"]["offerings"] if o["name"] in header]
    providers = [p for p in export.get("hosting", {}).get("providers", []) if p["name"] in header]
    not_stated, yes, no = labels["facts"]["not_stated"], labels["pages"]["in_scope"], labels["pages"]["out_of_scope"]
    not_listed = labels["pages"]["not_listed"]

    def cells(scope: list[str] | str | None, excluded: list[str], entries: list[dict[str, Any]]) -> list[str]:
        # "No" only where the claim excludes it; a list that leaves one out says nothing about it.
        if scope is None:
            return [no if entry["id"] in excluded else not_stated for entry in entries]
        return [
            no if entry["id"] in excluded else yes if scope == "all" or entry["id"] in scope else not_listed
            for entry in entries
        ]

    rows = _rows(site, "matrix/index.html", "table.compliance-matrix")
    with_status = any(claim["status"] for claim in export["claims"])
    for claim, row in zip(export["claims"], rows, strict=True):
        expected = [claim["title"], labels["kinds"][claim["kind"]]]
        if with_status:
            expected.append(_status_words(claim, labels) if claim["status"] else not_stated)
        excludes = claim["scope"]["excludes"] or {"offerings": [], "providers": []}
        expected += cells(claim["scope"]["offerings"], excludes["offerings"], offerings)
        expected += cells(claim["scope"]["providers"], excludes["providers"], providers)
        assert row[: len(expected)] == expected, claim["id"]


def _status_words(claim: dict[str, Any], labels: dict[str, Any]) -> str:
    """A status as every page shows it: its word, then the date it rests on (from the export) or that none is stated."""
    basis = claim["status_rests_on"]
    if basis is None:
        rests_on = labels["facts"]["no_date"]
    else:
        rests_on = f"{labels['facts'][basis['fact']]} {date_words(labels, basis['date'])}"
    return f"{labels['statuses'][claim['status']]} · {rests_on}"
