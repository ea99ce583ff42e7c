"""The links of one build: those the data holds, mapped with the pages' beside the site, checked on request.

`SiteBuild` collects each page's links as MkDocs renders it; at the end of the build the map is
written beside the site (`make links` reads it) and, with `CHECK_LINKS=1`, checked in the build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import BuildFailed, display_path
from .links.linkmap import LinkMap, LinkMapBuilder, LinkSource, link_map_path, write_link_map
from .model.data import ComplianceData
from .options import BuildOptions

log = logging.getLogger("mkdocs.plugins.compliance")


def data_links(data: ComplianceData) -> LinkMap:
    """Every link the data holds, each at the YAML line and field it is written in."""
    links: LinkMap = {}
    for link in data.links:
        where = link.location
        links.setdefault(link.url, []).append(LinkSource("data", where.file, where.line, link.field))
    return links


def finish_link_map(
    links: LinkMapBuilder,
    site_dir: Path,
    site_url: str | None,
    project_dir: Path,
    published: Path,
    options: BuildOptions,
    *,
    serve: bool,
) -> None:
    """Write the link map of the site built into `site_dir` (published as `published`), and check its
    links when the options ask for it; BuildFailed if the map cannot be written or the check fails."""
    link_map = links.finish(site_dir, site_url)
    # serve builds into a temporary folder nobody checks; a build never writes outside the project
    # except into the site folder it was given (and its transient staging folder beside it).
    if not serve and published.resolve().is_relative_to(project_dir.resolve()):
        try:
            write_link_map(link_map_path(site_dir), link_map)
        except OSError as exc:  # a full disk or a folder made read-only mid-build
            raise BuildFailed(f"{link_map_path(site_dir)}: cannot write the link map ({exc.strerror or exc})") from None
    elif not serve:
        log.info("No link map for %s (outside the project); CHECK_LINKS=1 checks links in the build", published)
    if options.check_links:
        _check_links(site_dir, link_map, project_dir, published, options)


def _check_links(
    site_dir: Path, link_map: dict[str, Any], project_dir: Path, published: Path, options: BuildOptions
) -> None:
    # Imported here: only builds that check links pay for importing the checker.
    from .links.cli import UsageError, arguments_from_environment, run_link_check
    from .links.escaping import one_line
    from .links.report import render_text

    try:
        arguments = arguments_from_environment(options.check_links_args)
        # Name pages as the editor finds them (site/...), not in the staging folder being checked.
        shown = Path(display_path(project_dir, published))
        report = run_link_check(site_dir, arguments, link_map, shown_dir=shown)
    except UsageError as exc:
        raise BuildFailed(f"link check: {one_line(str(exc))}") from None
    text = render_text(report).rstrip()
    if report.failed:
        raise BuildFailed(f"link check failed:\n{text}")
    log.info(text)
