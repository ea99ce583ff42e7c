"""Publish a build atomically: build beside the site, swap it in only when the build succeeded.

MkDocs empties `site_dir` before it renders anything, so a build that stops half-way would
otherwise leave readers with a blank or partial site. Whatever stops a build (an error, a strict
warning, Ctrl-C, SIGTERM, a crash in a plugin, even SIGKILL) the published site stays as it was:

- the staged build is committed only when the build finished with no error and no exception
  (KeyboardInterrupt included) on its way out;
- SIGTERM and SIGHUP are turned into a clean exit, so the staging folder is removed at once;
- the swap itself holds those signals back, and the next build repairs what a SIGKILL in the
  middle of it leaves, and removes the staging folders of builds that no longer run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

# Signals that ask a build to stop; SIGINT already raises KeyboardInterrupt.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
_previous_handlers: dict[int, object] = {}


class BuildStopped(SystemExit):
    """Raised by a stop signal; exits with 128 + the signal number, as a shell reports it."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signal_name = signal.Signals(signum).name


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP unwind the build like Ctrl-C does, so it can clean up after itself."""
    if _previous_handlers or threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers; a nested build keeps the outer ones
    for signum in _STOP_SIGNALS:
        _previous_handlers[signum] = signal.signal(signum, _raise_stopped)


def restore_signals() -> None:
    """Put back the handlers `stop_on_signals` replaced."""
    while _previous_handlers:
        signum, handler = _previous_handlers.popitem()
        signal.signal(signum, handler)  # type: ignore[arg-type]


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise BuildStopped(signum)


class PublishError(Exception):
    """The site folder cannot be built into: another build holds it, or the file system refuses."""


class StagedSite:
    """A staging directory next to `site_dir` that replaces it on commit."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.staging_dir = site_dir.with_name(f"{self._staging_prefix}{os.getpid()}")
        self.retired_dir = site_dir.with_name(f"{self._retired_prefix}{os.getpid()}")
        self._lock: int | None = None
        # One build at a time into one site folder: a second one stops at once with a clear message,
        # rather than clearing the staging folder of the first (`make clean` removes this file).
        self.lock_file = site_dir.with_name(f".{site_dir.name}.lock")
        self._site_lock: int | None = None

    @property
    def _staging_prefix(self) -> str:
        return f".{self.site_dir.name}.staging-"

    @property
    def _retired_prefix(self) -> str:
        return f".{self.site_dir.name}.old-"

    def begin(self) -> Path:
        """Clear what stopped builds left behind, create an empty staging directory, return it."""
        try:
            self.site_dir.parent.mkdir(parents=True, exist_ok=True)
            self._site_lock = _lock_site(self.lock_file, self.site_dir)
            self.recover()
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            self.staging_dir.mkdir(parents=True)
            # Held until this build ends (the kernel drops it if the process dies), so the next
            # build can tell a dead build's leftovers from a build still running beside it.
            self._lock = _try_lock(self.staging_dir)
        except OSError as exc:
            self._unlock()
            raise PublishError(
                f"{self.site_dir}: cannot build beside it ({exc.strerror or exc}: {exc.filename or ''}); "
                "the folder holding it must be writable"
            ) from None
        return self.staging_dir

    def finish(self, *, failed: bool) -> bool:
        """Commit a successful build, else discard it; return whether the site was replaced.

        Called from MkDocs' `finally`, so an exception still on its way out (Ctrl-C, a stop
        signal, a crash that skipped `on_build_error`) is visible here and counts as failure.
        """
        if failed or sys.exc_info()[1] is not None:
            self.discard()
            return False
        try:
            self.commit()
        except OSError as exc:
            self.discard()
            raise PublishError(
                f"{self.site_dir}: cannot replace it with the new build ({exc.strerror or exc}); "
                "the previous site is unchanged; the folder holding it and the site itself must be writable"
            ) from None
        return True

    def commit(self) -> None:
        """Replace the published site with the staged build, companions included."""
        with _signals_held():
            if self.site_dir.exists():
                self.site_dir.rename(self.retired_dir)
            self.staging_dir.rename(self.site_dir)
            for companion, suffix in self._companions(self.staging_dir.name):
                companion.replace(self.site_dir.with_name(self.site_dir.name + suffix))
        shutil.rmtree(self.retired_dir, ignore_errors=True)
        self._unlock()

    def discard(self) -> None:
        """Drop the staged build; the published site stays as it was."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        for companion, _ in self._companions(self.staging_dir.name):
            companion.unlink(missing_ok=True)
        self._unlock()

    def recover(self) -> None:
        """Undo what builds killed outright left: a half-done swap, staging folders, companions."""
        parent = self.site_dir.parent
        if not parent.is_dir():
            return
        retired = sorted(
            (p for p in parent.glob(self._retired_prefix + "*") if not _running(p.name, self._retired_prefix)),
            key=_modified,
        )
        if retired and not self.site_dir.exists():  # killed between the two renames of a commit
            retired.pop().rename(self.site_dir)
        for path in retired:
            shutil.rmtree(path, ignore_errors=True)
        for path in parent.glob(self._staging_prefix + "*"):
            if path.is_dir() and not path.is_symlink():
                lock = _try_lock(path)
                if lock is not None:  # nobody holds it: its build is gone
                    shutil.rmtree(path, ignore_errors=True)
                    os.close(lock)
            elif path.is_file() and not _running(path.name, self._staging_prefix):
                path.unlink(missing_ok=True)  # a companion file whose build is gone

    def _companions(self, staging_name: str) -> list[tuple[Path, str]]:
        # Files written beside the staging directory (`<staging>.linkmap.json`)
        # belong to this build and move or vanish with it.
        prefix = staging_name + "."
        return [
            (path, path.name[len(staging_name) :])
            for path in self.staging_dir.parent.glob(prefix + "*")
            if path.is_file()
        ]

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        if self._site_lock is not None:
            # Removed while still held, so no build can take a file that is about to disappear.
            self.lock_file.unlink(missing_ok=True)
            os.close(self._site_lock)
            self._site_lock = None


def _lock_site(lock_file: Path, site_dir: Path) -> int:
    """A descriptor holding the site folder's lock, with this process's id in the file.

    The file is removed when the lock is let go (`_release_site`), so a build that opened it just
    before checks, once it holds the lock, that the file is still the one at that path.
    """
    while True:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 20).decode("ascii", errors="replace").strip() or "unknown"
            os.close(fd)
            raise PublishError(
                f"another build into {site_dir} is running (process {holder}); "
                "wait for it to finish, or build into another folder with --site-dir"
            ) from None
        try:
            current = os.stat(lock_file)
        except FileNotFoundError:
            current = None
        if current is not None and current.st_ino == os.fstat(fd).st_ino:
            break
        os.close(fd)  # released and removed meanwhile: take the new one
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode("ascii"))
    return fd


def _try_lock(directory: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `directory`, or None if another holds it."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by a build running beside this one
        return 0.0


def _running(name: str, prefix: str) -> bool:
    """Whether the process whose id ends `name` (after `prefix`) is alive."""
    ident = name.removeprefix(prefix).split(".")[0]
    if not ident.isdigit():
        return False
    try:
        os.kill(int(ident), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and stop signals back while the site is swapped; they arrive right after."""
    held = {signal.SIGINT, *_STOP_SIGNALS}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
