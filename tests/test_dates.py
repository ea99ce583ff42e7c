"""Dates as precise as their source: parsed, shown and compared without inventing a day."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from compliance.model.checks import claims_due
from compliance.model.data import load_compliance_data
from compliance.model.dates import PartialDate
from compliance.review import main as review
from conftest import FIXTURE_TODAY, copy_project, data_problems, edit_yaml, run_mkdocs

TODAY = date.fromisoformat(FIXTURE_TODAY)


@pytest.mark.parametrize(
    ("text", "first", "last", "words"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "February 2024"),
        ("2025-04-15", date(2025, 4, 15), date(2025, 4, 15), "15 April 2025"),
    ],
)
def test_a_date_covers_every_day_it_can_mean(text: str, first: date, last: date, words: str) -> None:
    value = PartialDate.parse(text)
    words_of = SimpleNamespace(
        locale=None,
        months=[date(2000, m, 1).strftime("%B") for m in range(1, 13)],
        month="{month} {year}",
        day="{day} {month} {year}",
    )
    assert (value.first, value.last, value.isoformat(), value.words(words_of)) == (first, last, text, words)


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30", "0000", "25-04", "2025-4", "April 2025"])
def test_impossible_or_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def _dated(tmp_path: Path, index: int, **fields: Any) -> Path:
    project = copy_project(tmp_path / "project", "dated")

    def change(d: dict[str, Any]) -> None:
        for key, value in fields.items():
            if value is None:
                d["claims"][index].pop(key, None)
            else:
                d["claims"][index][key] = value

    edit_yaml(project / "data/claims.yml", change)
    return project


def test_an_unquoted_year_is_a_year(tmp_path: Path) -> None:
    project = _dated(tmp_path, 0, issued=2025)
    data = load_compliance_data(project, project / "data", project / "docs", today=TODAY)
    assert data.document.claims[0].issued == PartialDate(2025)


def test_a_month_precise_valid_until_lasts_to_the_end_of_the_month(tmp_path: Path) -> None:
    project = _dated(tmp_path, 2, valid_until=FIXTURE_TODAY[:7])  # this month: not expired yet
    load_compliance_data(project, project / "data", project / "docs", today=TODAY)
    project = _dated(tmp_path / "b", 2, valid_until="2026-10")
    assert data_problems(project, located=False, today=TODAY) == [
        "claims[2].valid_until: claim 'soc2' expired on 2026-10; "
        "renew it with a new date, or set `status: lapsed` to publish it as lapsed"
    ]


def test_an_in_progress_claim_needs_an_expected_date(tmp_path: Path) -> None:
    project = _dated(tmp_path, 1, expected=None)
    assert data_problems(project, located=False, today=None) == [
        "claims[1].expected: an in-progress claim needs `expected:` (YYYY, YYYY-MM or YYYY-MM-DD, as precise as known)"
    ]


def test_expected_belongs_only_to_an_in_progress_claim(tmp_path: Path) -> None:
    project = _dated(tmp_path, 0, expected="2027-04")
    assert data_problems(project, located=False, today=None) == [
        "claims[0].expected: `expected` belongs only to an in-progress claim, not to status current"
    ]


@pytest.mark.parametrize("field", ["issued", "last_reviewed"])
def test_a_date_in_the_future_is_refused_where_it_records_the_past(tmp_path: Path, field: str) -> None:
    project = _dated(tmp_path, 0, **{field: "2027"})
    message = f"claims[0].{field}: 2027 is in the future (today is {FIXTURE_TODAY}); give the date it happened"
    assert data_problems(project, located=False, today=TODAY) == [message]
    # This year may still hold the day it happened: not refused.
    project = _dated(tmp_path / "b", 0, **{field: FIXTURE_TODAY[:4]})
    load_compliance_data(project, project / "data", project / "docs", today=TODAY)


def test_expected_by_a_month_builds_and_shows_the_month(tmp_path: Path) -> None:
    project = _dated(tmp_path, 1, expected="2027-04")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site/claims/pci/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2027-04">April 2027</time>' in page


def test_a_passed_expected_date_fails_the_strict_build_at_its_line(tmp_path: Path) -> None:
    project = _dated(tmp_path, 1, expected="2026-10")
    result = run_mkdocs(project)
    assert result.returncode != 0
    lines = (project / "data/claims.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "2026-10" in text)
    assert re.search(
        rf"data/claims.yml:{line}:\d+: claims\[1\].expected: claim 'pci' was expected by 2026-10 and that date has "
        r"passed; give the new expected date, or change its status",
        result.stderr,
    ), result.stderr


def test_review_lists_an_expected_date_ahead_of_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _dated(tmp_path, 1, expected="2027-01")
    args = ["--project", str(project), "--today", FIXTURE_TODAY, "--reviewed-within", "9999", "--expires-within", "40"]
    assert review(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[1] for line in out if "claims[1]" in line] == [
        "claims[1].expected: pci: is expected by 2027-01: update the date or the status"
    ]


def test_review_counts_from_the_first_day_a_date_can_mean(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "other")
    data = load_compliance_data(project, project / "data", project / "docs")
    claims = data.document.claims
    due = claims_due(claims, date(2069, 3, 20), expires_within=30, reviewed_within=365)
    assert [(claims[d.index].id, d.field) for d in due] == [("caiq", "last_reviewed"), ("privacy", "expected")]
    later = claims_due(claims, date(2069, 2, 27), expires_within=30, reviewed_within=9999999)
    assert later == []  # 2069-04 begins on 1 April: 33 days ahead


DATE_ORDER_EXPECTED = (
    "expected text with {day}, {month}, {year} once each and no other braces"
    " (no format such as {day:2}; write {{ or }} for a brace itself), got"
)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{day} {month}", f"{DATE_ORDER_EXPECTED} text '{{day}} {{month}}'"),
        ("{day} {month} {year} {hour}", DATE_ORDER_EXPECTED),
        ("{day {month} {year}", DATE_ORDER_EXPECTED),
        # str.format would obey each of these on every date: a 300-million-character padding, a repr,
        # an attribute of the value.
        ("{day:300000000} {month} {year}", DATE_ORDER_EXPECTED),
        ("{day!r} {month} {year}", DATE_ORDER_EXPECTED),
        ("{day} {month.__class__} {year}", DATE_ORDER_EXPECTED),
        ("{day} {month} {year} {0}", DATE_ORDER_EXPECTED),
        ("{{day}} {month} {year}", DATE_ORDER_EXPECTED),
    ],
)
def test_a_date_order_label_must_hold_each_part_once(tmp_path: Path, pattern: str, message: str) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/labels.yml", lambda d: d["labels"]["dates"].update(day=pattern))
    (problem,) = data_problems(project, located=False, today=None)
    assert problem.startswith(f"labels.dates.day: {message}")


def test_a_date_is_written_anew_when_any_of_its_words_changes() -> None:
    """Dates' words are kept between pages: each label they depend on is part of what they are kept by."""
    day, month = PartialDate(2026, 4, 15), PartialDate(2026, 4)
    words = {"locale": None, "months": None, "month": None, "day": None}
    said = [(day.words(SimpleNamespace(**words)), month.words(SimpleNamespace(**words)))]
    for change in ({"locale": "de"}, {"locale": "sv"}, {"day": "{month} {day}, {year}"}, {"month": "{year}/{month}"}):
        words.update(change)
        said.append((day.words(SimpleNamespace(**words)), month.words(SimpleNamespace(**words))))
    words["months"] = [f"m{n}" for n in range(1, 13)]
    said.append((day.words(SimpleNamespace(**words)), month.words(SimpleNamespace(**words))))
    assert said == [
        ("April 15, 2026", "April 2026"),
        ("15. April 2026", "April 2026"),
        ("15 april 2026", "april 2026"),
        ("april 15, 2026", "april 2026"),
        ("april 15, 2026", "2026/april"),
        ("m4 15, 2026", "2026/m4"),
    ]


def test_a_brace_itself_is_written_doubled(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/labels.yml", lambda d: d["labels"]["dates"].update(day="{{{day}}} {month} {year}"))
    labels = load_compliance_data(project, project / "data", project / "docs", today=TODAY).document.labels
    assert PartialDate(2026, 4, 15).words(labels.dates) == "{15} April 2026"


def test_dates_follow_the_labels_order(other_site: Path) -> None:
    page = (other_site / "claims/caiq/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-09-15">September 15, 2026</time>' in page
