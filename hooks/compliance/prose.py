"""The editor's prose: mentions of other entries, Markdown rendering, sanitizing, and its links.

A mention names an entry by kind and id, optionally one of its fields: `[[provider:softlayer]]`,
`[[provider:softlayer.company]]`, `[[claim:soc2.evidence]]`, `[[organisation.service]]`; a list is
joined with the labels' "and" (or "or" with `|or`). Prose is rendered with raw HTML switched off,
then sanitized with an allowlist, so nothing from data can add markup the templates did not put there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markupsafe import Markup, escape
from pydantic import BaseModel

from .dates import PartialDate
from .model import Agreement, Channel, Claim, ComplianceDocument, Coverage, Document
from .prosebounds import nesting_problem
from .refs import Index
from .schema import suggest
from .values import (
    EMAIL_LIKE,
    KINDS,
    MENTION_PATTERN,
    URL_PATTERN,
    URL_SCHEMES,
    URL_SCHEMES_WORDS,
    MarkdownText,
    Unresolved,
)
from .yamltext import Limits, limit_hint

MENTION = re.compile(MENTION_PATTERN)
_MENTION_BODY = re.compile(
    r"\s*(?P<kind>[a-z_]+)(?::(?P<id>[a-z0-9][a-z0-9_-]*))?(?P<fields>(?:\.[a-z_]+)*)\s*(?:\|\s*(?P<join>and|or)\s*)?"
)
_URL = re.compile(URL_PATTERN)
# Python-Markdown's backslash escapes; `<` and `&` are escaped as HTML entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "br", "blockquote", "hr"}
_SCHEMES = set(URL_SCHEMES)
# A link target with a scheme of its own (`javascript:`, `tel:`): not a relative link.
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# `www.example.com/report`: a web address written without its scheme.
_HOST_LIKE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Every way Markdown writes a link or an image starts with one of these (`[text](url)`, `[ref]`,
# `<url>`, `![alt](src)`); mentions write theirs with the text escaped.
_LINK_SYNTAX = re.compile(r"[\[\]<>!]")


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML both: it reads back exactly as written."""
    text = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


class MentionError(ValueError):
    """A mention that names nothing; the message says what was expected."""


@dataclass(frozen=True)
class ProseLink:
    """A link written in prose: its URL and the text it was found at (to locate it in the YAML).

    The location is `skip` characters into the needle: the URL itself, not the `](` before it.
    """

    url: str
    needle: str
    skip: int = 0


@dataclass(frozen=True)
class ProseIssue:
    """Something wrong in a prose value, with the text to locate it by (and how far into it)."""

    message: str
    needle: str
    skip: int = 0


class ProseRenderer:
    """Renders prose for pages and checks it while the data is loaded."""

    def __init__(
        self, document: ComplianceDocument, index: Index, claim_url: Callable[[str], str], limits: Limits | None = None
    ) -> None:
        self.document = document
        self.index = index
        self.claim_url = claim_url
        self.limits = limits or Limits()
        # Labels are text: a joining word with Markdown in it reads back as written, never as a link.
        self.words = {
            "and": str(md_text(document.labels.words.list_and)),
            "or": str(md_text(document.labels.words.list_or)),
        }
        self._markdown = markdown.Markdown(extensions=[], output_format="html")
        # Raw HTML in prose is shown as text, never passed through.
        self._markdown.preprocessors.deregister("html_block")
        self._markdown.inlinePatterns.deregister("html")
        self._cache: dict[tuple[str, str, bool], Markup] = {}

    def render(self, text: MarkdownText | str, base: str = "", *, inline: bool = False) -> Markup:
        """Sanitized HTML of `text`; `base` leads from the page to the site root; inline drops the <p>."""
        key = (str(text), base, inline)
        if key not in self._cache:
            html = self._to_html(MENTION.sub(lambda m: self._mention(m, base)[0], str(text)))
            if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
                html = html[3:-4]
            clean = nh3.clean(
                html, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes=_SCHEMES, link_rel=None
            )
            self._cache[key] = Markup(clean)
        return self._cache[key]

    def check(self, text: str) -> tuple[list[ProseIssue], list[ProseLink]]:
        """Every bad mention, image or link target in `text`, and the external links it writes."""
        issues = self._nesting_issues(text)
        if issues:  # rendering it could take minutes
            return issues, []
        # How many times mentions write each URL: a link the editor also writes by hand keeps its own line.
        from_mentions: Counter[str] = Counter()
        # Mentions may fill in long names many times over: the filled-in prose is capped while it is made.
        budget = max(self.limits.prose_growth * len(text), self.limits.text_chars)
        grown = [0]

        def substitute(match: re.Match[str]) -> str:
            if grown[0] > budget:
                return ""  # already too long: the rest is not even made
            try:
                rendered, urls = self._mention(match, "")
            except MentionError as exc:
                issues.append(ProseIssue(str(exc), match[0]))
                return ""
            grown[0] += len(rendered)
            if grown[0] > budget:
                return ""
            from_mentions.update(urls)
            return rendered

        markdown = MENTION.sub(substitute, text)
        if grown[0] > budget:
            message = (
                f"with its mentions filled in, this prose would be over {budget:,} characters, the limit "
                f"({self.limits.prose_growth} times its own length); mention long entries less often, "
                f"or {limit_hint('max_prose_growth')}"
            )
            return [*issues, ProseIssue(message, "")], []
        # Outside its mentions, prose without link syntax writes no link or image of its own, and the
        # links mentions write are not reported: most prose need not be rendered to be checked.
        if not _LINK_SYNTAX.search(MENTION.sub("", text)):
            return issues, []
        collector = _LinkCollector()
        collector.feed(self._to_html(markdown))
        links = []
        for url in collector.hrefs:
            if from_mentions[url] > 0:
                from_mentions[url] -= 1
                continue
            needle, skip = _written_at(text, url)
            if _URL.fullmatch(url):
                links.append(ProseLink(url, needle, skip))
            else:
                issues.append(ProseIssue(self._bad_link(url), needle, skip))
        if collector.images:
            issues.append(ProseIssue("images are not allowed in prose; use an `image:` field", "!["))
        return issues, links

    def _nesting_issues(self, text: str) -> list[ProseIssue]:
        found = nesting_problem(text, self.limits.prose_nesting)
        return [ProseIssue(*found)] if found else []

    def _bad_link(self, url: str) -> str:
        shown = url if len(url) <= 60 else url[:57] + "..."
        message = f"expected a link to an {URL_SCHEMES_WORDS} URL, got {shown!r}"
        if not url or _HAS_SCHEME.match(url):
            return message
        if EMAIL_LIKE.fullmatch(url):
            return f"{message}; an e-mail address is written as a URL with mailto: ('mailto:{url}')"
        # A relative link would resolve against whichever page shows the prose: never what was meant.
        name = url.strip("/").split("/")[-1].removesuffix(".html").removesuffix(".md")
        if name in self.index["claim"]:
            return f"{message}; to link this site's page of that claim, write [[claim:{name}]]"
        if _HOST_LIKE.fullmatch(url.split("/")[0]):
            return f"{message}; write the absolute URL, e.g. 'https://{url.lstrip('/')}'"
        return f"{message}; write the absolute URL (https://...), or a mention ([[claim:id]]) for this site's pages"

    def _to_html(self, text: str) -> str:
        self._markdown.reset()
        return str(self._markdown.convert(text))

    def _mention(self, match: re.Match[str], base: str) -> tuple[str, list[str]]:
        parsed = _MENTION_BODY.fullmatch(match["body"])
        if parsed is None:
            raise MentionError(f"expected a mention like [[kind:id]] or [[kind:id.field]], got {match[0]!r}")
        node, label = self._entry(parsed["kind"], parsed["id"])
        path: list[str] = []
        for name in filter(None, parsed["fields"].split(".")):
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
            return self.document.organisation, "organisation"
        if kind not in KINDS:
            raise MentionError(f"unknown kind of entry '{kind}'{suggest(kind, ['organisation', *KINDS])}")
        noun = KINDS[kind].noun
        if not ident:
            raise MentionError(f"expected [[{kind}:id]], naming a {noun}")
        entry = self.index[kind].get(ident)
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
            standard = md_text(node.standard.name)
            return f"{standard} \\({md_text(node.edition)}\\)" if node.edition else standard
        if isinstance(node, BaseModel):
            return md_text(getattr(node, "name", None) or getattr(node, "title", ""))
        if isinstance(node, PartialDate):
            return md_text(node.words(self.document.labels.dates))
        return md_text(node)


def _written_at(text: str, url: str) -> tuple[str, int]:
    """The text a link's URL is written in (`](url` or `<url`) and how far into it the URL starts."""
    for written in dict.fromkeys((url, url.removeprefix("mailto:"))):
        for before in ("](", "](<", "<"):
            if written and before + written in text:
                return before + written, len(before)
        if written and written in text:
            return written, 0
    return "](", 2


def join_words(items: list[str], word: str) -> str:
    """'a', 'a and b', 'a, b, and c': lists in running text, with the labels' joining word."""
    if len(items) <= 2:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f", {word} " + items[-1]


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.images = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        elif tag == "img":
            self.images = True
