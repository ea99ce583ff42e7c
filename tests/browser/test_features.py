"""What a reader does on the site: switch the palette, search for a claim, follow sitemap and 404 links."""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from .pages import MISSING_PAGE, discover_pages
from .siteserver import SiteServer

SCHEME_JS = "document.body.getAttribute('data-md-color-scheme')"
# Relative luminance of the page background, to see that a palette switch changes what is shown.
BACKGROUND_LUMINANCE_JS = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def test_palette_toggle_switches_to_dark_and_back_and_is_remembered(desktop, site_server: SiteServer) -> None:
    page = desktop.new_page()
    page.goto(site_server.url)
    assert page.evaluate(SCHEME_JS) == "default"
    assert page.evaluate(BACKGROUND_LUMINANCE_JS) > 0.8

    page.locator("[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"{SCHEME_JS} === 'slate'")
    assert page.evaluate(BACKGROUND_LUMINANCE_JS) < 0.3

    page.reload()
    assert page.evaluate(SCHEME_JS) == "slate", "the chosen palette is forgotten on the next page load"

    page.locator("[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"{SCHEME_JS} === 'default'")


def test_the_header_leaves_the_title_to_the_home_page_and_names_the_search_dialog(
    desktop, site_server: SiteServer
) -> None:
    """The theme's header, untouched: the title hidden on the home page only, the search dialog named."""
    page = desktop.new_page()
    title_visibility = "getComputedStyle(document.querySelector('.md-header__title')).visibility"
    for address, visibility in ((site_server.url, "hidden"), (site_server.url + "matrix/", "visible")):
        page.goto(address)
        assert page.evaluate(title_visibility) == visibility, address
        assert page.get_by_role("dialog", name="Search", include_hidden=True).count() == 1


def test_search_finds_each_claim_by_name(desktop, site_server: SiteServer, site: Path) -> None:
    """The title of every generated claim page leads to a page that names it (whatever data/ holds)."""
    names = claim_page_titles(site)
    assert names, "the site has no claim pages to search for"
    _search_finds_pages_naming(desktop, site_server, names, names)


def test_search_finds_a_claim_by_its_name_spelled_with_or_without_the_space(
    desktop, site_server: SiteServer, site: Path
) -> None:
    """A reader types "SOC2" for "SOC 2" and "SOC 1" for "SOC1": each finds the page that names it."""
    names = [name for name in claim_page_titles(site) if _respaced(name) != name]
    assert names, "no claim name mixes letters and digits: nothing to respell"
    _search_finds_pages_naming(desktop, site_server, [_respaced(name) for name in names], names)


def _respaced(name: str) -> str:
    """`name` with the space between a word and its number taken out, or put in where there is none."""
    if re.search(r"[A-Za-z] [0-9]", name):
        return re.sub(r"(?<=[A-Za-z]) (?=[0-9])", "", name)
    return re.sub(r"(?<=[A-Za-z])(?=[0-9])", " ", name)


def _search_finds_pages_naming(desktop, site_server: SiteServer, typed: list[str], names: list[str]) -> None:
    """Each of `typed`, typed into the search, lists a result naming its `names` counterpart, which names it too."""
    page = desktop.new_page()
    page.goto(site_server.url)
    missed = []
    for query, name in zip(typed, names, strict=True):
        search = page.locator("input.md-search__input")
        search.fill("")
        search.press_sequentially(query)  # the theme searches on key events, which fill() does not send
        results = page.locator("a.md-search-result__link")
        results.first.wait_for()
        texts = [text.lower() for text in results.all_inner_texts()]
        hits = [i for i, text in enumerate(texts) if name.lower() in text]
        if not hits:
            missed.append(f"{query}: no result names {name} among {texts}")
            continue
        results.nth(hits[0]).click()
        page.wait_for_load_state()
        if name.lower() not in page.locator("article").inner_text().lower():
            missed.append(f"{name}: its result {page.url} does not name it")
    assert not missed, "\n".join(missed)


def test_sitemap_lists_every_page_at_its_canonical_url(site_server: SiteServer, site: Path) -> None:
    """With `site_url` set, the sitemap and each page's canonical link give the URL the page is served at."""
    expected = {site_server.url + p.path for p in discover_pages(site) if p.status == 200}
    tree = ET.parse(site / "sitemap.xml")
    listed = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == expected
    for url in sorted(listed):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200, url
            canonical = BeautifulSoup(response.read(), "html.parser").find("link", rel="canonical")
        assert canonical is not None and canonical["href"] == url, f"{url}: canonical {canonical}"


def test_not_found_page_leads_back_into_the_guide(desktop, site_server: SiteServer, site: Path) -> None:
    """The 404 page, reached two levels below a sub-path, links to the start page and every top page."""
    page = desktop.new_page()
    response = page.goto(site_server.url + MISSING_PAGE)
    assert response is not None and response.status == 404
    targets = set(page.locator("article a[href]:not(.headerlink)").evaluate_all("links => links.map(a => a.href)"))
    assert site_server.url in targets, f"no link to the start page among {sorted(targets)}"
    pages = {site_server.url + p.path for p in discover_pages(site) if p.status == 200}
    assert targets <= pages, f"links that lead nowhere: {sorted(targets - pages)}"


def claim_page_titles(site: Path) -> list[str]:
    """The h1 of every page under claims/, whatever claims the data holds."""
    titles = []
    for html in sorted((site / "claims").rglob("index.html")):
        heading = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find("h1")
        if heading is not None:
            titles.append(re.sub(r"\s+", " ", heading.get_text(" ", strip=True)).removesuffix(" ¶").strip())
    return titles
