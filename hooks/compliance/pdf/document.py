"""The print document: the built site's articles in navigation order, with a cover, as one HTML page.

Links between pages become links inside the document, links to the outside stay as they are, and
asset paths become absolute file URIs into the site, so Chromium can print it from anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from ..render.plan import EXPORT_FILE
from ..urlrule import placeholder_domain
from .paper import decorative_heading_images, drop_repeated_controls, open_answers, print_addresses


class PdfError(Exception):
    """A problem that stops the PDF, said in one line."""


# Theme parts that mean nothing on paper.
DROP = "a.headerlink, .md-content__button, .md-source-file, script"


@dataclass(frozen=True)
class SitePage:
    """A built page: its file, its path below the site root ("" for the home page) and its anchor."""

    file: Path
    path: str

    @property
    def anchor(self) -> str:
        return self.path.strip("/").replace("/", "-") or "home"


def guide_pages(site: Path) -> list[SitePage]:
    """The site's pages in navigation order; a page the navigation omits (a claim's page) follows the
    first page that links to it (the claims index), and any page nothing links to comes last."""
    home = home_page(site)
    others = other_languages(site)  # each other language's site is printed on its own
    pages = {
        _page_path(site, html): html
        for html in sorted(site.rglob("index.html"))
        if not any(html.is_relative_to(other) for other in others)
    }
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
            linked = urlsplit(urljoin(here, str(link["href"])))
            key = _page_key(linked.path)
            if not linked.scheme and key in pages and key not in in_nav and key not in ordered:
                ordered.append(key)
    ordered += [path for path in pages if path not in ordered]
    return [SitePage(pages[path], path) for path in ordered]


def other_languages(site: Path) -> list[Path]:
    """The sites of the other languages a built site declares in its compliance.json (none for one language)."""
    try:
        export = json.loads((site / EXPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # write_pdf says why it cannot read it
    languages = export.get("languages") if isinstance(export, dict) else None
    if not isinstance(languages, list):
        return []
    return [site / str(lang) for lang in languages[1:] if (site / str(lang) / EXPORT_FILE).is_file()]


def home_page(site: Path) -> Path:
    """The built site's home page; PdfError when the site has not been built."""
    home = site / "index.html"
    if not home.is_file():
        raise PdfError(f"{site}: no index.html; build the site first (make site)")
    return home


def print_document(site: Path, built: date, site_url: str | None = None) -> str:
    """The HTML of the whole guide for printing; asset paths are absolute file URIs into `site`.

    A cover (organisation, title, description, the home page's summary with the data's own review
    date, and the print date labelled as the copy's) opens it. Each
    page is printed once; a claim's page whose facts the guide already shows is not printed again,
    and links to it lead to the guide's copy.
    """
    site = site.resolve()
    if site_url and placeholder_domain(site_url):
        site_url = None  # a reserved example address is no address: print no link to it, nor on the cover
    pages = guide_pages(site)
    shell = _soup(pages[0].file)
    title = shell.title.get_text(strip=True) if shell.title else "Guide"
    out = BeautifulSoup("<!doctype html><html><head></head><body></body></html>", "html.parser")
    head, body = _element(out, "head"), _element(out, "body")
    _element(out, "html")["lang"] = str(shell.html.get("lang") or "en") if shell.html else "en"
    head.append(out.new_tag("meta", charset="utf-8"))
    head.append(_text_tag(out, "title", title))
    for sheet in shell.select("link[rel~=stylesheet][href]"):
        head.append(out.new_tag("link", rel="stylesheet", href=(site / urlsplit(str(sheet["href"])).path).as_uri()))
    body["data-md-color-scheme"] = "default"
    article = out.new_tag("article", attrs={"class": "md-content__inner md-typeset compliance-print"})
    body.append(article)
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
        open_answers(source)
        decorative_heading_images(source)
        print_addresses(out, source)
        for more in source.select(".compliance-claim[id] > .compliance-more"):
            link = more.find("a", href=True)
            if link is not None and more.parent is not None and link["href"] == f"#{more.parent['id']}":
                more.decompose()  # "details of this claim" would lead to itself: its page is not printed
        if not page.path:  # the home page's title and summary go on the cover
            article.append(_cover(out, shell, source, built, site_url))
        section = out.new_tag("section", id=page.anchor, attrs={"class": "compliance-print-page"})
        section.extend(list(source.children))
        article.append(section)
    drop_repeated_controls(out, [section for section in article.select("section.compliance-print-page")])
    return str(out)


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
    words = print_words(shell)
    # The print date is labelled as the copy's: beside the statuses it would read as the data's date.
    stamp = f"{words['printed']} {built.isoformat()} ({words['printed_note']})" + (f", {site_url}" if site_url else "")
    cover.append(_text_tag(out, "p", stamp + ".", "compliance-print-built"))
    return cover


# What the PDF prints when a site has not been built with these words (the home page's meta elements).
_PRINT_WORDS = {"reviewed": "", "printed": "Printed", "printed_note": "the date of this copy, not of the data"}


def print_words(home: BeautifulSoup) -> dict[str, str]:
    """The words the home page gives the print (its `compliance-*` meta elements), in the labels' words."""
    words = dict(_PRINT_WORDS)
    for name in words:
        meta = home.find("meta", attrs={"name": f"compliance-{name}"})
        if meta is not None and meta.get("content"):
            words[name] = str(meta["content"])
    return words


def home_words(site: Path) -> dict[str, str]:
    """`print_words` of the built site's home page."""
    return print_words(_soup(site / "index.html"))


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


def published_url(site: Path) -> str | None:
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


def _text_tag(soup: BeautifulSoup, name: str, text: str, css_class: str | None = None) -> Tag:
    tag = soup.new_tag(name, attrs={"class": css_class} if css_class else {})
    tag.string = text
    return tag


def _element(soup: BeautifulSoup, name: str) -> Tag:
    """The first `<name>` element of `soup`, which the document it was parsed from always has."""
    found = soup.find(name)
    if not isinstance(found, Tag):
        raise ValueError(f"no <{name}> element in the print document")
    return found


def _soup(html: Path) -> BeautifulSoup:
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
