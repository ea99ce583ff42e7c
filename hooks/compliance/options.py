"""Build options: `extra: compliance:` in mkdocs.yml, validated, with environment variables as CI overrides.

This is the one module that reads the process environment (see the table of overrides in handbook/options.md), so a
maintainer finds every setting here and a build never depends on a variable nobody documented.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic_core import PydanticCustomError

from .configfile import ConfigLoader, read_config
from .environment import process_environment
from .errors import ComplianceError, Location, Problem
from .limits import (
    COUNT_OPTIONS,
    DEFAULT_FEED_ENTRIES,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_PDF_ENTRIES,
    MAX_ID_CHARS,
    MAX_YAML_DEPTH,
    SIZE_OPTIONS,
    LimitOption,
    Limits,
)
from .policy import DEFAULT_LEVELS, RuleLevel
from .suggest import suggest
from .urlrule import site_url_problem

CONFIG_FILE = "mkdocs.yml"
SECTION = "extra.compliance"
# Option name -> the environment variable that overrides it (CI, one-off runs).
OVERRIDES = {
    "pdf": "COMPLIANCE_PDF",
    "check_links": "CHECK_LINKS",
    "check_links_args": "CHECK_LINKS_ARGS",
    # COMPLIANCE_MAX_FILE_SIZE for max_file_size, and so on for every limit.
    **{option.value: f"COMPLIANCE_{option.value.upper()}" for option in LimitOption},
    "today": "COMPLIANCE_TODAY",
    "debug": "COMPLIANCE_DEBUG",
}
# Why an option has a ceiling, in the message that refuses a value above it.
_CEILINGS = {
    LimitOption.YAML_DEPTH: " (deeper nesting would exhaust Python's stack)",
    LimitOption.ID_LENGTH: " (a claim's id names a file of the site, and file names stop at 255 bytes)",
}
_SIZE = re.compile(r"([0-9]{1,9})\s*([kKmM]?)i?[bB]?")
_COUNT = re.compile(r"[0-9]{1,15}")


class ReviewWindows(BaseModel):
    """What `make review` reports: what expires within, or claims last reviewed over, this many days."""

    model_config = ConfigDict(extra="forbid", strict=True)

    # `default=` by name: a checker (pyright) reads only that as the field's default.
    expires_within: int = Field(default=60, ge=0)
    reviewed_within: int = Field(default=365, ge=0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# `rules:` names each rule of the standards catalogue (policy.py) with its level: block, warn or off.
if TYPE_CHECKING:
    # A checker sees the base: the fields, one per rule, are made from the catalogue's rules below.
    RuleLevels = _Strict
else:
    RuleLevels = create_model(
        "RuleLevels",
        __base__=_Strict,
        __doc__="How much each rule over the standards catalogue weighs: block, warn or off.",
        **{rule: (RuleLevel, level) for rule, level in DEFAULT_LEVELS.items()},
    )


class BuildOptions(BaseModel):
    """Everything a build, `make review` and `make pdf` may be told; each default changes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: str = Field("data", min_length=1)
    pdf: bool = False
    check_links: bool = False
    check_links_args: str = ""
    # Sizes of at least a byte: 0 would refuse every file, and `max_data_size: 0` would read as unset.
    max_file_size: int = Field(DEFAULT_MAX_FILE_BYTES, ge=1)
    # The limits that keep any input to seconds (see Limits); None: three times max_file_size.
    max_data_size: int | None = Field(None, ge=1)
    max_data_files: int = Field(Limits.data_files, ge=1)
    max_image_size: int = Field(Limits.image_bytes, ge=1)
    max_docs_size: int = Field(Limits.docs_bytes, ge=1)
    max_docs_files: int = Field(Limits.docs_files, ge=1)
    max_nesting: int = Field(Limits.prose_nesting, ge=1)
    max_prose_growth: int = Field(Limits.prose_growth, ge=1)
    max_suggestions: int = Field(Limits.suggestions, ge=0)
    max_value_length: int = Field(Limits.text_chars, ge=1)
    max_yaml_depth: int = Field(Limits.depth, ge=1, le=MAX_YAML_DEPTH)
    max_id_length: int = Field(Limits.id_chars, ge=1, le=MAX_ID_CHARS)
    # What is made from the data, bounded by how many entries it holds (see limits.py).
    max_feed_entries: int = Field(DEFAULT_FEED_ENTRIES, ge=1)
    max_pdf_entries: int = Field(DEFAULT_PDF_ENTRIES, ge=1)
    today: date | None = None
    debug: bool = False
    review: ReviewWindows = ReviewWindows()
    rules: RuleLevels = Field(default_factory=RuleLevels)
    # Words shown in the default language for want of a translation: `note` (one line; the pages mark
    # them and `make review` lists them) or `warn` (a warning at each YAML line, which fails the strict build).
    missing_translations: Literal["note", "warn"] = "note"

    def judging_day(self) -> date:
        """The day dates are judged on: `today` when set, else today in UTC, the zone security.txt's
        Expires is written in (a local date runs up to a day ahead of it, or behind)."""
        return self.today or datetime.now(UTC).date()

    @property
    def rule_levels(self) -> dict[str, str]:
        """Each rule's level, by name."""
        return dict(self.rules.model_dump())

    @field_validator(*SIZE_OPTIONS, mode="before")
    @classmethod
    def _size(cls, value: object) -> object:
        # 2M and 512K read better than byte counts; a bare number is bytes.
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value  # None is refused by the field's type unless it allows it (max_data_size)
        match = _SIZE.fullmatch(value.strip()) if isinstance(value, str) else None
        if not match:
            raise PydanticCustomError("size", "expected a size such as 512K or 2M, got {got}", {"got": repr(value)})
        return int(match[1]) * {"": 1, "k": 1024, "m": 1024 * 1024}[match[2].lower()]

    @field_validator(*COUNT_OPTIONS, mode="before")
    @classmethod
    def _count(cls, value: object) -> object:
        # From the environment every value is text: a count is its ASCII digits (str.isdigit
        # would also take '²', which int() refuses, and '٣', which it reads as 3).
        if isinstance(value, str) and _COUNT.fullmatch(value.strip()):
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise PydanticCustomError("count", "expected a whole number such as 100, got {got}", {"got": repr(value)})

    @property
    def limits(self) -> Limits:
        return Limits(
            file_bytes=self.max_file_size,
            data_bytes=self.max_data_size or max(Limits.data_bytes, 3 * self.max_file_size),
            data_files=self.max_data_files,
            image_bytes=self.max_image_size,
            docs_bytes=self.max_docs_size,
            docs_files=self.max_docs_files,
            prose_nesting=self.max_nesting,
            prose_growth=self.max_prose_growth,
            suggestions=self.max_suggestions,
            text_chars=self.max_value_length,
            depth=self.max_yaml_depth,
            id_chars=self.max_id_length,
        )

    def data_path(self, project_dir: Path) -> Path:
        return project_dir / self.data_dir


def read_options(
    section: object, environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> BuildOptions:
    """Validate the `extra: compliance:` mapping, then apply the environment's overrides.

    Raises ComplianceError with one line per problem, naming mkdocs.yml (at the key, when
    `config_file` is given) or the environment variable.
    """
    environ = process_environment() if environ is None else environ
    if section is None:
        section = {}
    if not isinstance(section, dict):
        where = _locate(config_file, [])
        raise ComplianceError([Problem(where, f"expected a mapping of options, got {section!r}", SECTION)])
    values = dict(section)
    rules = values.get("rules")
    if isinstance(rules, dict):
        # YAML 1.1, which MkDocs reads, turns a bare `off` into false: it means the level `off`.
        values["rules"] = {rule: "off" if level is False else level for rule, level in rules.items()}
    overridden: dict[str, str] = {}
    for option, variable in OVERRIDES.items():
        raw = environ.get(variable, "").strip()
        if raw:
            values[option], overridden[option] = raw, variable
    try:
        return BuildOptions.model_validate(values)
    except ValidationError as exc:
        raise ComplianceError([_problem(error, overridden, config_file) for error in exc.errors()]) from None


def load_options(
    project_dir: Path, environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> BuildOptions:
    """The options of the project's mkdocs.yml (or `config_file`), its INHERIT chain merged as MkDocs
    merges it, for the commands that run without MkDocs: they read what the build would."""
    path = project_dir / CONFIG_FILE if config_file is None else config_file
    config = read_config(path).settings
    extra = config.get("extra")
    return read_options(extra.get("compliance") if isinstance(extra, dict) else None, environ, path)


def _problem(error: Any, overridden: dict[str, str], config_file: Path | None) -> Problem:
    path = [str(part) for part in error["loc"]]
    option = path[0] if path else ""
    if option in overridden:
        return Problem(Location(f"environment variable {overridden[option]}", 1, 1), _message(error))
    key = ".".join([SECTION, *path])
    where = _locate(config_file, path)
    if error["type"] == "extra_forbidden":
        sections: dict[str, type[BaseModel]] = {"review": ReviewWindows, "rules": RuleLevels}
        known = list(sections[path[0]].model_fields if len(path) > 1 else BuildOptions.model_fields)
        return Problem(where, f"unknown option{suggest(path[-1], known)}", key)
    return Problem(where, _message(error), key)


def _message(error: Any) -> str:
    if error["type"] in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {error['input']!r}"
    if error["type"] in ("int_type", "int_parsing", "greater_than_equal") and error["loc"][0] == "review":
        return f"expected a whole number of days, got {error['input']!r}"
    if error["type"] == "greater_than_equal" and error["loc"][0] in SIZE_OPTIONS:
        return f"expected a size of at least 1 byte, such as 512K or 2M, got {error['input']!r}"
    if error["type"] == "greater_than_equal":
        return f"expected a whole number of at least {error['ctx']['ge']}, got {error['input']!r}"
    if error["type"] == "less_than_equal":
        why = _CEILINGS.get(error["loc"][0], "")
        return f"expected a whole number of at most {error['ctx']['le']}{why}, got {error['input']!r}"
    if error["type"] in ("model_type", "model_attributes_type", "dict_type") and len(error["loc"]) == 1:
        what = "rules, each block, warn or off" if error["loc"][0] == "rules" else "options"
        return f"expected a mapping of {what}, got {error['input']!r}"
    if error["type"] == "literal_error" and error["loc"][0] == "rules":
        hint = suggest(str(error["input"]), ["block", "warn", "off"]) if isinstance(error["input"], str) else ""
        return f"expected block, warn or off, got {error['input']!r}{hint}"
    if error["type"].startswith("date"):
        return f"expected a date written YYYY-MM-DD, got {error['input']!r}"
    return str(error["msg"])


def check_site_url(site_url: str | None, config_file: Path) -> None:
    """Refuse mkdocs.yml's `site_url` (or the environment variable its `!ENV` reads) that the site could
    not print safely, at its line: the same rule as the data's `guide.site_url` (urlrule.py)."""
    message = site_url_problem(site_url) if site_url else None
    if message is None:
        return
    where, node = _find(config_file, ["site_url"])
    inherited = _find(config_file, ["INHERIT"])[1] if node is None else None
    if isinstance(inherited, yaml.ScalarNode):  # written in the file this one inherits from
        where, node = _find(config_file.parent / str(inherited.value), ["site_url"], inherited.value)
    if node is not None and node.tag == "!ENV":
        message += " (read from the environment by !ENV)"
    raise ComplianceError([Problem(where, message, "site_url")])


def _locate(config_file: Path | None, path: list[str]) -> Location:
    """Where `extra.compliance.<path>` is written in mkdocs.yml or a file it inherits, else the file's start."""
    if config_file is None:
        return Location(CONFIG_FILE, 1, 1)
    try:
        return read_config(config_file).locate(["extra", "compliance", *path])
    except ComplianceError:
        return Location(config_file.name, 1, 1)


def _find(
    config_file: Path | None, keys: list[str], shown: str | None = None, *, key: bool = False
) -> tuple[Location, yaml.Node | None]:
    """Where the value at `keys` is written in a config file (or its key, with `key`), and its node."""
    shown = shown or (config_file.name if config_file else CONFIG_FILE)
    try:
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader) if config_file else None
    except (OSError, yaml.YAMLError):
        node = None
    mark = None
    for name in keys:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        found = next(((k, v) for k, v in pairs if k.value == name), None)
        if found is None:
            return (Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)), None
        node = found[1]
        mark = found[0].start_mark if key else node.start_mark
    return (Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)), node
