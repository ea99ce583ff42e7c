"""Where each external or mail URL of a built site came from: a YAML line, a page, or the theme.

The build records this map beside the site (never in docs/) so that a broken link
can be reported at the line an editor has to change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterator
from dataclasses import asdict, dataclass
from html import unescape
from pathlib import Path

from .targets import CHECKED_SCHEMES, MAIL_SCHEME

# URLs the map records: what leaves the site (internal links are traced to built pages instead).
EXTERNAL = re.compile(rf"^(({'|'.join(CHECKED_SCHEMES)})://|{MAIL_SCHEME}:)", re.IGNORECASE)
MAP_VERSION = 1
# Where an external URL could start; a page without one (or with only known URLs) needs no parsing.
# EXTERNAL's schemes, found by the colon each ends with: the search looks for one character (a fast
# scan for a literal), then looks back; each alternative's empty group says how long its scheme is.
_SCHEME_END = re.compile(
    r":(?:(?<=[hH][tT][tT][pP]:)//()|(?<=[hH][tT][tT][pP][sS]:)//()|(?<=[fF][tT][pP]:)//()"
    r"|(?<=[mM][aA][iI][lL][tT][oO]:)())"
)
_SCHEME_LENGTHS = (0, 4, 5, 3, 6)  # by the alternative's group: http, https, ftp, mailto
# Letters that IGNORECASE also takes for `s` and `i` (long s, dotted and dotless i): such pages are parsed.
_CASE_FOLDS = ("\u017f", "\u0130", "\u0131")
# The references html.unescape decodes to a quote: `&quot` and `&QUOT` (with or without `;`, and with
# whatever follows), `&apos;`, and 34 or 39 written in decimal or hex (any leading zeros, nothing after).
# One search for them stands in for counting each quote in the page before and after decoding it.
_QUOTE_REFERENCE = re.compile(r"&(?:quot|QUOT|apos;|#0*3[49](?![0-9])|#[xX]0*2[27](?![0-9a-fA-F]))")
_URL_END = re.compile(r"[\"'<>\s]")
# A namespace declaration (`<svg xmlns="http://www.w3.org/2000/svg">`) is no link: no table names it.
_NAMESPACE = re.compile(r"\sxmlns(?::[\w.-]+)?=$")


@dataclass(frozen=True, order=True)
class LinkSource:
    """One place a URL is written.

    kind is 'data' (a YAML value; field is its path), 'page' (a page's Markdown), 'theme', or
    'site' (a built HTML page; field is the link as written when it differs from the target).
    """

    kind: str
    file: str = ""
    line: int = 0
    field: str = ""
    column: int = 0

    def __str__(self) -> str:
        where = (
            self.file
            + (f":{self.line}" if self.line else "")
            + (f":{self.column}" if self.line and self.column else "")
        )
        if self.kind == "data":
            return f"{where} {self.field}".rstrip()
        if self.kind == "page":
            return where
        if self.kind == "site":
            return f"{where} (written as {self.field})" if self.field else where
        return "theme"


LinkMap = dict[str, list[LinkSource]]


def html_links(html: str, known: Container[str] = ()) -> list[str]:
    """External and mail URLs referenced by an HTML document, in document order.

    A document whose every URL is in `known` may return none of them: callers that only want new
    URLs skip parsing most pages of a large site (each page's navigation grows with the site).
    """
    if _only_known(html, known):
        return []
    # Imported on first use: LinkChecker's parser takes a tenth of a second to import, and a build
    # whose pages hold only URLs from the data never needs it.
    from .linkchecker import parse_page

    return [url for link in parse_page(html).links if EXTERNAL.match(url := link.url.strip())]


def _only_known(html: str, known: Container[str]) -> bool:
    """True when every place a URL could start in `html` holds a known URL (or a namespace) as a whole quoted value.

    Conservative: the parser reports attribute values (and URLs inside them) with character
    references decoded, so each one starts at a scheme in the decoded text; any scheme there that is
    not exactly a known URL between a pair of the same quotes sends the page to the parser.
    """
    text = unescape(html) if "&" in html else html
    if any(char in text for char in _CASE_FOLDS):
        return False
    if text is not html and _QUOTE_REFERENCE.search(html):
        return False  # a quote written as a reference would hide where a value ends
    for start in scheme_starts(text):
        end = _URL_END.search(text, start)
        if end is None or start == 0 or text[start - 1] != text[end.start()] or text[start - 1] not in "\"'":
            return False
        if text[start : end.start()] not in known and not _NAMESPACE.search(text, max(0, start - 60), start - 1):
            return False
    return True


def scheme_starts(text: str) -> Iterator[int]:
    """Where each of EXTERNAL's schemes starts in `text`, in order (cased any way, ASCII letters only)."""
    for match in _SCHEME_END.finditer(text):
        yield match.start() - _SCHEME_LENGTHS[match.lastindex or 0]


class LinkMapBuilder:
    """Collects sources during a build: data first, then pages, then the theme."""

    def __init__(self, data_links: LinkMap) -> None:
        self._data = data_links
        self._pages: LinkMap = {}
        self._seen: set[tuple[str, str]] = set()  # (url, page): a URL on every page must not cost n^2

    def add_page(self, page_file: str, html: str) -> None:
        """Record links a page's own Markdown wrote (links drawn from data keep their YAML source)."""
        for url in html_links(html, self._data):
            if url not in self._data and (url, page_file) not in self._seen:
                self._seen.add((url, page_file))
                self._pages.setdefault(url, []).append(LinkSource("page", page_file))

    def include(self, other: LinkMapBuilder) -> None:
        """Add the sources another language's site collected: a translated value's link is at its own
        line (`prose@sv`), and a URL written in both languages is at both."""
        for mine, theirs in ((self._data, other._data), (self._pages, other._pages)):
            for url, sources in theirs.items():
                kept = mine.setdefault(url, [])
                kept.extend(source for source in sources if source not in kept)
        self._seen |= other._seen

    def finish(self, site_dir: Path, published: str | None = None) -> LinkMap:
        """The complete map: any site URL not from data or a page came from the theme.

        Links to the site's own `published` address (canonical links) are links within the site:
        the checker checks them against the build, so they are not external links of the map.
        """
        result: LinkMap = {url: list(s) for url, s in {**self._pages, **self._data}.items()}
        known = _KnownOrOwn(result, published)  # so pages holding only those skip the parser
        for page in sorted(site_dir.rglob("*.html")):
            for url in html_links(page.read_text(encoding="utf-8", errors="replace"), known):
                if url not in known:
                    result.setdefault(url, [LinkSource("theme")])
        return result


@dataclass(frozen=True)
class _KnownOrOwn:
    """URLs of the map so far, and any under the site's own published address."""

    links: LinkMap
    published: str | None

    def __contains__(self, url: object) -> bool:
        return url in self.links or bool(self.published and isinstance(url, str) and url.startswith(self.published))


def write_link_map(path: Path, links: LinkMap) -> None:
    """Save the map as JSON (sorted, so rebuilds with the same input give the same file)."""
    payload = {
        "version": MAP_VERSION,
        "links": {url: [asdict(s) for s in sorted(set(sources))] for url, sources in sorted(links.items())},
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def read_link_map(path: Path) -> LinkMap:
    """Load a map written by `write_link_map`; a missing file is an empty map."""
    if not path.is_file():
        return {}
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("version") != MAP_VERSION:
        raise ValueError(f"{path}: link map version {payload.get('version')!r}, expected {MAP_VERSION}")
    return {url: [LinkSource(**s) for s in sources] for url, sources in payload["links"].items()}


def link_map_path(site_dir: Path) -> Path:
    """The map lives beside the site: site/ -> site.linkmap.json, whatever the path's form ('.', '..', 'site/').

    ValueError for a folder with nothing beside it (the file system's root).
    """
    site = site_dir if site_dir.name not in ("", ".", "..") else site_dir.resolve()
    if not site.name:
        raise ValueError(f"{site_dir}: no folder beside it for the link map")
    return site.with_name(f"{site.name}.linkmap.json")
