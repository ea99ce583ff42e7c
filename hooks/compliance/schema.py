"""Check loaded compliance data against the JSON Schema in data/schema/.

Every problem is collected (none stops the others) and reported at the file,
line and column it came from, in words an editor can act on.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from .errors import Problem, format_path
from .yamlload import DataPath, SourceMap

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys to values",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


def load_schema(path: Path) -> dict[str, Any]:
    """Read the JSON Schema, checking that it is itself a valid schema."""
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def schema_problems(document: Any, schema: dict[str, Any], sources: SourceMap) -> list[Problem]:
    """Every way `document` breaks `schema`, each placed at its source location."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems: list[Problem] = []
    for error in validator.iter_errors(document):
        problems.extend(_explain(error, sources))
    return problems


def suggest(word: str, choices: list[str]) -> str:
    """' ; did you mean X?' for a near miss, else the list of what is allowed."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if choices:
        return "; expected one of: " + ", ".join(sorted(choices))
    return ""


def describe(value: Any) -> str:
    """How a YAML value reads back to an editor, e.g. `text 'no'` or `a list`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing (an empty value)"
    return _TYPE_WORDS["array" if isinstance(value, list) else "object"]


def _explain(error: ValidationError, sources: SourceMap) -> Iterator[Problem]:
    path: DataPath = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            where = (*path, key)
            yield Problem(sources.key(where), f"unknown key '{key}'{suggest(key, allowed)}", format_path(where))
        return
    if kind == "required" and isinstance(error.instance, dict):
        for key in error.validator_value:
            if key not in error.instance:
                yield Problem(sources.value(path), "required field is missing", format_path((*path, key)))
        return
    if kind == "format" and "pattern" in schema and not re.search(schema["pattern"], str(error.instance)):
        return  # the pattern error already says what shape is expected
    yield Problem(sources.value(path), _message(error, schema), format_path(path))


def _message(error: ValidationError, schema: dict[str, Any]) -> str:
    kind, value, rule = error.validator, error.instance, error.validator_value
    got = describe(value)
    if "x-expected" in schema and kind in ("pattern", "enum", "const"):
        return f"expected {schema['x-expected']}, got {got}"
    if kind == "type":
        wanted = rule if isinstance(rule, list) else [rule]
        return f"expected {' or '.join(_TYPE_WORDS.get(t, t) for t in wanted)}, got {got}"
    if kind == "enum":
        return f"expected one of {', '.join(map(str, rule))}, got {got}"
    if kind == "minItems":
        return f"expected at least {rule} item{'s' if rule != 1 else ''}, got {len(value)}"
    if kind == "uniqueItems":
        return "expected each entry once, got duplicates"
    if kind == "minimum":
        return f"expected a number of at least {rule}, got {got}"
    if kind == "format":
        wanted = "a real calendar date" if rule == "date" else f"a valid {rule}"
        return f"expected {wanted}, got {got}"
    if kind == "pattern":
        return f"expected text matching {rule}, got {got}"
    return error.message
