"""`make review` on data that cannot be read: every problem at its own line, in each output form.

A pull request's workflow runs the review with `--format github`; its annotations are how an editor
sees a problem beside the YAML line that holds it, so each must carry the problem's file, line and
column, and none may be dropped or merged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from compliance.review import main as review
from conftest import FIXTURE_TODAY, copy_project, data_problems, edit_yaml

ANNOTATION = re.compile(
    r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^:]+)::(?P<msg>.*)$"
)


def _two_problems(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project", "dated")

    def change(d: dict[str, Any]) -> None:
        d["claims"][0]["issued"] = "2025-13-40"
        d["claims"][1]["no_such_field"] = "x"

    edit_yaml(project / "data/claims.yml", change)
    return project


def _run(project: Path, form: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = review(["--project", str(project), "--today", FIXTURE_TODAY, "--format", form])
    out, err = capsys.readouterr()
    return status, out, err


def test_each_problem_is_an_annotation_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _two_problems(tmp_path)
    expected = data_problems(project, today=None)
    assert len(expected) >= 2
    status, out, _ = _run(project, "github", capsys)
    assert status == 2
    found = [ANNOTATION.match(line) for line in out.splitlines()]
    assert all(found), out
    places = [f"{m['file']}:{m['line']}:{m['col']}: {m['msg']}" for m in found if m]
    assert places == expected
    assert {m["title"] for m in found if m} == {"compliance data is invalid"}


def test_the_summary_lists_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _two_problems(tmp_path)
    expected = data_problems(project, today=None)
    status, out, _ = _run(project, "markdown", capsys)
    assert status == 2
    assert out.startswith("### Compliance data is invalid\n")
    items = [line for line in out.splitlines() if line.startswith("- ")]
    assert [item[2:].strip("`") for item in items] == expected


def test_plain_form_keeps_its_lines_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _two_problems(tmp_path)
    expected = data_problems(project, today=None)
    status, out, err = _run(project, "text", capsys)
    assert status == 2 and out == ""
    assert err.splitlines() == ["compliance data is invalid:", *expected]
