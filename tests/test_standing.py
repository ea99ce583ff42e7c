"""The standards catalogue's rules: each finding at its YAML line, from the day it applies, at its level.

Every test runs on a small organisation of its own (the dated fixture's organisation and labels, the
shipped catalogue, and the claims written here) against a stand-in `today`, never the real date.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance.errors import ComplianceError
from compliance.model.data import finding_problem, load_compliance_data
from compliance.options import load_options
from compliance.policy import DEFAULT_LEVELS, RULES
from compliance.review import main as review
from conftest import DATASETS, FIXTURE_TODAY, REPO

CATALOGUE: dict[str, Any] = {
    entry["id"]: entry
    for entry in yaml.safe_load((REPO / "catalogue/standards.yml").read_text(encoding="utf-8"))["catalogue"]
}
STANDARDS = (
    "standards: [{id: iso27001, name: ISO/IEC 27001}, {id: soc1, name: SOC 1}, {id: soc2, name: SOC 2},\n"
    "  {id: ssae16, name: SSAE 16}, {id: hipaa, name: HIPAA}, {id: gdpr, name: GDPR}]\n"
)
MKDOCS_YML = "site_name: Standing\nextra:\n  compliance:\n    data_dir: data\n"


def standing_project(tmp_path: Path, claims: str, **files: str) -> Path:
    """A project of its own: the shipped catalogue, the dated fixture's organisation and labels, `claims`."""
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "docs").mkdir()
    shutil.copytree(REPO / "catalogue", project / "catalogue")
    for name in ("organisation.yml", "labels.yml"):
        shutil.copy(DATASETS / "dated" / name, project / "data" / name)
    texts = {"guide": "guide:\n  title: Standing\n", "standards": STANDARDS, "claims": claims, **files}
    for name, text in texts.items():
        (project / "data" / f"{name}.yml").write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return project


def at(project: Path, needle: str, file: str = "claims") -> str:
    """`data/FILE.yml:LINE:COL` of the value in the one line holding `needle` (`key: value`)."""
    lines = (project / "data" / f"{file}.yml").read_text(encoding="utf-8").splitlines()
    (found,) = [(n, line) for n, line in enumerate(lines, 1) if needle in line]
    line_no, line = found
    return f"data/{file}.yml:{line_no}:{line.index(needle) + needle.index(': ') + 3}"


def outcome(project: Path, today: str, rules: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """The problems (a failed load) or else the warn-level notices, as `file:line:col: path: message` lines."""
    try:
        data = load_compliance_data(
            project, project / "data", project / "docs", today=date.fromisoformat(today), rules=rules
        )
    except ComplianceError as exc:
        return [str(problem) for problem in exc.problems], []
    return [], [str(finding_problem(notice, data.sources)) for notice in data.notices]


def sourced(entry: str, fact: str) -> str:
    """How a message names a catalogue window: its note and source, in parentheses."""
    window = CATALOGUE[entry][fact]
    return f"({window['note']}; source: {window['source']})"


def claim(id_: str, kind: str, standards: str, *fields: str, status: str = "current") -> str:
    """claims.yml with one claim: its id, kind, status and standards on lines 2 to 6, then one line per field."""
    head = [f"id: {id_}", f"kind: {kind}", f"title: {id_}", f"status: {status}", f"standards: [{standards}]"]
    return "claims:\n  - " + "".join(f"{line}\n    " for line in head + list(fields)).rstrip(" ")


def iso(edition: str) -> tuple[str, str, str]:
    return ("iso", "certification", f'{{standard: iso27001, edition: "{edition}"}}')


SOC2 = ("soc2", "attestation", "{standard: soc2}", "report_period:", '  start: "2024-09-29"', '  end: "2025-09-28"')
GDPR = ("gdpr", "regulation", "{standard: gdpr}")
REVIEWED = 'last_reviewed: "2026-06-01"'


# withdrawn_edition ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2013", "ISO/IEC 27001:2013", "27001:2013"])
def test_a_current_claim_to_a_withdrawn_edition_fails_from_the_day_after_its_end(tmp_path: Path, written: str) -> None:
    dates = ('issued: "2024-06-01"', 'valid_until: "2027-05-31"')
    project = standing_project(tmp_path, claim(*iso(written), *dates))
    facts = CATALOGUE["iso27001"]["editions"][0]  # 2013
    message = (
        f"claim 'iso' is current against ISO/IEC 27001 edition {written}, which no claim can be current against "
        f"after 2025-10-31: {facts['note']} (source: {facts['source']}); give the edition it holds now, or set "
        "`status: lapsed` [rule withdrawn_edition]"
    )
    assert outcome(project, "2025-10-31") == ([], [])
    where = at(project, f'edition: "{written}"')
    assert outcome(project, "2025-11-01") == ([f"{where}: claims[0].standards[0].edition: {message}"], [])


def test_the_current_edition_and_a_lapsed_claim_to_the_old_one_are_silent(tmp_path: Path) -> None:
    project = standing_project(tmp_path / "a", claim(*iso("2022"), 'issued: "2025-06-01"'))
    assert outcome(project, FIXTURE_TODAY) == ([], [])
    lapsed = claim(*iso("2013"), status="lapsed")
    assert outcome(standing_project(tmp_path / "b", lapsed), FIXTURE_TODAY) == ([], [])


def test_a_superseded_standard_fails_at_the_standard_from_the_day_after(tmp_path: Path) -> None:
    ssae = claim("ssae", "attestation", "{standard: ssae16}", 'last_reviewed: "2016-05-01"')
    project = standing_project(tmp_path, ssae)
    gone = CATALOGUE["ssae16"]["superseded"]
    assert outcome(project, "2017-04-30") == ([], [])
    (problem,), _ = outcome(project, "2017-05-01")
    assert problem == (
        f"{at(project, 'standard: ssae16')}: claims[0].standards[0].standard: claim 'ssae' is current against "
        f"SSAE 16 (superseded by SSAE 18), which no claim can be current against after 2017-04-30: {gone['note']} "
        f"(source: {gone['source']}); give the edition it holds now, or set `status: lapsed` [rule withdrawn_edition]"
    )


# no_certification -------------------------------------------------------------------------------------


def test_a_certification_of_a_standard_that_has_none_fails_at_its_kind(tmp_path: Path) -> None:
    project = standing_project(tmp_path / "a", claim("hipaa", "regulation", "{standard: hipaa}", REVIEWED))
    assert outcome(project, FIXTURE_TODAY) == ([], [])
    project = standing_project(tmp_path / "b", claim("hipaa", "certification", "{standard: hipaa}", REVIEWED))
    facts = CATALOGUE["hipaa"]["certification"]
    message = (
        f"claim 'hipaa' is a certification of HIPAA, but no certification of it exists: {facts['note']} (source: "
        f"{facts['source']}); change its kind to regulation, attestation, alignment or self_assessment, as the "
        "source states it [rule no_certification]"
    )
    assert outcome(project, FIXTURE_TODAY) == ([f"{at(project, 'kind: certification')}: claims[0].kind: {message}"], [])


# stale_report -----------------------------------------------------------------------------------------

STALE = (
    "claim 'soc2': its report period ended 2025-09-28, and a SOC 2 report is normally treated as fresh for 12 "
    f"months after its period ends {sourced('soc2', 'report_freshness')}, so until 2026-09-28{{bridge}}; give the "
    "new report's period, add a bridge_letter through a later date, or set `status: lapsed` [rule stale_report]"
)


def test_a_report_whose_period_ended_14_months_ago_is_stale_from_the_day_after_its_window(tmp_path: Path) -> None:
    project = standing_project(tmp_path, claim(*SOC2))
    expected = f"{at(project, 'end: ')}: claims[0].report_period.end: {STALE.format(bridge='')}"
    assert outcome(project, "2026-09-28") == ([], [])
    assert outcome(project, "2026-09-29") == ([expected], [])
    assert outcome(project, FIXTURE_TODAY) == ([expected], [])


def test_a_bridge_letter_through_a_later_date_keeps_the_report_fresh_until_it_ends(tmp_path: Path) -> None:
    project = standing_project(tmp_path, claim(*SOC2, 'bridge_letter: {through: "2026-12-31"}'))
    assert outcome(project, FIXTURE_TODAY) == ([], [])
    assert outcome(project, "2026-12-31") == ([], [])
    bridge = "; its bridge letter runs through 2026-12-31"
    expected = f"{at(project, 'end: ')}: claims[0].report_period.end: {STALE.format(bridge=bridge)}"
    assert outcome(project, "2027-01-01") == ([expected], [])


# certificate_age --------------------------------------------------------------------------------------

CYCLE = (
    "a certificate of ISO/IEC 27001 runs at most 36 months from its issue "
    f"{sourced('iso27001', 'certificate_validity')}"
)


def test_a_certificate_issued_37_months_ago_without_valid_until_is_too_old(tmp_path: Path) -> None:
    project = standing_project(tmp_path, claim(*iso("2022"), 'issued: "2023-10-28"'))
    message = (
        f"claim 'iso' was issued 2023-10-28 and {CYCLE}, so until 2026-10-28; give the renewed certificate's "
        "issued and valid_until dates, or set `status: lapsed` [rule certificate_age]"
    )
    expected = f"{at(project, 'issued: ')}: claims[0].issued: {message}"
    assert outcome(project, "2026-10-28") == ([], [])
    assert outcome(project, "2026-10-29") == ([expected], [])
    assert outcome(project, FIXTURE_TODAY) == ([expected], [])


@pytest.mark.parametrize(("valid_until", "fires"), [("2028-01-10", False), ("2028-01-11", True), ("2028-02", True)])
def test_a_valid_until_beyond_the_certification_cycle_fails_at_valid_until(
    tmp_path: Path, valid_until: str, fires: bool
) -> None:
    dates = ('issued: "2025-01-10"', f'valid_until: "{valid_until}"')
    project = standing_project(tmp_path, claim(*iso("2022"), *dates))
    message = (
        f"claim 'iso' is valid until {valid_until}, but it was issued 2025-01-10 and {CYCLE}, so until 2028-01-10; "
        "check both dates against the certificate [rule certificate_age]"
    )
    expected = [f"{at(project, 'valid_until: ')}: claims[0].valid_until: {message}"] if fires else []
    assert outcome(project, FIXTURE_TODAY) == (expected, [])


# undated_status, and every rule's level --------------------------------------------------------------

UNDATED = (
    "data/claims.yml:5:13: claims[0].status: claim 'gdpr' states status current with no date it rests on "
    "(valid_until, report_period, issued or last_reviewed); the site says no date is stated beside it "
    "[rule undated_status]"
)


def test_an_undated_current_status_is_a_notice_not_a_problem(tmp_path: Path) -> None:
    project = standing_project(tmp_path, claim(*GDPR))
    assert outcome(project, FIXTURE_TODAY) == ([], [UNDATED])
    assert outcome(project, FIXTURE_TODAY, {"undated_status": "block"}) == ([UNDATED], [])
    assert outcome(project, FIXTURE_TODAY, {"undated_status": "off"}) == ([], [])
    dated = standing_project(tmp_path / "b", claim(*GDPR, REVIEWED))
    assert outcome(dated, FIXTURE_TODAY) == ([], [])


@pytest.mark.parametrize("level", ["block", "warn", "off"])
def test_a_rule_s_level_decides_whether_its_finding_fails_the_load(tmp_path: Path, level: str) -> None:
    project = standing_project(tmp_path, claim(*SOC2))
    line = f"{at(project, 'end: ')}: claims[0].report_period.end: {STALE.format(bridge='')}"
    expected = {"block": ([line], []), "warn": ([], [line]), "off": ([], [])}[level]
    assert outcome(project, FIXTURE_TODAY, {"stale_report": level}) == expected


# Levels in mkdocs.yml ---------------------------------------------------------------------------------


def _levels(tmp_path: Path, rules: str) -> dict[str, str] | str:
    """The rules' levels that `rules:` lines in mkdocs.yml give, or the error it stops with."""
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML + "    rules:\n" + rules, encoding="utf-8")
    try:
        return load_options(tmp_path, {}).rule_levels
    except ComplianceError as exc:
        return str(exc)


def test_levels_are_read_from_mkdocs_yml_with_the_defaults_for_the_rest(tmp_path: Path) -> None:
    assert {rule: "block" for rule in RULES} | {"undated_status": "warn"} == DEFAULT_LEVELS
    assert _levels(tmp_path, "      stale_report: warn\n") == {**DEFAULT_LEVELS, "stale_report": "warn"}
    # YAML 1.1 (which MkDocs reads too) turns a bare `off` into false: it still means off.
    assert _levels(tmp_path, "      stale_report: off\n") == {**DEFAULT_LEVELS, "stale_report": "off"}


def test_an_unknown_rule_or_level_is_one_line_naming_mkdocs_yml(tmp_path: Path) -> None:
    assert _levels(tmp_path, "      stale_reports: warn\n") == (
        "mkdocs.yml:6:7: extra.compliance.rules.stale_reports: unknown option; did you mean 'stale_report'?"
    )
    assert _levels(tmp_path, "      withdrawn_edition: warning\n") == (
        "mkdocs.yml:6:7: extra.compliance.rules.withdrawn_edition: expected block, warn or off, got 'warning'; "
        "did you mean 'warn'?"
    )


# make review -------------------------------------------------------------------------------------------


# The report is stale from 2026-09-29: listed 60 days ahead ("from"), and from that day on ("since").
@pytest.mark.parametrize(
    ("today", "listed"), [("2026-07-30", ""), ("2026-07-31", "from"), ("2026-09-29", "since"), ("2027-03-01", "since")]
)
def test_review_lists_a_finding_ahead_of_its_day_within_the_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: str, listed: str
) -> None:
    project = standing_project(tmp_path, claim(*SOC2))
    status = review(["--project", str(project), "--today", today, "--expires-within", "60"])
    out = capsys.readouterr().out.splitlines()
    message = STALE.format(bridge="").removesuffix(" [rule stale_report]")
    line = (
        f"{at(project, 'end: ')}: claims[0].report_period.end: rule stale_report (block) {listed} 2026-09-29: {message}"
    )
    assert (out, status) == (([line], 1) if listed else ([], 0))


def test_review_lists_warn_and_undated_findings_and_leaves_off_ones_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = standing_project(tmp_path, claim(*GDPR))
    assert review(["--project", str(project), "--today", FIXTURE_TODAY]) == 1
    undated = UNDATED.removesuffix(" [rule undated_status]").replace(
        "status: claim", "status: rule undated_status (warn): claim"
    )
    assert capsys.readouterr().out.splitlines() == [undated]
    (project / "mkdocs.yml").write_text(MKDOCS_YML + "    rules:\n      undated_status: off\n", encoding="utf-8")
    assert review(["--project", str(project), "--today", FIXTURE_TODAY]) == 0
    assert capsys.readouterr().out == ""


# report_period, bridge_letter and scope.excludes: consistent with themselves ------------------------------

PERIOD = 'report_period: {start: "2025-04-01", end: "2026-03-31"}'


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            ['report_period: {start: "2026-10-01", end: "2026-03-31"}'],
            "7:28: claims[0].report_period.start: the report period starts (2026-10-01) after it ends",
        ),
        (
            ['bridge_letter: {through: "2026-12-31"}', REVIEWED],
            "7:20: claims[0].bridge_letter: a bridge letter extends a report: give the report's `report_period`",
        ),
        (
            [PERIOD, 'bridge_letter: {through: "2026-02"}'],
            "8:30: claims[0].bridge_letter.through: a bridge letter runs from the report period's end (2026-03-31) "
            "to a later date",
        ),
        (
            ['report_period: {start: "2025-12-01", end: "2026-11-29"}'],
            "7:47: claims[0].report_period.end: the report period ends in the future (2026-11-29); a report "
            "covers a period that has ended",
        ),
        (
            ["scope: {offerings: [cloud], excludes: {offerings: [onprem, cloud]}}", REVIEWED],
            "7:64: claims[0].scope.excludes.offerings[1]: 'cloud' is excluded, but scope.offerings says 'cloud'; "
            "say it in one place",
        ),
        (
            ["scope: {offerings: all, excludes: {offerings: [onprem]}}", REVIEWED],
            "7:52: claims[0].scope.excludes.offerings[0]: 'onprem' is excluded, but scope.offerings says all; "
            "say it in one place",
        ),
        (["scope: {offerings: [cloud], excludes: {offerings: [onprem]}}", REVIEWED], None),
        ([PERIOD, 'bridge_letter: {through: "2026-03-31"}'], None),
    ],
)
def test_report_period_bridge_letter_and_excludes_are_checked_at_their_line(
    tmp_path: Path, fields: list[str], problem: str | None
) -> None:
    project = standing_project(tmp_path, claim("soc1", "attestation", "{standard: soc1}", *fields))
    assert outcome(project, FIXTURE_TODAY) == ([] if problem is None else [f"data/claims.yml:{problem}"], [])
