"""What is publicly known about standards, as data: editions and their end, certification, freshness.

The project ships `catalogue/standards.yml`; an organisation extends or overrides it under `catalogue:`
in its data (a stricter policy, a standard of its own). Every fact carries the public URL it rests on,
so a rule that fires can name its source. Code applies these facts (standing.py); it never holds one.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from .dates import DateValue
from .values import Entry, HttpURL, Id, Text

Months = Annotated[int, Field(ge=1, le=120)]


class Sourced(Entry):
    """A fact with the public page it comes from (`source`), and optionally what that page says (`note`)."""

    note: Text | None = None
    source: HttpURL


class EditionFacts(Sourced):
    """One edition of a standard: how it is written, and the last day a claim may be current against it."""

    edition: Text
    aliases: list[Text] = []
    published: DateValue | None = None
    current_until: DateValue | None = None


class Superseded(Sourced):
    """A standard replaced as a whole (SSAE 16 by SSAE 18): the last day a claim may be current against it."""

    by: Text
    current_until: DateValue


class CertificationFacts(Sourced):
    """Whether an organisation can be certified against the standard at all."""

    exists: bool


class Window(Sourced):
    """A length of time a kind of evidence is normally relied on, in months."""

    months: Months


class CatalogueEntry(Entry):
    """A standard as the catalogue knows it; an organisation's entry with the same id overrides field by field."""

    id: Id
    name: Text | None = None
    certification: CertificationFacts | None = None
    # A certificate's cycle (ISO: three years, with annual surveillance audits).
    certificate_validity: Window | None = None
    # How long after its period ends an attestation report is normally treated as fresh.
    report_freshness: Window | None = None
    superseded: Superseded | None = None
    editions: list[EditionFacts] = []


class CatalogueFile(Entry):
    """The shipped catalogue file: the same entries an organisation writes under `catalogue:`."""

    catalogue: list[CatalogueEntry] = []


def edition_key(text: str) -> str:
    """How editions are compared: `v4.0`, `Version 4.0` and `4.0` are one edition, case aside."""
    key = re.sub(r"\s+", " ", text.strip().casefold())
    return re.sub(r"^(version|v)\s*(?=\d)", "", key)
