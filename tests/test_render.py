"""Page rendering: data fills templates, values stay data, failures name the template line."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from compliance.data import ComplianceData, load_compliance_data
from compliance.errors import ComplianceError
from compliance.render import PageRenderer, join_and
from conftest import REPO


@pytest.fixture(scope="module")
def data() -> ComplianceData:
    return load_compliance_data(REPO, REPO / "data", REPO / "docs")


def _page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    page = tmp_path / "docs" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def _render(data: ComplianceData, tmp_path: Path, text: str) -> str:
    page = _page(tmp_path, text)
    return PageRenderer(data, tmp_path, [tmp_path / "docs", REPO / "docs"]).render(text, page, {"root": ""})


def test_join_and_writes_english_lists() -> None:
    assert join_and([]) == ""
    assert join_and(["ISO 27001"]) == "ISO 27001"
    assert join_and(["ISO 27001", "ISO 27002"]) == "ISO 27001 and ISO 27002"
    assert join_and(["a", "b", "c"], "or") == "a, b, or c"


def test_lookups_resolve_ids_from_data(data: ComplianceData, tmp_path: Path) -> None:
    text = '{{ provider("amazon").company }} / {{ standard(certification("soc2").standard).name }}'
    assert _render(data, tmp_path, text) == "Amazon / SOC 2"


def test_values_are_data_not_templates_and_html_is_escaped(data: ComplianceData, tmp_path: Path) -> None:
    changed = ComplianceData(copy.deepcopy(data.document), data.sources)
    changed.document["organisation"]["name"] = "{{ 7 * 7 }} <script>alert(1)</script>"
    out = _render(changed, tmp_path, "{{ organisation.name }}")
    assert out == "{{ 7 * 7 }} &lt;script&gt;alert(1)&lt;/script&gt;"


def test_undefined_variable_names_page_file_and_line(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, "# Title\n\nText\n{{ organisation.nmae }}\n")
    assert str(caught.value) == "docs/page.md:4:1: undefined in template: 'dict object' has no attribute 'nmae'"


def test_jinja_syntax_error_names_page_file_and_line(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, "# Title\n\n{% for x in hosting.providers %}\n{{ x.company }\n{% endfor %}\n")
    assert str(caught.value) == "docs/page.md:4:1: template syntax error: unexpected '}'"


def test_error_inside_an_included_partial_names_the_partial(data: ComplianceData, tmp_path: Path) -> None:
    _page(tmp_path, "line one\n{{ no_such_thing }}\n", "_parts/broken.md")
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, 'intro\n{% include "_parts/broken.md" %}\n')
    assert str(caught.value) == "docs/_parts/broken.md:2:1: undefined in template: 'no_such_thing' is undefined"


def test_missing_partial_is_reported_at_the_including_line(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, 'intro\n\n{% include "_parts/nope.md" %}\n')
    assert str(caught.value) == "docs/page.md:3:1: template not found: _parts/nope.md"


def test_real_guide_renders_every_section_in_data_order(data: ComplianceData) -> None:
    index = REPO / "docs" / "index.md"
    out = PageRenderer(data, REPO, [REPO / "docs", REPO / "overrides"]).render(
        index.read_text(encoding="utf-8"), index, {"root": ""}
    )
    headings = [line[3:] for line in out.splitlines() if line.startswith("## ")]
    assert headings == [section["title"] for section in data.document["guide"]["sections"]]
    assert "[contact our sales team](<https://cloudant.com/history/contact-us/>)" in out
