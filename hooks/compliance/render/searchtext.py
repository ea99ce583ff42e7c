"""A page's HTML as the site's search reads it: every cell, term and item a word of its own.

The theme's search indexer joins the text of adjacent elements with nothing between them, so a table
row `<td>databases</td><td>Sweden</td>` was indexed as "databasesSweden" and no search for "Sweden"
found it. A line break after each block's end tag (and after `<br>`) keeps words apart; browsers lay
the page out exactly as before, since white space between block boxes, table cells and flex or
grid items draws nothing.
"""

from __future__ import annotations

import re

_BLOCK_END = re.compile(
    r"(</(?:address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    r"|li|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)>|<br\s*/?>)(?=<|[^\s<])",
    re.IGNORECASE,
)


def words_apart(html: str) -> str:
    """`html` with a line break after every block's end tag that is followed directly by more content."""
    return _BLOCK_END.sub("\\1\n", html)
