"""A persistent cache of links that worked, so a re-run sends no request for them.

Only successes are stored: a failure must always be checked again.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from .failures import LinkClass
from .settings import Verdict

CACHE_VERSION = 1
DAY = 24 * 60 * 60.0
CLOCK_SKEW = 60.0  # an entry up to a minute ahead is a clock a little off, not a future check


class LinkCache:
    """URL -> verdict of its last successful check, valid for `ttl` seconds."""

    def __init__(self, path: Path | None, ttl: float = DAY, now: float | None = None) -> None:
        self.path, self.ttl = path, ttl
        self.now = time.time() if now is None else now
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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps({"version": CACHE_VERSION, "links": fresh}, separators=(",", ":")), encoding="utf-8"
        )
        temporary.replace(self.path)

    def _load(self) -> dict[str, dict[str, Any]]:
        assert self.path is not None
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or an unreadable one: check everything
        if not isinstance(payload, dict) or payload.get("version") != CACHE_VERSION:
            return {}
        links = payload.get("links")
        return links if isinstance(links, dict) else {}
