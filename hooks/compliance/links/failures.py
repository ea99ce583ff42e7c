"""Why a check failed, as a type: the transport and the LinkChecker module say it, one table judges it.

No layer reads another's message text: a failure travels as a FailureKind plus a detail for people.
"""

from __future__ import annotations

from enum import StrEnum


class LinkClass(StrEnum):
    """How a link fared; only BROKEN (and WARNING under --strict) fails a check."""

    OK = "ok"
    WARNING = "warning"
    TRANSIENT = "transient"
    BROKEN = "broken"
    SKIPPED = "skipped"  # deliberately not checked (tel:, javascript:, excluded...), listed with the reason


class FailureKind(StrEnum):
    """Every way a check can end without an HTTP status (or FTP listing) to judge."""

    TIMEOUT = "timeout"
    DEADLINE = "deadline"
    DNS = "dns"
    REFUSED = "refused"
    RESET = "reset"
    CONNECTION = "connection"
    TLS = "tls"
    PROXY = "proxy"
    INVALID_URL = "invalid-url"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    NO_LOCATION = "no-location"
    BLOCKED_ADDRESS = "blocked-address"
    BLOCKED_SCHEME = "blocked-scheme"
    TOO_LARGE = "too-large"
    MALFORMED = "malformed"
    FRAGMENT_MISSING = "fragment-missing"
    FRAGMENT_UNCHECKED = "fragment-unchecked"
    RATE_LIMITED = "rate-limited"  # the host still refused (429) once its retry budget was spent
    FTP_PERMANENT = "ftp-permanent"
    FTP_TEMPORARY = "ftp-temporary"
    INTERNAL = "internal"


# The one table from a failure to its class and its status words ({detail} is the failure's detail).
VERDICTS: dict[FailureKind, tuple[LinkClass, str]] = {
    FailureKind.TIMEOUT: (LinkClass.TRANSIENT, "timeout"),
    FailureKind.DEADLINE: (LinkClass.BROKEN, "timeout"),
    FailureKind.DNS: (LinkClass.BROKEN, "DNS failure"),
    FailureKind.REFUSED: (LinkClass.BROKEN, "connection refused"),
    FailureKind.RESET: (LinkClass.TRANSIENT, "connection reset"),
    FailureKind.CONNECTION: (LinkClass.BROKEN, "connection failed"),
    FailureKind.TLS: (LinkClass.BROKEN, "TLS error"),
    FailureKind.PROXY: (LinkClass.BROKEN, "proxy error"),
    FailureKind.INVALID_URL: (LinkClass.BROKEN, "invalid URL"),
    FailureKind.REDIRECT_LOOP: (LinkClass.BROKEN, "redirect loop"),
    FailureKind.TOO_MANY_REDIRECTS: (LinkClass.BROKEN, "too many redirects"),
    FailureKind.NO_LOCATION: (LinkClass.BROKEN, "redirect without Location"),
    FailureKind.BLOCKED_ADDRESS: (LinkClass.BROKEN, "redirect to a non-public address blocked"),
    FailureKind.BLOCKED_SCHEME: (LinkClass.BROKEN, "redirect to a non-web scheme blocked"),
    FailureKind.TOO_LARGE: (LinkClass.BROKEN, "response header line too long"),
    FailureKind.MALFORMED: (LinkClass.BROKEN, "invalid response"),  # too many headers, a bad status line...
    FailureKind.FRAGMENT_MISSING: (LinkClass.BROKEN, "fragment missing"),
    FailureKind.FRAGMENT_UNCHECKED: (LinkClass.WARNING, "fragment not checked"),
    # The link may well work: the host would not say (--rate-limited broken makes it fail the check).
    FailureKind.RATE_LIMITED: (LinkClass.WARNING, "rate limited"),
    FailureKind.FTP_PERMANENT: (LinkClass.BROKEN, "FTP {detail}"),
    FailureKind.FTP_TEMPORARY: (LinkClass.TRANSIENT, "FTP {detail}"),
    FailureKind.INTERNAL: (LinkClass.BROKEN, "internal error"),
}
# Kinds whose detail is already in the status words.
DETAIL_IN_STATUS = {FailureKind.FTP_PERMANENT, FailureKind.FTP_TEMPORARY}
