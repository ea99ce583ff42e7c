"""Steps of a build around the data: what it checks before loading, what it tells the editor after,
and the page templates it reads before rendering any."""

from __future__ import annotations

import logging
from pathlib import Path

from .environment import source_date
from .errors import BuildFailed, ComplianceError, Location, Problem, display_path
from .model.data import ComplianceData
from .policy import RULES

log = logging.getLogger("mkdocs.plugins.compliance")


def check_source_date_epoch() -> None:
    """BuildFailed for a SOURCE_DATE_EPOCH that is not a date (MkDocs reads it itself after this step,
    and fails with a traceback on a bad one)."""
    try:
        source_date()
    except ValueError as exc:
        raise BuildFailed(str(exc)) from None


def report_missing(data: ComplianceData, level: str) -> None:
    """Words of this language's site shown in the default language: a warning at each YAML line (the
    strict build fails), or one line (the pages mark them and `make review` lists each)."""
    if level == "warn":
        for gap in data.missing:
            log.warning("%s", gap.describe())
    elif data.missing:
        shown = f"{len(data.missing)} words of the '{data.language}' site are in '{data.default_language}'"
        log.info("%s, for want of a translation; make review lists each", shown)


def report_notices(data: ComplianceData) -> None:
    """The catalogue's `warn` findings, one line per rule: they never fail a build, strict ones included
    (MkDocs counts only warnings), and `make review` lists each at its YAML line."""
    by_rule: dict[str, list[str]] = {}
    for finding in data.notices:
        by_rule.setdefault(finding.rule, []).append(data.document.claims[finding.index].id)
    for rule, ids in by_rule.items():
        shown = ", ".join(dict.fromkeys(ids))
        log.info("compliance rule %s (warn): %s, for %s; make review lists each", rule, RULES[rule], shown)


def read_templates(project_dir: Path, docs_dir: Path, paths: list[str]) -> dict[str, str]:
    """The text of each page template under `docs_dir`, every one read before any is used, so that all
    the missing ones are named at once (BuildFailed)."""
    sources, problems = {}, []
    for path in dict.fromkeys(paths):
        template = docs_dir / path
        try:
            sources[path] = template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            where = Location(display_path(project_dir, template), 1, 1)
            problems.append(Problem(where, f"cannot read the template the site's pages are made from ({why})"))
    if problems:
        raise BuildFailed(str(ComplianceError(problems)))
    return sources
