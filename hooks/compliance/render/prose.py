"""The editor's prose as HTML: mentions filled in, Markdown rendered, then sanitized.

Prose is rendered with raw HTML switched off, then sanitized with an allowlist, so nothing from data
can add markup the templates did not put there. What a mention says comes from model/prose/mentions.py,
the same reading that checked it while the data loaded; render/mentions.py writes it as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from html import escape

import nh3
from markupsafe import Markup

from ..model.document import ComplianceDocument
from ..model.prose.mentions import MENTION, mention_places, prose_markdown
from ..model.refs import Index
from ..model.values import URL_SCHEMES, MarkdownText
from .mentions import MentionWriter

# Stand-ins for a page's base while a text is rendered once for every page: relative paths of letters,
# digits and hyphens, which neither Markdown nor the sanitizer changes. A base of such characters too
# is written in their place as it is (the paths back to the site root, `../../`, and an http(s) address).
_MENTIONS_BASE = "compliance-mentions-base-0f5c/"
_OWN_BASE = "compliance-own-base-0f5c/"
_PORTABLE_BASE = re.compile(r"(?:\.\./)*|https?://[A-Za-z0-9._~/:-]*")
_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "br", "blockquote", "hr"}
_SCHEMES = set(URL_SCHEMES)
# A sentence Markdown reads as one paragraph of plain text: a letter first, then letters, digits, single
# spaces and punctuation that marks nothing up (no emphasis, code, link, image, escape, entity or
# HTML, and no line: nothing can start a list, a heading, a quote or a code block).
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9,.;:?'\"()/%-]| (?! ))*(?<! )")


class ProseRenderer:
    """Renders prose for pages; `base` leads from each page to the site root."""

    def __init__(
        self,
        document: ComplianceDocument,
        index: Index,
        claim_url: Callable[[str], str],
        *,
        site_url: str | None = None,
        converted: MutableMapping[tuple[str, bool], str] | None = None,
    ) -> None:
        """`converted`: sanitized HTML by prose with its mentions filled in (and whether inline), kept by
        the caller for later renderers (a preview's rebuilds): the same Markdown always reads the same."""
        self.mentions = MentionWriter(document, index, claim_url)
        # A prose link to the site's own address leads within whatever copy is read (a preview, a
        # mirror, the PDF): it is written relative to the page, as the mentions' links are.
        own = site_url.rstrip("/") + "/" if site_url else None
        self._own_written = escape(own) if own else ""
        self._own = re.compile(f'href="{re.escape(self._own_written)}') if own else None
        self._markdown = prose_markdown()
        self._cache: dict[tuple[str, str, bool], Markup] = {}
        self._shared: dict[tuple[str, bool], str] = {}  # by text: rendered with the stand-ins below
        self._converted: MutableMapping[tuple[str, bool], str] = {} if converted is None else converted
        self._markdown_html: dict[str, str] = {}

    def render(self, text: MarkdownText | str, base: str = "", *, inline: bool = False) -> Markup:
        """Sanitized HTML of `text`; `base` leads from the page to the site root; inline drops the <p>."""
        key = (str(text), base, inline)
        if key not in self._cache:
            self._cache[key] = Markup(self._rendered(str(text), base, inline))
        return self._cache[key]

    def _rendered(self, text: str, base: str, inline: bool) -> str:
        """Each text is rendered once for every page and the export: with stand-ins for the two things
        a base changes (the mentions' links, and links to the site's own address written relative),
        which are then written for `base`; a base whose characters Markdown or the sanitizer would
        escape, or a text holding a stand-in, is rendered with `base` itself."""
        if not _PORTABLE_BASE.fullmatch(base) or _MENTIONS_BASE in text or _OWN_BASE in text:
            return self._html(text, base, inline, own=escape(base) or "./")
        shared = self._shared.get((text, inline))
        if shared is None:
            shared = self._shared[(text, inline)] = self._html(text, _MENTIONS_BASE, inline, own=_OWN_BASE)
        absolute = base.startswith(("http://", "https://"))
        own = self._own_written if absolute else base or "./"
        return shared.replace(_OWN_BASE, own).replace(_MENTIONS_BASE, base)

    def _html(self, text: str, base: str, inline: bool, *, own: str) -> str:
        """`text` rendered and sanitized, its mentions' links under `base`; a link to the site's own
        address is written under `own` instead (a page's way back to the site root), not on an absolute base."""
        places = mention_places(text, self._markdown)  # one in code is shown as written
        filled = MENTION.sub(lambda m: m[0] if places.get(m.start()) == "code" else self.mentions.write(m, base), text)
        clean = self._converted.get((filled, inline))
        if clean is None:
            clean = self._converted[filled, inline] = self._convert(filled, inline)
        if self._own is not None and not base.startswith(("http://", "https://")):
            clean = self._own.sub(f'href="{own}', clean)
        return clean

    def _convert(self, filled: str, inline: bool) -> str:
        """Prose with its mentions filled in, as sanitized HTML: all it depends on is that text."""
        # Markdown's HTML is the same for both forms (the export shows each text as a block, the
        # pages show a list's items inline): converted once, then each form is cut and sanitized.
        html = self._markdown_html.get(filled)
        if html is None and _PLAIN.fullmatch(filled):
            html = f"<p>{filled}</p>"  # what Markdown makes of a plain sentence (tested against it)
        if html is None:
            self._markdown.reset()
            html = self._markdown_html[filled] = str(self._markdown.convert(filled))
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        clean: str = nh3.clean(
            html, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes=_SCHEMES, link_rel=None
        )
        return clean
