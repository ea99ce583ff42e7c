"""Find every link of a built site and where each is written; check it with the checker for its kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from .cache import LinkCache
from .check import CheckOptions, ExternalChecks, LinkOutcome, check_mail
from .classify import LinkClass, Verdict
from .linkchecker import ParsedPage, parse_page
from .linkmap import LinkMap, LinkSource
from .settings import Progress
from .targets import Category, Target, fragment_found, resolve

HTML_SUFFIXES = (".html", ".htm")
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class SiteScan:
    """Each distinct link target of the site, and every place in the built pages it is written."""

    site_dir: Path
    targets: dict[str, Target] = field(default_factory=dict)
    sources: LinkMap = field(default_factory=dict)
    pages: dict[str, ParsedPage] = field(default_factory=dict)

    def keys(self, category: Category) -> list[str]:
        return [key for key, target in self.targets.items() if target.category is category]


def scan_site(
    site_dir: Path, shown_dir: Path | None = None, found: Callable[[list[Target]], None] | None = None
) -> SiteScan:
    """Parse every HTML page of `site_dir` (404.html included: its root-relative links resolve too).

    Sources name pages under `shown_dir` when given, else under `site_dir`. After each page,
    `found` gets the targets first seen on it (maybe none), so their checks can start, and
    those started can go on, while parsing goes on.
    """
    scan = SiteScan(site_dir)
    home = published_home(site_dir)
    root = _root_of(home)
    seen: set[tuple[str, LinkSource]] = set()
    for file in sorted(p for p in site_dir.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file()):
        page = file.relative_to(site_dir).as_posix()
        try:
            parsed = scan.pages[page] = parse_page(file.read_text(encoding="utf-8", errors="replace"))
        except Exception as exc:
            exc.add_note(str(file))  # the checker's one error line names the page it could not read
            raise
        shown = ((shown_dir or site_dir) / page).as_posix()
        new: list[Target] = []
        for link in parsed.links:
            # A link to the site's own published address (a canonical link) names a file of this
            # build: it is checked here, not fetched from a host that may not serve this build yet.
            own = home is not None and link.url.strip().startswith(home)
            address = root + link.url.strip()[len(home) :] if own and home else link.url
            target = resolve(address, page, link.base, root)
            if target.key not in scan.targets:
                scan.targets[target.key] = target
                new.append(target)
            written = link.url.strip()
            source = LinkSource("site", shown, link.line, "" if written == target.key else written, link.column)
            # A set: a footer link on every page of a big site must not cost n^2. By target too: two
            # URLs written at one place (a tag that could not tell them apart) are two links.
            if (target.key, source) not in seen:
                seen.add((target.key, source))
                scan.sources.setdefault(target.key, []).append(source)
        if found:
            found(new)  # after every page, even one without new targets: see CheckRun
    return scan


def published_home(site_dir: Path) -> str | None:
    """The site's published home address (site_url), read from its sitemap.xml; None without one.

    MkDocs writes root-relative links (on 404.html) under site_url's path; the home page is the
    shortest address the sitemap lists.
    """
    try:
        locations = ElementTree.parse(site_dir / "sitemap.xml").getroot().iter(f"{{{_SITEMAP}}}loc")
        addresses = [(element.text or "").strip() for element in locations]
    except (OSError, ElementTree.ParseError, ValueError):
        return None
    home = min((a for a in addresses if urlsplit(a).scheme in ("http", "https")), key=len, default=None)
    if home is None:
        return None
    return home if home.endswith("/") else home.rsplit("/", 1)[0] + "/"


def _root_of(home: str | None) -> str:
    path = urlsplit(home).path if home else "/"
    return path if path.startswith("/") else "/"


def check_site(
    scan: SiteScan,
    link_map: LinkMap,
    options: CheckOptions,
    cache: LinkCache,
    progress: Progress | None = None,
    external: ExternalChecks | None = None,
) -> list[LinkOutcome]:
    """One outcome per link target of the site or the link map, sources from both, none left out.

    `external` carries checks already started during the scan; without it they start here.
    """
    targets = dict(scan.targets)
    for url in link_map:  # a data link no page shows is still a link the editor wrote
        targets.setdefault(url, resolve(url, ""))
    grouped: dict[Category, LinkMap] = {category: {} for category in Category}
    reasons = {key: target.reason for key, target in targets.items()}
    for key, target in targets.items():
        category = target.category
        if category in (Category.EXTERNAL, Category.MAIL) and (why := options.excluded(key)):
            category, reasons[key] = Category.SKIPPED, why
        grouped[category][key] = [*link_map.get(key, []), *scan.sources.get(key, [])]
    outcomes = (external or ExternalChecks(options, cache, progress)).outcomes(grouped[Category.EXTERNAL])
    outcomes += check_mail(grouped[Category.MAIL], options)
    for key, sources in sorted(grouped[Category.INTERNAL].items()):
        verdict = check_internal(scan, targets[key])
        outcomes.append(LinkOutcome(key, key, verdict, key, sources, 1, category=Category.INTERNAL))
    for category, kind in ((Category.BROKEN, LinkClass.BROKEN), (Category.SKIPPED, LinkClass.SKIPPED)):
        for key, sources in sorted(grouped[category].items()):
            verdict = Verdict(kind, reasons[key])
            outcomes.append(LinkOutcome(key, key, verdict, key, sources, 0, category=category))
    return outcomes


def check_internal(scan: SiteScan, target: Target) -> Verdict:
    """Whether an internal target exists in the site and, for a page, has the fragment."""
    file = _file_for(scan.site_dir, target.path)
    if file is None:
        if target.path.endswith("/") or not target.path or (scan.site_dir / target.path).is_dir():
            index = f"{target.path.rstrip('/')}/index.html".lstrip("/")
            return Verdict(LinkClass.BROKEN, "no such file in the site", f"missing: {index}")
        return Verdict(LinkClass.BROKEN, "no such file in the site")
    if target.fragment is None or not file.endswith(HTML_SUFFIXES):
        return Verdict(LinkClass.OK, "exists")
    page = scan.pages.get(file)
    if page is None:  # a page outside the scan, e.g. upper-case .HTML twins
        page = scan.pages[file] = parse_page((scan.site_dir / file).read_text(encoding="utf-8", errors="replace"))
    if fragment_found(target.fragment, page.anchors):
        return Verdict(LinkClass.OK, "exists")
    shown = unquote(target.fragment.split(":~:", 1)[0])
    return Verdict(LinkClass.BROKEN, f"no element with id {shown!r} in {file}")


def _file_for(site_dir: Path, path: str) -> str | None:
    """The site file a path serves, as a static web server would: folders serve their index.html."""
    candidate = site_dir / path if path else site_dir
    if path.endswith("/") or not path or candidate.is_dir():
        index = f"{path.rstrip('/')}/index.html".lstrip("/")
        return index if (site_dir / index).is_file() else None
    return path if candidate.is_file() else None
