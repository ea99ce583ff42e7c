"""Words a reader meets: each link says where it goes, each contact shows its address, nothing is said twice."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from compliance.render.pages import address
from conftest import copy_project, edit_yaml, run_mkdocs

EXAMPLE_DATA = "examples/harborledger/data"


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _words(tag: object) -> str:
    return " ".join(tag.get_text(" ").split())  # type: ignore[attr-defined]


def _read(tag: object) -> str:
    """The text as a reader sees it: a line break is a space, a break opportunity (<wbr>) nothing."""
    for line_break in tag.select("br"):  # type: ignore[attr-defined]
        line_break.replace_with(" ")
    return " ".join(tag.get_text().split())  # type: ignore[attr-defined]


def test_an_address_is_written_out_and_wraps_only_between_its_parts() -> None:
    assert address("mailto:trust@harborledger.example?subject=SOC%202") == "trust@<wbr>harborledger.<wbr>example"
    assert address("https://a.example/b/c") == "https:/<wbr>/<wbr>a.<wbr>example/<wbr>b/<wbr>c"
    assert address("mailto:<x>@example.com") == "&lt;x&gt;@<wbr>example.<wbr>com", "the address is escaped"


def test_contacts_show_each_address_and_the_organisations_contact_first(example_site: Path) -> None:
    contacts = _soup(example_site, "contacts/index.html").select_one("dl.compliance-contacts")
    assert contacts is not None
    pairs = [(dt.get_text().strip(), _read(dt.find_next_sibling("dd"))) for dt in contacts.select("dt")]
    assert pairs == [
        ("Trust team", "trust@harborledger.example"),
        ("Security", "Security team security@harborledger.example"),
        ("Privacy", "Data protection officer privacy@harborledger.example"),
        ("Sales", "Talk to sales https://www.harborledger.example/contact-sales"),
        ("Vulnerability disclosure policy", "https://www.harborledger.example/security/disclosure-policy"),
    ]
    # The address a reader sees is the one the link opens.
    for link in contacts.select("a"):
        assert link["href"].removeprefix("mailto:") == _read(link), link


def test_the_footer_links_the_contacts_page_once_and_no_contact_beside_it(example_site: Path) -> None:
    for page in ("index.html", "faq/index.html", "claims/soc2/index.html"):
        footer = _soup(example_site, page).select_one(".compliance-footer")
        words = [a.get_text() for a in footer.select("a")]
        # The organisation's own contact is on the contacts page, not a "Contact" beside "Contacts".
        assert words.count("Contacts") == 1, (page, words)
        assert "mailto:trust@harborledger.example" not in [a["href"] for a in footer.select("a")], page


def test_every_details_link_of_the_home_page_names_its_claim(example_site: Path, shipped_site: Path) -> None:
    for site in (example_site, shipped_site):
        links = _soup(site, "index.html").select("article .compliance-more a")
        assert links, site
        texts = [link.get_text() for link in links]
        assert len(set(texts)) == len(texts), texts
        for link in links:
            claim = link["href"].rstrip("/").rsplit("/", 1)[-1]
            title = _soup(site, f"claims/{claim}/index.html").select_one("article h1").get_text().rstrip("¶").strip()
            assert link.get_text() == f"Details of {title}"


def test_a_table_captioned_as_its_page_keeps_the_caption_for_screen_readers_only(example_site: Path) -> None:
    for page, title in (("documents/index.html", "Documents"), ("subprocessors/index.html", "Subprocessors")):
        caption = _soup(example_site, page).select_one("article table caption")
        assert caption is not None and caption.get_text() == title
        assert caption["class"] == ["compliance-for-screen-readers"]
    overview = _soup(example_site, "claims/index.html").select_one("article table caption")
    assert "class" not in overview.attrs, "a caption that says more than the page's title stays visible"


def test_the_contents_column_is_hidden_where_it_has_nothing_to_list(example_site: Path) -> None:
    def toc_hidden(page: str) -> bool:
        return _soup(example_site, page).select_one('.md-sidebar[data-md-type="toc"]').has_attr("hidden")

    assert [toc_hidden(p) for p in ("matrix/index.html", "claims/index.html", "documents/index.html")] == [True] * 3
    assert not toc_hidden("index.html") and not toc_hidden("controls/index.html")


def test_a_document_kind_without_a_label_is_shown_as_the_editor_wrote_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    edit_yaml(project / "labels/en.yml", lambda d: d["labels"]["document_kinds"].pop("whitepaper"))
    assert run_mkdocs(project, config="mkdocs.example.yml").returncode == 0
    rows = _soup(project / "example-site", "documents/index.html").select("article table tbody tr")
    kinds = {_words(row.th): _words(row.select_one("td")) for row in rows}
    assert kinds["Encryption whitepaper"] == "whitepaper"
    assert kinds["Business continuity plan"] == "Policy"
