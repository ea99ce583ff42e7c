"""What a claim's status rests on, and the rules that judge it against the standards catalogue.

A status never stands alone on the site: `status_basis` gives the date it rests on (valid until, the
report's period, issued, expected, last reviewed, or the end of the edition the claim names), or None
where the data states none, which the pages then say in words. `standing_findings` applies the
catalogue's facts to every claim; each finding carries the first day it applies, so a build fails only
once it does, and `make review` lists it ahead of time.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ..load.sourcemap import DataPath
from .catalogue import Window
from .catalogueload import Catalogue
from .dates import PartialDate
from .entries import Claim

# The facts a status can rest on, each a labels.facts key: the export's schema lists them.
BASIS_FACTS = ("valid_until", "bridge_letter", "period_end", "issued", "expected", "last_reviewed", "edition_until")


@dataclass(frozen=True)
class StatusBasis:
    """The date a status rests on: which fact gives it (a labels.facts key), and the source of a catalogue date."""

    fact: str
    date: PartialDate
    source: str | None = None


@dataclass(frozen=True)
class Finding:
    """A rule that judges a claim: where to fix it, from which day it applies (None: whatever the day), and why."""

    rule: str
    index: int
    path: DataPath
    applies_from: date | None
    message: str

    def applies(self, today: date) -> bool:
        return self.applies_from is None or self.applies_from <= today


def status_basis(claim: Claim, catalogue: Catalogue) -> StatusBasis | None:
    """The date the claim's status rests on, or None when its status is stated without one (or not stated).

    A current report rests on its bridge letter where it has one (which runs it on past its period),
    else on its period's end; other claims on valid until, issued or last reviewed, in that order.
    """
    if claim.status is None:
        return None
    if claim.status == "in_progress":
        return StatusBasis("expected", claim.expected) if claim.expected else None
    if claim.status == "lapsed":
        if claim.valid_until is not None:
            return StatusBasis("valid_until", claim.valid_until)
        ended = _edition_end(claim, catalogue)
        if ended is not None:
            return ended
    if claim.bridge_letter is not None and claim.status == "current":
        return StatusBasis("bridge_letter", claim.bridge_letter.through)  # what keeps an older report current
    if claim.report_period is not None:
        return StatusBasis("period_end", claim.report_period.end)
    for fact in ("valid_until", "issued", "last_reviewed"):
        value: PartialDate | None = getattr(claim, fact)
        if value is not None:
            return StatusBasis(fact, value)
    return None


def standing_findings(claims: list[Claim], catalogue: Catalogue) -> list[Finding]:
    """Every rule's finding about `claims`, whatever today is; `Finding.applies` says which hold on a day."""
    found: list[Finding] = []
    for i, claim in enumerate(claims):
        found += _editions(i, claim, catalogue)
        found += _certification(i, claim, catalogue)
        found += _freshness(i, claim, catalogue)
        found += _certificate_age(i, claim, catalogue)
        if claim.status is not None and status_basis(claim, catalogue) is None:
            found.append(
                Finding(
                    "undated_status",
                    i,
                    ("claims", i, "status"),
                    None,
                    f"claim '{claim.id}' states status {claim.status} with no date it rests on (valid_until, "
                    "report_period, issued or last_reviewed); the site says no date is stated beside it",
                )
            )
    return found


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class _Ended:
    """An edition (or a whole standard) no claim can be current against after `until`."""

    index: int
    what: str
    until: PartialDate
    note: str | None
    source: str
    field: str


def _ends(claim: Claim, catalogue: Catalogue) -> list[_Ended]:
    ends = []
    for j, item in enumerate(claim.standards):
        facts = catalogue.edition(item.standard, item.edition)
        if facts is not None and facts.current_until is not None:
            what = f"{item.standard.name} edition {item.edition}"
            ends.append(_Ended(j, what, facts.current_until, facts.note, str(facts.source), "edition"))
        entry = catalogue.entry_for(item.standard)
        gone = entry.superseded if entry else None
        if gone is not None:
            what = f"{item.standard.name} (superseded by {gone.by})"
            ends.append(_Ended(j, what, gone.current_until, gone.note, str(gone.source), "standard"))
    return ends


def _edition_end(claim: Claim, catalogue: Catalogue) -> StatusBasis | None:
    ends = [StatusBasis("edition_until", end.until, end.source) for end in _ends(claim, catalogue)]
    return min(ends, key=lambda basis: basis.date.last) if ends else None


def _editions(i: int, claim: Claim, catalogue: Catalogue) -> list[Finding]:
    if claim.status not in ("current", "in_progress"):
        return []
    found = []
    for end in _ends(claim, catalogue):
        why = f": {end.note}" if end.note else ""
        message = (
            f"claim '{claim.id}' is {claim.status} against {end.what}, which no claim can be current against after "
            f"{end.until}{why} (source: {end.source}); give the edition it holds now, or set `status: lapsed`"
        )
        path = ("claims", i, "standards", end.index, end.field)
        found.append(Finding("withdrawn_edition", i, path, end.until.last + timedelta(days=1), message))
    return found


def _certification(i: int, claim: Claim, catalogue: Catalogue) -> list[Finding]:
    if claim.kind != "certification":
        return []
    found = []
    for item in claim.standards:
        entry = catalogue.entry_for(item.standard)
        facts = entry.certification if entry else None
        if facts is None or facts.exists:
            continue
        why = f": {facts.note}" if facts.note else ""
        message = (
            f"claim '{claim.id}' is a certification of {item.standard.name}, but no certification of it "
            f"exists{why} (source: {facts.source}); change its kind to regulation, attestation, alignment "
            "or self_assessment, as the source states it"
        )
        found.append(Finding("no_certification", i, ("claims", i, "kind"), None, message))
    return found


def _shortest(claim: Claim, catalogue: Catalogue, field: str) -> tuple[str, Window] | None:
    windows = []
    for item in claim.standards:
        entry = catalogue.entry_for(item.standard)
        window: Window | None = getattr(entry, field) if entry else None
        if window is not None:
            windows.append((item.standard.name, window))
    return min(windows, key=lambda pair: pair[1].months) if windows else None


def _freshness(i: int, claim: Claim, catalogue: Catalogue) -> list[Finding]:
    period = claim.report_period
    shortest = _shortest(claim, catalogue, "report_freshness")
    if claim.status != "current" or period is None or shortest is None:
        return []
    name, window = shortest
    fresh_until = add_months(period.end.last, window.months)
    applies = fresh_until + timedelta(days=1)
    bridge = ""
    if claim.bridge_letter is not None:
        applies = max(applies, claim.bridge_letter.through.last + timedelta(days=1))
        bridge = f"; its bridge letter runs through {claim.bridge_letter.through}"
    message = (
        f"claim '{claim.id}': its report period ended {period.end}, and a {name} report is normally treated as "
        f"fresh for {window.months} months after its period ends{_sourced(window)}, so until "
        f"{fresh_until.isoformat()}{bridge}; give the new report's period, add a bridge_letter through a later "
        "date, or set `status: lapsed`"
    )
    return [Finding("stale_report", i, ("claims", i, "report_period", "end"), applies, message)]


def _certificate_age(i: int, claim: Claim, catalogue: Catalogue) -> list[Finding]:
    shortest = _shortest(claim, catalogue, "certificate_validity")
    if claim.kind != "certification" or claim.status != "current" or claim.issued is None or shortest is None:
        return []
    name, window = shortest
    cycle_end = add_months(claim.issued.last, window.months)
    cycle = f"a certificate of {name} runs at most {window.months} months from its issue{_sourced(window)}"
    if claim.valid_until is None:
        message = (
            f"claim '{claim.id}' was issued {claim.issued} and {cycle}, so until {cycle_end.isoformat()}; "
            "give the renewed certificate's issued and valid_until dates, or set `status: lapsed`"
        )
        path: DataPath = ("claims", i, "issued")
        return [Finding("certificate_age", i, path, cycle_end + timedelta(days=1), message)]
    if claim.valid_until.first > cycle_end:
        message = (
            f"claim '{claim.id}' is valid until {claim.valid_until}, but it was issued {claim.issued} and {cycle}, "
            f"so until {cycle_end.isoformat()}; check both dates against the certificate"
        )
        return [Finding("certificate_age", i, ("claims", i, "valid_until"), None, message)]
    return []


def _sourced(window: Window) -> str:
    """A window's note and source, in parentheses: ` (a three-year cycle; source: https://...)`."""
    return f" ({window.note}; source: {window.source})" if window.note else f" (source: {window.source})"
