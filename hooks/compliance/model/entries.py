"""The compliance model: every kind of entry an editor writes, declared once.

The JSON Schema that editors' IDEs use (`data/schema/compliance.schema.json`) is generated from these
classes, so no field list is written twice. Optional fields default to None (or an empty list), so
templates never guard with `is defined`, and None always means "the editor did not say": the site
then says nothing, or "not stated", never a default. References between entries are written as ids
and replaced by the entries they name after validation (`refs.resolve_references`).

The vocabularies (claim kinds, statuses, access levels) and the models of the site's fixed words are
declared in labels.py; the trust-center entries in trust.py, which builds on these; the guide and the
whole document, which hold both, in document.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Discriminator, Field, Tag

from .dates import DateValue
from .labels import AccessLevel, ClaimKind, Status
from .language import Prose, Wording
from .values import ID_PATTERN, URL, Colour, Entry, HttpURL, Id, ImagePath, PageId, Text, reference

Dimension = Annotated[int, Field(ge=1, le=4096)]


class Image(Entry):
    src: ImagePath
    alt: Wording
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
    # The catalogue entry (catalogue/standards.yml, or data's `catalogue:`) it is; by default the one of its id.
    catalogue: Id | None = None


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


class Exclusions(Entry):
    """Offerings and providers the claim says it does not cover: only these read "No" in the matrix."""

    offerings: list[OfferingRef] = []
    providers: list[ProviderRef] = []


class Scope(Entry):
    """Where a claim holds. A list left out says nothing; `all` says the claim holds for every one.

    An offering a list leaves out is "not listed", never "no": only `excludes` says a claim does not hold.
    """

    offerings: OfferingScope | None = None
    providers: ProviderScope | None = None
    excludes: Exclusions | None = None
    conditions: list[Wording] = []


def _unstated_scope() -> Scope:
    # A claim that leaves its scope out gets an empty one, made without validation: an empty mapping
    # is always valid, and validating it built Scope's own validator (2 ms of every build), a second
    # time beside the document's, then ran it for every such claim.
    return Scope.model_construct()


class Document(Entry):
    title: Wording
    url: URL
    kind: Text | None = None
    mirror: HttpURL | None = None


class Channel(Entry):
    """A way to ask for evidence: a label, and optionally a web address or an email address."""

    label: Wording
    url: URL | None = None


class Access(Entry):
    level: AccessLevel
    channels: list[Channel] = []


class ReportPeriod(Entry):
    """The period an attestation report covers (a SOC 2 Type 2 report's twelve months), as precise as known."""

    start: DateValue
    end: DateValue


class BridgeLetter(Entry):
    """A bridge (gap) letter: the organisation's word that nothing material changed since the report's period."""

    through: DateValue
    url: URL | None = None


class Agreement(Entry):
    name: Wording
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
    title: Wording
    status: Status | None = None
    expected: DateValue | None = None
    standards: Annotated[list[Coverage], Field(min_length=1)]
    report_type: Text | None = None
    report_period: ReportPeriod | None = None
    bridge_letter: BridgeLetter | None = None
    scope: Scope = Field(default_factory=_unstated_scope)
    evidence: list[Document] = []
    access: Access | None = None
    agreements: list[Agreement] = []
    issued: DateValue | None = None
    valid_until: DateValue | None = None
    last_reviewed: DateValue | None = None
    auditor: Text | None = None
    image: Image | None = None
    prose: Prose | None = None


ClaimRef = Annotated[Claim, *reference("claim")]
