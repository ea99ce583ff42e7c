"""Issue 29, round three: bounded work everywhere, and configuration that fails in one line.

The cases the corpus (tests/corpus/) cannot express: mkdocs.yml itself (limits, INHERIT), `make
review` and `make schema` on another configuration, the feed and the PDF. Each asserts the exact
line an editor reads, and where the input could cost time, a bound on it in CPU seconds.
"""

from __future__ import annotations

import resource
import shutil
from pathlib import Path

import pytest

from compliance.errors import ComplianceError
from compliance.options import load_options
from conftest import run_mkdocs


def _set_option(project: Path, line: str, value: str, config: str = "mkdocs.yml") -> None:
    """Replace the line of mkdocs.yml that sets an option (`    max_data_size: null ...`) with `value`."""
    path = project / config
    text = path.read_text(encoding="utf-8")
    old = next(row for row in text.splitlines() if row.strip().startswith(line + ":"))
    path.write_text(text.replace(old, f"    {line}: {value}"), encoding="utf-8")


def _line_of(project: Path, option: str) -> int:
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, row in enumerate(lines, 1) if row.strip().startswith(option + ":"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- Limits that make no sense are refused in one line naming the option -----------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("max_data_size", "0", "expected a size of at least 1 byte, such as 512K or 2M, got 0"),
        ("max_data_size", "-5M", "expected a size such as 512K or 2M, got '-5M'"),
        ("max_file_size", "0", "expected a size of at least 1 byte, such as 512K or 2M, got 0"),
        ("max_file_size", "-5", "expected a size of at least 1 byte, such as 512K or 2M, got -5"),
        ("max_image_size", "0K", "expected a size of at least 1 byte, such as 512K or 2M, got 0"),
        ("max_docs_size", "²M", "expected a size such as 512K or 2M, got '²M'"),
        ("max_data_files", "'²'", "expected a whole number such as 100, got '²'"),
        ("max_nesting", "'٣'", "expected a whole number such as 100, got '٣'"),
    ],
)
def test_a_limit_that_makes_no_sense_is_refused_at_its_line(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    shutil.copy(Path(__file__).parent.parent / "mkdocs.yml", tmp_path / "mkdocs.yml")
    _set_option(tmp_path, option, value)
    with pytest.raises(ComplianceError) as caught:
        load_options(tmp_path, {})
    assert str(caught.value) == f"mkdocs.yml:{_line_of(tmp_path, option)}:5: extra.compliance.{option}: {message}"


def test_a_zero_data_size_fails_the_build_in_one_line_and_keeps_the_site(built_project: Path) -> None:
    before = (built_project / "site/index.html").read_bytes()
    _set_option(built_project, "max_data_size", "0")
    result = run_mkdocs(built_project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    line = f"mkdocs.yml:{_line_of(built_project, 'max_data_size')}:5: extra.compliance.max_data_size: "
    assert [row for row in result.stderr.splitlines() if "max_data_size" in row] == [
        f"ERROR   -  {line}expected a size of at least 1 byte, such as 512K or 2M, got 0"
    ]
    assert (built_project / "site/index.html").read_bytes() == before
