"""YAML nodes in, plain Python values out, with the file, line and column of every key and value.

Scalars are typed by YAML 1.2-like rules: only true/false are booleans, only plain decimals are
numbers, so `no`, `2016-02-01`, `010`, `0x1F`, `1_000` and `27:01` all stay text (yamlload's
resolvers tag them by the same patterns). Tags the data never needs, keys that are not text and
duplicate keys (which PyYAML would silently keep the last of) are refused, each at its own place.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..errors import Location, Problem
from ..limits import LimitOption, Limits, limit_hint
from .sourcemap import DataPath, SourceMap
from .yamltext import MAX_LISTED, REFUSED_IN_TEXT, char_name

CORE_TAG = "tag:yaml.org,2002:"
# The scalar rules: yamlload's resolvers tag a plain scalar by them, and the builder checks them again
# for a value tagged explicitly (`!!int 0x1F` is refused, not read as 31).
INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?")
BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
NULL = re.compile(r"~|null|Null|NULL|")
_TAG_ADVICE = {
    "binary": "binary data (!!binary) cannot be used in data files; put the file under docs/ and give its path",
    "timestamp": "'!!timestamp' is not supported; write the date as plain text, e.g. 2016-02-01",
    "set": "'!!set' is not supported; write a list (- item)",
    "omap": "'!!omap' is not supported; write a mapping (key: value)",
    "pairs": "'!!pairs' is not supported; write a mapping (key: value)",
    "merge": "'<<' merge keys are not supported; write each key out in full",
}


def mark_location(name: str, mark: yaml.Mark | None) -> Location:
    """Where a YAML mark (0-based) points, as the 1-based line and column editors read."""
    return Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)


class ValueBuilder:
    """Builds one file's values from its nodes, recording places in `sources` and collecting problems."""

    def __init__(self, name: str, sources: SourceMap, limits: Limits) -> None:
        self.name = name
        self.sources = sources
        self.limits = limits
        self.problems: list[Problem] = []
        self.unlisted = 0  # refusals past MAX_LISTED: the first is named, the rest only counted

    def where(self, node: yaml.Node) -> Location:
        return mark_location(self.name, node.start_mark)

    def refuse(self, node: yaml.Node, message: str) -> None:
        self.unlisted += len(self.problems) >= MAX_LISTED
        if self.unlisted == 1:
            message = "more values like the ones above are refused too; fix those first"
        if self.unlisted <= 1:
            self.problems.append(Problem(self.where(node), message))

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.sources.values[path] = self.where(node)
        if isinstance(node, yaml.MappingNode) and node.tag == CORE_TAG + "map":
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == CORE_TAG + "seq":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.refuse(node, _tag_problem(node.tag))
        return None

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag.removeprefix(CORE_TAG), node.value
        if len(text) > self.limits.text_chars:
            over = f"a value of {len(text):,} characters, over the limit of {self.limits.text_chars:,}"
            self.refuse(node, f"{over}; shorten it, or {limit_hint(LimitOption.VALUE_LENGTH)}")
            return None
        if tag == "str":
            bad = REFUSED_IN_TEXT.search(text)
            if bad:
                self.refuse(node, f"the text holds {char_name(bad[0])}, which is not allowed; remove it")
            return text
        if tag == "null" and NULL.fullmatch(text):
            return None
        if tag == "bool" and text in BOOL:
            return BOOL[text]
        if tag == "int" and INT.fullmatch(text):
            return self._integer(node, text)
        if tag == "float" and FLOAT.fullmatch(text):
            number = float(text)
            if math.isfinite(number):
                return number
            self.refuse(node, f"the number {_clip(text)} is too large to use; put it in quotes if it is text")
            return None
        if tag in ("null", "bool", "int", "float"):
            hint = {"bool": "true or false", "int": "a whole number like 42", "float": "a number like 1.5"}
            self.refuse(node, f"'!!{tag}' needs {hint.get(tag, 'an empty value')}, got {_clip(text)!r}")
            return None
        self.refuse(node, _tag_problem(node.tag))
        return None

    def _integer(self, node: yaml.ScalarNode, text: str) -> int | None:
        digits = len(text.lstrip("+-"))
        if digits > self.limits.integer_digits:
            self.refuse(
                node,
                f"a number of {digits} digits is too large (at most {self.limits.integer_digits}); "
                "put it in quotes if it is text, such as an identifier",
            )
            return None
        return int(text)

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == CORE_TAG + "merge":
                self.refuse(key_node, _TAG_ADVICE["merge"])
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != CORE_TAG + "str":
                self.refuse(key_node, "expected a text key (quote it if it looks like a number)")
                continue
            key = self._scalar(key_node)
            if key in result:
                first = self.sources.keys[(*path, key)]
                self.refuse(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            self.sources.keys[(*path, key)] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def _tag_problem(tag: str) -> str:
    short = tag.removeprefix(CORE_TAG)
    if short in _TAG_ADVICE:
        return _TAG_ADVICE[short]
    shown = f"!!{short}" if tag.startswith(CORE_TAG) else tag
    if short.startswith("python/"):
        return f"YAML tag '{_clip(shown)}' is not allowed: data files hold plain values only"
    return f"unknown YAML tag '{_clip(shown)}'; remove it"


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
