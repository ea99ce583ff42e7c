"""The report on standard output, in the format asked for: text, JSON, Markdown or GitHub annotations.

GitHub annotations put each failure on the line an editor changes (`data/claims.yml` line 12) in a
pull request's diff; Markdown suits a job summary or a comment.
"""

from __future__ import annotations

import json

from .check import LinkOutcome
from .escaping import markdown_code, workflow_message, workflow_property
from .failures import LinkClass
from .linkmap import LinkSource
from .report import OFFLINE, LinkReport, json_payload, render_text, summary_line

_SHOWN = ((LinkClass.BROKEN, "broken"), (LinkClass.WARNING, "warning"))


def render(report: LinkReport, form: str) -> str:
    """The whole report as text in `form` (one of cli.FORMATS)."""
    if form == "json":
        return json.dumps(json_payload(report), indent=2) + "\n"
    if form == "markdown":
        return render_markdown(report)
    if form == "github":
        return render_github(report)
    return render_text(report)


def render_markdown(report: LinkReport) -> str:
    """A summary and one table row per broken or warning link, with where each is written."""
    lines = ["## Link check", "", summary_line(report)]
    lines += [f"> warning: {markdown_code(notice, in_table=False)}" for notice in report.notices]
    if report.offline:
        lines += ["", f"> {OFFLINE}"]
    rows = [(label, o) for kind, label in _SHOWN for o in report.outcomes if o.verdict.kind is kind]
    if rows:
        lines += ["", "| class | link | status | from |", "| --- | --- | --- | --- |"]
        for label, outcome in rows:
            # Every value from outside is a code span: a server's `![x](http://evil)` shows as written.
            status = outcome.verdict.status + (f"; {outcome.verdict.advice}" if outcome.verdict.advice else "")
            sources = "<br>".join(markdown_code(str(s)) for s in outcome.sources) or "—"
            lines.append(f"| {label} | {markdown_code(outcome.url)} | {markdown_code(status)} | {sources} |")
    return "\n".join(lines) + "\n"


def render_github(report: LinkReport) -> str:
    """One workflow command per place a broken (error) or warning link is written, then the summary."""
    lines = []
    for kind, _label in _SHOWN:
        command = "error" if kind is LinkClass.BROKEN else "warning"
        for outcome in (o for o in report.outcomes if o.verdict.kind is kind):
            lines += [_annotation(command, outcome, source) for source in outcome.sources or [LinkSource("theme")]]
    lines += [f"::warning::{workflow_message(notice)}" for notice in report.notices]
    if report.offline:
        lines.append(f"::warning::{workflow_message(OFFLINE)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _annotation(command: str, outcome: LinkOutcome, source: LinkSource) -> str:
    properties = []
    if source.file:
        properties.append(f"file={workflow_property(source.file)}")
        if source.line:
            properties.append(f"line={source.line}")
        if source.column:
            properties.append(f"col={source.column}")
    properties.append(f"title={workflow_property('link ' + outcome.verdict.kind.value)}")
    message = f"{outcome.url}: {outcome.verdict.status}"
    if outcome.verdict.advice:
        message += f" ({outcome.verdict.advice})"
    if source.kind == "data" and source.field:
        message += f" [{source.field}]"
    return f"::{command} {','.join(properties)}::{workflow_message(message)}"
