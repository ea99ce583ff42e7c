"""How links are checked (settings, retry policy) and what one check of one URL found.

Kept apart from the checking machinery (asyncio, aiohttp) so that a run with nothing to request,
such as a re-run answered from the cache, never imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .failures import FailureKind

# Without --threads, concurrency is hosts x per-host limit, but never more than this many open
# connections, well below the usual limit of 1024 open files. The CLI's help reads it from here.
MAX_AUTO_WORKERS = 512
USER_AGENT = "compliance-docs-linkcheck/3 (status check; LinkChecker-compatible)"
# RFC 9110 field-value, limited to ASCII: what a header such as User-Agent may carry.
_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")
_FIELD_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
MAX_PAGE_BYTES = 2 * 1024 * 1024
# Progress of a run: called with (links done, links started, which hosts are backing off or "").
Progress = Callable[[int, int, str], None]

if TYPE_CHECKING:
    from .failures import LinkClass


@dataclass(frozen=True)
class CheckSettings:
    """How hard and how politely to check, and where requests may go."""

    timeout: float = 20.0  # one attempt: every hop of its redirect chain
    deadline: float = 120.0  # one link: every attempt and every wait between them
    threads: int = 0  # concurrent requests in all; 0 picks hosts x per_host, bounded
    per_host: int = 10
    host_rate: float = 0.0  # check starts per second per host; 0 means no limit
    ca_bundle: str | None = None
    user_agent: str = USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()
    insecure: bool = False
    allow_private: bool = False  # follow redirects to loopback, private and reserved addresses
    trusted_hosts: frozenset[str] = frozenset()  # hosts a redirect may reach whatever their address
    resolve: tuple[tuple[str, str], ...] = ()  # (host, address) answered without DNS
    fragments: bool = True
    max_page_bytes: int = MAX_PAGE_BYTES
    accept: frozenset[int] = frozenset()  # statuses accepted as ok besides 2xx
    rate_limited: LinkClass | None = None  # the class of a link still rate limited at the end (None: the table's)


@dataclass(frozen=True)
class RetryPolicy:
    """Transient failures are retried `retries` times, after base x 2^n s or Retry-After, at most `cap` s."""

    retries: int = 3
    base: float = 1.0
    cap: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        return min(self.cap, max(self.base * 2.0 ** (attempt - 1), retry_after or 0.0))


@dataclass
class Hop:
    """One HTTP response seen for a request URL."""

    status: int
    reason: str = ""
    location: str | None = None
    retry_after: str | None = None


@dataclass
class RawResult:
    """One check of one URL: the responses (hops) that led to its end, or why it ended without one."""

    url: str
    final_url: str
    hops: list[Hop] = field(default_factory=list)
    failure: FailureKind | None = None
    detail: str = ""  # for people: the failure's particulars, or what an FTP server said
    note: str = ""  # for people: the status of a success that has no HTTP status (FTP)

    @property
    def status(self) -> int | None:
        return self.hops[-1].status if self.hops else None


@dataclass(frozen=True)
class Verdict:
    """A link's class, its status in a few words, and what to do about it."""

    kind: LinkClass
    status: str
    advice: str = ""
    retry_after: float | None = None
    rate_limited: bool = False  # a 429, or a 503 with Retry-After: the host is asking for less, not failing


def sendable_field(value: str) -> bool:
    """Whether `value` can be sent as a header's value: printable ASCII on one line, not blank at either end."""
    return _FIELD_VALUE.fullmatch(value) is not None


def sendable_name(name: str) -> bool:
    """Whether `name` is a header name (an RFC 9110 token)."""
    return _FIELD_NAME.fullmatch(name) is not None
