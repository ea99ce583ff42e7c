"""Every command that reads a configuration takes `-f` as `mkdocs` does, and works from any folder.

Run here on the example organisation's `mkdocs.example.yml` (its own data folder, `site_dir: example-site`),
from a folder that holds no mkdocs.yml, docs/ or site/; the link check excludes every external URL (in
a links.toml beside the configuration), so nothing leaves this machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_TODAY, REPO

EXAMPLE_DATA = Path("examples/harborledger/data")


@pytest.fixture(scope="module")
def example(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built example project, its pages moved to `pages/` by a configuration that says so."""
    project = Path(shutil.copytree(example_site.parent, tmp_path_factory.mktemp("example") / "project"))
    (project / "docs").rename(project / "pages")
    config = project / "pages.example.yml"
    config.write_text("INHERIT: mkdocs.example.yml\ndocs_dir: pages\n", encoding="utf-8")
    return config


def _run(module: str, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks"), "COMPLIANCE_TODAY": FIXTURE_TODAY}
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _value_place(path: Path, claim: str, field: str) -> str:
    """`line:column` of a claim's field in a claims file, read from the YAML itself."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    assert isinstance(root, yaml.MappingNode)
    (claims,) = [value for key, value in root.value if key.value == "claims"]
    for entry in claims.value:
        fields = {key.value: value for key, value in entry.value}
        if fields["id"].value == claim:
            mark = fields[field].start_mark
            return f"{mark.line + 1}:{mark.column + 1}"
    raise AssertionError(claim)


def test_review_reads_the_given_configuration_its_data_and_its_docs_dir(example: Path, tmp_path: Path) -> None:
    claims = EXAMPLE_DATA / "claims.yml"
    index = yaml.safe_load((example.parent / claims).read_text(encoding="utf-8"))["claims"]
    position = next(n for n, claim in enumerate(index) if claim["id"] == "csa-star")
    done = _run("compliance.review", "-f", example, "--today", FIXTURE_TODAY, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    place = _value_place(example.parent / claims, "csa-star", "valid_until")
    expected = f"{claims}:{place}: claims[{position}].valid_until: csa-star: expired on 2024-02-01"
    assert done.stdout.splitlines() == [expected]


def test_review_refuses_a_configuration_whose_docs_dir_is_missing(example: Path, tmp_path: Path) -> None:
    # The same data judged against docs/ (which this copy no longer has) cannot find its images.
    done = _run("compliance.review", "-f", example.parent / "mkdocs.example.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert "images/" in done.stderr


def test_schema_is_written_into_the_given_configurations_data_folder(example: Path, tmp_path: Path) -> None:
    target = example.parent / EXAMPLE_DATA / "schema" / "compliance.schema.json"
    target.unlink(missing_ok=True)
    done = _run("compliance.editor_schema", "-f", example, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"wrote {target}\n"), done.stderr
    assert "claims" in json.loads(target.read_text(encoding="utf-8"))["properties"]
    assert list(tmp_path.iterdir()) == []


def test_links_check_the_given_configurations_site_and_its_link_map(example: Path, tmp_path: Path) -> None:
    # The checker's own options are read from the links.toml beside the configuration.
    (example.parent / "links.toml").write_text('exclude = ["."]\nprogress = "never"\n', encoding="utf-8")
    done = _run("compliance.links", "-f", example, cwd=tmp_path)
    # The example's data links files and request forms under its own address that its site does not hold.
    assert done.returncode == 1, done.stderr
    broken = [line for line in done.stdout.splitlines() if line.startswith("BROKEN")]
    assert broken == [
        "BROKEN  internal link /files/encryption-whitepaper.pdf",
        "BROKEN  internal link /files/iso27001-certificate.pdf",
        "BROKEN  internal link /files/security-policy-summary.pdf",
        "BROKEN  internal link /request/soc1-bridge-letter",
        "BROKEN  internal link /request/soc2",
    ]
    site = example.parent / "example-site"
    assert f"        from: {site}/claims/soc2/index.html:" in done.stdout
    # The link map beside example-site/ names the example's YAML lines.
    assert f"        from: {EXAMPLE_DATA}/claims.yml:" in done.stdout
    assert "SKIPPED https://www.harborledger.example/\n        status: excluded by '.'" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_check_publish_and_changes_read_the_given_configurations_site(example: Path, tmp_path: Path) -> None:
    site = example.parent / "example-site"
    refused = _run("compliance.publish.siteurl", "-f", example, cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"{site}/index.html: the site's address 'https://trust.harborledger.example/'")
    same = _run("compliance.changes", site / "compliance.json", "-f", example, cwd=tmp_path)
    assert (same.returncode, same.stdout) == (0, "no claim changed for readers\n"), same.stderr
