"""The editor's prose: mentions of other entries, Markdown rendering, sanitizing, and its links.

A mention names an entry by kind and id, optionally one of its fields: `[[provider:softlayer]]`,
`[[provider:softlayer.company]]`, `[[claim:soc2.evidence]]`, `[[organisation.service]]`; a list is
joined with the labels' "and" (or "or" with `|or`). Prose is rendered with raw HTML switched off,
then sanitized with an allowlist, so nothing from data can add markup the templates did not put there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markupsafe import Markup, escape
from pydantic import BaseModel

from .model import Agreement, Channel, Claim, ComplianceDocument, Coverage, Document
from .refs import Index
from .schema import suggest
from .values import KINDS, URL_PATTERN, MarkdownText, Ref
from .yamltext import Limits, limit_hint

MENTION = re.compile(r"\[\[(?P<body>[^\[\]\n]*)\]\]")
_MENTION_BODY = re.compile(
    r"\s*(?P<kind>[a-z_]+)(?::(?P<id>[a-z0-9][a-z0-9_-]*))?(?P<fields>(?:\.[a-z_]+)*)\s*(?:\|\s*(?P<join>and|or)\s*)?"
)
_URL = re.compile(URL_PATTERN)
# Python-Markdown's backslash escapes; `<` and `&` are escaped as HTML entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "br", "blockquote", "hr"}
_SCHEMES = {"http", "https", "ftp", "mailto"}
# Every way Markdown writes a link or an image starts with one of these (`[text](url)`, `[ref]`,
# `<url>`, `![alt](src)`); mentions write theirs with the text escaped.
_LINK_SYNTAX = re.compile(r"[\[\]<>!]")
_BRACKETS = re.compile(r"\\.|[\[\]()]")
# What opens a level of nesting at the start of a line: a quote mark, or four columns of indentation.
_LINE_PREFIX = re.compile(r"^[ \t>]*", re.MULTILINE)


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML both: it reads back exactly as written."""
    text = " ".join(str(value).split())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


class MentionError(ValueError):
    """A mention that names nothing; the message says what was expected."""


@dataclass(frozen=True)
class ProseLink:
    """A link written in prose: its URL and the text it was found at (to locate it in the YAML)."""

    url: str
    needle: str


@dataclass(frozen=True)
class ProseIssue:
    """Something wrong in a prose value, with the text to locate it by."""

    message: str
    needle: str


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
        from_mentions: set[str] = set()
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
            if url in from_mentions:
                continue
            if _URL.fullmatch(url):
                links.append(ProseLink(url, url.removeprefix("mailto:")))
            else:
                shown = url if len(url) <= 60 else url[:57] + "..."
                issues.append(
                    ProseIssue(f"expected a link to an https, http, ftp or mailto URL, got {shown!r}", url or "](")
                )
        if collector.images:
            issues.append(ProseIssue("images are not allowed in prose; use an `image:` field", "!["))
        return issues, links

    def _nesting_issues(self, text: str) -> list[ProseIssue]:
        """Brackets open at once, or lists and quotes nested, deeper than Markdown reads quickly."""
        limit, issues = self.limits.prose_nesting, []
        hint = f"or {limit_hint('max_nesting')}"
        open_at: dict[str, list[int]] = {"[": [], "(": []}
        for match in _BRACKETS.finditer(text):
            char = match[0]
            if char in open_at:
                open_at[char].append(match.start())
                if len(open_at[char]) > limit:
                    start = open_at[char][0]
                    message = (
                        f"more than {limit} '{char}' are open at once here (nested, or never closed), which Markdown "
                        f"reads very slowly; close them, write a bracket as \\{char}, {hint}"
                    )
                    issues.append(ProseIssue(message, text[start : start + 40]))
                    break
            elif char in "])":
                stack = open_at["[" if char == "]" else "("]
                if stack:
                    stack.pop()
        for match in _LINE_PREFIX.finditer(text):
            prefix = match[0]
            levels = prefix.count(">") + len(re.sub(r"> ?", "", prefix).expandtabs(4)) // 4
            if levels > limit:
                message = (
                    f"lists or quotes nested {levels} levels deep here, over the limit of {limit}; "
                    f"nest them less, {hint}"
                )
                issues.append(ProseIssue(message, text[match.start() : match.start() + 40]))
                break
        return issues

    def _to_html(self, text: str) -> str:
        self._markdown.reset()
        return self._markdown.convert(text)

    def _mention(self, match: re.Match[str], base: str) -> tuple[str, set[str]]:
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
        urls: set[str] = set()
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

    def _value(self, node: Any, word: str, base: str, urls: set[str]) -> str:
        if isinstance(node, list):
            return join_words([self._value(item, word, base, urls) for item in node], word)
        if isinstance(node, Ref):
            node = node.target
        if isinstance(node, Claim):
            url = f"{base}{self.claim_url(node.id)}"
            urls.add(url)
            return f"[{md_text(node.title)}](<{url}>)"
        if isinstance(node, (Document, Channel, Agreement)):
            text = md_text(getattr(node, "title", None) or getattr(node, "label", None) or node.name)
            url = getattr(node, "url", None)
            if url:
                urls.add(str(url))
                return f"[{text}](<{url}>)"
            return text
        if isinstance(node, Coverage):
            standard = md_text(node.standard.name)
            return f"{standard} \\({md_text(node.edition)}\\)" if node.edition else standard
        if isinstance(node, BaseModel):
            return md_text(getattr(node, "name", None) or getattr(node, "title", ""))
        if isinstance(node, date):
            return node.isoformat()
        return md_text(node)


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
