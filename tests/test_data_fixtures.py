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
import yaml

from compliance.errors import ComplianceError
from compliance.model.data import ComplianceData, load_compliance_data
from conftest import copy_project

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
VALID = sorted((FIXTURES / "valid").glob("*.yml"))


def _load_with(fixture: Path, tmp_path: Path) -> ComplianceData:
    project = copy_project(tmp_path / "project", "guide")
    target = fixture.name.split("--")[0] + ".yml"
    shutil.copy(fixture, project / "data" / target)
    return load_compliance_data(project, project / "data", project / "docs")


def _unkept(written: object, loaded: object, path: str = "") -> list[str]:
    """Where the loaded model differs from what the file wrote (values the file leaves out are not compared)."""
    if isinstance(written, dict) and isinstance(loaded, dict):
        return [p for key, value in written.items() for p in _unkept(value, loaded.get(key), f"{path}.{key}")]
    if isinstance(written, list) and isinstance(loaded, list) and len(written) == len(loaded):
        return [p for i, (w, v) in enumerate(zip(written, loaded, strict=True)) for p in _unkept(w, v, f"{path}[{i}]")]
    return [] if written == loaded else [f"{path}: wrote {written!r}, loaded {loaded!r}"]


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_invalid_data_reports_every_problem_exactly(fixture: Path, tmp_path: Path) -> None:
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").strip()
    with pytest.raises(ComplianceError) as caught:
        _load_with(fixture, tmp_path)
    assert str(caught.value) == expected


@pytest.mark.parametrize("fixture", VALID, ids=[f.stem for f in VALID])
def test_valid_data_loads_as_written(fixture: Path, tmp_path: Path) -> None:
    loaded = _load_with(fixture, tmp_path).document.model_dump(mode="json", by_alias=True)
    written = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    assert _unkept(written, loaded) == []


def test_every_invalid_fixture_has_its_expected_messages() -> None:
    assert INVALID, "no invalid fixtures found"
    missing = [f.name for f in INVALID if not f.with_suffix(".expected").is_file()]
    assert missing == []
