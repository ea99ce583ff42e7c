"""Every page works under the site's own Content-Security-Policy, from its `<meta>` tag (GitHub Pages) and
from the `_headers` file sent as HTTP headers (Netlify, Cloudflare Pages): no violation, nothing off the origin."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import problem_report, problems_on_every_page
from .pages import SitePage, discover_pages
from .siteserver import SiteServer

# Recorded in the page from before its first script runs (init scripts are not subject to the policy).
RECORD_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});"""
SERVERS = {"guide": "site_server", "example": "example_server"}


def header_lines(site: Path) -> dict[str, str]:
    """The headers `_headers` gives every path (`/*`), as a host that reads the file sends them."""
    headers: dict[str, str] = {}
    section = None
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            section = line.strip()
        elif section == "/*":
            name, _, value = line.strip().partition(":")
            headers[name] = value.strip()
    return headers


@pytest.mark.parametrize("delivery", ["meta", "header"])
@pytest.mark.parametrize("organisation", list(SERVERS))
def test_every_page_runs_under_the_content_security_policy(
    organisation: str, delivery: str, browser, request: pytest.FixtureRequest
) -> None:
    server: SiteServer = request.getfixturevalue(SERVERS[organisation])
    assert server.site is not None
    pages = discover_pages(server.site)
    headers = header_lines(server.site)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]

    def load(page, url: str, site_page: SitePage) -> list[str]:  # type: ignore[no-untyped-def]
        response = page.goto(url, wait_until="networkidle")
        assert response is not None
        policy = response.headers.get("content-security-policy")
        assert (policy is not None) == (delivery == "header"), f"{url}: header {policy!r}"
        metas = page.locator('meta[http-equiv="Content-Security-Policy"]').count()
        found = [] if metas == 1 else [f"{metas} meta policies, expected 1"]
        if site_page.path == "":
            found += _search(page)  # the search worker and its index: a script and a fetch of their own
        return found + page.evaluate("window.__cspViolations || []")

    server.response_headers = headers if delivery == "header" else {}
    try:
        problems = problems_on_every_page(
            browser, "desktop", server, pages, load, csp=True, init_script=RECORD_VIOLATIONS
        )
    finally:
        server.response_headers = {}
    report = problem_report(problems)
    assert not problems, f"{len(problems)} of {len(pages)} pages break under the {delivery} policy:\n{report}"


def _search(page) -> list[str]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # installed whenever `browser` is

    page.locator("input.md-search__input").press_sequentially("security")
    try:
        page.wait_for_selector("a.md-search-result__link", timeout=10_000)
    except PlaywrightTimeout:
        return ["search found nothing for 'security' (its worker or index did not load)"]
    return []
