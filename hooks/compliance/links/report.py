"""Reports of a link check: a text summary for people and CI logs, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import LinkOutcome
from .escaping import log_line, without_logins
from .failures import FailureKind, LinkClass
from .targets import Category

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
OFFLINE = "The machine looks offline: every host failed DNS; check the network and the DNS resolver, then run again."
_LABELS = ((LinkClass.BROKEN, "BROKEN "), (LinkClass.WARNING, "WARNING"), (LinkClass.SKIPPED, "SKIPPED"))


@dataclass
class LinkReport:
    """All outcomes of one check run: every link target of the site, each exactly once."""

    outcomes: list[LinkOutcome]
    seconds: float
    strict: bool = False
    notices: list[str] = field(default_factory=list)  # what the run could not use, such as a cache (one line each)

    def count(self, kind: LinkClass) -> int:
        return sum(1 for o in self.outcomes if o.verdict.kind is kind)

    def in_category(self, category: Category) -> int:
        return sum(1 for o in self.outcomes if o.category is category)

    @property
    def failed(self) -> bool:
        """Broken links always fail; warnings fail only in strict mode."""
        return bool(self.count(LinkClass.BROKEN) or (self.strict and self.count(LinkClass.WARNING)))

    @property
    def offline(self) -> bool:
        """Every link requested failed DNS: the machine has no network (or no resolver), not the links."""
        requested = [o for o in self.outcomes if o.category is Category.EXTERNAL and not o.cached and o.attempts]
        return bool(requested) and all(o.failure is FailureKind.DNS for o in requested)

    @property
    def exit_code(self) -> int:
        return EXIT_BROKEN if self.failed else EXIT_OK


def render_text(report: LinkReport) -> str:
    """The summary line, then each broken, warning and skipped link with every place it is written."""
    lines = [summary_line(report), *(f"warning: {notice}" for notice in report.notices)]
    if report.offline:
        lines.append(OFFLINE)
    for kind, label in _LABELS:
        for outcome in (o for o in report.outcomes if o.verdict.kind is kind):
            lines += ["", f"{label} {_shown(outcome)}", f"        status: {outcome.verdict.status}"]
            if outcome.verdict.advice:
                lines.append(f"        {outcome.verdict.advice}")
            if outcome.checked_url != outcome.url:
                lines.append(f"        checked as: {outcome.checked_url}")
            if outcome.final_url not in (outcome.url, outcome.checked_url):
                lines.append(f"        final URL: {outcome.final_url}")
            lines += [f"        from: {source}" for source in outcome.sources]
    # The CI log is the sink. Each line holds at most one value from outside (a server's reply, the
    # cache, the link map), so escaping the line keeps that value on it and keeps it from being a command.
    return "\n".join(log_line(line) for line in lines) + "\n"


def summary_line(report: LinkReport) -> str:
    """One line counting each category and each class, so no link goes unaccounted."""
    kinds = [f"{report.in_category(c)} {c.value}" for c in (Category.EXTERNAL, Category.MAIL, Category.INTERNAL)]
    if unusable := report.in_category(Category.BROKEN):
        kinds.append(f"{unusable} unusable")
    cached = sum(1 for o in report.outcomes if o.cached)
    warnings = report.count(LinkClass.WARNING)
    return (
        f"Checked {len(report.outcomes)} links in {report.seconds:.1f} s ({', '.join(kinds)}; {cached} from cache): "
        f"{report.count(LinkClass.OK)} ok, {warnings} warning{'s' if warnings != 1 else ''}, "
        f"{report.count(LinkClass.BROKEN)} broken, {report.count(LinkClass.SKIPPED)} skipped."
    )


def _shown(outcome: LinkOutcome) -> str:
    return f"internal link {outcome.url}" if outcome.category is Category.INTERNAL else outcome.url


def write_json(report: LinkReport, path: Path) -> None:
    """Machine-readable report in a file (see json_payload)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # No indent: only then does json use its C encoder, and a large site's report is read by tools (jq).
    path.write_text(json.dumps(json_payload(report)) + "\n", encoding="utf-8")


def json_payload(report: LinkReport) -> dict[str, Any]:
    """Machine-readable report: one entry per link target, with its sources and attempts; no URL's login."""
    payload: dict[str, Any] = _without_logins(_payload(report))
    return payload


def _without_logins(value: Any) -> Any:
    if isinstance(value, str):
        return without_logins(value)
    if isinstance(value, dict):
        return {key: _without_logins(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_logins(item) for item in value]
    return value


def _payload(report: LinkReport) -> dict[str, Any]:
    classes = (LinkClass.OK, LinkClass.WARNING, LinkClass.BROKEN, LinkClass.SKIPPED)
    payload: dict[str, Any] = {
        "summary": {
            "links": len(report.outcomes),
            **{c.value: report.in_category(c) for c in Category if c not in (Category.SKIPPED, Category.BROKEN)},
            "unusable": report.in_category(Category.BROKEN),
            "cached": sum(1 for o in report.outcomes if o.cached),
            **{kind.value: report.count(kind) for kind in classes},
            "seconds": round(report.seconds, 3),
            "exit_code": report.exit_code,
            "offline": report.offline,
        },
        "notices": report.notices,
        "links": [
            {
                "url": o.url,
                "category": o.category.value,
                "checked_url": o.checked_url,
                "class": o.verdict.kind.value,
                "failure": o.failure.value if o.failure else None,
                "status": o.verdict.status,
                "advice": o.verdict.advice,
                "final_url": o.final_url,
                "attempts": o.attempts,
                "retry_waits": o.waits,
                "cached": o.cached,
                "sources": [{**vars(s), "text": str(s)} for s in o.sources],
            }
            for o in report.outcomes
        ],
    }
    return payload
