"""The compliance matrix's verdicts: "no" only where a claim excludes, "yes" where it names or says all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from compliance.model.data import load_compliance_data
from compliance.render.matrix import scope_matrix
from conftest import edit_yaml


def _scope(project: Path, scopes: dict[str, dict[str, Any]]) -> None:
    def change(document: dict[str, Any]) -> None:
        for claim in document["claims"]:
            claim.pop("scope", None)
            if claim["id"] in scopes:
                claim["scope"] = scopes[claim["id"]]

    edit_yaml(project / "data" / "claims.yml", change)


def test_each_cell_says_what_the_claim_says_of_that_column(project: Path) -> None:
    _scope(
        project,
        {
            "hipaa": {"offerings": "all", "excludes": {"providers": ["amazon"]}},
            "iso27001": {"providers": ["softlayer"]},
            "soc2": {"providers": "all", "excludes": {"offerings": ["enterprise"]}},
        },
    )
    data = load_compliance_data(project, project / "data", project / "docs", today=date(2026, 11, 28))
    matrix = scope_matrix(data.document)
    assert [o.id for o in matrix.offerings] == ["enterprise"]
    assert [p.id for p in matrix.providers] == ["softlayer", "amazon"]
    rows = {row.claim.id: row.cells for row in matrix.rows}
    # The offering's column, then the providers' (softlayer, amazon).
    assert rows == {
        "security-standards": [(0, "unstated"), (1, "unstated"), (2, "unstated")],
        "hipaa": [(0, "yes"), (1, "unstated"), (2, "no")],
        "iso27001": [(0, "unstated"), (1, "yes"), (2, "unlisted")],
        "soc2": [(0, "no"), (1, "yes"), (2, "yes")],  # excluded, where the list says nothing
    }


def test_columns_no_claim_fills_are_left_out(project: Path) -> None:
    _scope(project, {})
    data = load_compliance_data(project, project / "data", project / "docs", today=date(2026, 11, 28))
    matrix = scope_matrix(data.document)
    assert (matrix.offerings, matrix.providers) == ([], [])
    assert all(row.cells == [] for row in matrix.rows)
