"""Render Jinja-templated Markdown pages from the compliance data.

Values from YAML are data, never templates: they are inserted once and
HTML-escaped, so `{{ x }}` or `<script>` in a value reaches the reader as text.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .data import ComplianceData
from .errors import ComplianceError, Location, Problem, display_path


class PageRenderer:
    """Jinja environment over docs/ and overrides/ with the data in every page."""

    def __init__(self, data: ComplianceData, project_dir: Path, search_dirs: list[Path]) -> None:
        self.project_dir = project_dir
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in search_dirs]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            join_and=join_and,
            markdown_link=markdown_link,
            channel_link=channel_link,
            provider_label=provider_label,
            provider_name=provider_name,
            document_link=lambda document: markdown_link(document["title"], document["url"]),
            resolve=lambda ids, kind: [data.lookup(kind, i) for i in ids],
        )
        self.env.globals.update(compliance_context(data), body_name=body_name)

    def render(self, markdown: str, page_path: Path, extra: dict[str, Any] | None = None) -> str:
        """Render one page's Markdown; raise ComplianceError at the failing template line."""
        filename = str(page_path)
        try:
            code = self.env.compile(markdown, name=page_path.name, filename=filename)
            template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
            return template.render(**(extra or {}))
        except jinja2.TemplateSyntaxError as exc:
            where = self._location(exc.filename or filename, exc.lineno)
            raise ComplianceError([Problem(where, f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateNotFound as exc:
            raise ComplianceError(
                [Problem(self._failing_frame(exc, filename), f"template not found: {exc.name}")]
            ) from None
        except jinja2.UndefinedError as exc:
            where = self._failing_frame(exc, filename)
            raise ComplianceError([Problem(where, f"undefined in template: {exc.message}")]) from None

    def _failing_frame(self, exc: BaseException, page_file: str) -> Location:
        # Jinja rewrites tracebacks so template frames carry the template's
        # file name and line; the innermost one is where the template failed.
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename == page_file or _is_template(f.filename)
        ]
        if not frames:
            return self._location(page_file, 1)
        return self._location(frames[-1].filename, frames[-1].lineno or 1)

    def _location(self, filename: str, line: int) -> Location:
        return Location(display_path(self.project_dir, Path(filename)), line, 1)


def _is_template(filename: str) -> bool:
    return filename.endswith((".md", ".html", ".jinja"))


def join_and(items: Iterable[Any], word: str = "and") -> Markup:
    """'a', 'a and b', 'a, b, and c': English lists as the source guide writes them."""
    words = [escape(item) for item in items]
    if len(words) <= 2:
        return Markup(f" {word} ").join(words)
    return Markup(", ").join(words[:-1]) + Markup(f", {word} ") + words[-1]


def markdown_link(text: Any, url: str) -> Markup:
    """A Markdown link; the angle brackets keep parentheses in URLs intact."""
    return Markup("[{}](<{}>)").format(text, url)


def channel_link(channel: dict[str, Any]) -> Markup:
    """A report-request channel: a link when it has a URL, else its label."""
    if "url" in channel:
        return markdown_link(channel["label"], channel["url"])
    return escape(channel["label"])


def provider_label(provider: dict[str, Any]) -> Markup:
    """'IBM (SoftLayer)' for a platform of a company, else just the company."""
    if "platform" in provider:
        return Markup("{} ({})").format(provider["company"], provider["platform"])
    return escape(provider["company"])


def body_name(body: dict[str, Any]) -> Markup:
    """'International Organization for Standardization (ISO)'."""
    if "abbreviation" in body:
        return Markup("{} ({})").format(body["name"], body["abbreviation"])
    return escape(body["name"])


def provider_name(provider: dict[str, Any]) -> Markup:
    """'IBM SoftLayer': the provider named in running text."""
    if "platform" in provider:
        return Markup("{} {}").format(provider["company"], provider["platform"])
    return escape(provider["company"])


def compliance_context(data: ComplianceData) -> dict[str, Any]:
    """Names every page template can use: the data sections plus id lookups."""
    doc = data.document
    context: dict[str, Any] = {key: doc.get(key) for key in doc}
    context["bodies"] = doc.get("bodies", [])
    for kind in ("standard", "body", "certification", "regulation", "provider", "offering"):
        context[kind] = _lookup(data, kind)
    return context


def _lookup(data: ComplianceData, kind: str) -> Any:
    def find(ident: str) -> dict[str, Any]:
        return data.lookup(kind, ident)

    find.__name__ = kind
    return find
