"""Every prose value of the model checked, each problem and link placed at its file, line and column."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...errors import Location, Problem, format_path
from ...limits import Limits
from ...load.sourcemap import DataPath, SourceMap
from ..document import ComplianceDocument
from ..entries import Claim
from ..refs import Index
from ..values import MarkdownText
from .check import ProseChecker
from .mentions import Unvalidated

# A link written in prose: its URL, where it is written, and the data path of the prose.
PlacedLink = tuple[str, Location, str]


def prose_problems(
    values: Iterable[tuple[DataPath, Any]],
    sources: SourceMap,
    project_dir: Path,
    checker: tuple[ComplianceDocument, Index, Limits],
    unvalidated: Unvalidated | None = None,
) -> tuple[list[Problem], list[PlacedLink]]:
    """The problems of every prose value among `values`, and the links the prose writes, each placed."""
    document, index, limits = checker
    prose = ProseChecker(document, index, limits, unvalidated)
    locator = _Locator(project_dir)
    problems: list[Problem] = []
    links: list[PlacedLink] = []
    claims: dict[DataPath, str] = {}  # where each claim is: its prose is shown on its own page
    for path, text in values:
        if isinstance(text, Claim):
            claims[path] = text.id
        if not isinstance(text, MarkdownText):
            continue
        issues, prose_links = prose.check(text, claims.get(path[:2]))
        where = sources.value(path)
        problems += [Problem(locator.find(where, i.needle, i.skip), i.message, format_path(path)) for i in issues]
        links += [(link.url, locator.find(where, link.needle, link.skip), format_path(path)) for link in prose_links]
    return problems, links


class _Locator:
    """Finds a piece of text (a mention, a URL) in a YAML file at or after a value's start."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.texts: dict[str, str] = {}  # per load: files change between builds under `mkdocs serve`
        # Where each line starts, once per file: a search per prose value then costs no more for the
        # ten-thousandth claim of a file than for the first.
        self.line_starts: dict[str, list[int]] = {}

    def find(self, start: Location, needle: str, skip: int = 0) -> Location:
        """Where `needle` is first written at or after `start`, `skip` characters into it."""
        if start.file not in self.texts:
            text = self.texts[start.file] = _read(self.project_dir / start.file)
            self.line_starts[start.file] = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
        text, starts = self.texts[start.file], self.line_starts[start.file]
        line_start = starts[start.line - 1] if start.line - 1 < len(starts) else len(text) + 1
        found = text.find(needle, line_start + start.column - 1) if needle else -1
        if found < 0:
            return start
        found += skip
        line = bisect.bisect_right(starts, found)
        return Location(start.file, line, found - starts[line - 1] + 1)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
