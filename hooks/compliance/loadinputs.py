"""Every input of a data load, as one digest: what the preview's memory (preview.py) and the build's
cache on disk (loadcache.py) key the loaded data by.

The load reads the bytes of every file under the data folder, `labels/` and `catalogue/`, and looks
images up in docs/ by name (their existence, and where a link leads); everything else it is given
is in its arguments (the options, the limits and the day). docs/'s own files are checked apart
(`docs_checked`): that check reads every image, so a load that does it has no key.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .limits import Limits
from .model.localise import LABELS_DIR

# The folders whose files the load reads beside the data folder (localise.py, catalogueload.py).
_ALSO_READ = (LABELS_DIR, "catalogue")


def load_key(project_dir: Path, data_dir: Path, docs_dir: Path, arguments: dict[str, Any]) -> str | None:
    """A digest of every input of the load, or None when it reads docs/'s files too (`docs_checked` false)."""
    if not arguments.get("docs_checked"):
        return None
    digest = hashlib.sha256(repr(_plain(arguments)).encode())
    limits: Limits = arguments.get("limits") or Limits()
    for folder in (data_dir, *(project_dir / name for name in _ALSO_READ)):
        digest.update(f"\0{folder}\0".encode())
        _add_folder(digest, folder, limits.file_bytes, with_bytes=True)
    # Images are looked up in docs/ (their existence, and where a link leads): names and links, not bytes.
    digest.update(f"\0{docs_dir}\0".encode())
    _add_folder(digest, docs_dir, limits.file_bytes, with_bytes=False)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """`value` with its sets and mappings in a fixed order, so that equal arguments read the same."""
    if isinstance(value, Mapping):
        return sorted((repr(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(item) for item in value)
    return value


def _add_folder(digest: Any, folder: Path, most: int, *, with_bytes: bool) -> None:
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files) + [f"{name}/" for name in folders]:
            path = Path(root, name.rstrip("/"))
            try:
                status = path.lstat()
            except OSError:
                continue
            entry = f"{path.relative_to(folder).as_posix()}\0{stat.S_IFMT(status.st_mode)}\0"
            if stat.S_ISLNK(status.st_mode):
                entry += _link(path)
            digest.update(entry.encode("utf-8", "surrogateescape"))
            if with_bytes and stat.S_ISREG(status.st_mode):
                digest.update(_content(path, status, most))


def _link(path: Path) -> str:
    try:
        return f"{os.readlink(path)}\0{path.resolve()}"
    except (OSError, RuntimeError):
        return "unresolved"


def _content(path: Path, status: os.stat_result, most: int) -> bytes:
    """The file's bytes, or its size and time for a file over the limit (which the load refuses anyway)."""
    if status.st_size > most:
        return f"{status.st_size}\0{status.st_mtime_ns}".encode()
    try:
        return path.read_bytes()
    except OSError:
        return b"unreadable"
