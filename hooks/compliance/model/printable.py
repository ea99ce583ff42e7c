"""Text the PDF's fonts cannot draw: refused at its YAML line when the build is for the PDF (`pdf: true`).

The PDF is printed by Chromium with the machine's fonts (Liberation and DejaVu on the CI image), which
hold no emoji: an emoji in a heading printed as an empty box. Shipping a colour emoji font would put
about 10 MB into every site, over the size a published file may have, so the build for the PDF says
where the character is and asks for words instead. The web pages themselves show emoji as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..errors import Problem, format_path
from ..load.sourcemap import DataPath, SourceMap

# Pictographs and emoji (Miscellaneous Symbols and Pictographs to Symbols and Pictographs Extended-A,
# with the tiles and cards before them): no font of the print machine draws them.
_UNPRINTABLE = re.compile("[\U0001f000-\U0001faff]")


def print_problems(values: Iterable[tuple[DataPath, Any]], sources: SourceMap) -> list[Problem]:
    """A problem at each text value holding a character the PDF's fonts cannot draw."""
    problems = []
    for path, value in values:
        if not isinstance(value, str):
            continue
        found = _UNPRINTABLE.search(value)
        if found is None:
            continue
        char = found[0]
        name = unicodedata.name(char, "a pictograph").lower()
        message = (
            f"U+{ord(char):04X} ({name}) at character {found.start() + 1} has no glyph in the PDF's fonts and "
            "would print as an empty box; write it in words, or build without the PDF (pdf: false)"
        )
        problems.append(Problem(sources.value(path), message, format_path(path)))
    return problems
