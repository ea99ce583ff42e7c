"""`mkdocs serve` tells the truth: invalid data shows its problems in the browser, a fix brings the page back."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import copy_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real `mkdocs serve` of a project copy on 127.0.0.1, stopped after the test."""
    project = copy_project(tmp_path / "project", "guide")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("mkdocs serve did not start")
                time.sleep(0.2)
        yield project, url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_invalid_data_shows_in_the_browser_and_a_fix_brings_the_page_back(
    browser: Browser, preview: tuple[Path, str]
) -> None:
    project, url = preview
    page = browser.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    guide = project / "data" / "guide.yml"
    text = guide.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title: "))

    guide.write_text(text.replace(title, "  title: [Broken", 1), encoding="utf-8")
    saved = time.monotonic()
    # No reload from the test: the preview's own live reload brings the problems to the open page.
    problems = page.wait_for_selector("pre.compliance-problems")
    shown = time.monotonic() - saved
    # YAML notices the unclosed list on the line after it: a file:line:col message all the same.
    assert problems.inner_text().startswith("data/guide.yml:")
    assert "YAML syntax error: expected ',' or ']'" in problems.inner_text()

    guide.write_text(text.replace(title, "  title: A Fixed Title", 1), encoding="utf-8")
    page.wait_for_function("document.title === 'A Fixed Title'")
    assert page.query_selector("pre.compliance-problems") is None
    print(f"problems shown {shown:.2f} s after the save")
    page.close()
