"""Dates as precise as their source: a year, a month or a day (`2025`, `2025-04`, `2025-04-15`).

A vendor's page often says "expected by April 2025" or "certified in 2024"; inventing a day the source
never gave would overstate it. So a date keeps its precision, is shown as written (in the words Babel
has for the page's locale, "april 2025" in Swedish, or a house style the labels give), and is compared
conservatively: it covers every day from its first to its last.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Protocol

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_month_names
from pydantic import AfterValidator, GetCoreSchemaHandler, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import CoreSchema, core_schema

from .values import _text_checker, describe, problem

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
# A plausible date: no standard, audit or company of a trust center predates 1900, and a date more
# than this many years after the build's day is a typo (9999 for "no end") that would be published.
EARLIEST_YEAR = 1900
YEARS_AHEAD = 50
# What editors' schema checks as they type: DATE_PATTERN from EARLIEST_YEAR on.
SCHEMA_DATE_PATTERN = r"^(19|[2-9]\d)\d{2}(-\d{2}(-\d{2})?)?$"


class DateWords(Protocol):
    """The labels a date is written in (`labels.dates`): the Babel locale, or a house style's month names
    and order of the parts."""

    locale: str | None  # a BCP 47 tag, "sv" or "en-GB"; the load sets it to the page's language
    months: list[str] | None
    month: str | None  # e.g. "{month} {year}"
    day: str | None  # e.g. "{day} {month} {year}" or "{month} {day}, {year}"


Months = tuple[str, ...] | None
DATE_PARTS = {"month": ("month", "year"), "day": ("day", "month", "year")}


def date_pattern(kind: str) -> Any:
    """A label that orders a date's parts: every part of DATE_PARTS[kind] once, as a plain `{part}`."""
    return placeholder_pattern(DATE_PARTS[kind])


def placeholder_pattern(parts: tuple[str, ...]) -> Any:
    """A label that holds each of `parts` once, as a plain `{part}`, and no other braces.

    The grammar is fixed rather than whatever str.format accepts: a format spec (`{day:300000000}`
    pads every date to 300 million characters), a conversion (`{day!r}`) or an attribute or index
    (`{month.__class__}`) would each be obeyed on every date or link of the site.
    """
    field = re.compile(r"\{\{|\}\}|\{(" + "|".join(parts) + r")\}")

    def check(value: str) -> str:
        fields = [match[1] for match in field.finditer(value) if match[1]]
        if sorted(fields) != sorted(parts) or re.search(r"[{}]", field.sub("", value)):
            wanted = ", ".join("{" + part + "}" for part in parts)
            raise problem(
                f"expected text with {wanted} once each and no other braces (no format such as {{{parts[0]}:2}}; "
                f"write {{{{ or }}}} for a brace itself), got {describe(value)}"
            )
        return value

    return AfterValidator(check)


@dataclass(frozen=True, order=False)
class PartialDate:
    """A year, a month of a year, or a day, exactly as precise as the editor wrote it."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # `DateValue` (below) validates and serializes a date with functions of its own; without this,
        # every build had pydantic make a dataclass schema of this class (1 ms) only to replace it.
        return core_schema.any_schema()

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """`2025`, `2025-04` or `2025-04-15`; ValueError for anything else or a day that does not exist."""
        if not re.fullmatch(DATE_PATTERN, text):
            raise ValueError(text)
        parts = [int(part) for part in text.split("-")]
        if len(parts) == 3:
            date(*parts)  # raises ValueError for 2025-02-30
            return cls(parts[0], parts[1], parts[2])
        if len(parts) == 2:
            if not 1 <= parts[1] <= 12 or parts[0] < 1:
                raise ValueError(text)
            return cls(parts[0], parts[1])
        if parts[0] < 1:
            raise ValueError(text)
        return cls(parts[0])

    @property
    def first(self) -> date:
        """The earliest day the date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        """The latest day the date can mean: a month-precision `valid_until` lasts to the month's end."""
        if self.day is not None:
            return self.first
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        """As written: `2025`, `2025-04` or `2025-04-15` (also a valid HTML `datetime`)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def words(self, words: DateWords) -> str:
        """As precise as written, in the locale's words (`april 2025`, `15 april 2025` in Swedish), or in
        the labels' own pattern and month names where they give one."""
        if self.month is None:
            return f"{self.year}"
        pattern = words.month if self.day is None else words.day
        months = tuple(words.months) if words.months is not None else None
        return _words(self.year, self.month, self.day, words.locale, pattern, months)

    def __str__(self) -> str:
        return self.isoformat()


@lru_cache(maxsize=4096)  # bounded: a long preview sees labels edited many times
def _words(year: int, month: int, day: int | None, tag: str | None, pattern: str | None, months: Months) -> str:
    """PartialDate.words, kept by everything it depends on: a large site writes the same few dates
    thousands of times, and Babel's formatting is most of each."""
    locale = babel_locale(tag)
    if pattern is None:
        return str(format_skeleton("yMMMM" if day is None else "yMMMMd", date(year, month, day or 1), locale=locale))
    names = months or [get_month_names("wide", "format", locale)[n] for n in range(1, 13)]
    return pattern.format(year=year, month=names[month - 1], day=day)


def babel_locale(tag: str | None) -> Locale:
    """Babel's locale for a language tag (`en-GB` is Babel's `en_GB`); English where none is known."""
    try:
        return Locale.parse(tag or "en", sep="-")
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def latest_plausible(today: date) -> date:
    """The last day a date may mean, judged on `today`: YEARS_AHEAD years on (a 29 February, on the 28th)."""
    year = today.year + YEARS_AHEAD
    return today.replace(year=year, day=min(today.day, calendar.monthrange(year, today.month)[1]))


def _validate(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        parsed = PartialDate(value)  # `issued: 2025`, unquoted, is a year too
    else:
        text = _text_checker(f"a date written {DATE_FORMS}", DATE_PATTERN, str)(value)
        try:
            parsed = PartialDate.parse(text)
        except ValueError:
            raise problem(f"expected a real calendar date, got {describe(value)}") from None
    if parsed.year < EARLIEST_YEAR:
        raise problem(f"expected a date from {EARLIEST_YEAR} on, got {describe(value)}; give the real date")
    return parsed


DateValue = Annotated[
    PartialDate,
    PlainValidator(_validate),
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": SCHEMA_DATE_PATTERN},
                {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": 9999},
            ],
            "description": f"a date written {DATE_FORMS}, as precise as known",
        }
    ),
]
