"""Find every link in a built site with LinkChecker's HTML parser, checking internal ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from linkcheck import director

from .linkmap import EXTERNAL, LinkMap, LinkSource
from .runner import UrlCollector, enqueue, new_config

# MkDocs writes 404.html with root-absolute links (it is served at any depth),
# so on disk they point outside the site; the other pages cover the same targets.
_SKIPPED_PAGES = {"404.html"}


@dataclass
class InternalFailure:
    """A link between pages of the site that does not resolve."""

    url: str
    page: str
    line: int
    result: str


@dataclass
class SiteScan:
    """External URLs found in the site with where they were seen, and broken internal links."""

    external: LinkMap = field(default_factory=dict)
    internal_failures: list[InternalFailure] = field(default_factory=list)


def scan_site(site_dir: Path, threads: int = 8) -> SiteScan:
    """Parse every page of `site_dir`; check internal links and anchors, collect external ones."""
    pages = [p for p in sorted(site_dir.rglob("*.html")) if p.relative_to(site_dir).as_posix() not in _SKIPPED_PAGES]
    seen: list[Any] = []
    config = new_config(
        UrlCollector(seen.append), recursionlevel=1, checkextern=False, threads=threads, enabledplugins=["AnchorCheck"]
    )
    aggregate = director.get_aggregate(config)
    enqueue(aggregate, (page.resolve().as_uri() for page in pages))
    director.check_urls(aggregate)
    scan = SiteScan()
    root = site_dir.resolve()
    for url_data in seen:
        url = str(url_data.base_url or "").strip()
        page = _site_relative(url_data.parent_url, root, site_dir)
        if EXTERNAL.match(url):
            source = LinkSource("page", page, int(url_data.line or 0))
            if source not in scan.external.setdefault(url, []):
                scan.external[url].append(source)
        elif not url_data.valid or _anchor_warning(url_data):
            reason = str(url_data.result) if not url_data.valid else "; ".join(m for _, m in url_data.warnings)
            scan.internal_failures.append(InternalFailure(url, page, int(url_data.line or 0), reason))
    return scan


def _anchor_warning(url_data: Any) -> bool:
    # AnchorCheck adds its warning without a tag, so match its wording.
    return any(message.startswith("Anchor `") for _, message in (url_data.warnings or []))


def _site_relative(parent_url: str | None, root: Path, site_dir: Path) -> str:
    if not parent_url:
        return str(site_dir)
    path = Path(unquote(urlsplit(parent_url).path))
    try:
        return (site_dir / path.relative_to(root)).as_posix()
    except ValueError:
        return parent_url
