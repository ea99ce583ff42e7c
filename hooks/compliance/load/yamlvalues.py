"""YAML events in, plain Python values out, with the file, line and column of every key and value.

PyYAML's own composer and constructors forget positions, silently keep the last of two duplicate keys
and expand aliases without limit; and composing a node graph only to walk it again costs a third of
the load. So the values are built here straight from the parser's events (libyaml's or PyYAML's), in
one pass that also refuses anchors and aliases, and nesting or counts past the limits, at their line.

Scalars are typed by YAML 1.2-like rules: only true/false are booleans, only plain decimals are
numbers, so `no`, `2016-02-01`, `010`, `0x1F`, `1_000` and `27:01` all stay text. Tags the data never
needs, keys that are not text and duplicate keys (which PyYAML would silently keep the last of) are
refused, each at its own place.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
import yaml.composer
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from ..errors import Location, Problem
from ..limits import LimitOption, Limits, limit_hint
from .sourcemap import FILE_BITS, LINE_SHIFT, DataPath, SourceMap, file_number, location
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


class Refused(Exception):
    """A problem that stops reading the file: its keys stay unknown."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


# How a plain scalar is typed, by its first character, as PyYAML's resolver would with these patterns.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in (
    ("bool", "|".join(BOOL), "tTfF"),
    ("int", INT.pattern, "-+0123456789"),
    ("float", FLOAT.pattern, "-+0123456789"),
    ("null", NULL.pattern, ("~", "n", "N", "")),
    ("merge", r"<<", "<"),  # resolved only to be refused with a clear message
):
    for _char in _first:
        _IMPLICIT.setdefault(_char, []).append((CORE_TAG + _tag, re.compile(f"^(?:{_pattern})$")))
_STR, _SEQ, _MAP, _NULL, _MERGE = (CORE_TAG + name for name in ("str", "seq", "map", "null", "merge"))


def _plain_tag(event: ScalarEvent) -> str:
    """A scalar's tag: its own, else by the patterns above when written plain, else text."""
    tag = event.tag
    if tag is not None and tag != "!":
        return str(tag)
    if event.implicit[0]:
        value = event.value
        for tag, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                return tag
    return _STR


class ValueBuilder:
    """Reads one document from a parser's events into values, recording places in `sources` and
    collecting problems; anchors and aliases are only noted (`anchors_seen`): the caller refuses them."""

    def __init__(self, parser: Any, name: str, sources: SourceMap, limits: Limits) -> None:
        # libyaml's parser or PyYAML's: both give the same events, with marks of the same fields.
        self.get_event, self.peek_event = parser.get_event, parser.peek_event
        self.name, self.file = name, file_number(name)
        self.sources = sources
        self.limits = limits
        self.most_values, self.most_depth = limits.values, limits.depth  # read once, not per value
        self.problems: list[Problem] = []
        self.unlisted = 0  # refusals past MAX_LISTED: the first is named, the rest only counted
        self.count = 0
        self.anchors_seen: list[tuple[Any, str]] = []
        self.result: tuple[bool, Any] = (False, None)  # what document() read

    def document(self) -> tuple[bool, Any]:
        """(True, the value) of the stream's one document, or (False, None) when it holds none; kept as `result`."""
        self.get_event()  # the stream's start
        if self.peek_event().__class__ is StreamEndEvent:
            self.get_event()
            return False, None
        self.get_event()  # the document's start
        first = self.peek_event().start_mark
        value = self.node((), 1, True)
        self.get_event()  # the document's end
        if self.peek_event().__class__ is not StreamEndEvent:
            mark = self.get_event().start_mark
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", first, "but found another document", mark
            )
        self.get_event()
        self.result = (True, value)
        return self.result

    def where(self, mark: Any) -> Location:
        return Location(self.name, mark.line + 1, mark.column + 1)

    def place(self, mark: yaml.Mark) -> int:
        """Where `mark` points, as the source map keeps it (sourcemap.place, without a call per value)."""
        return (mark.line + 1) << LINE_SHIFT | (mark.column + 1) << FILE_BITS | self.file

    def refuse(self, mark: Any, message: str) -> None:
        self.unlisted += len(self.problems) >= MAX_LISTED
        if self.unlisted == 1:
            message = "more values like the ones above are refused too; fix those first"
        if self.unlisted <= 1:
            self.problems.append(Problem(self.where(mark), message))

    def node(self, path: DataPath, depth: int, build: bool) -> Any:
        """The value of the next node, at `path`; with `build` False, only read (and checked)."""
        event = self.get_event()
        if self._entered(event, depth):  # an alias, read as an empty value
            if build:
                self.sources.values[path] = self.place(event.start_mark)
            return None
        kind = event.__class__
        if kind is ScalarEvent:
            tag = _plain_tag(event)
            if not build:
                return None
            self.sources.values[path] = self.place(event.start_mark)
            return self._scalar(tag, event.value, event.start_mark, event.style)
        if kind is SequenceStartEvent:
            keep = self._collection(event, path, build, _SEQ)
            items: list[Any] = []
            while self.peek_event().__class__ is not SequenceEndEvent:
                items.append(self.node((*path, len(items)), depth + 1, keep))
            self.get_event()
            return items if keep else None
        keep = self._collection(event, path, build, _MAP)
        result: dict[str, Any] = {}
        while self.peek_event().__class__ is not MappingEndEvent:
            self._pair(result, path, depth + 1, keep)
        self.get_event()
        return result if keep else None

    def _collection(self, event: Any, path: DataPath, build: bool, plain: str) -> bool:
        """Note where a sequence or mapping starts (its tag `plain` when untagged); whether its items are
        kept: not under another tag, which is refused at its place."""
        tag = plain if event.tag is None or event.tag == "!" else event.tag
        keep = build and tag == plain
        if build:
            self.sources.values[path] = self.place(event.start_mark)
            if not keep:
                self.refuse(event.start_mark, _tag_problem(tag))
        return keep

    def _entered(self, event: Any, depth: int) -> bool:
        """Count and check a node as it starts; True for an alias, which is only noted."""
        if event.anchor is not None:
            # Refused outright rather than bounded: the data never needs them, and a few hundred
            # bytes of nested aliases ("billion laughs") expand to gigabytes.
            alias = event.__class__ is AliasEvent
            self.anchors_seen.append((event.start_mark, f"{'*' if alias else '&'}{event.anchor}"))
            if alias:
                return True
        self.count += 1
        if self.count > self.most_values:
            message = f"more than {self.limits.values:,} keys and values in one file; split it"
            raise Refused(event.start_mark, f"{message}, or {limit_hint(LimitOption.FILE_SIZE)}")
        if depth > self.most_depth:
            message = f"nested more than {self.limits.depth} levels deep; data files need far fewer"
            hint = f" (look for unclosed brackets or runaway indentation), or {limit_hint(LimitOption.YAML_DEPTH)}"
            raise Refused(event.start_mark, message + hint)
        return False

    def _pair(self, result: dict[str, Any], path: DataPath, depth: int, build: bool) -> None:
        """One key and its value, into `result`."""
        event = self.peek_event()
        mark = event.start_mark
        text: str | None = None
        style: str | None = None
        if event.__class__ is ScalarEvent:
            self.get_event()
            self._entered(event, depth)
            tag, text, style = _plain_tag(event), event.value, event.style
        else:  # a collection or an alias as a key: read and checked, never text
            tag = getattr(event, "tag", None) or _NULL  # an alias reads as an empty value
            self.node(path, depth, False)
        if not build:
            self.node(path, depth, False)
            return
        if tag == _MERGE:
            self.refuse(mark, _TAG_ADVICE["merge"])
        elif text is None or tag != _STR:
            self.refuse(mark, "expected a text key (quote it if it looks like a number)")
        else:
            key = self._scalar(tag, text, mark, style)
            if key in result:
                first = location(self.sources.keys[(*path, key)])
                self.refuse(
                    mark,
                    f"duplicate key '{key}' (first defined at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
            else:
                self.sources.keys[(*path, key)] = self.place(mark)
                result[key] = self.node((*path, key), depth, True)
                return
        self.node(path, depth, False)

    def _scalar(self, tag: str, text: str, mark: Any, style: str | None) -> Any:
        if len(text) > self.limits.text_chars:
            over = f"a value of {len(text):,} characters, over the limit of {self.limits.text_chars:,}"
            self.refuse(mark, f"{over}; shorten it, or {limit_hint(LimitOption.VALUE_LENGTH)}")
            return None
        short = tag.removeprefix(CORE_TAG)
        if short == "str":
            # Only a double-quoted value holds characters its file does not (escapes such as "\0"): the
            # file's own were checked before parsing (yamltext), and YAML reads its line breaks as LF.
            bad = REFUSED_IN_TEXT.search(text) if style == '"' else None
            if bad:
                self.refuse(mark, f"the text holds {char_name(bad[0])}, which is not allowed; remove it")
            return text
        if short == "null" and NULL.fullmatch(text):
            return None
        if short == "bool" and text in BOOL:
            return BOOL[text]
        if short == "int" and INT.fullmatch(text):
            return self._integer(mark, text)
        if short == "float" and FLOAT.fullmatch(text):
            number = float(text)
            if math.isfinite(number):
                return number
            self.refuse(mark, f"the number {_clip(text)} is too large to use; put it in quotes if it is text")
            return None
        if short in ("null", "bool", "int", "float"):
            hint = {"bool": "true or false", "int": "a whole number like 42", "float": "a number like 1.5"}
            self.refuse(mark, f"'!!{short}' needs {hint.get(short, 'an empty value')}, got {_clip(text)!r}")
            return None
        self.refuse(mark, _tag_problem(tag))
        return None

    def _integer(self, mark: Any, text: str) -> int | None:
        digits = len(text.lstrip("+-"))
        if digits > self.limits.integer_digits:
            self.refuse(
                mark,
                f"a number of {digits} digits is too large (at most {self.limits.integer_digits}); "
                "put it in quotes if it is text, such as an identifier",
            )
            return None
        return int(text)


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
