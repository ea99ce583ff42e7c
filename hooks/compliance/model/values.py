"""The value types of the model (text, ids, URLs, dates, references), each with its editor-facing message.

Each type validates itself and says what it expected in the words the error report uses, and each
carries the JSON Schema fragment that editors' IDEs check while they type. `Entry` is the base of
every model built from them (entries.py, labels.py, trust.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..limits import LimitOption, Limits, limit_hint
from ..load.yamltext import REFUSED_IN_TEXT
from ..urlrule import encoded_path_problem, site_url_problem, url_problem
from .hiddentext import INVISIBLE_IN_IDS, INVISIBLE_IN_PROSE, INVISIBLE_IN_TEXT, hidden_text
from .onceschema import OnceValidator

# The one grammar of ids: fields, references and mentions (`[[claim:soc2]]`) follow it.
ID_GRAMMAR = r"[a-z0-9][a-z0-9_-]*"
ID_PATTERN = f"^{ID_GRAMMAR}$"
ID_WORDS = "an id of lower-case letters, digits, '-' or '_'"
# The one list of URL schemes readers may follow: fields, prose links, the sanitizer and messages use it.
URL_SCHEMES = ("https", "http", "ftp", "mailto")
URL_SCHEMES_WORDS = ", ".join(URL_SCHEMES[:-1]) + " or " + URL_SCHEMES[-1]
# One alternative per scheme above: no credentials (`user:pass@host`), and no characters that would
# end a Markdown or HTML link early.
URL_PATTERN = (
    r"^(https?://[^\s/?#@<>\"]+([/?#][^\s<>\"]*)?"
    r"|ftp://[^\s/?#<>\"]+([/?#][^\s<>\"]*)?"
    r"|mailto:[^\s@/<>\"]+@[^\s@/<>\"]+)$"
)
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# What an editor who forgot `mailto:` writes where a URL is expected.
EMAIL_LIKE = re.compile(r"[^\s@/:<>\"]+@[^\s@/:<>\"]+\.[^\s@/:<>\"]+")
# A mention (`[[provider:x]]`) means something only in prose; elsewhere it would be published literally.
MENTION_PATTERN = r"\[\[(?P<body>[^\[\]\n]*)\]\]"
_MENTION = re.compile(MENTION_PATTERN)
IMAGE_PATTERN = r"^(?!/)(?!.*\.\.)[^\s:\\%]+\.(svg|png|jpe?g|gif|webp)$"
# Characters no value may hold (declared once, in yamltext): never in published text.
_UNPRINTABLE = REFUSED_IN_TEXT
HTTP_URL_PATTERN = r"^https?://[^\s/?#@<>\"]+([/?#][^\s<>\"]*)?$"
SITE_URL_PATTERN = r"^https?://[^\s/?#@<>\"']+(/[^\s?#<>\"']*)?$"
# Names the site gives its own pages and folders: a claim's page (claims/<id>/) must not take one.
RESERVED_PAGE_IDS = ("index", "404", "assets", "search", "sitemap")
# A claim's id names a folder and a file of the site: at most Limits.id_chars (`max_id_length`).
MAX_PAGE_ID_CHARS = Limits.id_chars


class Entry(BaseModel):
    """Base of every entry: unknown keys are errors and values are never coerced (`no` stays text)."""

    model_config = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True, defer_build=True)


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
        Kind("subprocessor", "subprocessor", ("subprocessors", "processors")),
        Kind("area", "controls area", ("controls", "areas")),
    )
}


class MarkdownText(str):
    """The editor's Markdown prose; rendered, then sanitized, never trusted as HTML."""

    __slots__ = ()


class UrlText(str):
    """An absolute URL that readers follow; every one goes into the link map."""

    __slots__ = ()


class Unresolved:
    """An id written in a reference field, until `refs.resolve_references` puts the entry it names there."""

    __slots__ = ("id", "kind")

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        self.id = ident

    def __str__(self) -> str:
        return self.id

    def __repr__(self) -> str:
        return f"Unresolved({self.kind}:{self.id})"


@dataclass(frozen=True)
class RefField:
    """Marks a model field as a reference to entries of `kind` (the walk does not descend into it)."""

    kind: str


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
    expected: str,
    pattern: str | None,
    make: Callable[[str], Any],
    *,
    plain: bool = False,
    invisible: re.Pattern[str] = INVISIBLE_IN_IDS,
    refine: Callable[[str, str], str | None] | None = None,
) -> Callable[[Any], Any]:
    """A check of one text value; `plain` text (not prose) refuses mentions, which only prose resolves;
    `refine(value, expected)` says what the pattern cannot, in a message of its own (or None)."""
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise problem(f'expected {expected}, got {describe(value)}; quote it ("{value}") to write it as text')
        if not isinstance(value, str) or not value.strip():
            raise problem(f"expected {expected}, got {describe(value)}")
        bad = _UNPRINTABLE.search(value)
        if bad:
            raise problem(f"expected {expected} without control characters, got character U+{ord(bad[0]):04X}")
        hidden = hidden_text(value, expected, invisible)
        if hidden:
            raise problem(hidden)
        refused = refine(value, expected) if refine else None
        if refused:
            raise problem(refused)
        # fullmatch: `$` alone would accept a value that ends in a newline.
        if (compiled and not compiled.fullmatch(value.rstrip("\n"))) or (compiled and value.endswith("\n")):
            hint = ""
            if make is UrlText and EMAIL_LIKE.fullmatch(value.strip()):
                hint = f"; an e-mail address is written as a URL with mailto: ('mailto:{value.strip()}')"
            raise problem(f"expected {expected}, got {describe(value)}{hint}")
        mention = _MENTION.search(value) if plain else None
        if mention:
            raise problem(
                f"a mention ({mention[0]}) works only in prose (prose, intro, text); write the words themselves here"
            )
        return make(value)

    return check


def _text_rules(
    expected: str,
    pattern: str | None,
    make: Callable[[str], Any],
    schema: dict[str, Any],
    *,
    plain: bool = True,
    invisible: re.Pattern[str] = INVISIBLE_IN_IDS,
    refine: Callable[[str, str], str | None] | None = None,
) -> tuple[PlainValidator, WithJsonSchema]:
    """The validator and JSON Schema of one text type, for `Annotated[str, *_text_rules(...)]`: the
    type stays declared where a checker sees it, the check is built here once."""
    json_schema = {"type": "string", "pattern": pattern or r"\S", "x-expected": expected, **schema}
    check = _text_checker(expected, pattern, make, plain=plain, invisible=invisible, refine=refine)
    return OnceValidator(check), WithJsonSchema(json_schema)  # its core schema made once per type


_URL_WORDS = f"a URL whose scheme is {URL_SCHEMES_WORDS}"
_HTTP_WORDS = "a URL whose scheme is https or http"
Text = Annotated[str, *_text_rules("non-blank text", None, str, {}, invisible=INVISIBLE_IN_TEXT)]
Markdown = Annotated[
    MarkdownText,
    *_text_rules(
        "non-blank Markdown text",
        None,
        MarkdownText,
        {"description": "Markdown prose"},
        plain=False,
        invisible=INVISIBLE_IN_PROSE,
    ),
]
Id = Annotated[str, *_text_rules(ID_WORDS, ID_PATTERN, str, {})]
URL = Annotated[UrlText, *_text_rules(_URL_WORDS, URL_PATTERN, UrlText, {}, refine=url_problem)]
HttpURL = Annotated[UrlText, *_text_rules(_HTTP_WORDS, HTTP_URL_PATTERN, UrlText, {}, refine=url_problem)]
# The site's own address (guide.site_url): every page's, the feed's and security.txt's URLs are made from it.
SiteURL = Annotated[UrlText, *_text_rules(_HTTP_WORDS, SITE_URL_PATTERN, UrlText, {}, refine=site_url_problem)]
Colour = Annotated[str, *_text_rules("a colour written #rrggbb", COLOUR_PATTERN, str, {"format": "color"})]
# BCP 47 language tags, as security.txt's Preferred-Languages lists them ("en", "de-CH").
LanguageTag = Annotated[
    str, *_text_rules("a language tag like 'en' or 'de-CH'", r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", str, {})
]
ImagePath = Annotated[
    str,
    *_text_rules(
        "a path under docs/ to an .svg, .png, .jpg, .gif or .webp file",
        IMAGE_PATTERN,
        str,
        {},
        refine=encoded_path_problem,
    ),
]


def _page_id(value: Any, info: ValidationInfo) -> str:
    ident: str = _check_id(value)
    if ident in RESERVED_PAGE_IDS:
        raise problem(
            f"the id '{ident}' is a name the site uses for its own pages ({', '.join(RESERVED_PAGE_IDS)}); "
            "choose another id"
        )
    # The build's limits come in the validation context (schema.parse_document); the default otherwise.
    limit = limits_of(info).id_chars
    if len(ident) > limit:
        raise problem(
            f"expected an id of at most {limit} characters (it names the claim's page), got {len(ident)}; "
            f"shorten it, or {limit_hint(LimitOption.ID_LENGTH)}"
        )
    return ident


def limits_of(info: ValidationInfo) -> Limits:
    """The limits a validation runs with: those of its context, else the defaults."""
    context = info.context if isinstance(info.context, dict) else {}
    limits = context.get("limits")
    return limits if isinstance(limits, Limits) else Limits()


_check_id = _text_checker(ID_WORDS, ID_PATTERN, str)
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
            "x-expected": ID_WORDS,
        }
    ),
]


def reference(kind: str) -> tuple[Any, ...]:
    """The metadata of a field that names an entry of `kind` by its id: `Annotated[Standard, *reference(...)]`.

    Validation keeps the id as `Unresolved`; `refs.resolve_references` then puts the entry itself in
    the field, so templates and code read `coverage.standard.name` and a type checker follows it.
    The export writes the id back.
    """
    noun = KINDS[kind].noun
    check_id = _text_checker(f"the id of a {noun}", ID_PATTERN, str)

    def validate(value: Any) -> Any:
        if isinstance(value, Unresolved) or hasattr(value, "model_fields"):
            return value
        return Unresolved(kind, check_id(value))

    return (
        RefField(kind),
        PlainValidator(validate),
        PlainSerializer(lambda entry: entry.id, return_type=str),
        WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "description": f"the id of a {noun}"}),
    )
