"""Every page of the shipped guide and of the example at every width a reader brings, light and dark.

One load per page and palette; the window is then resized through the widths (the layout follows, as a
reader turning a tablet sees it), so eight widths cost little more than one. At each width: no sideways
scroll of the page, no table or list of facts past its column (into the contents sidebar), nothing cut
off and no word broken (LAYOUT_JS). axe-core runs at each of the six widths a reader most often brings
(AXE_WIDTHS, phone to desktop): tables, cards and the navigation change shape between them, and with
them what axe judges (contrast over a background that moved, a target that shrank). The widths between
them (960, 1440) are checked for layout only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ARTIFACTS, problem_report, problems_on_every_page
from .pages import AXE_JS, BLOCKING_IMPACTS, LAYOUT_JS, PAGE_OVERFLOW_JS, SitePage, discover_pages, load_and_check
from .siteserver import SiteServer

WIDTHS = (1440, 1280, 1024, 960, 820, 768, 390, 320)
AXE_WIDTHS = frozenset({1280, 1024, 820, 768, 390, 320})
SHOT_WIDTH = 768  # one screenshot per page, where tables change shape
SITES = {"guide": "site_server", "example": "example_server"}
# The example with twenty-odd offerings and providers: its matrix and claims pages, light only.
WIDE_PAGES = ("matrix/", "claims/")

# Whatever of the page's content reaches past the right edge of its own column: a table or a list of facts
# spilling into the contents sidebar is not page overflow, but a reader sees it run under the sidebar.
PAST_COLUMN_JS = """() => {
  const article = document.querySelector("article");
  if (!article) return [];
  const right = article.getBoundingClientRect().right;
  return Array.from(article.querySelectorAll("table, dl, ul.compliance-cards, .compliance-matrix-wrap"))
    .filter((element) => element.getBoundingClientRect().right > right + 1)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className} ends at `
      + `${Math.round(element.getBoundingClientRect().right)}px, its column at ${Math.round(right)}px`);
}"""

# A status is its word: no style may say otherwise (struck through reads "no longer", faded reads "disabled").
STATUS_STYLE_JS = """() => Array.from(document.querySelectorAll(".compliance-status")).flatMap((chip) => {
  const style = getComputedStyle(chip);
  const problems = [];
  if (style.textDecorationLine !== "none") problems.push(`${chip.textContent} is ${style.textDecorationLine}`);
  if (parseFloat(style.opacity) < 1) problems.push(`${chip.textContent} is faded to ${style.opacity}`);
  return problems;
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(SITES))
def test_every_page_holds_at_every_width(
    name: str, scheme: str, browser, axe_script: Path, request: pytest.FixtureRequest
) -> None:
    server: SiteServer = request.getfixturevalue(SITES[name])
    assert server.site is not None
    check_widths(name, scheme, browser, server, discover_pages(server.site), axe_script)


def test_a_matrix_of_many_offerings_and_providers_holds_at_every_width(
    browser, wide_server: SiteServer, axe_script: Path
) -> None:
    assert wide_server.site is not None
    pages = [p for p in discover_pages(wide_server.site) if p.path in WIDE_PAGES]
    assert len(pages) == len(WIDE_PAGES)
    check_widths("wide example", "light", browser, wide_server, pages, axe_script)


def check_widths(name: str, scheme: str, browser, server: SiteServer, pages: list[SitePage], axe_script: Path) -> None:
    mode = "dark" if scheme == "dark" else "desktop"

    def resize(page, url: str, site_page: SitePage) -> list[str]:  # type: ignore[no-untyped-def]
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        found = load_and_check(page, url, site_page, mode)
        found += [f"status chip: {p}" for p in page.evaluate(STATUS_STYLE_JS)]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
            overflow = page.evaluate(PAGE_OVERFLOW_JS)
            if overflow > 1:
                found.append(f"{width}px: the page scrolls sideways by {overflow}px")
            found += [f"{width}px: {p}" for p in page.evaluate(PAST_COLUMN_JS) + page.evaluate(LAYOUT_JS)]
            if width in AXE_WIDTHS:
                if not page.evaluate("() => typeof axe !== 'undefined'"):
                    page.add_script_tag(path=str(axe_script))
                axe = page.evaluate(AXE_JS, list(BLOCKING_IMPACTS))
                found += [f"{width}px: axe: {violation}" for violation in axe]
            if width == SHOT_WIDTH:
                shot = f"{name.replace(' ', '-')}-{site_page.slug}-{width}.png"
                page.screenshot(path=ARTIFACTS / f"widths-{scheme}" / shot)
        return found

    problems = problems_on_every_page(browser, mode, server, pages, resize)
    report = problem_report(problems)
    assert not problems, f"{len(problems)} of {len(pages)} pages of the {name} fail in {scheme}:\n{report}"
