"""`make schema`: write the JSON Schema editors' IDEs use into the data folder, with the project's limits.

The schema is generated from the model (`model/schema.py`); the project's `extra: compliance:` options
set the data folder and the limits it states (a raised `max_id_length` raises the ids' `maxLength`).
Exit status: 0 when written, 2 when the options cannot be read or the file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .configfile import CONFIG_HELP
from .errors import ComplianceError
from .model.schema import schema_text
from .options import load_options

SCHEMA_FILE = Path("schema") / "compliance.schema.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make schema", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("-f", "--config-file", type=Path, help=CONFIG_HELP.replace("mkdocs.yml", "PROJECT/mkdocs.yml"))
    args = parser.parse_args(argv)
    project = args.config_file.parent if args.config_file else args.project
    try:
        options = load_options(project, config_file=args.config_file)
    except ComplianceError as exc:
        print(exc, file=sys.stderr)  # each line names mkdocs.yml (or the file it inherits) and the option
        return 2
    target = options.data_path(project) / SCHEMA_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema_text(options.limits), encoding="utf-8")
    except OSError as exc:
        print(f"cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
