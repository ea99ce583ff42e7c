"""Link-check reports: a short text summary for people and CI logs, JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check import LinkOutcome
from .classify import LinkClass
from .site import InternalFailure

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2


@dataclass
class LinkReport:
    """All outcomes of one check run."""

    outcomes: list[LinkOutcome]
    internal_failures: list[InternalFailure]
    seconds: float
    strict: bool = False

    def count(self, kind: LinkClass) -> int:
        return sum(1 for o in self.outcomes if o.verdict.kind is kind)

    @property
    def failed(self) -> bool:
        """Broken links always fail; warnings fail only in strict mode."""
        broken = self.count(LinkClass.BROKEN) or self.internal_failures
        return bool(broken or (self.strict and self.count(LinkClass.WARNING)))

    @property
    def exit_code(self) -> int:
        return EXIT_BROKEN if self.failed else EXIT_OK


def render_text(report: LinkReport) -> str:
    """The summary line, then each broken link and warning with every place it is written."""
    cached = sum(1 for o in report.outcomes if o.cached)
    lines = [
        f"Checked {len(report.outcomes)} external links ({cached} from cache) in {report.seconds:.1f} s: "
        f"{report.count(LinkClass.OK)} ok, {report.count(LinkClass.WARNING)} warnings, "
        f"{report.count(LinkClass.BROKEN)} broken; {len(report.internal_failures)} broken internal links."
    ]
    for kind, label in ((LinkClass.BROKEN, "BROKEN "), (LinkClass.WARNING, "WARNING")):
        for outcome in (o for o in report.outcomes if o.verdict.kind is kind):
            lines += ["", f"{label} {outcome.url}", f"        status: {outcome.verdict.status}"]
            if outcome.verdict.advice:
                lines.append(f"        {outcome.verdict.advice}")
            if outcome.checked_url != outcome.url:
                lines.append(f"        checked as: {outcome.checked_url}")
            if outcome.final_url not in (outcome.url, outcome.checked_url):
                lines.append(f"        final URL: {outcome.final_url}")
            lines += [f"        from: {source}" for source in outcome.sources]
    for failure in report.internal_failures:
        lines += ["", f"BROKEN  internal link {failure.url}", f"        status: {failure.result}"]
        lines.append(f"        from: {failure.page}:{failure.line}")
    return "\n".join(lines) + "\n"


def write_json(report: LinkReport, path: Path) -> None:
    """Machine-readable report: one entry per URL, with its sources and attempts."""
    payload: dict[str, Any] = {
        "summary": {
            "checked": len(report.outcomes),
            "cached": sum(1 for o in report.outcomes if o.cached),
            **{kind.value: report.count(kind) for kind in (LinkClass.OK, LinkClass.WARNING, LinkClass.BROKEN)},
            "internal_broken": len(report.internal_failures),
            "seconds": round(report.seconds, 3),
            "exit_code": report.exit_code,
        },
        "links": [
            {
                "url": o.url,
                "checked_url": o.checked_url,
                "class": o.verdict.kind.value,
                "status": o.verdict.status,
                "advice": o.verdict.advice,
                "final_url": o.final_url,
                "attempts": o.attempts,
                "cached": o.cached,
                "sources": [{**vars(s), "text": str(s)} for s in o.sources],
            }
            for o in report.outcomes
        ],
        "internal": [vars(f) for f in report.internal_failures],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
