"""Checking the editor's prose while the data loads: mentions that name nothing, nesting Markdown
reads slowly, images, link targets that are not absolute URLs, and the external links it writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ...limits import LimitOption, Limits, limit_hint
from ...urlrule import url_problem
from ..document import ComplianceDocument
from ..refs import Index
from ..values import EMAIL_LIKE, URL_PATTERN, URL_SCHEMES_WORDS
from .mentions import MENTION, MentionError, MentionReader, Said, Unjudged, Unvalidated, prose_markdown, read_marked
from .nesting import nesting_problem

_URL = re.compile(URL_PATTERN)
# A link target with a scheme of its own (`javascript:`, `tel:`): not a relative link.
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# `www.example.com/report`: a web address written without its scheme.
_HOST_LIKE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Every way Markdown writes a link or an image starts with one of these (`[text](url)`, `[ref]`,
# `<url>`, `![alt](src)`); mentions write theirs with the text escaped.
_LINK_SYNTAX = re.compile(r"[\[\]<>!]")

# Markdown writes no link inside another: the inner one would be published as its raw Markdown.
_LINK_IN_LINK = (
    "{mention} writes a link, and it is inside a link's text, where Markdown would publish it as raw text; "
    "move it out of the link's text, or write the words themselves"
)

# Stands for a mention while the prose around it is read for its own links: a word Markdown leaves alone.
_FILLED = "mention"


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


class ProseChecker:
    """Checks each prose value of the data as it will be rendered, without rendering the page."""

    def __init__(
        self,
        document: ComplianceDocument,
        index: Index,
        limits: Limits | None = None,
        unvalidated: Unvalidated | None = None,
    ) -> None:
        self.index = index
        self.limits = limits or Limits()
        self.mentions = MentionReader(document, index, unvalidated)
        self._markdown = prose_markdown()

    def check(self, text: str, own_claim: str | None = None) -> tuple[list[ProseIssue], list[ProseLink]]:
        """Every bad mention, image or link target in `text`, and the external links it writes.

        `own_claim`: the id of the claim whose page shows `text`, which a hint never links to itself.
        """
        issues = self._nesting_issues(text)
        if issues:  # rendering it could take minutes
            return issues, []
        # Mentions may fill in long names many times over: the filled-in prose is capped while it is made.
        budget = max(self.limits.prose_growth * len(text), self.limits.text_chars)
        grown = [0]
        marked = read_marked(text, self._markdown)
        places = marked.places if marked is not None else {}
        unfilled = [0]  # mentions not replaced by _FILLED: with none, the marked reading reads as the filled prose
        before: list[tuple[int, str, str]] = []  # where the last mention ended, how it was written, what it said

        def substitute(match: re.Match[str]) -> str:
            unfilled[0] += 1  # until it is filled in below
            if grown[0] > budget:
                return ""  # already too long: the rest is not even made
            if places.get(match.start()) == "code":
                return match[0]  # shown as written
            try:
                said = self.mentions.read(match)
            except MentionError as exc:
                issues.append(ProseIssue(str(exc), match[0]))
                return ""
            except Unjudged:  # it names what failed validation: that error is reported on its own
                return ""
            if any(piece.links for piece in said) and places.get(match.start()) == "link":
                issues.append(ProseIssue(_LINK_IN_LINK.format(mention=match[0]), match[0]))
                return ""
            grown[0] += _filled_length(said)
            if grown[0] > budget:
                return ""
            words = "".join(piece.words for piece in said)
            doubled = _doubled_word(text, before, match, words)
            if doubled:
                issues.append(ProseIssue(doubled, match[0]))
            before[:] = [(match.end(), match[0], words)]
            unfilled[0] -= 1
            # The links mentions write are theirs, not the editor's: only the prose around them is read for links.
            return _FILLED

        markdown = MENTION.sub(substitute, text)
        if grown[0] > budget:
            message = (
                f"with its mentions filled in, this prose would be over {budget:,} characters, the limit "
                f"({self.limits.prose_growth} times its own length); mention long entries less often, "
                f"or {limit_hint(LimitOption.PROSE_GROWTH)}"
            )
            return [*issues, ProseIssue(message, "")], []
        # Outside its mentions, prose without link syntax writes no link or image of its own, and the
        # links mentions write are not reported: most prose need not be rendered to be checked.
        if not _LINK_SYNTAX.search(MENTION.sub("", text)):
            return issues, []
        if marked is not None and not unfilled[0]:
            # Read already: the marked prose differs from `markdown` only in the words standing for mentions.
            hrefs, images = marked.targets(_FILLED), marked.images
        else:
            collector = _LinkCollector()
            self._markdown.reset()
            collector.feed(str(self._markdown.convert(markdown)))
            hrefs, images = collector.hrefs, collector.images
        links = []
        for url in hrefs:
            needle, skip = _written_at(text, url)
            if not _URL.fullmatch(url):
                issues.append(ProseIssue(self._bad_link(url, own_claim), needle, skip))
            elif refused := url_problem(url, f"a link to an {URL_SCHEMES_WORDS} URL"):
                issues.append(ProseIssue(refused, needle, skip))
            else:
                links.append(ProseLink(url, needle, skip))
        if images:
            issues.append(ProseIssue("images are not allowed in prose; use an `image:` field", "!["))
        return issues, links

    def _nesting_issues(self, text: str) -> list[ProseIssue]:
        found = nesting_problem(text, self.limits.prose_nesting)
        return [ProseIssue(*found)] if found else []

    def _bad_link(self, url: str, own_claim: str | None) -> str:
        shown = url if len(url) <= 60 else url[:57] + "..."
        message = f"expected a link to an {URL_SCHEMES_WORDS} URL, got {shown!r}"
        if not url or _HAS_SCHEME.match(url):
            return message
        if EMAIL_LIKE.fullmatch(url):
            return f"{message}; an e-mail address is written as a URL with mailto: ('mailto:{url}')"
        # A relative link would resolve against whichever page shows the prose: never what was meant.
        name = url.strip("/").split("/")[-1].removesuffix(".html").removesuffix(".md")
        if name == own_claim:
            # The mention would link the claim's page to itself: no hint to write one.
            return f"{message}; this prose is on the page of claim '{name}' itself, so leave the link out"
        if name in self.index["claim"]:
            return f"{message}; to link this site's page of that claim, write [[claim:{name}]]"
        if _HOST_LIKE.fullmatch(url.split("/")[0]):
            return f"{message}; write the absolute URL, e.g. 'https://{url.lstrip('/')}'"
        return f"{message}; write the absolute URL (https://...), or a mention ([[claim:id]]) for this site's pages"


def _filled_length(said: list[Said]) -> int:
    """About how long a mention is once filled in on a page: its words, and the address of each link."""
    return sum(len(piece.words) + len(piece.url or piece.claim or "") for piece in said)


def _doubled_word(text: str, before: list[tuple[int, str, str]], match: re.Match[str], words: str) -> str | None:
    """Why two different mentions side by side would print a word twice ("IBM IBM Cloud": a company, then
    a name renamed to hold it), or None. The same mention written twice is the editor's own repetition."""
    if not before or before[0][1] == match[0] or text[before[0][0] : match.start()] not in (" ", "\u00a0"):
        return None
    last = before[0][2].split()
    first = words.split()
    if not last or not first or last[-1].casefold() != first[0].casefold():
        return None
    return (
        f"{match[0]} starts with '{first[0]}', the word the mention before it ends with, so the page would "
        f"say '{last[-1]} {' '.join(first)}'; write one of the two mentions (a name that holds its company "
        "needs no company before it)"
    )


def _written_at(text: str, url: str) -> tuple[str, int]:
    """The text a link's URL is written in (`](url` or `<url`) and how far into it the URL starts."""
    for written in dict.fromkeys((url, url.removeprefix("mailto:"))):
        for before in ("](", "](<", "<"):
            if written and before + written in text:
                return before + written, len(before)
        if written and written in text:
            return written, 0
    return "](", 2


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
