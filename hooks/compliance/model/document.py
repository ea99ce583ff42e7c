"""The whole of the data: the guide and its sections, and the document every data file is merged into.

It holds the claims' entries (entries.py) and the trust-center entries (trust.py), which build on them,
so it comes after both and neither imports it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .catalogue import CatalogueEntry
from .dates import DateValue
from .entries import Body, Claim, ClaimRef, Hosting, Image, Organisation, Standard
from .labels import Labels
from .language import Languages, Prose, Wording
from .trust import Contacts, ControlArea, Controls, Documents, Faq, Subprocessors, Update
from .values import Entry, SiteURL, reference

AreaRef = Annotated[ControlArea, *reference("area")]


class Section(Entry):
    """A part of the guide: an optional heading, the editor's prose, claims and areas of controls."""

    title: Wording | None = None
    prose: Prose | None = None
    claims: list[ClaimRef] = []
    controls: list[AreaRef] = []


class Guide(Entry):
    title: Wording
    description: Wording | None = None
    site_url: SiteURL | None = None
    icon: Image | None = None
    intro: Prose | None = None
    last_reviewed: DateValue | None = None
    sections: list[Section] = []


class ComplianceDocument(Entry):
    """All data files merged by their top-level keys."""

    organisation: Organisation
    guide: Guide
    languages: Languages | None = None
    labels: Labels
    bodies: list[Body] = []
    standards: list[Standard] = []
    hosting: Hosting = Field(default_factory=Hosting)
    claims: list[Claim] = []
    # The trust-center content (trust.py), each optional.
    subprocessors: Subprocessors | None = None
    contacts: Contacts | None = None
    documents: Documents | None = None
    faq: Faq | None = None
    controls: Controls | None = None
    updates: list[Update] = []
    # The organisation's additions to, and overrides of, the shipped standards catalogue.
    catalogue: list[CatalogueEntry] = []
