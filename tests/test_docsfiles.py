"""Files published from docs/: the SVG allowlist and the walk that refuses links, devices and loops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.limits import Limits
from compliance.load.docsfiles import docs_problems
from compliance.load.svgcheck import ELEMENTS, svg_problems

SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
REFUSED = ["script", "foreignObject", "a", "image", "iframe", "set", "animate", "embed", "object", "handler"]


@given(st.binary(max_size=600))
@settings(max_examples=200, deadline=None)
def test_any_bytes_give_problems_or_none_and_never_an_exception(content: bytes) -> None:
    for line, column, message in svg_problems(content):
        assert line >= 1 and column >= 1 and message


@given(st.lists(st.sampled_from(sorted(ELEMENTS) + REFUSED), max_size=6))
@settings(max_examples=200, deadline=None)
def test_an_svg_is_accepted_exactly_when_every_element_draws(names: list[str]) -> None:
    body = "".join(f"<{name}/>" for name in names)
    problems = svg_problems(SVG.format(body).encode())
    refused = [name for name in names if name not in ELEMENTS]
    if refused:
        assert problems and problems[0][2].startswith(f"<{refused[0]}> is not allowed")
    else:
        assert problems == []


@given(st.sampled_from(["onload", "onclick", "OnMouseOver", "onbegin"]), st.sampled_from(sorted(ELEMENTS)))
@settings(max_examples=50, deadline=None)
def test_an_event_handler_is_refused_on_any_element(handler: str, element: str) -> None:
    problems = svg_problems(SVG.format(f'<{element} {handler}="alert(1)"/>').encode())
    assert [message for _, _, message in problems] == [
        f"the event handler {handler}= on <{element}> is not allowed in an SVG image; remove it"
    ]


def test_the_walk_refuses_each_unsafe_entry_with_its_path_and_publishes_the_rest(tmp_path: Path) -> None:
    project = tmp_path / "project"
    images = project / "docs" / "images"
    images.mkdir(parents=True)
    (images / "ok.svg").write_text(SVG.format("<rect/>"))
    (images / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    (project / "shared").mkdir()
    (project / "shared" / "logo.svg").write_text(SVG.format("<circle/>"))
    (images / "shared").symlink_to("../../shared")  # a folder inside the project: walked, not refused
    (images / "up").symlink_to("..")
    (images / "zero.png").symlink_to("/dev/zero")
    (images / "gone.svg").symlink_to("gone-for-good.svg")
    (images / "fake.gif").write_text("<html>")
    os.mkfifo(images / "pipe.png")
    (images / ".hidden.svg").symlink_to("/dev/zero")  # hidden: MkDocs leaves it out, and so does the walk
    problems = {p.location.file: p.message for p in docs_problems(project, project / "docs", Limits())}
    assert problems == {
        "docs/images/up": "is a link to .., a folder that holds the link itself (a loop); remove it",
        "docs/images/zero.png": "is a link to /dev/zero, outside the project; only files inside it are published",
        "docs/images/gone.svg": (
            "is a link to gone-for-good.svg, which does not exist or cannot be followed; remove the link"
        ),
        "docs/images/fake.gif": "is named .gif but does not hold a GIF image; export it again in that format",
        "docs/images/pipe.png": "is not a regular file (a pipe, socket or device); remove it",
    }


def test_the_preview_checks_docs_once_per_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve` checks docs/ before loading the data (a looping link must not hang it); the data
    load then does not walk docs/ again, while a build walks it exactly once, before loading the data
    or reading what an earlier build kept of it."""
    from compliance import loadcache as cache_module
    from compliance import sitebuild as build_module
    from compliance.model import data as data_module
    from compliance.options import BuildOptions
    from compliance.sitebuild import SiteBuild
    from conftest import FIXTURE_TODAY, copy_project

    project = copy_project(tmp_path / "project", "guide")
    walked: list[Path] = []

    def counting(project_dir: Path, folder: Path, limits: Limits) -> list[object]:
        walked.append(folder)
        return docs_problems(project_dir, folder, limits)

    monkeypatch.setattr(build_module, "docs_problems", counting)
    monkeypatch.setattr(data_module, "docs_problems", counting)
    monkeypatch.setattr(cache_module, "docs_problems", counting)
    for command in ("serve", "build", "build"):  # the second build reads the data the first kept
        walked.clear()
        options = BuildOptions(today=FIXTURE_TODAY)  # type: ignore[arg-type]
        site = SiteBuild(command, project, project / "docs", options)
        site.load(project / "overrides", directory_urls=True, site_url=None)
        assert site.data is not None and not site.problems
        assert walked.count(project / "docs") == 1, (command, walked)
