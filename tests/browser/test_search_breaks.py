"""The line breaks that keep the search's words apart (render/searchtext.py) draw nothing.

Every page of the example and of the shipped guide is laid out twice in Chromium: its article without
line breaks next to tags, and the same article with the breaks words_apart writes into it. Every element
of the article must get the same box, at a desktop and a phone width and in print, where a link prints
its address after its text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from compliance.render.searchtext import words_apart

from .conftest import open_context
from .pages import discover_pages
from .siteserver import SiteServer

# Line breaks next to a tag: words_apart's, and Markdown's own, which the comparison does not need.
BREAK_AT_TAG = re.compile(r"\n(?=<)|(?<=>)\n")

ARTICLE_HTML = "() => document.querySelector('article') ? document.querySelector('article').innerHTML : null"
LAYOUT = """(html) => {
  const article = document.querySelector("article");
  article.innerHTML = html;
  return Array.from(article.querySelectorAll("*"), (element) => {
    const box = element.getBoundingClientRect();
    const where = [box.x, box.y, box.width, box.height].map((n) => n.toFixed(2)).join(" ");
    return `${element.tagName.toLowerCase()}.${element.className} ${where}`;
  });
}"""
LAYOUTS: list[tuple[str, dict[str, int], str]] = [
    ("desktop", {"width": 1280, "height": 800}, "screen"),
    ("phone", {"width": 390, "height": 844}, "screen"),
    ("print", {"width": 1280, "height": 800}, "print"),
]


@pytest.mark.parametrize("server_name", ["example_server", "site_server"])
def test_the_search_breaks_leave_every_box_where_it_was(
    browser: Any, request: pytest.FixtureRequest, server_name: str
) -> None:
    server: SiteServer = request.getfixturevalue(server_name)
    assert server.site is not None
    context = open_context(browser, "desktop", server, third_party=[])
    moved: list[str] = []
    compared = 0
    try:
        page = context.new_page()
        for site_page in discover_pages(server.site):
            if site_page.status != 200:
                continue
            page.goto(server.url + site_page.path)
            article = page.evaluate(ARTICLE_HTML)
            if article is None:
                continue
            bare = BREAK_AT_TAG.sub("", article)
            apart = words_apart(bare)
            compared += apart != bare
            for name, viewport, media in LAYOUTS:
                page.set_viewport_size(viewport)
                page.emulate_media(media=media)  # type: ignore[arg-type]
                before, after = page.evaluate(LAYOUT, bare), page.evaluate(LAYOUT, apart)
                moved += [
                    f"{site_page.path} ({name}): {old} -> {new}"
                    for old, new in zip(before, after, strict=True)
                    if old != new
                ][:3]
    finally:
        context.close()
    assert compared > 5, "too few pages had breaks to compare"
    assert not moved, "the search's line breaks moved what the reader sees:\n" + "\n".join(moved[:30])
