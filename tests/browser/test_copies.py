"""A copy of the site served from another host (a preview, a mirror) asks nothing of the production host.

The sites are built as shipped, with their production `site_url`, and served from 127.0.0.1: every
request off that origin is refused and reported, and so is every console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import problem_report, problems_on_every_page
from .pages import SitePage, discover_pages
from .siteserver import SiteServer


@pytest.fixture(scope="module")
def copies(shipped_site: Path, example_site: Path) -> Iterator[dict[str, SiteServer]]:
    """The shipped guide and the example, each served at the path of its own site_url on another host."""
    servers: dict[str, SiteServer] = {}
    try:
        for name, site in (("shipped", shipped_site), ("example", example_site)):
            server = servers[name] = SiteServer(mount=_published_path(site))
            server.serve(site)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.mark.parametrize("name", ["shipped", "example"])
def test_no_page_of_a_copy_requests_another_origin_or_logs_an_error(
    name: str, browser, copies: dict[str, SiteServer]
) -> None:
    server = copies[name]
    assert server.site is not None
    pages = discover_pages(server.site)

    def load(page, url: str, site_page: SitePage) -> list[str]:  # type: ignore[no-untyped-def]
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")  # the theme's scripts fetch after load
        return []  # what the page asks of other origins, and its console errors, are the watch's

    problems = problems_on_every_page(browser, "desktop", server, pages, load)
    assert len(pages) > 5
    report = problem_report(problems)
    assert not problems, f"{len(problems)} of {len(pages)} pages of the {name} copy:\n{report}"


def _published_path(site: Path) -> str:
    """The path of the site's own address (its canonical links), where the copy is served."""
    html = (site / "index.html").read_text(encoding="utf-8")
    marker = '<link rel="canonical" href="'
    start = html.index(marker) + len(marker)
    return urlsplit(html[start : html.index('"', start)]).path or "/"
