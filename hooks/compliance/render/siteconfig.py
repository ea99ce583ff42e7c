"""What the data decides about the site as a whole: its name, logo, URL and navigation.

The theme prints these outside page content without escaping them, so every text is HTML-escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..model.data import ComplianceData
from .palette import palette_css
from .plan import SitePlan
from .trustsite import TrustSite

GUIDE_PAGE = "index.md"
MATRIX_PAGE = "matrix.md"
PALETTE_FILE = "stylesheets/organisation.css"


@dataclass(frozen=True)
class SiteSettings:
    """Site-wide settings from the data, every text already escaped for HTML."""

    name: str
    description: str | None
    logo: str | None
    site_url: str | None
    # Titles for the pages the data names, and the claims index's navigation entry. Claims are listed
    # on that page, not in the navigation: a navigation of every claim, repeated on every page, made
    # the site grow with the square of the number of claims.
    page_titles: dict[str, str] = field(default_factory=dict)
    claims_section: dict[str, str] = field(default_factory=dict)
    # The trust-center pages the data fills (subprocessors, FAQ, ...), each {title: page}.
    trust_pages: list[dict[str, str]] = field(default_factory=list)
    # Files every page's footer links to, each with its escaped label.
    downloads: list[dict[str, str]] = field(default_factory=list)
    # Pages every page's footer links to (the contacts page), each with its escaped label.
    footer_pages: list[dict[str, str]] = field(default_factory=list)
    # The words of the 404 page, which the theme renders.
    not_found: dict[str, str] = field(default_factory=dict)
    # The organisation's colours as a stylesheet (PALETTE_FILE), or None for the theme's own.
    palette_css: str | None = None
    # Words the PDF prints on its cover and every sheet's footer: the data's own review date (or that
    # none is stated) and the labels that mark the print date as the copy's, never the data's.
    print_words: dict[str, str] = field(default_factory=dict)

    def palette(self, palette: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The theme's palettes, set to 'custom' where the organisation's colours replace the theme's."""
        if self.palette_css is None:
            return palette
        return [{**scheme, "primary": "custom", "accent": "custom"} for scheme in palette]

    def navigation(self, nav: list[Any]) -> list[Any]:
        """`nav` with the data's titles on bare page entries, then the trust pages and the claims' section."""
        titled = [{self.page_titles[item]: item} if item in self.page_titles else item for item in nav]
        return [*titled, *self.trust_pages, *([self.claims_section] if self.claims_section else [])]


def site_settings(
    data: ComplianceData, plan: SitePlan, pdf_file: str | None = None, *, trust: TrustSite | None = None
) -> SiteSettings:
    """The settings `data` gives the site; `pdf_file` is the PDF of the guide when one is made; `trust`
    the build's own TrustSite (made here when not given)."""
    document = data.document
    guide, labels = document.guide, document.labels
    trust = trust or TrustSite(document, plan)
    return SiteSettings(
        name=escape(guide.title),
        description=escape(guide.description) if guide.description else None,
        logo=document.organisation.logo.src if document.organisation.logo else guide.icon.src if guide.icon else None,
        site_url=str(guide.site_url) if guide.site_url else None,
        # The guide's own title is the site's name already: its navigation entry gets the shorter label.
        page_titles={GUIDE_PAGE: escape(labels.pages.guide), MATRIX_PAGE: escape(labels.pages.matrix)},
        claims_section={escape(labels.pages.claims): plan.claims_index_page()} if document.claims else {},
        trust_pages=[{escape(getattr(labels.trust, name)): f"{name}.md"} for name in trust.pages()],
        footer_pages=[
            {"file": trust.page_url(name), "label": escape(getattr(labels.trust, name))}
            for name in trust.pages()
            if name == "contacts"
        ],
        downloads=[
            {"file": plan.export_file(), "label": escape(labels.pages.export)},
            {"file": plan.export_schema_file(), "label": escape(labels.pages.export_schema)},
            *([{"file": pdf_file, "label": escape(labels.pages.pdf)}] if pdf_file else []),
        ],
        not_found={name: escape(text) for name, text in labels.not_found.model_dump().items()},
        palette_css=palette_css(document),
        print_words={
            "reviewed": escape(
                f"{labels.facts.last_reviewed} {guide.last_reviewed.words(labels.dates)}"
                if guide.last_reviewed
                else f"{labels.facts.last_reviewed}: {labels.facts.not_stated}"
            ),
            "printed": escape(labels.pages.printed),
            "printed_note": escape(labels.pages.printed_note),
        },
    )
