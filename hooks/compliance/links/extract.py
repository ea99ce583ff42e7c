"""Find the links and fragment targets of an HTML page, as LinkChecker's LinkFinder does, without importing it.

LinkChecker's package costs about 0.05 s of CPU to import (its logging setup, pydoc and more),
a tenth of a whole check of 500 links, and a run needs it only for ftp:// and mailto:. So the
rules of its LinkFinder are written here: which attributes of which elements hold URLs, <base
href>, meta refresh and icons, GET forms only, CSS url() in style attributes, srcset candidates,
applet archives and codebase, dns-prefetch/preconnect hints. tests/test_links_contract.py holds
LinkChecker to them: its tables must stay within ours, and its LinkFinder must find exactly what
this module finds on generated elements, so an upgrade that changes either fails there.
Pages are tokenized by the standard library's html.parser, without building a tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes that hold a URL, per element; None: on every element. LinkChecker's table plus
# attributes browsers follow that it leaves out (xlink:href in SVG, source srcset, video poster).
_URL_ATTRIBUTES = {
    "a": "href xlink:href",
    "applet": "archive src",
    "area": "href",
    "audio": "src",
    "bgsound": "src",
    "blockquote": "cite",
    "body": "background",
    "button": "formaction",
    "del": "cite",
    "embed": "pluginspage src",
    "form": "action",
    "frame": "longdesc src",
    "head": "profile",
    "html": "manifest",
    "iframe": "longdesc src",
    "ilayer": "background",
    "image": "href xlink:href",
    "img": "longdesc lowsrc src srcset usemap",
    "input": "formaction src usemap",
    "ins": "cite",
    "isindex": "action",
    "layer": "background src",
    "link": "href",
    "meta": "content href",
    "object": "archive classid codebase data usemap",
    "q": "cite",
    "script": "src",
    "source": "src srcset",
    "table": "background",
    "td": "background",
    "th": "background",
    "tr": "background",
    "track": "src",
    "use": "href xlink:href",
    "video": "poster src",
    "xmp": "href",
}
UNIVERSAL_ATTRIBUTES = frozenset({"style", "itemtype"})
LINK_ATTRIBUTES: dict[str, frozenset[str]] = {
    tag: frozenset(names.split()) | UNIVERSAL_ATTRIBUTES for tag, names in _URL_ATTRIBUTES.items()
}
# Custom elements (<x-card href=...>) are in no table; their link attributes are these.
CUSTOM_ELEMENT_ATTRIBUTES = frozenset({"href", "src"}) | UNIVERSAL_ATTRIBUTES
# Attributes that name a fragment target: <a name> and any element's id.
ANCHOR_ATTRIBUTES: dict[str | None, tuple[str, ...]] = {"a": ("name",), None: ("id",)}

_REFRESH = re.compile(r"(?i)^\d+;\s*url=(?P<url>.+)$")
_CSS_URL = re.compile(r"""url\(\s*(?P<url>'[^']+'|"[^"]+"|[^)\s]+)\s*\)""")
_SRCSET_SPACE = " \t\n\f\r"


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


def element_urls(tag: str, values: dict[str, str], base: str) -> list[tuple[str, str]]:
    """(url, base) for each URL one start tag holds, in LinkFinder's order (attributes by name).

    `values` has "" for an attribute written without a value; `base` is the page's <base href>.
    """
    names = LINK_ATTRIBUTES.get(tag)
    if names is None:
        names = CUSTOM_ELEMENT_ATTRIBUTES if "-" in tag else UNIVERSAL_ATTRIBUTES
    found: list[tuple[str, str]] = []
    for name in sorted(names.intersection(values)):
        if tag == "meta" and not _meta_holds_url(name, values):
            continue
        if tag == "form" and (name != "action" or values.get("method", "").lower() == "post"):
            continue  # a POST form's action is not a page to fetch
        here = (values.get("codebase", "") if tag == "applet" else "") or base
        value = values[name]
        rel = values.get("rel", "").lower() if tag == "link" else ""
        if "dns-prefetch" in rel or "preconnect" in rel:
            value = "dns:" + value.partition(":")[2 if ":" in value else 0].rstrip("/")
        found += [(url, here) for url in _urls_in(tag, name, value)]
    return found


def _meta_holds_url(name: str, values: dict[str, str]) -> bool:
    if name == "content":
        return values.get("http-equiv", "").lower() == "refresh" or values.get("scheme", "").lower() == "dcterms.uri"
    return name == "href" and values.get("rel", "").lower() in ("icon", "shortcut icon")


def _urls_in(tag: str, name: str, value: str) -> list[str]:
    if tag == "meta" and value:
        refresh = _REFRESH.match(value)
        if refresh:
            return [refresh["url"]]
        return [] if name == "content" else [value]
    if name == "style" and value:
        return [_strip_matching_quotes(m["url"]) for m in _CSS_URL.finditer(value)]
    if name == "archive":
        return value.split(",")
    if name == "srcset":
        return srcset_urls(value)
    return [value]


def _strip_matching_quotes(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] in "'\"" and text[0] == text[-1] else text


def srcset_urls(text: str) -> list[str]:
    """The candidate URLs of a srcset, by the HTML standard's parsing steps (descriptors skipped)."""
    urls, at, end = [], 0, len(text)
    while True:
        while at < end and (text[at] in _SRCSET_SPACE or text[at] == ","):
            at += 1
        if at >= end:
            return urls
        start = at
        while at < end and text[at] not in _SRCSET_SPACE:
            at += 1
        stop = at
        if text[stop - 1] == ",":  # "a.png," ends the candidate: no descriptors follow
            while stop > start and text[stop - 1] == ",":
                stop -= 1
        else:  # descriptors run to the next comma outside parentheses
            while at < end and text[at] != ",":
                if text[at] == "(":
                    closing = text.find(")", at)
                    at = end if closing < 0 else closing
                at += 1
        if stop > start:
            urls.append(text[start:stop])


class PageLinks:
    """Takes a page's start tags one by one: their URLs (with the page's <base href>) and anchors."""

    def __init__(self) -> None:
        self.page = ParsedPage()
        self._base = ""

    def element(self, tag: str, values: dict[str, str], line: int, column: int) -> None:
        """One start tag; `values` has "" for an attribute written without a value."""
        if tag == "base" and not self._base:  # the first <base href> counts
            self._base = values.get("href", "")
        for url, base in element_urls(tag, values, self._base):
            self.page.links.append(FoundLink(url, line, column, base))
        for name in (*ANCHOR_ATTRIBUTES.get(tag, ()), *ANCHOR_ATTRIBUTES[None]):
            if values.get(name):
                self.page.anchors.add(values[name])


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = PageLinks()
        self.page = self.links.page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if attrs:  # no attribute, no link and no anchor
            line, offset = self.getpos()
            self.links.element(tag, {name: value or "" for name, value in attrs}, line, offset + 1)
