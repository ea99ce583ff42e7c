"""`python -m compliance.changes BASE.json [HEAD.json] [-f mkdocs.yml]` (`make changes`): what changed for
readers between two builds' compliance.json (HEAD: the one in the configuration's site_dir), as Markdown
for a pull request's job summary or as plain lines.

Exit status: 0 (a change is news, not a failure), 2 when either file cannot be compared.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .configfile import CONFIG_HELP, site_folder
from .errors import ComplianceError
from .publish.changes import ExportError, claim_changes, read_claims, render_markdown, render_text
from .render.plan import EXPORT_FILE


def main(argv: list[str] | None = None) -> int:
    """Print the claims added, removed, or whose status, scope or dates changed."""
    parser = argparse.ArgumentParser(prog="make changes", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the base build's compliance.json")
    parser.add_argument(
        "head", type=Path, nargs="?", help="the head build's compliance.json (default: in the configuration's site_dir)"
    )
    parser.add_argument("-f", "--config-file", type=Path, help=CONFIG_HELP)
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    args = parser.parse_args(argv)
    try:
        head = args.head or site_folder(args.config_file) / EXPORT_FILE
        changes = claim_changes(read_claims(args.base), read_claims(head))
    except (ExportError, ComplianceError) as exc:
        print(exc, file=sys.stderr)
        return 2
    sys.stdout.write(render_markdown(changes) if args.format == "markdown" else render_text(changes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
