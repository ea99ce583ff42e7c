"""Walk the typed model, resolve every reference to the entry it names, and index entries by id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .errors import Problem, format_path
from .model import ComplianceDocument
from .schema import suggest
from .values import KINDS, Ref
from .yamlload import DataPath, SourceMap

Index = dict[str, dict[str, Any]]


def walk_model(node: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, Any]]:
    """Every (path, value) below `node`, parents first; paths use the YAML keys."""
    yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk_model(getattr(node, name), (*path, name))
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
                where = (*kind.path, i, "id")
                message = f"duplicate {kind.noun} id '{entry.id}'"
                problems.append(Problem(sources.value(where), message, format_path(where)))
            else:
                index[kind.name][entry.id] = entry
    return index, problems


def resolve_references(document: ComplianceDocument, index: Index, sources: SourceMap) -> list[Problem]:
    """Point every `Ref` at its entry; report each id that names nothing, with a suggestion."""
    problems = []
    for path, value in walk_model(document):
        if isinstance(value, Ref):
            target = index[value.kind].get(value.id)
            if target is None:
                noun = KINDS[value.kind].noun
                hint = suggest(value.id, list(index[value.kind]))
                problems.append(Problem(sources.value(path), f"unknown {noun} '{value.id}'{hint}", format_path(path)))
            value.target = target
    return problems
