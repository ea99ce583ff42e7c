"""Checks across fields that one field's type cannot make: kinds against their labels, statuses against
their dates, and dates against today. Each problem names the YAML place to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from ..errors import Problem, format_path
from ..load.sourcemap import DataPath, SourceMap
from ..suggest import suggest
from .dates import YEARS_AHEAD, PartialDate, latest_plausible
from .document import ComplianceDocument
from .entries import Claim
from .labels import ClaimKind
from .refs import walk_model
from .trust import SECURITY_TXT_EXPIRES
from .values import ID_PATTERN


def kind_problems(raw: dict[str, Any], sources: SourceMap) -> list[Problem]:
    """Claim kinds that are neither built in nor defined under labels.kinds, from the data as read.

    Checked on the raw data, so an unknown kind is reported in the same round as any structural error.
    """
    problems: list[Problem] = []
    labels = _mapping(raw.get("labels"))
    own = _mapping(labels.get("kinds"))
    builtin = list(get_args(ClaimKind))
    for key in own:
        if key not in builtin and not (isinstance(key, str) and re.fullmatch(ID_PATTERN, key)):
            where: DataPath = ("labels", "kinds", key)
            message = f"a kind of claim is an id of lower-case letters, digits, '-' or '_', got {key!r}"
            problems.append(Problem(sources.key(where), message, format_path(where)))
    kinds = [*builtin, *(k for k in own if k not in builtin)]
    claims = raw.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else []):
        kind = _mapping(claim).get("kind")
        if isinstance(kind, str) and re.fullmatch(ID_PATTERN, kind) and kind not in kinds:
            where = ("claims", i, "kind")
            hint = suggest(kind, list(map(str, kinds)))
            own_kind = "an organisation's own kind needs a label under labels.kinds"
            message = f"unknown kind of claim '{kind}'{hint} ({own_kind})"
            problems.append(Problem(sources.value(where), message, format_path(where)))
    return problems


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def consistency_problems(document: ComplianceDocument, sources: SourceMap) -> list[Problem]:
    """Statuses whose dates contradict them."""
    problems: list[Problem] = []

    def add(where: DataPath, message: str, *, at: DataPath | None = None) -> None:
        problems.append(Problem(sources.value(at or where), message, format_path(where)))

    for i, claim in enumerate(document.claims):
        if claim.status == "in_progress" and claim.expected is None:
            add(
                ("claims", i, "expected"),
                "an in-progress claim needs `expected:` (YYYY, YYYY-MM or YYYY-MM-DD, as precise as known)",
                at=("claims", i, "status"),
            )
        if claim.expected is not None and claim.status != "in_progress":
            status = claim.status or "not stated"
            add(("claims", i, "expected"), f"`expected` belongs only to an in-progress claim, not to status {status}")
        period = claim.report_period
        if period is not None and period.start.first > period.end.last:
            add(("claims", i, "report_period", "start"), f"the report period starts ({period.start}) after it ends")
        if claim.bridge_letter is not None and period is None:
            add(("claims", i, "bridge_letter"), "a bridge letter extends a report: give the report's `report_period`")
        elif claim.bridge_letter is not None and period and claim.bridge_letter.through.last < period.end.first:
            add(
                ("claims", i, "bridge_letter", "through"),
                f"a bridge letter runs from the report period's end ({period.end}) to a later date",
            )
        problems += _exclusion_problems(i, claim, sources)
    return problems


def _exclusion_problems(i: int, claim: Claim, sources: SourceMap) -> list[Problem]:
    """A scope that both covers and excludes the same offering (or provider) says two things at once."""
    excludes = claim.scope.excludes
    problems = []
    for field in ("offerings", "providers"):
        listed = getattr(claim.scope, field)
        for j, entry in enumerate(getattr(excludes, field) if excludes else []):
            if listed == "all" or (listed is not None and any(other.id == entry.id for other in listed)):
                where: DataPath = ("claims", i, "scope", "excludes", field, j)
                said = "all" if listed == "all" else f"'{entry.id}'"
                message = f"'{entry.id}' is excluded, but scope.{field} says {said}; say it in one place"
                problems.append(Problem(sources.value(where), message, format_path(where)))
    return problems


def date_problems(
    document: ComplianceDocument, sources: SourceMap, today: date, values: Iterable[tuple[DataPath, Any]] | None = None
) -> list[Problem]:
    """Expired claims that are not marked lapsed, expected dates that passed, and dates in the future.

    `values`: the document's walk (`walk_model`), when the caller has one."""
    problems: list[Problem] = []
    for i, claim in enumerate(document.claims):
        for field, message in _date_issues(claim, today):
            where: DataPath = ("claims", i, field)
            problems.append(Problem(sources.value(where), message, format_path(where)))
        period = claim.report_period
        if period is not None and period.end.first > today:
            where = ("claims", i, "report_period", "end")
            message = f"the report period ends in the future ({period.end}); a report covers a period that has ended"
            problems.append(Problem(sources.value(where), message, format_path(where)))
    if document.guide.last_reviewed is not None and document.guide.last_reviewed.first > today:
        where = ("guide", "last_reviewed")
        problems.append(Problem(sources.value(where), _future(document.guide.last_reviewed, today), format_path(where)))
    return problems + _implausible_dates(walk_model(document) if values is None else values, sources, today)


def _implausible_dates(values: Iterable[tuple[DataPath, Any]], sources: SourceMap, today: date) -> list[Problem]:
    """Dates too far ahead to be meant (`9999` for "no end"), wherever the data holds one.

    security.txt's Expires has a nearer bound of its own (trust.py), reported there instead.
    """
    latest = latest_plausible(today)
    problems = []
    for path, value in values:
        if isinstance(value, PartialDate) and value.first > latest and path != SECURITY_TXT_EXPIRES:
            message = (
                f"{value} is more than {YEARS_AHEAD} years after today ({today.isoformat()}), which no "
                "date of a trust center is; give the real date (leave an open end out)"
            )
            problems.append(Problem(sources.value(path), message, format_path(path)))
    return problems


def _date_issues(claim: Claim, today: date) -> list[tuple[str, str]]:
    issues = []
    # Conservative: a date fails only once every day it can mean has passed (or lies ahead).
    if claim.valid_until is not None and claim.valid_until.last < today and claim.status != "lapsed":
        issues.append(
            (
                "valid_until",
                f"claim '{claim.id}' expired on {claim.valid_until}; "
                "renew it with a new date, or set `status: lapsed` to publish it as lapsed",
            )
        )
    if claim.expected is not None and claim.status == "in_progress" and claim.expected.last < today:
        issues.append(
            (
                "expected",
                f"claim '{claim.id}' was expected by {claim.expected} and that date has passed; "
                "give the new expected date, or change its status",
            )
        )
    for field in ("issued", "last_reviewed"):
        value: PartialDate | None = getattr(claim, field)
        if value is not None and value.first > today:
            issues.append((field, _future(value, today)))
    return issues


def _future(value: PartialDate, today: date) -> str:
    return f"{value} is in the future (today is {today.isoformat()}); give the date it happened"


@dataclass(frozen=True)
class Due:
    """A claim that needs the editor's attention: its position, the field to update, and why."""

    index: int
    field: str
    reason: str


def claims_due(claims: list[Claim], today: date, *, expires_within: int, reviewed_within: int) -> list[Due]:
    """Claims that expire soon, are expected soon (or were), or were not reviewed recently.

    Early rather than late: a date counts from the first day it can mean.
    """
    due = []
    for i, claim in enumerate(claims):
        if claim.valid_until is not None and (claim.valid_until.first - today).days <= expires_within:
            verb = "expired" if claim.valid_until.last < today else "expires"
            due.append(Due(i, "valid_until", f"{verb} on {claim.valid_until}"))
        expected = claim.expected if claim.status == "in_progress" else None
        if expected is not None and (expected.first - today).days <= expires_within:
            verb = "was expected by" if expected.last < today else "is expected by"
            due.append(Due(i, "expected", f"{verb} {expected}: update the date or the status"))
        if claim.last_reviewed is not None and (today - claim.last_reviewed.first).days > reviewed_within:
            reason = f"last reviewed on {claim.last_reviewed}, over {reviewed_within} days ago"
            due.append(Due(i, "last_reviewed", reason))
    return due
