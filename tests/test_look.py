"""The organisation's look: its colours checked for WCAG AA contrast and given to the theme, its logo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from compliance.model.colours import WHITE, contrast
from compliance.render.palette import SLATE, readable_on
from conftest import copy_project, edit_yaml, run_mkdocs


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#4051b5", "#ffffff", 6.86), ("#767676", WHITE, 4.54)],
)
def test_contrast_is_the_wcag_ratio_whichever_colour_comes_first(first: str, second: str, ratio: float) -> None:
    assert contrast(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast(second, first) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["#0b5394", "#000000", "#b45309", "#1e2029"])
def test_dark_page_links_are_lightened_just_enough_to_read(colour: str) -> None:
    lighter = readable_on(colour, SLATE)
    assert contrast(lighter, SLATE) >= 4.5
    assert readable_on("#ffffff", SLATE) == "#ffffff"


def test_colours_and_logo_from_the_data_reach_the_theme(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "dated")

    def look(document: dict) -> None:
        document["organisation"]["colours"] = {"primary": "#0b5394", "accent": "#b45309"}
        document["organisation"]["logo"] = {"src": "images/soc2-badge.svg", "alt": "Example Analytics"}

    edit_yaml(project / "data/organisation.yml", look)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup((project / "site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.body["data-md-color-primary"] == "custom" and home.body["data-md-color-accent"] == "custom"
    sheets = [link["href"] for link in home.select("link[rel=stylesheet]")]
    assert sheets[-1] == "stylesheets/organisation.css"
    css = (project / "site/stylesheets/organisation.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #0b5394;" in css and "--md-accent-fg-color: #b45309;" in css
    dark = re.search(r'\[data-md-color-scheme="slate"\] \{([^}]*)\}', css)
    assert dark is not None
    for colour in re.findall(r"#[0-9a-f]{6}", dark.group(1)):
        assert contrast(colour, SLATE) >= 4.5
    assert home.select_one(".md-header__button.md-logo img")["src"] == "images/soc2-badge.svg"


def test_without_colours_the_theme_keeps_its_own(dated_site: Path) -> None:
    home = BeautifulSoup((dated_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.body["data-md-color-primary"] != "custom"
    assert not (dated_site / "stylesheets/organisation.css").exists()
    assert "organisation.css" not in str(home.head)


def test_status_colours_keep_wcag_aa_text_contrast_in_both_palettes() -> None:
    """Each status's word on its own tint, and its colour (the card's edge) against the page."""
    css = (Path(__file__).resolve().parent.parent / "docs/stylesheets/compliance.css").read_text(encoding="utf-8")
    pattern = r"--compliance-([a-z_]+-[fb]g): (#[0-9a-f]{6});"
    light = dict(re.findall(pattern, css.split(":root {", 1)[1].split("}")[0]))
    dark = dict(re.findall(pattern, css.split('[data-md-color-scheme="slate"] {', 1)[1].split("}")[0]))
    statuses = {name.rsplit("-", 1)[0] for name in light}
    assert statuses == {"current", "in_progress", "lapsed"} and set(dark) == set(light)
    for palette, page in ((light, WHITE), (dark, SLATE)):
        for status in statuses:
            assert contrast(palette[f"{status}-fg"], palette[f"{status}-bg"]) >= 4.5, (status, palette)
            assert contrast(palette[f"{status}-fg"], page) >= 4.5, (status, page)
