"""What a page tells machines about itself, from the data: its description, the date it last changed,
and its counterparts in the other languages.

Search engines show a page's meta description and crawl by the sitemap's `lastmod`; both come from
the facts the page shows (a claim's kind and status, a trust page's intro, the date it was last
reviewed or updated), and a page whose data gives no date has no `lastmod` rather than the build's.
A site of several languages lists each page's counterparts in its sitemap (`xhtml:link hreflang`),
since the theme's script reads the head's alternates as sites (handbook/languages.md).
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

from ..model.data import ComplianceData
from ..model.entries import Claim
from .languages import alternates
from .prose import ProseRenderer
from .trustsite import status_words

_TAG = re.compile(r"<[^>]+>")
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Where sitemaps write a page's language versions (Google's "sitemap method" for hreflang).
_XHTML = "http://www.w3.org/1999/xhtml"
# The trust pages whose section of the data has an intro (and, some, a last_updated date).
_TRUST_SECTIONS = ("controls", "subprocessors", "documents", "faq", "contacts")
# Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class PageFacts:
    """A page's description (HTML-escaped, for the theme's attribute) and its `lastmod` date ("" for none)."""

    description: str | None
    lastmod: str


def page_facts(data: ComplianceData, prose: ProseRenderer, src_uri: str, claim: Claim | None) -> PageFacts:
    """The facts of the page made from `src_uri` (a claim's page when `claim` is given)."""
    document = data.document
    if claim is not None:
        kind = getattr(document.labels.kinds, claim.kind)
        described = f"{claim.title}: {kind}, {status_words(claim, document, data.basis(claim))}"
        dated = claim.last_reviewed or claim.issued
        return PageFacts(_attribute(described), dated.isoformat() if dated else "")
    name = src_uri.removesuffix(".md")
    if name == "index":
        reviewed = document.guide.last_reviewed
        return PageFacts(None, reviewed.isoformat() if reviewed else "")
    if name == "updates" and document.updates:
        return PageFacts(None, max(document.updates, key=lambda update: update.date.last).date.isoformat())
    section = getattr(document, name, None) if name in _TRUST_SECTIONS else None
    intro = getattr(section, "intro", None)
    updated = getattr(section, "last_updated", None)
    return PageFacts(
        _attribute(_plain(str(prose.render(intro)))) if intro else None, updated.isoformat() if updated else ""
    )


def finish_sitemap(
    site_dir: Path, site_url: str | None, lastmods: dict[str, str], data: ComplianceData | None = None
) -> None:
    """Give each page of the built sitemap.xml (and its .gz) the `lastmod` of `lastmods` (by page URL), or
    none: MkDocs dates every page by the build, which tells a crawler that every page changed each time.
    In a site of several languages, each page also lists its counterpart in each language, itself included."""
    sitemap = site_dir / "sitemap.xml"
    if not site_url or not sitemap.is_file():
        return
    root_url = site_url.rstrip("/") + "/"
    ET.register_namespace("", _SITEMAP)
    ET.register_namespace("xhtml", _XHTML)
    tree = ET.parse(sitemap)
    for url in tree.getroot().iter(f"{{{_SITEMAP}}}url"):
        loc = url.find(f"{{{_SITEMAP}}}loc")
        for lastmod in url.findall(f"{{{_SITEMAP}}}lastmod"):
            url.remove(lastmod)
        page = (loc.text or "").removeprefix(root_url) if loc is not None else ""
        if lastmods.get(page):
            ET.SubElement(url, f"{{{_SITEMAP}}}lastmod").text = lastmods[page]
        for other in alternates(data, page) if data is not None and loc is not None else []:
            href = urljoin(loc.text or "", other.link) if loc is not None else other.link
            ET.SubElement(url, f"{{{_XHTML}}}link", rel="alternate", hreflang=other.lang, href=href)
    ET.indent(tree)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree.getroot(), encoding="unicode") + "\n"
    sitemap.write_text(text, encoding="utf-8")
    # mtime 0: the same sitemap gives the same archive, whenever it is built.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _plain(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _attribute(text: str) -> str:
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return escape(text)
