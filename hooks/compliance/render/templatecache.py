"""Compiled Jinja templates kept on disk between builds, under the project's `.cache/` folder.

A build compiles every template it renders (ours and the theme's) from source, about a third of
what the hooks add to a small build. Kept here, each compiled template is loaded again only when
it is safe and right to: the file holds a digest of its own bytes (a truncated or altered file is
ignored), Jinja checks the template's source checksum (a changed template is compiled anew), and
the cache's folder is named after the Jinja and Python versions and the environment's syntax
settings (a changed Jinja, interpreter or setting starts a new folder). Loading compiled code runs
it, so a file is used only when this user wrote it: it must be owned by the user running the build
and writable by no one else, in a folder that is the user's own and lies inside the project (a
`.cache` that is a link leading elsewhere is not used). Anything else is ignored, never an error:
the template is compiled from source as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

CACHE_FOLDER = Path(".cache") / "compliance" / "templates"
_DIGEST = hashlib.sha256
_DIGEST_SIZE = _DIGEST().digest_size
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
        self.project_dir = project_dir.resolve()
        self.folder = self.project_dir / CACHE_FOLDER / namespace(environment)
        self._memory: dict[str, bytes] = _MEMORY.setdefault(str(self.folder), {})

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._memory.get(bucket.key)
        if code is None:
            code = self._read(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it unless its source checksum matches

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = self._memory[bucket.key] = bucket.bytecode_to_string()
        self._write(bucket.key, code)

    def _read(self, key: str) -> bytes | None:
        if not self._folder_is_ours(create=False):
            return None
        try:
            descriptor = os.open(self.folder / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as file:
            if not _is_own_and_private(os.fstat(file.fileno())):
                return None
            content = file.read()
        digest, code = content[:_DIGEST_SIZE], content[_DIGEST_SIZE:]
        return code if len(digest) == _DIGEST_SIZE and _DIGEST(code).digest() == digest else None

    def _write(self, key: str, code: bytes) -> None:
        if not self._folder_is_ours(create=True):
            return
        # Written whole (mode 0600), then renamed: a build reading at the same time sees the old file or the new.
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(_DIGEST(code).digest() + code)
            os.replace(temporary, self.folder / key)
        except OSError:
            Path(temporary).unlink(missing_ok=True)

    def _folder_is_ours(self, *, create: bool) -> bool:
        """Each folder from the project down to the cache's is ours, private and no link (made 0700 if asked)."""
        parts = self.folder.relative_to(self.project_dir).parts
        try:
            for depth in range(1, len(parts) + 1):
                level = self.project_dir.joinpath(*parts[:depth])
                if create and not os.path.lexists(level):
                    level.mkdir(mode=0o700)
                if not _is_own_and_private(level.lstat()):
                    return False
        except OSError:
            return False
        return True


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


def _is_own_and_private(status: os.stat_result) -> bool:
    # Not a link, owned by whoever runs the build, and writable by no one else.
    owned = status.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return owned and not stat.S_ISLNK(status.st_mode) and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


# Compiled code by cache folder, for the life of the process.
_MEMORY: dict[str, dict[str, bytes]] = {}


def use_cache(environment: jinja2.Environment, project_dir: Path) -> None:
    """Give `environment` the project's template cache (it applies to templates loaded from then on)."""
    environment.bytecode_cache = TemplateCache(project_dir, environment)
