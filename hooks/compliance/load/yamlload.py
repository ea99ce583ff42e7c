"""Safe, bounded YAML loading that keeps the file, line and column of every value.

The text is checked for refused characters (yamltext.py), parsed into events by libyaml where PyYAML
was built with it and reads the file as PyYAML would, else by PyYAML's own parser, whose messages
editors read; yamlvalues.py builds plain values from the events, recording a `Location` for every key
and value, and refusing anchors and aliases, and nesting past a depth limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml
import yaml.parser
import yaml.reader
import yaml.scanner

from ..errors import Location, Problem
from ..limits import Limits
from .sourcemap import DataPath, SourceMap, walk
from .yamltext import read_text_file, refused_characters
from .yamlvalues import Refused, ValueBuilder, mark_location

__all__ = ["DataPath", "SourceMap", "load_yaml", "load_yaml_file", "walk"]

Parsed = tuple[Any, SourceMap, list[Problem]]
# What `load_yaml` asks before parsing: given the text, its name, its limits and the parse itself, the
# parsed result (a `mkdocs serve` process keeps each file's result until its bytes change: preview.py).
ParseMemo = Callable[[str, str, Limits, Callable[[], Parsed]], Parsed]
PARSE_MEMO: ContextVar[ParseMemo | None] = ContextVar("compliance_parse_memo", default=None)


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser, in Python: the one whose error messages editors read."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


# libyaml, where PyYAML was built with it, scans and parses ten times faster than the Python parser
# (a 10,000-claim file in under a second instead of ten). The values are built from its events by the
# same code, so the same refusals and limits apply; a file it cannot parse is parsed again by PyYAML,
# whose messages editors read.
try:
    from yaml._yaml import CParser as _FAST_PARSER
except ImportError:  # PyYAML built without libyaml
    _FAST_PARSER = None  # type: ignore[assignment, misc]


def load_yaml(text: str, display_name: str, limits: Limits | None = None) -> Parsed:
    """Parse one YAML document; return its value, its source map and any problems.

    The value is None when the document is empty (comments only) or when any problem other
    than a duplicate key was found: a half-built value would only add confusing follow-up errors.
    Under a parse memo (`PARSE_MEMO`) the same text, name and limits give a copy of the result kept
    from an earlier parse: the caller may change what it gets, never what is kept.
    """
    limits = limits or Limits()
    memo = PARSE_MEMO.get()
    if memo is None:
        return _parse(text, display_name, limits)
    value, sources, problems = memo(text, display_name, limits, lambda: _parse(text, display_name, limits))
    # Its mappings and lists anew; scalars, places and problems cannot be changed.
    return copy_containers(value), SourceMap(dict(sources.values), dict(sources.keys)), list(problems)


def copy_containers(value: Any) -> Any:
    """`value` with each of its dicts and lists made anew (what a caller may change); the rest shared."""
    if isinstance(value, dict):
        return {key: copy_containers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_containers(item) for item in value]
    return value


def _parse(text: str, display_name: str, limits: Limits) -> Parsed:
    refused = refused_characters(text, display_name)  # PyYAML would raise without a line number
    if refused:
        return None, SourceMap(), refused
    builder = _read_fast(text, display_name, limits)
    try:
        # Making a parser reads nothing yet (refused characters were found above): it cannot fail.
        builder = builder or _read(_PyParser(text), display_name, limits)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if what == "but found another document":
            what = (
                "a data file holds one document; remove the second '---' and what follows, or move it to its own file"
            )
        long_key = _long_key(text, exc.problem_mark)
        if long_key is not None:
            line, column, message = long_key
            return None, SourceMap(), [Problem(Location(display_name, line, column), message)]
        return None, SourceMap(), [Problem(mark_location(display_name, mark), f"YAML syntax error: {what}")]
    except Refused as exc:
        return None, SourceMap(), [Problem(mark_location(display_name, exc.mark), exc.message)]
    if builder.anchors_seen:
        return None, SourceMap(), [_anchor_problem(display_name, builder.anchors_seen)]
    found, value = builder.result
    if not found:
        return None, SourceMap(), []
    if any(not p.message.startswith("duplicate key") for p in builder.problems):
        value = None
    return value, builder.sources, builder.problems


def _read(parser: Any, display_name: str, limits: Limits) -> ValueBuilder:
    """The builder that read the parser's one document (its `result`); raises what stopped it."""
    builder = ValueBuilder(parser, display_name, SourceMap(), limits)
    try:
        builder.document()
    finally:
        parser.dispose()
    return builder


# Where libyaml reads a file differently from PyYAML (it allows tabs that PyYAML refuses, reads a bare
# `!` tag and `|#` differently, places empty values in flow mappings and after `?` keys a column or a
# line away), or could: such files, which our data never needs, take the slow path. One search each:
# a single pattern of these alternatives took three times as long (0.4 s on a 7 MB file).
_NOT_FOR_LIBYAML = tuple(
    re.compile(pattern)
    for pattern in (
        r"\A(?:!|\?(?:\s|$))",
        r"\t",
        r"[\s\[\]{},:?-]!",
        r"[|>][-+0-9]*#",
        r":[ ]*[,}\]]",
        r"[\s\[{,]\?(?:\s|$)",
    )
)


def _read_fast(text: str, display_name: str, limits: Limits) -> ValueBuilder | None:
    """The file read by libyaml, or None to take the slow path."""
    if _FAST_PARSER is None or any(pattern.search(text) for pattern in _NOT_FOR_LIBYAML):
        return None
    try:
        return _read(_FAST_PARSER(text), display_name, limits)
    except (yaml.YAMLError, Refused):  # reported in PyYAML's (and our) words by the slow path
        return None


def load_yaml_file(path: Path, display_name: str, limits: Limits | None = None) -> tuple[Any, SourceMap, list[Problem]]:
    """Read and parse a YAML file; unreadable files and refused bytes are problems too."""
    text, problems = read_text_file(path, display_name, limits or Limits())
    if text is None:
        return None, SourceMap(), problems
    return load_yaml(text, display_name, limits)


# PyYAML reads `key:` as a key only within 1,024 characters of the key's start; past that the colon
# is "not allowed here", which sends the editor looking for a syntax error that is not there.
_MAX_KEY_CHARS = 1024
# Where a key starts on its line: after the indentation, list dashes and `? `, or a flow `{` or `,`.
_KEY_START = re.compile(r"^[ \t]*(?:[-?][ \t]+)*(?:.*[{,\[][ \t]*)?")


def _long_key(text: str, mark: yaml.Mark | None) -> tuple[int, int, str] | None:
    """The line and column where a key too long for YAML starts, and the message, when that is what a
    syntax error at `mark` means."""
    if mark is None or mark.pointer >= len(text) or text[mark.pointer] != ":":
        return None
    line_start = text.rfind("\n", 0, mark.pointer) + 1
    before = text[line_start : mark.pointer]
    start = _KEY_START.match(before)
    column = start.end() if start else 0
    length = len(before[column:].rstrip())
    if length <= _MAX_KEY_CHARS:
        return None
    message = (
        f"a key of {length:,} characters; YAML reads a key of at most {_MAX_KEY_CHARS:,} characters, "
        "so shorten it (keys name fields and ids, never long text)"
    )
    return mark.line + 1, column + 1, message


def _anchor_problem(name: str, seen: list[tuple[yaml.Mark, str]]) -> Problem:
    mark, first = seen[0]
    more = f" ({len(seen) - 1} more anchors and aliases in this file)" if len(seen) > 1 else ""
    message = f"YAML anchors and aliases ({first}) are not supported; write each value out in full{more}"
    return Problem(mark_location(name, mark), message)
