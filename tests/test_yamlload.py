"""Safe YAML loading keeps the position of every value and refuses silent data loss."""

from __future__ import annotations

from pathlib import Path

from compliance.errors import Location
from compliance.yamlload import load_yaml, load_yaml_file

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


def test_duplicate_keys_are_reported_not_silently_dropped() -> None:
    value, _, problems = load_yaml("a: 1\nb: 2\na: 3\n", "data/d.yml")
    assert [str(p) for p in problems] == [
        "data/d.yml:3:1: duplicate key 'a' (first defined at line 1); YAML would silently keep only the last one"
    ]
    assert value == {"a": 1, "b": 2}


def test_yaml_11_words_and_dates_stay_text() -> None:
    value, _, problems = load_yaml("a: no\nb: yes\nc: on\nd: 2016-02-01\ne: true\nf: False\n", "x.yml")
    assert problems == []
    assert value == {"a": "no", "b": "yes", "c": "on", "d": "2016-02-01", "e": True, "f": False}


def test_syntax_error_names_file_line_and_column() -> None:
    value, _, problems = load_yaml("a: [1, 2\nb: 3\n", "data/s.yml")
    assert value is None
    assert len(problems) == 1
    assert str(problems[0]).startswith("data/s.yml:2:2: YAML syntax error: expected ',' or ']'")


def test_non_text_keys_are_rejected() -> None:
    _, _, problems = load_yaml("2016: x\n", "data/k.yml")
    assert [str(p) for p in problems] == ["data/k.yml:1:1: expected a text key (quote it if it looks like a number)"]


def test_unsafe_tags_are_refused() -> None:
    _, _, problems = load_yaml("a: !!python/object/apply:os.system ['true']\n", "data/u.yml")
    assert len(problems) == 1
    assert problems[0].location == Location("data/u.yml", 1, 4)
    assert problems[0].message == "YAML error: unsupported tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    _, _, problems = load_yaml("a: !!python/name:os.system x\n", "data/u.yml")
    assert "could not determine a constructor" in problems[0].message


def test_undecodable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_bytes(b"a: \xff\xfe\n")
    _, _, problems = load_yaml_file(path, "data/bad.yml")
    assert [p.location for p in problems] == [Location("data/bad.yml", 1, 1)]
    assert problems[0].message.startswith("not UTF-8 text")


def test_empty_document_has_no_value_and_no_problem() -> None:
    assert load_yaml("# only a comment\n", "e.yml")[0] is None
