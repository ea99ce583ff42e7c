"""One PDF of the whole guide, printed by Chromium from the built site (no MkDocs needed).

The pages' articles are put in navigation order into one print document that uses the site's own
stylesheets (so the PDF and a browser's print agree); links between pages become links inside the
PDF, links to the outside stay as they are, and every page carries the build date.

    PYTHONPATH=hooks python -m compliance.pdf --site site            # writes site/guide.pdf
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from markupsafe import escape

from ..configfile import CONFIG_HELP, given_or_default, site_folder
from ..environment import chromium_path, source_date
from ..errors import ComplianceError
from ..limits import DEFAULT_PDF_ENTRIES, pdf_too_long
from ..options import load_options, read_options
from ..render.plan import EXPORT_FILE, printed_entries
from ..urlrule import site_url_problem
from .document import PdfError, home_page, home_words, other_languages, print_document, published_url

PDF_NAME = "guide.pdf"
CHROMIUM = chromium_path()
# For a sandbox-less container without GPU, with no calls home (the browser tests launch it the same way).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROKEN_IMAGES_JS = """async () => {
  await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => null)));
  return Array.from(document.images).filter((image) => !image.naturalWidth).map((image) => image.src);
}"""


# A4 less the side margins, in CSS pixels (96 per inch): what the page lays out in before it is printed.
PAGE_MARGIN_MM = 16
PRINTABLE_WIDTH = int((210 - 2 * PAGE_MARGIN_MM) / 25.4 * 96)
TOO_WIDE_JS = """() => Array.from(document.querySelectorAll("article *"))
  .filter((element) => element.getClientRects().length)
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
  .map((element) => element.tagName.toLowerCase()
    + (element.className ? "." + String(element.className).trim().split(/\\s+/).join(".") : "")
    + ` (${Math.round(element.getBoundingClientRect().right)}px of ${window.innerWidth}px)`)"""


def build_date() -> date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today in UTC."""
    try:
        return source_date() or datetime.now(UTC).date()
    except ValueError as exc:
        raise PdfError(str(exc)) from None


def check_length(site: Path, limit: int) -> None:
    """Refuse a guide that holds more than `limit` entries (counted in the site's compliance.json):
    Chromium lays out the whole guide at once, in time and memory that grow with it."""
    export = site / EXPORT_FILE
    try:
        entries = printed_entries(json.loads(export.read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not the JSON the build writes"
        raise PdfError(f"{export}: cannot read it ({why}); build the site first (make site)") from None
    too_long = pdf_too_long(entries, limit)
    if too_long:
        raise PdfError(f"{export}: {too_long}")


def write_pdf(
    site: Path,
    output: Path,
    chromium: str = CHROMIUM,
    site_url: str | None = None,
    max_entries: int = DEFAULT_PDF_ENTRIES,
) -> int:
    """Print the guide to `output` with headless Chromium; return the number of pages printed."""
    built, side = build_date(), PAGE_MARGIN_MM  # a bad SOURCE_DATE_EPOCH is said before Chromium starts
    home_page(site)
    check_length(site, max_entries)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise PdfError("the playwright package is missing: pip install -r requirements.txt") from error
    if not Path(chromium).exists():
        raise PdfError(f"Chromium not found at {chromium}: apt-get install chromium (or set CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="guide-print-") as folder:
        document = Path(folder) / "guide.html"
        html = print_document(site, built, site_url)
        document.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": PRINTABLE_WIDTH, "height": 1000})
                page.emulate_media(media="print")
                page.goto(document.as_uri(), wait_until="load")
                broken = page.evaluate(BROKEN_IMAGES_JS)
                if broken:
                    raise PdfError("images that do not load: " + ", ".join(broken))
                too_wide = page.evaluate(TOO_WIDE_JS)
                if too_wide:
                    raise PdfError("wider than the printable area: " + ", ".join(dict.fromkeys(too_wide)))
                title = page.title()
                output.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(
                    path=str(output),
                    format="A4",
                    print_background=True,
                    margin={"top": "18mm", "bottom": "18mm", "left": f"{side}mm", "right": f"{side}mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=_footer(title, built, home_words(site)),
                    outline=True,
                    tagged=True,
                )
                browser.close()
        except PlaywrightError as error:
            raise PdfError(f"Chromium could not print the guide: {error.message.splitlines()[0]}") from error
    return html.count('class="compliance-print-page"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compliance.pdf", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="the built site (default: the configuration's site_dir)")
    parser.add_argument("--output", type=Path, help=f"the PDF to write (default: SITE/{PDF_NAME})")
    parser.add_argument("--site-url", help="where the site is published; default: its canonical links")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the Chromium to print with (default: {CHROMIUM})")
    parser.add_argument("-f", "--config-file", type=Path, help=CONFIG_HELP + "; its site_dir and max_pdf_entries")
    args = parser.parse_args(argv)
    # The cover prints it and every link to the site is made from it: the rule of every site address.
    refused = site_url_problem(args.site_url) if args.site_url else None
    if refused:
        print(f"error: --site-url: {refused}", file=sys.stderr)
        return 1
    config = given_or_default(args.config_file)
    try:
        options = load_options(config.parent, config_file=config) if config else read_options(None)
        site: Path = args.site or site_folder(config)
    except ComplianceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    output = args.output or site / PDF_NAME
    # A site in several languages holds each other language's site in a folder of its own (`sv/`):
    # each is printed too, into its own folder, in its own words.
    others = [(other, other / PDF_NAME, None) for other in other_languages(site)]
    for printed, pdf, given_url in [(site, output, args.site_url), *others]:
        try:
            site_url = given_url or published_url(printed)
            count = write_pdf(printed, pdf, args.chromium, site_url, options.max_pdf_entries)
        except PdfError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"wrote {pdf}: {count} pages of the site, {pdf.stat().st_size // 1024} KiB")
    return 0


def _footer(title: str, built: date, words: dict[str, str]) -> str:
    """Every sheet's footer: the data's own review date (or that none is stated) and the print date,
    labelled as the copy's so that it never reads as the date of the data."""
    style = "font-size:8px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#555"
    printed = f"{words['printed']} {built.isoformat()} ({words['printed_note']})"
    parts = [title, *([words["reviewed"]] if words["reviewed"] else []), printed]
    return (
        f'<div style="{style}"><span>{" · ".join(escape(part) for part in parts)}</span>'
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )
