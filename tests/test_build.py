"""The real `mkdocs build --strict`: the guide is complete, self-contained and safe to rebuild."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, article_text, edit_yaml, run_mkdocs

SOURCE = Path(__file__).parent / "fixtures" / "source" / "cloudant-security-compliance.md"


def _text(html: str) -> str:
    return _normal(article_text(html, separator=""))


def _normal(text: str) -> str:
    # Case-insensitive: our data spells "IBM SoftLayer" the same everywhere, the source once wrote "Softlayer".
    return re.sub(r"\s+", " ", text).strip().lower()


def source_sentences() -> list[str]:
    """Every sentence of the customer's guide, markup removed."""
    text = SOURCE.read_text(encoding="utf-8")
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"^\s*(#+|-)\s*", "", text, flags=re.M)
    sentences = []
    for block in text.split("\n"):
        sentences += [s for s in re.split(r"(?<=[.:])\s+(?=[A-Z])", block.strip()) if s]
    return [_normal(s) for s in sentences]


def source_links() -> set[str]:
    text = SOURCE.read_text(encoding="utf-8")
    links = set(re.findall(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)", text)) | set(re.findall(r'href="([^"]+)"', text))
    return {link for link in links if "://" in link}


def test_source_has_the_expected_claims_and_links() -> None:
    # Guards the two helpers above: if they found nothing, the next tests would prove nothing.
    assert len(source_sentences()) > 20
    assert source_links() == {
        "ftp://public.dhe.ibm.com/cloud/bluemix/compliance/Bluemix_ISO27K1_WWCert_2016.pdf",
        "http://www.aicpa.org/soc",
        "https://cloudant.com/history/contact-us/",
    }


def test_every_claim_of_the_source_is_in_the_guide(built_site: Path) -> None:
    page = _text((built_site / "index.html").read_text(encoding="utf-8"))
    missing = [sentence for sentence in source_sentences() if sentence not in page]
    assert missing == []


def test_every_external_link_of_the_source_is_in_the_guide(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    assert source_links() <= hrefs


def test_icon_and_certification_images_have_alt_text_and_exist(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    images = {img["alt"]: img for img in soup.select("article img")}
    assert set(images) == {"Security compliance guide icon", "ISO certification", "SOC 2 certification"}
    assert images["Security compliance guide icon"].find_parent("h1") is not None
    soc2 = images["SOC 2 certification"]
    assert (soc2["width"], soc2["height"]) == ("130", "118")
    assert soc2.find_parent("a")["href"] == "http://www.aicpa.org/soc"
    for img in images.values():
        assert (built_site / img["src"]).is_file(), img["src"]


def test_pages_reference_no_host_but_the_declared_links(built_site: Path) -> None:
    declared = source_links()
    seen: set[str] = set()
    for page in built_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img", "iframe", "source", "form"]):
            for attribute in ("href", "src", "action"):
                value = tag.get(attribute)
                if value and re.match(r"^([a-z]+:)?//", value):
                    seen.add(value)
    for css in built_site.rglob("*.css"):
        seen.update(re.findall(r"""url\(["']?((?:https?:)?//[^)"']+)""", css.read_text(encoding="utf-8")))
    # The site's own published address (site_url) is where canonical links point, and nothing else.
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    canonical = home.find("link", rel="canonical")
    if canonical is not None:
        own = {value for value in seen if value.startswith(canonical["href"])}
        assert own == {str(link["href"]) for link in soup_links(built_site, "link[rel=canonical]")}
        seen -= own
    # Beside the source's links, the standards catalogue's source of a date a status rests on.
    claims = json.loads((built_site / "compliance.json").read_text(encoding="utf-8"))["claims"]
    catalogue = {c["status_rests_on"]["source"] for c in claims if (c["status_rests_on"] or {}).get("source")}
    assert catalogue, "the guide's lapsed ISO 27001:2013 claim links the edition's end"
    assert seen == declared | catalogue


def soup_links(site: Path, selector: str) -> list:
    return [
        tag
        for page in site.rglob("*.html")
        for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(selector)
    ]


def test_templates_and_code_write_no_sentences_about_facts() -> None:
    # The issue's own check: these sentences of the source live in data/, never in layout or code.
    pattern = re.compile(
        r"certified under|meets all of the requirements|commensurate|may request|physically hosted", re.I
    )
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in ("docs", "overrides", "hooks")
        for path in (REPO / folder).rglob("*")
        if path.is_file() and path.suffix in (".md", ".html", ".py", ".css", ".svg")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_docs_pages_hold_no_facts_or_urls() -> None:
    offenders = [
        f"{page.relative_to(REPO)}:{n}"
        for page in (REPO / "docs").rglob("*.md")
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"Cloudant|IBM|Amazon|SoftLayer|ISO|SOC|HIPAA|http", line)
    ]
    assert offenders == []


def test_editing_a_claim_changes_every_page_that_shows_it(built_project: Path) -> None:
    project = built_project
    rename = lambda d: d["hosting"]["providers"][1].update(name="Amazon Web Services")  # noqa: E731
    edit_yaml(project / "data/hosting.yml", rename)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert "ibm (softlayer) and amazon web services." in _text((project / "site/index.html").read_text("utf-8"))
    assert "amazon web services" in _text((project / "site/matrix/index.html").read_text("utf-8"))


MATRIX_TITLE = "# {{ labels.pages.matrix | md }}"


def _line_of(file: str, text: str) -> int:
    """The line of the first `text` in the project's `file`."""
    lines = (REPO / file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "data/claims.yml",
            "    evidence:",
            "    evidense:",
            "data/claims.yml:42:5: claims[2].evidense: unknown key 'evidense'; did you mean 'evidence'?",
        ),
        (
            "data/guide.yml",
            "  title: Cloudant Security Compliance",
            "  title: [Security",
            "data/guide.yml:7:14: YAML syntax error: expected ',' or ']', but got ':'",
        ),
        (
            "docs/matrix.md",
            MATRIX_TITLE,
            "# {{ labels.pages.matirx }}",
            f"docs/matrix.md:{_line_of('docs/matrix.md', MATRIX_TITLE)}:1: undefined in template: "
            "'compliance.model.labels.PageLabels object' has no attribute 'matirx'",
        ),
        (
            "overrides/partials/claim.html",
            "{% endmacro %}",
            "{% endmacor %}",
            # At the line of the misspelt tag: the partial's first `{% endmacro %}`.
            f"overrides/partials/claim.html:{_line_of('overrides/partials/claim.html', '{% endmacro %}')}:1: "
            "template syntax error: Encountered unknown tag 'endmacor'",
        ),
    ],
    ids=["unknown-key", "yaml-syntax", "undefined-variable", "jinja-syntax"],
)
def test_bad_input_fails_cleanly_and_keeps_the_previous_site(
    built_project: Path, file: str, old: str, new: str, message: str
) -> None:
    project = built_project
    assert (project / "site" / "index.html").is_file()
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site.*")), "staging directories must be cleaned up"


def test_a_site_folder_outside_the_project_gets_nothing_written_beside_it(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = run_mkdocs(project, "-d", str(outside / "site"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["site"]
    assert (outside / "site" / "index.html").is_file()
