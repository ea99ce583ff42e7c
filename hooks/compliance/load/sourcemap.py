"""Where each value of the loaded data was written: the map from data paths to file, line and column.

A place is kept as one int (`place`), the file a small number into a table of the file names this
process has read, and made a `Location` only when a message or a link asks for it: loading 10,000
claims records 400,000 places, and an object for each cost a tenth of a second and 60 MB.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location

DataPath = tuple[str | int, ...]
# A place: line << LINE_SHIFT | column << FILE_BITS | the file's number in _FILES.
FILE_BITS = 20
LINE_SHIFT = FILE_BITS + 32  # a column is below 2**32: no line of a file in memory is longer
_FILES: list[str] = []  # names repeat from build to build under `mkdocs serve`: the table stays small
_FILE_NUMBERS: dict[str, int] = {}


def file_number(name: str) -> int:
    """The number `place` gives the file `name` (as shown in messages)."""
    number = _FILE_NUMBERS.get(name)
    if number is None:
        number = _FILE_NUMBERS[name] = len(_FILES)
        _FILES.append(name)
    return number


def place(name: str, line: int, column: int) -> int:
    """A 1-based line and column of the file `name`, kept as one int."""
    return line << LINE_SHIFT | column << FILE_BITS | file_number(name)


def location(packed: int) -> Location:
    """The file, line and column a place (`place`) stands for."""
    column = packed >> FILE_BITS & 0xFFFFFFFF
    return Location(_FILES[packed & (1 << FILE_BITS) - 1], packed >> LINE_SHIFT, column)


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of the loaded data was written, as places (`place`)."""

    values: dict[DataPath, int] = field(default_factory=dict)
    keys: dict[DataPath, int] = field(default_factory=dict)

    def value(self, path: DataPath) -> Location:
        """Location of the value at `path`, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return location(found)
        return location(next(iter(self.values.values()))) if self.values else Location("<data>", 1, 1)

    def key(self, path: DataPath) -> Location:
        """Location of the key that introduces `path`, else of the value."""
        found = self.keys.get(path)
        return self.value(path) if found is None else location(found)

    def update(self, other: SourceMap) -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)


def walk(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every (path, value) of a loaded tree, parents before their children."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, (*path, i))
