"""An allowlist check of SVG images: drawing only, nothing that runs, loads or embeds.

An SVG opened on its own (not through `<img>`) is a document of the site's origin: a `<script>`, an
`onload=` or a `<foreignObject>` in it runs there. So an image published from docs/ may hold only
the SVG elements that draw, attributes that are not event handlers, and references (`href`,
`url(...)`) to its own fragments. Anything else is refused with its line, column and element;
nothing is rewritten, so what the editor sees is exactly what is published.
"""

from __future__ import annotations

import re
from xml.parsers import expat

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_SEPARATOR = "\x1f"  # between namespace and local name in expat's names; never in a real name
# Elements that draw or structure a drawing. Not here, so refused: script, foreignObject, a, image,
# iframe, embed, object, audio, video, animate, set (which can rewrite an href), and unknown names.
ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "metadata",
        "symbol",
        "use",
        "switch",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "style",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "feTile",
        "feTurbulence",
    ]
)
_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:", re.IGNORECASE)


class _Refused(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def svg_problems(content: bytes) -> list[tuple[int, int, str]]:
    """(line, column, message) for the first thing in `content` an SVG image may not hold, or []."""
    parser = expat.ParserCreate(namespace_separator=_SEPARATOR)
    state = {"root": True, "style": False}

    def refuse(message: str) -> None:
        # Where the refused element or instruction starts: the parser moves on once a handler fails.
        raise _Refused(message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(_SEPARATOR)
        shown = f"<{local}>"
        if state["root"] and (namespace, local) != (SVG, "svg"):
            refuse(f"does not start with an <svg> element in the SVG namespace (found {shown}); export it as SVG")
        state["root"] = False
        if namespace != SVG or local not in ELEMENTS:
            refuse(f"{shown} is not allowed in an SVG image (only drawing elements are); remove it")
        state["style"] = local == "style"
        for attribute, value in attributes.items():
            attribute_namespace, _, attribute_name = attribute.rpartition(_SEPARATOR)
            if attribute_name.lower().startswith("on"):
                refuse(f"the event handler {attribute_name}= on {shown} is not allowed in an SVG image; remove it")
            if attribute_name == "href" and attribute_namespace in ("", XLINK) and not value.startswith("#"):
                refuse(f"{shown} refers to {value[:60]!r}; an SVG image may refer only to its own parts (#id)")
            if _REFERENCE.search(value):
                refuse(f"{attribute_name}= on {shown} refers outside the image; only url(#id) is allowed")

    def text(data: str) -> None:
        if state["style"] and _REFERENCE.search(data):
            refuse("<style> refers outside the image (url(), @import); only url(#id) is allowed")

    def doctype(*args: object) -> None:
        refuse("a DOCTYPE is not allowed in an SVG image (it can define entities); remove it")

    def instruction(target: str, data: str) -> None:
        refuse(f"the processing instruction <?{target}?> is not allowed in an SVG image; remove it")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(content, True)
    except _Refused as refused:
        return [(refused.line, refused.column, refused.message)]
    except expat.ExpatError as exc:
        message = f"is not a well-formed SVG image: {expat.ErrorString(exc.code)}; export it again"
        return [(exc.lineno, exc.offset + 1, message)]
    if state["root"]:
        return [(1, 1, "holds no <svg> element; export it again as SVG")]
    return []
