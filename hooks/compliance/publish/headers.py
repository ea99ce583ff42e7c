"""Security headers of the published site: a Content-Security-Policy that allows exactly the inline
scripts the built pages hold, as a `<meta>` tag in each page and, with the other headers, as a
`_headers` file for the static hosts that read one (Netlify, Cloudflare Pages).

The theme writes a few small inline scripts (reading the saved palette, the search scope, which differs
with a page's depth): each page's policy lists the SHA-256 of its own, computed from the final HTML, and
`_headers` the union over the whole site. Nothing else runs inline, and everything else loads from the
site's own origin. A `<meta>` policy cannot carry `frame-ancestors` (browsers ignore it there and say
so in the console), so only the header forbids framing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

HEADERS_FILE = "_headers"
# A script element's attributes and body; a `src` script loads from 'self', a data block never runs.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_RUNS = {"", "text/javascript", "application/javascript", "module"}
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)

# Every source is the site itself: the theme's fonts are off (`font: false`) and nothing comes from a CDN.
# Images include data: URIs, which the theme's stylesheet uses for its icons (mask-image).
_POLICY = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("object-src", "'none'"),
)
HEADER_ONLY = (("frame-ancestors", "'none'"),)
REFERRER_POLICY = "no-referrer"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
HSTS_ADVICE = "Strict-Transport-Security: max-age=31536000; includeSubDomains"


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source (`'sha256-...'`) of each inline script of `html` that a browser would run, sorted."""
    found = set()
    for attributes, body in _SCRIPT.findall(html):
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) or (kind is not None and kind[1].lower() not in _RUNS):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(found)


def content_security_policy(hashes: list[str] | set[str], *, header: bool) -> str:
    """The policy allowing the scripts of `hashes` inline; with `header`, the directives a meta tag ignores too."""
    directives = [*_POLICY, *(HEADER_ONLY if header else ())]
    inline = " ".join(sorted(hashes))
    parts = [
        f"{name} {value} {inline}" if name == "script-src" and inline else f"{name} {value}"
        for name, value in directives
    ]
    return "; ".join(parts)


def with_meta_policy(html: str, hashes: list[str] | None = None) -> str:
    """`html` with its own policy as the first thing in `<head>` after the charset, before any script runs;
    `hashes` are its inline scripts' (`inline_script_hashes(html)`), when the caller has them already."""
    policy = content_security_policy(inline_script_hashes(html) if hashes is None else hashes, header=False)
    tags = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f'<meta name="referrer" content="{REFERRER_POLICY}">'
    )
    charset = _CHARSET.search(html)
    head = _HEAD.search(html)
    at = charset.end() if charset else head.end() if head else None
    if at is None:
        return html  # not a page (a fragment with no head): nothing to protect it with
    return html[:at] + tags + html[at:]


@dataclass
class SiteHeaders:
    """The inline scripts seen across a build's pages, and the `_headers` file made from them."""

    hashes: set[str] = field(default_factory=set)

    def page(self, html: str) -> str:
        """A page's final HTML with its meta policy; its scripts count towards the site's header."""
        hashes = inline_script_hashes(html)  # a large page's scripts are searched for once, not twice
        self.hashes.update(hashes)
        return with_meta_policy(html, hashes)

    def headers_text(self) -> str:
        """`_headers` (Netlify and Cloudflare Pages syntax): every path gets the policy and the other headers."""
        lines = [
            "# Security headers for every page, for static hosts that read a _headers file (Netlify, Cloudflare",
            "# Pages). Made by the build: the script hashes are those of the theme's inline scripts.",
            "# Once the site is served over https only, add HSTS (handbook/publishing.md):",
            f"#   {HSTS_ADVICE}",
            "/*",
            f"  Content-Security-Policy: {content_security_policy(self.hashes, header=True)}",
            f"  Referrer-Policy: {REFERRER_POLICY}",
            "  X-Content-Type-Options: nosniff",
            "  X-Frame-Options: DENY",
            f"  Permissions-Policy: {PERMISSIONS_POLICY}",
        ]
        return "\n".join(lines) + "\n"
