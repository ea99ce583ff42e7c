"""Page rendering: the model fills templates, values stay data, failures name the template line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.errors import ComplianceError
from compliance.model.data import ComplianceData, load_compliance_data
from compliance.model.dates import PartialDate
from compliance.model.language import untranslated
from compliance.model.values import MarkdownText
from compliance.render.pages import PageRenderer
from compliance.render.plan import SitePlan
from conftest import DATASETS, REPO


@pytest.fixture(scope="module")
def data() -> ComplianceData:
    return load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")


def _page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    page = tmp_path / "docs" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def _render(data: ComplianceData, tmp_path: Path, text: str) -> str:
    page = _page(tmp_path, text)
    renderer = PageRenderer(data, tmp_path, [tmp_path / "docs", REPO / "docs", REPO / "overrides"], SitePlan())
    return renderer.render(text, page, {"base": ""})


def test_references_read_as_the_entries_they_name(data: ComplianceData, tmp_path: Path) -> None:
    text = "{% for c in claims %}{{ c.standards[0].standard.name }}/{% endfor %} "
    text += "{{ claims[1].scope.providers[0].company }}"
    assert _render(data, tmp_path, text) == "ISO 27001/HIPAA/ISO 27001/SOC 2/ IBM"


def test_absent_optional_fields_are_none_so_templates_need_no_guards(data: ComplianceData, tmp_path: Path) -> None:
    text = "{{ claims[0].valid_until is none }} {{ claims[0].evidence | length }} {{ hosting.providers[1].company }}"
    assert _render(data, tmp_path, text) == "True 0 None"


def test_values_are_data_not_templates_and_html_is_escaped(data: ComplianceData, tmp_path: Path) -> None:
    changed = data.document.model_copy(deep=True)
    changed.organisation.name = "{{ 7 * 7 }} <script>alert(1)</script>"
    out = _render(ComplianceData(changed, data.sources, data.index, data.links), tmp_path, "{{ organisation.name }}")
    assert out == "{{ 7 * 7 }} &lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_md_filter_escapes_markdown_and_html(data: ComplianceData, tmp_path: Path) -> None:
    changed = data.document.model_copy(deep=True)
    changed.organisation.name = "x](javascript:alert(1)) {: onclick=alert(1) } <b>*y*</b>"
    out = _render(
        ComplianceData(changed, data.sources, data.index, data.links), tmp_path, "{{ organisation.name | md }}"
    )
    assert out == r"x\]\(javascript:alert\(1\)\) \{: onclick=alert\(1\) \} &lt;b&gt;\*y\*&lt;/b&gt;"


def test_templates_cannot_reach_python_internals(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, "{{ organisation.__class__.__mro__ }}")
    assert str(caught.value).startswith("docs/page.md:1:1: ")


def test_undefined_variable_names_page_file_and_line(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, "# Title\n\nText\n{{ organisation.nmae }}\n")
    assert str(caught.value) == (
        "docs/page.md:4:1: undefined in template: "
        "'compliance.model.entries.Organisation object' has no attribute 'nmae'"
    )


def test_jinja_syntax_error_names_page_file_and_line(data: ComplianceData, tmp_path: Path) -> None:
    with pytest.raises(ComplianceError) as caught:
        _render(data, tmp_path, "# Title\n\n{% for x in hosting.providers %}\n{{ x.name }\n{% endfor %}\n")
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


def test_the_guide_renders_every_titled_section_in_data_order(data: ComplianceData) -> None:
    index = REPO / "docs" / "index.md"
    out = PageRenderer(data, REPO, [REPO / "docs", REPO / "overrides"], SitePlan()).render(
        index.read_text(encoding="utf-8"), index, {"base": ""}
    )
    headings = [line[3:].replace("\\", "") for line in out.splitlines() if line.startswith("## ")]
    assert headings == [section.title for section in data.document.guide.sections]
    assert '<a href="https://cloudant.com/history/contact-us/">contact our sales team</a>' in out


def test_pick_lays_out_a_tables_cells_in_order_escaping_all_but_the_templates_own(
    data: ComplianceData, tmp_path: Path
) -> None:
    text = (
        "{% set mark %}<b>made</b>{% endset %}"
        '{% set table = [{"yes": mark, "no": "<i>data</i>"}, {"yes": "a & b", "no": mark}] %}'
        '{{ [(1, "no"), (0, "no"), (0, "yes"), (1, "yes")] | pick(table) }}|{{ [(0, "yes")] | pick(table) }}'
    )
    assert _render(data, tmp_path, text) == "<b>made</b>&lt;i&gt;data&lt;/i&gt;<b>made</b>a &amp; b|<b>made</b>"


def test_an_area_two_sections_show_is_laid_out_in_both(data: ComplianceData, tmp_path: Path) -> None:
    changed = data.document.model_copy(deep=True)
    shown = [section for section in changed.guide.sections if section.controls]
    other = next(section for section in changed.guide.sections if not section.controls and section.title)
    other.controls = shown[0].controls
    changed_data = ComplianceData(changed, data.sources, data.index, data.links)
    renderer = PageRenderer(changed_data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    home = REPO / "docs" / "index.md"
    page = renderer.render(home.read_text(encoding="utf-8"), home, {"base": ""})
    area = shown[0].controls[0]
    start = f'<div class="compliance-prose compliance-controls" id="controls-{area.id}">'
    blocks = re.findall(re.escape(start) + ".*?</div>", page, re.S)
    assert len(blocks) == 2
    assert blocks[0] == blocks[1]
    assert all(len(re.findall("<li>", block)) == len(area.controls) for block in blocks)


def test_the_prose_filter_writes_each_value_for_its_base_and_language(data: ComplianceData, tmp_path: Path) -> None:
    prose = MarkdownText(f"See [[claim:{data.document.claims[0].id}]].")
    renderer = PageRenderer(data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    text = "{{ a | prose }}|{{ b | prose }}"
    page = tmp_path / "docs" / "page.md"
    marked = untranslated(prose, "en")
    near = renderer.render(text, page, {"base": "", "a": prose, "b": marked})
    far = renderer.render(text, page, {"base": "../../", "a": prose, "b": marked})
    plain, foreign = near.split("|")
    assert foreign == f'<div lang="en">{plain}</div>'
    assert 'href="../../' in far and far.split("|")[0] == str(renderer.prose.render(prose, "../../"))
    assert renderer.render(text, page, {"base": "", "a": prose, "b": marked}) == near


def test_an_allowed_field_read_again_is_still_checked_where_the_sandbox_must_look(
    data: ComplianceData, tmp_path: Path
) -> None:
    # The sandbox remembers each (type, attribute) it allowed; a string's format method, reached after
    # other methods of strings were allowed, still goes through the sandbox's own wrapper.
    reads = "{{ organisation.name }}{{ '{0.name}'.upper() }}" * 2
    formatted = _render(data, tmp_path, reads + "{{ '{0.name}'.format(organisation) }}")
    assert formatted == "Cloudant{0.NAME}" * 2 + "Cloudant"
    with pytest.raises(ComplianceError, match="not allowed in a template"):
        _render(data, tmp_path, reads + "{{ '{0.__class__}'.format(organisation) }}")
    with pytest.raises(ComplianceError, match="not allowed in a template"):
        _render(data, tmp_path, reads + "{{ organisation.__class__.__mro__ }}")


def test_each_date_is_written_as_precisely_as_it_was_given_however_often_it_is_shown(
    data: ComplianceData, tmp_path: Path
) -> None:
    dates = {
        "a": PartialDate(2025, 4),
        "b": PartialDate(2025),
        "c": PartialDate(2025, 4, 15),
        "d": PartialDate(2025, 4),
    }
    renderer = PageRenderer(data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    text = "{{ a | when }}|{{ b | when }}|{{ c | when }}|{{ a | when }}|{{ d | when }}"
    out = renderer.render(text, tmp_path / "docs" / "page.md", {"base": "", **dates}).split("|")
    assert out[:3] == [
        '<time datetime="2025-04">April 2025</time>',
        '<time datetime="2025">2025</time>',
        '<time datetime="2025-04-15">15 April 2025</time>',
    ]
    assert out[3] == out[4] == out[0]


def test_a_claims_facts_are_shared_by_its_page_and_the_home_page_as_the_macro_lays_them_out(
    data: ComplianceData, tmp_path: Path
) -> None:
    renderer = PageRenderer(data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    page = tmp_path / "docs" / "page.md"
    direct = '{% from "partials/claim.html" import facts with context %}{{ facts(claim) }}'
    shared = '{{ shared_block("partials/claim.html", "facts", claim) }}'
    for claim in data.document.claims:
        for base in ("", "../../"):
            made = renderer.render(direct, page, {"base": base, "claim": claim})
            assert renderer.render(shared, page, {"base": base, "claim": claim}) == made
            assert '<dl class="compliance-facts">' in made


def _partial(tmp_path: Path, text: str) -> PageRenderer:
    (tmp_path / "partials").mkdir(exist_ok=True)
    (tmp_path / "partials" / "block.html").write_text(text, encoding="utf-8")
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    return PageRenderer(data, tmp_path, [tmp_path, REPO / "docs", REPO / "overrides"], SitePlan())


def test_a_shared_block_is_laid_out_once_per_entry_whatever_the_page(tmp_path: Path) -> None:
    renderer = _partial(tmp_path, "{% macro block(entry) %}{{ entry.append(1) or entry | length }}{% endmacro %}")
    text = '{{ shared_block("partials/block.html", "block", a) }}{{ shared_block("partials/block.html", "block", b) }}'
    first, second = [1], [1, 1]
    page = tmp_path / "docs" / "page.md"
    assert renderer.render(text, page, {"base": "", "a": first, "b": second}) == "23"
    assert renderer.render(text, page, {"base": "../", "a": first, "b": second}) == "23"
    assert first == [1, 1] and second == [1, 1, 1]


@pytest.mark.parametrize("use", ["{{ base }}", "{{ entry | prose }}"])
def test_a_shared_block_that_reads_the_pages_base_stops_the_build_at_its_line(tmp_path: Path, use: str) -> None:
    renderer = _partial(tmp_path, "{% macro block(entry) %}\n" + use + "\n{% endmacro %}")
    text = '{{ shared_block("partials/block.html", "block", claims[0].prose) }}'
    with pytest.raises(ComplianceError) as failed:
        renderer.render(text, tmp_path / "docs" / "page.md", {"base": ""})
    assert str(failed.value) == "partials/block.html:2:1: undefined in template: 'base' is undefined"
