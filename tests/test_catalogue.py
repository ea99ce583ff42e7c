"""The standards catalogue: the shipped file, an organisation's overrides, and real builds it stops.

Builds run on copies of the project (the shipped data and the example organisation) with the stand-in
COMPLIANCE_TODAY of conftest, never the real date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_standing import CATALOGUE, GDPR, REVIEWED, SOC2, at, claim, iso, outcome, standing_project

from compliance.model.catalogueload import CATALOGUE_FILE
from compliance.model.data import load_compliance_data
from compliance.model.standing import status_basis
from compliance.policy import RULES
from conftest import FIXTURE_TODAY, REPO, copy_project, run_mkdocs

FACTS = ("certification", "certificate_validity", "report_freshness", "superseded")
EXAMPLE_CLAIMS = "examples/harborledger/data/claims.yml"
EXAMPLE_SOURCE = "https://trust.harborledger.example/policies/evidence-freshness"


# The shipped file ---------------------------------------------------------------------------------------


def test_the_shipped_catalogue_loads_whole_and_a_source_a_page_shows_is_a_link_at_its_line(tmp_path: Path) -> None:
    project = standing_project(tmp_path / "a", claim(*GDPR, REVIEWED))
    data = load_compliance_data(project, project / "data", project / "docs", today=date.fromisoformat(FIXTURE_TODAY))
    assert list(data.catalogue.entries) == list(CATALOGUE)
    assert [link for link in data.links if link.location.file == CATALOGUE_FILE] == []
    # A lapsed claim to ISO/IEC 27001:2013 rests on the edition's end, whose source its page links.
    project = standing_project(tmp_path / "b", claim(*iso("2013"), status="lapsed"))
    data = load_compliance_data(project, project / "data", project / "docs", today=date.fromisoformat(FIXTURE_TODAY))
    iaf = CATALOGUE["iso27001"]["editions"][0]["source"]
    line = (REPO / CATALOGUE_FILE).read_text(encoding="utf-8").splitlines().index(f"        source: {iaf}") + 1
    shown = [(link.url, str(link.location), link.field) for link in data.links if link.location.file == CATALOGUE_FILE]
    assert shown == [(iaf, f"{CATALOGUE_FILE}:{line}:17", "catalogue[0].editions[0].source")]


def test_every_fact_of_the_shipped_catalogue_names_an_https_source() -> None:
    unsourced = []
    for entry_id, entry in CATALOGUE.items():
        facts = [(fact, entry[fact]) for fact in FACTS if fact in entry]
        facts += [(f"editions[{edition['edition']}]", edition) for edition in entry.get("editions", [])]
        assert facts, f"{entry_id} states no fact"
        unsourced += [
            f"{entry_id}.{name}" for name, fact in facts if not str(fact.get("source")).startswith("https://")
        ]
    assert unsourced == []


# An organisation's catalogue over it ---------------------------------------------------------------------


def test_an_override_replaces_only_the_fields_it_sets(tmp_path: Path) -> None:
    own = (
        "catalogue:\n  - id: soc2\n    report_freshness:\n      months: 9\n"
        "      source: https://policy.example/freshness\n"
    )
    project = standing_project(tmp_path, claim(*SOC2), catalogue=own)
    data = load_compliance_data(project, project / "data", project / "docs")
    soc2 = data.catalogue.entries["soc2"]
    assert (soc2.name, soc2.report_freshness.months, str(soc2.report_freshness.source)) == (
        CATALOGUE["soc2"]["name"],
        9,
        "https://policy.example/freshness",
    )
    assert soc2.report_freshness.note is None  # the whole fact is the organisation's
    assert data.catalogue.entries["iso27001"].model_dump(mode="json", exclude_none=True) == CATALOGUE["iso27001"]
    # Fresh for 9 months after 2025-09-28: stale from 2026-06-29, naming the organisation's source.
    assert outcome(project, "2026-06-28") == ([], [])
    (problem,), _ = outcome(project, "2026-06-29")
    window = "fresh for 9 months after its period ends (source: https://policy.example/freshness), so until 2026-06-28;"
    assert window in problem


def test_an_edition_override_replaces_that_edition_by_name_and_keeps_the_others(tmp_path: Path) -> None:
    own = (
        "catalogue:\n  - id: iso27001\n    editions:\n      - edition: '2013'\n"
        "        current_until: '2026-12-31'\n        source: https://policy.example/iso\n"
    )
    project = standing_project(tmp_path, claim(*iso("2013"), 'issued: "2024-06-01"'), catalogue=own)
    data = load_compliance_data(project, project / "data", project / "docs")
    entry = data.catalogue.entries["iso27001"]
    assert [e.model_dump(mode="json", exclude_none=True) for e in entry.editions] == [
        {"edition": "2013", "aliases": [], "current_until": "2026-12-31", "source": "https://policy.example/iso"},
        CATALOGUE["iso27001"]["editions"][1],
    ]
    assert entry.certificate_validity.months == 36
    assert outcome(project, "2026-12-31") == ([], [])
    (problem,), _ = outcome(project, "2027-01-01")
    assert problem.endswith(
        "claims[0].standards[0].edition: claim 'iso' is current against ISO/IEC 27001 edition 2013, which no claim can "
        "be current against after 2026-12-31 (source: https://policy.example/iso); give the edition it holds now, "
        "or set `status: lapsed` [rule withdrawn_edition]"
    )


def test_an_edition_override_written_as_one_of_its_aliases_replaces_it(tmp_path: Path) -> None:
    own = (
        "catalogue:\n  - id: iso27001\n    editions:\n      - edition: 'ISO/IEC 27001:2013'\n"
        "        current_until: '2026-12-31'\n        source: https://policy.example/iso\n"
    )
    project = standing_project(tmp_path, claim(*iso("2013"), 'issued: "2024-06-01"'), catalogue=own)
    assert outcome(project, FIXTURE_TODAY) == ([], [])


def test_a_standard_names_an_organisation_s_own_entry(tmp_path: Path) -> None:
    own = "catalogue:\n  - id: seal\n    certification: {exists: false, source: https://seal.example/faq}\n"
    standards = "standards:\n  - {id: trust-seal, name: Trust Seal, catalogue: seal}\n"
    seal = claim("seal", "certification", "{standard: trust-seal}", REVIEWED)
    project = standing_project(tmp_path, seal, catalogue=own, standards=standards)
    assert outcome(project, FIXTURE_TODAY)[0] == [
        f"{at(project, 'kind: ')}: claims[0].kind: claim 'seal' is a certification of Trust Seal, but no certification "
        "of it exists (source: https://seal.example/faq); change its kind to regulation, attestation, alignment or "
        "self_assessment, as the source states it [rule no_certification]"
    ]


# What is refused ----------------------------------------------------------------------------------------


def test_a_fact_without_its_source_is_refused_at_its_line(tmp_path: Path) -> None:
    own = "catalogue:\n  - id: soc2\n    report_freshness:\n      months: 9\n"
    project = standing_project(tmp_path / "a", claim(*GDPR, REVIEWED), catalogue=own)
    assert outcome(project, FIXTURE_TODAY) == (
        ["data/catalogue.yml:4:7: catalogue[0].report_freshness.source: required field is missing"],
        [],
    )
    project = standing_project(tmp_path / "b", claim(*GDPR, REVIEWED))
    shipped = project / CATALOGUE_FILE
    text = shipped.read_text(encoding="utf-8")
    sourced_line = "      source: https://www.ispartnersllc.com/blog/soc-2-report-validity/\n"
    shipped.write_text(text.replace(sourced_line, "", 1), encoding="utf-8")
    months = text.splitlines().index("  - id: soc1") + 4  # the fact's first line: `months: 12`
    assert outcome(project, FIXTURE_TODAY) == (
        [f"{CATALOGUE_FILE}:{months}:7: catalogue[2].report_freshness.source: required field is missing"],
        [],
    )


def test_an_unknown_catalogue_entry_is_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    standards = "standards:\n  - id: gdpr\n    name: GDPR\n    catalogue: iso2701\n"
    project = standing_project(tmp_path, claim(*GDPR, REVIEWED), standards=standards)
    assert outcome(project, FIXTURE_TODAY) == (
        [
            f"{at(project, 'catalogue: ', 'standards')}: standards[0].catalogue: unknown catalogue entry 'iso2701'; "
            "did you mean 'iso27001'? (add it under catalogue: in the data)"
        ],
        [],
    )


def test_a_duplicate_entry_of_the_organisation_is_refused(tmp_path: Path) -> None:
    own = "catalogue:\n  - id: hipaa\n    name: HIPAA\n  - id: hipaa\n    name: HIPAA again\n"
    project = standing_project(tmp_path, claim(*GDPR, REVIEWED), catalogue=own)
    assert outcome(project, FIXTURE_TODAY) == (
        ["data/catalogue.yml:4:9: catalogue[1].id: duplicate catalogue entry 'hipaa'"],
        [],
    )


def test_a_missing_catalogue_is_one_clear_error(tmp_path: Path) -> None:
    project = standing_project(tmp_path, claim(*GDPR, REVIEWED))
    (project / CATALOGUE_FILE).unlink()
    assert outcome(project, FIXTURE_TODAY) == (
        [
            f"{CATALOGUE_FILE}:1:1: the standards catalogue is missing; restore it from the project "
            "(it may hold no entries)"
        ],
        [],
    )


# Real strict builds: the "Done when" -------------------------------------------------------------


def _edited(tmp_path: Path, file: str, old: str, new: str, dataset: str | None = None) -> tuple[Path, int]:
    """A copy of the project (with a fixture `dataset` as data/ if named) with `old` replaced by `new` (once)
    in `file`, and the line its last line is on."""
    project = copy_project(tmp_path / "project", dataset)
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return project, text[: text.index(old)].count("\n") + 1 + old.count("\n")


def _with_rules(project: Path, rules: str) -> int:
    """Set `rules:` in the example's config (mkdocs.example.yml); the line of its last rule."""
    path, data_dir = project / "mkdocs.example.yml", "    data_dir: examples/harborledger/data\n"
    text = path.read_text(encoding="utf-8")
    assert text.count(data_dir) == 1
    path.write_text(text.replace(data_dir, f"{data_dir}    rules:\n{rules}"), encoding="utf-8")
    return text[: text.index(data_dir)].count("\n") + 1 + (f"    rules:\n{rules}").count("\n")


def _failure(result: Any) -> str:
    assert result.returncode == 1, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "[rule " in line]
    return line


def test_done_when_a_soc2_report_period_ended_14_months_ago(tmp_path: Path) -> None:
    old = 'report_period: {start: "2025-10-01", end: "2026-09-30"}'
    project, line = _edited(tmp_path, EXAMPLE_CLAIMS, old, 'report_period: {start: "2024-09-29", end: "2025-09-28"}')
    found = _failure(run_mkdocs(project, config="mkdocs.example.yml"))
    assert re.match(rf"{EXAMPLE_CLAIMS}:{line}:\d+: claims\[1\]\.report_period\.end: claim 'soc2': ", found), found
    assert f"(Harbor Ledger's evidence policy, agreed with its enterprise customers; source: {EXAMPLE_SOURCE})" in found
    assert found.endswith("or set `status: lapsed` [rule stale_report]")


def test_done_when_an_iso27001_claim_names_edition_2013(tmp_path: Path) -> None:
    project, line = _edited(tmp_path, EXAMPLE_CLAIMS, 'edition: "2022"', 'edition: "2013"')
    found = _failure(run_mkdocs(project, config="mkdocs.example.yml"))
    source = CATALOGUE["iso27001"]["editions"][0]["source"]
    assert found.startswith(f"{EXAMPLE_CLAIMS}:{line}:18: claims[0].standards[0].edition: claim 'iso27001' is current")
    assert f"after 2025-10-31: {CATALOGUE['iso27001']['editions'][0]['note']} (source: {source});" in found


def test_done_when_hipaa_is_called_a_certification(tmp_path: Path) -> None:
    # The guide's fixture copy of the shipped data: the shipped data/ is the editor's to change.
    hipaa = ("- id: hipaa\n    kind: regulation", "- id: hipaa\n    kind: certification")
    project, line = _edited(tmp_path, "data/claims.yml", *hipaa, dataset="guide")
    found = _failure(run_mkdocs(project))
    facts = CATALOGUE["hipaa"]["certification"]
    assert found.startswith(f"data/claims.yml:{line}:11: claims[1].kind: claim 'hipaa' is a certification of HIPAA")
    assert f"(source: {facts['source']}); change its kind to regulation" in found


# Levels in mkdocs.yml, in real strict builds ------------------------------------------------------------

STALE_SOC2 = (
    'report_period: {start: "2025-10-01", end: "2026-09-30"}',
    'report_period: {start: "2024-09-29", end: "2025-09-28"}',
)


@pytest.mark.parametrize("level", ["warn", "off"])
def test_a_rule_set_to_warn_or_off_never_fails_a_strict_build(tmp_path: Path, level: str) -> None:
    project, _ = _edited(tmp_path, EXAMPLE_CLAIMS, *STALE_SOC2)
    _with_rules(project, f"      stale_report: {level}\n")
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    logged = [line for line in result.stderr.splitlines() if "compliance rule stale_report" in line]
    shown = f"INFO    -  compliance rule stale_report (warn): {RULES['stale_report']}, for soc2; make review lists each"
    assert logged == ([shown] if level == "warn" else [])


def test_an_unknown_rule_in_the_config_stops_the_build_in_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    line = _with_rules(project, "      stale_reports: warn\n")
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"ERROR   -  mkdocs.example.yml:{line}:7: extra.compliance.rules.stale_reports: unknown option; "
        "did you mean 'stale_report'?"
    ]


# compliance.json: what each status rests on ---------------------------------------------------------------


def _rests_on(site: Path, data_dir: str) -> dict[str, Any]:
    """Each claim's `status_rests_on` in the published export, after validating it against its schema."""
    export = json.loads((site / "compliance.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "compliance.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(export)
    for wrong in (
        {"fact": "guessed", "date": "2026", "source": None},
        {"fact": "issued", "date": "soon", "source": None},
    ):
        broken = {**export, "claims": [{**export["claims"][0], "status_rests_on": wrong}]}
        assert not jsonschema.Draft202012Validator(schema).is_valid(broken)
    project = site.parent
    data = load_compliance_data(project, project / data_dir, project / "docs")
    for claim_data, entry in zip(export["claims"], data.document.claims, strict=True):
        basis = status_basis(entry, data.catalogue)
        expected = basis and {"fact": basis.fact, "date": basis.date.isoformat(), "source": basis.source}
        assert (claim_data["id"], claim_data["status_rests_on"]) == (entry.id, expected)
    return {claim_data["id"]: claim_data["status_rests_on"] for claim_data in export["claims"]}


def test_the_guides_export_says_what_each_status_rests_on(built_site: Path) -> None:
    rests_on = _rests_on(built_site, "data")
    iaf = CATALOGUE["iso27001"]["editions"][0]["source"]
    assert rests_on["iso27001"] == {"fact": "edition_until", "date": "2025-10-31", "source": iaf}
    page = (built_site / "claims/iso27001/index.html").read_text(encoding="utf-8")
    assert f'href="{iaf}"' in page and '<time datetime="2025-10-31">' in page  # its page links the source
    assert (rests_on["hipaa"], rests_on["soc2"]) == (None, None)


def test_the_example_s_export_says_what_each_status_rests_on(example_site: Path) -> None:
    rests_on = _rests_on(example_site, "examples/harborledger/data")
    assert rests_on["soc2"] == {"fact": "period_end", "date": "2026-09-30", "source": None}
    assert rests_on["pci"] == {"fact": "expected", "date": "2027-05-01", "source": None}
    assert rests_on["csa-star"] == {"fact": "valid_until", "date": "2024-02-01", "source": None}
