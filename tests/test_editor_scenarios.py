"""Typical editor changes, made to a copy of the shipped data/ in YAML alone and built strictly.

Nothing here depends on what data/ says today: each change works from whatever entries are there, so an
editor's own revision of data/ never breaks these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from compliance.links.linkmap import read_link_map
from conftest import article_text, date_words, edit_yaml, run_mkdocs, site_labels


def _build(project: Path) -> Path:
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "site"


def _text(site: Path, page: str) -> str:
    # Elements are joined with a space; punctuation after a link closes up again.
    return re.sub(r" ([.,;:)])", r"\1", article_text((site / page).read_text(encoding="utf-8")))


def _untouched(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for d in ("docs", "overrides", "hooks")
        for p in (project / d).rglob("*")
        if p.is_file()
    }


def _edit_hosting(project: Path, change: Any) -> None:
    """hosting.yml is optional: an editor who has none starts one."""
    path = project / "data/hosting.yml"
    if not path.exists():
        path.write_text("hosting: {}\n", encoding="utf-8")

    def edit(document: dict[str, Any]) -> None:
        if not isinstance(document.get("hosting"), dict):
            document["hosting"] = {}
        change(document["hosting"])

    edit_yaml(path, edit)


def test_renaming_every_provider(shipped_project: Path) -> None:
    before = _untouched(shipped_project)

    def rename(hosting: dict[str, Any]) -> None:
        providers = hosting.setdefault("providers", [])
        if not providers:
            providers.append({"id": "new-provider", "name": "Provider"})
        for provider in providers:
            provider["name"] = f"Renamed {provider['id']}"

    _edit_hosting(shipped_project, rename)
    # The matrix shows providers once a claim says where it holds: the first claim says "all of them".
    edit_yaml(
        shipped_project / "data/claims.yml",
        lambda d: d["claims"][0].setdefault("scope", {}).update(providers="all"),
    )
    site = _build(shipped_project)
    matrix = _text(site, "matrix/index.html")
    providers = json.loads((site / "compliance.json").read_text(encoding="utf-8"))["hosting"]["providers"]
    for provider in providers:
        assert f"Renamed {provider['id']}" in matrix
    assert _untouched(shipped_project) == before


def test_adding_a_claim_of_three_standards_and_two_offerings_with_conditions(shipped_project: Path) -> None:
    before = _untouched(shipped_project)
    edit_yaml(
        shipped_project / "data/standards.yml",
        lambda d: d.setdefault("standards", []).extend(
            {"id": f"std-{n}", "name": f"Standard {n}"} for n in ("one", "two", "three")
        ),
    )
    edit_yaml(
        shipped_project / "data/organisation.yml",
        lambda d: (
            d["organisation"]
            .setdefault("offerings", [])
            .extend([{"id": "offer-a", "name": "Offering A"}, {"id": "offer-b", "name": "Offering B"}])
        ),
    )
    claim = {
        "id": "new-claim",
        "kind": "certification",
        "title": "Three Standards Certificate",
        "status": "current",
        "standards": [{"standard": "std-one", "edition": "2022"}, {"standard": "std-two"}, {"standard": "std-three"}],
        "scope": {"offerings": ["offer-a", "offer-b"], "conditions": ["on dedicated hardware"]},
        "prose": "Covers [[claim:new-claim.standards]] for [[offering:offer-a]] and [[offering:offer-b]].",
    }
    edit_yaml(shipped_project / "data/claims.yml", lambda d: d.setdefault("claims", []).append(claim))
    site = _build(shipped_project)

    page = _text(site, "claims/new-claim/index.html")
    assert "Covers Standard one (2022), Standard two, and Standard three for Offering A and Offering B." in page
    assert "Standard one (2022)" in page and "on dedicated hardware" in page
    index = BeautifulSoup((site / "claims/index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a["href"].rstrip("/").endswith("new-claim") for a in index.select("article a[href]"))
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a["href"].rstrip("/").endswith("claims/new-claim") for a in home.select(".compliance-cards a[href]"))
    matrix = BeautifulSoup((site / "matrix/index.html").read_text(encoding="utf-8"), "html.parser")
    row = matrix.select_one("#matrix-new-claim")
    assert row is not None and "on dedicated hardware" in row.get_text()
    export = json.loads((site / "compliance.json").read_text(encoding="utf-8"))
    entry = next(c for c in export["claims"] if c["id"] == "new-claim")
    assert [s["standard"] for s in entry["standards"]] == ["std-one", "std-two", "std-three"]
    assert entry["scope"]["offerings"] == ["offer-a", "offer-b"]
    assert _untouched(shipped_project) == before


def test_adding_a_regulation_of_another_kind_with_a_link(shipped_project: Path) -> None:
    edit_yaml(
        shipped_project / "data/standards.yml",
        lambda d: d.setdefault("standards", []).append({"id": "dpa-law", "name": "Data Protection Act"}),
    )
    claim = {
        "id": "dpa",
        "kind": "regulation",
        "title": "Data Protection Act",
        "status": "in_progress",
        "expected": "2027-06",
        "standards": [{"standard": "dpa-law"}],
        "agreements": [{"name": "Data Processing Addendum"}],
        "prose": "We are working towards the [Data Protection Act](https://law.example/dpa).",
    }
    edit_yaml(shipped_project / "data/claims.yml", lambda d: d.setdefault("claims", []).append(claim))
    edit_yaml(
        shipped_project / "data/guide.yml",
        lambda d: d["guide"].setdefault("sections", []).append({"title": "Data protection", "claims": ["dpa"]}),
    )
    site = _build(shipped_project)
    guide = _text(site, "index.html")
    assert "We are working towards the Data Protection Act." in guide
    # In whatever words the organisation's labels give: "In progress · Expected June 2027" in English.
    labels = site_labels(shipped_project / "data", tool_dir=shipped_project)
    month = date_words(labels, "2027-06")
    assert f"{labels['statuses']['in_progress']} · {labels['facts']['expected']} {month}" in guide
    assert "Data Processing Addendum" in guide
    sources = read_link_map(site.with_name("site.linkmap.json"))["https://law.example/dpa"]
    lines = (shipped_project / "data/claims.yml").read_text(encoding="utf-8").splitlines()
    assert [(s.kind, s.file) for s in sources] == [("data", "data/claims.yml")]
    assert "https://law.example/dpa" in lines[sources[0].line - 1]


def test_a_report_becomes_type_2_with_a_sales_and_an_email_channel(shipped_project: Path) -> None:
    def to_type_2(d: dict[str, Any]) -> None:
        claim = d["claims"][0]
        claim["report_type"] = "Type 2"
        claim["access"] = {
            "level": "on_request",
            "channels": [
                {"label": "your sales representative"},
                {"label": "trust@example.com", "url": "mailto:trust@example.com"},
            ],
        }

    edit_yaml(shipped_project / "data/claims.yml", to_type_2)
    site = _build(shipped_project)
    first = json.loads((site / "compliance.json").read_text(encoding="utf-8"))["claims"][0]
    page = _text(site, first["page"] + "index.html")
    assert "Report type Type 2" in page
    assert "your sales representative" in page and "trust@example.com" in page
    soup = BeautifulSoup((site / first["page"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('article a[href="mailto:trust@example.com"]') is not None
    assert "mailto:trust@example.com" in read_link_map(site.with_name("site.linkmap.json"))


def test_removing_every_control_leaves_nothing_dangling(shipped_project: Path) -> None:
    """With `controls: []` in every area, their intros, the controls page and its nav entry all go."""
    intros: list[str] = []

    def remove(d: dict[str, Any]) -> None:
        for area in (d.get("controls") or {}).get("areas", []):
            intros.append(area.get("intro") or "")
            area["controls"] = []

    # controls.yml is optional: an organisation without one has no control to remove.
    if (shipped_project / "data/controls.yml").exists():
        edit_yaml(shipped_project / "data/controls.yml", remove)
    site = _build(shipped_project)
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select(".compliance-controls") == []
    assert not (site / "controls").exists()
    assert not soup.select('nav a[href="controls/"]')
    for intro in filter(None, intros):
        assert " ".join(intro.split())[:40] not in _text(site, "index.html")


def test_removing_a_claim_and_every_mention_of_it(shipped_project: Path) -> None:
    removed: list[str] = []

    def remove_claim(d: dict[str, Any]) -> None:
        removed.append(d["claims"].pop()["id"])

    edit_yaml(shipped_project / "data/claims.yml", remove_claim)
    edit_yaml(
        shipped_project / "data/guide.yml",
        lambda d: [
            s.update(claims=[c for c in s.get("claims", []) if c != removed[0]]) for s in d["guide"]["sections"]
        ],
    )
    result = run_mkdocs(shipped_project)
    if result.returncode != 0:  # only a prose mention of the removed claim may stop it, and it must say so
        assert f"unknown claim '{removed[0]}'" in result.stderr
        return
    assert not (shipped_project / "site" / "claims" / removed[0]).exists()
