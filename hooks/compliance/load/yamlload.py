"""Safe, bounded YAML loading that keeps the file, line and column of every value.

PyYAML's own constructors forget positions, silently keep the last of two duplicate keys and
expand aliases without limit, so we compose the node graph ourselves (refusing anchors and
aliases, and nesting past a depth limit) and build plain Python values from it, recording a
`Location` for every key and value on the way. Scalars are typed by YAML 1.2-like rules: only
true/false are booleans, only plain decimals are numbers, so `no`, `2016-02-01`, `010`, `0x1F`,
`1_000` and `27:01` all stay text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from ..limits import SIZE_SETTING, Limits, limit_hint
from .sourcemap import DataPath, SourceMap, walk
from .yamltext import MAX_LISTED, REFUSED_IN_TEXT, char_name, read_text_file, refused_characters

__all__ = ["DataPath", "SourceMap", "load_yaml", "load_yaml_file", "walk"]

_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = re.compile(r"~|null|Null|NULL|")
_TAG_ADVICE = {
    "binary": "binary data (!!binary) cannot be used in data files; put the file under docs/ and give its path",
    "timestamp": "'!!timestamp' is not supported; write the date as plain text, e.g. 2016-02-01",
    "set": "'!!set' is not supported; write a list (- item)",
    "omap": "'!!omap' is not supported; write a mapping (key: value)",
    "pairs": "'!!pairs' is not supported; write a mapping (key: value)",
    "merge": "'<<' merge keys are not supported; write each key out in full",
}


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
    anchors_seen: list[tuple[yaml.Mark, str]]

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
                return yaml.ScalarNode(_CORE + "null", "", event.start_mark, event.end_mark)  # type: ignore[arg-type]
            event.anchor = None
        self.count += 1
        if self.count > self.limits.values:
            message = f"more than {self.limits.values:,} keys and values in one file; split it, or raise the limit"
            raise _Refused(event.start_mark, f"{message} with {SIZE_SETTING}")
        self.depth += 1
        if self.depth > self.limits.depth:
            message = f"nested more than {self.limits.depth} levels deep; data files need far fewer"
            hint = f" (look for unclosed brackets or runaway indentation), or {limit_hint('max_yaml_depth')}"
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
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("int", _INT.pattern, "-+0123456789"),
    ("float", _FLOAT.pattern, "-+0123456789"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("merge", r"<<", "<"),  # resolved only to be refused with a clear message
):
    _ComplianceLoader.add_implicit_resolver(_CORE + _tag, re.compile(f"^(?:{_pattern})$"), list(_first))

# libyaml, where PyYAML was built with it, scans and parses ten times faster than the Python parser
# (a 10,000-claim file in under a second instead of ten). Composing stays ours, so the same refusals
# and limits apply; a file it cannot parse is parsed again by PyYAML, whose messages editors read.
try:
    from yaml._yaml import CParser as _FAST_PARSER
except ImportError:  # PyYAML built without libyaml
    _FAST_PARSER = None  # type: ignore[assignment, misc]
if _FAST_PARSER is not None:

    class _FastLoader(_Bounded, yaml.composer.Composer, _FAST_PARSER, yaml.resolver.BaseResolver):
        yaml_implicit_resolvers = _ComplianceLoader.yaml_implicit_resolvers

        def __init__(self, text: str, limits: Limits) -> None:
            _FAST_PARSER.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)
            self.limits, self.depth, self.count, self.anchors_seen = limits, 0, 0, []


def load_yaml(text: str, display_name: str, limits: Limits | None = None) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse one YAML document; return its value, its source map and any problems.

    The value is None when the document is empty (comments only) or when any problem other
    than a duplicate key was found: a half-built value would only add confusing follow-up errors.
    """
    limits = limits or Limits()
    sources = SourceMap()
    refused = refused_characters(text, display_name)  # PyYAML would raise without a line number
    if refused:
        return None, sources, refused
    node, loader = _compose_fast(text, limits)
    try:
        if loader is None:
            loader = _ComplianceLoader(text, limits)
            node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if what == "but found another document":
            what = (
                "a data file holds one document; remove the second '---' and what follows, or move it to its own file"
            )
        return None, sources, [Problem(_at(display_name, mark), f"YAML syntax error: {what}")]
    except _Refused as exc:
        return None, sources, [Problem(_at(display_name, exc.mark), exc.message)]
    finally:
        if loader is not None:
            loader.dispose()
    if loader.anchors_seen:
        return None, sources, [_anchor_problem(display_name, loader.anchors_seen)]
    if node is None:
        return None, sources, []
    builder = _Builder(display_name, sources, limits)
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


def _at(name: str, mark: yaml.Mark | None) -> Location:
    return Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)


def _anchor_problem(name: str, seen: list[tuple[yaml.Mark, str]]) -> Problem:
    mark, first = seen[0]
    more = f" ({len(seen) - 1} more anchors and aliases in this file)" if len(seen) > 1 else ""
    message = f"YAML anchors and aliases ({first}) are not supported; write each value out in full{more}"
    return Problem(_at(name, mark), message)


class _Builder:
    def __init__(self, name: str, sources: SourceMap, limits: Limits) -> None:
        self.name = name
        self.sources = sources
        self.limits = limits
        self.problems: list[Problem] = []
        self.unlisted = 0  # refusals past MAX_LISTED: the first is named, the rest only counted

    def where(self, node: yaml.Node) -> Location:
        return _at(self.name, node.start_mark)

    def refuse(self, node: yaml.Node, message: str) -> None:
        self.unlisted += len(self.problems) >= MAX_LISTED
        if self.unlisted == 1:
            message = "more values like the ones above are refused too; fix those first"
        if self.unlisted <= 1:
            self.problems.append(Problem(self.where(node), message))

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.sources.values[path] = self.where(node)
        if isinstance(node, yaml.MappingNode) and node.tag == _CORE + "map":
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _CORE + "seq":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.refuse(node, _tag_problem(node.tag))
        return None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag.removeprefix(_CORE), node.value
        if len(text) > self.limits.text_chars:
            over = f"a value of {len(text):,} characters, over the limit of {self.limits.text_chars:,}"
            self.refuse(node, f"{over}; shorten it, or {limit_hint('max_value_length')}")
            return None
        if tag == "str":
            bad = REFUSED_IN_TEXT.search(text)
            if bad:
                self.refuse(node, f"the text holds {char_name(bad[0])}, which is not allowed; remove it")
            return text
        if tag == "null" and _NULL.fullmatch(text):
            return None
        if tag == "bool" and text in _BOOL:
            return _BOOL[text]
        if tag == "int" and _INT.fullmatch(text):
            return self._integer(node, text)
        if tag == "float" and _FLOAT.fullmatch(text):
            number = float(text)
            if math.isfinite(number):
                return number
            self.refuse(node, f"the number {_clip(text)} is too large to use; put it in quotes if it is text")
            return None
        if tag in ("null", "bool", "int", "float"):
            hint = {"bool": "true or false", "int": "a whole number like 42", "float": "a number like 1.5"}
            self.refuse(node, f"'!!{tag}' needs {hint.get(tag, 'an empty value')}, got {_clip(text)!r}")
            return None
        self.refuse(node, _tag_problem(node.tag))
        return None

    def _integer(self, node: yaml.ScalarNode, text: str) -> int | None:
        digits = len(text.lstrip("+-"))
        if digits > self.limits.integer_digits:
            self.refuse(
                node,
                f"a number of {digits} digits is too large (at most {self.limits.integer_digits}); "
                "put it in quotes if it is text, such as an identifier",
            )
            return None
        return int(text)

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                self.refuse(key_node, _TAG_ADVICE["merge"])
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _CORE + "str":
                self.refuse(key_node, "expected a text key (quote it if it looks like a number)")
                continue
            key = self._scalar(key_node)
            if key in result:
                first = self.sources.keys[(*path, key)]
                self.refuse(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            self.sources.keys[(*path, key)] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def _tag_problem(tag: str) -> str:
    short = tag.removeprefix(_CORE)
    if short in _TAG_ADVICE:
        return _TAG_ADVICE[short]
    shown = f"!!{short}" if tag.startswith(_CORE) else tag
    if short.startswith("python/"):
        return f"YAML tag '{_clip(shown)}' is not allowed: data files hold plain values only"
    return f"unknown YAML tag '{_clip(shown)}'; remove it"


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
