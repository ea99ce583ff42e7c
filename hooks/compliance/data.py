"""Load every data/*.yml file into one validated, cross-referenced compliance model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ComplianceError, Location, Problem, format_path
from .schema import load_schema, schema_problems, suggest
from .yamlload import DataPath, SourceMap, load_yaml_file

SCHEMA_FILE = Path("schema") / "compliance.schema.json"

# (list holding the ids, what the list holds) for each kind of reference.
_ID_LISTS: dict[str, tuple[DataPath, str]] = {
    "standard": (("standards",), "standard"),
    "body": (("bodies",), "standards body"),
    "certification": (("certifications",), "certification"),
    "regulation": (("regulations",), "regulation"),
    "provider": (("hosting", "providers"), "hosting provider"),
    "offering": (("organisation", "offerings"), "offering"),
}


@dataclass(frozen=True)
class ComplianceData:
    """The merged data document and where each of its values was written."""

    document: dict[str, Any]
    sources: SourceMap

    def items(self, kind: str) -> list[dict[str, Any]]:
        """All entries of a kind ('standard', 'provider', ...) in file order."""
        node: Any = self.document
        for key in _ID_LISTS[kind][0]:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, list) else []

    def lookup(self, kind: str, ident: str) -> dict[str, Any]:
        """The entry of `kind` with id `ident` (validation guarantees it exists)."""
        for item in self.items(kind):
            if item.get("id") == ident:
                return item
        raise KeyError(f"no {kind} with id {ident!r}")


def load_compliance_data(project_dir: Path, data_dir: Path, docs_dir: Path) -> ComplianceData:
    """Load, merge and validate `data_dir/*.yml`; raise ComplianceError listing every problem."""
    problems: list[Problem] = []
    document: dict[str, Any] = {}
    sources = SourceMap()
    files = sorted(data_dir.glob("*.yml")) + sorted(data_dir.glob("*.yaml"))
    if not files:
        raise ComplianceError([Problem(Location(_display(project_dir, data_dir), 1, 1), "no *.yml data files")])
    syntax_failed = False
    for path in files:
        name = _display(project_dir, path)
        value, file_sources, file_problems = load_yaml_file(path, name)
        problems.extend(file_problems)
        syntax_failed |= value is None and bool(file_problems)
        if value is None and not file_problems:
            problems.append(Problem(Location(name, 1, 1), "the file is empty; expected a mapping of keys"))
        elif value is not None and not isinstance(value, dict):
            problems.append(Problem(file_sources.value(()), "expected a mapping of top-level keys"))
        elif value is not None:
            for key in value:
                if key in document:
                    first = sources.key((key,))
                    problems.append(
                        Problem(file_sources.key((key,)), f"'{key}' is already defined in {first}", key)
                    )
            for key, item in value.items():
                document.setdefault(key, item)
            sources.update(file_sources)
    if not syntax_failed:
        schema = load_schema(data_dir / SCHEMA_FILE)
        schema_errors = schema_problems(document, schema, sources)
        problems.extend(schema_errors)
        data = ComplianceData(document, sources)
        if not schema_errors:
            problems.extend(_reference_problems(data))
            problems.extend(_image_problems(data, project_dir, docs_dir))
    if problems:
        raise ComplianceError(problems)
    return ComplianceData(document, sources)


def _display(project_dir: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _references(doc: dict[str, Any]) -> Iterator[tuple[DataPath, str, Any]]:
    """(path, kind, id) for every place one entry names another."""
    org, hosting = doc["organisation"], doc["hosting"]
    yield from _each(("organisation", "built_on"), "standard", org.get("built_on", []))
    yield from _each(("hosting", "certifications"), "standard", hosting.get("certifications", []))
    for i, section in enumerate(doc["guide"]["sections"]):
        for kind in ("regulation", "certification"):
            if kind in section:
                yield ("guide", "sections", i, kind), kind, section[kind]
    for i, standard in enumerate(doc["standards"]):
        if "body" in standard:
            yield ("standards", i, "body"), "body", standard["body"]
    for group in ("certifications", "regulations"):
        for i, claim in enumerate(doc[group]):
            if "standard" in claim:
                yield (group, i, "standard"), "standard", claim["standard"]
            scope = claim.get("scope", {})
            yield from _each((group, i, "scope", "offerings"), "offering", scope.get("offerings", []))
            yield from _each((group, i, "scope", "providers"), "provider", scope.get("providers", []))
            reports = claim.get("reports", {})
            yield from _each((group, i, "reports", "providers"), "provider", reports.get("providers", []))


def _each(path: DataPath, kind: str, ids: list[Any]) -> Iterator[tuple[DataPath, str, Any]]:
    for i, ident in enumerate(ids):
        yield (*path, i), kind, ident


def _reference_problems(data: ComplianceData) -> Iterator[Problem]:
    known: dict[str, list[str]] = {}
    for kind, (list_path, noun) in _ID_LISTS.items():
        seen: set[str] = set()
        for i, item in enumerate(data.items(kind)):
            if item["id"] in seen:
                where = (*list_path, i, "id")
                yield Problem(data.sources.value(where), f"duplicate {noun} id '{item['id']}'", format_path(where))
            seen.add(item["id"])
        known[kind] = [item["id"] for item in data.items(kind)]
    for path, kind, ident in _references(data.document):
        if ident not in known[kind]:
            noun = _ID_LISTS[kind][1]
            message = f"unknown {noun} '{ident}'{suggest(ident, known[kind])}"
            yield Problem(data.sources.value(path), message, format_path(path))


def _images(node: Any, path: DataPath) -> Iterator[tuple[DataPath, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("image", "icon") and isinstance(value, dict):
                yield (*path, key), value
            else:
                yield from _images(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _images(value, (*path, i))


def _image_problems(data: ComplianceData, project_dir: Path, docs_dir: Path) -> Iterator[Problem]:
    for path, image in _images(data.document, ()):
        if not (docs_dir / image["src"]).is_file():
            where = (*path, "src")
            shown = _display(project_dir, docs_dir / image["src"])
            yield Problem(data.sources.value(where), f"image file not found: {shown}", format_path(where))
