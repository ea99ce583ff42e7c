"""Shared fixtures: a throw-away copy of the project and a real `mkdocs build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "data", "docs", "overrides", "hooks")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (not site/, not .venv/) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def run_mkdocs(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` of `project` in a subprocess."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def edit_yaml(path: Path, change: object) -> None:
    """Load a data file, let `change(document)` modify it, write it back."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may edit freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once, strictly, into a temporary site directory."""
    root = tmp_path_factory.mktemp("built")
    project_dir = copy_project(root / "project")
    result = run_mkdocs(project_dir)
    assert result.returncode == 0, result.stderr
    return project_dir / "site"
