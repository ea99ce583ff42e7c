"""The editor's prose and plain text: mentions, Markdown, sanitizing, and what can never get through."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from strategies import texts_of

from compliance.model.data import load_compliance_data
from compliance.model.prose.check import ProseChecker
from compliance.model.prose.mentions import MENTION, MentionReader, Said, list_joints, prose_markdown
from compliance.model.values import MarkdownText
from compliance.render import prose as prose_module
from compliance.render.mentions import md_text
from compliance.render.prose import ProseRenderer
from conftest import DATASETS, REPO, copy_project

# The Markdown extensions the site's pages are built with (mkdocs.yml).
SITE_EXTENSIONS = ["attr_list", "md_in_html", "admonition", "toc"]


@pytest.fixture(scope="module")
def prose() -> ProseRenderer:
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    return ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/")


@pytest.fixture(scope="module")
def checker() -> ProseChecker:
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    return ProseChecker(data.document, data.index)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_mentions_render_names_fields_links_and_lists(prose: ProseRenderer) -> None:
    out = prose.render(
        "[[provider:softlayer.company]] ([[provider:softlayer]]); [[claim:soc2]]; "
        "[[claim:security-standards.standards]]; [[claim:soc2.access.channels|or]]; [[organisation.service]]",
        "../",
    )
    assert out == (
        '<p>IBM (SoftLayer); <a href="../claims/soc2/">SOC 2</a>; ISO 27001 and ISO 27002; '
        'the customer portal or <a href="https://cloudant.com/history/contact-us/">contact our sales team</a>; '
        "Cloudant DBaaS</p>"
    )


def test_lists_are_joined_with_the_labels_words() -> None:
    assert list_joints(0, "and") == []
    assert list_joints(1, "and") == []
    assert list_joints(2, "or") == [" or "]
    assert list_joints(3, "und") == [", ", ", und "]


def test_inline_prose_drops_the_paragraph(prose: ProseRenderer) -> None:
    assert prose.render("Server *hardening*", inline=True) == "Server <em>hardening</em>"


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("[x](javascript:alert(1))", "expected a link to an https, http, ftp or mailto URL, got 'javascript:alert(1)'"),
        (
            "[x][r]\n\n[r]: vbscript:msgbox",
            "expected a link to an https, http, ftp or mailto URL, got 'vbscript:msgbox'",
        ),
        ("[x](data:text/html,hi)", "expected a link to an https, http, ftp or mailto URL, got 'data:text/html,hi'"),
        (
            "[x](claims/soc2.md)",
            "expected a link to an https, http, ftp or mailto URL, got 'claims/soc2.md'; "
            "to link this site's page of that claim, write [[claim:soc2]]",
        ),
        ("![p](https://tracker.example/p.png)", "images are not allowed in prose; use an `image:` field"),
        ("[[claim:soc3]]", "unknown claim 'soc3'; did you mean 'soc2'?"),
        ("[[standard:iso27001.nmae]]", "standard 'iso27001' has no field 'nmae'; did you mean 'name'?"),
        (
            "[[ provider softlayer ]]",
            "expected a mention like [[kind:id]] or [[kind:id.field]], got '[[ provider softlayer ]]'",
        ),
    ],
)
def test_check_refuses_what_must_not_be_published(checker: ProseChecker, text: str, issue: str) -> None:
    issues, _ = checker.check(text)
    assert [i.message for i in issues] == [issue]


def test_check_lists_external_links_but_not_those_from_mentions(checker: ProseChecker) -> None:
    issues, links = checker.check(
        "[a](https://example.com/a) <https://example.com/b> [[claim:iso27001.evidence]] [m](mailto:x@example.com)"
    )
    assert issues == []
    assert [link.url for link in links] == ["https://example.com/a", "https://example.com/b", "mailto:x@example.com"]


def test_raw_html_and_attribute_lists_in_prose_stay_text(prose: ProseRenderer) -> None:
    out = prose.render('<script>alert(1)</script> <img src=x onerror=alert(1)>\n{: onclick="alert(1)" }')
    assert _parse(out).tags == [("p", {})]
    assert "<script>" not in out and "&lt;script&gt;" in out


# Text fields refuse blank values and control characters, so those are not generated.
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_plain_text_reads_back_exactly_and_adds_no_markup(value: str) -> None:
    # A plain-text value in a heading, built with the site's own Markdown extensions.
    html = markdown.markdown(f"## {md_text(value)}", extensions=SITE_EXTENSIONS)
    parsed = _parse(html)
    expected = " ".join(value.split())
    assert [tag for tag, _ in parsed.tags] == ["h2"]
    assert all(set(attrs) <= {"id"} for _, attrs in parsed.tags)
    assert parsed.text == expected


@settings(max_examples=200, deadline=None)
@given(_text)
def test_prose_never_yields_tags_or_attributes_outside_the_allowlist(value: str) -> None:
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    out = ProseRenderer(data.document, data.index, lambda i: i).render(value)
    for tag, attrs in _parse(out).tags:
        assert tag in {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "br", "blockquote", "hr"}
        assert set(attrs) <= {"href", "title"}
        href = attrs.get("href") or ""
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.I)


def test_a_scope_of_all_is_mentioned_in_the_labels_words(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "other")
    data = load_compliance_data(project, project / "data", project / "docs")
    prose = ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/")
    assert prose.render("[[claim:privacy.scope.offerings]]; [[claim:pci.scope.offerings]]") == (
        "<p>All offerings; Ledger Cloud</p>"
    )


def test_the_model_reads_a_mention_as_words_and_the_claim_they_link_never_as_a_url() -> None:
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    reader = MentionReader(data.document, data.index)
    match = MENTION.search("see [[claim:soc2]]")
    assert match is not None
    assert reader.read(match) == [Said("SOC 2", claim="soc2")]


_SITE = "https://trust.example.com/security/"
# Every base a page or the export gives prose: the site root, a page one or two folders down, the
# export's absolute one; and bases rendered directly (characters Markdown or the sanitizer escape).
_BASES = ("", "../", "../../", _SITE, "https://mirror.example.net/", "https://trust.example.com/a&b/", "../x y/")


def _prose_values(value: object) -> list[str]:
    if isinstance(value, MarkdownText):
        return [str(value)]
    if isinstance(value, BaseModel):
        return [text for name in type(value).model_fields for text in _prose_values(getattr(value, name))]
    if isinstance(value, list):
        return [text for item in value for text in _prose_values(item)]
    return []


@pytest.mark.parametrize(
    "folder", [DATASETS / "guide", DATASETS / "other", REPO / "examples" / "harborledger" / "data"]
)
def test_prose_rendered_once_for_every_page_reads_as_rendered_for_each(folder: Path) -> None:
    """A text is rendered once for all pages and the export, then written for each base: the same HTML
    as rendering it for that base alone, own-site links and mentions included."""
    data = load_compliance_data(REPO, folder, REPO / "docs")
    texts = _prose_values(data.document)
    assert any("[[" in text for text in texts)
    shared = ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/", site_url=_SITE)
    alone = ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/", site_url=_SITE)
    for text in texts:
        for base in _BASES:
            for inline in (False, True):
                direct = alone._html(text, base, inline, own=escape(base) or "./")
                assert shared.render(text, base, inline=inline) == direct, (text, base)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "[[claim:soc2]]",
                "[[standard:iso27001]]",
                f"[own]({_SITE}x/)",
                f"<{_SITE}>",
                "[out](https://example.org/)",
                "`[[claim:soc2]]`",
                " and ",
                "*",
                "\n\n",
                "compliance-mentions-base-0f5c/",
                "x",
            ]
        ),
        max_size=8,
    ),
    st.sampled_from(_BASES),
)
def test_any_prose_reads_the_same_rendered_once_or_alone(parts: list[str], base: str) -> None:
    data = load_compliance_data(REPO, DATASETS / "guide", REPO / "docs")
    text = "".join(parts) or "x"
    shared = ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/", site_url=_SITE)
    shared.render(text, "../../")  # rendered once for another page first
    direct = shared._html(text, base, False, own=escape(base) or "./")
    assert shared.render(text, base) == direct


@pytest.mark.parametrize(
    "folder", [DATASETS / "guide", DATASETS / "other", REPO / "examples" / "harborledger" / "data"]
)
def test_a_text_shown_as_a_block_and_inline_reads_as_each_form_rendered_alone(folder: Path) -> None:
    """Markdown converts a text once for both forms: each form is the same as a renderer that never
    made the other one gives."""
    data = load_compliance_data(REPO, folder, REPO / "docs")
    texts = [*_prose_values(data.document), "One *line*", "Two\n\nparagraphs", "- a list\n- of two"]

    def renderer() -> ProseRenderer:
        return ProseRenderer(data.document, data.index, lambda ident: f"claims/{ident}/", site_url=_SITE)

    both = renderer()
    for text in texts:
        for inline in (False, True):
            assert both.render(text, "../", inline=inline) == renderer().render(text, "../", inline=inline), text


PLAIN_TEXT = texts_of(
    [*"Aaz09 ,.;:?'\"()/%-", "  ", "1. ", "- ", "a_b", "*x*", "&amp;", "<b>", "\\", "\t", "\n", "#"],
    min_size=1,
    max_size=20,
)


@settings(max_examples=2000, deadline=None)
@given(PLAIN_TEXT, st.sampled_from(["A", "z", "", " ", "1"]))
@example("Measure 3: it's (mostly) 100% done/checked -- really?", "")
def test_a_plain_sentence_is_the_paragraph_markdown_makes_of_it(text: str, first: str) -> None:
    """Prose that `_PLAIN` takes is written as one paragraph without Markdown: exactly what Markdown writes."""
    text = first + text
    if prose_module._PLAIN.fullmatch(text):
        reader = prose_markdown()
        assert str(reader.convert(text)) == f"<p>{text}</p>"
