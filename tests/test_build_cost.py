"""The shortcuts that keep large builds fast give the same results as the long way round.

Each shortcut (skipping pages that cannot add a URL to the link map, ...) is checked against the
plain computation on generated input, so a shortcut that loses a result fails here.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from compliance.links.linkmap import LinkMapBuilder, LinkSource, html_links

KNOWN = ("https://a.example/x", "mailto:t@example.com", "ftp://f.example/r.pdf", "https://a.example/x?b=1&c=2")
# Pieces that stress where a value starts and ends: quotes, references, schemes, srcset and CSS.
PIECES = st.sampled_from(
    [
        '<a href="',
        "<a href='",
        '<img srcset="',
        '<div style="background:url(',
        '<meta http-equiv="refresh" content="0; url=',
        '"',
        "'",
        ">",
        "</a>",
        " ",
        ", ",
        " 2x",
        ")",
        "&quot;",
        "&#39;",
        "&amp;",
        "&#104;",
        "ttps://a.example/x",
        "https://a.example/x",
        "https://a.example/x?b=1&amp;c=2",
        "HTTPS://A.example/x",
        "https://a.example/xy",
        "https://b.example/",
        "mailto:t@example.com",
        "mailto:u@example.com",
        "ftp://f.example/r.pdf",
        "<!-- ",
        " -->",
        "text",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=14))
@example(['<a href="', "https://a.example/x", "&quot;", "text", '"', ">"])  # a quote hidden in a reference
@example(['<a href="', "https://a.example/x", "'", "text", '"', ">"])  # the other quote inside the value
@example(['<img srcset="', "https://a.example/x", " 2x", ", ", "https://b.example/", '"', ">"])
@example(['<a href="', "&#104;", "ttps://a.example/x", "y", '"', ">"])
def test_skipping_known_pages_never_loses_a_new_url(pieces: list[str]) -> None:
    html = "".join(pieces)
    known = set(KNOWN)
    assert set(html_links(html, known)) - known == set(html_links(html)) - known


def test_a_page_of_known_urls_is_not_parsed_and_a_new_one_is() -> None:
    known = {"https://a.example/x"}
    assert html_links('<a href="https://a.example/x">x</a>', known) == []
    assert html_links('<a href="https://a.example/x">x</a><a href="https://b.example/">b</a>', known) == [
        "https://a.example/x",
        "https://b.example/",
    ]
    assert html_links("<a href='&#104;ttps://b.example/'>b</a>", known) == ["https://b.example/"]


def test_the_link_map_still_names_page_and_theme_links(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = {"https://a.example/x": [LinkSource("data", "data/claims.yml", 3, "claims[0].url")]}
    builder = LinkMapBuilder(data)
    builder.add_page("docs/index.md", '<p><a href="https://a.example/x">a</a> <a href="https://p.example/">p</a></p>')
    builder.add_page("docs/other.md", '<p><a href="https://a.example/x">only data</a></p>')
    (tmp_path / "index.html").write_text(
        '<a href="https://a.example/x">a</a><a href="https://p.example/">p</a><a href="https://t.example/">t</a>'
    )
    (tmp_path / "other.html").write_text('<a href="https://a.example/x">a</a>')
    result = builder.finish(tmp_path)
    assert result == {
        "https://a.example/x": data["https://a.example/x"],
        "https://p.example/": [LinkSource("page", "docs/index.md")],
        "https://t.example/": [LinkSource("theme")],
    }
