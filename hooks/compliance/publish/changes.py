"""What a change to the data changes for readers: claims added, removed, or whose status, scope or dates
changed, from the `compliance.json` of two builds (a pull request's base and head).

Both files come from builds of possibly different versions of this project, and the base from a branch
nobody reviewed here: each is read defensively, and every value is escaped where a report writes it.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..links.escaping import markdown_code, one_line

# What a reader of a claim's card sees change: its status, what it covers, and the dates it rests on.
WATCHED = ("status", "scope", "issued", "valid_until", "expected", "report_period", "last_reviewed")
MAX_EXPORT_BYTES = 64 * 1024 * 1024


class ChangeKind(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    """One watched field of a claim, before and after, written as text (`None`: not stated)."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ClaimChange:
    kind: ChangeKind
    id: str
    title: str
    fields: tuple[FieldChange, ...] = ()


class ExportError(Exception):
    """A compliance.json that cannot be compared; the message names the file."""


def read_claims(path: Path) -> dict[str, dict[str, Any]]:
    """The claims of an exported compliance.json, by id, in the file's order."""
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise ExportError(f"{path}: larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB, not a site's export")
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExportError(f"{path}: not JSON ({one_line(str(exc))[:200]})") from None
    claims = document.get("claims") if isinstance(document, dict) else None
    if not isinstance(claims, list) or not all(isinstance(c, dict) and isinstance(c.get("id"), str) for c in claims):
        raise ExportError(f"{path}: not a compliance.json export (expected a list of claims, each with an id)")
    return {claim["id"]: claim for claim in claims}


def claim_changes(base: dict[str, dict[str, Any]], head: dict[str, dict[str, Any]]) -> list[ClaimChange]:
    """Claims added and changed (in the head's order), then those removed (in the base's)."""
    changes = []
    for claim_id, claim in head.items():
        before = base.get(claim_id)
        if before is None:
            changes.append(ClaimChange(ChangeKind.ADDED, claim_id, _title(claim), _stated(claim)))
            continue
        fields = tuple(
            FieldChange(name, _value(before.get(name)), _value(claim.get(name)))
            for name in WATCHED
            if _value(before.get(name)) != _value(claim.get(name))
        )
        if fields:
            changes.append(ClaimChange(ChangeKind.CHANGED, claim_id, _title(claim), fields))
    changes += [ClaimChange(ChangeKind.REMOVED, i, _title(c)) for i, c in base.items() if i not in head]
    return changes


def render_markdown(changes: list[ClaimChange]) -> str:
    """A job summary's section: one list item per claim, every value from the data a code span."""
    lines = ["### What changed for readers", ""]
    if not changes:
        return "\n".join([*lines, "No claim was added or removed, and no claim's status, scope or dates changed.", ""])
    for change in changes:
        claim = f"{markdown_code(change.id, in_table=False)} ({markdown_code(change.title, in_table=False)})"
        detail = "; ".join(_markdown_field(change.kind, field) for field in change.fields)
        lines.append(f"- **{change.kind.value}**: {claim}" + (f": {detail}" if detail else ""))
    counts = {kind: sum(1 for c in changes if c.kind is kind) for kind in ChangeKind}
    lines += ["", ", ".join(f"{n} {kind.value}" for kind, n in counts.items()) + ".", ""]
    return "\n".join(lines)


def render_text(changes: list[ClaimChange]) -> str:
    """The same, as plain lines for a terminal or a log."""
    if not changes:
        return "no claim changed for readers\n"
    lines = []
    for change in changes:
        if change.kind is ChangeKind.ADDED:
            detail = "; ".join(f"{f.name} {f.after}" for f in change.fields)
        else:
            detail = "; ".join(
                f"{f.name} {f.before or 'not stated'} -> {f.after or 'not stated'}" for f in change.fields
            )
        lines.append(one_line(f"{change.kind.value}: {change.id} ({change.title})" + (f": {detail}" if detail else "")))
    return "\n".join(lines) + "\n"


def _markdown_field(kind: ChangeKind, field: FieldChange) -> str:
    def shown(value: str | None) -> str:
        return "not stated" if value is None else markdown_code(value, in_table=False)

    if kind is ChangeKind.ADDED:
        return f"{field.name} {shown(field.after)}"
    return f"{field.name} {shown(field.before)} → {shown(field.after)}"


def _stated(claim: dict[str, Any]) -> tuple[FieldChange, ...]:
    """What a new claim states, among the watched fields."""
    return tuple(FieldChange(n, None, _value(claim.get(n))) for n in WATCHED if _value(claim.get(n)) is not None)


def _title(claim: dict[str, Any]) -> str:
    title = claim.get("title")
    return title if isinstance(title, str) else str(claim.get("id"))


def _value(value: object) -> str | None:
    """A field's value as comparable text; an empty or missing one (a scope of empty lists) is not stated."""
    value = _stated_part(value)
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def _stated_part(value: object) -> object:
    if isinstance(value, dict):
        value = {key: part for key, item in value.items() if (part := _stated_part(item)) is not None}
    elif isinstance(value, list):
        value = [part for item in value if (part := _stated_part(item)) is not None]
    return None if value in (None, "", [], {}) else value
