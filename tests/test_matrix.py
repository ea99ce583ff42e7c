"""The compliance matrix's verdicts: "no" only where a claim excludes, "yes" where it names or says all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.model.data import load_compliance_data
from compliance.model.entries import Offering
from compliance.render.matrix import _verdicts, scope_matrix
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


COLUMN_IDS = ["a", "b", "c", "d", "e"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(COLUMN_IDS), unique=True),
    st.one_of(st.none(), st.just("all"), st.lists(st.sampled_from(COLUMN_IDS), unique=True)),
    st.lists(st.sampled_from(COLUMN_IDS), unique=True),
)
def test_a_rows_verdicts_are_each_cells_by_the_rule(columns: list[str], listed: Any, excluded: list[str]) -> None:
    """Decided a row at a time, each cell is what the rule says of it alone: "no" where excluded, else
    "not stated" where the claim says nothing, "yes" where it says all or names the column, "not listed"."""
    offerings = [Offering.model_construct(id=id_, name=id_.upper()) for id_ in columns]
    by_id = {offering.id: offering for offering in offerings}

    def entries(ids: list[str]) -> list[Offering]:  # a column's own entry, or one no column has
        return [by_id.get(id_) or Offering.model_construct(id=id_, name=id_) for id_ in ids]

    named = entries(listed) if isinstance(listed, list) else listed
    out = entries(excluded)

    def rule(column: str) -> str:
        if column in excluded:
            return "no"
        if listed is None:
            return "unstated"
        return "yes" if listed == "all" or column in listed else "unlisted"

    assert _verdicts(offerings, named, out) == [rule(column) for column in columns]
