"""The compliance model: every kind of entry an editor writes, declared once.

The JSON Schema that editors' IDEs use (`data/schema/compliance.schema.json`) is generated from these
classes, so no field list is written twice. Optional fields default to None (or an empty list), so
templates never guard with `is defined`, and None always means "the editor did not say": the site
then says nothing, or "not stated", never a default. References between entries are written as ids
and replaced by the entries they name after validation (`refs.resolve_references`).

The vocabularies (claim kinds, statuses, access levels) are each one `Literal` below; their label
models are made from the same `Literal`, so a value without a label fails validation at labels.yml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, create_model

from .dates import DateValue, date_pattern
from .values import ID_PATTERN, URL, Colour, HttpURL, Id, ImagePath, Markdown, PageId, Text, reference

if TYPE_CHECKING:
    from .trust import Contacts, ControlArea, Controls, Documents, Faq, Subprocessors, TrustLabels, Update

# What a claim is, in the words vendors use: certified by a registrar, an audit report (Type 1 or 2),
# compliance with a law, a commitment to comply, alignment with a framework, a self-assessment.
# Adding a kind is one word here plus its label in labels.yml; an organisation may also define its
# own kinds with labels alone (`labels.kinds`), checked like these.
ClaimKind = Literal["certification", "attestation", "regulation", "commitment", "alignment", "self_assessment"]
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


class Colours(Entry):
    """The organisation's colours; each one absent keeps the theme's own."""

    primary: Colour | None = None
    accent: Colour | None = None


OfferingRef = Annotated[Offering, *reference("offering")]


class Organisation(Entry):
    name: Text
    service: Text | None = None
    url: URL | None = None
    contact: URL | None = None
    logo: Image | None = None
    colours: Colours | None = None
    offerings: list[Offering] = []


class Body(Entry):
    id: Id
    name: Text
    abbreviation: Text | None = None
    url: URL | None = None


BodyRef = Annotated[Body, *reference("body")]


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


StandardRef = Annotated[Standard, *reference("standard")]
ProviderRef = Annotated[Provider, *reference("provider")]


class Hosting(Entry):
    providers: list[Provider] = []


class Coverage(Entry):
    """One standard a claim covers, with the edition where it is known (`2013`, `Type 2`)."""

    standard: StandardRef
    edition: Text | None = None


def _all_or_list(value: Any) -> str:
    # The union's members are tagged `=all` and `=list`; schema.py leaves tags out of error paths.
    return "=all" if isinstance(value, str) else "=list"


All = Annotated[Literal["all"], Tag("=all")]
# An empty list would read as "none of them" and an old file's `[]` meant "all": neither is allowed.
Listed = Field(min_length=1)
OfferingScope = Annotated[All | Annotated[list[OfferingRef], Listed, Tag("=list")], Discriminator(_all_or_list)]
ProviderScope = Annotated[All | Annotated[list[ProviderRef], Listed, Tag("=list")], Discriminator(_all_or_list)]


class Scope(Entry):
    """Where a claim holds. A list left out says nothing; `all` says the claim holds for every one."""

    offerings: OfferingScope | None = None
    providers: ProviderScope | None = None
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


KindName = Annotated[
    Id,
    Field(
        json_schema_extra={
            "anyOf": [{"enum": list(get_args(ClaimKind))}, {"pattern": ID_PATTERN}],
            "description": "a kind of claim, or one the organisation defines under labels.kinds",
        }
    ),
]


class Claim(Entry):
    """What the organisation states: certified, audited, compliant, committed, aligned, self-assessed."""

    id: PageId
    kind: KindName
    title: Text
    status: Status | None = None
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


ClaimRef = Annotated[Claim, *reference("claim")]
# An area of controls is declared in trust.py, which completes the models naming it once imported.
AreaRef = Annotated["ControlArea", *reference("area")]


class Section(Entry):
    """A part of the guide: an optional heading, the editor's prose, claims and areas of controls."""

    title: Text | None = None
    prose: Markdown | None = None
    claims: list[ClaimRef] = []
    controls: list[AreaRef] = []


class Guide(Entry):
    title: Text
    description: Text | None = None
    site_url: HttpURL | None = None
    icon: Image | None = None
    intro: Markdown | None = None
    last_reviewed: DateValue | None = None
    sections: list[Section] = []


class _ExtraKinds(Entry):
    """Built-in kinds' labels, and an organisation's own kinds: any other id, with its label."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Text] = Field(init=False)


def _labels_of(name: str, vocabulary: Any, doc: str, base: type[Entry] = Entry) -> Any:
    """A label model with one required field per value of `vocabulary` (a Literal)."""
    fields: Any = {value: (Text, ...) for value in get_args(vocabulary)}
    return create_model(name, __base__=base, __doc__=doc, **fields)


KindLabels: Any = _labels_of(
    "KindLabels", ClaimKind, "A label for every kind, and the organisation's own.", _ExtraKinds
)
StatusLabels: Any = _labels_of("StatusLabels", Status, "A label for every status.")
AccessLabels: Any = _labels_of("AccessLabels", AccessLevel, "A label for every access level.")


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
    """How dates are written: the twelve month names, and the order of a month's and a day's parts."""

    months: Annotated[list[Text], Field(min_length=12, max_length=12)]
    month: Annotated[Text, date_pattern("month")]
    day: Annotated[Text, date_pattern("day")]


class Labels(Entry):
    kinds: KindLabels
    statuses: StatusLabels
    access: AccessLabels
    facts: FactLabels
    pages: PageLabels
    not_found: NotFoundLabels
    words: WordLabels
    dates: DateLabels
    trust: TrustLabels


class ComplianceDocument(Entry):
    """All data files merged by their top-level keys."""

    organisation: Organisation
    guide: Guide
    labels: Labels
    bodies: list[Body] = []
    standards: list[Standard] = []
    hosting: Hosting = Field(default_factory=Hosting)
    claims: list[Claim] = []
    # The trust-center content (trust.py), each optional; trust.py completes this model when imported.
    subprocessors: Subprocessors | None = None
    contacts: Contacts | None = None
    documents: Documents | None = None
    faq: Faq | None = None
    controls: Controls | None = None
    updates: list[Update] = []


from . import trust  # noqa: E402, F401  (its entries build on the ones above, and complete ComplianceDocument)
