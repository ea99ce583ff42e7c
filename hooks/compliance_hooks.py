"""MkDocs hooks: translate build events into calls to the framework-free core."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.exceptions import PluginError

from compliance.data import ComplianceData, load_compliance_data
from compliance.errors import ComplianceError
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
    data: ComplianceData | None = None
    renderer: PageRenderer | None = None
    staged: StagedSite | None = None
    failed: bool = False


_state = _BuildState()


def on_startup(*, command: Literal["build", "gh-deploy", "serve"], dirty: bool, **kwargs: Any) -> None:
    _state.command = command


def on_config(config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
    project_dir = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir)
    _state.failed = False
    try:
        _state.data = load_compliance_data(project_dir, project_dir / "data", docs_dir)
    except ComplianceError as exc:
        raise PluginError(f"compliance data is invalid:\n{exc}") from None
    search_dirs = [docs_dir] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    _state.renderer = PageRenderer(_state.data, project_dir, search_dirs)
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
        return _state.renderer.render(markdown, page_path, {"root": root, "page_src": page.file.src_uri})
    except ComplianceError as exc:
        raise PluginError(f"page template failed:\n{exc}") from None


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
