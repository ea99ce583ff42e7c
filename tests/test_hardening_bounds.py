"""Issue 29, round three: bounded work everywhere, and configuration that fails in one line.

The cases the corpus (tests/corpus/) cannot express: mkdocs.yml itself (limits, INHERIT), `make
review` and `make schema` on another configuration, the feed and the PDF. Each asserts the exact
line an editor reads, and where the input could cost time, a bound on it in CPU seconds.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.errors import ComplianceError, Location, Problem
from compliance.options import load_options
from conftest import DATASETS, FIXTURE_TODAY, REPO, run_mkdocs


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


# --- INHERIT: loops and files that are not settings in one line; review reads what the build would ---


def _configfile(config: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks")}
    command = [sys.executable, "-m", "compliance.configfile", "-f", str(config)]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60, cwd=config.parent)


def _inherit(project: Path, target: str, config: str = "mkdocs.yml") -> None:
    path = project / config
    path.write_text(path.read_text(encoding="utf-8") + f"INHERIT: {target}\n", encoding="utf-8")


def _last_line(project: Path, config: str = "mkdocs.yml") -> int:
    return len((project / config).read_text(encoding="utf-8").splitlines())


def test_an_inherit_loop_is_one_line_naming_the_file(project: Path) -> None:
    _inherit(project, "mkdocs.yml")
    line = (
        f"mkdocs.yml:{_last_line(project)}:1: INHERIT: mkdocs.yml closes a loop (mkdocs.yml -> mkdocs.yml); "
        "a configuration cannot inherit itself"
    )
    result = _configfile(project / "mkdocs.yml")
    assert (result.returncode, result.stderr) == (2, line + "\n")
    with pytest.raises(ComplianceError) as caught:
        load_options(project, {})
    assert str(caught.value) == line


def test_a_loop_through_another_file_names_where_it_closes(project: Path) -> None:
    _inherit(project, "base.yml")
    (project / "base.yml").write_text("site_name: Base\nINHERIT: ./docs/../mkdocs.yml\n", encoding="utf-8")
    result = _configfile(project / "mkdocs.yml")
    assert (result.returncode, result.stderr) == (
        2,
        "base.yml:2:1: INHERIT: ./docs/../mkdocs.yml closes a loop (mkdocs.yml -> base.yml -> mkdocs.yml); "
        "a configuration cannot inherit itself\n",
    )


@pytest.mark.parametrize(
    ("content", "got"), [("- a\n- b\n", "a list"), ("just text\n", "str 'just text'"), ("42\n", "int '42'")]
)
def test_inheriting_a_file_that_is_not_settings_is_one_line(project: Path, content: str, got: str) -> None:
    _inherit(project, "base.yml")
    (project / "base.yml").write_text(content, encoding="utf-8")
    line = f"base.yml:1:1: expected a mapping of settings, as in mkdocs.yml, got {got} (mkdocs.yml inherits it)"
    result = _configfile(project / "mkdocs.yml")
    assert (result.returncode, result.stderr) == (2, line + "\n")
    from compliance.review import main as review

    assert review(["-f", str(project / "mkdocs.yml")]) == 2


def test_every_make_target_that_runs_mkdocs_checks_the_configuration_first() -> None:
    lines = (REPO / "Makefile").read_text(encoding="utf-8").splitlines()
    runs = [n for n, line in enumerate(lines) if "/mkdocs build" in line or "/mkdocs serve" in line]
    assert runs
    assert [lines[n] for n in runs if "$(CHECK_CONFIG)" not in lines[n - 1]] == []


def test_review_follows_inherit_to_the_data_the_build_publishes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from compliance.review import main as review

    shutil.copytree(DATASETS / "dated", project / "facts")
    # The parent names the data folder; the child inherits it and sets an option of its own beside it.
    (project / "base.yml").write_text("extra:\n  compliance:\n    data_dir: facts\n    pdf: true\n", encoding="utf-8")
    (project / "child.yml").write_text(
        "INHERIT: base.yml\nextra:\n  compliance:\n    review:\n      expires_within: 90\n", encoding="utf-8"
    )
    options = load_options(project, {}, project / "child.yml")
    assert (options.data_dir, options.pdf, options.review.expires_within) == ("facts", True, 90)
    assert review(["-f", str(project / "child.yml"), "--today", FIXTURE_TODAY, "--reviewed-within", "9999"]) == 1
    found = capsys.readouterr().out.splitlines()
    assert found and all(line.startswith("facts/claims.yml:") for line in found)


def test_make_review_reads_the_example_configuration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.review import main as review

    review(["-f", str(project / "mkdocs.example.yml"), "--today", FIXTURE_TODAY, "--expires-within", "99999"])
    found = capsys.readouterr().out.splitlines()
    assert found and all(line.startswith("examples/harborledger/data/") for line in found)


def test_an_option_set_in_the_inherited_file_is_refused_at_its_line_there(project: Path) -> None:
    (project / "base.yml").write_text("extra:\n  compliance:\n    max_data_size: 0\n", encoding="utf-8")
    (project / "child.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    with pytest.raises(ComplianceError) as caught:
        load_options(project, {}, project / "child.yml")
    assert str(caught.value) == (
        "base.yml:3:5: extra.compliance.max_data_size: expected a size of at least 1 byte, such as 512K or 2M, got 0"
    )


# --- The feed and the PDF: bounded by the number of entries ------------------------------------------


def test_the_feed_holds_the_newest_updates(built_project: Path) -> None:
    updates = [f'  - {{date: "2026-{1 + i // 28:02d}-{1 + i % 28:02d}", title: Update {i}}}' for i in range(150)]
    (built_project / "data/updates.yml").write_text("updates:\n" + "\n".join(updates) + "\n", encoding="utf-8")
    result = run_mkdocs(built_project, env={"COMPLIANCE_MAX_FEED_ENTRIES": "20"})
    assert result.returncode == 0, result.stderr
    assert (
        "INFO    -  The Atom feed holds the newest 20 of 150 updates; raise the limit with max_feed_entries "
        "under extra: compliance: in mkdocs.yml"
    ) in result.stderr.splitlines()
    feed = (built_project / "site/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 20
    assert "<title>Update 149</title>" in feed and "<title>Update 129</title>" not in feed


def test_the_pdf_refuses_a_guide_over_its_entries_before_chromium_starts(built_project: Path) -> None:
    site = built_project / "site"
    export = json.loads((site / "compliance.json").read_text(encoding="utf-8"))
    # The guide's fixture data holds 4 claims and 6 controls: with 2,000 questions, 2,010 entries.
    export["faq"] = {"questions": [{"question": f"Q{i}?", "answer": "A."} for i in range(2000)]}
    (site / "compliance.json").write_text(json.dumps(export), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks"), "CHROMIUM": "/nonexistent/chromium"}
    before = _children_cpu()
    result = subprocess.run(
        [sys.executable, "-m", "compliance.pdf", "--site", str(site), "-f", str(built_project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert _children_cpu() - before < 5
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {site}/compliance.json: the PDF would print 2,010 entries (claims, updates, FAQ questions, "
        "documents, subprocessors and controls), over the limit of 500; raise the limit with max_pdf_entries "
        "under extra: compliance: in mkdocs.yml\n"
    )
    assert not (site / "guide.pdf").exists()
