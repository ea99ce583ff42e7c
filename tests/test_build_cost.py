"""The shortcuts that keep large builds fast give the same results as the long way round.

Each shortcut (skipping pages that cannot add a URL to the link map, ...) is checked against the
plain computation on generated input, so a shortcut that loses a result fails here.
"""

from __future__ import annotations

import gc
import html
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import texts_of

from compliance.errors import ComplianceError, Location
from compliance.links import linkmap
from compliance.links.linkchecker import parse_page
from compliance.links.linkmap import EXTERNAL, LinkMapBuilder, LinkSource, html_links, scheme_starts
from compliance.load import yamlload
from compliance.load.yamlload import load_yaml
from compliance.model import data as data_module
from compliance.model.data import ComplianceData, load_compliance_data
from compliance.model.prose import check as prose_module
from compliance.model.prose.check import ProseChecker
from compliance.model.prose.problems import _Locator
from compliance.render.pages import PageRenderer
from compliance.render.plan import SitePlan
from conftest import FIXTURE_TODAY, copy_project

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from synthetic import Shape, write_data  # noqa: E402

KNOWN = ("https://a.example/x", "mailto:t@example.com", "ftp://f.example/r.pdf", "https://a.example/x?b=1&c=2")
# Pieces that stress where a value starts and ends: quotes, references, schemes, srcset and CSS.
PIECES = st.sampled_from(
    [
        '<a href="',
        "<a href='",
        '<img srcset="',
        '<div style="background:url(',
        '<meta http-equiv="refresh" content="0; url=',
        '"',
        "'",
        ">",
        "</a>",
        " ",
        ", ",
        " 2x",
        ")",
        "&quot;",
        "&#39;",
        "&amp;",
        "&#104;",
        "ttps://a.example/x",
        "https://a.example/x",
        "https://a.example/x?b=1&amp;c=2",
        "HTTPS://A.example/x",
        "https://a.example/xy",
        "https://b.example/",
        "mailto:t@example.com",
        "mailto:u@example.com",
        "ftp://f.example/r.pdf",
        '<svg xmlns="',
        " xmlns:xlink='",
        '<a data-xmlns="',
        "http://www.w3.org/2000/svg",
        "http\u017f://b.example/",  # IGNORECASE takes the long s for s, and dotless i for i
        "ma\u0131lto:u@example.com",
        "&#383;",
        "<!-- ",
        " -->",
        "text",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=14))
@example(['<a href="', "https://a.example/x", "&quot;", "text", '"', ">"])  # a quote hidden in a reference
@example(['<a href="', "https://a.example/x", "'", "text", '"', ">"])  # the other quote inside the value
@example(['<img srcset="', "https://a.example/x", " 2x", ", ", "https://b.example/", '"', ">"])
@example(['<a href="', "&#104;", "ttps://a.example/x", "y", '"', ">"])
@example(['<a href="', "http\u017f://b.example/", '"', ">"])
@example(['<a href="', "ma\u0131lto:u@example.com", '"', ">"])
def test_skipping_known_pages_never_loses_a_new_url(pieces: list[str]) -> None:
    html = "".join(pieces)
    known = set(KNOWN)
    parsed = {url for link in parse_page(html).links if EXTERNAL.match(url := link.url.strip())}
    assert set(html_links(html, known)) - known == parsed - known
    assert set(html_links(html)) == parsed


# The scan for schemes as it was first written: each of its three first letters, then the rest.
FIRST_LETTER_SCAN = re.compile(
    r"[hHfFmM](?:(?<=[hH])[tT][tT][pP][sS]?://|(?<=[fF])[tT][pP]://|(?<=[mM])[aA][iI][lL][tT][oO]:)"
)
SCHEME_TEXT = texts_of(
    ["h", "H", "t", "T", "p", "P", "s", "S", "f", "F", "m", "M", "a", "i", "l", "o", "O", ":", "/"],
    ["http://", "HTTPS://", "ftp://", "mailto:", "sftp://", "x", "\u017f", "\u0131", "<", '"'],
    max_size=40,
)


@settings(max_examples=2000, deadline=None)
@given(SCHEME_TEXT)
@example("mailto:http://hhttps://ftp:/ftp://")
def test_the_scan_for_schemes_by_their_colon_finds_what_the_first_letter_scan_found(text: str) -> None:
    assert list(scheme_starts(text)) == [match.start() for match in FIRST_LETTER_SCAN.finditer(text)]


REFERENCE_TEXT = texts_of(
    ["&quot", "&QUOT", "&Quot", "&apos", "&APOS", "&#34", "&#034", "&#340", "&#3", "&#39", "&#0039"],
    ["&#x22", "&#X022", "&#x220", "&#x27", "&#x2", "&#x2F", "&amp", "&", "&#", "&#x", ";", '"', "'"],
    ["0", "4", "9", "a", "f", "x", "quot", " ", "<", "\n"],
    max_size=30,
)


@settings(max_examples=2000, deadline=None)
@given(REFERENCE_TEXT)
@example("&quotx&#0034;")
@example("&&apos;")
def test_the_search_for_quote_references_finds_what_counting_quotes_finds(text: str) -> None:
    decoded = html.unescape(text)
    counted = decoded.count('"') != text.count('"') or decoded.count("'") != text.count("'")
    assert (linkmap._QUOTE_REFERENCE.search(text) is not None) == counted


def test_a_page_of_known_urls_is_not_parsed_and_a_new_one_is() -> None:
    known = {"https://a.example/x"}
    assert html_links('<a href="https://a.example/x">x</a>', known) == []
    assert html_links('<a href="https://a.example/x">x</a><a href="https://b.example/">b</a>', known) == [
        "https://a.example/x",
        "https://b.example/",
    ]
    assert html_links("<a href='&#104;ttps://b.example/'>b</a>", known) == ["https://b.example/"]


def test_the_link_map_still_names_page_and_theme_links(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = {"https://a.example/x": [LinkSource("data", "data/claims.yml", 3, "claims[0].url")]}
    builder = LinkMapBuilder(data)
    builder.add_page("docs/index.md", '<p><a href="https://a.example/x">a</a> <a href="https://p.example/">p</a></p>')
    builder.add_page("docs/other.md", '<p><a href="https://a.example/x">only data</a></p>')
    (tmp_path / "index.html").write_text(
        '<a href="https://a.example/x">a</a><a href="https://p.example/">p</a><a href="https://t.example/">t</a>'
    )
    (tmp_path / "other.html").write_text('<a href="https://a.example/x">a</a>')
    result = builder.finish(tmp_path)
    assert result == {
        "https://a.example/x": data["https://a.example/x"],
        "https://p.example/": [LinkSource("page", "docs/index.md")],
        "https://t.example/": [LinkSource("theme")],
    }


YAML_SAMPLES = [
    "a: 1\nb: [x, 'y', \"z\\tq\"]\nc:\n  - d: >-\n      folded\n      text\n    e: |\n      literal\n      text\n",
    "key: é ü 日本 value\r\nother:   spaced   \r\nlist:\r\n- 1.5\r\n- true\r\n- ~\r\n- 2016-02-01\r\n",
    "# comment only\n",
    "x: {a: 1, b: [2, 3]}\ny: !!str 12\nz: no\n'quoted key': \"\\u00e9\"\n",
    "deep:\n" + "".join("  " * i + f"- l{i}:\n" for i in range(1, 8)),
]


@pytest.mark.parametrize("text", YAML_SAMPLES)
def test_libyaml_and_pyyaml_give_the_same_values_and_places(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load_yaml(text, "sample.yml")
    monkeypatch.setattr(yamlload, "_FAST_PARSER", None)
    assert fast == load_yaml(text, "sample.yml")


def test_libyaml_and_pyyaml_agree_on_shipped_and_synthetic_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_data(tmp_path, Shape.scaled(2))
    shipped = [*sorted((REPO / "data").glob("*.yml")), *sorted((REPO / "labels").glob("*.yml"))]
    files = [*shipped, *sorted(tmp_path.glob("*.yml"))]
    fast = [load_yaml(f.read_text(encoding="utf-8"), f.name) for f in files]
    monkeypatch.setattr(yamlload, "_FAST_PARSER", None)
    assert fast == [load_yaml(f.read_text(encoding="utf-8"), f.name) for f in files]
    assert all(not problems for _, _, problems in fast)
    # A file of comments only (the shipped guide's labels.yml, whose words are the tool's) loads as
    # nothing on both parsers, and only such a file does.
    empty = [f for f, (value, _, _) in zip(shipped, fast, strict=False) if value is None]
    assert empty == [f for f in shipped if not _written_lines(f)]


def _written_lines(path: Path) -> list[str]:
    """The lines of `path` that are neither blank nor comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert yamlload._FAST_PARSER is not None or not yaml.__with_libyaml__


YAML_PIECES = st.sampled_from(
    [
        *["a: ", "b:", "{", "}", "[", "]", ", ", ": ,", "? ", "\n", "\n  ", "\n- ", "\t", "'", '"', "|", ">", "#"],
        *["!", "&x ", "*x", "---", "\\", "é", "\r\n", "!!str ", "%YAML 1.1\n", "text", "2016-02-01", "no", "1.5"],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_PIECES, max_size=20))
def test_libyaml_never_reads_a_file_differently(pieces: list[str]) -> None:
    text = "".join(pieces)
    fast = load_yaml(text, "f.yml")
    saved, yamlload._FAST_PARSER = yamlload._FAST_PARSER, None
    try:
        slow = load_yaml(text, "f.yml")
    finally:
        yamlload._FAST_PARSER = saved
    if fast[0] is None and not fast[2]:  # an empty document: nothing is kept, so its place is unused
        assert slow[0] is None and not slow[2]
    else:
        assert fast == slow


def _find_the_long_way(text: str, start: Location, needle: str) -> Location:
    """The locator's answer computed plainly, line by line from the top of the file."""
    offset = sum(len(line) + 1 for line in text.split("\n")[: start.line - 1]) + start.column - 1
    found = text.find(needle, offset) if needle else -1
    if found < 0:
        return start
    return Location(start.file, text.count("\n", 0, found) + 1, found - (text.rfind("\n", 0, found) + 1) + 1)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab\n[]é", max_size=60),
    st.integers(1, 12),
    st.integers(1, 8),
    st.sampled_from(["", "a", "b\n", "[a]", "é", "ab"]),
)
def test_the_locator_finds_what_a_line_by_line_search_finds(text: str, line: int, column: int, needle: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "f.yml").write_text(text, encoding="utf-8")
        start = Location("f.yml", line, column)
        assert _Locator(Path(folder)).find(start, needle) == _find_the_long_way(text, start, needle)


@pytest.fixture(scope="module")
def guide_data(tmp_path_factory: pytest.TempPathFactory) -> ComplianceData:
    project = copy_project(tmp_path_factory.mktemp("guide"), "guide")
    return load_compliance_data(project, project / "data", project / "docs", today=date.fromisoformat(FIXTURE_TODAY))


PROSE_PIECES = st.sampled_from(
    [
        *["[[organisation]]", "[[claim:soc2]]", "[[claim:iso27001.evidence]]", "[[claim:soc2.access.channels|or]]"],
        *["[[provider:softlayer]]", "[[provider:nope]]", "[[claim:soc2.nothing]]", "[[", "]]", "[", "]", "(", ")"],
        *["!", "<", ">", "https://x.example/", "mailto:a@example.com", "javascript:x", ": ", "\n", "\n\n", "`", "text"],
        *[" ", "\\", "&#91;", "    ", "- ", "# "],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROSE_PIECES, max_size=12))
def test_checking_prose_without_rendering_it_finds_what_rendering_finds(
    guide_data: ComplianceData, pieces: list[str]
) -> None:
    text = "".join(pieces)
    prose = ProseChecker(guide_data.document, guide_data.index)
    fast = prose.check(text)
    always = re.compile("")
    original, prose_module._LINK_SYNTAX = prose_module._LINK_SYNTAX, always
    try:
        assert fast == prose.check(text)
    finally:
        prose_module._LINK_SYNTAX = original


def test_a_claim_page_template_is_compiled_once_and_renders_each_claim(
    guide_data: ComplianceData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = PageRenderer(guide_data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    compiled = []
    compile_template = renderer.env.compile
    monkeypatch.setattr(renderer.env, "compile", lambda *a, **k: compiled.append(a) or compile_template(*a, **k))
    claims = guide_data.document.claims
    pages = [renderer.render("{{ claim.id }}", tmp_path / "claim.md", {"claim": claim}) for claim in claims]
    assert pages == [claim.id for claim in claims] and len(claims) > 1
    assert len(compiled) == 1


def test_loading_the_hooks_imports_no_link_checker() -> None:
    # A build without CHECK_LINKS never checks links, and LinkChecker's modules are slow to import.
    probe = (
        "import sys, compliance_hooks\n"
        "print(sorted(m for m in sys.modules if m.startswith(('linkcheck', 'compliance.links.cli'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(REPO / "hooks")},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_sandbox_remembers_its_verdicts_and_still_refuses_internals(
    guide_data: ComplianceData, tmp_path: Path
) -> None:
    renderer = PageRenderer(guide_data, tmp_path, [REPO / "docs", REPO / "overrides"], SitePlan())
    claim = guide_data.document.claims[0]
    for _ in range(2):  # the second time from the remembered verdicts
        assert renderer.render("{{ claim.id }}", tmp_path / "p.md", {"claim": claim}) == claim.id
        with pytest.raises(ComplianceError, match="not allowed in a template"):
            renderer.render("{{ claim.id.upper.__self__ }}", tmp_path / "p.md", {"claim": claim})
        with pytest.raises(ComplianceError, match="not allowed in a template"):
            renderer.render("{{ claim.model_copy.__func__ }}", tmp_path / "p.md", {"claim": claim})


def test_kept_partials_are_compiled_again_when_they_change(guide_data: ComplianceData, tmp_path: Path) -> None:
    # As under `mkdocs serve`: each rebuild makes a new renderer, and sees the partial as saved.
    partial = tmp_path / "partials" / "bit.html"
    partial.parent.mkdir()
    page = '{% from "partials/bit.html" import bit %}{{ bit() }}'
    seen = []
    for text in ("first", "second", "second"):
        partial.write_text(f"{{% macro bit() %}}{text}{{% endmacro %}}", encoding="utf-8")
        renderer = PageRenderer(guide_data, tmp_path, [tmp_path], SitePlan())
        seen.append(renderer.render(page, tmp_path / "page.md").strip())
    assert seen == ["first", "second", "second"]


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_is_paused_while_the_data_loads_and_left_as_it_was(
    enabled_before: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path, "guide")
    seen = []
    read = data_module.read_data_files
    monkeypatch.setattr(data_module, "read_data_files", lambda *a, **k: seen.append(gc.isenabled()) or read(*a, **k))
    (gc.enable if enabled_before else gc.disable)()
    try:
        load_compliance_data(project, project / "data", project / "docs", today=date.fromisoformat(FIXTURE_TODAY))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False] and after is enabled_before


def test_a_loaded_model_is_left_out_of_later_collections_until_the_next_load(tmp_path: Path) -> None:
    project = copy_project(tmp_path, "guide")
    today = date.fromisoformat(FIXTURE_TODAY)
    try:
        data = load_compliance_data(project, project / "data", project / "docs", today=today)
        # Frozen: the collections while pages render do not walk the model again and again.
        assert gc.get_freeze_count() > 0
        assert not any(item is data.document for item in gc.get_objects())
        (project / "data" / "guide.yml").write_text("guide: [\n", encoding="utf-8")
        with pytest.raises(ComplianceError):
            load_compliance_data(project, project / "data", project / "docs", today=today)
        # A load unfreezes what the last one froze (under `mkdocs serve`, the previous build's data can
        # then be collected), and a failed load freezes nothing.
        assert gc.get_freeze_count() == 0
        assert any(item is data.document for item in gc.get_objects())
    finally:
        gc.unfreeze()
