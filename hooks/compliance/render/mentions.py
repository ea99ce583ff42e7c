"""Mentions written as Markdown: the model's reading of each one, its words escaped and its links made.

What a mention says, and whether it names anything, is the model's (model/prose/mentions.py); here
that reading becomes Markdown, with a claim's link leading to the page the site gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from ..model.document import ComplianceDocument
from ..model.prose.mentions import MentionReader, plain
from ..model.refs import Index

# Python-Markdown's backslash escapes; `<` and `&` are escaped as HTML entities instead.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_text(value: Any) -> Markup:
    """Plain text made safe for Markdown and HTML both: it reads back exactly as written."""
    return _escaped(plain(value))


def _escaped(words: str) -> Markup:
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", words)))


class MentionWriter:
    """Writes mentions as Markdown; `claim_url` gives a claim's page from the site root."""

    def __init__(self, document: ComplianceDocument, index: Index, claim_url: Callable[[str], str]) -> None:
        self.reader = MentionReader(document, index)
        self.claim_url = claim_url

    def write(self, match: re.Match[str], base: str) -> str:
        """The Markdown a MENTION match stands for; `base` leads from the page to the site root."""
        written: list[str] = []
        for said in self.reader.read(match):
            text = _escaped(said.words)
            url = f"{base}{self.claim_url(said.claim)}" if said.claim is not None else said.url
            written.append(f"[{text}](<{url}>)" if url else text)
        return "".join(written)
