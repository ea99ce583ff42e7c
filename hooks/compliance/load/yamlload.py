"""Safe, bounded YAML loading that keeps the file, line and column of every value.

PyYAML's own constructors forget positions, silently keep the last of two duplicate keys and
expand aliases without limit, so we compose the node graph ourselves here (refusing anchors and
aliases, and nesting past a depth limit, by libyaml where it reads a file as PyYAML would) and
yamlvalues.py builds plain Python values from it, recording a `Location` for every key and value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.resolver

from ..errors import Location, Problem
from ..limits import LimitOption, Limits, limit_hint
from .sourcemap import DataPath, SourceMap, walk
from .yamltext import read_text_file, refused_characters
from .yamlvalues import BOOL, CORE_TAG, FLOAT, INT, NULL, ValueBuilder, mark_location

__all__ = ["DataPath", "SourceMap", "load_yaml", "load_yaml_file", "walk"]

Parsed = tuple[Any, SourceMap, list[Problem]]
# What `load_yaml` asks before parsing: given the text, its name, its limits and the parse itself, the
# parsed result (a `mkdocs serve` process keeps each file's result until its bytes change: preview.py).
ParseMemo = Callable[[str, str, Limits, Callable[[], Parsed]], Parsed]
PARSE_MEMO: ContextVar[ParseMemo | None] = ContextVar("compliance_parse_memo", default=None)


class _Refused(Exception):
    """A problem that stops composing the file: its keys stay unknown."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


class _Bounded:
    """Composes nodes with aliases refused and nesting bounded, over either parser's events."""

    limits: Limits
    depth: int
    count: int
    # libyaml's marks or PyYAML's: each has the line and column mark_location reads.
    anchors_seen: list[tuple[Any, str]]

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            # Refused outright rather than bounded: the data never needs them, and a few hundred
            # bytes of nested aliases ("billion laughs") expand to gigabytes.
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            self.anchors_seen.append((event.start_mark, f"{sign}{event.anchor}"))
            if isinstance(event, yaml.AliasEvent):
                self.get_event()  # type: ignore[attr-defined]
                # libyaml's parser gives marks of its own type, with the same fields.
                return yaml.ScalarNode(CORE_TAG + "null", "", event.start_mark, event.end_mark)  # type: ignore[arg-type]
            event.anchor = None
        self.count += 1
        if self.count > self.limits.values:
            message = f"more than {self.limits.values:,} keys and values in one file; split it"
            raise _Refused(event.start_mark, f"{message}, or {limit_hint(LimitOption.FILE_SIZE)}")
        self.depth += 1
        if self.depth > self.limits.depth:
            message = f"nested more than {self.limits.depth} levels deep; data files need far fewer"
            hint = f" (look for unclosed brackets or runaway indentation), or {limit_hint(LimitOption.YAML_DEPTH)}"
            raise _Refused(event.start_mark, message + hint)
        try:
            return super().compose_node(parent, index)  # type: ignore[misc,no-any-return]
        finally:
            self.depth -= 1


class _ComplianceLoader(_Bounded, yaml.SafeLoader):
    """PyYAML's own parser, in Python: the one whose error messages editors read."""

    def __init__(self, text: str, limits: Limits) -> None:
        super().__init__(text)
        self.limits, self.depth, self.count, self.anchors_seen = limits, 0, 0, []


_ComplianceLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", "|".join(BOOL), "tTfF"),
    ("int", INT.pattern, "-+0123456789"),
    ("float", FLOAT.pattern, "-+0123456789"),
    ("null", NULL.pattern, ["~", "n", "N", ""]),
    ("merge", r"<<", "<"),  # resolved only to be refused with a clear message
):
    _ComplianceLoader.add_implicit_resolver(CORE_TAG + _tag, re.compile(f"^(?:{_pattern})$"), list(_first))

# libyaml, where PyYAML was built with it, scans and parses ten times faster than the Python parser
# (a 10,000-claim file in under a second instead of ten). Composing stays ours, so the same refusals
# and limits apply; a file it cannot parse is parsed again by PyYAML, whose messages editors read.
try:
    from yaml._yaml import CParser as _FAST_PARSER
except ImportError:  # PyYAML built without libyaml
    _FAST_PARSER = None  # type: ignore[assignment, misc]
if _FAST_PARSER is not None:
    _Parser = _FAST_PARSER

    class _FastLoader(_Bounded, yaml.composer.Composer, _Parser, yaml.resolver.BaseResolver):
        yaml_implicit_resolvers = _ComplianceLoader.yaml_implicit_resolvers

        def __init__(self, text: str, limits: Limits) -> None:
            _Parser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)
            self.limits, self.depth, self.count, self.anchors_seen = limits, 0, 0, []


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
    return _fresh(value), SourceMap(dict(sources.values), dict(sources.keys)), list(problems)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    return value


def _parse(text: str, display_name: str, limits: Limits) -> Parsed:
    sources = SourceMap()
    refused = refused_characters(text, display_name)  # PyYAML would raise without a line number
    if refused:
        return None, sources, refused
    node, fast = _compose_fast(text, limits)
    # Making a loader reads nothing yet (refused characters were found above): it cannot fail.
    loader = fast or _ComplianceLoader(text, limits)
    try:
        if fast is None:
            node = loader.get_single_node()
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
            return None, sources, [Problem(Location(display_name, line, column), message)]
        return None, sources, [Problem(mark_location(display_name, mark), f"YAML syntax error: {what}")]
    except _Refused as exc:
        return None, sources, [Problem(mark_location(display_name, exc.mark), exc.message)]
    finally:
        loader.dispose()
    if loader.anchors_seen:
        return None, sources, [_anchor_problem(display_name, loader.anchors_seen)]
    if node is None:
        return None, sources, []
    builder = ValueBuilder(display_name, sources, limits)
    value = builder.build(node, ())
    if any(not p.message.startswith("duplicate key") for p in builder.problems):
        value = None
    return value, sources, builder.problems


# Where libyaml reads a file differently from PyYAML (it allows tabs that PyYAML refuses, reads a bare
# `!` tag and `|#` differently, places empty values in flow mappings and after `?` keys a column or a
# line away), or could: such files, which our data never needs, take the slow path.
_NOT_FOR_LIBYAML = re.compile(r"\t|(?:^|[\s\[\]{},:?-])!|[|>][-+0-9]*#|:[ ]*[,}\]]|(?:^|[\s\[{,])\?(?:\s|$)")


def _compose_fast(text: str, limits: Limits) -> tuple[yaml.Node | None, Any]:
    """The node graph by libyaml and the loader that made it, or (None, None) to take the slow path."""
    if _FAST_PARSER is None or _NOT_FOR_LIBYAML.search(text):
        return None, None
    loader = _FastLoader(text, limits)
    try:
        return loader.get_single_node(), loader
    except (yaml.YAMLError, _Refused):  # reported in PyYAML's (and our) words by the slow path
        loader.dispose()
        return None, None


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
