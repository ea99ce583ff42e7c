"""What a link written in a page points at: the web, a mailbox, a file of the site, or nothing we check.

Every link lands in exactly one category, so the report can account for all of them:
external (http, https, ftp), mail, internal (a file of the site, maybe with a fragment),
skipped (a scheme with nothing to check, with the reason) or broken before any check
(a URL that cannot be parsed, a file: URL, a path that climbs out of the site).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urljoin, urlsplit

CHECKED_SCHEMES = ("http", "https", "ftp")
MAIL_SCHEME = "mailto"
# Schemes a reader's browser hands to something other than a web server: nothing to fetch.
SKIPPED_SCHEMES = {
    "tel": "telephone number",
    "sms": "text message number",
    "javascript": "script, not a link",
    "data": "inline data",
    "blob": "in-page object",
    "about": "browser-internal page",
    "dns": "DNS prefetch hint, not a link",
}


# WHATWG URL: what a browser drops from a URL as written (C0 controls and spaces at the ends, tabs and
# line breaks anywhere), and the special schemes whose backslashes are slashes.
_ENDS = "".join(map(chr, range(0x21)))
_TABS_AND_BREAKS = re.compile("[\t\n\r]")
_SPECIAL = re.compile(r"(?i)(https?|ftp):[/\\]*")


def browser_text(written: str, special: bool = True) -> str:
    """`written` as the WHATWG URL parser reads it in an http(s) page, before any encoding.

    Ends and tab/line breaks go; in http(s) and ftp (and in a relative URL, `special`, as on a web
    page) a backslash before the query is a slash, and `http:\\host`, `http:/host`, `http:host` all
    mean `http://host`.
    """
    text = _TABS_AND_BREAKS.sub("", written.strip(_ENDS))
    scheme = _SPECIAL.match(text)
    if scheme is None and (not special or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text)):
        return text  # another scheme: its backslashes are its own
    end = min((i for i in (text.find("?"), text.find("#")) if i >= 0), default=len(text))
    text = text[:end].replace("\\", "/") + text[end:]
    if scheme is not None:
        text = f"{scheme[1]}://{text[scheme.end() :]}"
    return text


class Category(StrEnum):
    """Which checker a link goes to."""

    EXTERNAL = "external"
    MAIL = "mail"
    INTERNAL = "internal"
    SKIPPED = "skipped"
    BROKEN = "broken"


@dataclass(frozen=True)
class Target:
    """A resolved link. `key` groups links to the same target: the URL, or /site/path#fragment."""

    category: Category
    key: str
    reason: str = ""  # why skipped or broken
    path: str = ""  # internal: site-relative path of the target ("" is the site root)
    fragment: str | None = None  # internal: the fragment as written, None without '#'


def resolve(written: str, page: str, base: str = "", root: str = "/") -> Target:
    """Resolve `written`, found in site-relative `page` (e.g. 'guide/index.html'), under an optional <base href>.

    `root` is the path the site is served under ('/docs/' for site_url https://host/docs/):
    root-relative links are resolved against it.
    """
    text = written.strip()
    try:
        if base:
            text = urljoin(base, text) if urlsplit(base).scheme else urljoin(posixpath.join("/", page), base + text)
        parts = urlsplit(browser_text(text))
        parts.port  # noqa: B018 - parsing the port is what rejects 'http://h:99999/'
    except ValueError as exc:
        return Target(Category.BROKEN, text, f"unparsable URL: {exc}")
    scheme = parts.scheme.lower()
    if scheme in CHECKED_SCHEMES:
        if not parts.hostname:
            return Target(Category.BROKEN, text, "unparsable URL: no host name")
        return Target(Category.EXTERNAL, text)
    if not scheme and text.startswith("//"):  # scheme-relative: a site served over https fetches https
        return resolve("https:" + text, page, root=root)
    if scheme == MAIL_SCHEME:
        return Target(Category.MAIL, text)
    if scheme == "file":
        return Target(Category.BROKEN, text, "file: URL points into the reader's own disk, not to the web")
    if scheme:
        return Target(Category.SKIPPED, text, SKIPPED_SCHEMES.get(scheme, f"{scheme}: links are not checked"))
    path = parts.path
    if path.startswith("/") and root != "/":
        if not (path + "/").startswith(root):
            return Target(Category.BROKEN, text, f"outside the site, which is served under {root}")
        path = "/" + path[len(root) :]
    return _internal(path, parts.fragment if "#" in text else None, page, text)


def _internal(path: str, fragment: str | None, page: str, text: str) -> Target:
    if not path:  # '#x', '?q' or '': this very page
        return Target(Category.INTERNAL, _key(page, fragment), path=page, fragment=fragment)
    start = [] if path.startswith("/") else page.split("/")[:-1]
    segments = list(start)
    for segment in unquote(path).split("/"):
        if segment == "..":
            if not segments:
                return Target(Category.BROKEN, text, "leaves the site: '../' climbs above the site root")
            segments = segments[:-1]
        elif segment not in ("", "."):
            segments = [*segments, segment]
    folder = path.endswith("/") or path.endswith("/.") or path in (".", "..")
    target = "/".join(segments) + ("/" if folder and segments else "")
    return Target(Category.INTERNAL, _key(target, fragment), path=target, fragment=fragment)


def _key(path: str, fragment: str | None) -> str:
    return "/" + path + ("" if fragment is None else "#" + fragment)


def fragment_found(fragment: str, anchors: set[str]) -> bool:
    """Whether a page with these ids and names has the fragment, by the HTML standard's rules.

    Empty fragments and 'top' scroll to the top; a text fragment (':~:text=...') is a directive
    whose part before ':~:' is the id, if any; ids match as written or percent-decoded.
    """
    fragment = fragment.split(":~:", 1)[0]
    if not fragment or fragment in anchors:
        return True
    decoded = unquote(fragment)
    return decoded in anchors or decoded.lower() == "top"
