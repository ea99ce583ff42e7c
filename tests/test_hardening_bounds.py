"""Issue 29, round three: bounded work everywhere, and configuration that fails in one line.

The cases the corpus (tests/corpus/) cannot express: mkdocs.yml itself (limits, INHERIT), `make
review` and `make schema` on another configuration, the feed and the PDF. Each asserts the exact
line an editor reads, and where the input could cost time, a bound on it in CPU seconds.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.errors import ComplianceError, Location, Problem
from compliance.options import load_options
from conftest import REPO, run_mkdocs


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


# --- Many problems: each found in linear time, the first hundred listed and the rest counted ---------


def test_problems_past_the_first_hundred_are_counted_in_one_line() -> None:
    problems = [Problem(Location("data/guide.yml", 30, 16 + 8 * i), f"unknown claim 'x{i:05d}'") for i in range(101)]
    assert str(ComplianceError(problems[:100])).count("\n") == 99
    lines = str(ComplianceError(problems)).splitlines()
    assert len(lines) == 101
    assert lines[-1] == (
        "data/guide.yml:30:816: 1 more problem from here on, not listed (at most 100 are at once); "
        "fix those above and build again"
    )
    assert len(ComplianceError(problems).problems) == 101


# --- SOURCE_DATE_EPOCH in the PDF step: one line, before Chromium starts -------------------------


@pytest.mark.parametrize("epoch", ["abc", "99999999999999999999", "\u0661\u0667" + "\u0660" * 8])
def test_make_pdf_says_a_bad_source_date_epoch_in_one_line(built_site: Path, tmp_path: Path, epoch: str) -> None:
    output = tmp_path / "guide.pdf"
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks"), "SOURCE_DATE_EPOCH": epoch}
    result = subprocess.run(
        [sys.executable, "-m", "compliance.pdf", "--site", str(built_site), "--output", str(output)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: SOURCE_DATE_EPOCH: expected whole seconds since 1970 (e.g. 1700000000), got {epoch!r}\n"
    )
    assert not output.exists()
