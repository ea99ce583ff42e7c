"""MkDocs hooks: translate build events into calls to the framework-free core."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from compliance.environment import source_date_epoch
from compliance.errors import ComplianceError, display_path
from compliance.limits import Limits
from compliance.links.linkmap import LinkMap, LinkMapBuilder, LinkSource, link_map_path, write_link_map
from compliance.load.docsfiles import docs_problems
from compliance.model.data import ComplianceData, load_compliance_data
from compliance.options import BuildOptions, read_options
from compliance.publish.staging import PublishError, StagedSite, restore_signals, stop_on_signals
from compliance.render.pages import PageRenderer
from compliance.render.plan import (
    CLAIM_TEMPLATE,
    CLAIMS_INDEX_TEMPLATE,
    SitePlan,
    export_schema_text,
    export_text,
    page_base,
    problems_page,
)
from compliance.render.prose import ProseRenderer
from compliance.render.siteconfig import PALETTE_FILE, site_settings
from compliance.render.trustsite import FEED_FILE, SECURITY_TXT_FILE, TrustSite, feed_text, security_txt

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.compliance")


@dataclass
class _BuildState:
    command: str = ""
    project_dir: Path = Path()
    options: BuildOptions = field(default_factory=BuildOptions)
    data: ComplianceData | None = None
    renderer: PageRenderer | None = None
    plan: SitePlan = field(default_factory=SitePlan)
    claim_pages: dict[str, Any] = field(default_factory=dict)
    # Trust-center pages (subprocessors.md, ...) by source path, each with the template it is made from.
    trust_pages: dict[str, str] = field(default_factory=dict)
    # Generated files other than pages: the Atom feed and security.txt, by path in the site.
    extra_files: dict[str, str] = field(default_factory=dict)
    palette_css: str | None = None
    open_index: Any = None  # the claims page, marked open in the navigation while a claim's page renders
    links: LinkMapBuilder | None = None
    staged: StagedSite | None = None
    failed: bool = False
    # Under `mkdocs serve`, invalid data is shown on every page instead of stopping the server.
    problems: str = ""


_state = _BuildState()


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool, **kwargs: Any) -> None:
    _state.command = command
    if command == "build":
        stop_on_signals()  # SIGTERM unwinds like Ctrl-C, so on_shutdown can drop the staged build


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    _state.project_dir = project_dir = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    _state.failed = False
    _state.problems = ""
    _check_environment()
    try:
        # `extra: compliance:` holds our options; below it is replaced by what the templates read.
        _state.options = options = read_options(
            config.extra.get("compliance"), config_file=Path(config.config_file_path)
        )
    except ComplianceError as exc:
        raise PluginError(str(exc)) from None
    data_dir = options.data_path(project_dir)
    # `mkdocs serve` rebuilds on edits to the data folder wherever options put it (a missing one is reported below).
    if data_dir.is_dir() and data_dir.resolve() not in {Path(path).resolve() for path in config.watch}:
        config.watch.append(str(data_dir))
    # The theme's folder is published like docs/ (its non-template files are copied as they are);
    # docs/ itself is checked with the data, except in the preview, which goes on to let MkDocs walk
    # docs/ even when the data is invalid, and a looping or device link there would hang it.
    # The theme's files are few and fixed: only the size of one file applies to them, not docs/'s totals.
    limits = options.limits
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    theme_limits = replace(limits, docs_files=Limits.docs_files, docs_bytes=Limits.docs_bytes)
    unsafe = docs_problems(project_dir, theme, theme_limits) if theme else []
    unsafe += docs_problems(project_dir, docs_dir, limits) if _state.command == "serve" else []
    if unsafe:
        raise PluginError(f"files that cannot be published:\n{ComplianceError(unsafe)}")
    try:
        today = options.today or date.today()
        _state.data = data = load_compliance_data(
            project_dir, data_dir, docs_dir, today=today, limits=limits, debug=options.debug
        )
    except ComplianceError as exc:
        if _state.command != "serve":
            raise PluginError(f"compliance data is invalid:\n{exc}") from None
        # The preview shows the problems in the browser; the next valid save brings the pages back.
        _state.data, _state.problems, _state.links = None, str(exc), LinkMapBuilder({})
        config.extra["compliance"] = {"footer": "", "downloads": [], "pages": [], "feed": None, "not_found": {}}
        log.info("compliance data is invalid (shown in the browser):\n%s", exc)
        return config
    except Exception as exc:  # the catch-all at the edge: one line, never a traceback
        raise PluginError(_unexpected(exc, data_dir)) from None
    _state.plan = SitePlan(directory_urls=config.use_directory_urls)
    search_dirs = [docs_dir] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    _state.renderer = PageRenderer(data, project_dir, search_dirs, _state.plan)
    _state.links = LinkMapBuilder(_data_links(data))
    _state.claim_pages = {_state.plan.claim_page(claim.id): claim for claim in data.document.claims}
    # `make pdf` builds with COMPLIANCE_PDF=1, so every page links the PDF it then prints.
    pdf_file = "guide.pdf" if options.pdf else None
    settings = site_settings(data, _state.plan, pdf_file)
    config.site_name = settings.name
    config.site_description = settings.description or config.site_description
    # The data's address wins: one checkout builds several organisations, each from its own data.
    config.site_url = settings.site_url or config.site_url
    if settings.logo:
        config.theme["logo"] = config.theme["favicon"] = settings.logo
    if isinstance(config.nav, list):
        config.nav = settings.navigation(config.nav)
    _state.palette_css = settings.palette_css
    if settings.palette_css is not None:
        config.theme["palette"] = settings.palette(list(config.theme.get("palette") or [{}]))
        if PALETTE_FILE not in config.extra_css:
            config.extra_css.append(PALETTE_FILE)
    try:
        footer = _state.renderer.render_partial("partials/compliance-footer.html", "footer")
    except ComplianceError as exc:
        raise PluginError(f"footer template failed:\n{exc}") from None
    feed = _trust_files(data, config.site_url)
    _state.renderer.env.globals["feed_url"] = feed
    config.extra["compliance"] = {
        "footer": footer,
        "downloads": settings.downloads,
        "pages": settings.footer_pages,
        "feed": feed,
        "feed_title": html.escape(data.document.labels.trust.feed),
        "not_found": settings.not_found,
    }
    if _state.command == "build":
        _state.staged = StagedSite(Path(config.site_dir))
        try:
            config.site_dir = str(_state.staged.begin())
        except PublishError as exc:
            _state.staged = None
            raise PluginError(str(exc)) from None
    return config


def on_files(files: Files, *, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add a page per claim, the export and its schema: adding a claim in YAML is all it takes."""
    if _state.data is None:
        return files
    template = Path(config.docs_dir) / CLAIM_TEMPLATE
    source = template.read_text(encoding="utf-8")
    # A page of docs/ at a claim's address (even differing only in case, as macOS and Windows
    # compare names) would be replaced by it, or replace it, depending on the file system.
    written = {file.src_uri.lower(): file.src_uri for file in files}
    clashes = [f"docs/{written[uri.lower()]}" for uri in _state.claim_pages if uri.lower() in written]
    if clashes:
        raise PluginError(f"{', '.join(clashes)}: at the address of a claim's generated page; rename or move it")
    for src_uri in _state.claim_pages:
        files.append(File.generated(config, src_uri, content=source))
    for src_uri, template_path in _state.trust_pages.items():
        page_source = (Path(config.docs_dir) / template_path).read_text(encoding="utf-8")
        files.append(File.generated(config, src_uri, content=page_source))
    if _state.claim_pages:
        index = (Path(config.docs_dir) / CLAIMS_INDEX_TEMPLATE).read_text(encoding="utf-8")
        files.append(File.generated(config, _state.plan.claims_index_page(), content=index))
    if _state.palette_css is not None:
        files.append(File.generated(config, PALETTE_FILE, content=_state.palette_css))
    files.append(File.generated(config, _state.plan.export_file(), content=export_text(_state.data, _state.plan)))
    files.append(File.generated(config, _state.plan.export_schema_file(), content=export_schema_text()))
    for path, text in _state.extra_files.items():
        # Included explicitly: MkDocs leaves out files under dot folders such as .well-known/.
        files.append(File.generated(config, path, content=text, inclusion=InclusionLevel.INCLUDED))
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    if _state.problems:
        return problems_page(_state.problems)
    assert _state.renderer is not None
    claim = _state.claim_pages.get(page.file.src_uri)
    # Generated pages have no file of their own: errors point at the template they come from.
    template = CLAIMS_INDEX_TEMPLATE if page.file.src_uri == _state.plan.claims_index_page() else page.file.src_uri
    template = _state.trust_pages.get(page.file.src_uri, template)
    source = Path(config.docs_dir) / (CLAIM_TEMPLATE if claim is not None else template)
    try:
        return _state.renderer.render(markdown, source, {"base": page_base(page.url), "claim": claim})
    except ComplianceError as exc:
        raise PluginError(f"page template failed:\n{exc}") from None
    except Exception as exc:
        raise PluginError(_unexpected(exc, source)) from None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    assert _state.links is not None
    if _mapping_links():
        _state.links.add_page(display_path(_state.project_dir, Path(config.docs_dir) / page.file.src_uri), html)
    return html


def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation, **kwargs: Any
) -> dict[str, Any]:
    """A claim's page is not in the navigation: the claims page it is listed on shows as the open one."""
    if page.file.src_uri in _state.claim_pages:
        index = _state.plan.claims_index_page()
        _state.open_index = next((p for p in nav.pages if p.file.src_uri == index), None)
        if _state.open_index is not None:
            _state.open_index.active = True
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    if _state.open_index is not None:
        _state.open_index.active = False
        _state.open_index = None
    return output


def on_post_build(*, config: MkDocsConfig, **kwargs: Any) -> None:
    assert _state.links is not None
    if not _mapping_links():
        return
    site_dir = Path(config.site_dir)
    link_map = _state.links.finish(site_dir, config.site_url)
    published = _state.staged.site_dir if _state.staged else site_dir
    # serve builds into a temporary folder nobody checks; a build never writes outside the project
    # except into the site folder it was given (and its transient staging folder beside it).
    if _state.command != "serve" and published.resolve().is_relative_to(_state.project_dir.resolve()):
        try:
            write_link_map(link_map_path(site_dir), link_map)
        except OSError as exc:  # a full disk or a folder made read-only mid-build: one line, not a traceback
            raise PluginError(f"{link_map_path(site_dir)}: cannot write the link map ({exc.strerror or exc})") from None
    elif _state.command != "serve":
        log.info("No link map for %s (outside the project); CHECK_LINKS=1 checks links in the build", published)
    if _state.options.check_links:
        _check_links(site_dir, link_map)


def on_build_error(*, error: Exception, **kwargs: Any) -> None:
    _state.failed = True


def on_shutdown(**kwargs: Any) -> None:
    staged, _state.staged = _state.staged, None
    restore_signals()
    # Ctrl-C and stop signals skip on_build_error; finish() sees them still propagating.
    try:
        if staged is not None and not staged.finish(failed=_state.failed):
            log.info("Build did not finish: the previous site in %s is unchanged", staged.site_dir)
    except PublishError as exc:  # after MkDocs' own error handling: report it here, in one line
        log.error("%s", exc)
        raise SystemExit(1) from None


def _trust_files(data: ComplianceData, site_url: str | None) -> str | None:
    """Plan the trust pages, the Atom feed and security.txt; the feed's absolute URL when there is one."""
    trust = TrustSite(data.document, _state.plan)
    _state.trust_pages = {f"{name}.md": f"_templates/{name}.md" for name in trust.pages()}
    _state.extra_files = {}
    text, why_not = security_txt(data.document, site_url)
    if text is not None:
        _state.extra_files[SECURITY_TXT_FILE] = text
    elif data.document.contacts is not None:
        log.info("%s", why_not)
    if not trust.updates:
        return None
    if not site_url:
        # Feed readers need absolute ids and links; relative ones would be wrong wherever the feed is read.
        log.info("No Atom feed of the updates: set site_url (in mkdocs.yml or guide.site_url) to publish one")
        return None
    prose = ProseRenderer(data.document, data.index, _state.plan.claim_url)
    _state.extra_files[FEED_FILE] = feed_text(trust, site_url, prose)
    return site_url.rstrip("/") + "/" + FEED_FILE


def _mapping_links() -> bool:
    # The preview's throw-away builds need no link map, unless they check links too: it saves
    # parsing every page twice on each save.
    return _state.command != "serve" or _state.options.check_links


def _unexpected(exc: Exception, where: Path) -> str:
    if _state.options.debug:
        raise exc
    shown = display_path(_state.project_dir, where)
    return f"{shown}: unexpected error ({type(exc).__name__}: {exc}); run with COMPLIANCE_DEBUG=1 for the traceback"


def _check_environment() -> None:
    # MkDocs reads SOURCE_DATE_EPOCH itself, after this hook, and fails with a traceback on a bad one.
    epoch = source_date_epoch()
    if epoch is None:
        return
    try:
        datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        expected = "whole seconds since 1970 (e.g. 1700000000)"
        raise PluginError(f"SOURCE_DATE_EPOCH: expected {expected}, got {epoch[:40]!r}") from None


def _data_links(data: ComplianceData) -> LinkMap:
    links: LinkMap = {}
    for link in data.links:
        where = link.location
        links.setdefault(link.url, []).append(LinkSource("data", where.file, where.line, link.field))
    return links


def _check_links(site_dir: Path, link_map: dict[str, Any]) -> None:
    # Imported here: only builds with CHECK_LINKS=1 check links, and every other build (and every
    # rebuild under `mkdocs serve`) would pay for importing the checker.
    from compliance.links.cli import UsageError, arguments_from_environment, run_link_check
    from compliance.links.report import render_text

    try:
        arguments = arguments_from_environment(_state.options.check_links_args)
        # Name pages as the editor finds them (site/...), not in the staging folder being checked.
        shown = Path(display_path(_state.project_dir, _state.staged.site_dir if _state.staged else site_dir))
        report = run_link_check(site_dir, arguments, link_map, shown_dir=shown)
    except UsageError as exc:
        raise PluginError(f"link check: {exc}") from None
    text = render_text(report).rstrip()
    if report.failed:
        raise PluginError(f"link check failed:\n{text}")
    log.info(text)
