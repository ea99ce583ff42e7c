"""Every page of the built site, at desktop, mobile and dark, as a reader's browser loads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ARTIFACTS, MODES, open_context
from .pages import PageWatch, discover_pages, inspect_page
from .siteserver import SiteServer


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("built", ["site_server", "example_server"], ids=["guide", "example"])
def test_every_page_loads_cleanly_and_passes_axe(
    mode: str, built: str, browser, axe_script: Path, request: pytest.FixtureRequest
) -> None:
    """HTTP status, decoded images, no console error, nothing from third parties, no serious axe finding.

    Both the shipped guide and the fictional example organisation, which uses every kind of content.
    """
    site_server: SiteServer = request.getfixturevalue(built)
    assert site_server.site is not None
    site = site_server.site
    pages = discover_pages(site)
    shots = ARTIFACTS if built == "site_server" else ARTIFACTS / "example"
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
            page.screenshot(path=shots / mode / f"{site_page.slug}.png", full_page=True)
            if found:
                problems[url] = found
    finally:
        context.close()
    report = "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in problems.items())
    assert not problems, f"{len(problems)} of {len(pages)} pages have problems in {mode} mode:\n{report}"
