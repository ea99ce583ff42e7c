"""The MkDocs side of one site per language: the default language's build builds each other one.

Each other language is a whole MkDocs build of the same configuration, with the theme in that language
and its site in the folder of its tag inside the default one's (`site/sv/`), so it is published, or
left unpublished, with it. mkdocs-static-i18n does the same from Markdown files per language; here the
pages come from data, so the build does it from the data's declared languages (handbook/languages.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compliance.model.data import ComplianceData
from compliance.publish.build import BuildFailed
from compliance.render.languages import alternates, language_folder

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def build_language_site(config: MkDocsConfig, language: str, session: Any) -> None:
    """Build the site of `language` into its folder of `config.site_dir`; BuildFailed if it fails."""
    outer, outer_language = session.build, session.language
    default = outer.data.default_language if outer is not None and outer.data is not None else language
    site_dir = Path(config.site_dir) / language_folder(language, default)
    own = load_config(
        config.config_file_path,
        site_dir=str(site_dir),
        strict=config.strict,
        use_directory_urls=config.use_directory_urls,
    )
    session.language = language
    try:
        own.plugins.on_startup(command=session.command, dirty=False)
        build(own)
    except Abort as exc:
        raise BuildFailed(f"the '{language}' site: {exc}") from None
    finally:
        session.build, session.language = outer, outer_language


def theme_alternates(data: ComplianceData | None, page_url: str) -> list[dict[str, str]]:
    """The theme's `extra.alternate` for a page: its counterparts, each link already relative to the page.

    The theme passes each link through MkDocs' `url` filter, which cannot lead above the site's root (as
    a Swedish page's link to its English one must): the links go through it marked, and are unmarked
    in the written page (`unmark_alternates`).
    """
    found = alternates(data, page_url) if data is not None else []
    return [{**entry.as_theme_entry(), "link": _KEPT_LINK + entry.link} for entry in found]


def unmark_alternates(html: str) -> str:
    """The page with its language links as `theme_alternates` made them."""
    return html.replace(f'href="{_KEPT_LINK}', 'href="')


# A link the `url` filter leaves as it is (it keeps fragments); no page's own link starts so.
_KEPT_LINK = "#compliance-alternate:"
