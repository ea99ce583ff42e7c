"""A page's HTML as the site's search reads it: every cell, term and item a word of its own.

The theme's search indexer joins the text of adjacent elements with nothing between them, so a table
row `<td>databases</td><td>Sweden</td>` was indexed as "databasesSweden" and no search for "Sweden"
found it. A line break after each block's end tag (and after `<br>`) keeps words apart; browsers lay
the page out exactly as before, since white space between block boxes, table cells and flex or
grid items draws nothing.
"""

from __future__ import annotations

import re

# The block elements' end tags, and `<br>`, when more follows at once. The names are grouped by their
# first letter so that each `</` tries a few letters, not thirty names (twice as fast on a large page).
_BLOCK_END = re.compile(
    r"<(?:/(?:a(?:ddress|rticle|side)|blockquote|caption|d(?:d|etails|iv|l|t)|f(?:igcaption|igure|ooter)"
    r"|h(?:[1-6]|eader)|li|nav|ol|p|s(?:ection|ummary)|t(?:able|body|d|foot|h|head|r)|ul)|br\s*/?)>(?=\S)",
    re.IGNORECASE,
)


def words_apart(html: str) -> str:
    """`html` with a line break after every block's end tag that is followed directly by more content."""
    pieces, start = [], 0
    for match in _BLOCK_END.finditer(html):
        pieces.append(html[start : match.end()])
        start = match.end()
    pieces.append(html[start:])
    return "\n".join(pieces)
