"""`python -m compliance.links`: check a built site's links, report, exit 0/1/2.

The MkDocs hook (CHECK_LINKS=1) calls `run_link_check` too, so both paths are one.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .cache import DAY, LinkCache
from .check import CheckOptions, ExternalChecks
from .linkmap import LinkMap, link_map_path, read_link_map
from .proxy import Proxies
from .report import EXIT_USAGE, LinkReport, render_text, write_json
from .settings import MAX_AUTO_WORKERS, USER_AGENT, CheckSettings, RetryPolicy, sendable_field
from .site import check_site, scan_site
from .targets import Category, Target, resolve


class UsageError(Exception):
    """Bad arguments or an unusable site directory: exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line contract documented in the README."""
    parser = argparse.ArgumentParser(prog="make links", description="Check every link of a built site.")
    # Defaults come from the settings themselves, so the help can never disagree with the code.
    check, retry = CheckSettings(), RetryPolicy()
    parser.add_argument("--site", default="site", help="directory of built HTML (default: site)")
    parser.add_argument("--link-map", help="source map written by the build (default: SITE.linkmap.json)")
    parser.add_argument(
        "--remap", action="append", default=[], metavar="'REGEX URL'", help="rewrite matching URLs before checking"
    )
    parser.add_argument("--cache", default=".cache/links.json", help="cache of successes (default: %(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--cache-ttl", type=float, default=DAY, metavar="SECONDS", help="default: one day")
    parser.add_argument("--json", metavar="PATH", help="also write a machine-readable report")
    add = parser.add_argument
    add("--timeout", type=float, default=check.timeout, metavar="SECONDS", help="per request (default: %(default)g)")
    add("--per-host", type=int, default=check.per_host, metavar="N", help="requests per host at once (%(default)s)")
    add("--host-rate", type=float, default=check.host_rate, metavar="R", help="requests/s per host (0: no limit)")
    add(
        "--threads",
        type=int,
        default=check.threads,
        metavar="N",
        help=f"concurrent requests in all (default: hosts x per-host, <= {MAX_AUTO_WORKERS})",
    )
    add("--retries", type=int, default=retry.retries, metavar="N", help="retries of transient failures (%(default)s)")
    add("--retry-base", type=float, default=retry.base, metavar="SECONDS", help="first backoff delay (%(default)g)")
    add("--retry-cap", type=float, default=retry.cap, metavar="SECONDS", help="longest wait (%(default)g)")
    parser.add_argument("--no-https-twins", action="store_true", help="skip looking for https:// twins of http://")
    parser.add_argument("--ca-bundle", metavar="PATH", help="CA certificates to trust for https")
    parser.add_argument("--user-agent", default="", metavar="TEXT", help="User-Agent to send (default: our own)")
    parser.add_argument("--mail-dns", action="store_true", help="check that mail domains have a mail server (DNS)")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto")
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parse, turning argparse's exit into UsageError so callers decide how to stop."""
    parser = build_parser()
    try:
        arguments = parser.parse_args(list(argv))
    except SystemExit as exc:
        raise UsageError("invalid arguments (see --help)") from exc
    for number in ("timeout", "per_host", "cache_ttl"):
        if getattr(arguments, number) <= 0:
            raise UsageError(f"--{number.replace('_', '-')} must be greater than 0")
    if arguments.threads < 0:
        raise UsageError("--threads must be 0 (automatic) or more")
    if arguments.user_agent and not sendable_field(arguments.user_agent):
        raise UsageError("--user-agent must be printable ASCII on one line")
    return arguments


def options_from(arguments: argparse.Namespace) -> CheckOptions:
    """CheckOptions from parsed arguments, validating each --remap."""
    remaps = []
    for rule in arguments.remap:
        parts = rule.split(None, 1)
        if len(parts) != 2:
            raise UsageError(f"--remap {rule!r}: expected 'REGEX URL'")
        try:
            remaps.append((re.compile(parts[0]), parts[1].strip()))
        except re.error as exc:
            raise UsageError(f"--remap {rule!r}: bad regular expression: {exc}") from exc
    settings = CheckSettings(
        timeout=arguments.timeout,
        threads=arguments.threads,
        per_host=arguments.per_host,
        host_rate=arguments.host_rate,
        ca_bundle=arguments.ca_bundle,
        user_agent=arguments.user_agent or USER_AGENT,
    )
    return CheckOptions(
        settings=settings,
        remaps=tuple(remaps),
        retries=max(0, arguments.retries),
        retry_base=max(0.0, arguments.retry_base),
        retry_cap=max(0.0, arguments.retry_cap),
        https_twins=not arguments.no_https_twins,
        mail_dns=arguments.mail_dns,
    )


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
        map_file = Path(arguments.link_map) if arguments.link_map else link_map_path(site_dir)
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
    return LinkReport(outcomes, time.monotonic() - started, arguments.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: print the report; 0 all good, 1 broken links, 2 usage or internal error."""
    try:
        arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
        report = run_link_check(Path(arguments.site), arguments, stream=sys.stderr)
        if arguments.json:
            write_json(report, Path(arguments.json))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # an internal error must still end in exit 2, with one line
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render_text(report))
    return report.exit_code


def arguments_from_environment(text: str) -> argparse.Namespace:
    """Arguments for the build-time check, from a shell-quoted string such as CHECK_LINKS_ARGS."""
    return parse_arguments(shlex.split(text))


def _external(targets: list[Target]) -> list[str]:
    return [target.key for target in targets if target.category is Category.EXTERNAL]


def _progress(stream: TextIO | None, mode: str):  # type: ignore[no-untyped-def]
    if stream is None or mode == "never" or (mode == "auto" and not stream.isatty()):
        return None

    def show(done: int, total: int) -> None:
        if done < 0:
            stream.write("\n")
        else:
            stream.write(f"\rchecking external links: {done}/{total}")
        stream.flush()

    return show
