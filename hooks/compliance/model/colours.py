"""The organisation's look checked for readers: its colours for WCAG AA contrast where the theme uses
them, and its logo's alt text for the organisation's name.

Where each colour is used decides what it must stand out from:

- `primary` is the header's background under white text, and the colour of links on the light page;
- `accent` is the colour of a link under the pointer or in focus on the light page.

The dark page needs nothing more from the editor: render/palette.py lightens each colour there.
The logo stands for the organisation in every page's header, so its alt text, what a screen reader
says in its place, names the organisation (WCAG 1.1.1; the logo is the site's name for who reads it).
"""

from __future__ import annotations

from ..errors import Problem, format_path
from ..load.sourcemap import SourceMap
from .document import ComplianceDocument

WHITE = "#ffffff"
TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal-size text (1.4.3)
USES = {
    "primary": "white header text and links on the light page",
    "accent": "links under the pointer on the light page",
}


def luminance(colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def look_problems(document: ComplianceDocument, sources: SourceMap) -> list[Problem]:
    """A problem at each colour of the data that does not reach WCAG AA where it is used, and at a logo
    whose alt text does not name the organisation."""
    problems = _logo_problems(document, sources)
    colours = document.organisation.colours
    if colours is None:
        return problems
    for name, use in USES.items():
        colour = getattr(colours, name)
        if colour is None:
            continue
        ratio = contrast(colour, WHITE)
        if ratio < TEXT_CONTRAST:
            where = ("organisation", "colours", name)
            message = (
                f"colour '{colour}' has a contrast of {ratio:.2f}:1 with white, used for {use}; "
                f"WCAG AA asks for at least {TEXT_CONTRAST}:1, so choose a darker colour"
            )
            problems.append(Problem(sources.value(where), message, format_path(where)))
    return problems


def _logo_problems(document: ComplianceDocument, sources: SourceMap) -> list[Problem]:
    organisation = document.organisation
    logo = organisation.logo
    if logo is None or organisation.name.casefold() in logo.alt.casefold():
        return []
    where = ("organisation", "logo", "alt")
    message = (
        f"the logo's alt text {logo.alt!r} does not name the organisation; a screen reader says it in the "
        f"logo's place, so write its name: `alt: {organisation.name}`"
    )
    return [Problem(sources.value(where), message, format_path(where))]
