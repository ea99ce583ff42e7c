"""How links are checked (settings, retry policy) and what one check of one URL found.

Kept apart from the checking machinery (asyncio, httptools) so that a run with nothing to request,
such as a re-run answered from the cache, never imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# Without --threads, concurrency is hosts x per-host limit, but never more than this many open
# connections, well below the usual limit of 1024 open files. The CLI's help reads it from here.
MAX_AUTO_WORKERS = 512
USER_AGENT = "compliance-docs-linkcheck/2 (status check; LinkChecker-compatible)"
# RFC 9110 field-value, limited to ASCII: what a header such as User-Agent may carry.
_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")

if TYPE_CHECKING:
    from .classify import Verdict


@dataclass(frozen=True)
class CheckSettings:
    """How hard and how politely to check."""

    timeout: float = 20.0
    threads: int = 0  # concurrent requests in all; 0 picks hosts x per_host, bounded
    per_host: int = 10
    host_rate: float = 0.0  # check starts per second per host; 0 means no limit
    ca_bundle: str | None = None
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class RetryPolicy:
    """Transient failures are retried `retries` times, after base x 2^n s or Retry-After, at most `cap` s."""

    retries: int = 3
    base: float = 1.0
    cap: float = 60.0

    def delay(self, attempt: int, verdict: Verdict) -> float:
        return min(self.cap, max(self.base * 2 ** (attempt - 1), verdict.retry_after or 0.0))


@dataclass
class Hop:
    """One HTTP response (or failure) seen for a request URL."""

    status: int | None
    location: str | None = None
    retry_after: str | None = None
    error: str | None = None
    detail: str = ""


@dataclass
class RawResult:
    """The outcome of one check of one URL, with the hops that led to it."""

    url: str
    valid: bool
    result: str
    final_url: str
    warnings: list[str] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)


def sendable_field(value: str) -> bool:
    """Whether `value` can be sent as a header's value: printable ASCII on one line, not blank at either end."""
    return _FIELD_VALUE.fullmatch(value) is not None
