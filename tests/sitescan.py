"""A scan of a built site/ for what must never be published, whatever the input was.

Used after every build of the hostile-input corpus: no script or event handler in any SVG, no
link (every file is a copy made by the build), no file holding a secret planted outside the
project or in its `.env`, and no image larger than the configured image limit.
"""

from __future__ import annotations

import re
from pathlib import Path

# Planted beside the project and in its `.env` by the corpus; no site file may ever hold it.
SECRET = b"corpus-secret-7f3a91c2 DO NOT PUBLISH"
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico")
_SCRIPT = re.compile(rb"<\s*script|\son[a-z]+\s*=|<\s*foreignObject|javascript:", re.IGNORECASE)


def scan_site(site: Path, *, image_limit: int) -> list[str]:
    """What is wrong with `site`, one line each; [] when nothing is."""
    findings: list[str] = []
    if not site.exists():
        return findings
    for path in sorted(site.rglob("*")):
        shown = path.relative_to(site).as_posix()
        if path.is_symlink():
            findings.append(f"{shown}: is a link, not a copy made by the build")
            continue
        if not path.is_file():
            continue
        size = path.stat().st_size
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES and size > image_limit:
            findings.append(f"{shown}: an image of {size:,} bytes, over the limit of {image_limit:,}")
            continue
        content = path.read_bytes()
        if SECRET in content:
            findings.append(f"{shown}: holds the secret planted outside the site's sources")
        if suffix == ".svg" and _SCRIPT.search(content):
            findings.append(f"{shown}: an SVG with script, an event handler or foreignObject")
    return findings
