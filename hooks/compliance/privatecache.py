"""Files a build keeps between runs in a folder under the project's `.cache/`, read back only when safe.

What is read back is used as it is (compiled templates are run, a schema is published), so a file
counts only when this user wrote it: owned by the user running the build and writable by no one
else, not a link, in folders from the project down that are the user's own, private and no links
(a `.cache` leading elsewhere is neither read nor written), and holding the SHA-256 digest of its
content and of the file itself (its device and inode number, known once it is created and kept by the
rename that puts it in place). A truncated or altered file is ignored, and so is a copy of a kept
file: one that came with a commit or an archive, whose inputs and code anyone can digest, is a new file
however its content was made. Anything else reads as absent, never as an error: the caller makes the
thing anew, as if there were no cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

_DIGEST = hashlib.sha256
_DIGEST_SIZE = _DIGEST().digest_size


class PrivateCache:
    """A folder of cached files, `project_dir/folder`, each file named by its key."""

    def __init__(self, project_dir: Path, folder: Path) -> None:
        self.project_dir = project_dir.resolve()
        self.folder = self.project_dir / folder

    def read(self, key: str) -> bytes | None:
        """The content kept under `key`, or None when there is none this user can trust."""
        if not self._folder_is_ours(create=False):
            return None
        try:
            descriptor = os.open(self.folder / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as file:
            status = os.fstat(file.fileno())
            if not _is_own_and_private(status):
                return None
            content = file.read()
        digest, kept = content[:_DIGEST_SIZE], content[_DIGEST_SIZE:]
        return kept if len(digest) == _DIGEST_SIZE and _digest(status, kept) == digest else None

    def write(self, key: str, content: bytes) -> None:
        """Keep `content` under `key`; nothing is kept where the folder is not safely ours."""
        if not self._folder_is_ours(create=True):
            return
        # Written whole (mode 0600), then renamed: a build reading at the same time sees the old file or the new.
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(_digest(os.fstat(file.fileno()), content) + content)
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


def _digest(status: os.stat_result, content: bytes) -> bytes:
    """The digest of `content` as kept in the file `status` describes, and in no other."""
    return _DIGEST(f"{status.st_dev}:{status.st_ino}\0".encode() + content).digest()


def _is_own_and_private(status: os.stat_result) -> bool:
    # Not a link, owned by whoever runs the build, and writable by no one else.
    owned = status.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return owned and not stat.S_ISLNK(status.st_mode) and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@functools.cache
def code_digest() -> str:
    """SHA-256 of Python's version and the source of every `compliance` module loaded when first asked
    (once per process: a `mkdocs serve` whose code is edited under it keeps matching the code it runs)."""
    digest = hashlib.sha256(sys.version.encode())
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if (name == "compliance" or name.startswith("compliance.")) and file:
            digest.update(f"\0{name}\0".encode())
            digest.update(Path(file).read_bytes())
    return digest.hexdigest()
