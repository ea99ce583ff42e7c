"""User patterns (--exclude, --include, --remap, the ignore file, links.toml) compiled by RE2.

Python's `re` backtracks: `(a+)+$` against a long URL runs for years. RE2 matches in time linear
in the URL whatever the pattern, and refuses what needs backtracking (backreferences, lookaround)
when the pattern is compiled, so a bad pattern is one line at start-up, never a hung check.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol


class UrlPattern(Protocol):
    """What the checker needs of a compiled pattern (an RE2 one from users; tests may pass a `re` one)."""

    @property
    def pattern(self) -> str: ...

    def search(self, string: str, /) -> object: ...

    def sub(self, repl: str, string: str, /, count: int = 0) -> str: ...


class PatternError(ValueError):
    """A user pattern RE2 cannot compile; the message names where it came from and the pattern."""


def compile_pattern(where: str, text: str, shown: str = "") -> UrlPattern:
    """`text` compiled by RE2; an error names where it comes from (`--exclude`, `.lycheeignore:3:`) and the pattern."""
    import re2  # here: a run without patterns does not pay its 13 ms import

    try:
        compiled: UrlPattern = re2.compile(text, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        if reason.startswith(("invalid perl operator", "invalid escape sequence")):
            reason += " (RE2 has no backreferences or lookaround)"
        raise PatternError(f"{where} {(shown or text)!r}: bad regular expression: {reason}") from None
    return compiled


@cache
def _options() -> object:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would log each refused pattern to stderr itself; the caller says it once
    return options
