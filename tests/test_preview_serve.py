"""A real `mkdocs serve` on 127.0.0.1: each edit is served on every page that shows it, an error at its line.

Its rebuilds keep what the edit did not reach (compliance/preview.py); tests/test_preview.py compares
each rebuild with a build that kept nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURE_TODAY


class Served:
    """`mkdocs serve` of a project, and what it serves."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # Served under the path of its site_url, as it will be published (`/security/`).
        site_url = re.search(r"^site_url: *(\S+)", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
        self.root = f"http://127.0.0.1:{port}{urlsplit(site_url[1]).path if site_url else '/'}"
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COMPLIANCE_TODAY": FIXTURE_TODAY}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.root + path, timeout=10) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    def wait_until(self, path: str, shows: Callable[[str], bool], timeout: float = 120) -> str:
        """The page at `path` once it shows what `shows` looks for (the server holds requests during a rebuild)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"mkdocs serve stopped:\n{self.process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
            text = self.page(path)
            if shows(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{path} did not show the edit within {timeout} s")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, errors = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return str(errors)


@pytest.fixture
def served(project: Path) -> Iterator[Served]:
    server = Served(project)
    try:
        server.wait_until("claims/hipaa/", lambda text: "HIPAA" in text)
        yield server
    finally:
        server.stop()


def test_an_edit_is_served_everywhere_an_error_at_its_line_and_the_next_good_edit_recovers(
    served: Served, project: Path
) -> None:
    claims = project / "data" / "claims.yml"
    good = claims.read_text(encoding="utf-8")
    claims.write_text(good.replace("title: HIPAA\n", "title: HIPAA Served Anew\n", 1), encoding="utf-8")
    served.wait_until("claims/hipaa/", lambda text: "HIPAA Served Anew" in text)
    # The server waits for a rebuild to finish before it answers: every page is of the same rebuild.
    for path in ("matrix/", "", "claims/", "compliance.json"):
        assert "HIPAA Served Anew" in served.page(path), path

    line = good.splitlines().index("    title: HIPAA") + 1
    claims.write_text(good.replace("title: HIPAA\n", "title: [HIPAA\n", 1), encoding="utf-8")
    error = re.compile(rf"data/claims.yml:{line + 1}:\d+: YAML syntax error")
    served.wait_until("", lambda text: bool(error.search(text)))

    claims.write_text(good.replace("title: HIPAA\n", "title: HIPAA Recovered\n", 1), encoding="utf-8")
    served.wait_until("claims/hipaa/", lambda text: "HIPAA Recovered" in text)
    assert "HIPAA Recovered" in served.page("matrix/") and not error.search(served.page(""))
