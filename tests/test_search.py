"""The search index (site/search/search_index.json) holds every word a reader sees, each on its own.

The theme's indexer joined adjacent table cells ("databasesSweden"), so a subprocessor's country, a
document's title beside its kind, or a fact beside its name could not be found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from strategies import texts_of

from compliance.render.searchtext import words_apart


def _search_index(site: Path) -> dict[str, Any]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _separator(site: Path) -> re.Pattern[str]:
    """Where the reader's search splits words, as the site configures it (the browser reads the same pattern)."""
    return re.compile(_search_index(site)["config"]["separator"])


def _index(site: Path) -> dict[str, str]:
    """Each page's indexed text (its sections joined), by page location, as the reader's search tokenizes it."""
    index = _search_index(site)
    separator = _separator(site)
    pages: dict[str, list[str]] = {}
    for doc in index["docs"]:
        text = BeautifulSoup(doc["title"] + " " + doc["text"], "html.parser").get_text(" ")
        pages.setdefault(doc["location"].split("#")[0], []).extend(_bare(separator.split(text.lower())))
    return {page: " ".join(tokens) for page, tokens in pages.items()}


def _tokens(text: str, site: Path) -> str:
    """`text` as the reader's search splits what the reader types."""
    return " ".join(_bare(_separator(site).split(text.lower().strip())))


def _bare(tokens: list[str]) -> list[str]:
    # The search matches a typed word as the start of a token: "Sweden" finds "sweden,".
    return [token.strip(".,;:()") for token in tokens if token.strip(".,;:()")]


def _cells(site: Path, page: str) -> list[str]:
    # A break opportunity (<wbr>, in written-out addresses) is no space: the address is one word.
    html = (site / page / "index.html").read_text(encoding="utf-8").replace("<wbr>", "")
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(c.get_text(" ").split()) for c in soup.select("article table :is(th, td), article dl :is(dt, dd)")]


def test_every_table_cell_of_the_example_is_found_as_words_on_its_page(example_site: Path) -> None:
    index = _index(example_site)
    missing = []
    for page in ("subprocessors/", "documents/", "matrix/", "claims/", "contacts/", "claims/soc2/"):
        cells = [cell for cell in _cells(example_site, page) if cell]
        assert cells, f"{page} has no table or facts to look for"
        words = f" {index[page]} "
        missing += [f"{page}: {cell!r}" for cell in cells if f" {_tokens(cell, example_site)} " not in words]
    assert not missing, "cells indexed run together with their neighbours:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("words", "page"),
    [
        ("Ireland", "subprocessors/"),  # a subprocessor's location
        ("Netherlands", "subprocessors/"),
        ("Sweden", "subprocessors/"),
        ("Business continuity plan", "documents/"),  # a document's title
        ("Network monitoring around the clock", "controls/"),  # a control
        ("People", "controls/"),  # a controls area's name
    ],
)
def test_a_word_from_each_table_finds_its_page(example_site: Path, words: str, page: str) -> None:
    assert f" {_tokens(words, example_site)} " in f" {_index(example_site)[page]} "


def test_the_shipped_guides_words_are_apart_too(shipped_site: Path) -> None:
    index = _index(shipped_site)
    cells = [cell for cell in _cells(shipped_site, "matrix/") if cell]
    assert cells and all(f" {_tokens(cell, shipped_site)} " in f" {index['matrix/']} " for cell in cells)


def test_words_apart_adds_a_break_only_between_a_block_and_what_follows_it() -> None:
    html = "<tr><td>databases</td><td>Sweden</td></tr><tr><th>Status</th><td>Current</td></tr><p>a<br>b</p>"
    assert words_apart(html) == (
        "<tr><td>databases</td>\n<td>Sweden</td>\n</tr>\n<tr><th>Status</th>\n<td>Current</td>\n</tr>\n<p>a<br>\nb</p>"
    )
    # Text already apart, inline elements and code are left as they are.
    unchanged = "<p><em>a</em><strong>b</strong></p>\n<pre><code>&lt;/td&gt;&lt;td&gt;</code></pre>"
    assert words_apart(unchanged) == unchanged


# words_apart as it was first written: one alternative per block element's name.
BLOCKS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    "|li|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
ONE_NAME_EACH = re.compile(rf"(</(?:{BLOCKS})>|<br\s*/?>)(?=<|[^\s<])", re.IGNORECASE)
NAMES = [*BLOCKS.replace("h[1-6]", "h1|h6|h7|H2").split("|"), "a", "span", "td2", "thx", "br", "bR ", "br/", "BR /"]
HTML_PIECES = texts_of(
    ["</", "<", ">", "/>", " ", "\n", "\t", "x", "\u017f", "\u212a", "\xa0", *NAMES],
    [f"</{name}>" for name in NAMES] + [f"<{name}>" for name in NAMES],
    max_size=30,
)


@settings(max_examples=2000, deadline=None)
@given(HTML_PIECES)
# A long s is an s to IGNORECASE; a no-break space is white space.
@example("</\u017fection>x</SUMMARY><br/>y<BR  />\xa0</td>")
def test_words_apart_breaks_where_the_one_name_each_pattern_did(html: str) -> None:
    assert words_apart(html) == ONE_NAME_EACH.sub("\\1\n", html)


@pytest.mark.parametrize(("written", "typed"), [("SOC1", "SOC 1"), ("SOC 2", "SOC2"), ("ISO 27001", "ISO27001")])
def test_a_standards_name_is_the_same_words_with_or_without_the_space(
    shipped_site: Path, written: str, typed: str
) -> None:
    """However the data writes a name and however the reader types it, the search splits both alike."""
    assert _tokens(written, shipped_site) == _tokens(typed, shipped_site)
