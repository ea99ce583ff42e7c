"""Text that reads otherwise than it is written, refused in every text value of the data.

Three ways: invisible format characters (bidi overrides reorder text, zero-width ones hide in names
and URLs); characters that show as nothing though they are not spaces (Hangul fillers, the Braille
blank), so a label of them alone publishes an empty heading; and variation selectors, which show as
nothing except right after the character they select a glyph of, and in a run after any character
carry hidden text ("emoji smuggling": one selector per byte).
"""

from __future__ import annotations

import re
import unicodedata

# Invisible format characters (Unicode category Cf). Ids and URLs hold none; plain text keeps the
# zero-width (non-)joiners that Persian, Indic scripts and emoji need; prose also keeps the marks and
# isolates a right-to-left language needs, but never the overrides.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
# Letters that show as nothing: the Hangul fillers (choseong, jungseong, compatibility, halfwidth)
# and the Braille pattern blank. Python's str.strip() keeps them, so a value of them alone is "text".
_BLANKS = "\u115f\u1160\u3164\uffa0\u2800"
_SELECTORS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
INVISIBLE_IN_IDS = re.compile(f"[{_INVISIBLE}{_BLANKS}{_SELECTORS}\u200c\u200d]")
INVISIBLE_IN_TEXT = re.compile(f"[{_INVISIBLE}]")
INVISIBLE_IN_PROSE = re.compile("[\u202a-\u202e]")
# What shows nothing on its own: spaces, the blanks, and every invisible character text may keep
# (joiners, marks, isolates, selectors, the combining grapheme joiner).
_SHOWS_NOTHING = re.compile(f"[\\s{_INVISIBLE}{_BLANKS}{_SELECTORS}\u034f\u200c\u200d\u2066-\u2069]")
_SELECTOR = re.compile(f"[{_SELECTORS}]")
_RUN = re.compile(f"[{_SELECTORS}]{{2,}}")
# Emoji that are not symbols by category: keycap bases, U+203C, U+2049, U+2139, U+3030, U+303D.
_EMOJI_NOT_SYMBOLS = frozenset("#*0123456789\u203c\u2049\u2139\u3030\u303d")


def hidden_text(value: str, expected: str, invisible: re.Pattern[str]) -> str | None:
    """Why `value` reads otherwise than it is written (the message, naming `expected`), or None."""
    hidden = invisible.search(value)
    if hidden:
        return (
            f"expected {expected} without invisible formatting characters, got {_named(hidden[0])} "
            f"at character {hidden.start() + 1}; it makes the text read otherwise than it is written"
        )
    if not _SHOWS_NOTHING.sub("", value):
        blank = next(char for char in value if not char.isspace())
        return f"expected {expected}, got text that shows as nothing, {_named(blank)}; write the words themselves"
    for selector in _SELECTOR.finditer(value):
        at = selector.start()
        run = _RUN.match(value, at)
        if run is not None:
            return (
                f"expected {expected} without hidden text, got {len(run[0])} variation selectors in a row at "
                f"character {at + 1}; they show as nothing and can carry hidden text, so delete them"
            )
        before = value[at - 1] if at else ""
        if not _selects(selector[0], before):
            after = f"after {before!r}" if before else "at the start"
            return (
                f"expected {expected} without hidden text, got {_named(selector[0])} at character {at + 1}, "
                f"{after}; a variation selector shows as nothing except right after an emoji (or, for "
                "U+FE00 to U+FE0D and U+E0100 on, a CJK ideograph), so delete it"
            )
    return None


def _selects(selector: str, base: str) -> bool:
    """Whether `selector` picks a glyph of `base`: an emoji's (U+FE0E, U+FE0F) or a CJK ideograph's."""
    if not base:
        return False
    if selector in "\ufe0e\ufe0f":
        return base in _EMOJI_NOT_SYMBOLS or unicodedata.category(base) in ("So", "Sm")
    return unicodedata.name(base, "").startswith("CJK ")


def _named(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a format character')})"
