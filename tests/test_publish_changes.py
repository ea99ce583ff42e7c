"""What a pull request changes for readers, from the compliance.json of its base and its head."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.changes import main
from compliance.publish.changes import ChangeKind, FieldChange, claim_changes, read_claims, render_markdown
from conftest import REPO, copy_project, edit_yaml, run_mkdocs


def _head_changes(document: dict) -> None:  # type: ignore[type-arg]
    claims = document["claims"]
    pci = next(c for c in claims if c["id"] == "pci")
    soc2 = next(c for c in claims if c["id"] == "soc2")
    pci["status"] = "current"  # the attestation arrived
    pci.pop("expected")
    pci["valid_until"] = "2027-09-30"
    soc2["valid_until"] = "2027-06-30"  # a new report period
    added = copy.deepcopy(next(c for c in claims if c["id"] == "gdpr"))
    added.update(id="ccpa", title="CCPA")
    claims.append(added)


@pytest.fixture(scope="module")
def head_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dated organisation with a claim added, a status and dates changed, built."""
    project = copy_project(tmp_path_factory.mktemp("head") / "project", "dated")
    edit_yaml(project / "data/claims.yml", _head_changes)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    return project / "site/compliance.json"


def test_an_added_claim_a_status_change_and_a_date_change(dated_site: Path, head_export: Path) -> None:
    changes = claim_changes(read_claims(dated_site / "compliance.json"), read_claims(head_export))
    by_id = {change.id: change for change in changes}
    assert [(c.kind, c.id) for c in changes] == [
        (ChangeKind.CHANGED, "pci"),
        (ChangeKind.CHANGED, "soc2"),
        (ChangeKind.ADDED, "ccpa"),
    ]
    assert by_id["pci"].fields == (
        FieldChange("status", "in_progress", "current"),
        FieldChange("valid_until", None, "2027-09-30"),
        FieldChange("expected", "2027-03-01", None),
    )
    assert by_id["soc2"].fields == (FieldChange("valid_until", "2026-12-20", "2027-06-30"),)
    assert ("status", "current") in [(f.name, f.after) for f in by_id["ccpa"].fields]
    markdown = render_markdown(changes)
    assert "- **changed**: `pci` (`PCI DSS Attestation of Compliance`): status `in_progress` → `current`; " in markdown
    assert "- **changed**: `soc2` (`SOC 2 Type 2 report`): valid_until `2026-12-20` → `2027-06-30`\n" in markdown
    assert markdown.endswith("\n1 added, 0 removed, 2 changed.\n")


def test_the_same_export_changes_nothing(dated_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = str(dated_site / "compliance.json")
    assert main([export, export, "--format", "markdown"]) == 0
    assert "No claim was added or removed" in capsys.readouterr().out


def test_data_text_cannot_inject_markdown_or_workflow_commands(tmp_path: Path) -> None:
    hostile = "[x](https://evil.example) <img src=x> `tick`\n::error::owned"
    base, head = tmp_path / "base.json", tmp_path / "head.json"
    base.write_text(json.dumps({"claims": [{"id": "gone", "title": "*Old*"}]}))
    head.write_text(json.dumps({"claims": [{"id": "a|b", "title": hostile, "status": "current"}]}))
    markdown = render_markdown(claim_changes(read_claims(base), read_claims(head)))
    assert (
        "- **added**: `a|b` (``[x](https://evil.example) <img src=x> `tick`\\n::error::owned``): status `current`"
        in markdown
    )
    assert "- **removed**: `gone` (`*Old*`)\n" in markdown
    assert "\n::" not in markdown


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        (
            b'{"claims": [{"title": "no id"}]}',
            "not a compliance.json export (expected a list of claims, each with an id)",
        ),
        (b"[]", "not a compliance.json export (expected a list of claims, each with an id)"),
    ],
)
def test_a_file_that_is_not_an_export_is_named_in_one_line(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "base.json"
    bad.write_bytes(content)
    assert main([str(bad), str(bad)]) == 2
    assert capsys.readouterr().err == f"{bad}: {message}\n"


def test_the_module_runs_as_the_workflow_calls_it(dated_site: Path, head_export: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compliance.changes", str(dated_site / "compliance.json"), str(head_export)],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "hooks")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "added: ccpa (CCPA): status current" in done.stdout
