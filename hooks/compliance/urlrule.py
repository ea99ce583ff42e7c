"""The one rule for every URL the site prints, whatever its source: the data, mkdocs.yml's `site_url`
(or the environment variable its `!ENV` names), the command line.

The site writes URLs into HTML attributes, Atom XML and security.txt lines. Each of those sinks escapes
what it writes, for itself; on top of that, a URL the site prints holds nothing any of them would have
to escape (quotes, `<`, `>`, white space, control characters): a URL that needs escaping is one
somebody is smuggling something in. Its host is written in one script, since a Cyrillic a (U+0430) in a Latin
name sends readers to another host; a `mailto:` URL holds no encoded line break, which a mail program
reads as a new header line (`Bcc:`). The site's own address, which every page's canonical link, the
feed and security.txt are built on, is http(s), without credentials, query or fragment.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, quote, urlsplit

# What HTML would escape in an attribute, or would end a security.txt line.
_NEEDS_ESCAPING = re.compile(r"[\"'`<>\s\x00-\x1f\x7f-\x9f]")
# A control character, percent-encoded: in a mailto: URL, %0D%0A starts a new header line.
_ENCODED_CONTROL = re.compile(r"%(?:[01][0-9a-f]|7f)", re.IGNORECASE)
# Scripts one name may mix (Unicode TS 39, "highly restrictive"): Latin with Japanese, Korean or Chinese.
_ALLOWED_MIXES = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana", "Katakana-Hiragana"}),
    frozenset({"Latin", "Han", "Hangul"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
)
# Names reserved for documentation and for this machine (RFC 2606, RFC 6761): an address that is
# somebody's placeholder, never the site's.
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", ".example", "localhost")
# unicodedata has no names for control characters.
_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}
SITE_URL_EXPECTED = "a URL whose scheme is https or http"


def url_problem(url: str, expected: str) -> str | None:
    """Why the site may not print `url`, as one message naming what was `expected`; None if it may."""
    bad = _NEEDS_ESCAPING.search(url)
    if bad:
        char = bad[0]
        name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "a control character")
        return (
            f"expected {expected} without quotes, '<', '>', white space or control characters, got "
            f"U+{ord(char):04X} ({name}) at character {bad.start() + 1}; "
            f"HTML and security.txt would have to escape it: percent-encode it as {quote(char, safe='')}"
        )
    if url[:7].lower() == "mailto:":
        encoded = _ENCODED_CONTROL.search(url)
        if encoded:
            return (
                f"expected {expected} without encoded control characters, got {encoded[0]} at character "
                f"{encoded.start() + 1}; in a mailto: link it starts a new line of the message's header, "
                "where it can add recipients (Bcc:) the reader never sees: remove it"
            )
    return _mixed_script(url, expected)


def site_url_problem(url: str, expected: str = SITE_URL_EXPECTED) -> str | None:
    """Why `url` cannot be the site's own address; None if it can."""
    parts = _split(url)
    if parts is None or parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return f"expected {expected}, got text {_shown(url)}"
    if "@" in parts.netloc:
        return f"expected {expected} without a user name or password, got text {_shown(url)}"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return (
            f"expected {expected} without a query ('?...') or fragment ('#...'), got text {_shown(url)}; every page's "
            "address and security.txt's Canonical are made from it"
        )
    return url_problem(url, expected)


def encoded_path_problem(path: str, expected: str) -> str | None:
    """Why a file's path under docs/, which pages link as a URL, may not hold a %-escape; None if it holds none."""
    if "%" not in path:
        return None
    return (
        f"expected {expected}, written as the file is named, got {_shown(path)} with a %-escape at character "
        f"{path.index('%') + 1}; a browser decodes it ('%2e%2e' reads as '..') and loads another file than the "
        "one the build checked"
    )


def placeholder_domain(url: str) -> str | None:
    """The reserved domain `url`'s host is under (`example.com`, `.example`, `localhost`), or None."""
    parts = _split(url)
    host = (parts.hostname or "").rstrip(".") if parts else ""
    names = ((domain, domain.lstrip(".")) for domain in PLACEHOLDER_DOMAINS)
    return next((domain for domain, name in names if host == name or host.endswith("." + name)), None)


def _mixed_script(url: str, expected: str) -> str | None:
    host = _host(url)
    for label in host.split("."):
        scripts: dict[str, list[str]] = {}
        for char in label:
            if char.isalpha():
                scripts.setdefault(_script(char), []).append(char)
        if len(scripts) < 2 or any(frozenset(scripts) <= allowed for allowed in _ALLOWED_MIXES):
            continue
        main = max(scripts, key=lambda script: len(scripts[script]))
        odd = [char for script, chars in scripts.items() if script != main for char in chars]
        named = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, '')})" for c in dict.fromkeys(odd))
        others = " and ".join(script for script in scripts if script != main)
        at = url.find(host) + host.find(odd[0]) + 1
        return (
            f"expected {expected} with its host written in one script, got {label!r} in {_shown(url)}, mixing "
            f"{main} with {others}: {named} at character {at}; a letter that only looks "
            f"{main} leads readers to another host. Retype it, or if the name is meant so, write its punycode "
            f"form: {url.replace(host, _punycode(host), 1)!r}"
        )
    return None


def _script(char: str) -> str:
    words = unicodedata.name(char, "UNKNOWN").split()
    word = words[1] if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1 else words[0]
    return "Han" if word == "CJK" else word.title()


def _host(url: str) -> str:
    """The host as written (case kept), of a web, FTP or mailto: URL; '' when it has none."""
    if url[:7].lower() == "mailto:":
        return re.split(r"[?#]", url[7:], maxsplit=1)[0].rpartition("@")[2]
    parts = _split(url)
    if parts is None:
        return ""
    host = parts.netloc.rpartition("@")[2]
    return host if host.startswith("[") else host.partition(":")[0]


def _punycode(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a label the IDNA codec refuses (too long, say): plain punycode, label by label
        labels = host.lower().split(".")
        return ".".join(label if label.isascii() else "xn--" + label.encode("punycode").decode() for label in labels)


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return None
    return parts


def _shown(url: str) -> str:
    return repr(url if len(url) <= 80 else url[:77] + "...")
