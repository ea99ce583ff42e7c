"""Mentions in the editor's prose: their grammar, and each one resolved to the Markdown it stands for.

A mention names an entry by kind and id, optionally one of its fields: `[[provider:softlayer]]`,
`[[provider:softlayer.company]]`, `[[claim:soc2.evidence]]`, `[[organisation.service]]`; a list is
joined with the labels' "and" (or "or" with `|or`). Checking the prose (prosecheck.py) and rendering
it (render/prose.py) both fill mentions in here, so the two can never disagree on what one says.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import markdown
from markupsafe import Markup, escape
from pydantic import BaseModel

from ..suggest import suggest
from .dates import PartialDate
from .document import ComplianceDocument
from .entries import Agreement, Channel, Claim, Coverage, Document
from .refs import Index
from .values import ID_GRAMMAR, KINDS, MENTION_PATTERN, MarkdownText, Unresolved

MENTION = re.compile(MENTION_PATTERN)
_MENTION_BODY = re.compile(
    rf"\s*(?P<kind>[a-z_]+)(?::(?P<id>{ID_GRAMMAR}))?(?P<fields>(?:\.[a-z_]+)*)\s*(?:\|\s*(?P<join>and|or)\s*)?"
)
# Python-Markdown's backslash escapes; `<` and `&` are escaped as HTML entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML both: it reads back exactly as written."""
    text = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


def prose_markdown() -> markdown.Markdown:
    """The one Markdown reader of prose: raw HTML in prose is shown as text, never passed through."""
    reader = markdown.Markdown(extensions=[], output_format="html")
    reader.preprocessors.deregister("html_block")
    reader.inlinePatterns.deregister("html")
    return reader


# Where Markdown may put a mention out of prose's reach: a code span or block, or a link's text.
_MAY_HIDE = re.compile(r"[`\[\]]|^(?: {4}|\t)", re.MULTILINE)
# Stands for a mention while Markdown reads the prose around it: letters and digits it leaves alone,
# with a part no editor can type in advance.
_MARK = f"mention{secrets.token_hex(6)}n"
_MARKED = re.compile(f"{_MARK}(\\d+)n")


def mention_places(text: str, reader: markdown.Markdown) -> dict[int, str]:
    """Where Markdown puts a mention that is not filled in as one, by the mention's start in `text`:
    "code" (in a code span or block, written as it is) or "link" (in a link's text, where no link fits).

    Found by reading the prose with each mention replaced by a mark and seeing where the marks land.
    """
    starts = [match.start() for match in MENTION.finditer(text)]
    if not starts or not _MAY_HIDE.search(MENTION.sub("", text)):
        return {}
    count = itertools.count()
    reader.reset()
    finder = _MarkFinder()
    finder.feed(str(reader.convert(MENTION.sub(lambda _: f"{_MARK}{next(count)}n", text))))
    return {starts[number]: place for number, place in finder.places.items()}


class _MarkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open = {"code": 0, "a": 0}
        self.places: dict[int, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.open:
            self.open[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.open.get(tag):
            self.open[tag] -= 1

    def handle_data(self, data: str) -> None:
        place = "code" if self.open["code"] else "link" if self.open["a"] else None
        if place is None:
            return
        for mark in _MARKED.finditer(data):
            self.places[int(mark[1])] = place


def join_words(items: list[str], word: str) -> str:
    """'a', 'a and b', 'a, b, and c': lists in running text, with the labels' joining word."""
    if len(items) <= 2:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f", {word} " + items[-1]


class MentionError(ValueError):
    """A mention that names nothing; the message says what was expected."""


class Unjudged(Exception):
    """A mention of an entry that failed validation: that entry's own error is the one to fix."""


@dataclass(frozen=True)
class Unvalidated:
    """What a build that failed validation could not check, so mentions of it say nothing.

    `ids`: every id written in the data, by kind, valid or not; an id there but not in the index
    belongs to an entry that failed validation. `kinds`: kinds with an entry whose id cannot be read
    (so no id of theirs can be called unknown), and `organisation` when part of it failed.
    """

    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()

    def covers(self, kind: str, ident: str | None) -> bool:
        return kind in self.kinds or (ident is not None and ident in self.ids.get(kind, ()))


class Mentions:
    """Fills mentions in with Markdown: an entry's name (linked where it has a page or URL), or a field."""

    def __init__(
        self,
        document: ComplianceDocument,
        index: Index,
        claim_url: Callable[[str], str],
        unvalidated: Unvalidated | None = None,
    ) -> None:
        self.document = document
        self.index = index
        self.claim_url = claim_url
        self.unvalidated = unvalidated or Unvalidated()
        # Labels are text: a joining word with Markdown in it reads back as written, never as a link.
        self.words = {
            "and": str(md_text(document.labels.words.list_and)),
            "or": str(md_text(document.labels.words.list_or)),
        }

    def write(self, match: re.Match[str], base: str) -> tuple[str, list[str]]:
        """The Markdown a MENTION match stands for, and the URLs it links; MentionError if it names nothing.

        Unjudged when it names an entry that failed validation, or goes through a reference that names
        nothing: that problem is reported on its own line, and a second one here would only follow from it.
        """
        parsed = _MENTION_BODY.fullmatch(match["body"])
        if parsed is None:
            raise MentionError(f"expected a mention like [[kind:id]] or [[kind:id.field]], got {match[0]!r}")
        node, label = self._entry(parsed["kind"], parsed["id"])
        path: list[str] = []
        for name in filter(None, parsed["fields"].split(".")):
            if isinstance(node, Unresolved):
                raise Unjudged(label)
            fields = list(type(node).model_fields) if isinstance(node, BaseModel) else []
            if name not in fields:
                raise MentionError(f"{label} has no field '{'.'.join([*path, name])}'{suggest(name, fields)}")
            node = getattr(node, name)
            path.append(name)
            if node is None or node == []:
                raise MentionError(f"{label} has no {'.'.join(path)}, so there is nothing to show")
            if isinstance(node, MarkdownText):
                raise MentionError(f"{label}: {'.'.join(path)} is prose; mention a plain field or the entry itself")
        urls: list[str] = []
        if node == "all" and path[-2:] in (["scope", "offerings"], ["scope", "providers"]):
            # `scope.offerings: all` reads as the labels' words, never as the bare keyword.
            facts = self.document.labels.facts
            return md_text(facts.all_offerings if path[-1] == "offerings" else facts.all_providers), urls
        return self._value(node, self.words[parsed["join"] or "and"], base, urls), urls

    def _entry(self, kind: str, ident: str | None) -> tuple[Any, str]:
        if kind == "organisation":
            if ident:
                raise MentionError("the organisation has no id; write [[organisation]] or [[organisation.field]]")
            if self.unvalidated.covers(kind, None):
                raise Unjudged(kind)
            return self.document.organisation, "organisation"
        if kind not in KINDS:
            raise MentionError(f"unknown kind of entry '{kind}'{suggest(kind, ['organisation', *KINDS])}")
        noun = KINDS[kind].noun
        if not ident:
            raise MentionError(f"expected [[{kind}:id]], naming a {noun}")
        entry = self.index[kind].get(ident)
        if entry is None and self.unvalidated.covers(kind, ident):
            raise Unjudged(f"{kind}:{ident}")
        if entry is None:
            raise MentionError(f"unknown {noun} '{ident}'{suggest(ident, list(self.index[kind]))}")
        return entry, f"{noun} '{ident}'"

    def _value(self, node: Any, word: str, base: str, urls: list[str]) -> str:
        if isinstance(node, list):
            return join_words([self._value(item, word, base, urls) for item in node], word)
        if isinstance(node, Unresolved):  # its own problem is reported; the check goes on
            return md_text(node.id)
        if isinstance(node, Claim):
            url = f"{base}{self.claim_url(node.id)}"
            urls.append(url)
            return f"[{md_text(node.title)}](<{url}>)"
        if isinstance(node, (Document, Channel, Agreement)):
            name = node.title if isinstance(node, Document) else node.label if isinstance(node, Channel) else node.name
            text = md_text(name)
            if node.url:
                urls.append(str(node.url))
                return f"[{text}](<{node.url}>)"
            return text
        if isinstance(node, Coverage):
            # An unknown standard is reported on its own line; the mention still reads its id.
            named = node.standard
            standard = md_text(named.id if isinstance(named, Unresolved) else named.name)
            return f"{standard} \\({md_text(node.edition)}\\)" if node.edition else standard
        if isinstance(node, BaseModel):
            return md_text(getattr(node, "name", None) or getattr(node, "title", ""))
        if isinstance(node, PartialDate):
            return md_text(node.words(self.document.labels.dates))
        return md_text(node)
