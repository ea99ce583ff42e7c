"""Compiled Jinja templates kept on disk between builds, under the project's `.cache/` folder.

A build compiles every template it renders (ours and the theme's) from source, about a third of
what the hooks add to a small build. Kept here, each compiled template is loaded again only when
it is safe and right to: Jinja checks the template's source checksum (a changed template is
compiled anew), and the cache's folder is named after the Jinja and Python versions and the
environment's syntax settings (a changed Jinja, interpreter or setting starts a new folder).
Loading compiled code runs it, so a file is used only when this user wrote it, intact, inside the
project (privatecache.py); anything else is ignored, never an error: the template is compiled from
source as if there were no cache.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from ..privatecache import PrivateCache

CACHE_FOLDER = Path(".cache") / "compliance" / "templates"
# What marks Jinja's syntax in a template's source.
_DELIMITERS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
)
# What changes the code Jinja compiles from the same source, besides the source itself.
_SYNTAX = (
    *_DELIMITERS,
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "is_async",
)


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache for one environment, in `project_dir/.cache/compliance/templates/<namespace>/`.

    Compiled code is also kept in memory for the life of the process (a `mkdocs serve` rebuild makes
    new environments, whose templates are then neither read from disk nor compiled again).
    """

    def __init__(self, project_dir: Path, environment: jinja2.Environment) -> None:
        self._files = PrivateCache(project_dir, CACHE_FOLDER / namespace(environment))
        self.folder = self._files.folder
        self._memory: dict[str, bytes] = _MEMORY.setdefault(str(self.folder), {})

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._memory.get(bucket.key)
        if code is None:
            code = self._files.read(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it unless its source checksum matches

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = self._memory[bucket.key] = bucket.bytecode_to_string()
        self._files.write(bucket.key, code)


def namespace(environment: jinja2.Environment) -> str:
    """The cache folder's name for `environment`: Jinja's and Python's versions and its syntax settings."""
    settings = [type(environment).__qualname__, *(_setting(getattr(environment, name, None)) for name in _SYNTAX)]
    settings += sorted(environment.extensions)
    digest = hashlib.sha256("\0".join(settings).encode()).hexdigest()[:16]
    return f"jinja-{jinja2.__version__}-py{sys.implementation.cache_tag}-{digest}"


def reads_like(environment: jinja2.Environment, other: jinja2.Environment) -> bool:
    """Whether a template `environment` parses also parses in `other`: the same delimiters and line
    prefixes (whitespace settings change no verdict), and no tag of an extension `other` lacks."""
    same = all(getattr(environment, name) == getattr(other, name) for name in _DELIMITERS)
    return same and set(environment.extensions) <= set(other.extensions)


def _setting(value: object) -> str:
    # A function (autoescape may be one) by its name: its repr holds an address that changes every run.
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


# Compiled code by cache folder, for the life of the process.
_MEMORY: dict[str, dict[str, bytes]] = {}


def use_cache(environment: jinja2.Environment, project_dir: Path) -> None:
    """Give `environment` the project's template cache (it applies to templates loaded from then on)."""
    environment.bytecode_cache = TemplateCache(project_dir, environment)
