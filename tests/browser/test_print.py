"""The guide on paper: `make pdf`'s PDF, and a browser's own print of each page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup
from pypdf import PdfReader

from compliance.pdf import guide as pdf
from conftest import REPO

from .conftest import CHROMIUM, open_context
from .pages import discover_pages
from .siteserver import SiteServer

BUILT = "2026-01-02"  # SOURCE_DATE_EPOCH 1767312000
EXTERNAL = re.compile(r"^(https?|ftp|mailto):")


def make_pdf(site: Path, output: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks"), "SOURCE_DATE_EPOCH": "1767312000"}
    command = [sys.executable, "-m", "compliance.pdf", "--site", str(site), "--output", str(output)]
    return subprocess.run(
        [*command, "--chromium", str(CHROMIUM)], capture_output=True, text=True, env=environment, timeout=120
    )


def test_pdf_holds_every_claim_title_the_build_date_and_working_links(browser, site: Path, tmp_path: Path) -> None:
    """Titles are read from the built pages: the h1 of each claim page and the guide's h2s."""
    result = make_pdf(site, tmp_path / "guide.pdf")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "guide.pdf")
    text = squash(" ".join(page.extract_text() for page in reader.pages))

    titles = [heading_text(html, "h1") for html in sorted((site / "claims").rglob("index.html"))]
    titles += heading_texts(site / "index.html", "h2")
    assert titles, "the built site has no claim pages or sections to look for"
    missing = [title for title in titles if squash(title) not in text]
    assert not missing, f"titles missing from the PDF: {missing}"
    assert BUILT in text

    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    uris = {str(a["/A"]["/URI"]) for a in annotations if "/A" in a and "/URI" in a["/A"]}
    outside = {href for html in site.rglob("index.html") for href in articles_links(html) if EXTERNAL.match(href)}
    assert outside <= uris, f"external links lost in the PDF: {sorted(outside - uris)}"
    assert not [uri for uri in uris if uri.startswith("file:")], "links into the printing machine's disk"
    destinations = {str(a["/Dest"]) for a in annotations if "/Dest" in a}
    assert destinations, "no link between the guide's pages survived"
    assert destinations <= set(reader.named_destinations), "internal links to places the PDF does not have"


def test_pdf_is_the_guide_once_in_navigation_order_within_the_printable_width(
    browser, site: Path, tmp_path: Path
) -> None:
    """The PDF's outline (one top-level entry per printed page) against the print document's pages,
    which follow the navigation; no text outside the printable area and every table cell printed."""
    result = make_pdf(site, tmp_path / "guide.pdf")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / "guide.pdf")
    document = BeautifulSoup(pdf.print_document(site, date(2026, 1, 2)), "html.parser")
    for image in document.select("article h1 img[alt]"):
        image.replace_with(image["alt"])  # a heading's outline entry names its images by their alt text
    expected = [squash(h1.get_text(" ")) for h1 in document.select("article h1")]
    outline = [squash(entry.title) for entry in reader.outline if not isinstance(entry, list)]
    assert outline == expected and len(set(outline)) == len(outline)
    printed = document.select("section.compliance-print-page")
    assert f"{len(printed)} pages of the site" in result.stdout

    width = float(reader.pages[0].mediabox.width)
    margin = pdf.PAGE_MARGIN_MM / 25.4 * 72
    outside: list[str] = []
    for number, sheet in enumerate(reader.pages, 1):

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, sheet: int = number) -> None:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            if text.strip() and not margin - 1 <= x <= width - margin:
                outside.append(f"sheet {sheet}: {text.strip()[:40]!r} at x={x:.0f}")

        sheet.extract_text(visitor_text=visit)
    assert not outside, f"text outside the printable area ({margin:.0f}..{width - margin:.0f}pt): {outside}"
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    cells = [cell_pieces(cell) for cell in document.select("table tbody :is(th, td)")]
    assert [pieces for pieces in cells if pieces], "the guide has no table to check"
    assert not [" ".join(pieces) for pieces in cells if not printed_in_order(pieces, text)], "table cells cut off"


def test_pdf_refuses_an_element_wider_than_the_printable_area(browser, site: Path, tmp_path: Path) -> None:
    wide = shutil.copytree(site, tmp_path / "site")
    matrix = wide / "matrix" / "index.html"
    html = matrix.read_text(encoding="utf-8")
    matrix.write_text(html.replace("<table ", '<table style="display: table; width: 2000px" ', 1), encoding="utf-8")
    result = make_pdf(wide, tmp_path / "guide.pdf")
    assert result.returncode == 1
    assert result.stderr.startswith("error: wider than the printable area: table.compliance-matrix (")
    assert not (tmp_path / "guide.pdf").exists()


def test_pdf_refuses_a_guide_whose_image_does_not_load(browser, site: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(site, tmp_path / "site")
    # The guide's first page gets an image that is not there: whatever images data/ uses, or none.
    first = broken / "index.html"
    html = first.read_text(encoding="utf-8")
    missing = '<img src="images/not-published.svg" alt="missing image">'
    assert "<article" in html
    first.write_text(re.sub(r"(<article[^>]*>)", r"\1" + missing, html, count=1), encoding="utf-8")
    result = make_pdf(broken, tmp_path / "guide.pdf")
    assert result.returncode == 1
    assert result.stderr.startswith("error: images that do not load: ") and "not-published.svg" in result.stderr
    assert not (tmp_path / "guide.pdf").exists()


def test_browser_print_is_black_on_white_with_link_addresses_even_from_dark_mode(
    browser, site_server: SiteServer, site: Path
) -> None:
    context = open_context(browser, "dark", site_server, third_party=[])
    page = context.new_page()
    page.emulate_media(media="print")
    problems = []
    for site_page in discover_pages(site):
        page.goto(site_server.url + site_page.path)
        looks = page.evaluate(PRINT_LOOK_JS)
        if looks["background"] != "rgb(255, 255, 255)" or looks["textLuminance"] > 0.1:
            problems.append(f"{site_page.path}: {looks}")
        if looks["screenOnly"]:
            problems.append(f"{site_page.path}: printed: {looks['screenOnly']}")
        if looks["silentLinks"]:
            problems.append(f"{site_page.path}: links without their address: {looks['silentLinks']}")
        if looks["strayAddresses"]:
            problems.append(f"{site_page.path}: a linked image prints its address: {looks['strayAddresses']}")
    context.close()
    assert not problems, "\n".join(problems)


PRINT_LOOK_JS = """() => {
  const rgb = (color) => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lin = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const [r, g, b] = rgb(getComputedStyle(document.querySelector("article p, article li, article h1")).color);
  const visible = (selector) => Array.from(document.querySelectorAll(selector))
    .filter((element) => element.getClientRects().length > 0).map(() => selector);
  return {
    background: getComputedStyle(document.body).backgroundColor,
    textLuminance: 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b),
    screenOnly: [".md-header", ".md-sidebar", ".md-footer", ".md-search"].flatMap(visible),
    silentLinks: Array.from(document.querySelectorAll("article a[href]"))
      .filter((a) => /^(https?|ftp|mailto):/.test(a.getAttribute("href")))
      .filter((a) => a.textContent.trim() !== "")  // a linked badge: its address would be stray text
      .filter((a) => !getComputedStyle(a, "::after").content.includes(a.getAttribute("href")))
      .map((a) => a.getAttribute("href")),
    strayAddresses: Array.from(document.querySelectorAll("article a[href]"))
      .filter((a) => a.textContent.trim() === "" && a.querySelector("img"))
      .filter((a) => getComputedStyle(a, "::after").content.includes(a.getAttribute("href")))
      .map((a) => a.getAttribute("href")),
  };
}"""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


# Text of other cells of a row that a PDF's text may hold between two lines of one cell.
ROW_TEXT = 400


def cell_pieces(cell: object) -> list[str]:
    """A table cell's words, split where a line of print may end: at white space and at each <wbr>."""
    strings = cell.find_all(string=True) if hasattr(cell, "find_all") else []
    return [word for string in strings for word in str(string).lower().split()]


def printed_in_order(pieces: list[str], text: str) -> bool:
    """Whether `pieces` stand in `text` in their order, each within a row's text of the one before.

    A PDF's text runs line by line across a table row, so a cell whose words wrap (a printed address
    breaking at its <wbr>, two links in one cell) is interleaved with its neighbours' lines; a word
    cut off the page is missing altogether.
    """
    if not pieces:
        return True
    start = text.find(pieces[0])
    while start != -1:
        end = start + len(pieces[0])
        for piece in pieces[1:]:
            found = text.find(piece, end, end + ROW_TEXT + len(piece))
            if found == -1:
                break
            end = found + len(piece)
        else:
            return True
        start = text.find(pieces[0], start + 1)
    return False


def test_a_cell_counts_as_printed_when_its_lines_are_interleaved_with_its_row() -> None:
    cell = BeautifulSoup(
        '<td><a href="https://a.example/x">SOC 2 <span>&lt;https://a.example/<wbr>x&gt;</span></a>, '
        '<a href="https://b.example/">ISO 27001 <span>&lt;https://b.example/&gt;</span></a></td>',
        "html.parser",
    ).td
    pieces = cell_pieces(cell)
    assert pieces == ["soc", "2", "<https://a.example/", "x>", ",", "iso", "27001", "<https://b.example/>"]
    interleaved = "soc 2 <https://a.example/ current x>, iso 27001 aligned <https://b.example/>"
    assert printed_in_order(pieces, interleaved)
    assert not printed_in_order(pieces, "soc 2 <https://a.example/ current x>, iso 27001")  # the last line cut off
    assert not printed_in_order(pieces, "iso 27001 <https://b.example/> soc 2 <https://a.example/ x>,")


def heading_text(html: Path, tag: str) -> str:
    return heading_texts(html, tag)[0]


def heading_texts(html: Path, tag: str) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    return [heading.get_text(" ", strip=True) for heading in soup.select(f"article {tag}")]


def articles_links(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [str(a["href"]) for a in soup.select("article a[href]")]
