"""Mentions in the editor's prose: their grammar, and each one read as the words it stands for.

A mention names an entry by kind and id, optionally one of its fields: `[[provider:softlayer]]`,
`[[provider:softlayer.company]]`, `[[claim:soc2.evidence]]`, `[[organisation.service]]`; a list is
joined with the labels' "and" (or "or" with `|or`). A mention is read here into plain words, each
linked to a claim or a URL where the entry has one; checking the prose (check.py) and writing it as
Markdown (render/mentions.py) both start from that reading, so the two can never disagree on what one says.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import markdown
from pydantic import BaseModel

from ...suggest import suggest
from ..dates import PartialDate
from ..document import ComplianceDocument
from ..entries import Agreement, Channel, Claim, Coverage, Document
from ..refs import Index
from ..values import ID_GRAMMAR, KINDS, MENTION_PATTERN, MarkdownText, Unresolved

MENTION = re.compile(MENTION_PATTERN)
_MENTION_BODY = re.compile(
    rf"\s*(?P<kind>[a-z_]+)(?::(?P<id>{ID_GRAMMAR}))?(?P<fields>(?:\.[a-z_]+)*)\s*(?:\|\s*(?P<join>and|or)\s*)?"
)


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
    reading = read_marked(text, reader)
    return reading.places if reading is not None else {}


@dataclass(frozen=True)
class MarkedReading:
    """How Markdown reads prose with each mention replaced by a word: where the mentions land
    (`mention_places`), the targets of the links it writes, and whether it shows an image."""

    places: dict[int, str]
    hrefs: list[str]
    images: bool

    def targets(self, word: str) -> list[str]:
        """The links' targets with each mention read as `word` (a mention inside a URL is part of it)."""
        return [_MARKED.sub(word, href) for href in self.hrefs]


def read_marked(text: str, reader: markdown.Markdown) -> MarkedReading | None:
    """The reading of `text` with its mentions marked, or None when it has no mention Markdown could
    hide (in code or a link's text): then nothing was rendered, and every mention is filled in."""
    starts = [match.start() for match in MENTION.finditer(text)]
    if not starts or not _MAY_HIDE.search(MENTION.sub("", text)):
        return None
    count = itertools.count()
    reader.reset()
    finder = _MarkFinder()
    finder.feed(str(reader.convert(MENTION.sub(lambda _: f"{_MARK}{next(count)}n", text))))
    places = {starts[number]: place for number, place in finder.places.items()}
    return MarkedReading(places, finder.hrefs, finder.images)


class _MarkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open = {"code": 0, "a": 0}
        self.places: dict[int, str] = {}
        self.hrefs: list[str] = []
        self.images = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.open:
            self.open[tag] += 1
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        elif tag == "img":
            self.images = True

    def handle_endtag(self, tag: str) -> None:
        if self.open.get(tag):
            self.open[tag] -= 1

    def handle_data(self, data: str) -> None:
        place = "code" if self.open["code"] else "link" if self.open["a"] else None
        if place is None:
            return
        for mark in _MARKED.finditer(data):
            self.places[int(mark[1])] = place


def list_joints(count: int, word: str) -> list[str]:
    """What stands between the items of a list of `count` in running text, with the labels' joining word:
    'a', 'a and b', 'a, b, and c'."""
    if count <= 2:
        return [f" {word} "] * (count - 1)
    return [", "] * (count - 2) + [f", {word} "]


def plain(value: Any) -> str:
    """A value as the words a page shows, its runs of white space read as one space."""
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Said:
    """One piece of what a mention says: plain words, linked to a claim's page or to a URL where they are."""

    words: str
    claim: str | None = None
    url: str | None = None

    @property
    def links(self) -> bool:
        """Whether the words are a link on the page."""
        return self.claim is not None or self.url is not None


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


class MentionReader:
    """Reads mentions as what they say: an entry's name (linked where it has a page or URL), or a field."""

    def __init__(
        self,
        document: ComplianceDocument,
        index: Index,
        unvalidated: Unvalidated | None = None,
    ) -> None:
        self.document = document
        self.index = index
        self.unvalidated = unvalidated or Unvalidated()
        self.words = {"and": plain(document.labels.words.list_and), "or": plain(document.labels.words.list_or)}

    def read(self, match: re.Match[str]) -> list[Said]:
        """What a MENTION match says, piece by piece; MentionError if it names nothing.

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
        if node == "all" and path[-2:] in (["scope", "offerings"], ["scope", "providers"]):
            # `scope.offerings: all` reads as the labels' words, never as the bare keyword.
            facts = self.document.labels.facts
            return [Said(plain(facts.all_offerings if path[-1] == "offerings" else facts.all_providers))]
        return self._said(node, self.words[parsed["join"] or "and"])

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

    def _said(self, node: Any, word: str) -> list[Said]:
        if isinstance(node, list):
            items = [self._said(item, word) for item in node]
            said: list[Said] = []
            for item, joint in zip(items, [*list_joints(len(items), word), None], strict=False):
                said += item if joint is None else [*item, Said(joint)]
            return said
        if isinstance(node, Unresolved):  # its own problem is reported; the check goes on
            return [Said(plain(node.id))]
        if isinstance(node, Claim):
            return [Said(plain(node.title), claim=node.id)]
        if isinstance(node, (Document, Channel, Agreement)):
            name = node.title if isinstance(node, Document) else node.label if isinstance(node, Channel) else node.name
            return [Said(plain(name), url=str(node.url) if node.url else None)]
        if isinstance(node, Coverage):
            # An unknown standard is reported on its own line; the mention still reads its id.
            named = node.standard
            standard = plain(named.id if isinstance(named, Unresolved) else named.name)
            return [Said(f"{standard} ({plain(node.edition)})" if node.edition else standard)]
        if isinstance(node, BaseModel):
            return [Said(plain(getattr(node, "name", None) or getattr(node, "title", "")))]
        if isinstance(node, PartialDate):
            return [Said(plain(node.words(self.document.labels.dates)))]
        return [Said(plain(node))]
