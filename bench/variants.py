"""The three projects the build benchmark compares, made from the same synthetic data and pages.

- hooks: the project as it is (our hooks load, validate and render the data during the build);
- static: the same pages pre-rendered to Markdown by our own renderer, built without hooks;
- macros: mkdocs-macros-plugin with `include_yaml` over the same data files and equivalent
  templates (`bench/macros/`), one page per claim written out as a small template.
All three build the same pages (guide, matrix, one per claim) with the same theme, navigation,
files and Markdown extensions.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
MACROS = REPO / "bench" / "macros"
sys.path.insert(0, str(REPO / "hooks"))

from synthetic import Shape, write_project  # noqa: E402

from compliance.model.data import ComplianceData, load_compliance_data  # noqa: E402
from compliance.options import read_options  # noqa: E402
from compliance.render.pages import PageRenderer  # noqa: E402
from compliance.render.plan import (  # noqa: E402
    CLAIMS_INDEX_TEMPLATE,
    SitePlan,
    export_schema_text,
    export_text,
    page_base,
)
from compliance.render.siteconfig import MATRIX_PAGE, site_settings  # noqa: E402
from compliance.render.trustsite import TrustSite  # noqa: E402

TODAY = date(2026, 11, 28)


def make_projects(root: Path, shape: Shape) -> dict[str, Path]:
    """{variant: its mkdocs.yml} for `shape`, all under `root`."""
    hooks = write_project(root / "hooks", shape)
    # As for the builds (measure.ENV): the large shapes are far over the editors' file size limit.
    limits = read_options({"max_file_size": "1000M"}).limits
    data = load_compliance_data(hooks, hooks / "data", hooks / "docs", today=TODAY, limits=limits)
    static = _static_project(hooks, root / "static", data)
    macros = _macros_project(hooks, root / "macros", static, data)
    return {"hooks": hooks / "mkdocs.yml", "static": static / "mkdocs.yml", "macros": macros / "mkdocs.yml"}


def _static_config(source: Path, data: ComplianceData, plan: SitePlan, renderer: PageRenderer) -> dict[str, Any]:
    """mkdocs.yml without hooks, with what the hooks would set (name, logo, navigation, footer) written in."""
    config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    settings = site_settings(data, plan)
    config["site_name"] = settings.name
    if settings.description:
        config["site_description"] = settings.description
    if settings.logo:
        config["theme"]["logo"] = config["theme"]["favicon"] = settings.logo
    config["nav"] = settings.navigation(config["nav"])
    footer = source / "overrides" / "partials" / "compliance-footer.html"
    if footer.exists():  # the footer the hooks render from data for the theme (see compliance_hooks.on_config)
        config.setdefault("extra", {})["compliance"] = {
            "footer": str(renderer.render_partial("partials/compliance-footer.html", "footer")),
            "downloads": settings.downloads,
            "pages": settings.footer_pages,
            "feed": None,
            "not_found": settings.not_found,
            "print_words": settings.print_words,
            "made_by_hooks": True,  # the pages were made by our renderer: the theme's guard lets them through
        }
    return config


def _static_project(source: Path, dest: Path, data: ComplianceData) -> Path:
    plan = SitePlan(directory_urls=True)
    docs = dest / "docs"
    shutil.copytree(source / "docs", docs, ignore=shutil.ignore_patterns("_templates"))
    shutil.copytree(source / "overrides", dest / "overrides")
    renderer = PageRenderer(data, source, [source / "docs", source / "overrides"], plan)
    pages = {name: ((source / "docs" / name).read_text(encoding="utf-8"), None) for name in ("index.md", MATRIX_PAGE)}
    claim_template = (source / "docs" / "_templates" / "claim.md").read_text(encoding="utf-8")
    for claim in data.document.claims:
        pages[plan.claim_page(claim.id)] = (claim_template, claim)
    if data.document.claims:  # the claims index, the navigation's one entry for every claim
        index_template = (source / "docs" / CLAIMS_INDEX_TEMPLATE).read_text(encoding="utf-8")
        pages[plan.claims_index_page()] = (index_template, None)
    for trust_page in TrustSite(data.document, plan).pages():
        template = (source / "docs" / "_templates" / f"{trust_page}.md").read_text(encoding="utf-8")
        pages[f"{trust_page}.md"] = (template, None)
    for name, (text, claim) in pages.items():
        url = "" if name == "index.md" else name.removesuffix(".md") + "/"
        out = docs / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(renderer.render(text, source / "docs" / name, {"base": page_base(url), "claim": claim}))
    (docs / plan.export_file()).write_text(export_text(data, plan), encoding="utf-8")
    (docs / plan.export_schema_file()).write_text(export_schema_text(), encoding="utf-8")
    config = _static_config(source, data, plan, renderer)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


def _macros_project(source: Path, dest: Path, static: Path, data: ComplianceData) -> Path:
    """The static project's assets and settings, with templates that macros renders during the build."""
    shutil.copytree(static, dest)
    shutil.copytree(source / "data", dest / "data")
    (dest / "templates").mkdir()
    shutil.copy2(MACROS / "partials.html", dest / "templates" / "partials.html")
    shutil.copy2(MACROS / "main.py", dest / "main.py")
    docs = dest / "docs"
    for name in ("index.md", MATRIX_PAGE, *(f"{page}.md" for page in TrustSite(data.document, SitePlan()).pages())):
        shutil.copy2(MACROS / name, docs / name)
    claim_template = (MACROS / "claim.md").read_text(encoding="utf-8")
    for claim in data.document.claims:
        text = f'{{% set CLAIM_ID = "{claim.id}" %}}\n{claim_template}'
        (docs / SitePlan().claim_page(claim.id)).write_text(text, encoding="utf-8")
    config = yaml.safe_load((dest / "mkdocs.yml").read_text(encoding="utf-8"))
    files = sorted(f"data/{path.name}" for path in (dest / "data").glob("*.yml"))
    config["plugins"] = [
        *config.get("plugins", []),
        {"macros": {"include_yaml": files, "include_dir": str(dest / "templates"), "module_name": "main"}},
    ]
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest
