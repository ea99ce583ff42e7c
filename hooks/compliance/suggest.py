"""Did-you-mean: a near miss among the known names, within a budget of comparisons per build."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .limits import LimitOption, limit_hint

# Choices few enough to list in a message, and to compare a word with at no cost worth counting.
FEW_CHOICES = 12


@dataclass
class SuggestionBudget:
    """How many words a load may still compare with long lists of names for "did you mean".

    Each comparison with 20,000 ids costs about 40 ms, so 20,000 unknown ids would take minutes;
    past the budget the words are only counted, and summed up in one line (`skipped_message`).
    """

    left: int = 20
    limit: int = 20
    skipped: int = 0

    def reset(self, limit: int) -> None:
        self.left = self.limit = limit
        self.skipped = 0

    def skipped_message(self) -> str | None:
        if not self.skipped:
            return None
        return (
            f"{self.skipped:,} more unknown names were not compared with the known ones for a 'did you mean' "
            f"(at most {self.limit} in one build); {limit_hint(LimitOption.SUGGESTIONS)}"
        )


SUGGESTIONS = SuggestionBudget()


def suggest(word: str, choices: list[str]) -> str:
    """'; did you mean X?' for a near miss, else the list of what is allowed (when it is short)."""
    if len(choices) > FEW_CHOICES:
        if SUGGESTIONS.left <= 0:
            SUGGESTIONS.skipped += 1
            return ""
        SUGGESTIONS.left -= 1
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if choices and len(choices) <= FEW_CHOICES:
        return "; expected one of: " + ", ".join(sorted(choices))
    return ""
