"""The MkDocs edge: whatever breaks in a template, the labels or the data folder, a build stops with one
clear line naming the file (no traceback), and an unexpected failure names the file and the step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import compliance_edge
import compliance_hooks
from compliance.options import BuildOptions
from compliance.sitebuild import SiteBuild
from conftest import REPO, copy_project, run_mkdocs

EXAMPLE = "mkdocs.example.yml"  # the example organisation fills every trust page, so every template is used
EXAMPLE_DATA = "examples/harborledger/data"
BROKEN = "\n{% if %}\n"
SYNTAX = "template syntax error: Expected an expression, got 'end of statement block'"
TEMPLATES = sorted(path.relative_to(REPO).as_posix() for path in (REPO / "docs" / "_templates").glob("*.md"))
# The partials the site's own pages and footer are made with (the theme's own overrides fall back to
# the theme's templates when deleted, which is no error).
PARTIALS = [
    "overrides/partials/claim.html",
    "overrides/partials/compliance-footer.html",
    "overrides/partials/trust.html",
]


def _fails_in_one_clear_message(project: Path, *expected: str) -> str:
    result = run_mkdocs(project, config=EXAMPLE)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith(("INFO", "WARNING"))]
    text = "\n".join(errors)
    for line in expected:
        assert line in text
    return text


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_deleted_page_templates_are_each_named(example: Path) -> None:
    for template in TEMPLATES:
        (example / template).unlink()
    missing = "cannot read the template the site's pages are made from (No such file or directory)"
    text = _fails_in_one_clear_message(example, *(f"{template}:1:1: {missing}" for template in TEMPLATES))
    assert text.count(missing) == len(TEMPLATES) == 8


@pytest.mark.parametrize(
    ("partial", "message"),
    [
        ("overrides/partials/compliance-footer.html", "footer template failed:"),
        ("overrides/partials/claim.html", "page template failed:"),
    ],
)
def test_a_deleted_partial_is_named(example: Path, partial: str, message: str) -> None:
    (example / partial).unlink()
    _fails_in_one_clear_message(example, message, f"template not found: {partial.removeprefix('overrides/')}")


def _break(path: Path) -> int:
    """Append a Jinja syntax error to `path`; the line it is on."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + BROKEN, encoding="utf-8")
    return text.count("\n") + 2


@pytest.mark.parametrize("template", ["docs/_templates/claims.md", "overrides/partials/claim.html"])
def test_a_broken_page_template_is_named_at_its_line(example: Path, template: str) -> None:
    line = _break(example / template)
    _fails_in_one_clear_message(example, "page template failed:", f"{template}:{line}:1: {SYNTAX}")


def test_broken_theme_templates_are_each_named_at_their_line(example: Path) -> None:
    # The theme renders these itself, after every hook: they are parsed beforehand (on_env).
    templates = ["overrides/main.html", "overrides/partials/copyright.html"]
    lines = [_break(example / template) for template in templates]
    expected = [f"{template}:{line}:1: {SYNTAX}" for template, line in zip(templates, lines, strict=True)]
    _fails_in_one_clear_message(example, "theme templates that cannot be used:", *expected)


def test_deleted_labels_are_named(example: Path) -> None:
    # The tool's labels gone, the organisation's own (a few overrides) leave most of them missing.
    (example / "labels/en.yml").unlink()
    (example / EXAMPLE_DATA / "labels.yml").unlink()
    _fails_in_one_clear_message(
        example, "compliance data is invalid:", f"{EXAMPLE_DATA}/labels.yml:1:1: labels: required field is missing"
    )


def test_broken_labels_are_named_at_their_line(example: Path) -> None:
    labels = example / EXAMPLE_DATA / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text + "\n  : [\n", encoding="utf-8")
    line = text.count("\n") + 2  # after the blank line, at the key that has no name
    where = f"{EXAMPLE_DATA}/labels.yml:{line}:3"
    _fails_in_one_clear_message(
        example, "compliance data is invalid:", f"{where}: YAML syntax error: expected <block end>, but found ':'"
    )


def test_a_deleted_data_folder_is_named(example: Path) -> None:
    shutil.rmtree(example / EXAMPLE_DATA)
    _fails_in_one_clear_message(example, f"{EXAMPLE_DATA}:1:1: the data folder does not exist")


def _build(tmp_path: Path, **options: object) -> SiteBuild:
    return SiteBuild("build", tmp_path, tmp_path / "docs", BuildOptions(**options))  # type: ignore[arg-type]


def test_an_unexpected_failure_is_one_line_naming_the_file_and_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compliance_edge.session, "build", _build(tmp_path))

    @compliance_edge.edge("doing the step", lambda build, args, kwargs: "docs/page.md")
    def hook() -> None:
        raise KeyError("surprise\nsecond line")

    with pytest.raises(PluginError) as caught:
        hook()
    assert str(caught.value) == (
        "docs/page.md: doing the step: unexpected error (KeyError: 'surprise\\nsecond line'); "
        "run with COMPLIANCE_DEBUG=1 for the traceback"
    )


def test_the_debug_option_lets_the_traceback_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compliance_edge.session, "build", _build(tmp_path, debug=True))

    @compliance_edge.edge("doing the step", lambda build, args, kwargs: "docs/page.md")
    def hook() -> None:
        raise KeyError("surprise")

    with pytest.raises(KeyError):
        hook()


def test_hooks_outside_the_build_log_one_line_and_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compliance_edge.session, "build", _build(tmp_path))

    @compliance_edge.edge("publishing the site", lambda build, args, kwargs: "site", outside_build=True)
    def hook() -> None:
        raise OSError("disk gone")

    with pytest.raises(SystemExit) as caught:
        hook()
    assert caught.value.code == 1


def test_every_hook_runs_under_the_edge() -> None:
    hooks = [name for name in dir(compliance_hooks) if name.startswith("on_")]
    assert hooks and all(hasattr(getattr(compliance_hooks, name), "__wrapped__") for name in hooks)
