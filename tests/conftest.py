"""Shared fixtures: a throw-away copy of the project and a real `mkdocs build`."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from compliance.errors import ComplianceError
from compliance.model.data import load_compliance_data
from standins.http_standin import HttpStandin

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = (
    "mkdocs.yml",
    "mkdocs.example.yml",
    "data",
    "docs",
    "overrides",
    "hooks",
    "examples",
    "catalogue",
    "labels",
)


DATASETS = Path(__file__).resolve().parent / "fixtures" / "datasets"
# The date fixture data sets are judged against, so their expiry dates never drift into the past.
FIXTURE_TODAY = "2026-11-28"


def copy_project(dest: Path, dataset: str | None = None) -> Path:
    """Copy what a build needs (not site/, not .venv/) into `dest`, with a fixture data set if named.

    Engine tests use a fixture data set (`tests/fixtures/datasets/NAME`); only invariant tests use the
    shipped `data/`, so that an editor's change to it never breaks them.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    if dataset is not None:
        shutil.rmtree(dest / "data")
        shutil.copytree(DATASETS / dataset, dest / "data")
    return dest


def run_mkdocs(
    project: Path, *args: str, env: dict[str, str] | None = None, config: str = "mkdocs.yml"
) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` of `project` (with its `config` file) in a subprocess."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COMPLIANCE_TODAY": FIXTURE_TODAY, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / config), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def site_labels(data_dir: Path, language: str = "en", tool_dir: Path = REPO) -> dict[str, Any]:
    """The labels a site of `data_dir` shows in `language`: the tool's (`labels/<language>.yml`), with the
    data's own over them (`labels:`, or `labels@<language>:` for a language other than its first)."""
    from compliance.model.localise import _merge

    base = yaml.safe_load((tool_dir / "labels" / f"{language}.yml").read_text(encoding="utf-8"))["labels"]
    own: dict[str, Any] = {}
    path = data_dir / "labels.yml"
    if path.is_file():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        own = document.get("labels" if language == "en" else f"labels@{language}") or {}
    merged: dict[str, Any] = _merge(base, own)
    return merged


def date_words(labels: dict[str, Any], text: str, language: str = "en") -> str:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as the site with `labels` writes it (the core's own formatting,
    whose words test_dates.py checks on their own)."""
    from compliance.model.dates import PartialDate
    from compliance.model.labels import DateLabels

    return PartialDate.parse(str(text)).words(DateLabels.model_validate({"locale": language, **labels["dates"]}))


def data_problems(project: Path, *, located: bool = True, **load_options: Any) -> list[str]:
    """The problems loading the project's data reports (it must fail), each `file:line:col: path: message`,
    or `path: message` when not `located`; `load_options` go to load_compliance_data (today, limits)."""
    with pytest.raises(ComplianceError) as caught:
        load_compliance_data(project, project / "data", project / "docs", **load_options)
    problems = [str(problem) for problem in caught.value.problems]
    return problems if located else [problem.split(": ", 1)[1] for problem in problems]


def site_differences(one: Path, other: Path) -> list[str]:
    """Files that differ between two sites (the gzipped sitemap holds the time it was written)."""
    found = []
    for path in sorted(one.rglob("*")):
        twin = other / path.relative_to(one)
        if path.is_file() and path.suffix != ".gz" and not (twin.is_file() and filecmp.cmp(path, twin, shallow=False)):
            found.append(path.relative_to(one).as_posix())
    return found + sorted(
        p.relative_to(other).as_posix() for p in other.rglob("*") if not (one / p.relative_to(other)).exists()
    )


def article_text(html: str, separator: str = " ") -> str:
    """The words of a page's article (its content, without the theme's navigation), one space apart;
    `separator` goes between the texts of its elements before the words are split."""
    article = BeautifulSoup(html, "html.parser").find("article")
    assert article is not None
    return " ".join(article.get_text(separator).split())


def edit_yaml(path: Path, change: object) -> None:
    """Load a data file, let `change(document)` modify it, write it back."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def no_proxy_variables() -> Iterator[None]:
    """Tests reach nothing but loopback stand-ins: a developer's HTTP(S)_PROXY must not send them elsewhere.

    tests/test_links_proxy.py sets them itself, pointing at its own loopback proxy.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            patch.delenv(name, raising=False)
            patch.delenv(name.upper(), raising=False)
        yield


@pytest.fixture(scope="module")
def http(request: pytest.FixtureRequest) -> Iterator[HttpStandin]:
    """One local HTTP stand-in per test module, made with the module's `HTTP_STANDIN` settings (if any)."""
    with HttpStandin(**getattr(request.module, "HTTP_STANDIN", {})) as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project with the fixture copy of the guide's data, free to edit."""
    return copy_project(tmp_path / "project", "guide")


@pytest.fixture
def shipped_project(tmp_path: Path) -> Path:
    """A fresh copy of the project with the shipped data/, free to edit."""
    return copy_project(tmp_path / "project")


def _build_once(factory: pytest.TempPathFactory, dataset: str | None) -> Path:
    project_dir = copy_project(factory.mktemp("built") / "project", dataset)
    result = run_mkdocs(project_dir)
    assert result.returncode == 0, result.stderr
    return project_dir / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide's fixture data built once, strictly, into a temporary site directory."""
    return _build_once(tmp_path_factory, "guide")


@pytest.fixture
def built_project(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the project `built_site` was built from, its site/ included, free to edit and rebuild.

    For tests that need a previous site to rebuild over: copying the session's build costs a fraction
    of a build of their own.
    """
    return Path(shutil.copytree(built_site.parent, tmp_path / "project", symlinks=True))


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data/ built once, strictly: tests over it check invariants only."""
    return _build_once(tmp_path_factory, None)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional example organisation (examples/harborledger, mkdocs.example.yml) built once, strictly."""
    project = copy_project(tmp_path_factory.mktemp("example") / "project")
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    return project / "example-site"


@pytest.fixture(scope="session")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second organisation with dates, scopes, agreements and no hosting, built once."""
    return _build_once(tmp_path_factory, "dated")


@pytest.fixture(scope="session")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another organisation whose claims state little (no scope, dates or status), no hosting, built once."""
    return _build_once(tmp_path_factory, "other")
