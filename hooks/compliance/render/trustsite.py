"""The trust-center part of the site: which pages the data calls for, the Atom feed, security.txt.

Pages exist only for content the editor wrote; the feed and security.txt need absolute URLs and say
why they are left out rather than publishing relative ones.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from ..limits import LimitOption, limit_hint
from ..model.data import ComplianceData
from ..model.document import ComplianceDocument
from ..model.entries import Claim, Document
from ..model.standing import StatusBasis
from ..model.trust import Update
from ..urlrule import placeholder_domain
from .plan import SitePlan
from .prose import ProseRenderer

# The trust-center pages in navigation order; each is docs/_templates/<name>.md.
TRUST_PAGES = ("controls", "subprocessors", "documents", "faq", "updates", "contacts")
FEED_FILE = "feed.xml"
SECURITY_TXT_FILE = ".well-known/security.txt"
ATOM = "http://www.w3.org/2005/Atom"
_BREAKS_A_LINE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Evidence:
    """A claim's evidence document, listed in the documents library beside the library's own."""

    document: Document
    claim: Claim


class TrustSite:
    """What templates and the hooks ask about the trust-center content of one build."""

    def __init__(self, document: ComplianceDocument, plan: SitePlan) -> None:
        self.document = document
        self.plan = plan
        # Newest first; among updates of one day, the one written first in the file leads.
        newest = sorted(enumerate(document.updates), key=lambda item: (-item[1].date.first.toordinal(), item[0]))
        self.updates = [update for _, update in newest]
        self._anchors: dict[int, str] = {}
        self._places: dict[int, int] = {}
        of_day: dict[date, int] = {}
        taken: set[str] = set()
        # The next number to try after each base: a thousand updates of one day and title stay linear.
        next_number: dict[str, int] = {}
        for update in document.updates:  # file order: adding an update never renames an older one's anchor
            anchor = base = f"update-{update.date.isoformat()}-{_slug(update.title)}"
            n = next_number.get(base, 2)
            while anchor in taken:
                anchor, n = f"{base}-{n}", n + 1
            next_number[base] = n
            taken.add(anchor)
            self._anchors[id(update)] = anchor
            day = update.date.first
            self._places[id(update)] = of_day[day] = of_day.get(day, 0) + 1

    def pages(self) -> list[str]:
        """The names of the trust pages the data fills, in navigation order."""
        d = self.document
        contacts = d.contacts
        filled = {
            "controls": bool(d.controls and any(area.controls for area in d.controls.areas)),
            "subprocessors": bool(d.subprocessors and d.subprocessors.processors),
            "documents": bool(d.documents and d.documents.library),
            "faq": bool(d.faq and d.faq.questions),
            "updates": bool(d.updates),
            "contacts": bool(
                contacts and (contacts.security or contacts.privacy or contacts.sales or contacts.disclosure_policy)
            ),
        }
        return [name for name in TRUST_PAGES if filled[name]]

    def page_url(self, name: str) -> str:
        """The URL of a trust page, relative to the site root."""
        return f"{name}/" if self.plan.directory_urls else f"{name}.html"

    def anchor(self, update: Update) -> str:
        return self._anchors[id(update)]

    def entry_id(self, update: Update, root: str) -> str:
        """The update's Atom id under the site address `root`, which a title fix leaves alone (RFC 4151 tag URI):
        `tag:HOST,DATE:PATH/updates/KEY`, KEY being the update's `id`, else its place (1, 2, ...) among
        the updates of its date in file order."""
        parts = urlsplit(root)
        key = update.id or str(self._places[id(update)])
        return f"tag:{parts.hostname},{update.date.first.isoformat()}:{parts.path.rstrip('/')}/updates/{key}"

    def update_url(self, update: Update) -> str:
        return f"{self.page_url('updates')}#{self.anchor(update)}"

    def updates_of(self, claim_id: str) -> list[Update]:
        """The updates that concern a claim, newest first."""
        return [u for u in self.updates if any(ref.id == claim_id for ref in u.claims)]

    def evidence(self) -> list[Evidence]:
        """Every claim's evidence, in claim order."""
        return [Evidence(doc, claim) for claim in self.document.claims for doc in claim.evidence]


@dataclass(frozen=True)
class TrustFiles:
    """What the trust-center content adds to a build: its pages (source path -> template), the feed and
    security.txt (path in the site -> text), the feed's URL, and lines for the build log."""

    pages: dict[str, str]
    files: dict[str, str]
    feed_url: str | None
    notes: list[str]


def plan_trust_files(
    data: ComplianceData, trust: TrustSite, prose: ProseRenderer, site_url: str | None, newest: int
) -> TrustFiles:
    """The trust pages the data fills, security.txt, and the Atom feed of the `newest` updates, from the
    build's own `trust` site and `prose` renderer."""
    pages = {f"{name}.md": f"_templates/{name}.md" for name in trust.pages()}
    files, notes = {}, []
    text, why_not = security_txt(data.document, site_url)
    if text is not None:
        files[SECURITY_TXT_FILE] = text
    elif data.document.contacts is not None:
        notes.append(why_not)
    if not trust.updates:
        return TrustFiles(pages, files, None, notes)
    if not site_url:
        # Feed readers need absolute ids and links; relative ones would be wrong wherever the feed is read.
        notes.append("No Atom feed of the updates: set site_url (in mkdocs.yml or guide.site_url) to publish one")
        return TrustFiles(pages, files, None, notes)
    if len(trust.updates) > newest:  # what feeds do: a reader polls a feed for what is new
        shown = f"The Atom feed holds the newest {newest:,} of {len(trust.updates):,} updates"
        notes.append(f"{shown}; {limit_hint(LimitOption.FEED_ENTRIES)}")
    files[FEED_FILE] = feed_text(trust, site_url, prose, data.basis, newest)
    return TrustFiles(pages, files, site_url.rstrip("/") + "/" + FEED_FILE, notes)


def status_words(claim: Claim, document: ComplianceDocument, basis: StatusBasis | None) -> str:
    """A claim's status and the date it rests on (`basis`), as plain text in the labels' words
    ("Current · no date stated")."""
    labels = document.labels
    if claim.status is None:
        return str(labels.facts.not_stated)
    facts = labels.facts.model_dump()
    rests_on = f"{facts[basis.fact]} {basis.date.words(labels.dates)}" if basis else labels.facts.no_date
    return f"{labels.statuses.model_dump()[claim.status]} · {rests_on}"


def feed_text(
    site: TrustSite,
    site_url: str,
    prose: ProseRenderer,
    basis_of: Callable[[Claim], StatusBasis | None],
    newest: int | None = None,
) -> str:
    """The updates as an Atom feed (RFC 4287), the `newest` of them (all when None), every link absolute
    under `site_url`; a related claim's link is titled with its status and the date that status rests on."""
    document = site.document
    root = site_url if site_url.endswith("/") else site_url + "/"
    page = root + site.page_url("updates")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", page)
    _text(feed, "title", f"{document.guide.title}: {document.labels.trust.updates}")
    _text(feed, "updated", _timestamp(site.updates[0].date.first))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", document.organisation.name)
    if document.organisation.url and str(document.organisation.url).startswith(("https://", "http://")):
        _text(author, "uri", str(document.organisation.url))
    _link(feed, "self", root + FEED_FILE, "application/atom+xml")
    _link(feed, "alternate", page, "text/html")
    for update in site.updates[:newest]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", site.entry_id(update, root))
        _text(entry, "title", update.title)
        _text(entry, "updated", _timestamp(update.date.first))
        _link(entry, "alternate", root + site.update_url(update), "text/html")
        for claim in update.claims:
            title = f"{claim.title}: {status_words(claim, document, basis_of(claim))}"
            _link(entry, "related", root + site.plan.claim_url(claim.id), "text/html", title=title)
        # Every entry has content: the line the updates page shows (its date and the claims it
        # concerns), then its prose; an update with no prose still says what the page says.
        content = _text(entry, "content", _entry_html(update, root, site, prose))
        content.set("type", "html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def security_txt(document: ComplianceDocument, site_url: str | None) -> tuple[str | None, str]:
    """The text of security.txt (RFC 9116), or None and why there is none."""
    contacts = document.contacts
    if contacts is None or contacts.security_txt is None:
        return None, "No security.txt: contacts.security_txt is not set"
    canonical, why_not = _canonical(site_url)
    if canonical is None:
        return None, why_not
    # The data check makes sure the security contact has an address security.txt accepts.
    assert contacts.security is not None and contacts.security.url is not None
    lines = [_url_line("Contact", contacts.security.url), f"Expires: {_timestamp(contacts.security_txt.expires.last)}"]
    if contacts.disclosure_policy:
        lines.append(_url_line("Policy", contacts.disclosure_policy))
    if contacts.security_txt.languages:
        lines.append(f"Preferred-Languages: {', '.join(contacts.security_txt.languages)}")
    lines.append(_url_line("Canonical", canonical))
    return "\n".join(lines) + "\n", ""


def _canonical(site_url: str | None) -> tuple[str | None, str]:
    """security.txt's own address under `site_url`, or None and why it has none (so no security.txt)."""
    if not site_url:
        return None, "No security.txt: it is served over https from the site's address; set site_url to publish one"
    parts = urlsplit(site_url)
    if parts.scheme != "https":
        return None, f"No security.txt: site_url {site_url!r} is not https, and RFC 9116 serves it over https only"
    placeholder = placeholder_domain(site_url)
    if placeholder:
        return None, (
            f"No security.txt: site_url {site_url!r} is a placeholder address (under {placeholder}, reserved by "
            "RFC 2606 and RFC 6761); set the site's real address to publish one"
        )
    path = parts.path.rstrip("/") + "/" + SECURITY_TXT_FILE
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")), ""


def _url_line(name: str, url: str) -> str:
    # A line of security.txt ends at a line break and has no escapes: percent-encode what would break it.
    return f"{name}: " + _BREAKS_A_LINE.sub(lambda match: quote(match[0], safe=""), str(url))


def _entry_html(update: Update, root: str, site: TrustSite, prose: ProseRenderer) -> str:
    labels = site.document.labels
    line = escape(update.date.words(labels.dates))
    if update.claims:
        links = ", ".join(
            f'<a href="{escape(root + site.plan.claim_url(claim.id))}">{escape(claim.title)}</a>'
            for claim in update.claims
        )
        line += f" · {escape(labels.trust.concerns)} {links}"
    return f"<p>{line}</p>" + (str(prose.render(update.prose, root)) if update.prose else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "update"


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, href: str, media: str, **extra: Any) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": media, **extra})
