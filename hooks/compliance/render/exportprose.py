"""The editor's prose in the export: rendered HTML under each prose field, its Markdown beside it.

`compliance.json` is read by machines that cannot fill in a mention (`[[claim:soc2]]`) or render
Markdown: each prose field holds the sanitized HTML the site shows, and `<field>_markdown` the source.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from ..model.values import MarkdownText
from .prose import ProseRenderer

SOURCE_SUFFIX = "_markdown"
_PROSE = "Markdown prose"
_RENDERED = (
    "HTML of the editor's Markdown prose as the site shows it (mentions filled in, links absolute under the "
    "site's address or relative to this file, sanitized); the source is under the same name with "
    f"'{SOURCE_SUFFIX}'"
)


def render_prose(model: BaseModel, dumped: dict[str, Any], prose: ProseRenderer, base: str) -> None:
    """Replace each prose value in `dumped` (the JSON dump of `model`) by its HTML, keeping the source beside it."""
    for name in type(model).model_fields:
        if name not in dumped:
            continue
        value, out = getattr(model, name), dumped[name]
        if isinstance(value, MarkdownText):
            dumped[name] = str(prose.render(value, base))
            dumped[name + SOURCE_SUFFIX] = str(value)
        elif isinstance(value, BaseModel) and isinstance(out, dict):
            render_prose(value, out, prose, base)
        elif isinstance(value, list) and isinstance(out, list):
            for item, item_out in zip(value, out, strict=False):
                if isinstance(item, BaseModel) and isinstance(item_out, dict):
                    render_prose(item, item_out, prose, base)


def prose_schema(schema: dict[str, Any]) -> None:
    """Mark every prose property of the export's schema as HTML and add its `_markdown` source beside it."""
    for definition in [schema, *schema.get("$defs", {}).values()]:
        properties = definition.get("properties", {})
        for name, spec in list(properties.items()):
            branches = spec.get("anyOf", [spec])
            if not any(branch.get("description") == _PROSE for branch in branches):
                continue
            properties[name + SOURCE_SUFFIX] = copy.deepcopy(spec)
            for branch in branches:
                if branch.get("description") == _PROSE:
                    branch["description"] = _RENDERED
                    branch.pop("x-expected", None)
            if name in definition.get("required", []):
                definition["required"].append(name + SOURCE_SUFFIX)
