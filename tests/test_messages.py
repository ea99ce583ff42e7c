"""What the editor reads when the data is wrong: every problem at once, each at its place, with the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.model.data import load_compliance_data
from conftest import copy_project, data_problems, edit_yaml


def _line_col(project: Path, file: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate((project / file).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {file}")


def test_an_email_address_where_a_url_is_expected_suggests_mailto(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0]["evidence"][0].update(url="trust@example.com"))
    (problem,) = data_problems(project)
    assert problem.endswith(
        "claims[0].evidence[0].url: expected a URL whose scheme is https, http, ftp or mailto, got text "
        "'trust@example.com'; an e-mail address is written as a URL with mailto: ('mailto:trust@example.com')"
    )


def test_an_unquoted_number_where_text_is_expected_says_quote_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(title=2022))
    (problem,) = data_problems(project)
    assert problem.endswith(
        'claims[0].title: expected non-blank text, got the number 2022; quote it ("2022") to write it as text'
    )


def test_a_mention_in_a_plain_text_field_is_refused_not_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(title="Certified by [[claim:iso.auditor]]"))
    (problem,) = data_problems(project)
    assert problem.endswith(
        "claims[0].title: a mention ([[claim:iso.auditor]]) works only in prose (prose, intro, text); "
        "write the words themselves here"
    )


@pytest.mark.parametrize(
    ("target", "hint"),
    [
        ("iso", "; to link this site's page of that claim, write [[claim:iso]]"),
        # The prose is soc2's own (claims[2]): a mention of it would link its page to itself.
        ("soc2", "; this prose is on the page of claim 'soc2' itself, so leave the link out"),
        ("www.example.com/report", "; write the absolute URL, e.g. 'https://www.example.com/report'"),
        ("../report", "; write the absolute URL (https://...), or a mention ([[claim:id]]) for this site's pages"),
        ("trust@example.com", "; an e-mail address is written as a URL with mailto: ('mailto:trust@example.com')"),
    ],
)
def test_a_relative_prose_link_is_refused_at_the_urls_column_with_what_to_write(
    tmp_path: Path, target: str, hint: str
) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(
        project / "data/claims.yml", lambda d: d["claims"][2].update(prose=f"Read [the {target} page]({target}).")
    )
    (problem,) = data_problems(project)
    line, column = _line_col(project, "data/claims.yml", f"]({target})")
    assert problem == (
        f"data/claims.yml:{line}:{column + 2}: claims[2].prose: expected a link to an https, http, ftp or mailto URL, "
        f"got '{target}'{hint}"
    )


def test_renamed_ids_are_reported_with_their_references_and_mentions_in_one_round(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")

    def rename(d: dict[str, Any]) -> None:
        d["claims"][0]["id"] = "iso-27001"  # the guide's sections and prose still say `iso`
        d["claims"][0]["title"] = 5  # a structural error elsewhere in the same file

    edit_yaml(project / "data/claims.yml", rename)
    problems = [p.split(": ", 2)[1] for p in data_problems(project)]
    assert "claims[0].title" in problems
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(title="ISO"))
    problems = [p.split(": ", 1)[1] for p in data_problems(project)]
    assert any(p.startswith("claims[0].prose: unknown claim 'iso'") for p in problems), problems
    assert any(p.startswith("guide.sections[") and "unknown claim 'iso'" in p for p in problems), problems


def test_a_prose_link_to_a_url_a_mention_also_writes_keeps_its_own_line(tmp_path: Path) -> None:
    from compliance.model.prose.check import ProseChecker

    project = copy_project(tmp_path / "project", "dated")
    url = "https://trust.example.com/dpa"
    prose = f"Sign the [[claim:gdpr.agreements]], or read it [here]({url})."
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][3].update(prose=prose))
    data = load_compliance_data(project, project / "data", project / "docs")
    issues, links = ProseChecker(data.document, data.index).check(prose)
    assert issues == [] and [link.url for link in links] == [url]
    line, _ = _line_col(project, "data/claims.yml", f"]({url})")
    assert [(link.location.line, link.field) for link in data.links if link.url == url] == [
        (_line_col(project, "data/claims.yml", f"url: {url}")[0], "claims[3].agreements[0].url"),
        (line, "claims[3].prose"),
    ]


@pytest.mark.parametrize(("value", "got"), [([], "an empty list"), ("everywhere", "text 'everywhere'")])
def test_a_scope_is_all_or_a_list_never_an_empty_one(tmp_path: Path, value: object, got: str) -> None:
    project = copy_project(tmp_path / "project", "dated")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0]["scope"].update(offerings=value))
    (problem,) = data_problems(project)
    assert problem.split(": ", 1)[1] == (
        f"claims[0].scope.offerings: expected 'all' or a list of the ids it holds for, got {got}; "
        "leave it out where the source is silent"
    )
