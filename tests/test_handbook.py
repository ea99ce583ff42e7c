"""The README and the handbook it points to: every relative link leads to a file and heading that exist."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "handbook").glob("*.md"))]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in {("a", "href"), ("img", "src")} and value is not None:
                self.targets.append(value)


def _render(path: Path) -> tuple[list[str], set[str]]:
    """The page's link targets and its headings' anchors (GitHub's slugs, which toc's match for ours)."""
    md = markdown.Markdown(extensions=["tables", "fenced_code", "toc"])
    parser = _Links()
    parser.feed(md.convert(path.read_text(encoding="utf-8")))
    anchors: set[str] = set()
    pending = list(getattr(md, "toc_tokens", []))
    while pending:
        token = pending.pop()
        anchors.add(token["id"])
        pending.extend(token["children"])
    return parser.targets, anchors


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    targets, _ = _render(page)
    broken = []
    for target in targets:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue
        file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif parts.fragment and file.suffix == ".md" and parts.fragment not in _render(file)[1]:
            broken.append(f"{target}: no such heading in {file.relative_to(ROOT)}")
    assert broken == []


def test_the_readme_fits_in_a_few_screens_and_points_at_every_handbook_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 250
    linked = {Path(urlsplit(t).path).name for t in _render(ROOT / "README.md")[0] if t.startswith("handbook/")}
    assert linked == {p.name for p in PAGES[1:]}
