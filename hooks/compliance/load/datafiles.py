"""Find, read and merge the data files (`data/*.yml`) into one document with a source map.

Every file is read even when another one is broken, so an editor sees every problem at once;
anything that goes wrong with one file (even a bug of ours) becomes a message about that file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ComplianceError, Location, Problem
from ..limits import LimitOption, Limits, limit_hint
from .yamlload import SourceMap, load_yaml
from .yamltext import read_text_file

DEBUG_VARIABLE = "COMPLIANCE_DEBUG"
DATA_SUFFIXES = (".yml", ".yaml")
# Editor droppings that end in .yml too: Emacs locks (`.#x.yml`, often a dangling link), macOS
# resource forks (`._x.yml`), any other hidden file, backups (`x.yml~`), Vim swap files, `#x.yml#`.
_EDITOR_FILE = re.compile(r"^\.|~$|^#.*#$|\.sw[a-p]$")
EMPTY_MESSAGE = "the file is empty; expected a mapping of keys"


@dataclass
class DataFiles:
    """The merged top-level mapping of every data file, where each value came from, and what went wrong."""

    document: dict[str, Any] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    problems: list[Problem] = field(default_factory=list)
    # True when some file could not be loaded: its keys are unknown, so "missing" is not reported.
    incomplete: bool = False


def read_data_files(
    project_dir: Path, data_dir: Path, limits: Limits | None = None, *, debug: bool = False
) -> DataFiles:
    """Read every `*.yml`/`*.yaml` file directly in `data_dir` and merge their top-level keys.

    A file holding only comments adds nothing and is accepted; a file with nothing at all in
    it is reported, since that is what a failed save or copy leaves behind.
    """
    limits = limits or Limits()
    shown_dir = shown_path(project_dir, data_dir)
    if not data_dir.is_dir():
        raise ComplianceError([Problem(Location(shown_dir, 1, 1), "the data folder does not exist")])
    if not _inside(data_dir, project_dir):
        message = f"the data folder is a link to {data_dir.resolve()}, outside the project; data must live inside it"
        raise ComplianceError([Problem(Location(shown_dir, 1, 1), message)])
    try:
        names = [path for path in data_dir.iterdir() if path.suffix in DATA_SUFFIXES]
    except OSError as exc:
        raise ComplianceError(
            [Problem(Location(shown_dir, 1, 1), f"cannot list the data folder: {exc.strerror}")]
        ) from None
    files = sorted(
        (path for path in names if not _EDITOR_FILE.search(path.name)),
        key=lambda path: (DATA_SUFFIXES.index(path.suffix), path.name),
    )
    if not files:
        raise ComplianceError([Problem(Location(shown_dir, 1, 1), "no *.yml data files")])
    result = DataFiles()
    if len(files) > limits.data_files:
        message = (
            f"{len(files)} data files, over the limit of {limits.data_files}; merge some, "
            f"or {limit_hint(LimitOption.DATA_FILES)}"
        )
        raise ComplianceError([Problem(Location(shown_dir, 1, 1), message)])
    total = 0
    for path in files:
        name = shown_path(project_dir, path)
        total += min(_size(path), limits.file_bytes)  # a file over its own limit says so itself
        if total > limits.data_bytes:  # every file is read in full: the budget is for all of them
            message = (
                f"the data files up to this one hold {total:,} bytes, over the limit of {limits.data_bytes:,} "
                f"bytes for all data files together; {limit_hint(LimitOption.DATA_SIZE, '2M')}"
            )
            result.problems.append(Problem(Location(name, 1, 1), message))
            result.incomplete = True
            break
        try:
            _read_one(result, path, name, project_dir, limits)
        except Exception as exc:  # a bug of ours must not hide the problems of the other files
            if debug:
                raise
            result.incomplete = True
            message = (
                f"unexpected {type(exc).__name__} while reading this file; "
                f"run the build again with {DEBUG_VARIABLE}=1 to see the traceback"
            )
            result.problems.append(Problem(Location(name, 1, 1), message))
    return result


def shown_path(project_dir: Path, path: Path) -> str:
    """`path` relative to the project as written, not resolved: a linked file keeps its own name."""
    try:
        return path.absolute().relative_to(project_dir.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_one(result: DataFiles, path: Path, name: str, project_dir: Path, limits: Limits) -> None:
    where = Location(name, 1, 1)
    if path.is_symlink():
        target = os.readlink(path)
        if not path.exists():
            result.problems.append(Problem(where, f"is a link to {target}, which does not exist or cannot be followed"))
            result.incomplete = True
            return
        if not _inside(path, project_dir):
            message = f"is a link to {path.resolve()}, outside the project; data files must live inside it"
            result.problems.append(Problem(where, message))
            result.incomplete = True
            return
    text, problems = read_text_file(path, name, limits)
    if text is None:
        result.problems.extend(problems)
        result.incomplete = True
        return
    if not text.strip():
        result.problems.append(Problem(where, EMPTY_MESSAGE))
        return
    value, file_sources, problems = load_yaml(text, name, limits)
    result.problems.extend(problems)
    if value is None:
        result.incomplete |= bool(problems)  # no problem: comments only, nothing to add
    elif not isinstance(value, dict):
        result.problems.append(Problem(file_sources.value(()), "expected a mapping of top-level keys"))
        result.incomplete = True
    else:
        _merge(result, value, file_sources)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # a broken link or an unreadable file: reading it reports why
        return 0


def _inside(path: Path, project_dir: Path) -> bool:
    return path.resolve().is_relative_to(project_dir.resolve())


def _merge(result: DataFiles, value: dict[str, Any], file_sources: SourceMap) -> None:
    for key in value:
        if key in result.document:
            first = result.sources.key((key,))
            result.problems.append(Problem(file_sources.key((key,)), f"'{key}' is already defined in {first}", key))
    for key, item in value.items():
        result.document.setdefault(key, item)
    result.sources.update(file_sources)
