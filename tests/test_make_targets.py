"""The `make` targets the workflows run, run here as the workflows run them, in a copy of the project.

tests/test_workflows.py checks that every `run:` step of a workflow is one of these (or a target another
test runs), so nothing in a workflow is untested shell.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_TODAY, REPO, copy_project

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_project(dest: Path, dataset: str | None = "guide") -> Path:
    """A copy of the project with its Makefile and locks (their times kept, so the venv counts as installed)."""
    project = copy_project(dest, dataset)
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt", "requirements-bench.txt"):
        shutil.copy2(REPO / name, project / name)
    (project / ".venv").symlink_to((REPO / ".venv").resolve())
    return project


def make(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COMPLIANCE_TODAY": FIXTURE_TODAY, **(env or {})}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make site` in a copy: the strict build every workflow starts with."""
    project = make_project(tmp_path_factory.mktemp("make") / "project")
    done = make(project, "site")
    assert done.returncode == 0, done.stderr
    return project


def test_make_site_builds_strictly_with_its_security_headers(made: Path) -> None:
    assert (made / "site/index.html").is_file() and (made / "site/_headers").is_file()


def test_make_site_in_another_folder_builds_the_base_of_a_pull_request(made: Path, tmp_path: Path) -> None:
    base = make_project(tmp_path / "base-checkout", "dated")
    done = make(made, "-C", str(base), "site")  # as `make -C base-checkout site`
    assert done.returncode == 0, done.stderr
    assert (base / "site/compliance.json").is_file()


def test_make_changes_writes_the_summary_in_markdown(made: Path, tmp_path: Path) -> None:
    base = tmp_path / "compliance.json"
    base.write_text('{"claims": []}')
    done = make(made, "-s", "changes", f"BASE={base}", "ARGS=--format markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("### What changed for readers\n\n- **added**: ")
    assert "BASE=path/to/compliance.json is required" in make(made, "changes").stderr


def test_make_check_publish_refuses_the_placeholder_and_passes_the_pages_address(made: Path) -> None:
    refused = make(made, "check-publish")
    assert refused.returncode != 0 and "'https://trust.example.com/security/' is a placeholder" in refused.stderr
    built = make(made, "site", env={"COMPLIANCE_SITE_URL": "https://acme.github.io/trust/"})
    assert built.returncode == 0, built.stderr
    assert make(made, "check-publish").returncode == 0


def test_make_review_blocks_on_an_expired_claim_and_annotates_it(made: Path) -> None:
    # The guide's data has only warnings (undated statuses): they are listed, and block nothing.
    gate = make(made, "-s", "review", "DAYS=0", "ARGS=--blocking-only --format github")
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert gate.stdout.startswith("::warning file=data/claims.yml,line=")
    summary = make(made, "-s", "review", "ARGS=--format markdown")
    assert summary.stdout.startswith("### Due for review\n\n- `data/claims.yml:")
    # The example organisation's CSA STAR entry expired: that blocks.
    expired = make(made, "-s", "review", "CONFIG=mkdocs.example.yml", "DAYS=0", "ARGS=--blocking-only")
    assert expired.returncode != 0 and "csa-star: expired on 2024-02-01" in expired.stdout


def test_make_links_reports_in_markdown(made: Path) -> None:
    # --exclude everything: the guide's links are on the internet, which tests never reach.
    done = make(made, "-s", "links", "ARGS=--format markdown --progress never --no-cache --exclude .")
    assert done.returncode == 0, done.stderr
    # Every link of the site is internal or excluded, and all are fine, however many the pages hold.
    assert re.search(r"\b(\d+) ok, 0 warnings, 0 broken", done.stdout), done.stdout
    assert not done.stdout.startswith("PYTHONPATH")


@pytest.mark.skipif(not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists(), reason="needs Chromium")
def test_make_pdf_builds_strictly_and_prints(made: Path) -> None:
    done = make(made, "pdf")
    assert done.returncode == 0, done.stderr
    assert (made / "site/guide.pdf").read_bytes().startswith(b"%PDF")


def test_make_names_a_venv_made_by_another_python_instead_of_ignoring_the_choice(made: Path) -> None:
    # PYTHON chooses the interpreter that creates .venv; one made by another version is not silently kept.
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    refused = make(made, "-n", "site", "PYTHON=no-such-python")
    assert refused.returncode != 0
    assert (
        f".venv runs Python {version}, but PYTHON=no-such-python is not an interpreter found here: "
        "remove .venv to rebuild it with no-such-python." in refused.stderr
    )
    assert make(made, "-n", "site", f"PYTHON={sys.executable}").returncode == 0
