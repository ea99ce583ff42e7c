"""The checker's settings from files: links.toml (every option), .lycheeignore, and --accept / --header values.

A config file holds the same options as the command line, by the same names (`per-host = 4`,
`exclude = ["^https://example\\.com/"]`, `insecure = true`); the command line comes after it, so it
wins for single values and adds to lists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .files import MIB, FileRefused, read_text
from .patterns import PatternError, UrlPattern, compile_pattern

DEFAULT_CONFIG = Path("links.toml")
DEFAULT_IGNORE = Path(".lycheeignore")
DEFAULT_CACHE = Path(".cache") / "links.json"
MAX_OPTION_FILE = MIB  # a links.toml or an ignore file; /dev/zero or a FIFO is refused, never read
_RANGE = re.compile(r"(?P<low>[0-9]{3})?\.\.(?P<inclusive>=)?(?P<high>[0-9]{3})?")


class ConfigError(ValueError):
    """A config file, ignore file or option value that cannot be used (the message names it)."""


def config_arguments(path: Path, known: dict[str, bool]) -> list[str]:
    """Command-line arguments equivalent to a links.toml; `known` maps option names to whether they repeat."""
    import tomllib  # here: most runs have no config file, and the parser costs 3 ms to import

    try:
        table = tomllib.loads(read_text(path, MAX_OPTION_FILE))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except FileRefused as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    table = table.get("links", table)  # a [links] table, or the options at the top level
    arguments: list[str] = []
    for key, value in table.items():
        name = key.replace("_", "-")
        if name not in known or name in ("config", "help"):
            raise ConfigError(f"{path}: unknown option {key!r} (see --help for the names)")
        arguments += _as_arguments(path, name, value, known[name])
    return arguments


def _as_arguments(path: Path, name: str, value: Any, repeats: bool) -> list[str]:
    if isinstance(value, bool):
        return [f"--{name}"] if value else []
    if isinstance(value, list):
        if not repeats:
            raise ConfigError(f"{path}: {name} takes one value, not a list")
        return [part for item in value for part in (f"--{name}", str(item))]
    if isinstance(value, int | float | str):
        return [f"--{name}", str(value)]
    raise ConfigError(f"{path}: {name}: expected a string, number, boolean or list")


def ignore_patterns(path: Path) -> list[UrlPattern]:
    """Regular expressions (RE2) from an ignore file in .lycheeignore syntax: one per line, '#' comments."""
    patterns = []
    try:
        content = read_text(path, MAX_OPTION_FILE)
    except (FileRefused, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    for number, line in enumerate(content.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            patterns.append(compile_pattern(f"{path}:{number}:", text))
        except PatternError as exc:
            raise ConfigError(str(exc)) from None
    return patterns


def accepted_statuses(values: list[str]) -> frozenset[int]:
    """Statuses from --accept values: '403', '200,429', '100..=103' or '500..503' (lychee's syntax)."""
    accepted: set[int] = set()
    for value in values:
        for part in (p.strip() for p in value.split(",") if p.strip()):
            if part.isascii() and part.isdigit() and len(part) == 3:
                accepted.add(int(part))
                continue
            match = _RANGE.fullmatch(part)
            if not match:
                raise ConfigError(f"--accept {part!r}: expected a status such as 403 or a range such as 200..=299")
            low, high = int(match["low"] or 100), int(match["high"] or 999)
            accepted.update(range(low, high + (1 if match["inclusive"] else 0)))
    return frozenset(accepted)


def header_pairs(values: list[str]) -> tuple[tuple[str, str], ...]:
    """(name, value) pairs from --header 'Name: value' values."""
    from .settings import sendable_field, sendable_name

    pairs = []
    for value in values:
        name, colon, text = value.partition(":")
        name, text = name.strip(), text.strip()
        if not colon or not sendable_name(name) or not sendable_field(text):
            raise ConfigError(f"--header {value!r}: expected 'Name: value' in printable ASCII on one line")
        pairs.append((name, text))
    return tuple(pairs)


def resolve_pairs(values: list[str]) -> tuple[tuple[str, str], ...]:
    """(host, address) pairs from --resolve 'HOST:ADDRESS' values (an IPv6 address may follow the first ':')."""
    import ipaddress

    pairs = []
    for value in values:
        host, colon, address = value.partition(":")
        try:
            ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            raise ConfigError(f"--resolve {value!r}: expected HOST:ADDRESS with an IP address") from None
        if not colon or not host:
            raise ConfigError(f"--resolve {value!r}: expected HOST:ADDRESS")
        pairs.append((host, address.strip("[]")))
    return tuple(pairs)
