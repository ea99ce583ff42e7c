"""The compiled-template cache: used again when it is ours and right, ignored (compiled from source) otherwise.

Each test counts what Jinja compiles, on a fresh environment per "build", with the in-process copy
of the cache emptied between them so only the disk can serve a template.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from compliance.render import templatecache
from compliance.render.pages import theme_problems
from compliance.render.templatecache import CACHE_FOLDER, TemplateCache, namespace, use_cache


class CountingEnvironment(jinja2.Environment):
    """An environment that counts the templates it compiles from source."""

    compiled: list[str]

    def _compile(self, source: str, filename: str) -> object:
        self.compiled.append(filename)
        return super()._compile(source, filename)


def build(project: Path, templates: Path, **settings: object) -> CountingEnvironment:
    """A new environment as a new build makes one, with the project's cache and nothing kept in memory."""
    templatecache._MEMORY.clear()
    env = CountingEnvironment(loader=jinja2.FileSystemLoader(str(templates)), **settings)  # type: ignore[arg-type]
    env.compiled = []
    use_cache(env, project)
    return env


def render(env: CountingEnvironment, name: str = "page.html") -> str:
    return env.get_template(name).render(who="reader")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("Hello {{ who }}\n", encoding="utf-8")
    return tmp_path


def cached_files(project: Path) -> list[Path]:
    return sorted(path for path in (project / CACHE_FOLDER).rglob("*") if path.is_file())


def test_a_second_build_loads_the_compiled_template_instead_of_compiling_it(project: Path) -> None:
    first = build(project, project / "templates")
    assert render(first) == "Hello reader" and first.compiled == [str(project / "templates" / "page.html")]
    second = build(project, project / "templates")
    assert render(second) == "Hello reader" and second.compiled == []
    (file,) = cached_files(project)
    assert file.stat().st_mode & 0o777 == 0o600 and file.parent.stat().st_mode & 0o777 == 0o700


def test_a_changed_template_is_compiled_anew(project: Path) -> None:
    render(build(project, project / "templates"))
    (project / "templates" / "page.html").write_text("Goodbye {{ who }}\n", encoding="utf-8")
    again = build(project, project / "templates")
    assert render(again) == "Goodbye reader" and len(again.compiled) == 1


def test_another_jinja_version_or_other_syntax_settings_use_another_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = build(project, project / "templates")
    render(plain)
    trimmed = build(project, project / "templates", trim_blocks=True)
    assert namespace(trimmed) != namespace(plain)
    render(trimmed)
    assert len(trimmed.compiled) == 1
    monkeypatch.setattr(jinja2, "__version__", "99.0.0")
    newer = build(project, project / "templates")
    assert "jinja-99.0.0-" in namespace(newer)
    render(newer)
    assert len(newer.compiled) == 1


def test_a_damaged_cache_file_is_ignored(project: Path) -> None:
    render(build(project, project / "templates"))
    (file,) = cached_files(project)
    content = file.read_bytes()
    assert content.count(b"Hello ") == 1
    file.write_bytes(content.replace(b"Hello ", b"Hxllo "))  # still valid code, but not what was written
    again = build(project, project / "templates")
    assert render(again) == "Hello reader" and len(again.compiled) == 1


def test_a_copy_of_a_cache_file_is_ignored(project: Path) -> None:
    render(build(project, project / "templates"))
    (file,) = cached_files(project)
    copy = file.with_name("copy")
    copy.write_bytes(file.read_bytes())  # as a commit or an archive would bring it: right, but another file
    copy.chmod(0o600)
    os.replace(copy, file)
    again = build(project, project / "templates")
    assert render(again) == "Hello reader" and len(again.compiled) == 1


def test_a_cache_file_another_user_could_have_written_is_ignored(project: Path) -> None:
    render(build(project, project / "templates"))
    (file,) = cached_files(project)
    file.chmod(0o620)  # writable by the group
    again = build(project, project / "templates")
    assert render(again) == "Hello reader" and len(again.compiled) == 1


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="giving a file away needs root")
def test_a_cache_file_owned_by_another_user_is_ignored(project: Path) -> None:
    render(build(project, project / "templates"))
    (file,) = cached_files(project)
    os.chown(file, 65534, 65534)
    again = build(project, project / "templates")
    assert render(again) == "Hello reader" and len(again.compiled) == 1


def test_a_cache_folder_leading_outside_the_project_is_neither_read_nor_written(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "templates").mkdir(parents=True)
    (project / "templates" / "page.html").write_text("Hello {{ who }}\n", encoding="utf-8")
    # A cache written elsewhere by the same code, then linked in as the project's .cache.
    (elsewhere / "templates").mkdir(parents=True)
    (elsewhere / "templates" / "page.html").write_text("Hello {{ who }}\n", encoding="utf-8")
    render(build(elsewhere, elsewhere / "templates"))
    written = cached_files(elsewhere)
    (project / ".cache").symlink_to(elsewhere / ".cache", target_is_directory=True)
    first = build(project, project / "templates")
    assert render(first) == "Hello reader" and len(first.compiled) == 1
    second = build(project, project / "templates")
    assert render(second) == "Hello reader" and len(second.compiled) == 1  # nothing was kept through the link
    assert cached_files(elsewhere) == written


def test_a_cache_file_that_is_a_link_is_ignored(project: Path, tmp_path: Path) -> None:
    render(build(project, project / "templates"))
    (file,) = cached_files(project)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.write_bytes(file.read_bytes())
    outside.chmod(0o600)
    file.unlink()
    file.symlink_to(outside)
    again = build(project, project / "templates")
    assert render(again) == "Hello reader" and len(again.compiled) == 1


def test_the_cache_is_per_project(project: Path, tmp_path: Path) -> None:
    cache = TemplateCache(project, jinja2.Environment())
    assert cache.folder.is_relative_to(project.resolve() / CACHE_FOLDER)


def test_the_theme_check_parses_only_templates_the_cache_does_not_hold(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render(build(project, project / "templates"))
    env = build(project, project / "templates")
    parsed: list[str] = []
    parse = env.parse
    monkeypatch.setattr(
        env, "parse", lambda source, name, filename: parsed.append(name) or parse(source, name, filename)
    )
    assert theme_problems(env, project / "templates", project) == [] and parsed == []
    (project / "templates" / "page.html").write_text("Hello {% if %}\n", encoding="utf-8")
    (problem,) = theme_problems(env, project / "templates", project)
    assert parsed == ["page.html"]
    assert (
        str(problem)
        == "templates/page.html:1:1: template syntax error: Expected an expression, got 'end of statement block'"
    )


def test_the_theme_check_trusts_another_environment_that_reads_templates_alike(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A partial only our pages import: the theme never compiles it, our renderer (other settings, a
    # filter the theme lacks) does.
    (project / "templates" / "partial.html").write_text("{{ who | shout }}\n", encoding="utf-8")
    render(build(project, project / "templates"))
    ours = build(project, project / "templates", trim_blocks=True)
    ours.filters["shout"] = str.upper
    assert render(ours, "partial.html") == "READER"
    theme = build(project, project / "templates")
    parsed: list[str] = []
    parse = theme.parse
    monkeypatch.setattr(
        theme, "parse", lambda source, name, filename: parsed.append(name) or parse(source, name, filename)
    )
    next_ours = build(project, project / "templates", trim_blocks=True)
    assert theme_problems(theme, project / "templates", project, also=(next_ours,)) == [] and parsed == []
    assert theme_problems(theme, project / "templates", project) == [] and parsed == ["partial.html"]
    # Other delimiters: what parses there (here, as plain text) proves nothing about the theme's.
    delimiters: dict[str, object] = {"variable_start_string": "[[", "variable_end_string": "]]"}
    assert render(build(project, project / "templates", **delimiters), "partial.html") == "{{ who | shout }}"
    other = build(project, project / "templates", **delimiters)
    assert other.bytecode_cache is not None
    assert (
        other.bytecode_cache.get_bucket(
            other, "partial.html", str(project / "templates" / "partial.html"), "{{ who | shout }}\n"
        ).code
        is not None
    )
    parsed.clear()
    assert theme_problems(theme, project / "templates", project, also=(other,)) == [] and parsed == ["partial.html"]
