"""mkdocs.yml read as MkDocs reads it: `INHERIT:` followed, the child's settings deep-merged over the parent's.

The commands that run without MkDocs (`make review`, `make schema`, `make pdf`, `make links`,
`make check-publish`, `make changes`) read the options and folders the build would (data folder,
docs_dir, site_dir) from here, each given its configuration with `-f` as `mkdocs` is. An INHERIT that
loops or names a file that is not a mapping of settings ends MkDocs' own loader in a traceback (a
RecursionError, a TypeError in its merge), so the Makefile checks the configuration here first:
`python -m compliance.configfile -f FILE`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ComplianceError, Location, Problem, display_path

INHERIT = "INHERIT"


@dataclass(frozen=True)
class ConfigFile:
    """The settings of a configuration and its INHERIT chain merged, and the chain's files, the given one first."""

    settings: dict[str, Any]
    files: list[Path]

    def locate(self, keys: list[str]) -> Location:
        """Where the setting at `keys` is written: in the first file of the chain that sets it, else the
        given file's start. Paths are shown relative to the given file's folder."""
        for path in self.files:
            mark = _key_mark(path, keys)
            if mark is not None:
                return Location(self._shown(path), mark.line + 1, mark.column + 1)
        return Location(self._shown(self.files[0]), 1, 1)

    def _shown(self, path: Path) -> str:
        return display_path(self.files[0].parent, path)


def read_config(path: Path) -> ConfigFile:
    """The configuration at `path` with its INHERIT chain merged as MkDocs merges it (mappings key by key,
    anything else replaced by the child's). ComplianceError, in one line naming the file, when a file of
    the chain cannot be read, is not a mapping of settings, or INHERIT is missing or loops."""
    project = path.parent
    chain: list[dict[str, Any]] = []
    files: list[Path] = []
    current = path
    while True:
        settings = _settings(current, project, inherited_by=None if current == path else files[-1])
        chain.append(settings)
        files.append(current)
        parent = settings.pop(INHERIT, None)
        if parent is None:
            break
        mark = _key_mark(current, [INHERIT])
        shown = display_path(project, current)
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        if not isinstance(parent, str) or not parent.strip():
            raise _error(where, f"{INHERIT}: expected the path of a configuration file, got {parent!r}")
        target = Path(os.path.normpath(current.parent / parent))
        if not target.is_file():
            raise _error(where, f"{INHERIT}: no configuration file {parent} at {display_path(project, target)}")
        if any(target.resolve() == seen.resolve() for seen in files):
            loop = " -> ".join(display_path(project, file) for file in [*files, target])
            raise _error(where, f"{INHERIT}: {parent} closes a loop ({loop}); a configuration cannot inherit itself")
        current = target
    merged: dict[str, Any] = {}
    for settings in reversed(chain):
        merged = _merge(merged, settings)
    return ConfigFile(merged, files)


CONFIG_HELP = "the MkDocs configuration, as for `mkdocs -f` (default: mkdocs.yml)"


def given_or_default(config_file: Path | None) -> Path | None:
    """The configuration a command reads, as `mkdocs` picks it: the one given, else mkdocs.yml in the
    current folder when there is one (None: the command falls back to its own defaults)."""
    if config_file is not None:
        return config_file
    default = Path("mkdocs.yml")
    return default if default.is_file() else None


def site_folder(config_file: Path | None) -> Path:
    """The folder MkDocs builds the configuration into: its `site_dir`, counted from the file's folder
    (the configuration given, else mkdocs.yml here; without either, `site`)."""
    config = given_or_default(config_file)
    if config is None:
        return Path("site")
    return config.parent / str(read_config(config).settings.get("site_dir") or "site")


def docs_folder(config_file: Path) -> Path:
    """The pages' folder of the configuration: its `docs_dir`, counted from the file's folder."""
    return config_file.parent / str(read_config(config_file).settings.get("docs_dir") or "docs")


def _settings(path: Path, project: Path, inherited_by: Path | None) -> dict[str, Any]:
    shown = display_path(project, path)
    try:
        value = yaml.load(path.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        raise _error(where, f"cannot read it as YAML: {exc.problem or exc.context}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        raise _error(Location(shown, 1, 1), f"cannot read it: {why}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"{type(value).__name__} {str(value)[:40]!r}"
        by = f" ({display_path(project, inherited_by)} inherits it)" if inherited_by else ""
        raise _error(Location(shown, 1, 1), f"expected a mapping of settings, as in mkdocs.yml, got {kind}{by}")
    return value


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = _merge(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def _key_mark(path: Path, keys: list[str]) -> yaml.Mark | None:
    """The position of the key at `keys` in the file, or None when the file does not set it."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    mark = None
    for key in keys:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        found = next(((k, v) for k, v in pairs if k.value == key), None)
        if found is None:
            return None
        mark, node = found[0].start_mark, found[1]
    return mark


def _error(where: Location, message: str) -> ComplianceError:
    return ComplianceError([Problem(where, message)])


class ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads past MkDocs' own tags (`!ENV`, `!!python/name:`) as empty values."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def main(argv: list[str] | None = None) -> int:
    """Check a configuration's INHERIT chain before MkDocs reads it; exit 2 with one line when it is wrong."""
    import argparse  # here: every build imports this module, and only the command parses arguments

    parser = argparse.ArgumentParser(prog="python -m compliance.configfile", description=main.__doc__)
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="default: mkdocs.yml")
    try:
        read_config(parser.parse_args(argv).config_file)
    except ComplianceError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
