"""`python -m compliance.links`: check a built site's links, report, exit 0/1/2.

The MkDocs hook (CHECK_LINKS=1) calls `run_link_check` too, so both paths are one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from .arguments import FORMATS, HelpShown, UsageError, arguments_from_environment, build_parser, parse_arguments
from .cache import LinkCache
from .check import CheckOptions, ExternalChecks
from .config import DEFAULT_IGNORE, ConfigError, accepted_statuses, header_pairs, ignore_patterns, resolve_pairs
from .escaping import log_line
from .failures import LinkClass
from .formats import render
from .linkmap import LinkMap, link_map_path, read_link_map
from .patterns import PatternError, UrlPattern, compile_pattern
from .proxy import Proxies
from .report import EXIT_OK, EXIT_USAGE, LinkReport, write_json
from .settings import USER_AGENT, CheckSettings
from .site import check_site, scan_site
from .targets import Category, Target, resolve

# The command-line contract lives in arguments.py; callers (the MkDocs hook, tests) find it here too.
__all__ = [
    "FORMATS",
    "HelpShown",
    "UsageError",
    "arguments_from_environment",
    "build_parser",
    "main",
    "options_from",
    "parse_arguments",
    "run_link_check",
]


def options_from(arguments: argparse.Namespace) -> CheckOptions:
    """CheckOptions from parsed arguments, validating each --remap, pattern, status and header."""
    remaps = []
    for rule in arguments.remap:
        parts = rule.split(None, 1)
        if len(parts) != 2:
            raise UsageError(f"--remap {rule!r}: expected 'REGEX URL'")
        remaps.append((_pattern("--remap", parts[0], rule), parts[1].strip()))
    ignore = Path(arguments.ignore_file) if arguments.ignore_file else DEFAULT_IGNORE
    try:
        ignored = ignore_patterns(ignore) if arguments.ignore_file or ignore.is_file() else []
        accept, headers = accepted_statuses(arguments.accept), header_pairs(arguments.header)
        resolve_to = resolve_pairs(arguments.resolve)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"--ignore-file {ignore}: cannot read ({exc.strerror})") from None
    settings = CheckSettings(
        timeout=arguments.timeout,
        deadline=arguments.deadline,
        threads=arguments.threads,
        per_host=arguments.per_host,
        host_rate=arguments.host_rate,
        ca_bundle=arguments.ca_bundle,
        user_agent=arguments.user_agent or USER_AGENT,
        headers=headers,
        insecure=arguments.insecure,
        allow_private=arguments.allow_private,
        # A --remap target is where the user sent the link: redirects there are theirs to allow.
        trusted_hosts=frozenset(_host(replacement) for _, replacement in remaps) - {""},
        resolve=resolve_to,
        fragments=not arguments.no_fragments,
        max_page_bytes=arguments.max_page_bytes,
        accept=accept,
        rate_limited=LinkClass(arguments.rate_limited),
    )
    return CheckOptions(
        settings=settings,
        remaps=tuple(remaps),
        retries=arguments.retries,
        retry_base=arguments.retry_base,
        retry_cap=arguments.retry_cap,
        https_twins=not arguments.no_https_twins,
        mail_dns=arguments.mail_dns,
        exclude=tuple(_pattern("--exclude", p) for p in arguments.exclude) + tuple(ignored),
        include=tuple(_pattern("--include", p) for p in arguments.include),
    )


def _pattern(option: str, text: str, shown: str = "") -> UrlPattern:
    try:
        return compile_pattern(option, text, shown)
    except PatternError as exc:
        raise UsageError(str(exc)) from None


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def run_link_check(
    site_dir: Path,
    arguments: argparse.Namespace,
    link_map: LinkMap | None = None,
    stream: TextIO | None = None,
    shown_dir: Path | None = None,
) -> LinkReport:
    """Scan the site, check every link of it and of the link map, and return the report.

    `shown_dir` names the site in the report when it is checked elsewhere (a build's staging folder).
    """
    if not site_dir.is_dir():
        raise UsageError(f"{site_dir}: no such site directory (build it first with `make site`)")
    try:
        Proxies()  # a proxy we cannot use is the caller's mistake, said once rather than per link
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    started = time.monotonic()
    options = options_from(arguments)
    if link_map is None:
        try:
            map_file = Path(arguments.link_map) if arguments.link_map else link_map_path(site_dir)
        except ValueError as exc:
            raise UsageError(f"--site {exc} (give --link-map)") from None
        try:
            link_map = read_link_map(map_file)
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{map_file}: unreadable link map ({exc})") from exc
    cache = LinkCache(None if arguments.no_cache else Path(arguments.cache), arguments.cache_ttl)
    show = _progress(stream, arguments.progress)
    external = ExternalChecks(options, cache, show)
    try:
        # The editors' links start first, and each page's new links as soon as it is parsed: the
        # servers' answers are awaited while the rest of the site is read.
        external.start(url for url in link_map if resolve(url, "").category is Category.EXTERNAL)
        scan = scan_site(site_dir, shown_dir, lambda found: external.start(_external(found)))
        outcomes = check_site(scan, link_map, options, cache, show, external)
    finally:
        external.close()
    if show:
        show(-1, -1)
    cache.save()
    notices = [cache.problem] if cache.problem else []
    return LinkReport(outcomes, time.monotonic() - started, arguments.strict, notices)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: print the report; 0 all good, 1 broken links, 2 usage or internal error."""
    where = "the options"  # what an internal error came from, when the error itself names nothing
    try:
        arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
        site = Path(arguments.site) if arguments.site is not None else _configured_site(arguments.config_file)
        where = f"--site {site}"
        report = run_link_check(site, arguments, stream=sys.stderr)
        if arguments.json:
            where = f"--json {arguments.json}"
            _write_json(report, Path(arguments.json))
    except HelpShown:
        return EXIT_OK
    except UsageError as exc:
        print(log_line(f"error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # an internal error must still end in exit 2, with one line naming its origin
        where = getattr(exc, "__notes__", [where])[-1]  # a page of the site adds itself as a note
        print(log_line(f"internal error: {where}: {type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render(report, arguments.format))
    return report.exit_code


def _configured_site(config_file: str | None) -> Path:
    """The configuration's site_dir, as `mkdocs build -f` writes it."""
    from ..configfile import site_folder  # YAML only when no --site names the folder
    from ..errors import ComplianceError

    try:
        return site_folder(Path(config_file) if config_file else None)
    except ComplianceError as exc:
        raise UsageError(str(exc)) from None


def _write_json(report: LinkReport, path: Path) -> None:
    try:
        write_json(report, path)
    except OSError as exc:
        raise UsageError(f"--json {path}: cannot write ({exc.strerror or exc})") from None


def _external(targets: list[Target]) -> list[str]:
    return [target.key for target in targets if target.category is Category.EXTERNAL]


def _progress(stream: TextIO | None, mode: str):  # type: ignore[no-untyped-def]
    if stream is None or mode == "never" or (mode == "auto" and not stream.isatty()):
        return None

    shown = [0]  # the longest line so far: a shorter one must blank what it leaves of it

    def show(done: int, total: int, note: str = "") -> None:
        if done < 0:
            stream.write("\n")
        else:
            line = log_line(f"checking external links: {done}/{total}" + (f"; {note}" if note else ""))
            stream.write("\r" + line.ljust(shown[0]))
            shown[0] = max(shown[0], len(line))
        stream.flush()

    return show
