"""Check every file MkDocs would publish from docs/ before it copies them byte for byte.

MkDocs walks docs/ following every link and copies what it finds. So a link to `/etc/passwd` or
to the project's `.env` would be published, a link to `/dev/zero` would fill the disk, and a link
to a folder that holds it would never end. Here each entry is looked at without following links
first: every published file must be a regular file inside the project (a link that leaves it,
points at a hidden file, dangles, loops or points at a device is refused with its path), no larger
than the image limit, and an image must be what its extension says (an SVG must pass `svgcheck`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem
from ..limits import LimitOption, Limits, limit_hint
from .datafiles import shown_path
from .svgcheck import svg_problems

# The first bytes of each raster format an image field may name (`values.IMAGE_PATTERN`).
_MAGIC: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".png": ("a PNG image", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("a JPEG image", (b"\xff\xd8\xff",)),
    ".jpeg": ("a JPEG image", (b"\xff\xd8\xff",)),
    ".gif": ("a GIF image", (b"GIF87a", b"GIF89a")),
    ".ico": ("an icon", (b"\x00\x00\x01\x00",)),
}
IMAGE_SUFFIXES = (*_MAGIC, ".webp", ".svg")


@dataclass
class _Walk:
    project_dir: Path
    root: Path  # the project, resolved
    limits: Limits
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    size: int = 0
    folders: set[Path] = field(default_factory=set)  # resolved folders already walked

    def refuse(self, path: Path, message: str, line: int = 1, column: int = 1) -> None:
        self.problems.append(Problem(Location(shown_path(self.project_dir, path), line, column), message))


def docs_problems(project_dir: Path, docs_dir: Path, limits: Limits) -> list[Problem]:
    """Every file under `docs_dir` that may not be published, each with its path and why."""
    walk = _Walk(project_dir, project_dir.resolve(), limits)
    if docs_dir.is_dir():
        _walk_folder(walk, docs_dir)
    return walk.problems


def _walk_folder(walk: _Walk, folder: Path, *, linked: bool = False) -> None:
    real = folder.resolve()
    if real in walk.folders:
        # Reached a second time: a link to a folder already walked is refused; the folder itself,
        # reached after a link to it, was checked through that link.
        if linked:
            walk.refuse(folder, "is a link to a folder already published (a loop?); remove the link")
        return
    walk.folders.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        walk.refuse(folder, f"cannot list this folder: {exc.strerror}")
        return
    for entry in entries:
        if walk.files > walk.limits.docs_files or walk.size > walk.limits.docs_bytes:
            return  # already refused: walking a million more files would say nothing new
        # MkDocs leaves out hidden files (`exclude_docs` defaults to `.*`): editor droppings included.
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            _check_link(walk, path)
        elif entry.is_dir(follow_symlinks=False):
            _walk_folder(walk, path)
        else:
            _check_file(walk, path, path.lstat())


def _check_link(walk: _Walk, path: Path) -> None:
    target = os.readlink(path)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, a loop of links, or unreadable on the way
        walk.refuse(path, f"is a link to {target}, which does not exist or cannot be followed; remove the link")
        return
    if not real.is_relative_to(walk.root):
        walk.refuse(path, f"is a link to {real}, outside the project; only files inside it are published")
        return
    hidden = [part for part in real.relative_to(walk.root).parts if part.startswith(".")]
    if hidden:
        walk.refuse(path, f"is a link to the hidden {hidden[0]}; hidden files are never published")
        return
    if real.is_dir():
        if path.parent.resolve().is_relative_to(real):
            walk.refuse(path, f"is a link to {target}, a folder that holds the link itself (a loop); remove it")
        else:
            _walk_folder(walk, path, linked=True)
        return
    _check_file(walk, path, real.stat())


def _check_file(walk: _Walk, path: Path, info: os.stat_result) -> None:
    walk.files += 1
    if walk.files == walk.limits.docs_files + 1:
        walk.refuse(
            path,
            f"docs/ holds more than {walk.limits.docs_files} files; "
            f"remove some, or {limit_hint(LimitOption.DOCS_FILES)}",
        )
    if not stat.S_ISREG(info.st_mode):
        walk.refuse(path, "is not a regular file (a pipe, socket or device); remove it")
        return
    if info.st_size > walk.limits.image_bytes:
        walk.refuse(
            path,
            f"the file is {info.st_size:,} bytes, over the limit of {walk.limits.image_bytes:,} bytes for a "
            f"file published from docs/; make it smaller, or {limit_hint(LimitOption.IMAGE_SIZE, '4M')}",
        )
        return
    walk.size += info.st_size
    if walk.size > walk.limits.docs_bytes:
        walk.refuse(
            path,
            f"the files of docs/ up to this one hold over {walk.limits.docs_bytes:,} bytes together; "
            f"make them smaller, or {limit_hint(LimitOption.DOCS_SIZE, '64M')}",
        )
        return
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return
    try:
        with path.open("rb") as stream:  # a raster image is judged by its first bytes, an SVG in full
            content = stream.read() if suffix == ".svg" else stream.read(16)
    except OSError as exc:
        walk.refuse(path, f"cannot be read: {exc.strerror}")
        return
    if suffix == ".svg":
        for line, column, message in svg_problems(content):
            walk.refuse(path, message, line, column)
        return
    what, magics = _MAGIC.get(suffix, ("a WebP image", ()))
    matches = content.startswith(magics) if magics else content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    if not matches:
        walk.refuse(path, f"is named {suffix} but does not hold {what}; export it again in that format")
