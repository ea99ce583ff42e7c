"""The compliance model: every kind of entry an editor writes, declared once.

The JSON Schema that editors' IDEs use (`data/schema/compliance.schema.json`) is generated from these
classes, so no field list is written twice. Optional fields default to None (or an empty list), so
templates never guard with `is defined`. References between entries are `Ref` values, resolved to the
entries they name after validation (`refs.resolve_references`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .values import URL, DateValue, HttpURL, Id, ImagePath, Markdown, PageId, Text, reference

OfferingRef = reference("offering")
ProviderRef = reference("provider")
StandardRef = reference("standard")
BodyRef = reference("body")
ClaimRef = reference("claim")

ClaimKind = Literal["certification", "attestation", "regulation", "alignment"]
Status = Literal["current", "in_progress", "lapsed"]
AccessLevel = Literal["public", "on_request", "nda"]
Dimension = Annotated[int, Field(ge=1, le=4096)]


class Entry(BaseModel):
    """Base of every entry: unknown keys are errors and values are never coerced (`no` stays text)."""

    model_config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True)


class Image(Entry):
    src: ImagePath
    alt: Text
    width: Dimension | None = None
    height: Dimension | None = None
    link: URL | None = None


class Offering(Entry):
    id: Id
    name: Text


class Organisation(Entry):
    name: Text
    service: Text | None = None
    url: URL | None = None
    contact: URL | None = None
    offerings: list[Offering] = []


class Body(Entry):
    id: Id
    name: Text
    abbreviation: Text | None = None
    url: URL | None = None


class Standard(Entry):
    id: Id
    name: Text
    body: BodyRef | None = None
    url: URL | None = None


class Provider(Entry):
    id: Id
    name: Text
    company: Text | None = None
    url: URL | None = None


class Measure(Entry):
    text: Markdown


class Hosting(Entry):
    providers: list[Provider] = []
    measures_intro: Markdown | None = None
    measures: list[Measure] = []


class Coverage(Entry):
    """One standard a claim covers, with the edition where it is known (`2013`, `Type 2`)."""

    standard: StandardRef
    edition: Text | None = None


class Scope(Entry):
    """Where a claim holds; an empty list means every offering (or provider)."""

    offerings: list[OfferingRef] = []
    providers: list[ProviderRef] = []
    conditions: list[Text] = []


class Document(Entry):
    title: Text
    url: URL
    kind: Text | None = None
    mirror: HttpURL | None = None


class Channel(Entry):
    """A way to ask for evidence: a label, and optionally a web address or an email address."""

    label: Text
    url: URL | None = None


class Access(Entry):
    level: AccessLevel
    channels: list[Channel] = []


class Agreement(Entry):
    name: Text
    url: URL | None = None


class Claim(Entry):
    """What the organisation states: a certification, an attestation report, compliance or alignment."""

    id: PageId
    kind: ClaimKind
    title: Text
    status: Status
    expected: DateValue | None = None
    standards: Annotated[list[Coverage], Field(min_length=1)]
    report_type: Text | None = None
    scope: Scope = Field(default_factory=Scope)
    evidence: list[Document] = []
    access: Access | None = None
    agreements: list[Agreement] = []
    issued: DateValue | None = None
    valid_until: DateValue | None = None
    last_reviewed: DateValue | None = None
    auditor: Text | None = None
    image: Image | None = None
    prose: Markdown | None = None


class Section(Entry):
    """A part of the guide: an optional heading, the editor's prose, claims and the hosting measures."""

    title: Text | None = None
    prose: Markdown | None = None
    claims: list[ClaimRef] = []
    hosting: bool = False


class Guide(Entry):
    title: Text
    description: Text | None = None
    site_url: HttpURL | None = None
    icon: Image | None = None
    intro: Markdown | None = None
    last_reviewed: DateValue | None = None
    sections: list[Section] = []


class KindLabels(Entry):
    certification: Text
    attestation: Text
    regulation: Text
    alignment: Text


class StatusLabels(Entry):
    current: Text
    in_progress: Text
    lapsed: Text


class AccessLabels(Entry):
    public: Text
    on_request: Text
    nda: Text


class FactLabels(Entry):
    kind: Text
    status: Text
    expected: Text
    standards: Text
    report_type: Text
    offerings: Text
    providers: Text
    conditions: Text
    scope: Text
    everywhere: Text
    evidence: Text
    original: Text
    needs_ftp: Text
    access: Text
    request: Text
    agreements: Text
    issued: Text
    valid_until: Text
    last_reviewed: Text
    auditor: Text
    details: Text


class PageLabels(Entry):
    guide: Text
    overview: Text
    contact: Text
    claims: Text
    matrix: Text
    claim: Text
    export: Text
    export_schema: Text
    pdf: Text
    in_scope: Text
    out_of_scope: Text


class WordLabels(Entry):
    """Joining words for lists in running text: 'a, b, and c'."""

    list_and: Text
    list_or: Text


class Labels(Entry):
    kinds: KindLabels
    statuses: StatusLabels
    access: AccessLabels
    facts: FactLabels
    pages: PageLabels
    words: WordLabels


class ComplianceDocument(Entry):
    """All data files merged by their top-level keys."""

    organisation: Organisation
    guide: Guide
    labels: Labels
    bodies: list[Body] = []
    standards: list[Standard] = []
    hosting: Hosting = Field(default_factory=Hosting)
    claims: list[Claim] = []
