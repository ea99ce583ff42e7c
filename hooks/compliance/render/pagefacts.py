"""What a page tells machines about itself, from the data: its description and the date it last changed.

Search engines show a page's meta description and crawl by the sitemap's `lastmod`; both come from
the facts the page shows (a claim's kind and status, a trust page's intro, the date it was last
reviewed or updated), and a page whose data gives no date has no `lastmod` rather than the build's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from ..model.data import ComplianceData
from ..model.entries import Claim
from .prose import ProseRenderer
from .trustsite import status_words

_TAG = re.compile(r"<[^>]+>")
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
        described = f"{claim.title}: {kind}, {status_words(claim, document, data.catalogue)}"
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


def _plain(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _attribute(text: str) -> str:
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return escape(text)
