"""The pages and files made from the data: one page per claim, the export and its schema."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..limits import Limits
from ..model.data import ComplianceData
from ..model.dates import DATE_PATTERN
from ..model.document import ComplianceDocument
from ..model.schema import with_limits
from ..model.standing import BASIS_FACTS
from .exportprose import prose_schema, render_prose
from .prose import ProseRenderer

EXPORT_FILE = "compliance.json"
EXPORT_SCHEMA_FILE = "compliance.schema.json"
CLAIM_TEMPLATE = "_templates/claim.md"
CLAIMS_INDEX_TEMPLATE = "_templates/claims.md"
EXPORT_VERSION: Literal[1] = 1
# What the export leaves out of the model: the site's own settings and words, and the standards catalogue.
_NOT_EXPORTED = ("guide", "labels", "catalogue", "languages")


# What the export adds to the model, declared once: `export_document` fills these models in and
# `export_schema` describes them from the same declarations.
class _Exported(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportHead(_Exported):
    version: Literal[1]
    # A site in several languages: the language of this export's words, and every language, the default
    # first (each has its own export, with the same facts). Left out for a site of one language.
    language: str | None = None
    languages: list[str] | None = None


class RestsOn(_Exported):
    """The date the status rests on and the fact that gives it (with the source of a catalogue date)."""

    fact: Annotated[str, Field(json_schema_extra={"enum": list(BASIS_FACTS)})]
    date: Annotated[str, Field(pattern=DATE_PATTERN)]
    source: str | None


class ClaimInExport(_Exported):
    page: str = Field(description="the claim's page, relative to the site root")
    status_rests_on: RestsOn | None = Field(
        description="the date the status rests on and the fact that gives it; null where the data gives none"
    )


@dataclass(frozen=True)
class SitePlan:
    """Where generated pages live; `directory_urls` mirrors MkDocs' `use_directory_urls`, `site_url` is
    where the site is published (prose links under it are links within the site)."""

    directory_urls: bool = True
    site_url: str | None = None

    def claim_page(self, claim_id: str) -> str:
        """The source path of a claim's generated page, relative to docs/."""
        return f"claims/{claim_id}.md"

    def claims_index_page(self) -> str:
        """The source path of the claims index, the one navigation entry for all claims."""
        return "claims/index.md"

    def claim_url(self, claim_id: str) -> str:
        """The URL of a claim's page, relative to the site root."""
        return f"claims/{claim_id}/" if self.directory_urls else f"claims/{claim_id}.html"

    def export_file(self) -> str:
        return EXPORT_FILE

    def export_schema_file(self) -> str:
        return EXPORT_SCHEMA_FILE

    def address(self, src_uri: str) -> str:
        """Where MkDocs publishes a file of docs/, as a file system that ignores case compares it:
        with directory URLs `faq.md`, `faq/index.md` and `FAQ/README.md` all publish `faq/`."""
        path = src_uri.lower()
        if not path.endswith(".md"):
            return path
        folder, name = posixpath.split(path.removesuffix(".md"))
        index = name in ("index", "readme")
        page = folder if index else posixpath.join(folder, name)
        if self.directory_urls:
            return f"{page}/"
        return posixpath.join(page, "index.html") if index else f"{page}.html"

    def clashes(self, written: list[str], generated: dict[str, str]) -> list[str]:
        """One line for each file of docs/ (`written`) at the address of a file the build generates
        (`generated`, each with what it is), which would replace it, or be replaced by it, unseen."""
        made = {self.address(src_uri): (src_uri, what) for src_uri, what in generated.items()}
        return [
            f"docs/{uri}: at the address of {made[at][1]} ({made[at][0]}), which the build makes from the data; "
            "rename or move it"
            for uri in written
            if (at := self.address(uri)) in made
        ]


def problems_page(problems: str) -> str:
    """The page a live preview shows while the data is invalid: every problem, escaped, as written."""
    return f'# Compliance data is invalid\n\n<pre class="compliance-problems">{escape(problems)}</pre>\n'


def page_base(url: str) -> str:
    """The relative path from a page's URL back to the site root: 'claims/soc2/' -> '../../'."""
    return "../" * url.count("/")


def export_document(data: ComplianceData, plan: SitePlan, prose: ProseRenderer | None = None) -> dict[str, Any]:
    """The machine-readable export: every fact of the model, ids for references, and each claim's page
    and what its status rests on (`status_rests_on`: null where the data gives no date for it)."""
    model = data.document.model_dump(mode="json", exclude=set(_NOT_EXPORTED))
    # Prose as the site shows it, its links absolute under the site's address (else relative to this file).
    prose = prose or ProseRenderer(data.document, data.index, plan.claim_url, site_url=plan.site_url)
    render_prose(data.document, model, prose, plan.site_url.rstrip("/") + "/" if plan.site_url else "")
    for claim, entry in zip(model["claims"], data.document.claims, strict=True):
        basis = data.basis(entry)
        rests_on = None if basis is None else RestsOn(fact=basis.fact, date=basis.date.isoformat(), source=basis.source)
        claim.update(ClaimInExport(page=plan.claim_url(entry.id), status_rests_on=rests_on).model_dump(mode="json"))
    # Each language's site has its own export, the same facts in its words: which language, and the others.
    several = len(data.languages) > 1
    head = ExportHead(
        version=EXPORT_VERSION,
        language=data.language if several else None,
        languages=list(data.languages) if several else None,
    )
    return {**head.model_dump(mode="json", exclude_none=True), **model}


def printed_entries(export: Mapping[str, Any]) -> int:
    """The entries the PDF prints, counted in the export (`export_document`, or a built site's
    compliance.json): claims, updates, FAQ questions, documents, subprocessors and controls."""

    def listed(value: Any, key: str | None = None) -> list[Any]:
        if key is not None:
            value = value.get(key) if isinstance(value, Mapping) else None
        return value if isinstance(value, list) else []

    areas = listed(export.get("controls"), "areas")
    return (
        len(listed(export.get("claims")))
        + len(listed(export.get("updates")))
        + len(listed(export.get("faq"), "questions"))
        + len(listed(export.get("documents"), "library"))
        + len(listed(export.get("subprocessors"), "processors"))
        + sum(len(listed(area, "controls")) for area in areas)
    )


def export_schema(limits: Limits | None = None) -> dict[str, Any]:
    """JSON Schema of `export_document`'s output, generated from the same model, with the build's `limits`."""
    schema = with_limits(ComplianceDocument.model_json_schema(mode="serialization"), limits)
    for name in _NOT_EXPORTED:
        schema["properties"].pop(name, None)
    schema["required"] = [r for r in schema.get("required", []) if r not in _NOT_EXPORTED]
    prose_schema(schema)
    _add_fields(schema, ExportHead, schema["$defs"])
    _add_fields(schema["$defs"]["Claim"], ClaimInExport, schema["$defs"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "Compliance claims export",
    }


def _add_fields(definition: dict[str, Any], model: type[BaseModel], defs: dict[str, Any]) -> None:
    """Add the fields of `model` to a schema `definition`, and what they refer to to `defs`."""
    part = model.model_json_schema(mode="serialization")
    defs.update(part.pop("$defs", {}))
    definition["properties"].update(part["properties"])
    definition["required"] = [*definition.get("required", []), *part.get("required", [])]


def export_text(data: ComplianceData, plan: SitePlan) -> str:
    return export_json(export_document(data, plan))


def export_json(export: Mapping[str, Any]) -> str:
    """compliance.json's text from `export_document`'s output."""
    return json.dumps(export, indent=2, ensure_ascii=False) + "\n"


def export_schema_text(limits: Limits | None = None) -> str:
    return json.dumps(export_schema(limits), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
