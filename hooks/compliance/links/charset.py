"""A page's text as a browser decodes it: by its byte order mark, its Content-Type charset, or its <meta charset>.

A page declared ISO-8859-1 and read as UTF-8 loses every accented id (`id="café"` would never be
found). The order is the HTML standard's ("determining the character encoding"): a BOM first, then
the header, then a declaration in the first 1024 bytes; labels are read as the WHATWG Encoding
standard reads them (ISO-8859-1 and US-ASCII are windows-1252). Without any, UTF-8, as before.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">, in ASCII bytes.
_META = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 1024
_WHATWG_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def page_text(body: bytes, declared: str | None = None) -> str:
    """`body` decoded as a browser would, given the Content-Type's charset (`declared`, if any)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    encoding = _codec(declared)
    if encoding is None:
        meta = _META.search(body[:_PRESCAN_BYTES])
        encoding = _codec(meta[1].decode("ascii")) if meta else None
        if encoding is not None and encoding.startswith("utf-16"):
            encoding = "utf-8"  # a <meta> that could be read in ASCII is no UTF-16 (the standard's rule)
    return body.decode(encoding or "utf-8", errors="replace")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    try:
        return _WHATWG_LABELS.get(label) or codecs.lookup(label).name
    except LookupError:
        return None
