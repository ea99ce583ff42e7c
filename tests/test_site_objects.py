"""One build makes each object about the whole site once: the pages, the feed, the export and the site's
settings share one TrustSite and one ProseRenderer (and so one cache of rendered prose)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from compliance.render.prose import ProseRenderer
from compliance.render.trustsite import TrustSite
from conftest import FIXTURE_TODAY, copy_project

EXAMPLE = "mkdocs.example.yml"  # the example organisation has updates and a site_url: its build writes a feed


def test_a_build_makes_one_trust_site_and_one_prose_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    made: Counter[str] = Counter()
    for kind in (TrustSite, ProseRenderer):
        original = kind.__init__

        def counting(self: Any, *args: Any, _original: Any = original, _name: str = kind.__name__, **kw: Any) -> None:
            made[_name] += 1
            _original(self, *args, **kw)

        monkeypatch.setattr(kind, "__init__", counting)
    monkeypatch.setenv("COMPLIANCE_TODAY", FIXTURE_TODAY)
    monkeypatch.chdir(project)
    config = load_config(config_file=str(project / EXAMPLE), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert (tmp_path / "site" / "feed.xml").is_file()  # the feed was made, with the same renderer
    # One of each per site: the example is published in two languages, each a site of its own.
    assert made == Counter({"TrustSite": 2, "ProseRenderer": 2})
