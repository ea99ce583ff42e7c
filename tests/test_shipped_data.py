"""Invariants of the shipped data/: they hold whatever an editor writes there, so editing never breaks them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import yaml
from bs4 import BeautifulSoup

from compliance.links.linkmap import read_link_map
from compliance.model.data import load_compliance_data
from compliance.model.schema import schema_text
from compliance.options import load_options
from conftest import FIXTURE_TODAY, REPO, copy_project


def test_the_shipped_data_builds_strictly(shipped_site: Path) -> None:
    assert (shipped_site / "index.html").is_file()


def test_every_link_is_mapped_to_a_yaml_line_or_the_theme(shipped_site: Path) -> None:
    link_map = read_link_map(shipped_site.with_name("site.linkmap.json"))
    assert link_map, "the build wrote no link map"
    for url, sources in link_map.items():
        kinds = {source.kind for source in sources}
        assert kinds <= {"data", "theme"}, (url, sources)  # pages hold no URLs of their own
        for source in sources:
            if source.kind == "data":
                # The data's files, or the standards catalogue's source of a date shown beside a status.
                assert source.file.startswith(("data/", "catalogue/")) and source.line > 0, (url, source)


def test_every_image_resolves(shipped_site: Path) -> None:
    for page in shipped_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("article img"):
            assert (page.parent / img["src"]).resolve().is_file(), f"{page}: {img['src']}"
            assert img.get("alt", "").strip(), f"{page}: {img['src']} has no alt text"


def test_the_export_validates_against_its_published_schema(shipped_site: Path) -> None:
    export = json.loads((shipped_site / "compliance.json").read_text(encoding="utf-8"))
    schema = json.loads((shipped_site / "compliance.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(export)
    for claim in export["claims"]:
        assert (shipped_site / claim["page"] / "index.html").is_file(), claim["page"]


def test_the_committed_editor_schema_is_generated_from_the_model() -> None:
    committed = (REPO / "data" / "schema" / "compliance.schema.json").read_text(encoding="utf-8")
    limits = load_options(REPO).limits  # the project's own, as `make schema` writes them
    assert committed == schema_text(limits), "run `make schema` to regenerate data/schema/compliance.schema.json"


def test_each_shipped_data_file_passes_the_schema_editors_see() -> None:
    schema = json.loads((REPO / "data" / "schema" / "compliance.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((REPO / "data").glob("*.yml"))
    assert files
    for path in [*files, *sorted((REPO / "examples" / "harborledger" / "data").glob("*.yml"))]:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if document is None:  # comments only (labels.yml where the tool's labels serve): the build adds nothing
            continue
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], path.name


def _documented_updates() -> list[tuple[str, str]]:
    """Every `# updates.yml` example of the project's Markdown guides, by the file that shows it."""
    found = []
    for guide in sorted(REPO.rglob("*.md")):
        if {"node_modules", ".venv", "docs", "tests", "site"} & set(guide.relative_to(REPO).parts):
            continue  # not a guide to the project (docs/ is the site's own pages)
        for block in re.findall(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S):
            if block.startswith("# updates.yml"):
                found.append((guide.relative_to(REPO).as_posix(), block))
    return found


def _naming_own_claims(block: str, data: Path) -> str:
    """The example as it is where data/ holds the claims it names; else, as another organisation's
    editor would adapt it, naming that data's first claim instead (`make test-other-org`)."""
    files = [yaml.safe_load(path.read_text(encoding="utf-8")) or {} for path in sorted(data.glob("*.yml"))]
    ids = [claim["id"] for document in files for claim in document.get("claims") or []]
    named = {ident for update in yaml.safe_load(block)["updates"] for ident in update.get("claims", [])}
    for missing in sorted(named - set(ids)):
        block = re.sub(rf"(?<=[\[\s:]){re.escape(missing)}(?=[\],\s|.])", ids[0], block)
    return block


def test_the_guides_updates_example_added_to_the_shipped_data_is_valid(tmp_path: Path) -> None:
    """An editor who copies the documented example into data/ gets a valid file, by the editors' schema
    and by the build's checks (its claims are the shipped data's)."""
    examples = _documented_updates()
    assert examples, "no `# updates.yml` example in the project's guides"
    schema = json.loads((REPO / "data" / "schema" / "compliance.schema.json").read_text(encoding="utf-8"))
    for where, block in examples:
        project = copy_project(tmp_path / where.replace("/", "_"))
        block = _naming_own_claims(block, project / "data")
        (project / "data" / "updates.yml").write_text(block, encoding="utf-8")
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(block))]
        assert errors == [], where
        today = date.fromisoformat(FIXTURE_TODAY)
        data = load_compliance_data(project, project / "data", project / "docs", today=today)
        written = [update["title"] for update in yaml.safe_load(block)["updates"]]
        assert [update.title for update in data.document.updates] == written
