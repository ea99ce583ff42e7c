"""mailto: links: every address valid by email-validator, and no header smuggled in (RFC 6068).

A `mailto:a@b.example%0ABcc:everyone@c.example` opens a mail with a hidden Bcc in some clients:
decoded, no part of a mailto: URL may hold a line break, and each address must be one address.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote

from email_validator import EmailNotValidError, validate_email

_HEADERS_WITH_ADDRESSES = ("to", "cc", "bcc")
_DOMAIN = re.compile(r"@([^,?&>\s]+)")


def ascii_mailto(url: str) -> str:
    """The mailto: URL with each mail domain in IDNA (`bücher.example` -> `xn--bcher-kva.example`), as DNS asks for it.

    LinkChecker's MX lookup drops every character that is not ASCII, so an IDN domain would be
    looked up under a name that does not exist.
    """
    from yarl import URL  # IDNA (UTS 46) as the http checks send host names

    def encoded(match: re.Match[str]) -> str:
        domain = match[1]
        if domain.isascii():
            return match[0]
        try:
            return "@" + (URL.build(scheme="http", host=domain).raw_host or domain)
        except (ValueError, UnicodeError):
            return match[0]  # left as written: the lookup fails and says which domain

    return _DOMAIN.sub(encoded, unquote(url))


def mailto_problem(url: str) -> str | None:
    """Why the mailto: URL is unusable, or None when every address in it is valid."""
    body = url.split(":", 1)[1] if ":" in url else ""
    to, _, query = body.partition("?")
    decoded = unquote(body)
    if any(char in decoded for char in "\r\n\x00"):
        return "a line break in a mailto: link (header injection)"
    addresses = [unquote(a).strip() for a in to.split(",") if a.strip()]
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name.lower() in _HEADERS_WITH_ADDRESSES:
            addresses += [a.strip() for a in value.split(",") if a.strip()]
    if not addresses:
        return "no address in the mailto: link"
    for address in addresses:
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as exc:
            return f"invalid address {address!r}: {exc}"
    return None
