"""The value types of the model (text, ids, URLs, dates, references), each with its editor-facing message.

Each type validates itself and says what it expected in the words the error report uses, and each
carries the JSON Schema fragment that editors' IDEs check while they type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
# No credentials (`user:pass@host`) and no characters that would end a Markdown or HTML link early.
URL_PATTERN = (
    r"^(https?://[^\s/?#@<>\"]+([/?#][^\s<>\"]*)?"
    r"|ftp://[^\s/?#<>\"]+([/?#][^\s<>\"]*)?"
    r"|mailto:[^\s@/<>\"]+@[^\s@/<>\"]+)$"
)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IMAGE_PATTERN = r"^(?!/)(?!.*\.\.)[^\s:\\]+\.(svg|png|jpe?g|gif|webp)$"
# C0 controls other than tab and newline, DEL, and lone surrogates never belong in published text.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
HTTP_URL_PATTERN = r"^https?://[^\s/?#@<>\"]+([/?#][^\s<>\"]*)?$"
# Invisible format characters (Unicode category Cf) make text read otherwise than it is written:
# bidi overrides reorder it, zero-width ones hide in names and URLs. Ids and URLs hold none; plain
# text keeps the zero-width (non-)joiners that Persian, Indic scripts and emoji need; prose also
# keeps the marks and isolates a right-to-left language needs, but never the overrides.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_INVISIBLE_IN_IDS = re.compile(f"[{_INVISIBLE}\u200c\u200d]")
_INVISIBLE_IN_TEXT = re.compile(f"[{_INVISIBLE}]")
_INVISIBLE_IN_PROSE = re.compile("[\u202a-\u202e]")
# Names the site gives its own pages and folders: a claim's page (claims/<id>/) must not take one.
RESERVED_PAGE_IDS = ("index", "404", "assets", "search", "sitemap")
# A claim's id names a folder and a file of the site; file systems refuse names over 255 bytes.
MAX_PAGE_ID_CHARS = 100


@dataclass(frozen=True)
class Kind:
    """A kind of entry that others can name by id: its name, the noun for messages, where entries live."""

    name: str
    noun: str
    path: tuple[str, ...]


# The one list of reference kinds: the schema, the reference check, mentions and templates follow it.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("offering", "offering", ("organisation", "offerings")),
        Kind("body", "standards body", ("bodies",)),
        Kind("standard", "standard", ("standards",)),
        Kind("provider", "hosting provider", ("hosting", "providers")),
        Kind("claim", "claim", ("claims",)),
    )
}


class MarkdownText(str):
    """The editor's Markdown prose; rendered, then sanitized, never trusted as HTML."""

    __slots__ = ()


class UrlText(str):
    """An absolute URL that readers follow; every one goes into the link map."""

    __slots__ = ()


class Ref:
    """A reference by id to another entry; after resolution it reads as that entry (`ref.name`)."""

    __slots__ = ("id", "kind", "target")

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.id = ident
        self.target: Any = None

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "target")
        if target is None or name.startswith("_"):
            raise AttributeError(name)
        return getattr(target, name)

    def __str__(self) -> str:
        return str(getattr(self.target, "name", None) or getattr(self.target, "title", None) or self.id)

    def __repr__(self) -> str:
        return f"Ref({self.kind}:{self.id})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.kind, self.id) == (other.kind, other.id)

    def __hash__(self) -> int:
        return hash((self.kind, self.id))


def describe(value: Any) -> str:
    """How a YAML value reads back to an editor, e.g. `text 'no'` or `a list`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 80 else value[:77] + "..."
        return f"text {shown!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys to values"
    return f"a YAML {type(value).__name__} value"


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is shown to the editor as it is."""
    return PydanticCustomError("compliance", "{message}", {"message": message})


def _text_checker(
    expected: str, pattern: str | None, make: Callable[[str], Any], invisible: re.Pattern[str] = _INVISIBLE_IN_IDS
) -> Callable[[Any], Any]:
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise problem(f"expected {expected}, got {describe(value)}")
        bad = _UNPRINTABLE.search(value)
        if bad:
            raise problem(f"expected {expected} without control characters, got character U+{ord(bad[0]):04X}")
        hidden = invisible.search(value)
        if hidden:
            code = ord(hidden[0])
            raise problem(
                f"expected {expected} without invisible formatting characters, got U+{code:04X} "
                f"({unicodedata.name(hidden[0], 'a format character')}) at character {hidden.start() + 1}; "
                "it makes the text read otherwise than it is written"
            )
        # fullmatch: `$` alone would accept a value that ends in a newline.
        if (compiled and not compiled.fullmatch(value.rstrip("\n"))) or (compiled and value.endswith("\n")):
            raise problem(f"expected {expected}, got {describe(value)}")
        return make(value)

    return check


def _typed_text(
    expected: str,
    pattern: str | None,
    make: Callable[[str], Any],
    schema: dict[str, Any],
    invisible: re.Pattern[str] = _INVISIBLE_IN_IDS,
) -> Any:
    json_schema = {"type": "string", "pattern": pattern or r"\S", "x-expected": expected, **schema}
    checker = _text_checker(expected, pattern, make, invisible)
    return Annotated[str, PlainValidator(checker), WithJsonSchema(json_schema)]


Text = _typed_text("non-blank text", None, str, {}, _INVISIBLE_IN_TEXT)
Markdown = _typed_text(
    "non-blank Markdown text", None, MarkdownText, {"description": "Markdown prose"}, _INVISIBLE_IN_PROSE
)
Id = _typed_text("an id of lower-case letters, digits, '-' or '_'", ID_PATTERN, str, {})
URL = _typed_text("a URL whose scheme is https, http, ftp or mailto", URL_PATTERN, UrlText, {})
HttpURL = _typed_text("a URL whose scheme is https or http", HTTP_URL_PATTERN, UrlText, {})
ImagePath = _typed_text("a path under docs/ to an .svg, .png, .jpg, .gif or .webp file", IMAGE_PATTERN, str, {})


def _page_id(value: Any) -> str:
    ident = _check_id(value)
    if ident in RESERVED_PAGE_IDS:
        raise problem(
            f"the id '{ident}' is a name the site uses for its own pages ({', '.join(RESERVED_PAGE_IDS)}); "
            "choose another id"
        )
    if len(ident) > MAX_PAGE_ID_CHARS:
        raise problem(
            f"expected an id of at most {MAX_PAGE_ID_CHARS} characters (it names the claim's page), got {len(ident)}"
        )
    return ident


_check_id = _text_checker("an id of lower-case letters, digits, '-' or '_'", ID_PATTERN, str)
# The id of an entry that gets a page of its own (a claim): it names a folder of the site.
PageId = Annotated[
    str,
    PlainValidator(_page_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ID_PATTERN,
            "maxLength": MAX_PAGE_ID_CHARS,
            "not": {"enum": list(RESERVED_PAGE_IDS)},
            "x-expected": "an id of lower-case letters, digits, '-' or '_'",
        }
    ),
]


def _to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = _text_checker("a date written YYYY-MM-DD", DATE_PATTERN, str)(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise problem(f"expected a real calendar date, got {describe(value)}") from None


DateValue = Annotated[
    date,
    PlainValidator(_to_date),
    PlainSerializer(lambda day: day.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "format": "date"}),
]


def reference(kind: str) -> Any:
    """The type of a field that names an entry of `kind` by its id."""
    noun = KINDS[kind].noun
    check_id = _text_checker(f"the id of a {noun}", ID_PATTERN, str)

    def validate(value: Any) -> Ref:
        return value if isinstance(value, Ref) else Ref(kind, check_id(value))

    return Annotated[
        Ref,
        PlainValidator(validate),
        PlainSerializer(lambda ref: ref.id, return_type=str),
        WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "description": f"the id of a {noun}"}),
    ]
