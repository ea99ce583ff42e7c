"""A page's HTML as the site's search reads it: every cell, term and item a word of its own.

The theme's search indexer joins the text of adjacent elements with nothing between them, so a table
row `<td>databases</td><td>Sweden</td>` was indexed as "databasesSweden" and no search for "Sweden"
found it. A line break keeps the words apart. It is written at the end of the text the block closes on
(`<td>databases\n</td>`), which the indexer reads as that same piece of text, so a matrix of 100,000
cells costs it no extra piece per cell; where no text comes right before the block's end (an empty
cell, an image) the break follows the end tag instead. Browsers lay the page out exactly as before:
white space at the end of a line is not drawn, nor is white space between block boxes, table cells
and flex or grid items (tests/browser/test_search_breaks.py compares the layouts).
"""

from __future__ import annotations

import re

# The block elements, grouped by their first letter so that each `</` tries a few letters, not thirty names.
_BLOCKS = (
    r"a(?:ddress|rticle|side)|blockquote|caption|d(?:d|etails|iv|l|t)|f(?:igcaption|igure|ooter)"
    r"|h(?:[1-6]|eader)|li|nav|ol|p|s(?:ection|ummary)|t(?:able|body|d|foot|h|head|r)|ul"
)
# The inline elements a block's text may end inside (`<td><span>Sweden</span></td>`): the break goes
# into their text too. Not code or preformatted text, where a line break is shown and copied, and not a
# link: on paper its address is printed after its text (compliance.css), and the break would be a space
# before it, wider than the address's own.
_INLINE = r"abbr|b|cite|em|i|mark|s|small|span|strong|sub|sup|time|u"
# A run of end tags (and `<br>`) holding at least one block's end, followed directly by more content.
# The run is taken whole (atomic and possessive): `x</td></tr>` then white space needs no break.
_BLOCK_END = re.compile(
    rf"<(?>/(?:{_INLINE})>(?:</(?:{_INLINE})>)*<)?(?:/(?:{_BLOCKS})>|br\s*/?>)"
    rf"(?:</(?:{_INLINE}|{_BLOCKS})>|<br\s*/?>)*+(?=\S)",
    re.IGNORECASE,
)
_HTML_SPACE = frozenset(" \t\n\r\f")  # white space as HTML reads it (a no-break space is none)


def words_apart(html: str) -> str:
    """`html` with a line break ending the text before each run of end tags that closes a block (or
    breaks a line) and that more content follows directly; after the run where no text comes before it."""
    return _BLOCK_END.sub(_apart, html)


def _apart(match: re.Match[str]) -> str:
    start = match.start()
    before = match.string[start - 1] if start else ">"
    if before in "<>":  # a tag (or a stray `<`, which a parser may read as one): no text to end
        return match[0] + "\n"
    if before in _HTML_SPACE:  # the text ends in white space already
        return match[0]
    return "\n" + match[0]
