"""The example organisation in English and Swedish, as a reader meets it: the theme's language selector
switches every page to the same page in the other language, each page says its language, and the
Swedish site's search finds Swedish words."""

from __future__ import annotations

from .conftest import open_context
from .siteserver import SiteServer

FOUND_JS = """(path) => Array.from(document.querySelectorAll("a.md-search-result__link"))
  .some((a) => new URL(a.href).pathname.endsWith(path))"""


def _switch(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Open the theme's language selector as a reader does and choose `lang`."""
    page.locator(".md-select").first.hover()
    page.locator(f"a.md-select__link[hreflang={lang}]").click()
    page.wait_for_load_state()


def test_the_selector_switches_every_page_and_each_says_its_language(browser, example_server: SiteServer) -> None:
    site = example_server.site
    assert site is not None
    paths = sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if not p.is_relative_to(site / "sv")
    )
    assert len(paths) >= 15
    third_party: list[str] = []
    context = open_context(browser, "desktop", example_server, third_party)
    wrong: list[str] = []
    try:
        page = context.new_page()
        for path in paths:
            path = "" if path == "./" else path
            page.goto(example_server.url + path)
            if page.locator("html").get_attribute("lang") != "en":
                wrong.append(f"{path}: <html lang> is not en")
            _switch(page, "sv")
            if page.url != example_server.url + "sv/" + path or page.locator("html").get_attribute("lang") != "sv":
                wrong.append(f"{path}: Svenska led to {page.url} (lang {page.locator('html').get_attribute('lang')})")
                continue
            _switch(page, "en")
            if page.url != example_server.url + path:
                wrong.append(f"sv/{path}: English led to {page.url}")
        assert wrong == []
        assert third_party == []
    finally:
        context.close()


def test_the_swedish_site_searches_swedish_words(browser, example_server: SiteServer) -> None:
    third_party: list[str] = []
    context = open_context(browser, "desktop", example_server, third_party)
    try:
        page = context.new_page()
        page.goto(example_server.url + "sv/")
        search = page.locator("input.md-search__input")
        search.press_sequentially("kontinuitetsplan")  # the theme searches on key events, which fill() does not send
        page.wait_for_function(FOUND_JS, arg="/sv/documents/", timeout=10_000)
        hit = page.locator("a.md-search-result__link").first
        hit.click()
        page.wait_for_load_state()
        assert page.url.startswith(example_server.url + "sv/documents/")
        assert "Kontinuitetsplan" in page.locator("article").inner_text()
        assert page.locator("html").get_attribute("lang") == "sv"
        assert third_party == []
    finally:
        context.close()
