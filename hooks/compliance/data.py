"""Load every data/*.yml file into one validated, cross-referenced compliance model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ComplianceError, Location, Problem, display_path, format_path
from .schema import load_schema, schema_problems, suggest
from .yamlload import DataPath, SourceMap, load_yaml_file, walk

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
        node = _field(self.document, *_ID_LISTS[kind][0])
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
        raise ComplianceError([Problem(Location(display_path(project_dir, data_dir), 1, 1), "no *.yml data files")])
    syntax_failed = False
    for path in files:
        name = display_path(project_dir, path)
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
                    problems.append(Problem(file_sources.key((key,)), f"'{key}' is already defined in {first}", key))
            for key, item in value.items():
                document.setdefault(key, item)
            sources.update(file_sources)
    if not syntax_failed:
        schema = load_schema(data_dir / SCHEMA_FILE)
        sources.values[()] = Location(display_path(project_dir, data_dir), 1, 1)
        for problem in schema_problems(document, schema, sources):
            if problem.location == sources.values[()] and problem.path:
                # A whole top-level section is missing: point at the file it belongs in.
                file = f"{display_path(project_dir, data_dir)}/{problem.path.split('.')[0]}.yml"
                problem = Problem(Location(file, 1, 1), problem.message, problem.path)
            problems.append(problem)
        data = ComplianceData(document, sources)
        problems.extend(_reference_problems(data))
        problems.extend(_image_problems(data, project_dir, docs_dir))
    if problems:
        raise ComplianceError(problems)
    return ComplianceData(document, sources)


def _field(node: Any, *keys: str | int) -> Any:
    """`node[k1][k2]...`, or None where the data has another shape (reported by the schema)."""
    for key in keys:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _entries(node: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, item) for i, item in enumerate(node) if isinstance(item, dict)] if isinstance(node, list) else []


def _references(doc: dict[str, Any]) -> Iterator[tuple[DataPath, str, Any]]:
    """(path, kind, id) for every place one entry names another."""
    yield from _each(doc, ("organisation", "built_on"), "standard")
    yield from _each(doc, ("hosting", "certifications"), "standard")
    for i, section in _entries(_field(doc, "guide", "sections")):
        for kind in ("regulation", "certification"):
            if kind in section:
                yield ("guide", "sections", i, kind), kind, section[kind]
    for i, standard in _entries(doc.get("standards")):
        if "body" in standard:
            yield ("standards", i, "body"), "body", standard["body"]
    for group in ("certifications", "regulations"):
        for i, claim in _entries(doc.get(group)):
            if "standard" in claim:
                yield (group, i, "standard"), "standard", claim["standard"]
            yield from _each(doc, (group, i, "scope", "offerings"), "offering")
            yield from _each(doc, (group, i, "scope", "providers"), "provider")
            yield from _each(doc, (group, i, "reports", "providers"), "provider")


def _each(doc: dict[str, Any], path: DataPath, kind: str) -> Iterator[tuple[DataPath, str, Any]]:
    ids = _field(doc, *path)
    for i, ident in enumerate(ids if isinstance(ids, list) else []):
        yield (*path, i), kind, ident


def _reference_problems(data: ComplianceData) -> Iterator[Problem]:
    known: dict[str, list[str]] = {}
    for kind, (list_path, noun) in _ID_LISTS.items():
        known[kind] = []
        for i, item in _entries(data.items(kind)):
            ident = item.get("id")
            if ident in known[kind]:
                where = (*list_path, i, "id")
                yield Problem(data.sources.value(where), f"duplicate {noun} id '{ident}'", format_path(where))
            if isinstance(ident, str):
                known[kind].append(ident)
    for path, kind, ident in _references(data.document):
        if isinstance(ident, str) and ident not in known[kind]:
            noun = _ID_LISTS[kind][1]
            message = f"unknown {noun} '{ident}'{suggest(ident, known[kind])}"
            yield Problem(data.sources.value(path), message, format_path(path))


def _image_problems(data: ComplianceData, project_dir: Path, docs_dir: Path) -> Iterator[Problem]:
    images = ((p, v) for p, v in walk(data.document) if p and p[-1] in ("image", "icon") and isinstance(v, dict))
    for path, image in images:
        src = image.get("src")
        # Paths the schema rejects (absolute, '..') are reported there, not probed here.
        probeable = isinstance(src, str) and src and not src.startswith("/") and ".." not in src
        if probeable and not (docs_dir / src).is_file():
            where = (*path, "src")
            shown = display_path(project_dir, docs_dir / src)
            yield Problem(data.sources.value(where), f"image file not found: {shown}", format_path(where))
