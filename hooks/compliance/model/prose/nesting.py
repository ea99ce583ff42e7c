"""How deep prose may nest before Python-Markdown reads it in more than linear time.

Its link matching scans from every `[` (and every `(` of a link target) to the bracket that closes
it, so 19,000 unclosed `[` take minutes; its list parser recurses once per level, so a thousand
levels of indentation, or of list markers on one line (`- - - x`), end in RecursionError. Prose is
refused before rendering when more brackets are open at once, or more lists and quotes are nested,
than the limit: the work is then at most the limit times the length.
"""

from __future__ import annotations

import re

from ...limits import LimitOption, limit_hint

_BRACKETS = re.compile(r"\\.|[\[\]()]")
# What opens a level of nesting at the start of a line: a quote mark, four columns of indentation,
# or a list marker followed by a space (`- - - x` is three lists, one inside the other).
_LINE_PREFIX = re.compile(r"^(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*", re.MULTILINE)
_LIST_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")
_RULE = re.compile(r"[ \t>]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)


def nesting_problem(text: str, limit: int) -> tuple[str, str] | None:
    """(message, the text where it starts) for prose nested deeper than `limit`, or None."""
    hint = f"or {limit_hint(LimitOption.NESTING)}"
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    for match in _BRACKETS.finditer(text):
        char = match[0]
        if char in open_at:
            open_at[char].append(match.start())
            if len(open_at[char]) > limit:
                start = open_at[char][0]
                message = (
                    f"more than {limit} '{char}' are open at once here (nested, or never closed), which Markdown "
                    f"reads very slowly; close them, write a bracket as \\{char}, {hint}"
                )
                return message, text[start : start + 40]
        elif char in "])":
            stack = open_at["[" if char == "]" else "("]
            if stack:
                stack.pop()
    for match in _LINE_PREFIX.finditer(text):
        prefix = match[0]
        if _RULE.match(text, match.start()):  # `- - -` is a horizontal rule, not lists
            prefix = prefix[: len(prefix) - len(prefix.lstrip(" \t>"))]
        first = _LIST_MARKER.search(prefix)
        indent = re.sub(r"> ?", "", prefix[: first.start()] if first else prefix)
        levels = prefix.count(">") + len(_LIST_MARKER.findall(prefix)) + len(indent.expandtabs(4)) // 4
        if levels > limit:
            message = (
                f"lists or quotes nested {levels} levels deep here, over the limit of {limit}; nest them less, {hint}"
            )
            return message, text[match.start() : match.start() + 40]
    return None
