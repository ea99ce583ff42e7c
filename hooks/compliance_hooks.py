"""MkDocs hooks: translate build events into calls to the framework-free core, and its errors into PluginError.

Every hook runs under the error edge (compliance_edge.py). A build's state is a `SiteBuild` made in
`on_config`; under `mkdocs serve` it is given what the process kept from the rebuilds before it.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

import compliance_edge as at
from compliance.environment import site_url_override
from compliance.errors import display_path
from compliance.options import check_site_url, read_options
from compliance.publish.headers import HEADERS_FILE
from compliance.publish.siteurl import NO_SITE_URL, leave_out_sitemap, resolved_site_url
from compliance.publish.staging import StagedSite, restore_signals, stop_on_signals
from compliance.render.pagefacts import finish_sitemap
from compliance.render.searchtext import words_apart
from compliance.render.siteconfig import PALETTE_FILE
from compliance.render.templatecache import use_cache
from compliance.render.trustsite import FEED_FILE
from compliance.sitebuild import BuildFailed, SiteBuild
from compliance_edge import current, edge, session
from compliance_sites import (
    LANGUAGES_CSS,
    build_language_site,
    theme_alternates,
    theme_languages,
    unmark_alternates,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.compliance")


@edge("starting", at.config_file, outside_build=True)
def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool, **kwargs: Any) -> None:
    session.command = command
    if command == "build":
        stop_on_signals()  # SIGTERM unwinds like Ctrl-C, so on_shutdown can drop the staged build


@event_priority(50)  # before the search plugin reads the theme's language for its stemmer
@edge("reading the configuration and the data", at.config_file)
def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    config_file = Path(config.config_file_path)
    # `extra: compliance:` holds our options; below it is replaced by what the templates read.
    options = read_options(config.extra.get("compliance"), config_file=config_file)
    # Every page's canonical link, the feed and security.txt print it: refused at its line, like guide.site_url.
    check_site_url(config.site_url, config_file)
    try:  # a deployment's own address (GitHub Pages' base_url) where mkdocs.yml has none or a placeholder
        config.site_url = resolved_site_url(config.site_url, site_url_override())
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    session.build = build = SiteBuild(session.command, config_file.parent, Path(config.docs_dir), options)
    build.memory = session.memory()
    build.language, build.fallback_language = session.language, str(config.theme.get("language") or "en")
    build.theme_languages = theme_languages(config)
    data_dir = options.data_path(build.project_dir)
    # `mkdocs serve` rebuilds on edits to the data folder wherever options put it (a missing one is reported).
    if data_dir.is_dir() and data_dir.resolve() not in {Path(path).resolve() for path in config.watch}:
        config.watch.append(str(data_dir))
    theme_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    build.load(theme_dir, directory_urls=config.use_directory_urls, site_url=config.site_url)
    settings = build.settings
    if settings is None or build.data is None:  # the preview shows the data's problems instead
        empty: dict[str, Any] = {"footer": "", "downloads": [], "pages": [], "feed": None, "not_found": {}}
        config.extra["compliance"] = {**empty, "print_words": {}, "made_by_hooks": True}
        return config
    config.site_name = settings.name
    config.site_description = settings.description or config.site_description
    # The data's address wins: one checkout builds several organisations, each from its own data.
    config.site_url = build.site_url or config.site_url
    if build.data.document.languages is not None:  # the theme's own words, <html lang> and the search's stemmer
        config.theme["language"] = build.data.language
    config.extra["alternate"] = theme_alternates(build.data, "", served_anywhere=build.site_url) or None
    if config.extra["alternate"] and LANGUAGES_CSS not in config.extra_css:
        config.extra_css.append(LANGUAGES_CSS)
    if config.extra["alternate"] is None:
        del config.extra["alternate"]
    if not config.site_url and build.command != "serve":
        log.info("%s", NO_SITE_URL)
    if settings.logo:
        config.theme["logo"] = config.theme["favicon"] = settings.logo
    if isinstance(config.nav, list):
        config.nav = settings.navigation(config.nav)
    if settings.palette_css is not None:
        config.theme["palette"] = settings.palette(list(config.theme.get("palette") or [{}]))
        if PALETTE_FILE not in config.extra_css:
            config.extra_css.append(PALETTE_FILE)
    config.extra["compliance"] = {
        "footer": build.footer,
        "downloads": settings.downloads,
        "pages": settings.footer_pages,
        "feed": FEED_FILE if build.feed_url else None,  # linked relative to each page (overrides/main.html)
        "feed_title": html.escape(build.data.document.labels.trust.feed),
        "not_found": settings.not_found,
        "print_words": settings.print_words,
        "made_by_hooks": True,  # overrides/main.html refuses to render a page without it
    }
    if build.command == "build" and build.language is None:  # another language's site is in the default's
        build.staged = StagedSite(Path(config.site_dir))
        config.site_dir = str(build.staged.begin())
    return config


@edge("checking the theme's templates", at.config_file)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files, **kwargs: Any) -> Environment:
    build = current()
    use_cache(env, build.project_dir)  # the theme's templates compiled once, kept between builds
    build.check_theme(env)
    return env


@edge("adding the pages made from data", at.docs)
def on_files(files: Files, *, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add a page per claim, the trust pages, the export and its schema: adding a claim in YAML is all it takes."""
    build = current()
    one_language = build.data is not None and len(build.data.languages) < 2
    unused = files.get_file_from_path(LANGUAGES_CSS) if one_language else None
    if unused is not None:  # a site of one language has no selector
        files.remove(unused)
    for made in build.generated_files([file.src_uri for file in files]):
        inclusion = InclusionLevel.INCLUDED if made.dot_folder else InclusionLevel.UNDEFINED
        files.append(File.generated(config, made.src_uri, content=made.content, inclusion=inclusion))
    return files


@edge("filling in the page's template", at.page)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    build = current()
    # What machines read: the theme's meta description, and the sitemap's lastmod (none without a date).
    facts = build.page_facts(page.file.src_uri, page.url)
    if facts.description and not page.meta.get("description"):
        page.meta["description"] = facts.description
    return build.render_page(markdown, page.file.src_uri, page.url)


@edge("collecting the page's links", at.page)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    current().add_page_links(page.file.src_uri, html)
    return words_apart(html)  # the search indexes this HTML: each table cell a word of its own


@edge("choosing the open entry and columns of the page", at.page)
def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation, **kwargs: Any
) -> dict[str, Any]:
    """A claim's page is not in the navigation: the claims page it is listed on shows as the open one.

    A page with no heading below its title (the matrix, the claims page, a claim's page, documents) has
    nothing for the right-hand table of contents to list: the theme would still keep that column empty,
    squeezing wide tables beside it, so the column is hidden and the page's tables get its width.
    """
    if not any(item.children for item in page.toc):
        page.meta["hide"] = [*page.meta.get("hide", []), "toc"]
    build = current()
    if "alternate" in config.extra:  # the selector leads to this page in each language
        config.extra["alternate"] = theme_alternates(build.data, page.url)
    if page.file.src_uri in build.claim_pages:
        index = build.plan.claims_index_page()
        build.open_index = next((p for p in nav.pages if p.file.src_uri == index), None)
        if build.open_index is not None:
            build.open_index.active = True
    return context


@edge("writing the page", at.page)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    build = current()
    if build.open_index is not None:
        build.open_index.active = False
        build.open_index = None
    return _secured(build, output)


@edge("writing the theme's page", at.site)
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig, **kwargs: Any) -> str:
    # The 404 page is a theme template, not a page: it gets the same policy.
    return _secured(current(), output_content) if template_name.endswith(".html") else output_content


@edge("mapping and checking the site's links", at.site)
def on_post_build(*, config: MkDocsConfig, **kwargs: Any) -> None:
    build = current()
    site_dir = Path(config.site_dir)
    if not config.site_url:
        leave_out_sitemap(site_dir)
    else:
        # MkDocs dates every page by the build; a page's counterparts in other languages are listed beside it.
        finish_sitemap(site_dir, config.site_url, build.lastmods, build.data)
    if build.language is None and build.data is not None:
        for language in build.data.other_languages:
            build_language_site(config, language, session)
    if build.command != "serve" and build.language is None:
        _write_headers(build, site_dir)
    build.finish_links(site_dir, config.site_url)


@edge("marking the build failed", at.site)
def on_build_error(*, error: Exception, **kwargs: Any) -> None:
    if session.build is not None:
        session.build.failed = True


@edge("publishing the site", at.site, outside_build=True)
def on_shutdown(**kwargs: Any) -> None:
    build = session.build
    restore_signals()
    # Ctrl-C and stop signals skip on_build_error; finish() sees them still propagating.
    staged = build.staged if build is not None else None
    if build is not None and staged is not None and not staged.finish(failed=build.failed):
        log.info("Build did not finish: the previous site in %s is unchanged", staged.site_dir)


def _secured(build: SiteBuild, html: str) -> str:
    """A page with its Content-Security-Policy; not in the preview, whose reload script MkDocs adds inline later."""
    html = unmark_alternates(html, with_sitemaps=bool(build.site_url))
    return html if build.command == "serve" else build.headers.page(html)


def _write_headers(build: SiteBuild, site_dir: Path) -> None:
    path = site_dir / HEADERS_FILE
    try:
        path.write_text(build.headers.headers_text(), encoding="utf-8")
    except OSError as exc:  # a full disk or a folder made read-only mid-build
        raise BuildFailed(
            f"{display_path(build.project_dir, path)}: cannot write the headers file ({exc.strerror or exc})"
        ) from None
