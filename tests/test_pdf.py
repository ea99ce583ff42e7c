"""The PDF's print document, built from a real site without a browser (the PDF itself: tests/browser)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from compliance.pdf import guide as pdf

BUILT = date(2026, 1, 2)


def print_soup(site: Path, site_url: str | None = None) -> BeautifulSoup:
    return BeautifulSoup(pdf.print_document(site, BUILT, site_url), "html.parser")


def test_every_page_is_printed_once_home_first_in_navigation_order(built_site: Path) -> None:
    soup = print_soup(built_site)
    sections = [section["id"] for section in soup.select("section.compliance-print-page")]
    assert len(sections) == len(set(sections)) and sections[0] == "home"
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [a["href"].strip("/").replace("/", "-") for a in home.select("nav.md-nav--primary a.md-nav__link[href]")]
    in_nav = [anchor for anchor in nav if anchor in sections]
    assert [s for s in sections if s in in_nav] == list(dict.fromkeys(in_nav))
    # A page left out is a claim's page whose facts are printed already, and links to it lead there.
    blocks = [block["id"] for block in soup.select(".compliance-claim[id]")]
    assert len(blocks) == len(set(blocks)), "a claim's facts are printed twice"
    for block in soup.select(".compliance-claim[id]"):
        assert f"#{block['id']}" not in [a["href"] for a in block.select("a[href]")], "a link to where it stands"
    for html in sorted(built_site.rglob("index.html")):
        anchor = html.parent.relative_to(built_site).as_posix().replace("/", "-")
        if anchor == ".":
            continue
        if anchor not in sections:
            claim = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one(".compliance-claim")
            assert claim is not None, f"{anchor} is not printed"
            assert any(block.endswith("--" + claim["id"]) for block in blocks), f"{anchor}'s claim is not printed"


def test_the_cover_names_the_organisation_the_title_the_summary_and_the_build_date(built_site: Path) -> None:
    soup = print_soup(built_site)
    cover = soup.select_one("section#cover")
    assert cover is not None and cover.find_next_sibling("section")["id"] == "home"
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    organisation = home.select_one(".compliance-footer__org").get_text(strip=True)
    assert cover.select_one(".compliance-print-organisation").get_text() == organisation
    assert cover.h1.get_text(strip=True) == home.select_one("article h1").get_text(strip=True).rstrip("¶")
    summary = home.select_one("article .compliance-summary")
    if summary is not None:
        assert cover.select_one(".compliance-summary").get_text() == summary.get_text()
        assert len(soup.select(".compliance-summary")) == 1
    assert len(soup.select("h1")) == len(soup.select("section.compliance-print-page")), "one title per page"


def test_links_stay_inside_the_pdf_or_leave_it_by_absolute_address(built_site: Path) -> None:
    soup = print_soup(built_site)
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids)), "ids from different pages collide"
    for link in soup.select("a[href]"):
        href = str(link["href"])
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points nowhere"
        else:
            assert urlsplit(href).scheme in {"http", "https", "ftp", "mailto"}, href


def test_site_files_link_to_the_published_site_or_are_named_without_its_address(
    built_site: Path, tmp_path: Path
) -> None:
    files = site_files_linked_from_pages(built_site)
    if not files:  # the export is linked from the footer only: a page's own link to it, as an editor may write
        built_site = shutil.copytree(built_site, tmp_path / "site")
        matrix = built_site / "matrix" / "index.html"
        html = matrix.read_text(encoding="utf-8")
        matrix.write_text(html.replace("</article>", '<p><a href="../compliance.json">data</a></p></article>', 1))
        files = site_files_linked_from_pages(built_site)
    assert files, "no page links to a file of the site"
    published = print_soup(built_site, "https://trust.acme.org/security/")
    targets = {str(a["href"]) for a in published.select("a[href]")}
    assert {f"https://trust.acme.org/security/{name}" for name in files} <= targets
    # A reserved example address (the shipped mkdocs.yml's) is no address: as if there were none.
    for unpublished in (print_soup(built_site), print_soup(built_site, "https://trust.example.com/security/")):
        assert not [a for a in unpublished.select("a[href]") if urlsplit(str(a["href"])).path.endswith(tuple(files))]
        assert all(name in unpublished.get_text() for name in files)
        assert "trust.example.com" not in unpublished.select_one(".compliance-print-built").get_text()


def test_images_and_stylesheets_are_files_of_the_site_and_the_date_is_printed(built_site: Path) -> None:
    soup = print_soup(built_site)
    files = [str(img["src"]) for img in soup.select("img[src]")]
    files += [str(link["href"]) for link in soup.select("link[rel~=stylesheet]")]
    assert files
    for uri in files:
        assert uri.startswith("file://") and Path(urlsplit(uri).path).is_file(), uri
    # The print date is labelled as the copy's, in the labels' words, so that beside the statuses it
    # never reads as the date of the data; the data's own review date (or that none is stated) is above.
    stamp = soup.select_one(".compliance-print-built").get_text()
    assert stamp == "Printed 2026-01-02 (the date of this copy, not of the data)."
    summary = " ".join(soup.select_one("#cover .compliance-summary").get_text(" ").split())
    assert summary.endswith("Last reviewed Not stated")


def test_every_sheet_footer_names_the_datas_review_date_and_labels_the_print_date(built_site: Path) -> None:
    from compliance.pdf.document import home_words
    from compliance.pdf.guide import _footer

    footer = _footer("Guide", date(2026, 1, 2), home_words(built_site))
    assert "Guide · Last reviewed: Not stated · Printed 2026-01-02 (the date of this copy, not of the data)" in footer
    dated = _footer("Guide", date(2026, 1, 2), {**home_words(built_site), "reviewed": "Last reviewed 1 October 2026"})
    assert "Guide · Last reviewed 1 October 2026 · Printed 2026-01-02" in dated


def test_a_missing_site_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    assert pdf.main(["--site", str(tmp_path / "nowhere")]) == 1
    assert (
        capsys.readouterr().err == f"error: {tmp_path / 'nowhere'}: no index.html; build the site first (make site)\n"
    )


def site_files_linked_from_pages(site: Path) -> set[str]:
    """Site-relative names of the non-page files (JSON, PDF, ...) that articles link to."""
    files = set()
    for html in site.rglob("index.html"):
        folder = html.parent.relative_to(site).as_posix()
        base = "/" if folder == "." else f"/{folder}/"
        for link in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("article a[href]"):
            target = urlsplit(urljoin(base, str(link["href"])))
            path = target.path.lstrip("/")
            if not target.scheme and path and not path.endswith(".html") and (site / path).is_file():
                files.add(path)
    return files


@pytest.mark.parametrize(
    "value", ["abc", "1e9", "99999999999999999999", "", " 1700000000", "\u0661\u0667" + "\u0660" * 8]
)
def test_an_unreadable_source_date_epoch_is_one_line(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(pdf.PdfError) as caught:
        pdf.build_date()
    assert str(caught.value) == (
        f"SOURCE_DATE_EPOCH: expected whole seconds since 1970 (e.g. 1700000000), got {value!r}"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf.build_date() == date(2023, 11, 14)
