"""One PDF of the whole guide, printed by Chromium from the built site (no MkDocs needed).

The pages' articles are put in navigation order into one print document that uses the site's own
stylesheets (so the PDF and a browser's print agree); links between pages become links inside the
PDF, links to the outside stay as they are, and every page carries the build date.

    PYTHONPATH=hooks python -m compliance.pdf --site site            # writes site/guide.pdf
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markupsafe import escape

from ..environment import chromium_path, source_date_epoch

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
# Theme parts that mean nothing on paper.
DROP = "a.headerlink, .md-content__button, .md-source-file, script"
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


class PdfError(Exception):
    """A problem that stops the PDF, said in one line."""


@dataclass(frozen=True)
class SitePage:
    """A built page: its file, its path below the site root ("" for the home page) and its anchor."""

    file: Path
    path: str

    @property
    def anchor(self) -> str:
        return self.path.strip("/").replace("/", "-") or "home"


def build_date() -> date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today in UTC."""
    epoch = source_date_epoch()
    if not epoch:
        return datetime.now(UTC).date()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        expected = "whole seconds since 1970 (e.g. 1700000000)"
        raise PdfError(f"SOURCE_DATE_EPOCH: expected {expected}, got {epoch[:40]!r}") from None


def guide_pages(site: Path) -> list[SitePage]:
    """The site's pages in navigation order; a page the navigation omits (a claim's page) follows the
    first page that links to it (the claims index), and any page nothing links to comes last."""
    home = site / "index.html"
    if not home.is_file():
        raise PdfError(f"{site}: no index.html; build the site first (make site)")
    pages = {_page_path(site, html): html for html in sorted(site.rglob("index.html"))}
    in_nav = [""]
    for link in _soup(home).select("nav.md-nav--primary a.md-nav__link[href]"):
        href = str(link["href"])
        target = _page_key(urljoin("/", href))
        if "#" not in href and target in pages and target not in in_nav:
            in_nav.append(target)
    ordered: list[str] = []
    for path in in_nav:
        ordered.append(path)
        here = "/" + path
        for link in _soup(pages[path]).select("article a[href]"):
            target = urlsplit(urljoin(here, str(link["href"])))
            key = _page_key(target.path)
            if not target.scheme and key in pages and key not in in_nav and key not in ordered:
                ordered.append(key)
    ordered += [path for path in pages if path not in ordered]
    return [SitePage(pages[path], path) for path in ordered]


def print_document(site: Path, built: date, site_url: str | None = None) -> str:
    """The HTML of the whole guide for printing; asset paths are absolute file URIs into `site`.

    A cover (organisation, title, description, the home page's summary, build date) opens it. Each
    page is printed once; a claim's page whose facts the guide already shows is not printed again,
    and links to it lead to the guide's copy.
    """
    site = site.resolve()
    pages = guide_pages(site)
    shell = _soup(pages[0].file)
    title = shell.title.get_text(strip=True) if shell.title else "Guide"
    out = BeautifulSoup("<!doctype html><html><head></head><body></body></html>", "html.parser")
    out.html["lang"] = shell.html.get("lang", "en") if shell.html else "en"
    out.head.append(out.new_tag("meta", charset="utf-8"))
    out.head.append(_text_tag(out, "title", title))
    for sheet in shell.select("link[rel~=stylesheet][href]"):
        out.head.append(out.new_tag("link", rel="stylesheet", href=(site / urlsplit(str(sheet["href"])).path).as_uri()))
    out.body["data-md-color-scheme"] = "default"
    article = out.new_tag("article", attrs={"class": "md-content__inner md-typeset compliance-print"})
    out.body.append(article)
    anchors: dict[str, str] = {}
    printed: list[tuple[SitePage, Tag]] = []
    claims_shown: dict[str, str] = {}  # a claim block's id -> the page anchor it was printed on
    for page in pages:
        source = _soup(page.file).select_one("article.md-content__inner")
        if source is None:
            continue
        blocks = [str(block["id"]) for block in source.select(".compliance-claim[id]")]
        if blocks and all(block in claims_shown for block in blocks) and page.path:
            anchors[page.path] = f"{claims_shown[blocks[0]]}--{blocks[0]}"
            continue
        anchors[page.path] = page.anchor
        claims_shown.update({block: page.anchor for block in blocks if block not in claims_shown})
        printed.append((page, source))
    for page, source in printed:
        for unwanted in source.select(DROP):
            unwanted.decompose()
        _relink(source, page, anchors, site, site_url)
        for more in source.select(".compliance-claim[id] > .compliance-more"):
            link = more.find("a", href=True)
            if link is not None and link["href"] == f"#{more.parent['id']}":
                more.decompose()  # "details of this claim" would lead to itself: its page is not printed
        if not page.path:  # the home page's title and summary go on the cover
            article.append(_cover(out, shell, source, built, site_url))
        section = out.new_tag("section", id=page.anchor, attrs={"class": "compliance-print-page"})
        section.extend(list(source.children))
        article.append(section)
    return str(out)


def write_pdf(site: Path, output: Path, chromium: str = CHROMIUM, site_url: str | None = None) -> int:
    """Print the guide to `output` with headless Chromium; return the number of pages printed."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise PdfError("the playwright package is missing: pip install -r requirements.txt") from error
    if not Path(chromium).exists():
        raise PdfError(f"Chromium not found at {chromium}: apt-get install chromium (or set CHROMIUM)")
    built, side = build_date(), PAGE_MARGIN_MM
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
                    footer_template=_footer(title, built),
                    outline=True,
                    tagged=True,
                )
                browser.close()
        except PlaywrightError as error:
            raise PdfError(f"Chromium could not print the guide: {error.message.splitlines()[0]}") from error
    return html.count('class="compliance-print-page"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compliance.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--output", type=Path, help=f"the PDF to write (default: SITE/{PDF_NAME})")
    parser.add_argument("--site-url", help="where the site is published; default: its canonical links")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the Chromium to print with (default: {CHROMIUM})")
    args = parser.parse_args(argv)
    output = args.output or args.site / PDF_NAME
    try:
        site_url = args.site_url or _published_url(args.site)
        count = write_pdf(args.site, output, args.chromium, site_url)
    except PdfError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {output}: {count} pages of the site, {output.stat().st_size // 1024} KiB")
    return 0


def _cover(out: BeautifulSoup, shell: BeautifulSoup, home: Tag, built: date, site_url: str | None) -> Tag:
    """The first sheet: who publishes the guide, the home page's title, the description, the home
    page's summary and the build date. The title and summary move here from the home page."""
    cover = out.new_tag("section", id="cover", attrs={"class": "compliance-print-cover"})
    organisation = shell.select_one(".compliance-footer__org")
    if organisation is not None:
        cover.append(_text_tag(out, "p", organisation.get_text(" ", strip=True), "compliance-print-organisation"))
    heading = home.select_one("h1")
    if heading is not None:
        cover.append(heading.extract())
    description = shell.find("meta", attrs={"name": "description"})
    if description is not None and description.get("content"):
        cover.append(_text_tag(out, "p", str(description["content"]), "compliance-print-description"))
    summary = home.select_one(".compliance-summary")
    if summary is not None:
        cover.append(summary.extract())
    stamp = f"Built {built.isoformat()}" + (f" from {site_url}" if site_url else "") + "."
    cover.append(_text_tag(out, "p", stamp, "compliance-print-built"))
    return cover


def _relink(article: Tag, page: SitePage, anchors: dict[str, str], site: Path, site_url: str | None) -> None:
    """Make ids unique across pages, point page links inside the PDF and images at their files."""
    for element in article.select("[id]"):
        element["id"] = f"{page.anchor}--{element['id']}"
    here = "/" + page.path
    for image in article.select("img[src]"):
        if not urlsplit(str(image["src"])).scheme:
            image["src"] = (site / urljoin(here, str(image["src"])).lstrip("/")).as_uri()
    for link in article.select("a[href]"):
        href = str(link["href"])
        if urlsplit(href).scheme:
            continue
        target = urlsplit(urljoin(here, href))
        key = _page_key(target.path)
        if key in anchors:
            link["href"] = f"#{anchors[key]}--{target.fragment}" if target.fragment else f"#{anchors[key]}"
        elif site_url:
            link["href"] = urljoin(site_url, target.path.lstrip("/"))
        else:
            # A site file (compliance.json, say) has no address of its own without site_url: name it instead.
            name, text = target.path.lstrip("/"), link.get_text()
            link.replace_with(text if name in text else f"{text} ({name})")


def _published_url(site: Path) -> str | None:
    home = site / "index.html"
    canonical = _soup(home).find("link", rel="canonical") if home.is_file() else None
    return str(canonical["href"]) if canonical else None


def _page_path(site: Path, html: Path) -> str:
    folder = html.parent.relative_to(site).as_posix()
    return "" if folder == "." else folder + "/"


def _page_key(path: str) -> str:
    """'/claims/hipaa/index.html', '/claims/hipaa/' and '/claims/hipaa' all name the page 'claims/hipaa/'."""
    path = path.lstrip("/").removesuffix("index.html")
    return path if not path or path.endswith("/") else path + "/"


def _footer(title: str, built: date) -> str:
    style = "font-size:8px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#555"
    return (
        f'<div style="{style}"><span>{escape(title)} · built {built.isoformat()}</span>'
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )


def _text_tag(soup: BeautifulSoup, name: str, text: str, css_class: str | None = None) -> Tag:
    tag = soup.new_tag(name, attrs={"class": css_class} if css_class else {})
    tag.string = text
    return tag


def _soup(html: Path) -> BeautifulSoup:
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
