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
from material.plugins.search.plugin import Parser as SearchParser
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


def test_words_apart_ends_the_text_a_block_closes_on_with_a_break() -> None:
    html = "<tr><td>databases</td><td>Sweden</td></tr><tr><th>Status</th><td>Current</td></tr><p>a<br>b</p>"
    assert words_apart(html) == (
        "<tr><td>databases\n</td><td>Sweden\n</td></tr><tr><th>Status\n</th><td>Current\n</td></tr><p>a\n<br>b</p>"
    )
    # Into an inline element's text (not a link's), once per run of end tags; after the run where no text precedes it.
    assert words_apart("<td><b>x</b></td></tr><tr><td></td><td><a>y</a></td><td><span>z</span></td></tr>\n") == (
        "<td><b>x\n</b></td></tr><tr><td></td>\n<td><a>y</a></td>\n<td><span>z</span></td></tr>\n"
    )
    # Text already apart, inline elements, code (a break there would show) and a no-break space's end.
    unchanged = "<p><em>a</em><strong>b</strong></p>\n<pre><code>&lt;/td&gt;&lt;td&gt;</code></pre><p>c </p><p>d"
    assert words_apart(unchanged) == unchanged
    assert words_apart("<td><code>x</code></td><td>y\xa0</td><td>") == "<td><code>x</code></td>\n<td>y\xa0\n</td><td>"


# words_apart as it was first written: one alternative per block element's name, a break after each.
BLOCKS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    "|li|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
ONE_NAME_EACH = re.compile(rf"(</(?:{BLOCKS})>|<br\s*/?>)(?=<|[^\s<])", re.IGNORECASE)
NAMES = [*BLOCKS.replace("h[1-6]", "h1|h6|h7|H2").split("|"), "a", "span", "em", "code", "pre", "td2", "thx"]
NAMES += ["br", "bR ", "br/", "BR /"]
TEXT = [" ", "\n", "\t", "x", "y", "\u017f", "\u212a", "\xa0", "&amp;"]
TAGS = [f"</{name}>" for name in NAMES] + [f"<{name}>" for name in NAMES]
# Any text: stray `<`, `>` and half tags too.
HTML_PIECES = texts_of(["</", "<", ">", "/>", *TEXT, *NAMES], TAGS, max_size=30)
# Text and tags as a page holds them: every `<` starts a tag (Markdown and the sanitizer escape the others).
PAGE_PIECES = texts_of([*TEXT, *NAMES], TAGS, max_size=30).filter(
    lambda html: re.fullmatch(r"[^<]*(?:<[^<>]*>[^<]*)*", html) is not None
)


@settings(max_examples=1000, deadline=None)
@given(HTML_PIECES)
def test_words_apart_adds_line_breaks_alone_and_no_more_than_a_break_after_every_block(html: str) -> None:
    apart, first = words_apart(html), ONE_NAME_EACH.sub("\\1\n", html)
    assert apart.replace("\n", "") == html.replace("\n", "")
    assert apart.count("\n") <= first.count("\n")


def _indexed(html: str) -> tuple[list[list[str]], int]:
    """What the theme's indexer reads from `html`: each section's words (its title's, `|`, its text's, the
    tags it keeps taken out), and how many pieces of text it holds."""
    parser = SearchParser()
    parser.feed(html)
    parser.close()
    words, pieces = [], 0
    for section in parser.data:
        title, text = (re.sub(r"<[^>]*>", "", "".join(part)).split() for part in (section.title, section.text))
        if title or text:  # a section of white space alone is no entry a reader finds
            words.append([*title, "|", *text])
        pieces += len(section.title) + len(section.text)
    return words, pieces


@settings(max_examples=2000, deadline=None)
@given(PAGE_PIECES)
# A long s is an s to IGNORECASE; a no-break space is no white space to HTML.
@example("</\u017fection>x</SUMMARY><br/>y<BR  />\xa0</td>")
@example("<td><span>x</span></td></tr>\n<tr><td>y</td>")
def test_the_indexer_reads_the_words_it_read_with_a_break_after_every_block(html: str) -> None:
    """The same words as with a break after each block's end (as words_apart was first written), in no
    more pieces of text: each piece costs the theme's indexer a call (a large matrix, 100,000 of them)."""
    words, pieces = _indexed(words_apart(html))
    first_words, first_pieces = _indexed(ONE_NAME_EACH.sub("\\1\n", html))
    assert words == first_words
    assert pieces <= first_pieces


@pytest.mark.parametrize(("written", "typed"), [("SOC1", "SOC 1"), ("SOC 2", "SOC2"), ("ISO 27001", "ISO27001")])
def test_a_standards_name_is_the_same_words_with_or_without_the_space(
    shipped_site: Path, written: str, typed: str
) -> None:
    """However the data writes a name and however the reader types it, the search splits both alike."""
    assert _tokens(written, shipped_site) == _tokens(typed, shipped_site)
