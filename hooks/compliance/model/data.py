"""Load every data file into one validated, resolved compliance model, or report every problem at once."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ComplianceError, Location, Problem, display_path, format_path
from ..limits import Limits
from ..load.datafiles import read_data_files
from ..load.docsfiles import docs_problems
from ..load.yamlload import DataPath, SourceMap
from ..policy import DEFAULT_LEVELS
from ..suggest import SUGGESTIONS
from .catalogueload import Catalogue, load_catalogue
from .checks import consistency_problems, date_problems, kind_problems
from .colours import look_problems
from .document import ComplianceDocument
from .entries import Claim, Image
from .localise import MissingTranslation, localise, mark_untranslated
from .printable import print_problems
from .prose.problems import prose_problems
from .refs import Index, index_entries, resolve_references, walk_model
from .schema import parse_document
from .standing import Finding, StatusBasis, standing_findings, status_basis
from .trust import trust_problems
from .values import UrlText


@dataclass(frozen=True)
class DataLink:
    """A URL readers can follow, and the YAML place it was written (a URL field or a link in prose)."""

    url: str
    location: Location
    field: str


@dataclass(frozen=True)
class ComplianceData:
    """The typed model, where each of its values was written, entries by id, and every URL in the data."""

    document: ComplianceDocument
    sources: SourceMap
    index: Index
    links: tuple[DataLink, ...]
    catalogue: Catalogue = field(default_factory=Catalogue)
    # Findings of the catalogue's rules that apply and are set to `warn`: the build reports them.
    notices: tuple[Finding, ...] = ()
    # What each claim's status rests on, by claim id, worked out once per load (standing.py).
    bases: Mapping[str, StatusBasis | None] = field(default_factory=dict)
    # The language these words are in, the data's default one and the others it declares (localise.py).
    language: str = "en"
    default_language: str = "en"
    other_languages: tuple[str, ...] = ()
    # Words shown in the default language for want of a translation into this one.
    missing: tuple[MissingTranslation, ...] = ()

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the site is published in, the default first."""
        return (self.default_language, *self.other_languages)

    def basis(self, claim: Claim) -> StatusBasis | None:
        """The date `claim`'s status rests on, or None where the data gives none; a claim not loaded
        here (a model changed after loading) is worked out from the catalogue."""
        if claim.id in self.bases:
            return self.bases[claim.id]
        return status_basis(claim, self.catalogue)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while loading: the load makes hundreds of thousands of objects
    that all live on, and every collection would walk them in vain (40 % of loading 10k claims).

    After a load that succeeds, what the process holds is frozen (`gc.freeze`): the model lives for
    the whole build, and the collections that follow (the first, right after the load, took 0.3 s at
    10k claims; then each full one while pages render) would otherwise walk it again each time. The
    next load unfreezes them first, so under `mkdocs serve` the previous build's data is collected as
    usual once it is dropped; what a failed load leaves is collected at the next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    try:
        yield
        gc.freeze()  # not reached when the load raises
    finally:
        if was_enabled:
            gc.enable()


@collector_paused()
def load_compliance_data(
    project_dir: Path,
    data_dir: Path,
    docs_dir: Path,
    *,
    today: date | None = None,
    limits: Limits | None = None,
    debug: bool = False,
    docs_checked: bool = False,
    rules: Mapping[str, str] | None = None,
    for_print: bool = False,
    language: str | None = None,
    fallback_language: str = "en",
    theme_languages: Collection[str] | None = None,
) -> ComplianceData:
    """Load, merge, validate and resolve `data_dir/*.yml`; raise ComplianceError listing every problem.

    With `today`, dates are judged against it too: a claim whose valid-until date has passed (unless
    its status is lapsed), an in-progress claim whose expected date has passed, a date in the future.
    References and mentions are reported with structural errors, as far as they can be judged
    (salvage.py); the checks that need the whole model follow once the structure is valid.
    The files of `docs_dir` are checked with the data unless the caller has already (`docs_checked`).
    `for_print`: the build is for the PDF, whose fonts draw no emoji (printable.py).
    With `today`, the standards catalogue's rules are applied too, each at its level in `rules`
    (policy.py): a `block` finding is a problem, a `warn` one a notice of the result.
    `language`: the words of that language (None: the default one the data declares, or else
    `fallback_language`), with the tool's labels for it under the organisation's (localise.py);
    `theme_languages`: the tags the theme has words for, when known (a declared one outside them is refused).
    """
    limits = limits or Limits()
    SUGGESTIONS.reset(limits.suggestions)
    files = read_data_files(project_dir, data_dir, limits, debug=debug)
    problems = list(files.problems) + ([] if docs_checked else docs_problems(project_dir, docs_dir, limits))
    local = localise(
        files.document,
        files.sources,
        language,
        fallback=fallback_language,
        project_dir=project_dir,
        limits=limits,
        theme_languages=theme_languages,
    )
    problems += local.problems
    files.document, files.sources = local.document, local.sources
    document, schema_problems = parse_document(
        files.document, files.sources, incomplete=files.incomplete, limits=limits
    )
    for problem in schema_problems:
        problems.append(_at_its_file(problem, files.sources, display_path(project_dir, data_dir)))
    problems += kind_problems(files.document, files.sources)
    if document is None:
        # References and mentions that can still be judged are reported with the structural errors
        # (imported here: only a build whose data fails validation needs it).
        from .salvage import salvage_problems

        problems += [] if files.incomplete else salvage_problems(files.document, files.sources, project_dir, limits)
        raise _failure(problems, display_path(project_dir, data_dir))
    index, duplicates = index_entries(document, files.sources)
    problems += duplicates
    values = list(walk_model(document))  # walked once for references, images, URLs, prose and dates
    dangling = resolve_references(document, index, files.sources, values)
    # With a file unreadable, ids it defines look unknown: its own error is the one to fix first.
    problems += [] if files.incomplete else dangling
    problems += consistency_problems(document, files.sources)
    problems += _image_problems(values, files.sources, project_dir, docs_dir)
    problems += print_problems(values, files.sources) if for_print else []  # what the PDF cannot draw
    if files.incomplete:  # ids the unreadable file defines would make every mention of them look wrong
        raise _failure(problems, display_path(project_dir, data_dir))
    links = [DataLink(str(v), files.sources.value(p), format_path(p)) for p, v in values if isinstance(v, UrlText)]
    found, prose_links = prose_problems(values, files.sources, project_dir, (document, index, limits))
    problems += found
    links += [DataLink(url, where, field) for url, where, field in prose_links]
    problems += look_problems(document, files.sources)
    catalogue, found = load_catalogue(project_dir, document, files.sources, limits)
    problems += found
    # The catalogue's sources that pages link (a lapsed claim's edition end): checked with the site's links.
    bases = {claim.id: status_basis(claim, catalogue) for claim in document.claims}
    shown = {basis.source for basis in bases.values() if basis is not None}
    links += [DataLink(url, where, field) for url, where, field in catalogue.links if url in shown]
    notices: list[Finding] = []
    if today is not None:
        problems += date_problems(document, files.sources, today, values)
        levels = {**DEFAULT_LEVELS, **(rules or {})}
        for finding in standing_findings(document.claims, catalogue):
            level = levels[finding.rule]
            if level != "off" and finding.applies(today):
                if level == "block":
                    problems.append(finding_problem(finding, files.sources))
                else:
                    notices.append(finding)
    problems += trust_problems(document.contacts, document.updates, files.sources, today)
    if problems or dangling:
        raise _failure(problems, display_path(project_dir, data_dir))
    mark_untranslated(document, local.missing, local.default)
    return ComplianceData(
        document,
        files.sources,
        index,
        tuple(links),
        catalogue,
        tuple(notices),
        bases,
        local.language,
        local.default,
        local.others,
        tuple(local.missing),
    )


def finding_problem(finding: Finding, sources: SourceMap) -> Problem:
    """A finding of the catalogue's rules at its YAML place, naming the rule (its level is an option)."""
    return Problem(sources.value(finding.path), f"{finding.message} [rule {finding.rule}]", format_path(finding.path))


def _failure(problems: list[Problem], data_dir: str) -> ComplianceError:
    skipped = SUGGESTIONS.skipped_message()
    return ComplianceError([*problems, Problem(Location(data_dir, 1, 1), skipped)] if skipped else problems)


def _at_its_file(problem: Problem, sources: SourceMap, data_dir: str) -> Problem:
    # A whole top-level section is missing: point at the file it belongs in.
    if problem.path and "." not in problem.path and "[" not in problem.path and (problem.path,) not in sources.values:
        return Problem(Location(f"{data_dir}/{problem.path}.yml", 1, 1), problem.message, problem.path)
    return problem


def _image_problems(
    values: list[tuple[DataPath, Any]], sources: SourceMap, project_dir: Path, docs_dir: Path
) -> list[Problem]:
    problems = []
    root = project_dir.resolve()
    checked: dict[str, str | None] = {}  # a badge shared by many claims is looked up once
    for path, image in values:
        if not isinstance(image, Image):
            continue
        if image.src not in checked:
            file = docs_dir / image.src
            if not file.is_file():
                checked[image.src] = f"image file not found: {display_path(project_dir, file)}"
            elif not file.resolve().is_relative_to(root):
                checked[image.src] = (
                    f"image file links outside the project: {display_path(project_dir, docs_dir)}/{image.src}"
                )
            else:
                checked[image.src] = None
        message = checked[image.src]
        if message is not None:
            where = (*path, "src")
            problems.append(Problem(sources.value(where), message, format_path(where)))
    return problems
