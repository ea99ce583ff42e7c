"""Walk the typed model, resolve every reference to the entry it names, and index entries by id.

After `resolve_references`, each reference field holds the entry itself (`coverage.standard` is the
`Standard`), so templates, prose and code read entries directly and a type checker follows them.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..errors import Problem, format_path
from ..load.sourcemap import DataPath, SourceMap
from ..suggest import suggest
from .document import ComplianceDocument
from .values import KINDS, RefField, Unresolved

Index = dict[str, dict[str, Any]]


@cache
def _reference_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` that name other entries (alone or in a list): a walk stops at them."""
    fields = model.model_fields.items()
    return frozenset(name for name, field in fields if _names_entries(field.annotation, field.metadata))


def _names_entries(annotation: Any, metadata: list[Any]) -> bool:
    if any(isinstance(m, RefField) for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        _, *extra = typing.get_args(annotation)
        if any(isinstance(m, RefField) for m in extra):
            return True
    return any(_names_entries(arg, []) for arg in typing.get_args(annotation))


def walk_model(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every (path, value) below `node`, parents first; paths use the YAML keys.

    A reference field is yielded (the entry or the id it holds, or a list of them) but not entered:
    the entry it names is walked where it is defined.
    """
    yield path, node
    if isinstance(node, BaseModel):
        stop = _reference_fields(type(node))
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name in stop:
                yield (*path, name), value
                if isinstance(value, list):
                    yield from (((*path, name, i), item) for i, item in enumerate(value))
            else:
                yield from walk_model(value, (*path, name))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from walk_model(item, (*path, i))


def entries(document: ComplianceDocument, kind: str) -> list[Any]:
    """The entries of `kind` in file order ('provider' -> document.hosting.providers)."""
    node: Any = document
    for part in KINDS[kind].path:
        node = getattr(node, part) if node is not None else None  # an optional section left out
    return list(node or [])


def index_entries(document: ComplianceDocument, sources: SourceMap) -> tuple[Index, list[Problem]]:
    """{kind: {id: entry}}, and a problem for every id used twice within a kind."""
    index: Index = {}
    problems: list[Problem] = []
    for kind in KINDS.values():
        index[kind.name] = {}
        for i, entry in enumerate(entries(document, kind.name)):
            if entry.id in index[kind.name]:
                problems.append(duplicate_id(kind.name, entry.id, (*kind.path, i, "id"), sources))
            else:
                index[kind.name][entry.id] = entry
    return index, problems


def resolve_references(
    document: ComplianceDocument, index: Index, sources: SourceMap, values: list[tuple[DataPath, Any]] | None = None
) -> list[Problem]:
    """Put the entry each reference names in its place; report each id that names nothing.

    An id that names nothing stays `Unresolved` (and reads as its id), so mentions can still be
    checked in the same round and the editor sees every problem at once. `values`: the document's
    walk (`walk_model`), when the caller keeps one; it is brought up to date as entries are placed.
    """
    return [
        unknown_reference(value.kind, value.id, list(index[value.kind]), path, sources)
        for path, value in place_entries(document, index, values)
    ]


def place_entries(
    document: ComplianceDocument, index: Index, values: list[tuple[DataPath, Any]] | None = None
) -> list[tuple[DataPath, Unresolved]]:
    """Put the entry each reference names in its place; return the references that name nothing.

    `values`, a walk of the document, is updated in place: each placed entry stands where its id did,
    as a new walk would find it (a walk does not enter references), so the document is walked once.
    """
    walked = list(walk_model(document)) if values is None else values
    left = []
    for position, (path, value) in enumerate(walked):
        if not isinstance(value, Unresolved):
            continue
        target = index[value.kind].get(value.id)
        if target is None:
            left.append((path, value))
            continue
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part] if isinstance(part, int) else getattr(parent, part)
        if isinstance(path[-1], int):
            parent[path[-1]] = target
        else:
            object.__setattr__(parent, path[-1], target)
        walked[position] = (path, target)
    return left


def unknown_reference(kind: str, ident: str, known: list[str], path: DataPath, sources: SourceMap) -> Problem:
    """The problem of a reference at `path` to an id of `kind` that no entry has."""
    message = f"unknown {KINDS[kind].noun} '{ident}'{suggest(ident, known)}"
    return Problem(sources.value(path), message, format_path(path))


def duplicate_id(kind: str, ident: str, path: DataPath, sources: SourceMap) -> Problem:
    """The problem of an entry's id (at `path`) that an earlier entry of `kind` already has."""
    return Problem(sources.value(path), f"duplicate {KINDS[kind].noun} id '{ident}'", format_path(path))
