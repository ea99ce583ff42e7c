"""The model's value types are types a checker follows: a wrong call on a claim's text fails type checking.

Each checker reads two probes in one run: one that calls a method text has, which must pass, and one
that calls a method text lacks, which must fail naming it. Were the value types `Any` again, the second
probe would pass and these tests would fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYRIGHT = REPO / "node_modules" / ".bin" / "pyright"

_PROBES = {
    "fine_probe.py": """
from compliance.model.entries import Claim


def read(claim: Claim) -> None:
    claim.title.upper()
""",
    "wrong_probe.py": """
from compliance.model.entries import Claim


def read(claim: Claim) -> None:
    claim.title.no_such_method()
""",
}


def _write_probes(folder: Path) -> Path:
    folder.mkdir()
    for name, text in _PROBES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_mypy_refuses_a_missing_method_on_a_claims_title(tmp_path: Path) -> None:
    probes = _write_probes(tmp_path / "probes")
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "--no-error-summary"]
    # The project's mypy cache is left alone: this run may overlap `make lint`.
    command += ["--cache-dir", str(tmp_path / "cache"), str(probes / "fine_probe.py"), str(probes / "wrong_probe.py")]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    errors = [line.replace(str(probes) + "/", "") for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == ['wrong_probe.py:6: error: "str" has no attribute "no_such_method"  [attr-defined]']
    assert result.returncode == 1


def test_pyright_refuses_a_missing_method_on_a_claims_title(tmp_path: Path) -> None:
    if shutil.which("node") is None or not PYRIGHT.exists():
        # CI installs it (make browser-deps), so there a missing pyright is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)("pyright needs `make browser-deps` (npm)")
    probes = _write_probes(tmp_path / "probes")
    command = [str(PYRIGHT), "--outputjson", str(probes / "fine_probe.py"), str(probes / "wrong_probe.py")]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    errors = [
        (Path(diagnostic["file"]).name, diagnostic["range"]["start"]["line"] + 1, diagnostic["message"].splitlines()[0])
        for diagnostic in report["generalDiagnostics"]
        if diagnostic["severity"] == "error"
    ]
    # pyright names the alias the model declares (Wording: a title is words, given per language), a str.
    assert errors == [("wrong_probe.py", 6, 'Cannot access attribute "no_such_method" for class "Wording"')]
    assert result.returncode == 1
