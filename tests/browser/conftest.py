"""Fixtures of the browser suite: one strict build served under /docs/, one Chromium, one context per mode."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from compliance.pdf import guide as pdf
from conftest import REPO, copy_project, edit_yaml, run_mkdocs

from .pages import PageWatch, SitePage
from .siteserver import SiteServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path(pdf.CHROMIUM)
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", REPO / "test-artifacts" / "browser"))

EXAMPLE_CONFIG = "mkdocs.example.yml"
EXAMPLE_DATA = "examples/harborledger/data"

DESKTOP = {"width": 1280, "height": 800}
MODES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": DESKTOP, "color_scheme": "light"},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "color_scheme": "light",
    },
    "dark": {"viewport": DESKTOP, "color_scheme": "dark"},
}


def unavailable(reason: str) -> NoReturn:
    """A missing browser fails CI (where .ci/run installs it) and skips elsewhere, saying what to install."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser suite must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium; Playwright cannot download its own browsers here.

    Per module, not per session: Playwright's sync API keeps an asyncio loop running in the main
    thread while it is open, and the tests after the browser suite call asyncio.run() themselves.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed: make test installs it (requirements-dev.txt)")
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=path)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=pdf.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        unavailable(f"axe-core not found at {AXE.relative_to(REPO)}: run `make browser-deps` (npm ci)")
    return AXE


def _built_and_served(
    folder: Path,
    dataset: str | None = None,
    config: str = "mkdocs.yml",
    site_dir: str = "site",
    edit: Callable[[Path], None] | None = None,
) -> Iterator[SiteServer]:
    """Build a copy of the project with `site_url` at the server's sub-path, then serve it there.

    The port is bound first so that canonical links and the sitemap point at the real local URLs.
    `edit` changes the copied project before it is built.
    """
    server = SiteServer(mount="/docs/")
    try:
        project = copy_project(folder / "project", dataset)
        if edit is not None:
            edit(project)
        set_site_url(project / config, server.url)  # over mkdocs.yml's (or the example's own)
        result = run_mkdocs(project, config=config)
        assert result.returncode == 0, result.stderr
        server.serve(project / site_dir)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The shipped guide, built once and served under /docs/."""
    yield from _built_and_served(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def dated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """A second organisation (every status, dates, no hosting) built and served like the guide."""
    yield from _built_and_served(tmp_path_factory.mktemp("browser-dated"), "dated")


@pytest.fixture(scope="session")
def example_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The fictional example organisation (mkdocs.example.yml), built and served like the guide."""
    yield from _built_and_served(
        tmp_path_factory.mktemp("browser-example"), config=EXAMPLE_CONFIG, site_dir="example-site"
    )


@pytest.fixture(scope="session")
def wide_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The example with twelve more offerings and eight more hosting providers: a compliance matrix of
    twenty-seven columns, as a large vendor's would be."""

    def widen(project: Path) -> None:
        data = project / EXAMPLE_DATA

        def more(document: dict[str, Any], path: tuple[str, ...], noun: str, count: int) -> None:
            *parents, key = path
            for part in parents:
                document = document[part]
            document[key] += [{"id": f"{noun}{n}", "name": f"Harbor Ledger {noun.title()} {n}"} for n in range(count)]

        edit_yaml(data / "organisation.yml", lambda d: more(d, ("organisation", "offerings"), "edition", 12))
        edit_yaml(data / "hosting.yml", lambda d: more(d, ("hosting", "providers"), "region", 8))

    yield from _built_and_served(
        tmp_path_factory.mktemp("browser-wide"), config=EXAMPLE_CONFIG, site_dir="example-site", edit=widen
    )


@pytest.fixture(scope="session")
def site(site_server: SiteServer) -> Path:
    assert site_server.site is not None
    return site_server.site


@pytest.fixture
def desktop(browser: Browser, site_server: SiteServer) -> Iterator[BrowserContext]:
    """A light desktop context that refuses every request not addressed to the local server."""
    context = open_context(browser, "desktop", site_server, third_party=[])
    yield context
    context.close()


def open_context(
    browser: Browser, mode: str, server: SiteServer, third_party: list[str], *, csp: bool = False
) -> BrowserContext:
    """A context of `mode`; requests to any other origin are aborted and recorded in `third_party`.

    The pages' Content-Security-Policy is set aside unless `csp`: the suite injects axe-core as an inline
    script, which the policy rightly refuses. tests/browser/test_csp.py loads every page under it.
    """
    context = browser.new_context(**MODES[mode], bypass_csp=not csp)
    context.set_default_timeout(10_000)

    def guard(route: Any) -> None:
        if route.request.url.startswith(server.origin + "/"):
            route.continue_()
        else:
            third_party.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context


def problems_on_every_page(
    browser: Browser,
    mode: str,
    server: SiteServer,
    pages: list[SitePage],
    inspect: Callable[[Page, str, SitePage], list[str]],
    *,
    csp: bool = False,
    init_script: str | None = None,
) -> dict[str, list[str]]:
    """Each of `pages` loaded by `inspect(page, url, site_page)` in one context of `mode`: what it finds
    there, with the requests off the origin and the console errors the page watch saw, by URL (pages
    with nothing to report left out)."""
    third_party: list[str] = []
    context = open_context(browser, mode, server, third_party, csp=csp)
    problems: dict[str, list[str]] = {}
    try:
        if init_script is not None:
            context.add_init_script(init_script)
        page = context.new_page()
        watch = PageWatch(server.origin, third_party)
        watch.attach(page)
        for site_page in pages:
            url = server.url + site_page.path
            found = inspect(page, url, site_page) + watch.take(url)
            if found:
                problems[url] = found
    finally:
        context.close()
    return problems


def problem_report(problems: dict[str, list[str]]) -> str:
    """`problems` by page, one indented line each."""
    return "\n".join(f"{url}\n  " + "\n  ".join(found) for url, found in problems.items())


def set_site_url(config: Path, url: str) -> None:
    """Set `site_url` in a copied mkdocs.yml with a line edit, keeping the rest of the file as it is."""
    text = config.read_text(encoding="utf-8")
    line = f"site_url: {url}"
    if re.search(r"^site_url:", text, flags=re.MULTILINE):
        text = re.sub(r"^site_url:.*$", line, text, count=1, flags=re.MULTILINE)
    else:
        text = re.sub(r"^(site_name:.*)$", rf"\1\n{line}", text, count=1, flags=re.MULTILINE)
    config.write_text(text, encoding="utf-8")
