"""Each vocabulary (claim kinds, statuses, access levels) is declared once: labels, messages and the
schema follow from its `Literal`, and a value without a label fails at labels.yml's line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from compliance.errors import ComplianceError
from compliance.model.data import load_compliance_data
from compliance.model.entries import Claim, Scope
from compliance.model.labels import (
    AccessLabels,
    AccessLevel,
    ClaimKind,
    FactLabels,
    KindLabels,
    Labels,
    Status,
    StatusLabels,
)
from compliance.model.schema import allowed_values, published_schema
from conftest import copy_project, edit_yaml


@pytest.mark.parametrize(
    ("vocabulary", "labels"), [(ClaimKind, KindLabels), (Status, StatusLabels), (AccessLevel, AccessLabels)]
)
def test_every_value_has_exactly_one_required_label(vocabulary: Any, labels: Any) -> None:
    assert list(labels.model_fields) == list(get_args(vocabulary))
    assert all(field.is_required() for field in labels.model_fields.values())
    assert allowed_values(vocabulary) == list(get_args(vocabulary))


def test_a_kind_left_without_its_label_fails_at_labels_yml(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    # Left out of the organisation's labels, a label is the tool's own (labels/en.yml): out of both, it is missing.
    for labels in (project / "data/labels.yml", project / "labels/en.yml"):
        edit_yaml(labels, lambda d: d["labels"]["kinds"].pop("commitment"))
    with pytest.raises(ComplianceError) as caught:
        load_compliance_data(project, project / "data", project / "docs")
    lines = (project / "data/labels.yml").read_text(encoding="utf-8").splitlines()
    kinds_line = next(n for n, text in enumerate(lines, 1) if text.strip() == "kinds:") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"data/labels.yml:{kinds_line}:5: labels.kinds.commitment: required field is missing"
    ]


def test_an_unknown_status_lists_the_values_of_the_type(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(status="curent"))
    with pytest.raises(ComplianceError) as caught:
        load_compliance_data(project, project / "data", project / "docs")
    (problem,) = [str(p).split(": ", 1)[1] for p in caught.value.problems]
    expected = ", ".join(get_args(Status))
    assert problem == f"claims[0].status: expected one of {expected}, got text 'curent'; did you mean 'current'?"


def test_an_organisations_own_kind_needs_its_label_and_an_id(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(kind="national_scheme"))
    with pytest.raises(ComplianceError) as caught:
        load_compliance_data(project, project / "data", project / "docs")
    (problem,) = [str(p).split(": ", 1)[1] for p in caught.value.problems]
    assert re.fullmatch(r"claims\[0\]\.kind: unknown kind of claim 'national_scheme'.*labels\.kinds\)", problem)
    edit_yaml(project / "data/labels.yml", lambda d: d["labels"]["kinds"].update(national_scheme="National scheme"))
    data = load_compliance_data(project, project / "data", project / "docs")
    assert data.document.labels.kinds.national_scheme == "National scheme"


def test_the_editors_schema_offers_the_kinds_and_all_for_scopes() -> None:
    text = json.dumps(published_schema())
    for kind in get_args(ClaimKind):
        assert f'"{kind}"' in text
    assert '"const": "all"' in text


def test_the_editors_guide_lists_every_kind_and_status() -> None:
    guide = (Path(__file__).resolve().parent.parent / "handbook" / "editing.md").read_text(encoding="utf-8")
    for kind in get_args(ClaimKind):
        assert f"| `{kind}` |" in guide, kind
    for status in get_args(Status):
        assert f"`{status}`" in guide, status


# Claim fields a page shows without a label of their own, each with where it shows instead.
_SHOWN_WITHOUT_A_FACT_LABEL = {
    "id": "the address of the claim's page",
    "title": "the claim's heading and the words of every link to it",
    "image": "the claim's badge",
    "prose": "the claim's own words, below its facts",
}
# Scope fields shown under another group's label.
_SCOPE_LABELS = {"excludes": ("pages", "out_of_scope")}


def test_every_claim_field_has_a_label_or_a_reason_not_to() -> None:
    unlabelled = set(Claim.model_fields) - set(FactLabels.model_fields) - set(_SHOWN_WITHOUT_A_FACT_LABEL)
    assert unlabelled == set()
    # An exception for a field the claim no longer has would hide the next field of that name.
    assert set(_SHOWN_WITHOUT_A_FACT_LABEL) <= set(Claim.model_fields)


def test_every_scope_field_has_a_label() -> None:
    for field in Scope.model_fields:
        group, name = _SCOPE_LABELS.get(field, ("facts", field))
        group_model = Labels.model_fields[group].annotation
        assert isinstance(group_model, type) and issubclass(group_model, BaseModel)
        assert name in group_model.model_fields, f"scope.{field} has no label {group}.{name}"
