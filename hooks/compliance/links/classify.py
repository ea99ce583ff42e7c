"""Sort one check's result into ok, warning, transient or broken: by its status or by the failure table."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from .failures import DETAIL_IN_STATUS, VERDICTS, FailureKind, LinkClass
from .settings import RawResult, Verdict

__all__ = ["FailureKind", "Judge", "LinkClass", "Verdict", "classify", "parse_retry_after"]

PERMANENT_REDIRECTS = {301, 308}
RETRY_AFTER_LIMIT = 24 * 60 * 60.0  # no server's wish is read as longer than a day (the policy caps it further)
_DELTA_SECONDS = re.compile(r"[0-9]+")  # ASCII digits only: int('²') is an error, '٣' a three


@dataclass(frozen=True)
class Judge:
    """classify() with the run's accepted statuses (--accept)."""

    accept: frozenset[int] = frozenset()

    def __call__(self, raw: RawResult) -> Verdict:
        return classify(raw, self.accept)


def classify(raw: RawResult, accept: frozenset[int] = frozenset()) -> Verdict:
    """The verdict for one check of one URL."""
    if raw.failure is not None:
        kind, words = VERDICTS[raw.failure]
        if raw.failure in DETAIL_IN_STATUS:
            return Verdict(kind, words.format(detail=raw.detail.strip()))
        return Verdict(kind, words, _shorten(raw.detail))
    if not raw.hops:  # FTP: a listing found
        return Verdict(LinkClass.OK, raw.note or "OK")
    final = raw.hops[-1]
    status = f"{final.status} {final.reason}".strip()
    if final.status in accept:
        return Verdict(LinkClass.OK, status, "accepted by --accept")
    if final.status == 429 or final.status >= 500:
        retry_after = parse_retry_after(final.retry_after)
        advice = f"the server asked to wait {retry_after:g} s" if retry_after is not None else ""
        # A 503 is a rate limit only when it says when to come back; without that it is the server failing.
        limited = final.status == 429 or (final.status == 503 and retry_after is not None)
        shown = "429 Too Many Requests" if final.status == 429 else status
        return Verdict(LinkClass.TRANSIENT, shown, advice, retry_after, limited)
    if not 200 <= final.status < 300:
        advice = f"redirected to {raw.final_url}" if len(raw.hops) > 1 else ""
        return Verdict(LinkClass.BROKEN, status, advice)
    if any(hop.status in PERMANENT_REDIRECTS for hop in raw.hops[:-1]):
        return Verdict(LinkClass.WARNING, "permanent redirect", f"update the link to {raw.final_url}")
    return Verdict(LinkClass.OK, status)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at most a day; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return min(float(value), RETRY_AFTER_LIMIT)
    import email.utils  # only HTTP-date values need it, and it costs start-up time

    try:
        when = email.utils.parsedate_to_datetime(value)
        seconds = when.timestamp() - (time.time() if now is None else now)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return min(max(0.0, seconds), RETRY_AFTER_LIMIT)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
