"""One site per language: where each is published, and the links from a page to its counterparts.

The default language's site is the root; each other language's is the folder of its tag (`sv/`),
with the same pages at the same paths under it, so a page's counterpart is found by its path alone.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from babel.core import Locale, UnknownLocaleError

from ..model.data import ComplianceData


@dataclass(frozen=True)
class Alternate:
    """A page's counterpart in a language: the language's own name for itself, the link, the tag."""

    name: str
    link: str
    lang: str
    # The language's site itself, relative to the page: the theme's script reads its sitemap.xml.
    root: str = "./"


def language_folder(language: str, default: str) -> str:
    """The folder a language's site is published in, relative to the root site: '' for the default."""
    return "" if language == default else f"{language}/"


def language_url(site_url: str | None, data: ComplianceData) -> str | None:
    """Where the site of `data`'s language is published: the site's address, or for a language other
    than the default one the folder of its name under it (`https://trust.example/sv/`)."""
    if site_url is None or data.language == data.default_language:
        return site_url
    return site_url.rstrip("/") + "/" + language_folder(data.language, data.default_language)


def alternates(data: ComplianceData, page_url: str, base: str = "") -> list[Alternate]:
    """The page at `page_url` (relative to its own site's root) in every language, this one included;
    none when the site has one language. Links are relative to the page itself (`../../sv/claims/x/`),
    or with `base` (this site's root as an absolute path) from it, for a page served at any address (404)."""
    if len(data.languages) < 2:
        return []
    folders = page_url.split("/")[:-1]  # `claims/x/` is two folders deep, `claims/x.html` one
    up = "../" * (len(folders) + (0 if data.language == data.default_language else 1))
    found = []
    for lang in data.languages:
        root = _tidy(base + up + language_folder(lang, data.default_language))
        found.append(Alternate(language_name(lang), root + page_url or "./", lang, root or "./"))
    return found


def _tidy(path: str) -> str:
    """`/sv/../` as `/`: a path from an absolute base, without steps back (a relative one keeps them)."""
    return posixpath.normpath(path).rstrip("/") + "/" if path.startswith("/") else path


def language_name(tag: str) -> str:
    """A language's name in itself, as a selector lists it ("English", "Svenska"), from Babel."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name() or tag
    except (ValueError, UnknownLocaleError):
        return tag
    return name[:1].upper() + name[1:]
