"""Values the model refuses that YAML would happily pass along."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from compliance.model.prose.mentions import _MENTION_BODY
from compliance.model.values import ID_PATTERN
from conftest import copy_project, data_problems, edit_yaml


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "https://example.com/a\n",
            "claims[2].evidence[0].url: expected a URL whose scheme is https, http, ftp or mailto without quotes, "
            "'<', '>', white space or control characters, got U+000A (LINE FEED) at character 22; HTML and "
            "security.txt would have to escape it: percent-encode it as %0A",
        ),
        (
            "https://user:secret@example.com/a",
            "claims[2].evidence[0].url: expected a URL whose scheme is https, http, ftp or mailto, "
            "got text 'https://user:secret@example.com/a'",
        ),
        (
            'https://example.com/a"><script>',
            "claims[2].evidence[0].url: expected a URL whose scheme is https, http, ftp or mailto without quotes, "
            "'<', '>', white space or control characters, got U+0022 (QUOTATION MARK) at character 22; HTML and "
            "security.txt would have to escape it: percent-encode it as %22",
        ),
    ],
    ids=["trailing-newline", "credentials", "markup"],
)
def test_urls_that_would_publish_something_else_are_refused(tmp_path: Path, value: str, message: str) -> None:
    project = copy_project(tmp_path / "project", "guide")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][2]["evidence"][0].update(url=value))
    assert data_problems(project, located=False) == [message]


def test_control_characters_in_text_are_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][0].update(title="Built\x1b[31m on"))
    # The loader refuses it at its line and column, before the model sees it.
    assert data_problems(project, located=False) == ["the text holds U+001B (ESC), which is not allowed; remove it"]


def test_an_image_linked_from_outside_the_project_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "guide")
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>", encoding="utf-8")
    os.symlink(secret, project / "docs/images/linked.svg")
    edit_yaml(project / "data/claims.yml", lambda d: d["claims"][2]["image"].update(src="images/linked.svg"))
    assert data_problems(project, located=False) == [
        "claims[2].image.src: image file links outside the project: docs/images/linked.svg",
        # The file itself, whether or not the data names it: MkDocs would publish it either way.
        f"is a link to {secret}, outside the project; only files inside it are published",
    ]


@pytest.mark.parametrize("ident", ["soc2", "iso-27001", "a_b", "9", "-x", "_x", "Soc2", "é", "x.y", "a b", ""])
def test_a_mention_names_exactly_the_ids_an_id_field_accepts(ident: str) -> None:
    mention = _MENTION_BODY.fullmatch(f"claim:{ident}")
    assert (mention is not None and mention["id"] == ident) == bool(re.fullmatch(ID_PATTERN, ident))
