"""Render Jinja-templated Markdown pages from the compliance model.

Templates only lay out model fields, which always exist (None when absent). Values from YAML are data,
never templates: plain text is escaped for Markdown (`md`) or HTML (autoescape), prose is rendered and
sanitized (`prose`), and the sandbox keeps templates away from Python internals.
"""

from __future__ import annotations

import functools
import hashlib
import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from ..errors import ComplianceError, Location, Problem, display_path
from ..model.data import ComplianceData
from ..model.dates import PartialDate, babel_locale
from ..model.language import language_of
from .matrix import scope_matrix
from .mentions import md_text
from .plan import SitePlan
from .prose import ProseRenderer
from .sandbox import TemplateSandbox
from .templatecache import TemplateCache, reads_like
from .trustsite import TrustSite


def address(url: Any) -> Markup:
    """Where a link goes, written out for a reader: a mail address without `mailto:` (and its query), a
    web address whole; each may wrap after a '/', '.' or '@' on a narrow screen, never inside a word."""
    text = str(url)
    if text.startswith("mailto:"):
        text = unquote(text.removeprefix("mailto:").split("?", 1)[0])
    return Markup("<wbr>").join(re.split(r"(?<=[/.@])(?=.)", text))


def in_its_language(value: Any, html: Markup, *, inline: bool = True) -> Markup:
    """`html` made from `value`, inside an element naming its language where that is not the page's
    (a missing translation shown in the default language), so screen readers switch voice."""
    lang = language_of(value)
    if lang is None:
        return html
    return Markup('<{0} lang="{1}">{2}</{0}>').format("span" if inline else "div", lang, html)


def pick(places: Iterable[tuple[Any, Any]], table: Any) -> Markup:
    """`table[i][key]` for each (i, key) of `places`, escaped and joined: a large table's cells made once
    by its template and laid out here, without the sandbox's checks on each of thousands of lookups."""
    cells = [table[i][key] for i, key in places]
    if all(type(cell) is Markup for cell in cells):  # the template's own cells: nothing to escape
        return Markup("".join(cells))
    return Markup("").join(cells)


def plain_text(value: Any) -> str:
    """The text alone, for an attribute (`alt`), where no element can mark its language."""
    return str(value)  # a marked value as plain `str`


class _ReadingLoader(jinja2.FileSystemLoader):
    """Jinja's loader of template files, noting each it reads: by name, the file found and its text's digest."""

    def __init__(self, search_dirs: list[Path]) -> None:
        super().__init__([str(d) for d in search_dirs])
        self.read: dict[str, tuple[str, str]] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        self.read[template] = (filename, text_digest(source))
        return source, filename, uptodate


def text_digest(text: str) -> str:
    """The digest a template's text is compared by (preview.py: a kept page's templates)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class PageRenderer:
    """Jinja environment over docs/ and overrides/ with the model in every page."""

    def __init__(
        self,
        data: ComplianceData,
        project_dir: Path,
        search_dirs: list[Path],
        plan: SitePlan,
        *,
        trust: TrustSite | None = None,
        prose: ProseRenderer | None = None,
    ) -> None:
        """`trust` and `prose` are the build's own (made here when not given): each is made once per build."""
        self.project_dir = project_dir
        self.search_dirs = search_dirs
        self._loader = _ReadingLoader(search_dirs)
        self.env = TemplateSandbox(
            loader=self._loader,
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # Partials and pages compiled once, kept on disk between builds (templatecache.py).
        self.env.bytecode_cache = self._cache = TemplateCache(project_dir, self.env)
        self._compiled: dict[tuple[str, str], jinja2.Template] = {}
        self.prose = prose = prose or ProseRenderer(data.document, data.index, plan.claim_url, site_url=plan.site_url)
        document = data.document

        made: dict[tuple[Any, str | None, str, bool], Markup] = {}

        @jinja2.pass_context
        def render_prose(context: jinja2.runtime.Context, text: Any, inline: bool = False) -> Markup:
            # The same value on many pages, or many times on one (a large home page asks 60,000 times):
            # made once for each base and form, with the language it is shown in.
            base = context.resolve_or_missing("base")
            if base is jinja2.utils.missing:  # a block shared between pages (shared_block) has no base
                raise jinja2.UndefinedError("'base' is undefined")
            key = (text, language_of(text), base, inline)
            html = made.get(key)
            if html is None:
                html = made[key] = in_its_language(text, prose.render(text, base, inline=inline), inline=inline)
            return html

        shared: dict[tuple[str, str, int], tuple[Any, Markup]] = {}
        modules: dict[str, Any] = {}  # each partial's macros, made once without a page's context

        def shared_block(partial: str, macro: str, entry: Any) -> Markup:
            """`macro` of `partial` laid out once per build for `entry`, repeated on every page that shows it
            (a claim's facts: its own page and the home page). Made outside any page, without a `base`: a
            block that came to depend on where the page is fails at its line instead of being shared."""
            key = (partial, macro, id(entry))
            kept = shared.get(key)
            if kept is None:
                module = modules.get(partial)
                if module is None:
                    module = modules[partial] = self.env.get_template(partial).make_module()
                block = getattr(module, macro, None)
                if not isinstance(block, jinja2.runtime.Macro):
                    raise jinja2.UndefinedError(f"{partial} has no macro {macro!r}")
                kept = shared[key] = (entry, Markup(block(entry)))  # the entry kept, so its id is not reused
            return kept[1]

        words = document.labels.dates

        shown: dict[PartialDate, Markup] = {}  # a date's element, written once: claims share their dates

        def when(value: PartialDate) -> Markup:
            """A date as precise as written, in the labels' words: `<time datetime="2025-04">April 2025</time>`."""
            html = shown.get(value)
            if html is None:
                html = shown[value] = Markup('<time datetime="{}">{}</time>').format(
                    value.isoformat(), value.words(words)
                )
            return html

        locale = babel_locale(words.locale)

        def number(value: int) -> str:
            """A count as the page's locale writes it ("1,234"; "1 234" in Swedish)."""
            return str(format_decimal(value, locale=locale))

        self.env.filters.update(
            number=number,
            md=lambda value: in_its_language(value, md_text(value)),
            plain=plain_text,
            prose=render_prose,
            when=when,
            address=address,
            pick=pick,
        )
        self.env.globals.update(
            organisation=document.organisation,
            guide=document.guide,
            labels=document.labels,
            bodies=document.bodies,
            standards=document.standards,
            hosting=document.hosting,
            claims=document.claims,
            subprocessors=document.subprocessors,
            contacts=document.contacts,
            documents=document.documents,
            faq=document.faq,
            controls=document.controls,
            updates=document.updates,
            trust=trust or TrustSite(document, plan),
            feed_file=None,  # the Atom feed's path from the site root, set by the build when it publishes one
            site=plan,
            status_basis=data.basis,
            shared_block=shared_block,
            scope_matrix=functools.cache(lambda: scope_matrix(document)),  # made when the matrix page asks
            # Every page source calls it first: any other Jinja (a macros plugin, an engine that skips the
            # hooks) stops at an undefined call instead of filling the page with nothing (handbook/platform.md).
            requires_the_compliance_hooks=lambda: "",
        )

    @property
    def templates_read(self) -> dict[str, tuple[str, str]]:
        """Every template file this renderer has read, by name: the file it was found in and its text's digest."""
        return self._loader.read

    def render_partial(self, partial: str, macro: str) -> Markup:
        """A macro of a partial template rendered on its own (the footer the theme shows)."""
        source = f'{{% from "{partial}" import {macro} with context %}}{{{{ {macro}() }}}}'
        return Markup(self.render(source, Path(partial), {"base": ""}).strip())

    def render(self, markdown: str, page_path: Path, extra: dict[str, Any] | None = None) -> str:
        """Render one page's Markdown; raise ComplianceError at the failing template line."""
        filename = str(page_path)
        try:
            # Every claim's page is the same template: compiled once per build, not once per claim.
            key = (markdown, filename)
            template = self._compiled.get(key)
            if template is None:
                bucket = self._cache.get_bucket(self.env, page_path.name, filename, markdown)
                if bucket.code is None:
                    bucket.code = self.env.compile(markdown, name=page_path.name, filename=filename)
                    self._cache.set_bucket(bucket)
                template = self._compiled[key] = self.env.template_class.from_code(
                    self.env, bucket.code, self.env.make_globals(None)
                )
            return template.render(**(extra or {}))
        except jinja2.TemplateSyntaxError as exc:
            where = self._location(exc.filename or filename, exc.lineno)
            raise ComplianceError([Problem(where, f"template syntax error: {exc.message}")]) from None
        except jinja2.TemplateNotFound as exc:
            raise ComplianceError(
                [Problem(self._failing_frame(exc, filename), f"template not found: {exc.name}")]
            ) from None
        except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
            where = self._failing_frame(exc, filename)
            what = "undefined in template" if isinstance(exc, jinja2.UndefinedError) else "not allowed in a template"
            raise ComplianceError([Problem(where, f"{what}: {exc.message}")]) from None

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


def theme_problems(
    env: jinja2.Environment,
    theme_dir: Path,
    project_dir: Path,
    *,
    also: tuple[jinja2.Environment, ...] = (),
) -> list[Problem]:
    """A problem at each template of the theme's folder that does not parse in the theme's `env`.

    The theme renders them after every hook has run, where a syntax error would end in a traceback.
    A template that `env`'s compiled-template cache (templatecache.py) holds, compiled from the same
    source by an earlier build, parsed then and is not parsed again; so does one that the cache of an
    environment of `also` holds, when that one reads templates as `env` does (`reads_like`): our
    pages' renderer compiles the partials the theme itself never renders.
    """
    caches = [(e, e.bytecode_cache) for e in (env, *also) if e is env or reads_like(e, env)]
    problems = []
    for path in sorted(theme_dir.rglob("*.html")):
        name = path.relative_to(theme_dir).as_posix()
        try:
            source = path.read_text(encoding="utf-8")
            held = (c is not None and c.get_bucket(e, name, str(path), source).code is not None for e, c in caches)
            if not any(held):
                env.parse(source, name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            where = Location(display_path(project_dir, path), exc.lineno, 1)
            problems.append(Problem(where, f"template syntax error: {exc.message}"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(Location(display_path(project_dir, path), 1, 1), f"cannot read it ({exc})"))
    return problems
