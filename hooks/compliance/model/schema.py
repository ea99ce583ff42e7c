"""Validate the merged data against the model and report each problem at its file, line and column.

The model (`entries.py`) is the single declaration of the data; this module turns pydantic's errors into
the messages editors read, and generates the JSON Schema that editors' IDEs use.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import ErrorDetails, core_schema

from ..errors import Problem, format_path
from ..limits import Limits
from ..load.yamlload import DataPath, SourceMap
from ..suggest import suggest
from .document import ComplianceDocument
from .language import is_translatable
from .values import RESERVED_PAGE_IDS, describe

SCHEMA_ID = "https://example.invalid/compliance-site/compliance.schema.json"

_TYPE_WORDS = {
    "list_type": "a list",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "dict_type": "a mapping of keys to values",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "string_type": "text",
}


def parse_document(
    document: dict[str, Any], sources: SourceMap, *, incomplete: bool = False, limits: Limits | None = None
) -> tuple[ComplianceDocument | None, list[Problem]]:
    """The typed model of `document` and no problems, or None and every problem found.

    `incomplete` means some data file could not be read: top-level keys it may have held are not
    reported as missing, since the editor will see that file's own error. The value types that have
    a limit read it from `limits` (the defaults when None).
    """
    try:
        return ComplianceDocument.model_validate(document, context=validation_context(limits)), []
    except ValidationError as exc:
        problems = [p for error in exc.errors() for p in _explain(error, sources, incomplete)]
        return None, problems


def validation_context(limits: Limits | None) -> dict[str, Any]:
    """The context a validation of the data runs in: the build's limits (`values.limits_of`)."""
    return {"limits": limits or Limits()}


def published_schema(limits: Limits | None = None) -> dict[str, Any]:
    """The JSON Schema of one data file, as editors' IDEs use it, with the build's `limits`.

    Each file holds some of the top-level keys, so the root requires none; the build checks that the
    merged files hold all the required ones.
    """
    schema = with_limits(ComplianceDocument.model_json_schema(schema_generator=_EditorSchema), limits)
    schema.pop("required", None)
    _with_translations(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "Compliance site data",
        "description": "One file of data/*.yml; all files are merged by their top-level keys.",
    }


# A translation's key: the field's name, `@`, and a language tag (`title@sv`, `prose@de-CH`).
TRANSLATION_KEY = r"@[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"


def _with_translations(schema: dict[str, Any]) -> None:
    """Let editors' IDEs accept `title@sv` beside each field of words, and labels that only override the tool's."""
    definitions = schema.get("$defs", {})
    for model in _models(ComplianceDocument):
        target = schema if model is ComplianceDocument else definitions.get(model.__name__)
        if target is None or "properties" not in target:
            continue
        words = [name for name, info in model.model_fields.items() if is_translatable(info)]
        if model is ComplianceDocument:
            words.append("labels")  # `labels@sv:`, the organisation's labels for another language
        patterns = {f"^{name}{TRANSLATION_KEY}": target["properties"][name] for name in words}
        if patterns:
            target["patternProperties"] = patterns
        if model.__module__.endswith(".labels"):
            target.pop("required", None)  # what an organisation leaves out is the tool's (labels/<lang>.yml)


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """`root` and every model its fields hold, each once."""
    found: list[type[BaseModel]] = []
    pending: list[Any] = [root]
    while pending:
        annotation = pending.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in found:
                continue
            found.append(annotation)
            pending += [info.annotation for info in annotation.model_fields.values()]
        else:
            pending += list(typing.get_args(annotation))
    return found


def schema_text(limits: Limits | None = None) -> str:
    """The published schema as it is committed to data/schema/ (sorted, so diffs stay small)."""
    return json.dumps(published_schema(limits), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def with_limits(schema: Any, limits: Limits | None) -> Any:
    """`schema` with each page id's `maxLength` set to `max_id_length`, in place.

    The model declares the default; an organisation that raises the option must not get a schema
    (its editors' IDE, or its site's export) that refuses the ids its build accepts.
    """
    chars = (limits or Limits()).id_chars
    if isinstance(schema, dict):
        if "maxLength" in schema and schema.get("not") == {"enum": list(RESERVED_PAGE_IDS)}:
            schema["maxLength"] = chars
        for value in schema.values():
            with_limits(value, limits)
    elif isinstance(schema, list):
        for value in schema:
            with_limits(value, limits)
    return schema


class _EditorSchema(GenerateJsonSchema):
    """Optional fields are simply left out in YAML, so the schema never offers `null` for them."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        default = schema.get("default")
        return inner if default in (None, [], {}) or isinstance(default, BaseModel) else {**inner, "default": default}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def explain_errors(exc: ValidationError, sources: SourceMap) -> list[Problem]:
    """Every error of a validation of part of the data (its paths as in the whole), at its file and line."""
    return [p for error in exc.errors() for p in _explain(error, sources, False)]


def _explain(error: ErrorDetails, sources: SourceMap, incomplete: bool) -> Iterator[Problem]:
    # Union members are tagged `=name` (entries.py); the editor's path has no such step.
    path: DataPath = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("=")))
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(path[:-1]))
        key = str(path[-1])
        yield Problem(sources.key(path), f"unknown key '{key}'{suggest(key, allowed)}", format_path(path))
    elif kind == "missing":
        if not (incomplete and len(path) == 1):
            yield Problem(sources.value(path[:-1]), "required field is missing", format_path(path))
    else:
        yield Problem(sources.value(path), _message(error, path), format_path(path))


def _message(error: ErrorDetails, path: DataPath) -> str:
    kind, value, context = error["type"], error["input"], error.get("ctx", {})
    if kind == "compliance":
        return str(context["message"])
    if kind in ("literal_error", "list_type", "too_short") and allowed_values(_annotation_at(path)) == ["all"]:
        got = "an empty list" if kind == "too_short" else describe(value)
        return f"expected 'all' or a list of the ids it holds for, got {got}; leave it out where the source is silent"
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, got {describe(value)}"
    if kind == "literal_error":
        choices = allowed_values(_annotation_at(path))
        hint = suggest(value, choices) if isinstance(value, str) else ""
        if hint.startswith("; did you mean"):
            return f"expected one of {', '.join(choices)}, got {describe(value)}{hint}"
        return f"expected one of {', '.join(choices)}, got {describe(value)}"
    if kind == "too_short":
        wanted = context.get("min_length", 1)
        return f"expected at least {wanted} item{'s' if wanted != 1 else ''}, got none"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        limit = context.get("ge", context.get("le"))
        return f"expected a whole number {bound} {limit}, got {describe(value)}"
    return str(error["msg"])


def allowed_values(annotation: Any) -> list[str]:
    """Every value a `Literal` within `annotation` allows, in declared order (from the type itself)."""
    if typing.get_origin(annotation) is typing.Literal:
        return [str(value) for value in typing.get_args(annotation)]
    values: list[str] = []
    for arg in typing.get_args(annotation):
        values += [v for v in allowed_values(arg) if v not in values]
    return values


def _fields_at(path: DataPath) -> set[str]:
    """The keys allowed at `path`."""
    model = model_at(path)
    return set(model.model_fields) if model else set()


def model_at(path: DataPath) -> type[BaseModel] | None:
    """The model whose mapping is written at `path`, if a mapping of one is expected there."""
    # Every item of a list has the same type: one answer per shape of path (`claims[*].scope`).
    return _model_at_shape(tuple(0 if isinstance(part, int) else part for part in path))


@functools.lru_cache(maxsize=4096)
def _model_at_shape(path: DataPath) -> type[BaseModel] | None:
    annotation = _unwrap(_annotation_at(path))
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _annotation_at(path: DataPath) -> Any:
    """The model's type at `path`: follow the field types down from the root."""
    annotation: Any = ComplianceDocument
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            annotation = field.annotation if field else None
    return annotation


def _unwrap(annotation: Any) -> Any:
    """`X | None` and `Annotated[X, ...]` both read as X here."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and args:
            annotation = args[0]
            continue
        return annotation
