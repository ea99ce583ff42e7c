"""Where each value of the loaded data was written: the map from data paths to file, line and column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location

DataPath = tuple[str | int, ...]


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
