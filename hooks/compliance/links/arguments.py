"""The checker's command-line contract: its options, where they come from, and the values refused.

Options come from links.toml (or --config), then the command line, or for the build-time check from
CHECK_LINKS_ARGS; every refusal is one line naming the option (or the variable) it is about.
"""

from __future__ import annotations

import argparse
import math
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .cache import DAY
from .config import DEFAULT_CACHE, DEFAULT_CONFIG, DEFAULT_IGNORE, ConfigError, config_arguments
from .settings import MAX_AUTO_WORKERS, CheckSettings, RetryPolicy, sendable_field


class UsageError(Exception):
    """Bad arguments or an unusable site directory: exit code 2."""


class HelpShown(Exception):
    """--help was asked for and printed: exit code 0."""


FORMATS = ("text", "json", "markdown", "github")
# Numeric options, each refused by name when out of range: nan and inf parse as floats but mean nothing here.
_POSITIVE = ("timeout", "deadline", "per_host", "cache_ttl", "max_page_bytes")
_NOT_NEGATIVE = ("host_rate", "retries", "retry_base", "retry_cap", "threads")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse would print its usage and the message on two lines, then exit: one line, from main, instead.
        raise UsageError(f"{message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command-line contract documented in handbook/links.md (a links.toml may hold any of it)."""
    parser = _Parser(prog="make links", description="Check every link of a built site.")
    # Defaults come from the settings themselves, so the help can never disagree with the code.
    check, retry = CheckSettings(), RetryPolicy()
    add = parser.add_argument
    add("--site", help="directory of built HTML (default: the configuration's site_dir, else site)")
    add(
        "--config-file",
        "-f",
        metavar="PATH",
        help="the MkDocs configuration, as for `mkdocs -f` (default: mkdocs.yml if present); relative defaults"
        " (links.toml, .lycheeignore, the cache) count from its folder",
    )
    add("--link-map", help="source map written by the build (default: SITE.linkmap.json)")
    add("--config", metavar="PATH", help="options from a TOML file (default: links.toml if present)")
    add("--remap", action="append", default=[], metavar="'REGEX URL'", help="rewrite matching URLs before checking")
    add("--exclude", action="append", default=[], metavar="REGEX", help="do not check matching URLs (repeatable)")
    add("--include", action="append", default=[], metavar="REGEX", help="check matching URLs even if excluded")
    add("--ignore-file", metavar="PATH", help="exclude patterns, one per line (default: .lycheeignore if present)")
    add("--accept", action="append", default=[], metavar="CODES", help="statuses that are ok too: 403,429 or 200..=299")
    add("--header", action="append", default=[], metavar="'NAME: VALUE'", help="send this header (repeatable)")
    add("--cache", default=str(DEFAULT_CACHE), help="cache of successes (default: %(default)s)")
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
    add(
        "--rate-limited",
        choices=("warning", "broken"),
        default="warning",
        help="what a link still rate limited (429) at the end is (default: %(default)s)",
    )
    add("--strict", action="store_true", help="warnings fail the check too")
    add("--progress", choices=("auto", "always", "never"), default="auto")
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the config file's options then `argv`, turning argparse's exits into HelpShown or UsageError."""
    parser = build_parser()
    argv = list(argv)
    try:
        first = parser.parse_known_args(argv)[0]
        # Given a configuration elsewhere, the checker's own files are looked for beside it, not here.
        base = Path(first.config_file).parent if first.config_file else Path()
        path = Path(first.config) if first.config else base / DEFAULT_CONFIG
        repeats = {a.option_strings[0][2:]: isinstance(a.default, list) for a in parser._actions}
        from_file = config_arguments(path, repeats) if first.config or path.is_file() else []
        arguments = parser.parse_args(from_file + argv)
    except SystemExit as exc:
        if exc.code == 0:
            raise HelpShown from None
        raise UsageError("invalid arguments (see --help)") from exc
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if arguments.cache == str(DEFAULT_CACHE):
        arguments.cache = str(base / DEFAULT_CACHE)
    if arguments.ignore_file is None and (base / DEFAULT_IGNORE).is_file():
        arguments.ignore_file = str(base / DEFAULT_IGNORE)
    for name in (*_POSITIVE, *_NOT_NEGATIVE):
        value, option = getattr(arguments, name), "--" + name.replace("_", "-")
        if not math.isfinite(value):
            raise UsageError(f"{option} must be a finite number, not {value}")
        if name in _POSITIVE and value <= 0:
            raise UsageError(f"{option} must be greater than 0")
        if value < 0:
            raise UsageError(f"{option} must be 0 or more" + (" (0: automatic)" if name == "threads" else ""))
    if arguments.user_agent and not sendable_field(arguments.user_agent):
        raise UsageError("--user-agent must be printable ASCII on one line")
    return arguments


def arguments_from_environment(text: str, name: str = "CHECK_LINKS_ARGS") -> argparse.Namespace:
    """Arguments for the build-time check, from the shell-quoted variable `name`; its errors name it."""
    try:
        return parse_arguments(shlex.split(text))
    except ValueError as exc:  # shlex: 'No closing quotation', 'No escaped character'
        raise UsageError(f"{name}: {exc} in {text!r}") from None
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None
