"""Publish a build atomically: build beside the site, swap it in only on success.

MkDocs empties `site_dir` before it renders anything, so a build that fails
half-way would otherwise leave readers with a blank or partial site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class StagedSite:
    """A staging directory next to `site_dir` that replaces it on commit."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.staging_dir = site_dir.with_name(f".{site_dir.name}.staging-{os.getpid()}")

    def begin(self) -> Path:
        """Create an empty staging directory and return it as the build target."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def commit(self) -> None:
        """Replace the published site with the staged build, companions included."""
        retired = self.site_dir.with_name(f".{self.site_dir.name}.old-{os.getpid()}")
        if self.site_dir.exists():
            self.site_dir.rename(retired)
        self.staging_dir.rename(self.site_dir)
        shutil.rmtree(retired, ignore_errors=True)
        for companion, suffix in self._companions():
            companion.replace(self.site_dir.with_name(self.site_dir.name + suffix))

    def discard(self) -> None:
        """Drop the staged build; the published site stays as it was."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        for companion, _ in self._companions():
            companion.unlink(missing_ok=True)

    def _companions(self) -> list[tuple[Path, str]]:
        # Files written beside the staging directory (`<staging>.linkmap.json`)
        # belong to this build and move or vanish with it.
        prefix = self.staging_dir.name + "."
        return [
            (path, path.name[len(self.staging_dir.name) :])
            for path in self.staging_dir.parent.glob(prefix + "*")
            if path.is_file()
        ]
