"""The loaded data kept between builds (compliance/loadcache.py): used only when a fresh load would give
the same data, by this user's builds; every other case loads anew, and a load that fails is never kept."""

from __future__ import annotations

import dataclasses
import importlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance import loadcache
from compliance.errors import ComplianceError
from compliance.limits import Limits
from compliance.loadcache import CACHE_FOLDER, entry_name, kept_load
from compliance.model.catalogueload import Catalogue
from compliance.model.data import ComplianceData, load_compliance_data
from compliance.policy import DEFAULT_LEVELS
from compliance.privatecache import PrivateCache
from conftest import edit_yaml, run_mkdocs, site_differences

DAY = date(2026, 11, 28)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The arguments of each load that was made rather than read from the cache."""
    made: list[dict[str, Any]] = []

    def counting(project_dir: Path, data_dir: Path, docs_dir: Path, **arguments: Any) -> ComplianceData:
        made.append(arguments)
        return load_compliance_data(project_dir, data_dir, docs_dir, **arguments)

    monkeypatch.setattr(loadcache, "load_compliance_data", counting)
    return made


def load(project: Path, **arguments: Any) -> ComplianceData:
    return kept_load(project, project / "data", project / "docs", **{"today": DAY, **arguments})


def fresh(project: Path, **arguments: Any) -> ComplianceData:
    return load_compliance_data(project, project / "data", project / "docs", **{"today": DAY, **arguments})


def same(kept: ComplianceData, loaded: ComplianceData) -> bool:
    """Equal in every field (the catalogue, a plain class, by its attributes)."""
    plain = Catalogue()
    catalogues = vars(kept.catalogue) == vars(loaded.catalogue)
    return catalogues and dataclasses.replace(kept, catalogue=plain) == dataclasses.replace(loaded, catalogue=plain)


def test_a_second_load_reads_what_the_first_kept(project: Path, loads: list[dict[str, Any]]) -> None:
    first = load(project)
    second = load(project)
    assert len(loads) == 1 and second is not first and same(second, fresh(project))
    (file,) = (project / CACHE_FOLDER).iterdir()
    assert file.stat().st_mode & 0o777 == 0o600


def _retitle(project: Path) -> None:
    edit_yaml(project / "data" / "claims.yml", lambda document: document["claims"][0].update(title="Retitled"))


def _relabel(project: Path) -> None:
    with (project / "labels" / "en.yml").open("a", encoding="utf-8") as file:
        file.write("# an edit that changes no label\n")


def _recatalogue(project: Path) -> None:
    path = project / "catalogue" / "standards.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("https://", "https://www.", 1), encoding="utf-8")


def _remove_images(project: Path) -> None:
    shutil.rmtree(project / "docs" / "images")


# Each input of the load changed, with the arguments the next load is given.
EDITS: dict[str, tuple[Callable[[Path], None], dict[str, Any]]] = {
    "a data file": (_retitle, {}),
    "a labels file": (_relabel, {}),
    "the catalogue": (_recatalogue, {}),
    "docs/'s files": (_remove_images, {}),
    "the day": (lambda project: None, {"today": date(2026, 11, 29)}),
    "the limits": (lambda project: None, {"limits": Limits(id_chars=150)}),
    "the rules": (lambda project: None, {"rules": {**DEFAULT_LEVELS, "undated_status": "block"}}),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_changed_input_loads_it_anew(project: Path, loads: list[dict[str, Any]], edit: str) -> None:
    change, arguments = EDITS[edit]
    load(project)
    change(project)
    try:
        expected: ComplianceData | ComplianceError = fresh(project, **arguments)
    except ComplianceError as exc:
        expected = exc
    if isinstance(expected, ComplianceError):  # the edit broke the data: the kept data is not used
        with pytest.raises(ComplianceError) as caught:
            load(project, **arguments)
        assert [str(p) for p in caught.value.problems] == [str(p) for p in expected.problems]
    else:
        assert same(load(project, **arguments), expected)
    assert len(loads) == 2


def test_a_load_that_fails_is_not_kept_and_the_kept_one_is_not_used(project: Path, loads: list[dict[str, Any]]) -> None:
    load(project)
    (kept,) = (project / CACHE_FOLDER).iterdir()
    before = kept.read_bytes()
    claims = project / "data" / "claims.yml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("claims:", "claims: [", 1), encoding="utf-8")
    with pytest.raises(ComplianceError):
        load(project)
    assert kept.read_bytes() == before
    claims.write_text(text, encoding="utf-8")
    assert same(load(project), fresh(project)) and len(loads) == 2  # the data kept before the edit


def test_docs_problems_are_reported_with_the_datas(project: Path, loads: list[dict[str, Any]]) -> None:
    load(project)
    (project / "docs" / "loop").symlink_to("loop")
    edit_yaml(project / "data" / "claims.yml", lambda document: document["claims"][0].update(standart="a typo"))
    with pytest.raises(ComplianceError) as caught:
        load(project)
    messages = "\n".join(str(problem) for problem in caught.value.problems)
    assert "docs/loop:1:1" in messages and "claims[0].standart" in messages


def test_changed_code_loads_it_anew(
    project: Path, loads: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    load(project)
    monkeypatch.setattr(loadcache, "code_digest", lambda: "the tool's code, edited")
    load(project)
    load(project)
    assert len(loads) == 2


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Path]:
    """A module loaded from a file of its own, as a library is, for the length of a test."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    (folder / "stand_in_library.py").write_text("VERSION = 1\n", encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        importlib.import_module("stand_in_library")
        yield folder / "stand_in_library.py"
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("stand_in_library", None)


def test_a_changed_or_removed_library_loads_it_anew(project: Path, loads: list[dict[str, Any]], library: Path) -> None:
    load(project)
    load(project)
    assert len(loads) == 1
    status = library.stat()
    os.utime(library, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))  # updated in place
    load(project)
    assert len(loads) == 2
    library.unlink()
    load(project)
    assert len(loads) == 3


def test_a_kept_file_that_cannot_be_used_is_ignored(project: Path, loads: list[dict[str, Any]]) -> None:
    load(project)
    (file,) = (project / CACHE_FOLDER).iterdir()
    file.write_bytes(file.read_bytes()[:-10])  # truncated: its digest no longer matches
    assert same(load(project), fresh(project)) and len(loads) == 2
    cache = PrivateCache(project, CACHE_FOLDER)
    name = entry_name(project / "data", {"language": None, "for_print": False})
    content = cache.read(name)
    assert content is not None
    key, manifest, _ = content.split(b"\n", 2)
    for unusable in (b"not a pickle", b"\x80\x05K\x01."):  # garbage, and a pickle of something else
        cache.write(name, key + b"\n" + manifest + b"\n" + unusable)
        assert same(load(project), fresh(project))
    assert len(loads) == 4


def test_a_kept_file_that_came_from_elsewhere_is_ignored(project: Path, loads: list[dict[str, Any]]) -> None:
    """A commit could bring a `.cache/` whose data says what the YAML does not, keyed right (the inputs
    and the code are public): its files are not the ones this user's builds wrote, so they do not count."""
    load(project)
    (file,) = (project / CACHE_FOLDER).iterdir()
    copy = file.with_name("copy")
    copy.write_bytes(file.read_bytes())  # the same bytes, in a file no build of this user's wrote
    copy.chmod(0o600)
    os.replace(copy, file)
    assert same(load(project), fresh(project)) and len(loads) == 2


def test_each_language_and_medium_keeps_a_file_of_its_own(project: Path, loads: list[dict[str, Any]]) -> None:
    load(project)
    load(project, for_print=True)
    load(project)
    load(project, for_print=True)
    assert len(loads) == 2 and len(list((project / CACHE_FOLDER).iterdir())) == 2


def test_a_build_from_kept_data_publishes_the_same_site(project: Path) -> None:
    first = run_mkdocs(project, "-d", str(project / "first"))
    assert first.returncode == 0, first.stderr
    (kept,) = (project / CACHE_FOLDER).iterdir()
    written = kept.stat()
    second = run_mkdocs(project, "-d", str(project / "second"))
    assert second.returncode == 0, second.stderr
    now = kept.stat()
    assert (now.st_ino, now.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)  # read, not made again
    assert site_differences(project / "first", project / "second") == []
