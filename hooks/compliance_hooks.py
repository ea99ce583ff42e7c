"""MkDocs hooks: translate build events into calls to the framework-free core."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError

from compliance.data import ComplianceData, load_compliance_data
from compliance.errors import ComplianceError, display_path
from compliance.links.cli import UsageError, arguments_from_environment, run_link_check
from compliance.links.linkmap import LinkMapBuilder, data_link_sources, link_map_path, write_link_map
from compliance.links.report import render_text
from compliance.publish import StagedSite
from compliance.render import PageRenderer

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.compliance")


@dataclass
class _BuildState:
    command: str = ""
    project_dir: Path = Path()
    data: ComplianceData | None = None
    renderer: PageRenderer | None = None
    links: LinkMapBuilder | None = None
    staged: StagedSite | None = None
    failed: bool = False


_state = _BuildState()


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool, **kwargs: Any) -> None:
    _state.command = command


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    _state.project_dir = project_dir = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    _state.failed = False
    try:
        _state.data = load_compliance_data(project_dir, project_dir / "data", docs_dir)
    except ComplianceError as exc:
        raise PluginError(f"compliance data is invalid:\n{exc}") from None
    search_dirs = [docs_dir] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    _state.renderer = PageRenderer(_state.data, project_dir, search_dirs)
    _state.links = LinkMapBuilder(data_link_sources(_state.data.document, _state.data.sources))
    organisation, guide = _state.data.document["organisation"], _state.data.document["guide"]
    config.site_name = f"{organisation['name']} {guide['title']}"
    if "description" in guide:
        config.site_description = guide["description"]
    if _state.command == "build":
        _state.staged = StagedSite(Path(config.site_dir))
        config.site_dir = str(_state.staged.begin())
    return config


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    assert _state.renderer is not None
    page_path = Path(page.file.abs_src_path or Path(config.docs_dir) / page.file.src_uri)
    root = "../" * page.file.src_uri.count("/")
    try:
        return _state.renderer.render(markdown, page_path, {"root": root})
    except ComplianceError as exc:
        raise PluginError(f"page template failed:\n{exc}") from None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    assert _state.links is not None
    _state.links.add_page(display_path(_state.project_dir, Path(config.docs_dir) / page.file.src_uri), html)
    return html


def on_post_build(*, config: MkDocsConfig, **kwargs: Any) -> None:
    assert _state.links is not None
    site_dir = Path(config.site_dir)
    link_map = _state.links.finish(site_dir)
    if _state.command != "serve":  # serve builds into a temporary folder nobody checks
        write_link_map(link_map_path(site_dir), link_map)
    if os.environ.get("CHECK_LINKS") == "1":
        _check_links(site_dir, link_map)


def on_build_error(*, error: Exception, **kwargs: Any) -> None:
    _state.failed = True


def on_shutdown(**kwargs: Any) -> None:
    staged, _state.staged = _state.staged, None
    if staged is None:
        return
    if _state.failed:
        staged.discard()
        log.info("Build failed: the previous site in %s is unchanged", staged.site_dir)
    else:
        staged.commit()


def _check_links(site_dir: Path, link_map: dict[str, Any]) -> None:
    try:
        arguments = arguments_from_environment(os.environ.get("CHECK_LINKS_ARGS", ""))
        report = run_link_check(site_dir, arguments, link_map)
    except UsageError as exc:
        raise PluginError(f"link check: {exc}") from None
    text = render_text(report).rstrip()
    if report.failed:
        raise PluginError(f"link check failed:\n{text}")
    log.info(text)
