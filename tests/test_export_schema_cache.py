"""compliance.schema.json kept between builds: used when made from the same code, versions and limits, by this user."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from compliance import privatecache
from compliance.limits import Limits
from compliance.render import exportschema
from compliance.render.exportschema import CACHE_FOLDER, kept_export_schema_text
from compliance.render.plan import export_schema_text


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[Limits | None]:
    """The limits of each schema generated rather than read from the cache."""
    made: list[Limits | None] = []

    def counting(limits: Limits | None = None) -> str:
        made.append(limits)
        return export_schema_text(limits)

    monkeypatch.setattr(exportschema, "export_schema_text", counting)
    return made


def test_a_second_build_reads_the_schema_the_first_generated(tmp_path: Path, generated: list[Limits | None]) -> None:
    first = kept_export_schema_text(tmp_path, Limits())
    assert kept_export_schema_text(tmp_path, Limits()) == first == export_schema_text(Limits())
    assert generated == [Limits()]
    (file,) = (tmp_path / CACHE_FOLDER).iterdir()
    assert file.stat().st_mode & 0o777 == 0o600


def test_other_limits_or_other_code_generate_it_anew(
    tmp_path: Path, generated: list[Limits | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept_export_schema_text(tmp_path, Limits())
    raised = kept_export_schema_text(tmp_path, Limits(id_chars=150))
    assert '"maxLength": 150' in raised and generated == [Limits(), Limits(id_chars=150)]
    monkeypatch.setattr(exportschema, "code_digest", lambda: "the model's code, edited")
    kept_export_schema_text(tmp_path, Limits(id_chars=150))
    assert generated == [Limits(), Limits(id_chars=150), Limits(id_chars=150)]


def test_the_digest_covers_every_loaded_module_of_the_package() -> None:
    privatecache.code_digest.cache_clear()
    try:
        before = privatecache.code_digest()
        privatecache.code_digest.cache_clear()
        stand_in = types.ModuleType("compliance.stand_in")
        stand_in.__file__ = __file__
        sys.modules["compliance.stand_in"] = stand_in
        try:
            assert privatecache.code_digest() != before
        finally:
            del sys.modules["compliance.stand_in"]
    finally:
        privatecache.code_digest.cache_clear()


def test_an_altered_or_foreign_file_is_ignored(tmp_path: Path, generated: list[Limits | None]) -> None:
    right = kept_export_schema_text(tmp_path, Limits())
    (file,) = (tmp_path / CACHE_FOLDER).iterdir()
    file.write_bytes(file.read_bytes().replace(b'"title"', b'"tItle"'))  # its digest no longer matches
    assert kept_export_schema_text(tmp_path, Limits()) == right and len(generated) == 2
    os.chmod(file, 0o620)  # writable by the group: anyone in it could have written it
    assert kept_export_schema_text(tmp_path, Limits()) == right and len(generated) == 3


def test_a_cache_leading_outside_the_project_is_neither_read_nor_written(
    tmp_path: Path, generated: list[Limits | None]
) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir(mode=0o700)
    elsewhere.mkdir(mode=0o700)
    (project / ".cache").symlink_to(elsewhere)
    kept_export_schema_text(project, Limits())
    kept_export_schema_text(project, Limits())
    assert len(generated) == 2 and list(elsewhere.iterdir()) == []
