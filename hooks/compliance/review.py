"""`make review`: list the claims and the security.txt that need the editor soon.

Claims that expire soon, are expected soon, or have not been reviewed recently, a security.txt
whose Expires date falls within the same window as the claims' expiry, and every finding of the
standards catalogue's rules that applies within that window (or already does), with the day it starts
to apply and its level; a status stated with no date is listed too.

Exit status: 0 when nothing is due, 1 when something is, 2 when the data cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from .configfile import CONFIG_HELP, docs_folder
from .errors import ComplianceError, Location, format_path
from .links.escaping import log_line, markdown_code, workflow_message, workflow_property
from .model.checks import claims_due
from .model.data import load_compliance_data
from .model.standing import standing_findings
from .model.trust import SECURITY_TXT_EXPIRES, security_txt_due
from .options import CONFIG_FILE, load_options


def main(argv: list[str] | None = None) -> int:
    """Run the review; print one `file:line:col: path: name: reason` line per finding, in file order."""
    parser = argparse.ArgumentParser(prog="make review", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("-f", "--config-file", type=Path, help=CONFIG_HELP.replace("mkdocs.yml", "PROJECT/mkdocs.yml"))
    # The defaults come from `review:` under `extra: compliance:` in mkdocs.yml (60 and 365 days).
    parser.add_argument("--expires-within", type=int, metavar="DAYS", help="default: from mkdocs.yml")
    parser.add_argument("--reviewed-within", type=int, metavar="DAYS", help="default: from mkdocs.yml")
    parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    # markdown: a job summary's section; github: an annotation on each finding's YAML line.
    parser.add_argument("--format", choices=("text", "markdown", "github"), default="text")
    # A deployment is held back by what would block a build, not by a rule set to warn.
    parser.add_argument("--blocking-only", action="store_true", help="exit 1 only for findings that are not warnings")
    args = parser.parse_args(argv)
    # Relative paths of the configuration (data_dir) count from its folder, as in the build.
    project = args.config_file.parent if args.config_file else args.project
    config = args.config_file or project / CONFIG_FILE
    try:
        options = load_options(project, config_file=config)
        docs = docs_folder(config)
    except ComplianceError as exc:
        print(exc, file=sys.stderr)  # each line names mkdocs.yml (or the file it inherits) and the option
        return 2
    try:
        data = load_compliance_data(project, options.data_path(project), docs, limits=options.limits)
    except ComplianceError as exc:
        print(render_invalid(exc, args.format, "compliance data is invalid"), end="", file=_stream(args.format))
        return 2
    claims = data.document.claims
    expires = options.review.expires_within if args.expires_within is None else args.expires_within
    reviewed = options.review.reviewed_within if args.reviewed_within is None else args.reviewed_within
    today = args.today or options.judging_day()
    found = []
    for item in claims_due(claims, today, expires_within=expires, reviewed_within=reviewed):
        where = data.sources.value(("claims", item.index, item.field))
        found.append((where, f"claims[{item.index}].{item.field}: {claims[item.index].id}: {item.reason}"))
    levels = options.rule_levels
    warned = 0
    for finding in standing_findings(claims, data.catalogue):
        level = levels[finding.rule]
        starts = finding.applies_from
        if level == "off" or (starts is not None and (starts - today).days > expires):
            continue
        warned += level == "warn"
        when = "" if starts is None else f" {'since' if starts <= today else 'from'} {starts.isoformat()}"
        where = data.sources.value(finding.path)
        found.append((where, f"{format_path(finding.path)}: rule {finding.rule} ({level}){when}: {finding.message}"))
    # Words each other language's site shows in the default one: warnings, unless the option makes them fail.
    for language in data.other_languages:
        try:
            data_dir, limits = options.data_path(project), options.limits
            local = load_compliance_data(project, data_dir, docs, limits=limits, language=language)
        except ComplianceError as exc:  # the language's own labels (labels/<lang>.yml, labels@<lang>:)
            heading = f"compliance data is invalid in '{language}'"
            print(render_invalid(exc, args.format, heading), end="", file=_stream(args.format))
            return 2
        for gap in local.missing:
            warned += options.missing_translations == "note"
            found.append((gap.location, f"{format_path(gap.path)}: no translation into '{language}' (add {gap.key})"))
    security_txt = security_txt_due(data.document.contacts, today, expires_within=expires)
    if security_txt is not None:
        where = data.sources.value(SECURITY_TXT_EXPIRES)
        found.append((where, f"{format_path(SECURITY_TXT_EXPIRES)}: security.txt: {security_txt}"))
    print(render_findings(sorted(found, key=lambda pair: pair[0]), args.format), end="")
    undated = sum(1 for c in claims if c.valid_until is None and c.last_reviewed is None and c.expected is None)
    has_security_txt = data.document.contacts is not None and data.document.contacts.security_txt is not None
    counted = f"{len(claims)} claims" + (" and security.txt" if has_security_txt else "")
    summary = f"{len(found)} due for review out of {counted}"
    print(summary + (f" ({undated} give no dates)" if undated else ""), file=sys.stderr)
    return 1 if len(found) > (warned if args.blocking_only else 0) else 0


def render_findings(found: list[tuple[Location, str]], form: str) -> str:
    """The findings as lines (`file:line:col: ...`), a Markdown list, or GitHub warnings at their lines."""
    if form == "markdown":
        items = [f"- {markdown_code(f'{where}: {line}', in_table=False)}" for where, line in found]
        return "\n".join(["### Due for review", "", *(items or ["Nothing is due."]), ""]) + "\n"
    if form == "github":
        return "".join(
            f"::warning file={workflow_property(where.file)},line={where.line},col={where.column},"
            f"title=due for review::{workflow_message(line)}\n"
            for where, line in found
        )
    return "".join(log_line(f"{where}: {line}") + "\n" for where, line in found)


def render_invalid(exc: ComplianceError, form: str, heading: str) -> str:
    """Why the data cannot be read: the error's lines, a job summary's section listing each problem, or
    an error annotation on each problem's own line (a pull request then shows it beside the YAML)."""
    if form == "markdown":
        items = [f"- {markdown_code(str(problem), in_table=False)}" for problem in exc.problems]
        return "\n".join([f"### {heading[0].upper()}{heading[1:]}", "", *items, ""]) + "\n"
    if form == "github":
        return "".join(
            f"::error file={workflow_property(p.location.file)},line={p.location.line},col={p.location.column},"
            f"title={workflow_property(heading)}::{workflow_message((p.path + ': ' if p.path else '') + p.message)}\n"
            for p in exc.problems
        )
    return f"{heading}:\n{exc}\n"


def _stream(form: str) -> TextIO:
    """Annotations and a summary's section go where the workflow reads them; plain lines to stderr."""
    return sys.stdout if form in ("markdown", "github") else sys.stderr


if __name__ == "__main__":
    sys.exit(main())
