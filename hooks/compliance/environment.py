"""The process environment, read in one place: CI overrides and the conventions other tools share.

Standard library only, so the link checker can ask about proxies and CA stores without loading the
build's options model (pydantic and PyYAML cost about 85 ms of every check's start-up).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime


def process_environment() -> Mapping[str, str]:
    """The environment variables this process was started with (the only `os.environ` read)."""
    return os.environ


def chromium_path(environ: Mapping[str, str] | None = None) -> str:
    """The Chromium that prints the PDF and runs the browser tests (CHROMIUM; Debian's by default)."""
    return (process_environment() if environ is None else environ).get("CHROMIUM") or "/usr/bin/chromium"


def source_date_epoch(environ: Mapping[str, str] | None = None) -> str | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds convention for a fixed creation date."""
    # As set, even empty: MkDocs reads it the same way, and refuses an empty one.
    return (process_environment() if environ is None else environ).get("SOURCE_DATE_EPOCH")


def source_date(environ: Mapping[str, str] | None = None) -> date | None:
    """SOURCE_DATE_EPOCH as a date (UTC), None when it is not set; ValueError, in the one line an
    editor reads, when it is not whole seconds in ASCII digits (int() would take ' 1 ' and Arabic-Indic digits)."""
    epoch = source_date_epoch(environ)
    if epoch is None:
        return None
    problem = f"SOURCE_DATE_EPOCH: expected whole seconds since 1970 (e.g. 1700000000), got {epoch[:40]!r}"
    if not re.fullmatch(r"-?[0-9]{1,12}", epoch):
        raise ValueError(problem)
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):  # beyond the years a date can hold
        raise ValueError(problem) from None


def proxy_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether HTTP_PROXY or HTTPS_PROXY (either case) is set; urllib then reads them as curl does."""
    names = (process_environment() if environ is None else environ).keys()
    return any(name.lower() in ("http_proxy", "https_proxy") for name in names)


def is_set(*names: str) -> bool:
    """Whether any of these variables is set (SSL_CERT_FILE and SSL_CERT_DIR, say)."""
    environ = process_environment()
    return any(name in environ for name in names)


def site_url_override(environ: Mapping[str, str] | None = None) -> str | None:
    """COMPLIANCE_SITE_URL: the address a deployment's host assigns (GitHub Pages' base_url), or None."""
    return (process_environment() if environ is None else environ).get("COMPLIANCE_SITE_URL", "").strip() or None
