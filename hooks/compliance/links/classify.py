"""Sort one LinkChecker result into ok, warning, transient or broken."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import StrEnum

from .settings import RawResult

PERMANENT_REDIRECTS = {301, 308}
# Our transport says ConnectionError; LinkChecker's ftp checker passes on the socket error's own name.
_CONNECTION_ERRORS = {"ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError"}
_CONNECTION_ERRORS |= {"OSError", "gaierror", "socket.gaierror"}


class LinkClass(StrEnum):
    """How a link fared; only BROKEN (and WARNING under --strict) fails a check."""

    OK = "ok"
    WARNING = "warning"
    TRANSIENT = "transient"
    BROKEN = "broken"
    SKIPPED = "skipped"  # deliberately not checked (tel:, javascript:...), listed with the reason


@dataclass(frozen=True)
class Verdict:
    """A link's class, its status in a few words, and what to do about it."""

    kind: LinkClass
    status: str
    advice: str = ""
    retry_after: float | None = None


def classify(raw: RawResult) -> Verdict:
    """The verdict for one check of one URL."""
    error, _, detail = raw.result.partition(": ")
    if raw.hops and raw.hops[-1].detail:
        detail = raw.hops[-1].detail  # LinkChecker shortens its result text; the transport kept it whole
    statuses = [hop.status for hop in raw.hops if hop.status is not None]
    final = statuses[-1] if statuses and raw.hops[-1].location is None else None
    if error in ("ReadTimeout", "ConnectTimeout", "Timeout", "timeout", "TimeoutError"):
        return Verdict(LinkClass.TRANSIENT, "timeout")
    if raw.result == "Hostname not found":  # LinkChecker's ftp checker words a DNS failure so
        return Verdict(LinkClass.BROKEN, "DNS failure")
    if error == "ProxyError":
        return Verdict(LinkClass.BROKEN, "proxy error", _shorten(detail))
    if error in _CONNECTION_ERRORS:
        return _connection_error(detail)
    if error == "InvalidURL":
        return Verdict(LinkClass.BROKEN, "invalid URL", _shorten(detail))
    if error == "SSLError":
        return Verdict(LinkClass.BROKEN, "TLS error", _shorten(_tls_reason(detail)))
    if error == "TooManyRedirects":
        return Verdict(LinkClass.BROKEN, "redirect loop", f"redirects never end ({len(raw.hops)} distinct hops)")
    if error.startswith("error_perm"):
        return Verdict(LinkClass.BROKEN, f"FTP {detail.strip()}")
    if error.startswith(("error_temp", "EOFError")):
        return Verdict(LinkClass.TRANSIENT, f"FTP {detail.strip() or error}")
    if final is not None and (final == 429 or final >= 500):
        retry_after = parse_retry_after(raw.hops[-1].retry_after)
        return Verdict(LinkClass.TRANSIENT, raw.result if final != 429 else "429 Too Many Requests", "", retry_after)
    if not raw.valid:
        advice = f"redirected to {raw.final_url}" if raw.final_url != raw.url else ""
        return Verdict(LinkClass.BROKEN, _shorten(raw.result) or "invalid", advice)
    if any(status in PERMANENT_REDIRECTS for status in statuses[:-1]):
        return Verdict(LinkClass.WARNING, "permanent redirect", f"update the link to {raw.final_url}")
    return Verdict(LinkClass.OK, raw.result or "OK")


def _connection_error(detail: str) -> Verdict:
    lowered = detail.lower()
    if "refused" in lowered:
        return Verdict(LinkClass.BROKEN, "connection refused")
    if "resolve" in lowered or "name or service not known" in lowered or "nodename nor servname" in lowered:
        return Verdict(LinkClass.BROKEN, "DNS failure", _shorten(detail))
    if "timed out" in lowered:
        return Verdict(LinkClass.TRANSIENT, "timeout")
    if "reset" in lowered or "aborted" in lowered or "remotedisconnected" in lowered:
        return Verdict(LinkClass.TRANSIENT, "connection reset")
    return Verdict(LinkClass.BROKEN, "connection failed", _shorten(detail))


def _tls_reason(detail: str) -> str:
    """The innermost '[SSL: ...] reason' of a wrapped TLS error, which says what went wrong."""
    match = re.search(r"\[SSL[^\]]*\][^'\"]*", detail)
    return match.group(0).strip() if match else detail


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils  # only HTTP-date values need it, and it costs start-up time

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
