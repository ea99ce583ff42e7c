"""Options in mkdocs.yml (`extra: compliance:`) and the environment variables that override them."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest

from compliance import options as options_module
from compliance.errors import ComplianceError
from compliance.limits import COUNT_OPTIONS, DEFAULT_MAX_FILE_BYTES, SIZE_OPTIONS, LimitOption, Limits
from compliance.options import OVERRIDES, BuildOptions, load_options, read_options

REPO = Path(__file__).resolve().parent.parent
MKDOCS_YML = """\
site_name: Test
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  generator: false
  compliance:
    data_dir: facts
{options}"""


def _project(tmp_path: Path, options: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(options=options), encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, options: str, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ComplianceError) as caught:
        load_options(_project(tmp_path, options), environ or {})
    return str(caught.value)


def test_nothing_set_changes_nothing() -> None:
    options = read_options(None, {})
    assert options == BuildOptions()
    assert (options.data_dir, options.pdf, options.check_links, options.today, options.debug) == (
        "data",
        False,
        False,
        None,
        False,
    )
    assert options.limits == Limits(file_bytes=DEFAULT_MAX_FILE_BYTES)
    assert (options.review.expires_within, options.review.reviewed_within) == (60, 365)


def test_options_are_read_from_mkdocs_yml_past_its_python_tags(tmp_path: Path) -> None:
    text = "    pdf: true\n    max_file_size: 2M\n    today: 2026-01-31\n    review:\n      expires_within: 30\n"
    options = load_options(_project(tmp_path, text), {})
    assert options.data_path(tmp_path) == tmp_path / "facts"
    assert options.pdf is True
    assert options.limits.file_bytes == 2 * 1024 * 1024
    assert options.today == date(2026, 1, 31)
    assert (options.review.expires_within, options.review.reviewed_within) == (30, 365)


def test_an_unknown_option_is_refused_at_its_line_with_a_did_you_mean(tmp_path: Path) -> None:
    assert _error(tmp_path, "    chek_links: true\n") == (
        "mkdocs.yml:11:5: extra.compliance.chek_links: unknown option; did you mean 'check_links'?"
    )


def test_an_unknown_review_window_is_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    assert _error(tmp_path, "    review:\n      reviewed_in: 90\n") == (
        "mkdocs.yml:12:7: extra.compliance.review.reviewed_in: unknown option; did you mean 'reviewed_within'?"
    )


def test_options_of_the_wrong_type_are_all_reported_at_once(tmp_path: Path) -> None:
    text = "    pdf: maybe\n    max_file_size: lots\n    today: soon\n    review:\n      expires_within: '30'\n"
    assert _error(tmp_path, text).splitlines() == [
        "mkdocs.yml:11:5: extra.compliance.pdf: expected true or false, got 'maybe'",
        "mkdocs.yml:12:5: extra.compliance.max_file_size: expected a size such as 512K or 2M, got 'lots'",
        "mkdocs.yml:13:5: extra.compliance.today: expected a date written YYYY-MM-DD, got 'soon'",
        "mkdocs.yml:15:7: extra.compliance.review.expires_within: expected a whole number of days, got '30'",
    ]


def test_a_section_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("extra:\n  compliance: yes please\n", encoding="utf-8")
    with pytest.raises(ComplianceError) as caught:
        load_options(tmp_path, {})
    assert str(caught.value) == ("mkdocs.yml:2:3: extra.compliance: expected a mapping of options, got 'yes please'")


def test_the_environment_overrides_mkdocs_yml(tmp_path: Path) -> None:
    project = _project(tmp_path, "    pdf: true\n    check_links: false\n    today: 2026-01-31\n")
    environ = {
        "COMPLIANCE_PDF": "0",
        "CHECK_LINKS": "1",
        "CHECK_LINKS_ARGS": "--timeout 3",
        "COMPLIANCE_TODAY": "2027-02-01",
        "COMPLIANCE_MAX_FILE_SIZE": "512K",
        "COMPLIANCE_DEBUG": "1",
    }
    options = load_options(project, environ)
    assert (options.pdf, options.check_links, options.check_links_args) == (False, True, "--timeout 3")
    assert (options.today, options.limits.file_bytes, options.debug) == (date(2027, 2, 1), 512 * 1024, True)


def test_an_empty_variable_leaves_the_option_as_mkdocs_yml_sets_it(tmp_path: Path) -> None:
    options = load_options(_project(tmp_path, "    pdf: true\n"), {"COMPLIANCE_PDF": " "})
    assert options.pdf is True


@pytest.mark.parametrize("setting", ["lots", "-1", "2G", "1.5M"])
def test_an_unusable_size_override_names_the_variable(setting: str) -> None:
    with pytest.raises(ComplianceError) as caught:
        read_options({}, {"COMPLIANCE_MAX_FILE_SIZE": setting})
    assert str(caught.value) == (
        f"environment variable COMPLIANCE_MAX_FILE_SIZE:1:1: expected a size such as 512K or 2M, got {setting!r}"
    )


def test_a_bad_override_names_the_variable_not_mkdocs_yml(tmp_path: Path) -> None:
    environ = {"COMPLIANCE_TODAY": "31/01/2026", "CHECK_LINKS": "sometimes"}
    assert _error(tmp_path, "    today: 2026-01-31\n", environ).splitlines() == [
        "environment variable CHECK_LINKS:1:1: expected true or false, got 'sometimes'",
        "environment variable COMPLIANCE_TODAY:1:1: expected a date written YYYY-MM-DD, got '31/01/2026'",
    ]


def test_every_override_is_documented_in_the_options_handbook() -> None:
    handbook = (Path(__file__).resolve().parent.parent / "handbook" / "options.md").read_text(encoding="utf-8")
    table = [line for line in handbook.splitlines() if line.startswith("| `")]
    for option, variable in OVERRIDES.items():
        assert any(row.startswith(f"| `{option}` | `{variable}=") for row in table), variable


def test_make_review_takes_its_windows_from_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.review import main as review
    from conftest import FIXTURE_TODAY, copy_project

    project = copy_project(tmp_path / "project", "dated")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("expires_within: 60 ", "expires_within: 0 ").replace("365 ", "9999 ")
    config.write_text(text.replace("undated_status: warn", "undated_status: off"), encoding="utf-8")
    assert review(["--project", str(project), "--today", FIXTURE_TODAY]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "data/claims.yml:84:18: claims[4].valid_until: hipaa: expired on 2025-01-31"
    ]


def test_a_build_with_a_misspelt_option_stops_with_one_line(tmp_path: Path) -> None:
    from conftest import copy_project, run_mkdocs

    project = copy_project(tmp_path / "project", "guide")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    pdf: false", "    pfd: false"), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "pfd:" in text)
    assert (
        result.stderr == f"ERROR   -  mkdocs.yml:{line}:5: extra.compliance.pfd: unknown option; did you mean 'pdf'?\n"
    )


def test_a_build_reads_the_data_folder_that_data_dir_names(tmp_path: Path) -> None:
    from conftest import copy_project, run_mkdocs

    project = copy_project(tmp_path / "project", "guide")
    (project / "data").rename(project / "facts")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("data_dir: data ", "data_dir: facts "), "utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "Bluemix ISO 27001:2013 Certificate of Registration" in (project / "site" / "index.html").read_text("utf-8")


def test_dates_are_judged_on_the_day_in_utc_unless_today_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 on New Year's Eve in Honolulu is already New Year's Day in UTC, where security.txt's
    # Expires is written: judged on the local date, an Expires of 1 January would be published expired.
    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            utc = cls(2027, 1, 1, 9, 30, tzinfo=UTC)
            return utc.astimezone(tz) if tz is not None else cls(2026, 12, 31, 23, 30)

    monkeypatch.setattr(options_module, "datetime", Clock)
    assert BuildOptions().judging_day() == date(2027, 1, 1)
    assert BuildOptions(today=date(2026, 11, 28)).judging_day() == date(2026, 11, 28)


def test_every_limit_a_message_names_is_an_option_of_the_model() -> None:
    assert {option.value for option in LimitOption} <= set(BuildOptions.model_fields)
    assert set(SIZE_OPTIONS) | set(COUNT_OPTIONS) == set(LimitOption)


def test_every_override_names_an_option_of_the_model() -> None:
    assert set(OVERRIDES) <= set(BuildOptions.model_fields)


def test_messages_name_options_from_the_model_never_as_free_text() -> None:
    # A hint written as a string would survive an option's rename; a LimitOption member cannot.
    free = []
    for path in sorted((REPO / "hooks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "limit_hint":
                option = node.args[0]
                named = isinstance(option, ast.Attribute) and getattr(option.value, "id", None) == "LimitOption"
                if not named:
                    free.append(f"{path.relative_to(REPO)}:{node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                written = re.findall(r"\bmax_[a-z_]+(?=:| under)", node.value)
                free += [f"{path.relative_to(REPO)}:{node.lineno}: {name}" for name in written]
    assert free == []
