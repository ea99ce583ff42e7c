"""The site's fixed words (labels.yml) and the vocabularies they name: claim kinds, statuses, access levels.

Each vocabulary is one `Literal` below, and its label model one field per value, declared so that type
checkers see them (tests/test_vocabulary.py holds each model's fields to its vocabulary), so a value
without a label fails validation at labels.yml. Every other group of fixed words (facts, pages, dates,
the trust center's) is one model here, so the labels file's shape is declared in one place.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from .dates import date_pattern, placeholder_pattern
from .values import Entry, LanguageTag, Text

# What a claim is, in the words vendors use: certified by a registrar, an audit report (Type 1 or 2),
# compliance with a law, a commitment to comply, alignment with a framework, a self-assessment.
# Adding a kind is one word here plus its label in labels.yml; an organisation may also define its
# own kinds with labels alone (`labels.kinds`), checked like these.
ClaimKind = Literal["certification", "attestation", "regulation", "commitment", "alignment", "self_assessment"]
Status = Literal["current", "in_progress", "lapsed"]
AccessLevel = Literal["public", "on_request", "nda"]


class _ExtraKinds(Entry):
    """Built-in kinds' labels, and an organisation's own kinds: any other id, with its label."""

    model_config = ConfigDict(extra="allow")
    # Pydantic's documented way to type the extra fields; it narrows BaseModel's declaration on purpose.
    __pydantic_extra__: dict[str, Text] = Field(init=False)  # pyright: ignore[reportIncompatibleVariableOverride]


class KindLabels(_ExtraKinds):
    """A label for every kind, and the organisation's own."""

    certification: Text
    attestation: Text
    regulation: Text
    commitment: Text
    alignment: Text
    self_assessment: Text


class StatusLabels(Entry):
    """A label for every status."""

    current: Text
    in_progress: Text
    lapsed: Text


class AccessLabels(Entry):
    """A label for every access level."""

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
    all_offerings: Text
    all_providers: Text
    not_stated: Text
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
    # The link from a claim in the guide to its own page: "{claim}" is the claim's title, so that no
    # two links of a page read the same and lead to different places.
    details_of: Annotated[Text, placeholder_pattern(("claim",))]
    # No longer shown (every link named the same, "Details of this claim"); accepted so older files still build.
    details: Text | None = None
    # What a status rests on: shown beside it, or `no_date` where the data gives none.
    no_date: Text
    report_period: Text
    period_end: Text
    bridge_letter: Text
    edition_until: Text


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
    # A matrix cell for an offering a claim's list leaves out: not a "No", which only `excludes` says.
    not_listed: Text
    # The PDF's date, labelled so that it never reads as the date of the data.
    printed: Text
    printed_note: Text


class NotFoundLabels(Entry):
    """The page shown for an address the site does not have."""

    title: Text
    lost: Text
    home: Text
    others: Text
    search: Text


class WordLabels(Entry):
    """Joining words for lists in running text: 'a, b, and c'."""

    list_and: Text
    list_or: Text


class DateLabels(Entry):
    """How dates are written: as Babel writes them for `locale` (the page's language when left out), or
    in a house style: the twelve month names (else the locale's) and the order of a month's and a day's parts."""

    locale: LanguageTag | None = None
    months: Annotated[list[Text], Field(min_length=12, max_length=12)] | None = None
    month: Annotated[Text, date_pattern("month")] | None = None
    day: Annotated[Text, date_pattern("day")] | None = None


class TrustLabels(Entry):
    """The fixed words of the trust-center pages and of the claims' updates."""

    contacts: Text
    subprocessors: Text
    documents: Text
    controls: Text
    faq: Text
    updates: Text
    feed: Text
    name: Text
    purpose: Text
    locations: Text
    since: Text
    last_updated: Text
    security: Text
    privacy: Text
    sales: Text
    disclosure_policy: Text
    document: Text
    document_kind: Text
    evidence_for: Text
    concerns: Text
    latest_update: Text
    # No longer shown (an update's date is not when the claim changed); accepted so older files still build.
    last_changed: Text | None = None


class Labels(Entry):
    """Every group of fixed words. `document_kinds` words a document's `kind` (`policy: Policy`); a kind
    without a word here is shown as the editor wrote it."""

    kinds: KindLabels
    statuses: StatusLabels
    access: AccessLabels
    facts: FactLabels
    pages: PageLabels
    not_found: NotFoundLabels
    words: WordLabels
    dates: DateLabels
    trust: TrustLabels
    document_kinds: dict[str, Text]
