"""The standards catalogue a build applies: the shipped file, with the organisation's entries over it.

`catalogue/standards.yml` (beside mkdocs.yml) holds what is publicly known about common standards;
`catalogue:` in the organisation's data adds standards and overrides facts, field by field (an edition
by its name). A standard in standards.yml is the catalogue entry its `catalogue:` names, or else the
one of its own id; a standard the catalogue does not know is judged by no rule.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import Location, Problem, display_path, format_path
from ..limits import Limits
from ..load.sourcemap import SourceMap
from ..load.yamlload import load_yaml_file
from ..suggest import suggest
from .catalogue import CatalogueEntry, CatalogueFile, EditionFacts, edition_key
from .document import ComplianceDocument
from .entries import Standard
from .refs import walk_model
from .schema import explain_errors
from .values import UrlText

CATALOGUE_FILE = "catalogue/standards.yml"


class Catalogue:
    """The catalogue's entries by id, after the organisation's overrides."""

    def __init__(
        self, entries: dict[str, CatalogueEntry] | None = None, links: list[tuple[str, Location, str]] | None = None
    ) -> None:
        self.entries = entries or {}
        # The shipped file's source URLs, where each is written: pages link them, and links are checked.
        self.links = links or []

    def entry_for(self, standard: Standard) -> CatalogueEntry | None:
        """What the catalogue knows about `standard`, or None."""
        return self.entries.get(standard.catalogue or standard.id)

    def edition(self, standard: Standard, written: str | None) -> EditionFacts | None:
        """The catalogue's facts about the edition a claim names, matched by name or alias."""
        entry = self.entry_for(standard)
        if entry is None or written is None:
            return None
        key = edition_key(written)
        for facts in entry.editions:
            if key in (edition_key(name) for name in (facts.edition, *facts.aliases)):
                return facts
        return None


def load_catalogue(
    project_dir: Path, document: ComplianceDocument, sources: SourceMap, limits: Limits
) -> tuple[Catalogue, list[Problem]]:
    """The shipped catalogue with the data's `catalogue:` over it, and every problem with either."""
    path = project_dir / CATALOGUE_FILE
    shown = display_path(project_dir, path)
    problems: list[Problem] = []
    shipped: list[CatalogueEntry] = []
    links: list[tuple[str, Location, str]] = []
    if not path.is_file():
        message = "the standards catalogue is missing; restore it from the project (it may hold no entries)"
        problems.append(Problem(Location(shown, 1, 1), message))
    else:
        value, file_sources, problems = load_yaml_file(path, shown, limits)
        if value is not None:
            try:
                parsed = CatalogueFile.model_validate(value)
                shipped = parsed.catalogue
                for where, url in walk_model(parsed):
                    if isinstance(url, UrlText):
                        links.append((str(url), file_sources.value(where), format_path(where)))
            except ValidationError as exc:
                problems += explain_errors(exc, file_sources)
            problems += _duplicates(shipped, file_sources)
    entries = {entry.id: entry for entry in shipped}
    problems += _duplicates(document.catalogue, sources)
    for entry in document.catalogue:
        base = entries.get(entry.id)
        entries[entry.id] = entry if base is None else _override(base, entry)
    for i, standard in enumerate(document.standards):
        if standard.catalogue is not None and standard.catalogue not in entries:
            where = ("standards", i, "catalogue")
            hint = suggest(standard.catalogue, sorted(entries))
            message = f"unknown catalogue entry '{standard.catalogue}'{hint} (add it under catalogue: in the data)"
            problems.append(Problem(sources.value(where), message, format_path(where)))
    return Catalogue(entries, links), problems


def _override(base: CatalogueEntry, own: CatalogueEntry) -> CatalogueEntry:
    """`base` with every field `own` sets replaced; editions replaced one by one, by name."""
    changes = {name: getattr(own, name) for name in own.model_fields_set if name not in ("id", "editions")}
    editions = list(base.editions)
    for edition in own.editions:
        # The same edition however it is written: its name or any alias of either.
        names = _names(edition)
        same = next((i for i, known in enumerate(editions) if names & _names(known)), None)
        if same is None:
            editions.append(edition)
        else:
            editions[same] = edition
    return base.model_copy(update={**changes, "editions": editions})


def _names(edition: EditionFacts) -> set[str]:
    return {edition_key(name) for name in (edition.edition, *edition.aliases)}


def _duplicates(entries: list[CatalogueEntry], sources: SourceMap) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, entry in enumerate(entries):
        if entry.id in seen:
            where = ("catalogue", i, "id")
            message = f"duplicate catalogue entry '{entry.id}'"
            problems.append(Problem(sources.value(where), message, format_path(where)))
        seen.add(entry.id)
    return problems
