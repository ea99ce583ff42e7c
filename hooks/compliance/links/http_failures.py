"""What an aiohttp failure means: the FailureKind of a transport exception, by its type, never its message.

http_check.py turns every exception of one URL's request into that URL's result through here; the
table below is the only place that knows aiohttp's exception classes.
"""

from __future__ import annotations

import ssl

from aiohttp import client_exceptions as errors

from .failures import FailureKind


def failure_of(exc: BaseException) -> tuple[FailureKind, str]:
    """The kind of a transport failure, by the exception's type (never its message)."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, errors.ClientHttpProxyError):
        target = exc.request_info.url
        detail = f"the proxy refused a tunnel to {target.host}:{target.port}: {exc.status} {exc.message}"
    kinds: list[tuple[type[BaseException] | tuple[type[BaseException], ...], FailureKind]] = [
        ((TimeoutError, errors.ServerTimeoutError), FailureKind.TIMEOUT),
        (errors.ClientHttpProxyError, FailureKind.PROXY),
        (errors.ClientConnectorDNSError, FailureKind.DNS),
        ((errors.ClientSSLError, ssl.SSLError, ssl.CertificateError), FailureKind.TLS),
        ((errors.InvalidURL, ValueError, UnicodeError), FailureKind.INVALID_URL),
        ((errors.ServerDisconnectedError, errors.ClientPayloadError, ConnectionResetError), FailureKind.RESET),
    ]
    for types, kind in kinds:
        if isinstance(exc, types):
            if kind is FailureKind.TLS:  # the innermost reason says what went wrong: '[SSL: ...] ...'
                detail = str(getattr(exc, "certificate_error", None) or getattr(exc, "os_error", None) or detail)
            return kind, detail
    if isinstance(exc, errors.ClientResponseError):  # llhttp refused the response itself
        return _parser_failure(exc), detail
    if isinstance(exc, errors.ClientConnectorError):
        refused = isinstance(exc.os_error, ConnectionRefusedError)
        return (FailureKind.REFUSED if refused else FailureKind.CONNECTION), detail
    if isinstance(exc, errors.ClientOSError):
        return FailureKind.RESET, detail
    if isinstance(exc, OSError):
        return FailureKind.CONNECTION, detail
    return FailureKind.INTERNAL, f"{type(exc).__name__}: {detail}"


def _parser_failure(exc: errors.ClientResponseError) -> FailureKind:
    from aiohttp import http_exceptions

    # aiohttp re-raises the parser's error as a plain HttpProcessingError caused by the original one.
    cause = exc.__cause__
    original = cause.__cause__ if cause is not None and cause.__cause__ is not None else cause
    return FailureKind.TOO_LARGE if isinstance(original, http_exceptions.LineTooLong) else FailureKind.MALFORMED
