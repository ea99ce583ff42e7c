"""The compliance matrix's facts: each claim against the offerings and providers it covers.

A cell is "yes" only where the claim names that offering (or provider) or says `all`, and "no" only
where it excludes it; one its list leaves out is "not listed", and a claim that says nothing about
offerings (or providers) is "not stated". Columns no claim fills are left out. The template
(`overrides/partials/matrix.html`) makes each column's four possible cells once and lays out the
verdicts; they are decided here, once per cell, by id, rather than by the sandbox comparing whole
entries for each of (claims x columns) cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar

from ..model.document import ComplianceDocument
from ..model.entries import Claim, Offering, Provider

Verdict = Literal["yes", "no", "unstated", "unlisted"]
_Column = TypeVar("_Column", Offering, Provider)


@dataclass(frozen=True)
class MatrixRow:
    """One claim's row: for each column (the offerings', then the providers'), its place and the claim's verdict."""

    claim: Claim
    cells: list[tuple[int, Verdict]]


@dataclass(frozen=True)
class ScopeMatrix:
    """The matrix's columns (empty where no claim states that kind of scope) and its rows, in claim order."""

    offerings: list[Offering]
    providers: list[Provider]
    rows: list[MatrixRow]


def scope_matrix(document: ComplianceDocument) -> ScopeMatrix:
    """The matrix of `document`'s claims against its offerings and providers."""
    claims = document.claims
    offerings = list(document.organisation.offerings) if any(c.scope.offerings is not None for c in claims) else []
    providers = list(document.hosting.providers) if any(c.scope.providers is not None for c in claims) else []
    rows = []
    for claim in claims:
        excludes = claim.scope.excludes
        verdicts = _verdicts(offerings, claim.scope.offerings, excludes.offerings if excludes else [])
        verdicts += _verdicts(providers, claim.scope.providers, excludes.providers if excludes else [])
        rows.append(MatrixRow(claim, list(enumerate(verdicts))))
    return ScopeMatrix(offerings, providers, rows)


def _verdicts(columns: list[_Column], listed: str | list[_Column] | None, excluded: list[_Column]) -> list[Verdict]:
    """The claim's verdict for each column: a row at a time, since a large matrix has 100,000 cells."""
    verdicts: list[Verdict]
    if isinstance(listed, list):
        named = {entry.id for entry in listed}
        verdicts = ["yes" if column.id in named else "unlisted" for column in columns]
    else:  # `all`, or nothing said
        verdicts = ["unstated" if listed is None else "yes"] * len(columns)
    out = {entry.id for entry in excluded}
    if out:
        verdicts = ["no" if column.id in out else verdict for column, verdict in zip(columns, verdicts, strict=True)]
    return verdicts
