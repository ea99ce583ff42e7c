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
from urllib.parse import urlsplit

from .cache import DAY, LinkCache
from .check import CheckOptions, ExternalChecks
from .config import (
    DEFAULT_CONFIG,
    DEFAULT_IGNORE,
    ConfigError,
    accepted_statuses,
    config_arguments,
    header_pairs,
    ignore_patterns,
    resolve_pairs,
)
from .formats import render
from .linkmap import LinkMap, link_map_path, read_link_map
from .proxy import Proxies
from .report import EXIT_OK, EXIT_USAGE, LinkReport, write_json
from .settings import MAX_AUTO_WORKERS, USER_AGENT, CheckSettings, RetryPolicy, sendable_field
from .site import check_site, scan_site
from .targets import Category, Target, resolve


class UsageError(Exception):
    """Bad arguments or an unusable site directory: exit code 2."""


class HelpShown(Exception):
    """--help was asked for and printed: exit code 0."""


FORMATS = ("text", "json", "markdown", "github")


def build_parser() -> argparse.ArgumentParser:
    """The command-line contract documented in the README (a links.toml may hold any of it)."""
    parser = argparse.ArgumentParser(prog="make links", description="Check every link of a built site.")
    # Defaults come from the settings themselves, so the help can never disagree with the code.
    check, retry = CheckSettings(), RetryPolicy()
    add = parser.add_argument
    add("--site", default="site", help="directory of built HTML (default: site)")
    add("--link-map", help="source map written by the build (default: SITE.linkmap.json)")
    add("--config", metavar="PATH", help="options from a TOML file (default: links.toml if present)")
    add("--remap", action="append", default=[], metavar="'REGEX URL'", help="rewrite matching URLs before checking")
    add("--exclude", action="append", default=[], metavar="REGEX", help="do not check matching URLs (repeatable)")
    add("--include", action="append", default=[], metavar="REGEX", help="check matching URLs even if excluded")
    add("--ignore-file", metavar="PATH", help="exclude patterns, one per line (default: .lycheeignore if present)")
    add("--accept", action="append", default=[], metavar="CODES", help="statuses that are ok too: 403,429 or 200..=299")
    add("--header", action="append", default=[], metavar="'NAME: VALUE'", help="send this header (repeatable)")
    add("--cache", default=".cache/links.json", help="cache of successes (default: %(default)s)")
    add("--no-cache", action="store_true", help="neither read nor write the cache")
    add("--cache-ttl", type=float, default=DAY, metavar="SECONDS", help="default: one day")
    add("--format", choices=FORMATS, default="text", help="report on standard output (default: text)")
    add("--json", metavar="PATH", help="also write a machine-readable report")
    add("--timeout", type=float, default=check.timeout, metavar="S", help="one attempt, all its hops (%(default)g)")
    add("--deadline", type=float, default=check.deadline, metavar="S", help="one link, all attempts (%(default)g)")
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
    add("--retry-base", type=float, default=retry.base, metavar="S", help="first backoff delay (%(default)g)")
    add("--retry-cap", type=float, default=retry.cap, metavar="S", help="longest wait (%(default)g)")
    add("--no-https-twins", action="store_true", help="skip looking for https:// twins of http://")
    add("--no-fragments", action="store_true", help="do not check #fragments of external pages")
    add(
        "--max-page-bytes",
        type=int,
        default=check.max_page_bytes,
        metavar="N",
        help="most of a page read (%(default)s)",
    )
    add("--ca-bundle", metavar="PATH", help="CA certificates to trust for https, besides the public ones")
    add("--insecure", action="store_true", help="do not verify TLS certificates")
    add("--allow-private", action="store_true", help="follow redirects to loopback, private and reserved addresses")
    add("--resolve", action="append", default=[], metavar="HOST:ADDRESS", help="answer for HOST without DNS")
    add("--user-agent", default="", metavar="TEXT", help="User-Agent to send (default: our own)")
    add("--mail-dns", action="store_true", help="check that mail domains have a mail server (DNS)")
    add("--strict", action="store_true", help="warnings fail the check too")
    add("--progress", choices=("auto", "always", "never"), default="auto")
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the config file's options then `argv`, turning argparse's exits into HelpShown or UsageError."""
    parser = build_parser()
    argv = list(argv)
    try:
        first = parser.parse_known_args(argv)[0]
        path = Path(first.config) if first.config else DEFAULT_CONFIG
        repeats = {a.option_strings[0][2:]: isinstance(a.default, list) for a in parser._actions}
        from_file = config_arguments(path, repeats) if first.config or path.is_file() else []
        arguments = parser.parse_args(from_file + argv)
    except SystemExit as exc:
        if exc.code == 0:
            raise HelpShown from None
        raise UsageError("invalid arguments (see --help)") from exc
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    for number in ("timeout", "deadline", "per_host", "cache_ttl", "max_page_bytes"):
        if getattr(arguments, number) <= 0:
            raise UsageError(f"--{number.replace('_', '-')} must be greater than 0")
    if arguments.threads < 0:
        raise UsageError("--threads must be 0 (automatic) or more")
    if arguments.user_agent and not sendable_field(arguments.user_agent):
        raise UsageError("--user-agent must be printable ASCII on one line")
    return arguments


def options_from(arguments: argparse.Namespace) -> CheckOptions:
    """CheckOptions from parsed arguments, validating each --remap, pattern, status and header."""
    remaps = []
    for rule in arguments.remap:
        parts = rule.split(None, 1)
        if len(parts) != 2:
            raise UsageError(f"--remap {rule!r}: expected 'REGEX URL'")
        remaps.append((_pattern("--remap", parts[0], rule), parts[1].strip()))
    try:
        ignore = Path(arguments.ignore_file) if arguments.ignore_file else DEFAULT_IGNORE
        ignored = ignore_patterns(ignore) if arguments.ignore_file or ignore.is_file() else []
        accept, headers = accepted_statuses(arguments.accept), header_pairs(arguments.header)
        resolve_to = resolve_pairs(arguments.resolve)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{arguments.ignore_file}: cannot read ({exc.strerror})") from None
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
    )
    return CheckOptions(
        settings=settings,
        remaps=tuple(remaps),
        retries=max(0, arguments.retries),
        retry_base=max(0.0, arguments.retry_base),
        retry_cap=max(0.0, arguments.retry_cap),
        https_twins=not arguments.no_https_twins,
        mail_dns=arguments.mail_dns,
        exclude=tuple(_pattern("--exclude", p) for p in arguments.exclude) + tuple(ignored),
        include=tuple(_pattern("--include", p) for p in arguments.include),
    )


def _pattern(option: str, text: str, shown: str = "") -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise UsageError(f"{option} {(shown or text)!r}: bad regular expression: {exc}") from exc


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
    except HelpShown:
        return EXIT_OK
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # an internal error must still end in exit 2, with one line
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render(report, arguments.format))
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
