"""The length of a value, the nesting of a data file and the length of a claim's id are settings.

Each is an option of `extra: compliance:` with a COMPLIANCE_MAX_* override; a lowered one refuses the
input at its place with one line naming the option, and the defaults accept the shipped data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from compliance.errors import ComplianceError
from compliance.limits import Limits
from compliance.model.data import load_compliance_data
from compliance.options import OVERRIDES, load_options, read_options
from conftest import REPO, copy_project, data_problems, run_mkdocs

HINT = "raise the limit with {} under extra: compliance: in mkdocs.yml"


def _set_option(project: Path, line: str) -> None:
    """Set one option in the project's mkdocs.yml, which writes every option out with its default."""
    config = project / "mkdocs.yml"
    option = line.split(":")[0]
    text, count = re.subn(rf"^    {option}:.*$", f"    {line}", config.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, option
    config.write_text(text, encoding="utf-8")


def test_the_defaults_are_the_former_fixed_limits_and_accept_the_shipped_data() -> None:
    options = read_options({}, {})
    assert (options.max_value_length, options.max_yaml_depth, options.max_id_length) == (20_000, 40, 100)
    limits = options.limits
    assert (limits.text_chars, limits.depth, limits.id_chars) == (20_000, 40, 100)
    data = load_compliance_data(REPO, REPO / "data", REPO / "docs", limits=limits)
    assert data.document.guide.title


def test_a_lowered_value_length_refuses_the_value_at_its_place(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    claims = project / "data" / "claims.yml"
    long_title = "A" * 6000
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("    title: HIPAA\n", f"    title: {long_title}\n", 1), encoding="utf-8")
    # The default takes it (the page is built) ...
    assert run_mkdocs(project).returncode == 0
    # ... a limit of 5,000 characters, here from the environment, refuses it in one line.
    result = run_mkdocs(project, env={"COMPLIANCE_MAX_VALUE_LENGTH": "5000"})
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "data/" in line]
    assert errors == [
        "data/claims.yml:20:12: a value of 6,000 characters, over the limit of 5,000; shorten it, or "
        + HINT.format("max_value_length")
    ]


def test_a_lowered_nesting_depth_refuses_each_file_at_its_first_place_too_deep(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    # The guide's files nest seven levels at most: a claim's access channels, a controls area's controls
    # (the file's mapping, the list, an entry, its mapping, the inner list, an item, its key).
    assert load_compliance_data(project, project / "data", project / "docs", limits=Limits(depth=7))
    _set_option(project, "max_yaml_depth: 6")
    problems = data_problems(project, limits=load_options(project, {}).limits)
    message = (
        "nested more than 6 levels deep; data files need far fewer (look for unclosed brackets or runaway "
        f"indentation), or {HINT.format('max_yaml_depth')}"
    )
    # One line per file: the file is not read past it, so it names the first place too deep.
    assert problems == [f"data/claims.yml:74:11: {message}", f"data/controls.yml:13:11: {message}"]


def test_a_lowered_id_length_refuses_a_claim_id_at_its_place(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    _set_option(project, "max_id_length: 8")
    limits = load_options(project, {}).limits
    assert data_problems(project, limits=limits) == [
        "data/claims.yml:7:9: claims[0].id: expected an id of at most 8 characters (it names the claim's page), "
        f"got 18; shorten it, or {HINT.format('max_id_length')}"
    ]
    # The same limit from the environment, where it is raised back.
    assert load_compliance_data(
        project,
        project / "data",
        project / "docs",
        limits=load_options(project, {"COMPLIANCE_MAX_ID_LENGTH": "18"}).limits,
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("max_value_length: long", "expected a whole number such as 100, got 'long'"),
        ("max_value_length: 0", "expected a whole number of at least 1, got 0"),
        (
            "max_yaml_depth: 1000",
            "expected a whole number of at most 200 (deeper nesting would exhaust Python's stack), got 1000",
        ),
        (
            "max_id_length: 300",
            "expected a whole number of at most 200 (a claim's id names a file of the site, and file names stop at "
            "255 bytes), got 300",
        ),
    ],
)
def test_a_bad_limit_is_one_line_at_its_option(tmp_path: Path, line: str, message: str) -> None:
    project = copy_project(tmp_path / "project", "guide")
    _set_option(project, line)
    with pytest.raises(ComplianceError) as caught:
        load_options(project, {})
    option = line.split(":")[0]
    line_number = next(
        n
        for n, text in enumerate((project / "mkdocs.yml").read_text("utf-8").splitlines(), 1)
        if text.strip().startswith(line)
    )
    assert str(caught.value) == f"mkdocs.yml:{line_number}:5: extra.compliance.{option}: {message}"


@pytest.mark.parametrize("option", ["max_value_length", "max_yaml_depth", "max_id_length"])
def test_a_bad_override_names_its_variable(option: str) -> None:
    variable = OVERRIDES[option]
    with pytest.raises(ComplianceError) as caught:
        read_options({}, {variable: "plenty"})
    assert (
        str(caught.value) == f"environment variable {variable}:1:1: expected a whole number such as 100, got 'plenty'"
    )


def _page_id_lengths(schema: object) -> list[int]:
    """The maxLength of every page-id node of a JSON Schema."""
    if isinstance(schema, dict):
        own = [schema["maxLength"]] if "maxLength" in schema and "not" in schema else []
        return own + [n for value in schema.values() for n in _page_id_lengths(value)]
    if isinstance(schema, list):
        return [n for value in schema for n in _page_id_lengths(value)]
    return []


def test_a_raised_id_length_is_what_the_editors_schema_says(tmp_path: Path) -> None:
    from compliance.editor_schema import main

    project = copy_project(tmp_path)
    _set_option(project, "max_id_length: 150")
    (project / "data" / "schema" / "compliance.schema.json").unlink()
    assert main(["--project", str(project)]) == 0
    written = json.loads((project / "data" / "schema" / "compliance.schema.json").read_text(encoding="utf-8"))
    assert _page_id_lengths(written) and set(_page_id_lengths(written)) == {150}
    shipped = json.loads((REPO / "data" / "schema" / "compliance.schema.json").read_text(encoding="utf-8"))
    assert set(_page_id_lengths(shipped)) == {Limits.id_chars}


def test_a_raised_id_length_is_what_the_sites_export_schema_says(shipped_site: Path) -> None:
    from compliance.render.plan import export_schema

    export = json.loads((shipped_site / "compliance.json").read_text(encoding="utf-8"))
    export["claims"][0]["id"] = "c" * 150  # what a build with max_id_length: 150 may export
    jsonschema.Draft202012Validator(export_schema(Limits(id_chars=150))).validate(export)
    with pytest.raises(jsonschema.ValidationError, match="is too long"):
        jsonschema.Draft202012Validator(export_schema()).validate(export)
    site_schema = json.loads((shipped_site / "compliance.schema.json").read_text(encoding="utf-8"))
    assert set(_page_id_lengths(site_schema)) == {Limits.id_chars}


def test_make_schema_with_unreadable_options_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.editor_schema import main

    project = copy_project(tmp_path)
    _set_option(project, "max_id_length: many")
    assert main(["--project", str(project)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "mkdocs.yml:" in error and "max_id_length" in error and "Traceback" not in error
