"""`mkdocs serve` keeps the hooks' results between rebuilds (compliance/preview.py): never a stale page.

MkDocs' own serve loop, without its server (tests/test_preview_serve.py runs the real one): the hooks
are loaded once, each rebuild reads the configuration afresh and builds the whole site, as
`mkdocs.commands.serve` does. After each edit the preview's site is compared, file by file, with a
build of the same files by a process that kept nothing (the same hooks with an empty memory).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from compliance.limits import Limits
from compliance.load import yamlload
from compliance.preview import PreviewMemory
from compliance.render.pages import PageRenderer
from conftest import FIXTURE_TODAY, copy_project, site_differences

EXAMPLE = "mkdocs.example.yml"
EXAMPLE_DATA = "examples/harborledger/data"
SERVE_URL = "http://127.0.0.1:8000/"


class Preview:
    """The rebuilds of one `mkdocs serve` of `config`, each into `site`."""

    def __init__(self, project: Path, config: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.project, self.config, self.site = project, project / config, project / "preview"
        monkeypatch.setenv("COMPLIANCE_TODAY", FIXTURE_TODAY)
        monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
        self._configuration(self.site).plugins.on_startup(command="serve", dirty=False)
        self.session = sys.modules["compliance_edge"].session
        monkeypatch.setattr(self.session, "memories", {})
        self.rendered: list[str] = []  # the files each page of the last rebuild was rendered from
        self._renders: list[str] = []
        render = PageRenderer.render

        def counted(renderer: PageRenderer, markdown: str, page_path: Path, extra: object = None) -> str:
            self._renders.append(Path(page_path).name)
            return render(renderer, markdown, page_path, extra)  # type: ignore[arg-type]

        monkeypatch.setattr(PageRenderer, "render", counted)

    def rebuild(self) -> None:
        """One rebuild, as `mkdocs serve` makes it on a change; then the same files built by a fresh process."""
        self._renders.clear()
        build(self._configuration(self.site), serve_url=SERVE_URL)
        self.rendered = self._renders[:]  # the preview's own renders: the fresh build's are not counted
        kept, self.session.memories = self.session.memories, {}
        try:
            build(self._configuration(self.project / "fresh"), serve_url=SERVE_URL)
        finally:
            self.session.memories = kept
        assert site_differences(self.site, self.project / "fresh") == []

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")

    def edit(self, path: str, old: str, new: str, count: int = 1) -> None:
        file = self.project / path
        text = file.read_text(encoding="utf-8")
        assert text.count(old) >= count, (path, old)
        file.write_text(text.replace(old, new, count), encoding="utf-8")

    def _configuration(self, site: Path):  # type: ignore[no-untyped-def]
        config = load_config(config_file=str(self.config), site_dir=str(site))
        config.site_url = SERVE_URL  # as `mkdocs serve` sets it
        return config


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    project = copy_project(tmp_path / "project")
    previewing = Preview(project, EXAMPLE, monkeypatch)
    previewing.rebuild()
    yield previewing
    previewing.session.command, previewing.session.build = "build", None  # later builds in this process are builds


SHOWN_WITH_ITS_CLAIM = ("claims/soc2/index.html", "matrix/index.html", "index.html", "claims/index.html")


def test_a_claims_title_changes_on_every_page_the_export_and_the_feed(preview: Preview) -> None:
    assert all("SOC 2 Type 2" in preview.page(path) for path in (*SHOWN_WITH_ITS_CLAIM, "compliance.json", "feed.xml"))
    preview.edit(f"{EXAMPLE_DATA}/claims.yml", "title: SOC 2 Type 2\n", "title: SOC 2 Type 2 Renewed\n")
    preview.rebuild()
    for path in (*SHOWN_WITH_ITS_CLAIM, "compliance.json", "feed.xml"):
        assert "SOC 2 Type 2 Renewed" in preview.page(path), path
    # The Swedish site shows its own title: the edit reached only the English one.
    assert "SOC 2 typ 2" in preview.page("sv/claims/soc2/index.html")
    assert "Renewed" not in preview.page("sv/claims/soc2/index.html")


def test_the_tools_labels_and_the_organisations_are_inputs(preview: Preview) -> None:
    preview.edit("labels/sv.yml", "    matrix: ", "    matrix: Ändrad ")  # beside mkdocs.yml, not in the data
    preview.rebuild()
    assert "Ändrad" in preview.page("sv/matrix/index.html")
    preview.edit(
        f"{EXAMPLE_DATA}/labels.yml", "    guide: Overview\n", "    guide: Overview\n    matrix: Evidence matrix\n"
    )
    preview.rebuild()
    assert "Evidence matrix" in preview.page("matrix/index.html")


def test_a_page_edit_renders_that_page_again_and_keeps_the_others(preview: Preview) -> None:
    preview.rebuild()
    # Nothing changed: every page is kept, only the footer (made in each build) is rendered.
    assert set(preview.rendered) <= {"compliance-footer.html"}
    preview.edit("docs/index.md", "\n", "\nA sentence added in the preview.\n")
    preview.rebuild()
    assert "A sentence added in the preview." in preview.page("index.html")
    assert set(preview.rendered) == {"index.md", "compliance-footer.html"}


def test_a_partial_edit_renders_the_pages_again(preview: Preview) -> None:
    preview.edit(
        "overrides/partials/claim.html",
        "{% macro claim_block(claim, details) %}\n",
        "{% macro claim_block(claim, details) %}\nBlock edited.\n",
    )
    preview.rebuild()
    assert "Block edited." in preview.page("claims/soc2/index.html")
    # A template of the same name placed earlier in the search path is the one the pages read.
    (preview.project / "docs" / "partials").mkdir()
    partial = (preview.project / "overrides/partials/claim.html").read_text(encoding="utf-8")
    (preview.project / "docs/partials/claim.html").write_text(
        partial.replace("Block edited.", "Found first."), encoding="utf-8"
    )
    preview.rebuild()
    assert "Found first." in preview.page("claims/soc2/index.html")


def test_an_option_in_mkdocs_yml_is_an_input(preview: Preview) -> None:
    updates = preview.page("feed.xml").count("<entry>")
    assert updates > 1
    preview.edit(
        EXAMPLE,
        "    data_dir: examples/harborledger/data\n",
        "    data_dir: examples/harborledger/data\n    max_feed_entries: 1\n",
    )
    preview.rebuild()
    assert preview.page("feed.xml").count("<entry>") == 1


def test_an_error_is_shown_at_its_line_and_the_next_good_edit_recovers(preview: Preview) -> None:
    claims = preview.project / EXAMPLE_DATA / "claims.yml"
    good = claims.read_text(encoding="utf-8")
    line = good.splitlines().index("    title: SOC 2 Type 2") + 1
    preview.edit(f"{EXAMPLE_DATA}/claims.yml", "    title: SOC 2 Type 2\n", "    title: [SOC 2 Type 2\n")
    preview.rebuild()
    # Under `mkdocs serve` invalid data is shown on the pages, each problem at its file, line and column.
    assert re.search(rf"{EXAMPLE_DATA}/claims.yml:{line + 1}:\d+: YAML syntax error", preview.page("index.html"))
    claims.write_text(good.replace("title: SOC 2 Type 2\n", "title: SOC 2 Type 2 Again\n"), encoding="utf-8")
    preview.rebuild()
    assert "SOC 2 Type 2 Again" in preview.page("claims/soc2/index.html")


def test_the_shipped_catalogue_is_an_input(preview: Preview) -> None:
    catalogue = preview.project / "catalogue" / "standards.yml"
    good = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(good.replace("  - id: ssae16\n", "  - id: soc2\n", 1), encoding="utf-8")
    preview.rebuild()
    line = good.splitlines().index("  - id: ssae16") + 1
    assert re.search(rf"catalogue/standards.yml:{line}:\d+: [^\n]*soc2", preview.page("index.html"))
    catalogue.write_text(good, encoding="utf-8")
    preview.rebuild()
    assert "SOC 2 Type 2" in preview.page("claims/soc2/index.html")


def test_a_template_error_fails_the_rebuild_at_its_line_and_a_fix_recovers(
    preview: Preview, caplog: pytest.LogCaptureFixture
) -> None:
    template = preview.project / "docs" / "_templates" / "claim.md"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "{{ claim.no_such_field }}\n", encoding="utf-8")
    line = good.count("\n") + 1
    with pytest.raises(Abort):
        build(preview._configuration(preview.site), serve_url=SERVE_URL)
    assert f"docs/_templates/claim.md:{line}:1: undefined in template" in caplog.text
    template.write_text(good.replace("# {{ claim.title | md }}", "# {{ claim.title | md }} (fixed)"), encoding="utf-8")
    preview.rebuild()
    assert "SOC 2 Type 2 (fixed)" in preview.page("claims/soc2/index.html")


def test_a_file_is_parsed_again_only_when_its_text_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project", "guide")
    parsed: list[str] = []
    parse = yamlload._parse

    def counted(text: str, display_name: str, limits: Limits) -> yamlload.Parsed:
        parsed.append(display_name)
        return parse(text, display_name, limits)

    monkeypatch.setattr(yamlload, "_parse", counted)
    memory, folders = PreviewMemory(), (project, project / "data", project / "docs")
    first = memory.load(*folders, docs_checked=True)
    assert "data/claims.yml" in parsed and "catalogue/standards.yml" in parsed and "labels/en.yml" in parsed
    parsed.clear()
    assert memory.load(*folders, docs_checked=True) is first and parsed == []  # nothing changed: the same data
    guide = project / "data" / "guide.yml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1), encoding="utf-8")
    again = memory.load(*folders, docs_checked=True)
    assert parsed == ["data/guide.yml"] and again is not first
    assert again.document.guide.title.startswith("Retitled ")
    assert again.document.claims == first.document.claims  # from the kept parse of claims.yml


def test_a_kept_parse_is_handed_out_as_a_copy() -> None:
    kept: dict[tuple[str, str, Limits], yamlload.Parsed] = {}

    def memo(text: str, name: str, limits: Limits, parse: Callable[[], yamlload.Parsed]) -> yamlload.Parsed:
        return kept.setdefault((text, name, limits), parse())

    token = yamlload.PARSE_MEMO.set(memo)
    try:
        value, sources, _ = yamlload.load_yaml("labels:\n  dates: {month: May}\n", "labels.yml")
        value["labels"]["dates"]["locale"] = "en"  # as localise.py adds the locale to labels without one
        sources.values.clear()
        again, sources_again, _ = yamlload.load_yaml("labels:\n  dates: {month: May}\n", "labels.yml")
    finally:
        yamlload.PARSE_MEMO.reset(token)
    assert again == {"labels": {"dates": {"month": "May"}}} and sources_again.values
