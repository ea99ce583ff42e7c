"""When the structure fails: the references and mentions that can still be judged, in the same build.

A structural error leaves no complete model, yet an id renamed in one file and a misspelt mention in
another should not wait for it to be fixed (and for a second build) to be reported. So:

- references are judged on the data as read: each id written in a reference field against every id
  the entries write, valid or not. An entry that failed validation is therefore never called unknown;
  a kind with an entry whose id cannot be read, or whose list may sit where the structure failed
  (`provders:`), is not judged;
- mentions are judged on a model of what did validate: each failing entry (a whole entry of a kind,
  else the smallest part that may be left out) is left out and the rest validated again. A mention of
  something left out says nothing: that entry's own error is the one to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, create_model

from ..errors import Problem
from ..limits import Limits
from ..load.sourcemap import DataPath, SourceMap
from .document import ComplianceDocument, Guide
from .entries import Organisation
from .labels import Labels
from .prose.mentions import Unvalidated
from .prose.problems import prose_problems
from .refs import duplicate_id, index_entries, place_entries, unknown_reference, walk_model
from .schema import model_at, validation_context
from .values import ID_PATTERN, KINDS, RefField

# Each round leaves out at least one more part; data with a few mistakes needs one or two.
_ROUNDS = 8
_ID = re.compile(ID_PATTERN)
# The document with its required sections optional, so that one of them failing leaves out only itself.
_Partial: Any = create_model(
    "PartialDocument",
    __base__=ComplianceDocument,
    organisation=(Organisation | None, None),
    guide=(Guide | None, None),
    labels=(Labels | None, None),
)


def salvage_problems(raw: dict[str, Any], sources: SourceMap, project_dir: Path, limits: Limits) -> list[Problem]:
    """Duplicate ids, unknown references and bad mentions of `raw`, whose structure failed validation."""
    partial, structural = _partial_model(raw, limits)
    written = _written_ids(raw, sources, _unsure_kinds(raw, structural))
    problems = written.duplicates + _reference_problems(raw, written, sources)
    if partial is None or partial.document.labels is None:  # mentions are written in the labels' words
        return problems
    document = partial.document
    index, _ = index_entries(document, sources)  # duplicates were found above, among every id written
    place_entries(document, index)  # unknown ids were reported above
    unvalidated = Unvalidated({kind: frozenset(ids) for kind, ids in written.ids.items()}, frozenset(written.unsure))
    values = [(partial.raw_path(path), value) for path, value in walk_model(document)]
    found, _ = prose_problems(values, sources, project_dir, (document, index, limits), unvalidated)
    return problems + found


def _unsure_kinds(raw: dict[str, Any], structural: list[tuple[DataPath, str]]) -> set[str]:
    """Kinds whose entries may be written where the structure failed, and `organisation` if it failed.

    `hosting: {provders: ...}` holds the providers under a misspelt key: calling every provider unknown
    would only follow from that one error. So a kind is not judged when an error lies on the way to its
    list (`hosting` missing or not a mapping), or is an unknown key beside the way where its list is absent.
    """
    unsure = {"organisation"} if any(path[:1] == ("organisation",) for path, _ in structural) else set()
    for kind in KINDS.values():
        way = [kind.path[:end] for end in range(len(kind.path) + 1)]
        for path, error in structural:
            misplaced = error == "extra_forbidden" and path[:-1] in way[:-1] and not _is_written(raw, way[len(path)])
            if path in way or misplaced:
                unsure.add(kind.name)
    return unsure


@dataclass
class _WrittenIds:
    """Every id the entries write, by kind (valid entries or not), and the kinds not judged: those with
    an unreadable id, or whose entries may be written where the structure failed."""

    ids: dict[str, dict[str, None]] = field(default_factory=dict)  # ordered: suggestions as in the files
    unsure: set[str] = field(default_factory=set)
    duplicates: list[Problem] = field(default_factory=list)


def _written_ids(raw: dict[str, Any], sources: SourceMap, unsure: set[str]) -> _WrittenIds:
    written = _WrittenIds(unsure=set(unsure))
    for kind in KINDS.values():
        ids = written.ids[kind.name] = {}
        entries = _entries_at(raw, kind.path)
        if entries is None:
            written.unsure.add(kind.name)
            continue
        for i, entry in enumerate(entries):
            ident = entry.get("id") if isinstance(entry, dict) else None
            if not (isinstance(ident, str) and _ID.fullmatch(ident)):
                written.unsure.add(kind.name)
            elif ident in ids:
                written.duplicates.append(duplicate_id(kind.name, ident, (*kind.path, i, "id"), sources))
            else:
                ids[ident] = None
    return written


def _entries_at(raw: Any, path: tuple[str, ...]) -> list[Any] | None:
    """The entries written at `path`: none when it is left out, None when something else is written."""
    node = raw
    for part in path:
        if node is None:
            return []
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return [] if node is None else node if isinstance(node, list) else None


def _reference_problems(raw: dict[str, Any], written: _WrittenIds, sources: SourceMap) -> list[Problem]:
    problems = []
    for path, kind, ident in dict.fromkeys(_references(ComplianceDocument, raw, ())):
        if kind not in written.unsure and ident not in written.ids[kind]:
            problems.append(unknown_reference(kind, ident, list(written.ids[kind]), path, sources))
    return problems


def _references(annotation: Any, value: Any, path: DataPath) -> Iterator[tuple[DataPath, str, str]]:
    """Each id written in a reference field of `value` (read as `annotation`), with its path and kind.

    Ids that are not ids at all are left to validation, which reports them as such.
    """
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        yield from _field_references(inner, metadata, value, path)
    elif origin in (Union, UnionType):
        for member in get_args(annotation):  # members expect different shapes: at most one matches
            yield from _references(member, value, path)
    elif origin is list and isinstance(value, list):
        (item,) = get_args(annotation)
        for i, element in enumerate(value):
            yield from _references(item, element, (*path, i))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        for name, info in annotation.model_fields.items():
            if name in value:
                yield from _field_references(info.annotation, info.metadata, value[name], (*path, name))


def _field_references(
    annotation: Any, metadata: list[Any], value: Any, path: DataPath
) -> Iterator[tuple[DataPath, str, str]]:
    ref = next((m for m in metadata if isinstance(m, RefField)), None)
    if ref is None:
        yield from _references(annotation, value, path)
    elif isinstance(value, str) and _ID.fullmatch(value):
        yield path, ref.kind, value


@dataclass(frozen=True)
class _PartialModel:
    """The model of what validated, what was left out (paths as written), and the lists' kept items."""

    document: Any
    left_out: frozenset[DataPath]
    kept: dict[DataPath, list[int]]

    def raw_path(self, path: DataPath) -> DataPath:
        """Where a value of the partial model is written in the data (lists lost items before it)."""
        return _raw_path(path, self.kept)


def _partial_model(raw: dict[str, Any], limits: Limits) -> tuple[_PartialModel | None, list[tuple[DataPath, str]]]:
    """The model of what validates (None if that cannot be told), and every structural error's path and type."""
    # The partial model takes a required section left out; the full one does not.
    structural: list[tuple[DataPath, str]] = [
        ((name,), "missing")
        for name, info in ComplianceDocument.model_fields.items()
        if info.is_required()
        if raw.get(name) is None
    ]
    left_out: set[DataPath] = set()
    for _ in range(_ROUNDS):
        kept: dict[DataPath, list[int]] = {}
        trimmed = _without(raw, (), left_out, kept)
        try:
            document = _Partial.model_validate(trimmed, context=validation_context(limits))
            return _PartialModel(document, frozenset(left_out), kept), structural
        except ValidationError as exc:
            errors = [(_raw_path(_written_path(e["loc"]), kept), e["type"]) for e in exc.errors()]
            structural += [] if left_out else errors  # the first round sees the data as written
            failing = {_part_to_leave_out(path, raw) for path, _ in errors}
            if None in failing or failing <= left_out:
                return None, structural
            left_out |= {path for path in failing if path is not None}
    return None, structural


def _written_path(loc: tuple[str | int, ...]) -> DataPath:
    # Union members are tagged `=name` (entries.py); the data has no such step.
    return tuple(part for part in loc if not (isinstance(part, str) and part.startswith("=")))


def _raw_path(path: DataPath, kept: dict[DataPath, list[int]]) -> DataPath:
    written: DataPath = ()
    for part in path:
        items = kept.get(written)
        if isinstance(part, int) and items is not None and part < len(items):
            part = items[part]
        written = (*written, part)
    return written


def _without(node: Any, path: DataPath, left_out: set[DataPath], kept: dict[DataPath, list[int]]) -> Any:
    """A copy of `node` without the parts at `left_out`, noting which items each shortened list kept."""
    if isinstance(node, dict):
        return {k: _without(v, (*path, k), left_out, kept) for k, v in node.items() if (*path, k) not in left_out}
    if isinstance(node, list):
        items = [i for i in range(len(node)) if (*path, i) not in left_out]
        if len(items) < len(node):
            kept[path] = items
        return [_without(node[i], (*path, i), left_out, kept) for i in items]
    return node


def _part_to_leave_out(path: DataPath, raw: dict[str, Any]) -> DataPath | None:
    """What to leave out for an error at `path`: the entry of a kind it is in, else the smallest part
    that is written and may be left out (a list item, an optional field, an unknown key); None if none."""
    for kind in KINDS.values():
        size = len(kind.path)
        if path[:size] == kind.path and len(path) > size and isinstance(path[size], int):
            return path[: size + 1]
    for end in range(len(path), 0, -1):
        part = path[:end]
        if not _is_written(raw, part):
            continue
        if end == 1 or isinstance(part[-1], int):
            return part
        model = model_at(part[:-1])
        info = model.model_fields.get(str(part[-1])) if model else None
        if info is None or not info.is_required():
            return part
    return None


def _is_written(raw: Any, path: DataPath) -> bool:
    node = raw
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        if not (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            return False
        node = node[part]
    return True
