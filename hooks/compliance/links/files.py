"""Files the checker reads because a user or a previous run named them: regular files, and only so much.

A path can name anything: `/dev/zero` never ends, a FIFO waits for a writer that never comes, a
directory has no text. Reading only a regular file of bounded size turns each of them into one line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MIB = 1024 * 1024


class FileRefused(ValueError):
    """A path that is no regular file, or a file over its limit; the message says which, in a few words."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes (OSError if it cannot be opened)."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, i.e. forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError:
        os.close(descriptor)
        raise
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise FileRefused("is a directory" if stat.S_ISDIR(mode) else "not a regular file")
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(limit + 1)  # the file may have grown since it was opened
    if len(data) > limit:
        raise FileRefused(f"larger than {_size(limit)}")
    return data


def read_text(path: Path, limit: int) -> str:
    """read_regular's bytes as UTF-8 text (ValueError if they are not)."""
    return read_regular(path, limit).decode("utf-8")


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"
