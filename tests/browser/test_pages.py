"""Every page of the built site, at desktop, mobile and dark, as a reader's browser loads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ARTIFACTS, MODES, open_context
from .pages import PageWatch, discover_pages, inspect_page
from .siteserver import SiteServer


@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_loads_cleanly_and_passes_axe(
    mode: str, browser, site_server: SiteServer, site: Path, axe_script: Path
) -> None:
    """HTTP status, decoded images, no console error, nothing from third parties, no serious axe finding."""
    check_every_page(mode, browser, site_server, site, axe_script)


@pytest.mark.parametrize("mode", list(MODES))
def test_a_second_organisations_pages_too(mode: str, browser, dated_server: SiteServer, axe_script: Path) -> None:
    """Every status's colours, dates and scopes the shipped guide does not have, in every mode."""
    assert dated_server.site is not None
    check_every_page(mode, browser, dated_server, dated_server.site, axe_script, prefix="dated-")


@pytest.mark.parametrize("mode", list(MODES))
def test_the_example_organisations_pages_too(mode: str, browser, example_server: SiteServer, axe_script: Path) -> None:
    """The fictional example, which uses every kind of content (subprocessors, documents, FAQ, ...)."""
    assert example_server.site is not None
    check_every_page(mode, browser, example_server, example_server.site, axe_script, prefix="example-")


def check_every_page(
    mode: str, browser, site_server: SiteServer, site: Path, axe_script: Path, prefix: str = ""
) -> None:
    pages = discover_pages(site)
    assert any(p.path == "" for p in pages), f"no home page found in {site}"
    third_party: list[str] = []
    context = open_context(browser, mode, site_server, third_party)
    try:
        page = context.new_page()
        watch = PageWatch(site_server.origin, third_party)
        watch.attach(page)
        problems = {}
        for site_page in pages:
            url = site_server.url + site_page.path
            found = inspect_page(page, watch, url, site_page, mode, axe_script)
            page.screenshot(path=ARTIFACTS / mode / f"{prefix}{site_page.slug}.png", full_page=True)
            if found:
                problems[url] = found
    finally:
        context.close()
    report = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in problems.items())
    assert not problems, f"{len(problems)} of {len(pages)} pages have problems in {mode} mode:\n{report}"
