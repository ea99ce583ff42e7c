"""One build reports a structural error together with every reference and mention error still judgeable.

An editor who renames an id and breaks a value in the same change sees both in one build; an entry that
failed validation is never reported as "unknown" where others name it (that would only follow from its
own error, and vanish with it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, data_problems


def _edit(project: Path, file: str, old: str, new: str) -> None:
    path = project / "data" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", "guide")


def test_structural_reference_and_mention_errors_come_in_one_build(project: Path) -> None:
    # Structural: a standard whose url is a number, and a claim whose status is not a status.
    _edit(project, "standards.yml", "    name: ISO 27002\n", "    name: ISO 27002\n    url: 5\n")
    _edit(project, "claims.yml", "    title: HIPAA\n    status: current\n", "    title: HIPAA\n    status: yes\n")
    # In the claim that failed: an id renamed in the reference but not in standards.yml.
    _edit(project, "claims.yml", "      - standard: hipaa\n", "      - standard: hippa\n")
    # In a claim that validated: a misspelt mention, and a reference to a body that does not exist.
    _edit(project, "claims.yml", "[[provider:softlayer]] to safeguard", "[[provider:softlayr]] to safeguard")
    _edit(project, "standards.yml", "    name: ISAE 3402\n", "    name: ISAE 3402\n    body: iaasb\n")
    assert data_problems(project) == [
        "data/claims.yml:21:13: claims[1].status: expected one of current, in_progress, lapsed, got text 'yes'",
        "data/claims.yml:23:19: claims[1].standards[0].standard: unknown standard 'hippa'; did you mean 'hipaa'?",
        "data/claims.yml:87:48: claims[3].prose: unknown hosting provider 'softlayr'; did you mean 'softlayer'?",
        "data/standards.yml:18:10: standards[1].url: expected a URL whose scheme is https, http, ftp or mailto, "
        'got the number 5; quote it ("5") to write it as text',
        "data/standards.yml:31:11: standards[5].body: unknown standards body 'iaasb'; expected one of: aicpa, iso",
    ]


def test_an_entry_that_failed_validation_is_never_called_unknown(project: Path) -> None:
    # Claim 'hipaa' fails; the guide lists it in a section. Standard 'iso27001' fails; three claims cover
    # it and a claim's prose mentions its body. Neither may be reported as unknown anywhere.
    _edit(project, "claims.yml", "    title: HIPAA\n    status: current\n", "    title: HIPAA\n    status: yes\n")
    _edit(project, "standards.yml", "  - id: iso27001\n    name: ISO 27001\n", "  - id: iso27001\n    name: 27001\n")
    _edit(project, "guide.yml", "[[provider:amazon]]", "[[provider:amazon]] ([[claim:hipaa.title]])")
    _edit(project, "claims.yml", "[[organisation]] provides", "[[standard:iso27001.body]] [[organisation]] provides")
    problems = data_problems(project)
    assert problems == [
        "data/claims.yml:21:13: claims[1].status: expected one of current, in_progress, lapsed, got text 'yes'",
        "data/standards.yml:14:11: standards[0].name: expected non-blank text, got the number 27001; "
        'quote it ("27001") to write it as text',
    ]
    assert not [p for p in problems if "unknown" in p or "has no" in p]


def test_a_kind_with_an_unreadable_id_is_not_judged_but_others_are(project: Path) -> None:
    # With one standard's id unreadable, no reference to a standard can be called unknown: it may be
    # the one meant. Mentions of other kinds are still judged in the same build.
    _edit(project, "standards.yml", "  - id: iso27002\n", "  - id: ISO 27002\n")
    _edit(project, "claims.yml", "[[provider:softlayer]] to safeguard", "[[provider:softlayr]] to safeguard")
    assert data_problems(project) == [
        "data/claims.yml:87:48: claims[3].prose: unknown hosting provider 'softlayr'; did you mean 'softlayer'?",
        "data/standards.yml:16:9: standards[1].id: expected an id of lower-case letters, digits, '-' or '_', "
        "got text 'ISO 27002'",
    ]


def test_with_the_labels_broken_references_are_still_judged(project: Path) -> None:
    # Mentions are written in the labels' words, so they wait for labels.yml; references do not.
    _edit(project, "labels.yml", "  words:\n", "  wordz:\n")
    _edit(project, "guide.yml", "claims: [soc2]", "claims: [soc3]")
    assert data_problems(project) == [
        "data/guide.yml:28:16: guide.sections[4].claims[0]: unknown claim 'soc3'; did you mean 'soc2'?",
        "data/labels.yml:69:3: labels.wordz: unknown key 'wordz'; did you mean 'words'?",
    ]


def test_a_wrong_optional_value_outside_entries_leaves_the_rest_of_its_file_checked(project: Path) -> None:
    # guide.description fails; the guide's own prose is still checked, in the same build.
    _edit(project, "guide.yml", "  description: >-\n", "  description: 5\n  old_description: >-\n")
    _edit(project, "guide.yml", "[[provider:amazon]]", "[[provider:amazn]]")
    problems = data_problems(project)
    assert (
        "data/guide.yml:22:69: guide.sections[1].prose: unknown hosting provider 'amazn'; did you mean 'amazon'?"
        in (problems)
    )
    assert len(problems) == 3  # with the description's two: its type, and the unknown key


def test_mentions_of_an_organisation_that_failed_say_nothing(project: Path) -> None:
    # An offering of the organisation fails: neither it nor the organisation is judged in mentions,
    # while the claim that scopes itself to the offering is not told the offering is unknown.
    _edit(project, "organisation.yml", "      name: Cloudant Enterprise\n", "      name: [Cloudant, Enterprise]\n")
    _edit(
        project,
        "claims.yml",
        "[[offering:enterprise]], when",
        "[[organisation.offerings]], [[offering:enterprise]], when",
    )
    assert data_problems(project) == [
        "data/organisation.yml:8:13: organisation.offerings[0].name: expected non-blank text, got a list",
    ]


def test_a_misspelt_list_key_does_not_make_its_entries_unknown(project: Path) -> None:
    # `provders:` holds every provider: each reference and mention of one would only follow from it.
    _edit(project, "hosting.yml", "  providers:\n", "  provders:\n")
    _edit(project, "guide.yml", "claims: [soc2]", "claims: [soc3]")
    assert data_problems(project) == [
        "data/guide.yml:28:16: guide.sections[4].claims[0]: unknown claim 'soc3'; did you mean 'soc2'?",
        "data/hosting.yml:5:3: hosting.provders: unknown key 'provders'; did you mean 'providers'?",
    ]
