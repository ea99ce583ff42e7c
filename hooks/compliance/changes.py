"""`python -m compliance.changes BASE.json HEAD.json` (`make changes`): what changed for readers between two
builds' compliance.json, as Markdown for a pull request's job summary or as plain lines.

Exit status: 0 (a change is news, not a failure), 2 when either file cannot be compared.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .publish.changes import ExportError, claim_changes, read_claims, render_markdown, render_text


def main(argv: list[str] | None = None) -> int:
    """Print the claims added, removed, or whose status, scope or dates changed."""
    parser = argparse.ArgumentParser(prog="make changes", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the base build's compliance.json")
    parser.add_argument("head", type=Path, help="the head build's compliance.json")
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    args = parser.parse_args(argv)
    try:
        changes = claim_changes(read_claims(args.base), read_claims(args.head))
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 2
    sys.stdout.write(render_markdown(changes) if args.format == "markdown" else render_text(changes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
