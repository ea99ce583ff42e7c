"""Every use of LinkChecker in the project, in one place.

LinkChecker finds links in HTML (its LinkFinder and tables of link and anchor attributes, over
the standard library's html.parser, without building a tree), checks ftp:// and mail servers
(MX). Its thread director is never started: our scheduler runs one URL at a time through it.
tests/test_links_contract.py fails loudly if an upgrade changes anything used here; the version
is pinned exactly in requirements.in for the same reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from linkcheck.htmlutil import linkparse

from .failures import FailureKind

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
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


class _PageParser(HTMLParser):
    """Hands every start tag to LinkChecker's LinkFinder, and collects anchors by its AnchorTags table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._finder = linkparse.LinkFinder(self._found, LINK_ATTRIBUTES)
        self._anchor_names = {tag: set(names) for tag, names in linkparse.AnchorTags.items()}
        self._tag, self._used = "", set[int]()  # the start tag being read, and where its URLs were found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}  # as Beautiful Soup gives them: "" for no value
        if "-" in tag and tag not in self._finder.tags:
            self._finder.tags[tag] = set(CUSTOM_ELEMENT_ATTRIBUTES) | self._finder.universal_attrs
        line, offset = self.getpos()
        self._tag, self._used = self.get_starttag_text() or "", set()
        self._finder.html_element(tag, values, "", line, offset + 1)
        for name in self._anchor_names.get(tag, set()) | self._anchor_names[None]:
            if values.get(name):
                self.page.anchors.add(values[name])

    def _found(self, url: str | None, line: int, column: int, name: str, base: str) -> None:
        # `<a href>` without a value links to the page itself, as an empty href does.
        line, column = self._place(url or "", line or 0, column or 0)
        self.page.links.append(FoundLink(url or "", line, column, base or ""))

    def _place(self, url: str, line: int, column: int) -> tuple[int, int]:
        """Where `url` itself is written in its tag (each srcset candidate, each URL of a tag, its own place).

        The tag's own place when the URL is not written as it reads (a character reference in it).
        """
        at = self._tag.find(url) if url else -1
        while at >= 0 and (at in self._used or not _whole(self._tag, at, at + len(url))):
            at = self._tag.find(url, at + 1)
        if at < 0:
            return line, column
        self._used.add(at)
        breaks = self._tag.count("\n", 0, at)
        if not breaks:
            return line, column + at
        return line + breaks, at - self._tag.rfind("\n", 0, at)


def _whole(tag: str, start: int, end: int) -> bool:
    """Whether tag[start:end] is a whole value or srcset candidate, not part of a longer one."""
    return tag[start - 1] in "\"'=, \t\n(" and (end == len(tag) or tag[end] in "\"' ,\t\n)>")


class LinkCheckerSession:
    """LinkChecker's per-URL checkers for ftp:// and mailto:, without its thread director."""

    def __init__(self, timeout: float) -> None:
        # Imported here, not above: the checkers pull in DNS and the requests stack (about 0.4 s
        # at start-up), which a site without ftp:// or mailto: links never needs.
        from linkcheck import checker, configuration, director

        self._get_url_from = checker.get_url_from
        logging.getLogger("linkcheck").setLevel(logging.CRITICAL)
        config = configuration.Configuration()
        config["timeout"] = timeout
        config["robotstxt"] = False
        config["checkextern"] = True
        config["recursionlevel"] = 0
        # No config.sanitize(): it sets the process-wide default socket timeout, and it
        # only prepares loggers and plugins, which checking single URLs does not use.
        self._aggregate = director.get_aggregate(config)

    def check_ftp(self, url: str) -> tuple[FailureKind | None, str]:
        """(failure or None, what the server said) for one ftp:// URL; it logs in, walks and lists.

        check_connection() rather than check(): check() turns every error into message text, and
        the failure is judged here by the exception's type.
        """
        url_data = self._url_data(url)
        if url_data.has_result:  # its syntax check failed
            return FailureKind.INVALID_URL, str(url_data.result or "")
        try:
            url_data.check_connection()
        except Exception as exc:
            kind = next((kind for types, kind in _ftp_failures() if isinstance(exc, types)), None)
            if kind is None:
                raise
            return kind, str(exc) or type(exc).__name__
        finally:
            url_data.close_connection()
        return None, "FTP file found"

    def check_mail(self, url: str, dns: bool) -> tuple[bool, str, list[str]]:
        """(valid, problem, warnings) for a mailto: URL: its syntax, and with `dns` its MX records."""
        url_data = self._url_data(url)
        if dns and not url_data.has_result:
            url_data.check()
        warnings = [str(message) for _tag, message in url_data.warnings or []]
        return bool(url_data.valid), str(url_data.result or ""), warnings

    def _url_data(self, url: str) -> Any:
        return self._get_url_from(url, 0, self._aggregate, extern=(0, 0))


def _ftp_failures() -> list[tuple[type[BaseException] | tuple[type[BaseException], ...], FailureKind]]:
    import ftplib
    import socket

    from linkcheck import LinkCheckerError

    temporary = (ftplib.error_temp, ftplib.error_reply, ftplib.error_proto, EOFError, LinkCheckerError)
    return [
        (ftplib.error_perm, FailureKind.FTP_PERMANENT),
        (temporary, FailureKind.FTP_TEMPORARY),
        (socket.gaierror, FailureKind.DNS),
        (TimeoutError, FailureKind.TIMEOUT),
        (ConnectionRefusedError, FailureKind.REFUSED),
        ((ConnectionResetError, ConnectionAbortedError, BrokenPipeError), FailureKind.RESET),
        (OSError, FailureKind.CONNECTION),
    ]


def installed_version() -> str:
    """The LinkChecker version actually imported."""
    from linkcheck import configuration

    return str(configuration.Version)
