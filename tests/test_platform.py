"""An engine that skips the hooks publishes no page: the guard is in the theme and the page sources,
not in hook code (handbook/platform.md).

MkDocs itself stands in for such an engine (a configuration with `hooks: []`); ProperDocs and Zensical,
where installed (`properdocs` or `zensical` on PATH; not in the locks), are tried as they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest
import yaml

from conftest import FIXTURE_TODAY, REPO, copy_project, run_mkdocs

GUARD = "built_without_the_compliance_hooks_see_handbook_platform_md"
MARKER = "{{ requires_the_compliance_hooks() }}"


def _facts(project: Path) -> list[str]:
    """Words only the data holds: the organisation's name and every claim's title."""
    data = project / "data"
    organisation = yaml.safe_load((data / "organisation.yml").read_text(encoding="utf-8"))["organisation"]
    claims = yaml.safe_load((data / "claims.yml").read_text(encoding="utf-8"))["claims"]
    return [organisation["name"], *(claim["title"] for claim in claims)]


def _published(site: Path) -> dict[str, str]:
    if not site.is_dir():
        return {}
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".txt"}
    }


def _without_facts(site: Path, facts: list[str]) -> None:
    published = _published(site)
    assert not [name for name in published if name.endswith(".html")]
    assert [(name, fact) for name, text in published.items() for fact in facts if fact in text] == []


def test_mkdocs_without_the_hooks_stops_at_the_theme_and_publishes_no_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    config = project / "nohooks.yml"
    config.write_text("INHERIT: mkdocs.yml\nhooks: []\nsite_dir: nohooks-site\n", encoding="utf-8")
    done = run_mkdocs(project, config=config.name)
    assert done.returncode != 0
    assert f"'{GUARD}' is undefined" in done.stderr
    _without_facts(project / "nohooks-site", _facts(project))


@pytest.mark.parametrize("page", sorted((REPO / "docs").rglob("*.md")), ids=lambda p: p.name)
def test_any_other_jinja_stops_at_the_first_line_of_every_page_source(page: Path) -> None:
    # The most lenient Jinja there is (a macros plugin may use it): undefined names render as nothing, and
    # the hooks' filters pass their value through, so only the first line can stop it.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([REPO / "docs", REPO / "overrides"]), undefined=jinja2.ChainableUndefined
    )
    environment.filters.update(dict.fromkeys(("md", "prose", "when", "address"), lambda value, *args: value))
    source = page.read_text(encoding="utf-8")
    assert source.splitlines()[0] == MARKER
    with pytest.raises(jinja2.UndefinedError, match="'requires_the_compliance_hooks' is undefined"):
        environment.from_string(source).render()


def _engine(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (see handbook/platform.md)")
    return found


def _run(command: list[str], project: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COMPLIANCE_TODAY": FIXTURE_TODAY}
    return subprocess.run(
        command, cwd=project, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def test_zensical_skips_the_hooks_and_so_publishes_no_page(tmp_path: Path) -> None:
    zensical = _engine("zensical")
    project = copy_project(tmp_path / "project", "guide")
    done = _run([zensical, "build", "-f", "mkdocs.yml"], project)
    assert done.returncode != 0
    assert GUARD in done.stdout + done.stderr
    _without_facts(project / "site", _facts(project))


def test_properdocs_runs_the_hooks_and_builds_what_mkdocs_builds(built_site: Path, tmp_path: Path) -> None:
    properdocs = _engine("properdocs")
    project = copy_project(tmp_path / "project", "guide")
    done = _run([properdocs, "build", "--strict", "-f", "mkdocs.yml"], project)
    assert done.returncode == 0, done.stderr
    ours, theirs = _published(built_site), _published(project / "site")
    assert sorted(ours) == sorted(theirs)
    generator = 'name="generator" content="mkdocs-'
    differ = [
        name
        for name in ours
        if [line for line in ours[name].splitlines() if generator not in line]
        != [line for line in theirs[name].splitlines() if generator not in line]
    ]
    assert differ == []
