"""Safe YAML loading keeps the position of every value, refuses silent data loss and stays bounded.

The exact message of every refused input lives in the corpus (tests/corpus, test_corpus.py);
these tests pin the behaviour around it: what is accepted, what each file contributes, and how
the limits and the catch-all are wired.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.errors import ComplianceError, Location
from compliance.limits import DEFAULT_MAX_FILE_BYTES, Limits
from compliance.load import datafiles
from compliance.load.datafiles import EMPTY_MESSAGE, read_data_files
from compliance.load.sourcemap import SourceMap, location, place
from compliance.load.yamlload import load_yaml, load_yaml_file
from compliance.options import read_options

TEXT = """\
certifications:
  - id: iso27001
    documents:
      - title: Certificate
        url: ftp://example.com/cert.pdf
"""


def test_every_value_and_key_has_its_line_and_column() -> None:
    value, sources, problems = load_yaml(TEXT, "data/c.yml")
    assert problems == []
    assert value["certifications"][0]["documents"][0]["url"] == "ftp://example.com/cert.pdf"
    assert sources.value(("certifications", 0, "documents", 0, "url")) == Location("data/c.yml", 5, 14)
    assert sources.key(("certifications", 0, "documents")) == Location("data/c.yml", 3, 5)
    assert sources.value(("certifications", 0)) == Location("data/c.yml", 2, 5)


def test_unknown_path_falls_back_to_nearest_recorded_parent() -> None:
    _, sources, _ = load_yaml(TEXT, "data/c.yml")
    assert sources.value(("certifications", 0, "image", "alt")) == Location("data/c.yml", 2, 5)


def test_duplicate_keys_are_reported_and_the_first_value_kept() -> None:
    value, _, problems = load_yaml("a: 1\nb: 2\na: 3\n", "data/d.yml")
    assert [str(p) for p in problems] == [
        "data/d.yml:3:1: duplicate key 'a' (first defined at line 1); YAML would silently keep only the last one"
    ]
    assert value == {"a": 1, "b": 2}


def test_only_plain_true_false_and_decimals_are_typed_everything_else_stays_text() -> None:
    text = "a: no\nb: yes\nc: on\nd: 2016-02-01\ne: true\nf: False\ng: 27:01\nh: 010\ni: 0x1F\nj: 1_000\n"
    text += "k: .inf\nl: 42\nm: -1.5\nn: 1e3\no: ~\np:\nq: '12'\nr: !!str 7\n"
    value, _, problems = load_yaml(text, "x.yml")
    assert problems == []
    assert value == {
        **{"a": "no", "b": "yes", "c": "on", "d": "2016-02-01", "e": True, "f": False, "g": "27:01", "h": "010"},
        **{"i": "0x1F", "j": "1_000", "k": ".inf", "l": 42, "m": -1.5, "n": "1e3", "o": None, "p": None},
        **{"q": "12", "r": "7"},
    }


def test_a_refused_value_withholds_the_whole_file_so_no_follow_up_errors_appear() -> None:
    value, sources, problems = load_yaml("a: ok\nb: !!binary aGk=\nc: !!timestamp 2016-01-01\n", "data/t.yml")
    assert value is None
    assert [p.location for p in problems] == [Location("data/t.yml", 2, 4), Location("data/t.yml", 3, 4)]
    assert sources.value(("a",)) == Location("data/t.yml", 1, 4)


def test_syntax_error_names_file_line_and_column() -> None:
    value, _, problems = load_yaml("a: [1, 2\nb: 3\n", "data/s.yml")
    assert value is None
    assert len(problems) == 1
    assert str(problems[0]).startswith("data/s.yml:2:2: YAML syntax error: expected ',' or ']'")


def test_escaped_control_characters_in_a_quoted_value_are_refused_at_the_value() -> None:
    _, _, problems = load_yaml('a: fine\nb: "red \\e[31m"\n', "data/e.yml")
    assert [str(p) for p in problems] == [
        "data/e.yml:2:4: the text holds U+001B (ESC), which is not allowed; remove it"
    ]


def test_text_with_refused_characters_given_directly_is_reported_not_raised() -> None:
    # PyYAML's reader raises a ReaderError with no line for these; we find them first.
    _, _, problems = load_yaml("a: 1\nb: x\x00y\n", "data/n.yml")
    assert [p.location for p in problems] == [Location("data/n.yml", 2, 5)]


def test_bom_and_crlf_line_ends_are_accepted_and_positions_stay_right(tmp_path: Path) -> None:
    path = tmp_path / "w.yml"
    path.write_bytes(b"\xef\xbb\xbfa:\r\n  b: caf\xc3\xa9\r\n  c: 2\r\n")
    value, sources, problems = load_yaml_file(path, "data/w.yml")
    assert problems == []
    assert value == {"a": {"b": "café", "c": 2}}
    assert sources.value(("a", "c")) == Location("data/w.yml", 3, 6)


def test_undecodable_bytes_are_reported_at_their_own_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_bytes(b"a: ok\nb: caf\xe9 \xff\n")
    _, _, problems = load_yaml_file(path, "data/bad.yml")
    assert [p.location for p in problems] == [Location("data/bad.yml", 2, 7), Location("data/bad.yml", 2, 9)]
    assert problems[0].message.startswith("not UTF-8 text: byte 0xE9 cannot be read here")


def test_many_refused_characters_are_summed_up_after_ten(tmp_path: Path) -> None:
    path = tmp_path / "nul.yml"
    path.write_bytes(b"a: " + b"\x00" * 50 + b"\n")
    _, _, problems = load_yaml_file(path, "data/nul.yml")
    assert len(problems) == 11
    assert str(problems[-1]) == "data/nul.yml:1:14: 40 more characters like the ones above are not listed"


def test_the_file_size_limit_can_be_raised(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # Fewer characters per value than the text limit, more bytes than the file limit:
    (data / "big.yml").write_text("".join(f"k{i}: {'x' * 900}\n" for i in range(DEFAULT_MAX_FILE_BYTES // 900 + 1)))
    files = read_data_files(tmp_path, data)
    size = (data / "big.yml").stat().st_size
    assert [str(p) for p in files.problems] == [
        f"data/big.yml:1:1: the file is {size:,} bytes, over the limit of 262,144 bytes for one data file; "
        "split it, or raise the limit with max_file_size under extra: compliance: in mkdocs.yml "
        "(e.g. max_file_size: 2M)"
    ]
    assert files.incomplete
    limits = read_options({"max_file_size": "1M"}, {}).limits
    # All data files together may then hold three such files.
    assert limits == Limits(file_bytes=1024 * 1024, data_bytes=3 * 1024 * 1024)
    files = read_data_files(tmp_path, data, limits)
    assert files.problems == []
    assert len(files.document) == DEFAULT_MAX_FILE_BYTES // 900 + 1


def _data_dir(tmp_path: Path, **files: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in files.items():
        (data / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return data


def test_files_are_merged_and_a_comment_only_file_adds_nothing(tmp_path: Path) -> None:
    data = _data_dir(tmp_path, a__yml="a: 1\n", b__yaml="b: 2\n", c__yml="# nothing here yet\n\n# really\n")
    files = read_data_files(tmp_path, data)
    assert (files.document, files.problems, files.incomplete) == ({"a": 1, "b": 2}, [], False)
    assert files.sources.key(("b",)) == Location("data/b.yaml", 1, 1)


def test_a_truly_empty_file_is_reported_but_leaves_the_others_complete(tmp_path: Path) -> None:
    data = _data_dir(tmp_path, a__yml="a: 1\n", e__yml="\n  \n")
    files = read_data_files(tmp_path, data)
    assert [str(p) for p in files.problems] == [f"data/e.yml:1:1: {EMPTY_MESSAGE}"]
    assert not files.incomplete


def test_a_broken_file_does_not_hide_the_others_and_marks_the_set_incomplete(tmp_path: Path) -> None:
    data = _data_dir(tmp_path, a__yml="a: [\n", b__yml="b: 1\nb: 2\n", c__yml="c: ok\n")
    files = read_data_files(tmp_path, data)
    assert [str(p.location) for p in files.problems] == ["data/a.yml:2:1", "data/b.yml:2:1"]
    assert files.document == {"b": 1, "c": "ok"}
    assert files.incomplete


def test_editor_lock_backup_and_swap_files_are_ignored(tmp_path: Path) -> None:
    data = _data_dir(tmp_path, a__yml="a: 1\n")
    (data / ".#a.yml").symlink_to("user@host.1234:1700000000")  # an Emacs lock: a dangling link
    for name in ("._a.yml", ".a.yml.swp", "a.yml~", "#a.yml#", ".a.swp.yml"):
        (data / name).write_bytes(b"\x00\x05garbage")
    files = read_data_files(tmp_path, data)
    assert (files.document, files.problems) == ({"a": 1}, [])


def test_a_linked_file_is_named_by_its_link_and_followed_inside_the_project(tmp_path: Path) -> None:
    data = _data_dir(tmp_path)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "real.yml").write_text("a: 1\nb: [\n")
    (data / "linked.yml").symlink_to(tmp_path / "shared" / "real.yml")
    files = read_data_files(tmp_path, data)
    assert [str(p.location) for p in files.problems] == ["data/linked.yml:3:1"]


def test_a_symlinked_data_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.yml").write_text("a: 1\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "data").symlink_to(outside)
    with pytest.raises(ComplianceError) as caught:
        read_data_files(project, project / "data")
    assert str(caught.value) == (
        f"data:1:1: the data folder is a link to {outside}, outside the project; data must live inside it"
    )


def test_an_unreadable_file_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root (as in CI) reads any file whatever its mode, so the refusal is simulated there.
    data = _data_dir(tmp_path, a__yml="a: 1\n", b__yml="b: 1\n")
    (data / "b.yml").chmod(0)
    if os.geteuid() == 0:
        real_open = Path.open
        denied = PermissionError(13, "Permission denied")

        def refuse_b(self: Path, *args: object, **kwargs: object) -> object:
            if self.name == "b.yml":
                raise denied
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", refuse_b)
    files = read_data_files(tmp_path, data)
    assert [str(p) for p in files.problems] == [
        "data/b.yml:1:1: cannot be read: Permission denied; check its permissions"
    ]
    assert files.document == {"a": 1}


def test_an_unexpected_failure_names_the_file_and_the_debug_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _data_dir(tmp_path, a__yml="a: 1\n", b__yml="b: 1\n")
    real_load = datafiles.load_yaml

    def explode_on_b(text: str, name: str, limits: Limits | None = None) -> object:
        if name == "data/b.yml":
            raise RecursionError("deep inside a library")
        return real_load(text, name, limits)

    monkeypatch.setattr(datafiles, "load_yaml", explode_on_b)
    files = read_data_files(tmp_path, data)
    assert [str(p) for p in files.problems] == [
        "data/b.yml:1:1: unexpected RecursionError while reading this file; "
        "run the build again with COMPLIANCE_DEBUG=1 to see the traceback"
    ]
    assert files.document == {"a": 1} and files.incomplete
    with pytest.raises(RecursionError):
        read_data_files(tmp_path, data, debug=True)


def test_many_refused_values_are_listed_up_to_ten_then_summed_up() -> None:
    text = "".join(f"k{i}: !!binary aGk=\n" for i in range(30))
    _, _, problems = load_yaml(text, "data/b.yml")
    assert len(problems) == 11
    assert str(problems[-1]) == ("data/b.yml:11:6: more values like the ones above are refused too; fix those first")


@given(
    st.sampled_from(["data/claims.yml", "data/é.yml", "labels/sv.yml", "x"]),
    st.integers(1, 10**9),
    st.integers(1, 2**32 - 1),
)
def test_a_place_kept_as_one_int_gives_back_its_file_line_and_column(name: str, line: int, column: int) -> None:
    assert location(place(name, line, column)) == Location(name, line, column)


def test_the_places_of_values_read_from_a_file_are_its_lines_and_columns() -> None:
    text = "a:\n  b: [1, 'two']\n  c: |\n    text\n"
    _, sources, _ = load_yaml(text, "data/f.yml")
    assert isinstance(sources, SourceMap)
    assert sources.value(("a", "b", 1)) == Location("data/f.yml", 2, 10)
    assert sources.key(("a", "c")) == Location("data/f.yml", 3, 3)
    assert sources.value(("a", "c")) == Location("data/f.yml", 3, 6)
    assert sources.value(("a", "missing", 3)) == Location("data/f.yml", 2, 3)  # the nearest: the mapping at a
