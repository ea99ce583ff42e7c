"""Data files under tests/fixtures: each invalid one fails with exactly the expected messages.

An invalid fixture `FILE--case.yml` replaces `data/FILE.yml` in a copy of the project with the guide's
fixture data set;
`FILE--case.expected` holds the full error text, one `file:line:col: path: message` per line.
A valid fixture replaces its data file and must load without a problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compliance.errors import ComplianceError
from compliance.model.data import load_compliance_data
from conftest import copy_project

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
VALID = sorted((FIXTURES / "valid").glob("*.yml"))


def _load_with(fixture: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    target = fixture.name.split("--")[0] + ".yml"
    shutil.copy(fixture, project / "data" / target)
    load_compliance_data(project, project / "data", project / "docs")


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_invalid_data_reports_every_problem_exactly(fixture: Path, tmp_path: Path) -> None:
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").strip()
    with pytest.raises(ComplianceError) as caught:
        _load_with(fixture, tmp_path)
    assert str(caught.value) == expected


@pytest.mark.parametrize("fixture", VALID, ids=[f.stem for f in VALID])
def test_valid_data_loads(fixture: Path, tmp_path: Path) -> None:
    _load_with(fixture, tmp_path)


def test_every_invalid_fixture_has_its_expected_messages() -> None:
    assert INVALID, "no invalid fixtures found"
    missing = [f.name for f in INVALID if not f.with_suffix(".expected").is_file()]
    assert missing == []
