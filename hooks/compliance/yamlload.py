"""Safe YAML loading that keeps the file, line and column of every value.

PyYAML's own constructors forget positions and silently keep the last of two
duplicate keys, so we compose the node graph and build plain Python values
ourselves, recording a `Location` for every key and value on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem

DataPath = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# Sets, ordered maps and pairs would become Python types the schema never sees.
_UNSAFE_COLLECTION_TAGS = {"tag:yaml.org,2002:set", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"}


class _ComplianceLoader(yaml.SafeLoader):
    """SafeLoader minus the YAML 1.1 surprises.

    Dates stay strings (the schema decides what a date is) and only true/false
    are booleans, so `no` (Norway, or a plain answer) is not silently `False`.
    """


_ComplianceLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ComplianceLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of the loaded data was written."""

    values: dict[DataPath, Location] = field(default_factory=dict)
    keys: dict[DataPath, Location] = field(default_factory=dict)

    def value(self, path: DataPath) -> Location:
        """Location of the value at `path`, or of its nearest recorded ancestor."""
        return self._nearest(self.values, path)

    def key(self, path: DataPath) -> Location:
        """Location of the key that introduces `path`, else of the value."""
        if path in self.keys:
            return self.keys[path]
        return self.value(path)

    def update(self, other: SourceMap) -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)

    def _nearest(self, table: dict[DataPath, Location], path: DataPath) -> Location:
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
        return next(iter(self.values.values()), Location("<data>", 1, 1))


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every (path, value) of a loaded tree, parents before their children."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, i))


def load_yaml(text: str, display_name: str) -> tuple[Any, SourceMap, list[Problem]]:
    """Parse one YAML document; return its value, its source map and any problems."""
    sources = SourceMap()
    loader = _ComplianceLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display_name, mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, sources, [Problem(where or Location(display_name, 1, 1), f"YAML syntax error: {what}")]
    finally:
        loader.dispose()
    if node is None:
        return None, sources, []
    builder = _Builder(loader, display_name, sources)
    value = builder.build(node, ())
    return value, sources, builder.problems


def load_yaml_file(path: Path, display_name: str) -> tuple[Any, SourceMap, list[Problem]]:
    """Read and parse a YAML file, reporting undecodable bytes as a problem too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, SourceMap(), [Problem(Location(display_name, 1, 1), f"not UTF-8 text ({exc.reason})")]
    return load_yaml(text, display_name)


class _Builder:
    def __init__(self, loader: _ComplianceLoader, name: str, sources: SourceMap) -> None:
        self.loader = loader
        self.name = name
        self.sources = sources
        self.problems: list[Problem] = []

    def where(self, node: yaml.Node) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.sources.values[path] = self.where(node)
        if node.tag in _UNSAFE_COLLECTION_TAGS or (
            not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS
        ):
            self.problems.append(Problem(self.where(node), f"YAML error: unsupported tag {node.tag!r}"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.problems.append(Problem(self.where(node), f"YAML error: {exc.problem}"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self.problems.append(
                    Problem(self.where(key_node), "expected a text key (quote it if it looks like a number)")
                )
                continue
            key = key_node.value
            if key in result:
                first = self.sources.keys[(*path, key)]
                self.problems.append(
                    Problem(
                        self.where(key_node),
                        f"duplicate key '{key}' (first defined at line {first.line}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            self.sources.keys[(*path, key)] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result
