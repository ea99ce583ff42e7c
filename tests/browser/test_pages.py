"""Every page of the built site as a reader's browser loads it: on a phone (touch, a dense screen) for
the shipped guide and the example, and at desktop, mobile and dark for the second organisation.

The guide's and the example's pages at desktop and in dark mode are loaded and checked the same way
(status, images, colour scheme, requests, console, axe) by tests/browser/test_widths.py, which goes on
through every width from there; loading them here again would check nothing more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ARTIFACTS, MODES, problem_report, problems_on_every_page
from .pages import SitePage, discover_pages, inspect_page, load_and_check
from .siteserver import SiteServer

# Desktop and dark: test_widths.py, in the same contexts (MODES), at every width.
ONLY_HERE = ["mobile"]


@pytest.mark.parametrize("mode", ONLY_HERE)
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


@pytest.mark.parametrize("mode", ONLY_HERE)
def test_the_example_organisations_pages_too(mode: str, browser, example_server: SiteServer, axe_script: Path) -> None:
    """The fictional example, which uses every kind of content (subprocessors, documents, FAQ, ...)."""
    assert example_server.site is not None
    check_every_page(mode, browser, example_server, example_server.site, axe_script, prefix="example-")


def check_every_page(
    mode: str, browser, site_server: SiteServer, site: Path, axe_script: Path, prefix: str = ""
) -> None:
    pages = discover_pages(site)
    assert any(p.path == "" for p in pages), f"no home page found in {site}"

    def inspect(page, url: str, site_page: SitePage) -> list[str]:  # type: ignore[no-untyped-def]
        found = inspect_page(page, url, site_page, mode, axe_script)
        page.screenshot(path=ARTIFACTS / mode / f"{prefix}{site_page.slug}.png", full_page=True)
        return found

    problems = problems_on_every_page(browser, mode, site_server, pages, inspect)
    report = problem_report(problems)
    assert not problems, f"{len(problems)} of {len(pages)} pages have problems in {mode} mode:\n{report}"


def test_the_modes_left_out_here_are_loaded_by_the_widths_test() -> None:
    """What this file no longer loads for the guide and the example, test_widths.py must: both sites, in
    the desktop and dark contexts, checked by the same `load_and_check` as here."""
    from . import test_widths

    assert set(test_widths.SITES) >= {"guide", "example"}
    assert set(MODES) - set(ONLY_HERE) == {"desktop", "dark"}
    assert test_widths.load_and_check is load_and_check
