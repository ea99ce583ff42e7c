"""Which fields are words (given per language) and which are facts (written once), and the languages declared.

A field typed `Wording` (plain text) or `Prose` (Markdown) may be given again per language, as
`title@sv:` beside `title:`; every other field (ids, statuses, dates, scopes, names, URLs) is a fact
that every language shares, so a translation can never change it. The mark is in the type itself, so
the model declares once what may be translated, and localise.py, the schema and the tests read it there.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Annotated, Any

from markupsafe import Markup
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from .values import Entry, LanguageTag, Markdown, MarkdownText, Text


class Translatable:
    """Marks a field's type as words that differ per language (the metadata of an `Annotated`)."""

    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = Translatable()
# Words readers read, given per language: titles, descriptions, alt texts, questions, conditions.
Wording = Annotated[Text, TRANSLATABLE]
# The editor's Markdown prose, given per language.
Prose = Annotated[Markdown, TRANSLATABLE]


def _no_others() -> list[str]:
    # A function of ours rather than `list`: pydantic reads a default factory's signature, and a
    # builtin's is parsed from its text by `tokenize`, whose pattern is compiled at its first use
    # (2 ms of every build, a twentieth of loading a large organisation's data with one claim).
    return []


class Languages(Entry):
    """The languages the site is published in: the one the data is written in, and the others it is translated into."""

    default: LanguageTag
    others: list[LanguageTag] = Field(default_factory=_no_others)


class UntranslatedText(str):
    """Words shown in the default language where a translation is missing: HTML marks them with its tag
    (`<span lang="en">`), so that screen readers switch voice and readers see what is not translated."""

    lang: str

    def __new__(cls, value: str, lang: str) -> UntranslatedText:
        made = super().__new__(cls, value)
        made.lang = lang
        return made

    def __html__(self) -> str:
        return str(Markup('<span lang="{}">{}</span>').format(self.lang, str(self)))


class UntranslatedProse(MarkdownText):
    """Prose shown in the default language where a translation is missing (rendered inside its `lang`)."""

    lang: str

    def __new__(cls, value: str, lang: str) -> UntranslatedProse:
        made = super().__new__(cls, value)
        made.lang = lang
        return made


def untranslated(value: str, lang: str) -> str:
    """`value`, marked as written in `lang` rather than the page's language."""
    return UntranslatedProse(value, lang) if isinstance(value, MarkdownText) else UntranslatedText(value, lang)


def language_of(value: object) -> str | None:
    """The language a value is shown in when it is not the page's (a missing translation), else None."""
    return getattr(value, "lang", None) if isinstance(value, (UntranslatedText, UntranslatedProse)) else None


def is_translatable(field: FieldInfo) -> bool:
    """Whether a model field holds words (`Wording`, `Prose`, or a list or mapping of them)."""
    return any(isinstance(item, Translatable) for item in field.metadata) or _marked(field.annotation)


@functools.cache
def translatable_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of `model`'s fields that hold words, in field order (worked out once per model)."""
    return tuple(name for name, info in model.model_fields.items() if is_translatable(info))


def _marked(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return any(isinstance(item, Translatable) for item in args[1:]) or _marked(args[0])
    if origin in (typing.Union, types.UnionType):
        kept = [arg for arg in args if arg is not type(None)]
        return bool(kept) and all(_marked(arg) for arg in kept)
    if origin is list:
        return bool(args) and _marked(args[0])
    if origin is dict:
        return len(args) == 2 and _marked(args[1])
    return False
