"""The rules a build applies over the standards catalogue, and how much each one weighs (shared by every stage).

Each rule judges a claim against what is publicly known about its standard (catalogue/standards.yml and
an organisation's `catalogue:` in data/). Its level is an option (`rules:` under `extra: compliance:`):
`block` fails the build at the claim's line, `warn` reports it in the build log and in `make review`
without failing any build (strict ones included), `off` leaves it out. The defaults block what would
mislead a reader and warn about what the page already shows plainly.
"""

from __future__ import annotations

from typing import Literal

RuleLevel = Literal["block", "warn", "off"]

# Rule -> what it finds, in the words `make review` and handbook/dates-and-catalogue.md use.
RULES: dict[str, str] = {
    "withdrawn_edition": "a claim marked current against an edition that can no longer be current",
    "no_certification": "a certification of a standard for which no certification exists",
    "stale_report": "a current report whose period ended longer ago than the standard's freshness window",
    "certificate_age": "a current certificate older than the standard's certification cycle, or said to last longer",
    "undated_status": "a status stated with no date it rests on",
}

DEFAULT_LEVELS: dict[str, RuleLevel] = {
    "withdrawn_edition": "block",
    "no_certification": "block",
    "stale_report": "block",
    "certificate_age": "block",
    # The page says "no date stated" beside such a status, so it misleads nobody; `make review` lists it.
    "undated_status": "warn",
}
