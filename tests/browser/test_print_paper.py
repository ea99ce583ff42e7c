"""The example's PDF read as a reviewer reads it: every answer, each address once and broken only where
an address reads well broken, no repeated controls, no placeholder address, sheets that are not
mostly empty, and an outline of the headings' words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from compliance.pdf import guide as pdf

from .test_print import make_pdf, squash


@pytest.fixture(scope="module")
def example_pdf(browser, example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    """The example as shipped (its site_url a reserved .example address), printed once."""
    output = tmp_path_factory.mktemp("example-pdf") / "guide.pdf"
    result = make_pdf(example_site, output)
    assert result.returncode == 0, result.stderr
    return PdfReader(output)


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_every_faq_answer_is_printed(example_pdf: PdfReader, example_site: Path) -> None:
    soup = BeautifulSoup((example_site / "faq/index.html").read_text(encoding="utf-8"), "html.parser")
    questions = soup.select("article details")
    assert len(questions) >= 4
    text = squash(_text(example_pdf))
    for question in questions:
        summary = question.find("summary")
        assert summary is not None and squash(summary.get_text(" ")) in text
        answer = question.find("p")
        assert answer is not None
        words = re.sub(r"\s*\(?<[^>]*>\)?", "", answer.get_text(" "))  # the printed part without addresses
        assert " ".join(squash(words).split(" ")[:6]) in text, f"answer not printed: {words!r}"


def test_each_address_is_printed_once_per_link_and_broken_only_at_sensible_points(
    example_pdf: PdfReader, example_site: Path
) -> None:
    text = _text(example_pdf)
    document = BeautifulSoup(pdf.print_document(example_site, date(2026, 1, 2)), "html.parser")
    links = [str(a["href"]).removeprefix("mailto:") for a in document.select("article a[href]")]
    flat = re.sub(r"\s+", "", text)
    for address in {link for link in links if re.match(r"^(https?|ftp)://|^[^/:]+@", link)}:
        printed = flat.count(address)
        assert 1 <= printed <= links.count(address), f"{address} printed {printed} times for {links.count(address)}"
    # A line break inside a printed <address> comes after / . - _ ~ @ : or before ? & = #.
    broken = []
    for match in re.finditer(r"<((?:https?|ftp)://[^>]*)>", text):
        for inner in re.finditer(r"\n", match[1]):
            before, after = match[1][inner.start() - 1], match[1][inner.end() : inner.end() + 1]
            if before not in "/.-_~@:," and after not in "?&=#":
                broken.append(match[1])
    assert not broken, f"addresses broken mid-word: {broken}"
    assert "disclosure-policy <https://www.harborledger.example/security/disclosure-policy>" not in squash(text)


def test_the_guides_controls_are_printed_once_with_a_link_to_them(example_pdf: PdfReader) -> None:
    text = squash(_text(example_pdf))
    for control in ("data encrypted at rest with aes-256", "single sign-on with hardware security keys"):
        assert text.count(control) == 1, control
    assert "→ security controls" in text


def test_the_cover_prints_no_placeholder_address_and_the_outline_no_alt_text(example_pdf: PdfReader) -> None:
    cover = example_pdf.pages[0].extract_text()
    assert "Printed" in cover and "harborledger.example" not in cover
    first = example_pdf.outline[0]
    assert not isinstance(first, list) and first.title.strip() == "Harbor Ledger Trust Center"


def test_no_sheet_but_the_cover_and_the_last_is_mostly_empty(example_pdf: PdfReader) -> None:
    """The lowest line of text on each sheet (its footer left out) reaches the sheet's lower half."""
    height = float(example_pdf.pages[0].mediabox.height)
    footer = 18 / 25.4 * 72
    empty = []
    for number, sheet in enumerate(example_pdf.pages[1:-1], 2):
        lowest = [height]

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, lowest: list[float] = lowest
        ) -> None:
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if text.strip() and y > footer:
                lowest[0] = min(lowest[0], y)

        sheet.extract_text(visitor_text=visit)
        if lowest[0] > height / 2:
            empty.append(f"sheet {number}: text ends {height - lowest[0]:.0f}pt from the top of {height:.0f}pt")
    assert not empty, empty
