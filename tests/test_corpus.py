"""The corpus of broken and hostile inputs: each one ends in its exact message, quickly, in little memory.

A case is `tests/corpus/<file>--<what>.yml` with its `.expected` beside it; tests/corpusrun.py says how
a case is written, laid out and run.

Cases run on the guide's fixture data set (tests/fixtures/datasets/guide), never the shipped data/,
which another organisation's may replace (`make test-other-org`). Each case runs in its own process,
forked from a server that has done the imports (tests/forkserver.py): no traceback may appear, and
it must end within its time (in CPU seconds, the imports not counted) and under 200 MB; a loader
case cannot even reach more than 200 MB. After every build case, built or not, `sitescan.scan_site`
finds nothing unsafe in site/: no script in an SVG, nothing from outside the project (a secret is
planted there, and in the project's `.env`), no image over the limit.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpusrun import (
    Case,
    image_limit,
    place,
    place_docs,
    run_case,
    site_lock_held,
    snapshot,
    start_fork_servers,
)
from forkserver import ForkServer
from sitescan import SECRET, scan_site

from conftest import copy_project

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*.yml"))
MEMORY_LIMIT = 200 * 1024 * 1024
PROBLEM_LINE = re.compile(r"^\S.*?:\d+:\d+: ")


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, ForkServer]]:
    started = start_fork_servers()
    yield started
    for server in started.values():
        server.close()


def test_the_corpus_is_complete() -> None:
    assert len(CASES) >= 120
    assert [c.name for c in CASES if not c.with_suffix(".expected").is_file()] == []


@pytest.mark.parametrize("path", CASES, ids=[c.stem for c in CASES])
def test_case(path: Path, tmp_path: Path, request: pytest.FixtureRequest, servers: dict[str, ForkServer]) -> None:
    case = Case.read(path)
    outside = tmp_path / "outside"
    outside.mkdir()
    if case.run == "build":
        project = tmp_path / "project"
        shutil.copytree(request.getfixturevalue("built_site").parent, project, symlinks=True)
        before = snapshot(project / "site")
    else:
        project = copy_project(tmp_path / "project", "guide") if case.run == "model" else tmp_path / "project"
        (project / "data").mkdir(parents=True, exist_ok=True)
    # Secrets beside the project and in it, that no file of the site may ever hold.
    (outside / "secret.txt").write_bytes(SECRET)
    (project / ".env").write_bytes(SECRET)
    if case.docs:
        place_docs(case, project / "docs", outside)
    else:
        place(case, project / "data", outside)

    # An address-space cap behind the measurement, so a runaway fails fast instead of filling
    # the machine; a whole MkDocs maps far more address space than it ever touches.
    with site_lock_held(project / ".site.lock", case.locked):
        server = servers["build" if case.run == "build" else "loader"]
        outcome = run_case(
            server, case.run, project, case.env, address_space=MEMORY_LIMIT if case.run == "loader" else 2**31
        )

    assert "Traceback" not in outcome.output, outcome.output
    assert outcome.cpu_seconds < case.within, f"took {outcome.cpu_seconds:.2f} s of CPU time"
    assert outcome.peak_bytes < MEMORY_LIMIT, f"peaked at {outcome.peak_bytes / 2**20:.0f} MB"
    if case.run == "build":
        assert scan_site(project / "site", image_limit=image_limit(case)) == []
    for text in case.says:
        assert text.replace("{project}", str(project)) in outcome.output, outcome.output
    if case.built:
        assert outcome.returncode == 0, outcome.output
        pages = [p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html")]
        for text in case.site_has:
            assert any(text in page for page in pages), f"no page holds {text!r}"
        for text in case.site_lacks:
            assert not any(text in page for page in pages), f"a page holds {text!r}"
        for name in case.no_files:
            assert not (project / "site" / name).exists(), f"the site has {name}"
        return
    expected = case.expected.replace("{outside}", str(outside))
    if expected.startswith("{"):  # an input that must be accepted
        assert outcome.returncode == 0, outcome.output
        assert outcome.output.strip() == expected
        return
    assert outcome.returncode != 0, outcome.output
    problems = [line for line in outcome.output.splitlines() if PROBLEM_LINE.match(line)]
    assert "\n".join(problems) == expected, outcome.output
    if case.run == "build":
        assert snapshot(project / "site") == before, "a failed build must leave the site as it was"


def test_the_site_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "images").mkdir(parents=True)
    (site / "images/ok.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    assert scan_site(site, image_limit=100) == []
    (site / "images/a.svg").write_bytes(b'<svg onload="x"/>')
    (site / "images/b.png").write_bytes(b"\x89PNG" + b"\0" * 200)
    (site / "copied.txt").write_bytes(b"x" + SECRET)
    (site / "link.txt").symlink_to(tmp_path)
    assert scan_site(site, image_limit=100) == [
        "copied.txt: holds the secret planted outside the site's sources",
        "images/a.svg: an SVG with script, an event handler or foreignObject",
        "images/b.png: an image of 204 bytes, over the limit of 100",
        "link.txt: is a link, not a copy made by the build",
    ]
