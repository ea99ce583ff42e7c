"""Every use of LinkChecker in the project, in one place.

LinkChecker stays the engine for what it does well: finding links in HTML (its table of
link-carrying elements and attributes, srcset, CSS url(), meta refresh), collecting anchors,
checking ftp:// and mail addresses. Nothing here starts its thread director: checks run in our
own scheduler, one URL at a time, so neither its per-host sleep under a global lock nor its
shutdown join can stall a run. tests/test_links_contract.py fails loudly if an upgrade changes
anything used here; the version is pinned exactly in requirements.in for the same reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import linkcheck
from linkcheck import checker, configuration, director
from linkcheck.htmlutil import htmlsoup, linkparse

PINNED_VERSION = "10.6.0"

# LinkChecker's table, plus attributes browsers follow that it leaves out.
LINK_ATTRIBUTES: dict[str | None, list[str]] = {tag: list(names) for tag, names in linkparse.LinkTags.items()}
for _tag, _names in {
    "a": ["xlink:href"],  # <a> inside inline SVG
    "source": ["srcset"],
    "video": ["poster"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}.items():
    LINK_ATTRIBUTES.setdefault(_tag, []).extend(_names)
# Custom elements (<x-card href=...>) are not in any table; their link attributes are these.
CUSTOM_ELEMENT_ATTRIBUTES = ["href", "src"]


@dataclass(frozen=True)
class FoundLink:
    """A link as written in a page: its text, where it is, and the page's <base href> if any."""

    url: str
    line: int
    column: int
    base: str = ""


@dataclass
class ParsedPage:
    """The links of one HTML page and the fragment targets (id and <a name>) it defines."""

    links: list[FoundLink] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


def parse_page(html: str) -> ParsedPage:
    """Links and anchors of an HTML document, links in document order."""
    soup = htmlsoup.make_soup(html)
    page = ParsedPage()
    custom = {element.name for element in soup.find_all(True) if "-" in element.name}
    tags = {**LINK_ATTRIBUTES, **dict.fromkeys(custom, CUSTOM_ELEMENT_ATTRIBUTES)}

    def found(url: str | None, line: int | None, column: int | None, name: str, base: str) -> None:
        # `<a href>` without a value links to the page itself, as an empty href does.
        page.links.append(FoundLink(url or "", line or 0, column or 0, base or ""))

    def anchor(url: str | None, line: int | None, column: int | None, name: str, base: str) -> None:
        if url:
            page.anchors.add(url)

    linkparse.find_links(soup, found, tags)
    linkparse.find_links(soup, anchor, linkparse.AnchorTags)
    return page


class LinkCheckerSession:
    """LinkChecker's per-URL checkers for ftp:// and mailto:, without its thread director."""

    def __init__(self, timeout: float) -> None:
        logging.getLogger("linkcheck").setLevel(logging.CRITICAL)
        config = configuration.Configuration()
        config["timeout"] = timeout
        config["robotstxt"] = False
        config["checkextern"] = True
        config["recursionlevel"] = 0
        # No config.sanitize(): it sets the process-wide default socket timeout, and it
        # only prepares loggers and plugins, which checking single URLs does not use.
        self._aggregate = director.get_aggregate(config)

    def check_ftp(self, url: str) -> tuple[bool, str]:
        """(valid, LinkChecker's result text) for one ftp:// URL; it logs in, walks and lists."""
        url_data = self._url_data(url)
        if not url_data.has_result:
            try:
                url_data.check()
            finally:
                url_data.close_connection()
        return bool(url_data.valid), str(url_data.result or "")

    def check_mail(self, url: str, dns: bool) -> tuple[bool, str, list[str]]:
        """(valid, problem, warnings) for a mailto: URL: its syntax, and with `dns` its MX records."""
        url_data = self._url_data(url)
        if dns and not url_data.has_result:
            url_data.check()
        warnings = [str(message) for _tag, message in url_data.warnings or []]
        return bool(url_data.valid), str(url_data.result or ""), warnings

    def _url_data(self, url: str) -> Any:
        return checker.get_url_from(url, 0, self._aggregate, extern=(0, 0))


def installed_version() -> str:
    """The LinkChecker version actually imported."""
    return str(linkcheck.configuration.Version)
