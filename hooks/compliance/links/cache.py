"""A persistent cache of links that worked, so a re-run sends no request for them.

Only successes are stored: a failure must always be checked again.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

from .escaping import UNSAFE
from .failures import LinkClass
from .files import MIB, FileRefused, read_regular
from .settings import Verdict

CACHE_VERSION = 1
DAY = 24 * 60 * 60.0
CLOCK_SKEW = 60.0  # an entry up to a minute ahead is a clock a little off, not a future check
MAX_CACHE_BYTES = 64 * MIB  # some 300,000 links; a bigger file is no cache this checker wrote
MAX_ENTRY_TEXT = 16 * 1024  # characters of one URL, status or advice
_CACHED_KINDS = {LinkClass.OK.value, LinkClass.WARNING.value}
_TEXTS = ("status", "advice", "final_url")


class LinkCache:
    """URL -> verdict of its last successful check, valid for `ttl` seconds."""

    def __init__(self, path: Path | None, ttl: float = DAY, now: float | None = None) -> None:
        self.path, self.ttl = path, ttl
        self.now = time.time() if now is None else now
        self.problem = ""  # why the cache named could not be used (then it is neither read nor written)
        self._entries: dict[str, dict[str, Any]] = self._load() if path else {}
        self._changed = False

    def get(self, url: str) -> tuple[Verdict, str] | None:
        """The cached (verdict, final URL) for a URL still fresh, else None."""
        entry = self._entries.get(url)
        if not entry or not self._fresh(entry):
            return None
        try:
            return Verdict(LinkClass(entry["kind"]), str(entry["status"]), str(entry.get("advice", ""))), str(
                entry["final_url"]
            )
        except (KeyError, ValueError, TypeError):
            return None  # an entry edited by hand or by another version: check the link again

    def _fresh(self, entry: object) -> bool:
        """Checked within the ttl, and not in the future: a clock set wrong must not keep a link "ok" forever."""
        checked_at = entry.get("checked_at") if isinstance(entry, dict) else None
        if not isinstance(checked_at, int | float):
            return False
        return self.now - self.ttl <= checked_at <= self.now + CLOCK_SKEW

    def forget(self, url: str) -> None:
        """Drop any entry for `url` (its link could not be judged this run)."""
        self._changed = True
        self._entries.pop(url, None)

    def put(self, url: str, verdict: Verdict, final_url: str) -> None:
        """Remember a success; failures and transient results are never cached."""
        self._changed = True
        if verdict.kind not in (LinkClass.OK, LinkClass.WARNING):
            self._entries.pop(url, None)
            return
        self._entries[url] = {
            "checked_at": self.now,
            "kind": verdict.kind.value,
            "status": verdict.status,
            "advice": verdict.advice,
            "final_url": final_url,
        }

    def save(self) -> None:
        """Write the fresh entries atomically (a crash never leaves half a file), if anything changed."""
        if not self.path or not self._changed:
            return
        fresh = {url: e for url, e in self._entries.items() if self._fresh(e)}
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(
                json.dumps({"version": CACHE_VERSION, "links": fresh}, separators=(",", ":")), encoding="utf-8"
            )
            temporary.replace(self.path)
        except OSError as exc:  # a cache is a saving, never a reason to fail a check that is done
            self.problem = f"{self.path}: cannot write the link cache ({exc.strerror or exc})"
            temporary.unlink(missing_ok=True)

    def _load(self) -> dict[str, dict[str, Any]]:
        assert self.path is not None
        try:
            payload = json.loads(read_regular(self.path, MAX_CACHE_BYTES))
        except FileNotFoundError:
            return {}  # no cache yet
        except (OSError, FileRefused) as exc:
            # Not a file this checker wrote (/dev/zero, a FIFO, a directory, something huge): never
            # read it, and never write over it either.
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.problem, self.path = f"{self.path}: cannot use the link cache ({reason}); checking without it", None
            return {}
        except (ValueError, RecursionError):
            return {}  # an unreadable cache (half a file, nested too deep): check everything, then rewrite it
        if not isinstance(payload, dict) or payload.get("version") != CACHE_VERSION:
            return {}
        links = payload.get("links")
        if not isinstance(links, dict):
            return {}
        # Entries edited by hand, by another version or by an attacker are dropped: each is re-checked.
        return {url: entry for url, entry in links.items() if _valid_entry(url, entry)}


def _valid_entry(url: object, entry: object) -> bool:
    """Whether an entry is one `put` could have written: a success, dated, with texts on one line."""
    if not isinstance(url, str) or not isinstance(entry, dict) or not _plain(url):
        return False
    checked_at = entry.get("checked_at")
    if isinstance(checked_at, bool) or not isinstance(checked_at, int | float) or not math.isfinite(checked_at):
        return False
    return entry.get("kind") in _CACHED_KINDS and all(_plain(entry.get(name)) for name in _TEXTS)


def _plain(text: object) -> bool:
    return isinstance(text, str) and len(text) <= MAX_ENTRY_TEXT and not UNSAFE.search(text)
