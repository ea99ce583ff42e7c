"""The MkDocs side of one site per language: the default language's build builds each other one.

Each other language is a whole MkDocs build of the same configuration, with the theme in that language
and its site in the folder of its tag inside the default one's (`site/sv/`), so it is published, or
left unpublished, with it. mkdocs-static-i18n does the same from Markdown files per language; here the
pages come from data, so the build does it from the data's declared languages (handbook/languages.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compliance.model.data import ComplianceData
from compliance.render.languages import alternates, language_folder
from compliance.sitebuild import BuildFailed

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
        # One `_headers` for the whole host, written by the default language's build: its policy
        # allows the inline scripts of every language's pages (the theme's words differ in each).
        if outer is not None and session.build is not None:
            outer.headers.hashes |= session.build.headers.hashes
            # Its links are checked with the default's, each at the line it came from (a translation's own).
            outer.links.include(session.build.links)
    except Abort as exc:
        raise BuildFailed(f"the '{language}' site: {exc}") from None
    finally:
        session.build, session.language = outer, outer_language


def theme_languages(config: MkDocsConfig) -> frozenset[str]:
    """The language tags the theme has interface words for: Material ships each as
    `partials/languages/<tag>.html`, which its pages import by `theme.language` (an override's own counts)."""
    return frozenset(
        path.stem for folder in config.theme.dirs for path in Path(folder, "partials", "languages").glob("*.html")
    )


def theme_alternates(
    data: ComplianceData | None, page_url: str, *, served_anywhere: str | None = None
) -> list[dict[str, str]]:
    """The theme's `extra.alternate` for a page: its counterpart in each language, and that language's site.

    The theme writes each entry twice: as a link of its language selector, which leads to the page's
    counterpart, and as a `<link rel="alternate" hreflang>` of the page's head, whose address its script
    takes for a site and fetches the sitemap.xml of: that one leads to the language's site, as the
    theme's own documentation sets it. Both go through MkDocs' `url` filter, which cannot lead above the
    site's root (as a Swedish page's link to its English one must), so they go through it marked, each
    link with its site, and `unmark_alternates` writes each where it belongs. A page `served_anywhere`
    (the 404 page, before any other) links from the path of that site address instead.
    """
    base = urlsplit(served_anywhere).path if served_anywhere else ""
    found = alternates(data, page_url, base) if data is not None else []
    return [{"name": a.name, "lang": a.lang, "link": f"{_KEPT_LINK}{a.root}{_APART}{a.link}"} for a in found]


def unmark_alternates(html: str, *, with_sitemaps: bool) -> str:
    """The page with its language links as `theme_alternates` made them.

    The head keeps its alternates only on a page whose counterparts are the languages' sites themselves
    (the home page): there they are true `hreflang` alternates, and the sitemap.xml the theme's script
    fetches beside each exists. On any other page they would tell search engines that the page's Swedish
    version is the Swedish home page; its true counterparts are in the sitemap (`finish_sitemap`) and its
    selector. Without sitemaps (no site_url) there are none, since the script's requests would fail.
    """

    if _KEPT_LINK not in html:  # a site of one language: nothing to unmark (both patterns hold the mark)
        return html

    def head_link(match: re.Match[str]) -> str:
        exact = with_sitemaps and match[1] == match[2]
        return f'<link rel="alternate" href="{match[1]}"{match[3]}>' if exact else ""

    html = _HEAD_LINK.sub(head_link, html)
    return _SELECTOR_LINK.sub(lambda m: f'href="{m[1]}"', html)


# The header's room for a language selector (docs/stylesheets/): linked only in a site of several languages.
LANGUAGES_CSS = "stylesheets/languages.css"
# A link the `url` filter leaves as it is (it keeps fragments); no page's own link starts so.
_KEPT_LINK = "#compliance-alternate:"
_APART = "|"
_HEAD_LINK = re.compile(r'<link rel="alternate" href="' + re.escape(_KEPT_LINK) + r'([^"|]*)\|([^"]*)"([^>]*)>')
_SELECTOR_LINK = re.compile(r'href="' + re.escape(_KEPT_LINK) + r'[^"|]*\|([^"]*)"')
