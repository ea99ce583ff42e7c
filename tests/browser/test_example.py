"""The fictional example organisation in the browser: its trust-center pages are found by search."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from .conftest import open_context
from .siteserver import SiteServer

FOUND_JS = """(path) => Array.from(document.querySelectorAll("a.md-search-result__link"))
  .some((a) => new URL(a.href).pathname.endsWith(path))"""
# The trust-center pages the example's data fills, each with a phrase only that page holds.
TRUST_PAGES = {
    "subprocessors": "Payflow Payments",
    "documents": "Penetration test summary",
    "faq": "Where is my data stored",
    "controls": "Production access granted per ticket",
    "updates": "New subprocessor for email",
    "contacts": "Data protection officer",
}


def test_example_trust_pages_exist_and_search_finds_them(browser, example_server: SiteServer) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # installed whenever `browser` is

    assert example_server.site is not None
    missing = [name for name in TRUST_PAGES if not (example_server.site / name / "index.html").is_file()]
    assert missing == [], f"trust pages not built: {missing}"
    third_party: list[str] = []
    context = open_context(browser, "desktop", example_server, third_party)
    try:
        page = context.new_page()
        page.goto(example_server.url)
        missed = []
        for name, phrase in TRUST_PAGES.items():
            search = page.locator("input.md-search__input")
            search.fill("")
            search.press_sequentially(phrase)  # the theme searches on key events, which fill() does not send
            results = page.locator("a.md-search-result__link")
            try:
                # Results update as each key is typed: wait for the page's own, not the first result.
                page.wait_for_function(FOUND_JS, arg=f"/{name}/", timeout=10_000)
            except PlaywrightTimeout:
                targets = results.evaluate_all("links => links.map(a => a.href)")
                missed.append(f"{phrase!r}: no result on the {name} page among {targets}")
                continue
            targets = results.evaluate_all("links => links.map(a => a.href)")
            hits = [url for url in targets if urlsplit(url).path.endswith(f"/{name}/")]
            page.goto(hits[0])
            if phrase.lower() not in page.locator("article").inner_text().lower():
                missed.append(f"{phrase!r}: {hits[0]} does not show it")
        assert not missed, "\n".join(missed)
        assert third_party == []
    finally:
        context.close()


def test_example_links_its_feed_and_contacts_from_every_page(example_server: SiteServer) -> None:
    """Each page's head names the Atom feed (relative to the page, so that it leads to this copy's
    feed); its footer reaches the contacts."""
    assert example_server.site is not None
    pages = sorted(example_server.site.rglob("index.html"))
    assert len(pages) > 10
    for html in pages:
        # Each language's site has its own feed, in its words (the Swedish one under sv/).
        swedish = html.is_relative_to(example_server.site / "sv")
        feed = example_server.url + ("sv/" if swedish else "") + "feed.xml"
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        link = soup.find("link", type="application/atom+xml")
        here = example_server.url + html.parent.relative_to(example_server.site).as_posix() + "/"
        assert link is not None and urljoin(here, link["href"]) == feed, html
        footer = soup.select_one(".md-copyright")
        assert footer is not None and footer.find("a", href="mailto:security@harborledger.example"), html
