"""Hostile values through a full build: the theme's title, header, navigation and meta stay inert."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import copy_project, edit_yaml, run_mkdocs

SCRIPT = "<script>alert(1)</script>"
HOSTILE = {
    "title": f"Trust{SCRIPT}",
    "description": f'x" onload="alert(1)" {SCRIPT}',
    "claim": "SOC 2 <img src=x onerror=alert(1)> x](javascript:alert(1)) {: onclick=alert(1) }",
    "measure": "[x](javascript:alert(1)) ![p](https://tracker.example/p.png)",
}


def test_hostile_text_never_becomes_markup_anywhere_in_the_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    edit_yaml(
        project / "data/guide.yml",
        lambda d: d["guide"].update(title=HOSTILE["title"], description=HOSTILE["description"]),
    )
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][3].update(title=HOSTILE["claim"]))
    edit_yaml(project / "data/controls.yml", lambda d: d["controls"]["areas"][0]["controls"].append({"name": "x"}))
    result = run_mkdocs(project)
    assert result.returncode != 0 and "controls.areas[0].controls[6].name: unknown key 'name'" in result.stderr

    edit_yaml(project / "data/controls.yml", lambda d: d["controls"]["areas"][0]["controls"].pop())
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert(1)" not in script.get_text(), page
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (page, tag.name)
            assert not str(tag.get("href", "")).lower().startswith("javascript:"), page
        assert soup.find("img", src="x") is None
    index = BeautifulSoup((project / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert SCRIPT in index.title.get_text()  # shown as text, not run
    assert soc2_title(project) == f"{HOSTILE['claim']} - {HOSTILE['title']}"
    assert index.find("meta", attrs={"name": "description"})["content"] == HOSTILE["description"]
    soc2 = BeautifulSoup((project / "site/claims/soc2/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soc2.find("h1").get_text().rstrip("¶") == HOSTILE["claim"]


def soc2_title(project: Path) -> str:
    page = BeautifulSoup((project / "site/claims/soc2/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [tag.name for tag in page.title.find_all(True)] == []
    return page.title.get_text()


def test_a_hostile_control_is_refused_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    edit_yaml(
        project / "data/controls.yml",
        lambda d: d["controls"]["areas"][0]["controls"].append({"text": HOSTILE["measure"]}),
    )
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert (
        "controls.areas[0].controls[6].text: expected a link to an https, http, ftp or mailto URL, "
        "got 'javascript:alert(1)'" in result.stderr
    )
    assert "controls.areas[0].controls[6].text: images are not allowed in prose; use an `image:` field" in result.stderr
    assert "Traceback" not in result.stderr
