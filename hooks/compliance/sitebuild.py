"""One build of the site, from its options to the published folder: what the MkDocs hooks call.

It runs every stage in turn (load, model, render, publish, and the link check), so it sits beside
them rather than in one. Framework-free: the adapter passes in the folders and settings MkDocs has,
and copies the results back into MkDocs' configuration. A build is made afresh for every run (and every `mkdocs serve`
rebuild); a rebuild is given what the ones before it made from the same inputs (preview.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .buildsteps import check_source_date_epoch, read_templates, report_missing, report_notices
from .errors import BuildFailed as BuildFailed  # raised here and named by the hooks
from .errors import ComplianceError, display_path, unexpected_error
from .limits import Limits, pdf_too_long
from .links.linkmap import LinkMapBuilder
from .load.docsfiles import docs_problems
from .loadcache import kept_load
from .model.data import ComplianceData
from .model.entries import Claim
from .options import BuildOptions
from .preview import PreviewMemory
from .publish.headers import SiteHeaders
from .publish.staging import StagedSite
from .render.exportschema import kept_export_schema_text
from .render.languages import language_url
from .render.pagefacts import PageFacts, page_facts
from .render.pages import PageRenderer, theme_problems
from .render.plan import (
    CLAIM_TEMPLATE,
    CLAIMS_INDEX_TEMPLATE,
    SitePlan,
    export_document,
    export_json,
    page_base,
    printed_entries,
    problems_page,
)
from .render.prose import ProseRenderer
from .render.siteconfig import PALETTE_FILE, SiteSettings, site_settings
from .render.trustsite import FEED_FILE, SECURITY_TXT_FILE, TrustSite, plan_trust_files
from .sitelinks import data_links, finish_link_map

log = logging.getLogger("mkdocs.plugins.compliance")
PDF_FILE = "guide.pdf"


@dataclass(frozen=True)
class GeneratedFile:
    """A file the build adds to the site: its path under docs/ and its content."""

    src_uri: str
    content: str
    # MkDocs leaves out files under dot folders such as .well-known/ unless told otherwise.
    dot_folder: bool = False


@dataclass
class SiteBuild:
    """The state of one build: its options, the data, the plan of its pages and the links they hold."""

    command: str
    project_dir: Path
    docs_dir: Path
    options: BuildOptions
    theme_dir: Path | None = None
    data: ComplianceData | None = None
    renderer: PageRenderer | None = None
    plan: SitePlan = field(default_factory=SitePlan)
    settings: SiteSettings | None = None
    claim_pages: dict[str, Claim] = field(default_factory=dict)
    # Trust-center pages (subprocessors.md, ...) by source path, each with the template it is made from.
    trust_pages: dict[str, str] = field(default_factory=dict)
    # Generated files other than pages: the Atom feed and security.txt, by path in the site.
    extra_files: dict[str, str] = field(default_factory=dict)
    links: LinkMapBuilder = field(default_factory=lambda: LinkMapBuilder({}))
    headers: SiteHeaders = field(default_factory=SiteHeaders)
    staged: StagedSite | None = None
    failed: bool = False
    feed_url: str | None = None
    footer: str = ""
    # The claims page's navigation entry, marked open while a claim's page (not in the navigation) renders.
    open_index: Any = None
    # Under `mkdocs serve`, invalid data is shown on every page instead of stopping the server.
    problems: str = ""
    lastmods: dict[str, str] = field(default_factory=dict)  # page URL -> the date sitemap.xml gives it
    source_names: dict[Path, str] = field(default_factory=dict)  # a page's source file as messages name it
    # compliance.json's content, made once: the PDF's length check counts it and the build writes it.
    export: dict[str, Any] = field(default_factory=dict)
    # The language this build publishes: None for the data's default one, whose build then builds each
    # other language's site into a folder of its own (`sv/`); `fallback_language` is the data's when it declares none.
    language: str | None = None
    fallback_language: str = "en"
    # The language tags the theme has interface words for (None: not known, nothing refused for it).
    theme_languages: frozenset[str] | None = None
    # Where this language's site is published: the site's address, under `sv/` for another language.
    site_url: str | None = None
    # Under `mkdocs serve`, what the process keeps from its earlier rebuilds (preview.py).
    memory: PreviewMemory | None = None

    def load(self, theme_dir: Path | None, *, directory_urls: bool, site_url: str | None) -> None:
        """Check what will be published, load the data and plan the pages; BuildFailed if it cannot."""
        self.theme_dir = theme_dir
        check_source_date_epoch()
        # The theme's folder is published like docs/ (its non-template files are copied as they are);
        # docs/ itself is checked with the data (its problems reported with the data's, loadcache.py), except
        # in the preview, which goes on to let MkDocs walk docs/ even when the data is invalid, and a looping
        # or device link there would hang it.
        # The theme's files are few and fixed: only the size of one file applies to them, not docs/'s totals.
        limits = self.options.limits
        theme_limits = replace(limits, docs_files=Limits.docs_files, docs_bytes=Limits.docs_bytes)
        unsafe = docs_problems(self.project_dir, theme_dir, theme_limits) if theme_dir else []
        docs_first = self.command == "serve"
        unsafe += docs_problems(self.project_dir, self.docs_dir, limits) if docs_first else []
        if unsafe:
            raise BuildFailed(f"files that cannot be published:\n{ComplianceError(unsafe)}")
        data_dir = self.options.data_path(self.project_dir)
        load = self.memory.load if self.memory is not None else kept_load
        try:
            self.data = data = load(
                self.project_dir,
                data_dir,
                self.docs_dir,
                today=self.options.judging_day(),
                limits=limits,
                debug=self.options.debug,
                docs_checked=docs_first,  # not twice per preview rebuild: each check reads every image
                rules=self.options.rule_levels,
                for_print=self.options.pdf,
                language=self.language,
                fallback_language=self.fallback_language,
                theme_languages=self.theme_languages,
            )
        except ComplianceError as exc:
            if self.command != "serve":
                raise BuildFailed(f"compliance data is invalid:\n{exc}") from None
            # The preview shows the problems in the browser; the next valid save brings the pages back.
            self.problems = str(exc)
            log.info("compliance data is invalid (shown in the browser):\n%s", exc)
            return
        except Exception as exc:
            if self.options.debug:
                raise
            shown = display_path(self.project_dir, data_dir)
            raise BuildFailed(unexpected_error(exc, shown, "reading the data")) from None
        report_missing(data, self.options.missing_translations)
        # The other languages' sites hold the same facts: their notes would repeat the default one's.
        if self.language is None:
            report_notices(data)
        self.site_url = language_url(str(data.document.guide.site_url or site_url or "") or None, data)
        self.plan = plan = SitePlan(directory_urls, self.site_url)
        # The objects about the whole site, made once and shared by the pages, the feed and the export.
        trust = TrustSite(data.document, plan)
        converted = self.memory.prose if self.memory is not None else None
        prose = ProseRenderer(data.document, data.index, plan.claim_url, site_url=plan.site_url, converted=converted)
        self.export = self._made(data, plan, lambda: export_document(data, plan, prose))
        # `make pdf` builds with `pdf` on: a guide too long to print fails here, before Chromium starts.
        too_long = self.options.pdf and pdf_too_long(printed_entries(self.export), self.options.max_pdf_entries)
        if too_long:
            raise BuildFailed(f"{display_path(self.project_dir, data_dir)}:1:1: {too_long}")
        search_dirs = [self.docs_dir, *([theme_dir] if theme_dir else [])]
        self.renderer = PageRenderer(data, self.project_dir, search_dirs, plan, trust=trust, prose=prose)
        self.links = LinkMapBuilder(data_links(data))
        self.claim_pages = {self.plan.claim_page(claim.id): claim for claim in data.document.claims}
        # `make pdf` builds with the pdf option, so every page links the PDF it then prints.
        self.settings = site_settings(data, plan, PDF_FILE if self.options.pdf else None, trust=trust)
        self.feed_url = self._plan_trust_files(data, trust, prose, self.site_url)
        self.renderer.env.globals["feed_file"] = FEED_FILE if self.feed_url else None
        try:
            self.footer = self.renderer.render_partial("partials/compliance-footer.html", "footer")
        except ComplianceError as exc:
            raise BuildFailed(f"footer template failed:\n{exc}") from None

    def generated_files(self, written: list[str]) -> list[GeneratedFile]:
        """The pages and files made from data; `written` are docs/ pages, which must not clash with them."""
        if self.data is None:
            return []
        # A file of docs/ at a generated file's address (even differing only in case, as macOS and
        # Windows compare names) would be replaced by it, or replace it, depending on the file system.
        made = {uri: f"claim '{claim.id}''s page" for uri, claim in self.claim_pages.items()}
        made |= {uri: f"the {uri.removesuffix('.md')} page" for uri in self.trust_pages}
        made |= {self.plan.claims_index_page(): "the claims page"} if self.claim_pages else {}
        palette = [PALETTE_FILE] if self.settings is not None and self.settings.palette_css is not None else []
        other = [*palette, self.plan.export_file(), self.plan.export_schema_file(), *self.extra_files]
        clashes = self.plan.clashes(written, made | dict.fromkeys(other, "a generated file"))
        if clashes:
            raise BuildFailed("\n".join(clashes))
        # Every template is read before any is used, so all the missing ones are named at once.
        templates = [CLAIM_TEMPLATE, CLAIMS_INDEX_TEMPLATE] if self.claim_pages else []
        sources = read_templates(self.project_dir, self.docs_dir, [*templates, *self.trust_pages.values()])
        files = [GeneratedFile(src_uri, sources[CLAIM_TEMPLATE]) for src_uri in self.claim_pages]
        files += [GeneratedFile(src_uri, sources[path]) for src_uri, path in self.trust_pages.items()]
        if self.claim_pages:
            files.append(GeneratedFile(self.plan.claims_index_page(), sources[CLAIMS_INDEX_TEMPLATE]))
        if self.settings is not None and self.settings.palette_css is not None:
            files.append(GeneratedFile(PALETTE_FILE, self.settings.palette_css))
        files.append(GeneratedFile(self.plan.export_file(), export_json(self.export)))
        schema = kept_export_schema_text(self.project_dir, self.options.limits)
        files.append(GeneratedFile(self.plan.export_schema_file(), schema))
        files += [GeneratedFile(path, text, dot_folder=True) for path, text in self.extra_files.items()]
        return files

    def check_theme(self, env: Any) -> None:
        """Refuse theme templates (the `env` MkDocs renders them in) that do not parse."""
        # Our renderer's cache holds the partials our pages import, which the theme never compiles.
        ours = (self.renderer.env,) if self.renderer is not None else ()
        problems = theme_problems(env, self.theme_dir, self.project_dir, also=ours) if self.theme_dir else []
        if problems:
            raise BuildFailed(f"theme templates that cannot be used:\n{ComplianceError(problems)}")

    def page_facts(self, src_uri: str, url: str) -> PageFacts:
        """A page's meta description and sitemap date from the data (none for a page the data does not date);
        the date is kept, by the page's URL, for the sitemap written at the end of the build."""
        if self.data is None or self.renderer is None:
            return PageFacts(None, "")
        facts = page_facts(self.data, self.renderer.prose, src_uri, self.claim_pages.get(src_uri))
        self.lastmods[url] = facts.lastmod
        return facts

    def page_source(self, src_uri: str) -> Path:
        """The file a page is made from: its own, or for a generated page the template it comes from."""
        if src_uri in self.claim_pages:
            return self.docs_dir / CLAIM_TEMPLATE
        if src_uri == self.plan.claims_index_page():
            return self.docs_dir / CLAIMS_INDEX_TEMPLATE
        return self.docs_dir / self.trust_pages.get(src_uri, src_uri)

    def render_page(self, markdown: str, src_uri: str, url: str) -> str:
        """A page's Markdown with its template filled in from the data (the problems under a failed preview)."""
        if self.renderer is None:
            return problems_page(self.problems)
        claim = self.claim_pages.get(src_uri)
        context = {"base": page_base(url), "claim": claim}
        render = functools.partial(self.renderer.render, markdown, self.page_source(src_uri), context)
        try:
            if self.memory is None or self.data is None:
                return render()
            # What the page is made from besides the data and the template files it reads (preview.py).
            made_from = (markdown, src_uri, url, claim and claim.id, self.plan, self.feed_url, repr(self.options))
            return self.memory.page(self.data, made_from, self.renderer, render)
        except ComplianceError as exc:
            raise BuildFailed(f"page template failed:\n{exc}") from None

    def maps_links(self) -> bool:
        """Whether pages' links are collected: the preview's throw-away builds need no link map, unless
        they check links too (it saves parsing every page twice on each save)."""
        return self.command != "serve" or self.options.check_links

    def add_page_links(self, src_uri: str, html: str) -> None:
        """Collect the links of a rendered page for the link map, each named by the file it is written in
        (a generated page's template, not the page's own name, which is no file)."""
        if self.maps_links():
            source = self.page_source(src_uri)  # every claim's page is the same template: named once
            name = self.source_names.get(source)
            if name is None:
                name = self.source_names[source] = display_path(self.project_dir, source)
            self.links.add_page(name, html)

    def finish_links(self, site_dir: Path, site_url: str | None) -> None:
        """Write the link map beside the site, and check the links when the options ask for it.

        Another language's site writes none: its sources join the default's (`LinkMapBuilder.include`),
        whose map and check cover the whole site, that language's folder included.
        """
        if not self.maps_links() or self.language is not None:
            return
        published = self.staged.site_dir if self.staged else site_dir
        finish_link_map(
            self.links, site_dir, site_url, self.project_dir, published, self.options, serve=self.command == "serve"
        )

    def _made(self, data: ComplianceData, plan: SitePlan, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return make() if self.memory is None else self.memory.made(data, ("export", plan), make)

    def _plan_trust_files(
        self, data: ComplianceData, trust: TrustSite, prose: ProseRenderer, site_url: str | None
    ) -> str | None:
        """Plan the trust pages, the Atom feed and security.txt; the feed's absolute URL when there is one."""
        planned = plan_trust_files(data, trust, prose, site_url, self.options.max_feed_entries)
        files = planned.files
        if data.language != data.default_language:  # RFC 9116: security.txt is the host's, at the root only
            files = {path: text for path, text in files.items() if path != SECURITY_TXT_FILE}
        self.trust_pages, self.extra_files = planned.pages, {**self.extra_files, **files}
        for note in planned.notes if self.language is None else []:
            log.info("%s", note)
        return planned.feed_url
