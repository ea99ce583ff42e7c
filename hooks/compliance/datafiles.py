"""Find, read and merge the data files (`data/*.yml`) into one document with a source map.

Every file is read even when another one is broken, so an editor sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ComplianceError, Location, Problem, display_path
from .yamlload import SourceMap, load_yaml_file


@dataclass
class DataFiles:
    """The merged top-level mapping of every data file, where each value came from, and what went wrong."""

    document: dict[str, Any] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    # True when some file could not be parsed: its keys are unknown, so "missing" is not reported.
    incomplete: bool = False


def read_data_files(project_dir: Path, data_dir: Path) -> DataFiles:
    """Read every `*.yml`/`*.yaml` file directly in `data_dir` and merge their top-level keys."""
    files = sorted(data_dir.glob("*.yml")) + sorted(data_dir.glob("*.yaml"))
    if not files:
        where = Location(display_path(project_dir, data_dir), 1, 1)
        raise ComplianceError([Problem(where, "no *.yml data files")])
    result = DataFiles()
    for path in files:
        name = display_path(project_dir, path)
        value, file_sources, file_problems = load_yaml_file(path, name)
        result.problems.extend(file_problems)
        result.incomplete |= value is None and bool(file_problems)
        if value is None and not file_problems:
            result.problems.append(Problem(Location(name, 1, 1), "the file is empty; expected a mapping of keys"))
        elif value is not None and not isinstance(value, dict):
            result.problems.append(Problem(file_sources.value(()), "expected a mapping of top-level keys"))
            result.incomplete = True
        elif value is not None:
            _merge(result, value, file_sources)
    return result


def _merge(result: DataFiles, value: dict[str, Any], file_sources: SourceMap) -> None:
    for key in value:
        if key in result.document:
            first = result.sources.key((key,))
            result.problems.append(Problem(file_sources.key((key,)), f"'{key}' is already defined in {first}", key))
    for key, item in value.items():
        result.document.setdefault(key, item)
    result.sources.update(file_sources)
