"""What the print document changes so that the guide reads on paper as it does on screen.

Answers folded away on screen are printed open; a link's address is printed after it once, breakable
only where an address reads well broken; a block of controls that two pages show is printed once, and
the other page links to it; an image inside a heading (the guide's icon) is decoration, so the PDF's
outline holds the heading's words only.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

# Where an address may break across lines: after a slash, before ? & = # and after - . _ ~ (never
# inside a host name's letters, as word-break: break-all did: "…dhe.ibm.c" / "om/…").
_BREAK_AFTER = re.compile(r"(//|[/\-.,_~@:](?!/))")
_BREAK_BEFORE = re.compile(r"(?=[?&=#])")
_PRINTED_SCHEMES = ("http://", "https://", "ftp://", "mailto:")


def open_answers(article: Tag) -> None:
    """Every folded block (an FAQ answer) is printed open."""
    for details in article.select("details"):
        details["open"] = ""


def decorative_heading_images(article: Tag) -> None:
    """Images in headings say nothing the heading does not: the outline takes only its words."""
    for image in article.select(":is(h1, h2, h3, h4, h5, h6) img"):
        image["alt"] = ""


def print_addresses(out: BeautifulSoup, article: Tag) -> None:
    """After each link to the outside, its address once, with break points where an address may wrap.

    A link whose words are its address prints them only once, with the same break points. The site's
    print stylesheet adds the address itself (`::after`) on a browser's print; links marked here are
    left out of that rule.
    """
    for link in article.select("a[href]"):
        href = str(link["href"])
        if not href.startswith(_PRINTED_SCHEMES) or (link.find("img") and not link.get_text(strip=True)):
            continue
        link["data-print-address"] = ""
        words = link.get_text().strip()
        if _same_address(words, href):
            link.clear()
            link.extend(breakable(out, words))
            continue
        shown = out.new_tag("span", attrs={"class": "compliance-print-address"})
        shown.append(" <")
        shown.extend(breakable(out, href.removeprefix("mailto:")))
        shown.append(">")
        link.append(shown)


def breakable(out: BeautifulSoup, address: str) -> list[Tag | str]:
    """`address` as text with a <wbr> at each point where it may wrap."""
    marked = _BREAK_BEFORE.sub("\x00", _BREAK_AFTER.sub("\\1\x00", address))
    parts: list[Tag | str] = []
    for number, piece in enumerate(marked.split("\x00")):
        if number:
            parts.append(out.new_tag("wbr"))
        if piece:
            parts.append(piece)
    return parts


def drop_repeated_controls(out: BeautifulSoup, pages: list[Tag]) -> None:
    """A controls area shown on two printed pages (the guide's section and the controls page) is printed
    where most areas are (the controls page); elsewhere a link to that copy, named by that page's title,
    stands in. `pages` are the printed pages, their ids already made `PAGE--ID`."""
    where: dict[str, list[tuple[int, Tag]]] = {}
    for number, article in enumerate(pages):
        for block in article.select(".compliance-controls[id]"):
            where.setdefault(str(block["id"]).split("--", 1)[-1], []).append((number, block))
    counts = [len(article.select(".compliance-controls[id]")) for article in pages]
    for copies in where.values():
        if len(copies) < 2:
            continue
        number, kept = max(copies, key=lambda copy: counts[copy[0]])
        heading = pages[number].find("h1")
        name = heading.get_text(" ", strip=True) if heading is not None else str(kept["id"])
        for _, block in copies:
            if block is not kept:
                see = out.new_tag("p", attrs={"class": "compliance-print-see"})
                link = out.new_tag("a", href=f"#{kept['id']}")
                link.string = f"→ {name}"
                see.append(link)
                block.replace_with(see)


def _same_address(words: str, href: str) -> bool:
    """Whether a link's words are its address (as written, or without `mailto:` or a final slash)."""
    bare = href.removeprefix("mailto:")
    return words in (href, bare, href.rstrip("/"), bare.rstrip("/"))
