"""Several languages from one set of facts: words per language, facts once, one site per language.

The example organisation is published in English and Swedish (examples/harborledger/data); the shipped
guide declares no languages and builds one site, as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from compliance.errors import ComplianceError
from compliance.model.data import ComplianceData, load_compliance_data
from compliance.model.dates import PartialDate
from compliance.model.labels import DateLabels
from compliance.model.language import is_translatable, language_of
from conftest import REPO, copy_project, run_mkdocs

EXAMPLE_DATA = "examples/harborledger/data"


def _load(project: Path, language: str | None = None) -> ComplianceData:
    return load_compliance_data(project, project / EXAMPLE_DATA, project / "docs", language=language)


def _problems(project: Path, language: str | None = None) -> list[str]:
    with pytest.raises(ComplianceError) as caught:
        _load(project, language)
    return [str(problem) for problem in caught.value.problems]


def _insert_after(path: Path, anchor: str, line: str) -> int:
    """Insert `line` after the one line equal to `anchor`; the inserted line's number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = lines.index(anchor)
    lines.insert(index + 1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 2


def _facts(model: Any) -> Any:
    """Every value of a model that is not words: what no translation may change."""
    if isinstance(model, list):
        return [_facts(item) for item in model]
    fields = getattr(type(model), "model_fields", None)
    if fields is None:
        return model
    # The labels are the site's fixed words, per language by design; everything else is the data's.
    kept = [name for name, info in fields.items() if not is_translatable(info) and name != "labels"]
    return {name: _facts(getattr(model, name)) for name in kept}


@pytest.fixture(scope="module")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("languages") / "project")


# Facts once, words per language ------------------------------------------------------------------------


def test_no_status_date_or_scope_differs_between_the_languages_of_any_claim(example_project: Path) -> None:
    english, swedish = _load(example_project), _load(example_project, "sv")
    assert (english.language, swedish.language, swedish.languages) == ("en", "sv", ("en", "sv"))
    # Every fact of the whole model, claims and trust center alike, is the one written once.
    assert _facts(swedish.document) == _facts(english.document)
    for en, sv in zip(english.document.claims, swedish.document.claims, strict=True):
        assert (sv.status, sv.issued, sv.valid_until, sv.expected, sv.last_reviewed, sv.report_period) == (
            en.status,
            en.issued,
            en.valid_until,
            en.expected,
            en.last_reviewed,
            en.report_period,
        )
        assert sv.scope.model_dump(mode="json", exclude={"conditions"}) == en.scope.model_dump(
            mode="json", exclude={"conditions"}
        )
        assert [e.url for e in sv.evidence] == [e.url for e in en.evidence]
        assert swedish.basis(sv) == english.basis(en)
    # ...and the words are Swedish where the data gives them.
    assert swedish.document.claims[0].title == "ISO/IEC 27001 och 27017"
    assert swedish.document.labels.statuses.current == "Gällande"
    assert english.missing == () and swedish.missing == ()


def test_a_fact_written_per_language_is_refused_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    claims = project / EXAMPLE_DATA / "claims.yml"
    line = _insert_after(claims, "    status: in_progress", "    status@sv: current")
    assert _problems(project) == [
        f"{EXAMPLE_DATA}/claims.yml:{line}:5: claims[4].status@sv: 'status' is a fact, the same in every language: "
        "write it once, as 'status' (only words such as titles and prose are given per language)"
    ]


def test_a_translation_into_an_undeclared_language_is_refused_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    claims = project / EXAMPLE_DATA / "claims.yml"
    line = _insert_after(claims, "    title: PCI DSS", "    title@de: PCI DSS")
    assert _problems(project) == [
        f"{EXAMPLE_DATA}/claims.yml:{line}:5: claims[4].title@de: 'de' is not a declared language (en, sv); "
        "declare it under languages: others:"
    ]


def _theme_languages() -> frozenset[str]:
    """The tags Material ships interface words for, read from the installed theme as the build reads them."""
    import material

    folder = Path(material.__file__).parent / "templates/partials/languages"
    return frozenset(path.stem for path in folder.glob("*.html"))


@pytest.mark.parametrize(
    ("declared", "hint"),
    [
        ("de-CH", "; did you mean 'de'?"),  # a region the theme has no words of its own for
        ("pt-br", "; did you mean 'pt-BR'?"),
        ("svv", "; did you mean 'sv'?"),
        ("qya", ""),  # nothing near: no guess
    ],
)
def test_a_language_the_theme_has_no_words_for_is_refused_at_its_line(tmp_path: Path, declared: str, hint: str) -> None:
    known = _theme_languages()
    assert {"en", "sv", "de", "pt-BR"} <= known and declared not in known
    project = copy_project(tmp_path / "project")
    organisation = project / EXAMPLE_DATA / "organisation.yml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("  others: [sv]\n", f"  others: [sv, {declared}]\n"), encoding="utf-8")
    line = text.splitlines().index("  others: [sv]") + 1
    with pytest.raises(ComplianceError) as caught:
        load_compliance_data(project, project / EXAMPLE_DATA, project / "docs", theme_languages=known)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{EXAMPLE_DATA}/organisation.yml:{line}:16: languages.others[1]: '{declared}' is not a language the theme "
        f"has words for{hint}"
    ]


def test_the_build_refuses_a_language_the_theme_has_no_words_for(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    organisation = project / EXAMPLE_DATA / "organisation.yml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("  default: en\n", "  default: en-GB\n"), encoding="utf-8")
    line = text.splitlines().index("  default: en") + 1
    built = run_mkdocs(project, config="mkdocs.example.yml")
    assert built.returncode != 0 and "Traceback" not in built.stderr
    expected = f"{EXAMPLE_DATA}/organisation.yml:{line}:12: languages.default: 'en-GB' is not a language the theme"
    assert f"{expected} has words for; did you mean 'en'?" in built.stderr, built.stderr
    assert not (project / "example-site").exists()


def test_a_translation_of_words_the_default_language_does_not_give_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    updates = project / EXAMPLE_DATA / "updates.yml"
    line = _insert_after(updates, "    title@sv: ISO/IEC 27001:2022-certifikat utfärdat", "    prose@sv: Nytt.")
    english = _insert_after(updates, "    title@sv: PCI DSS-bedömningen har börjat", "    title@en: PCI DSS")
    assert _problems(project) == [
        f"{EXAMPLE_DATA}/updates.yml:{english}:5: updates[2].title@en: 'en' is the default language: its words are "
        "written as 'title', not 'title@en'",
        f"{EXAMPLE_DATA}/updates.yml:{line + 1}:5: updates[3].prose@sv: a translation of 'prose', which is not "
        "given in the default language ('en')",
    ]


def test_a_missing_translation_is_shown_in_the_default_language_and_marked(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    faq = project / EXAMPLE_DATA / "faq.yml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("      question@sv: Var lagras mina uppgifter?\n", ""), encoding="utf-8")
    swedish = _load(project, "sv")
    (gap,) = swedish.missing
    line = text.splitlines().index("    - question: Where is my data stored?") + 1
    assert gap.describe() == (
        f"{EXAMPLE_DATA}/faq.yml:{line}:17: faq.questions[0].question: no translation into 'sv' (add question@sv)"
    )
    question = swedish.document.faq.questions[0].question  # type: ignore[union-attr]
    assert (question, language_of(question)) == ("Where is my data stored?", "en")
    assert language_of(swedish.document.faq.questions[1].question) is None  # type: ignore[union-attr]


def test_an_organisations_labels_override_the_tools_own_per_language(example_project: Path) -> None:
    english, swedish = _load(example_project), _load(example_project, "sv")
    assert (english.document.labels.pages.contact, swedish.document.labels.pages.contact) == (
        "Trust team",
        "Förtroendeteamet",
    )
    # Not overridden: the tool's own words in each language.
    assert (english.document.labels.pages.matrix, swedish.document.labels.pages.matrix) == (
        "Compliance matrix",
        "Efterlevnadsmatris",
    )


@pytest.mark.parametrize(
    ("written", "locale", "words"),
    [
        ("2025-04", "sv", "april 2025"),
        ("2025-04-15", "sv", "15 april 2025"),
        ("2025", "sv", "2025"),
        ("2025-04-15", "en-GB", "15 April 2025"),
        ("2025-04-15", "de", "15. April 2025"),
    ],
)
def test_dates_are_as_precise_as_written_in_the_locales_words(written: str, locale: str, words: str) -> None:
    assert PartialDate.parse(written).words(DateLabels(locale=locale)) == words


# One site per language ------------------------------------------------------------------------------


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html") if not p.is_relative_to(site / "sv")}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_has_its_counterpart_and_the_selector_links_them(example_site: Path) -> None:
    english = _pages(example_site)
    swedish = {p.relative_to(example_site / "sv").as_posix() for p in (example_site / "sv").rglob("index.html")}
    assert english == swedish and len(english) >= 15
    for page in sorted(english):
        for site, lang in ((example_site, "en"), (example_site / "sv", "sv")):
            soup = _soup(site / page)
            assert soup.html is not None and soup.html["lang"] == lang, page
            links = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link")}
            heads = {link["hreflang"]: link["href"] for link in soup.select("link[rel=alternate][hreflang]")}
            assert set(links) == {"en", "sv"}, page
            # Only the home page's head has alternates: there they are its counterparts, and the theme's
            # script fetches the sitemap.xml beside each; any other page's are in the sitemap.
            assert set(heads) == ({"en", "sv"} if page == "index.html" else set()), page
            # The selector leads, from this page, to the same page in each language.
            for target, href in links.items():
                folder = example_site / ("" if target == "en" else "sv/")
                landed = ((site / page).parent / str(href) / "index.html").resolve()
                assert landed == (folder / page).resolve(), (page, target, href)
            for target, href in heads.items():
                folder = example_site / ("" if target == "en" else "sv/")
                assert ((site / page).parent / str(href)).resolve() == folder.resolve(), (page, target)
                assert (folder / "sitemap.xml").is_file()


def test_each_sitemap_lists_every_pages_counterparts_in_each_language(example_site: Path) -> None:
    """hreflang alternates per page (Google's sitemap method), each language's sitemap listing the same."""
    home = "https://trust.harborledger.example/"
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    versions: dict[str, dict[str, str]] = {}
    for site in (example_site, example_site / "sv"):
        for url in ElementTree.parse(site / "sitemap.xml").getroot().iterfind("s:url", namespaces):
            loc = url.findtext("s:loc", namespaces=namespaces)
            assert loc is not None and loc.startswith(home)
            found = {link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", namespaces)}
            assert all(link.get("rel") == "alternate" for link in url.iterfind("x:link", namespaces))
            assert set(found) == {"en", "sv"} and loc in found.values(), loc  # itself included
            for lang, href in found.items():
                assert href is not None and href.startswith(home + ("sv/" if lang == "sv" else "")), (loc, href)
                assert (example_site / href.removeprefix(home) / "index.html").is_file(), href
            versions[loc] = {str(lang): str(href) for lang, href in found.items()}
    assert len(versions) == 2 * len(_pages(example_site))
    for loc, found in versions.items():  # reciprocal: each version lists the same versions
        assert all(versions[href] == found for href in found.values()), loc
    assert versions[home + "claims/soc2/"] == {"en": home + "claims/soc2/", "sv": home + "sv/claims/soc2/"}


def test_each_language_has_its_own_search_export_and_feed(example_site: Path) -> None:
    for site, lang in ((example_site, "en"), (example_site / "sv", "sv")):
        search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
        assert search["config"]["lang"] == [lang]
        export = json.loads((site / "compliance.json").read_text(encoding="utf-8"))
        assert (export["language"], export["languages"]) == (lang, ["en", "sv"])
    english = json.loads((example_site / "compliance.json").read_text(encoding="utf-8"))
    swedish = json.loads((example_site / "sv/compliance.json").read_text(encoding="utf-8"))
    for en, sv in zip(english["claims"], swedish["claims"], strict=True):
        keep = ("id", "status", "issued", "valid_until", "expected", "report_period", "status_rests_on", "page")
        assert {k: sv.get(k) for k in keep} == {k: en.get(k) for k in keep}
        assert sv["scope"]["offerings"] == en["scope"]["offerings"]
    feed = (example_site / "sv/feed.xml").read_text(encoding="utf-8")
    assert "SOC 2 typ 2-rapporten förnyad" in feed and "https://trust.harborledger.example/sv/" in feed
    assert not (example_site / "sv/.well-known").exists()  # security.txt is the host's, at the root only
    assert "30 september 2026" in (example_site / "sv/claims/soc2/index.html").read_text(encoding="utf-8")


def test_a_missing_translation_is_marked_on_the_page_and_fails_the_strict_build_with_the_option(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")
    claims = project / EXAMPLE_DATA / "claims.yml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("    title@sv: SOC 2 typ 2\n", ""), encoding="utf-8")
    line = text.splitlines().index("    title: SOC 2 Type 2") + 1
    built = run_mkdocs(project, config="mkdocs.example.yml")
    assert built.returncode == 0, built.stderr
    assert "1 words of the 'sv' site are in 'en', for want of a translation; make review lists each" in built.stderr
    heading = _soup(project / "example-site/sv/claims/soc2/index.html").select_one("h1 span[lang=en]")
    assert heading is not None and heading.get_text() == "SOC 2 Type 2"
    assert _soup(project / "example-site/claims/soc2/index.html").select("body [lang]") == []
    config = project / "mkdocs.example.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    data_dir: examples/harborledger/data\n",
            "    data_dir: examples/harborledger/data\n    missing_translations: warn\n",
        ),
        encoding="utf-8",
    )
    failed = run_mkdocs(project, config="mkdocs.example.yml")
    assert failed.returncode != 0
    expected = f"{EXAMPLE_DATA}/claims.yml:{line}:12: claims[1].title: no translation into 'sv' (add title@sv)"
    assert re.search(r"WARNING\s+-\s+" + re.escape(expected), failed.stderr), failed.stderr


def test_the_shipped_guide_has_one_language_and_no_selector(shipped_site: Path) -> None:
    assert not (shipped_site / "sv").exists()
    soup = _soup(shipped_site / "index.html")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.select(".md-select__link, link[rel=alternate][hreflang]") == []
    export = json.loads((shipped_site / "compliance.json").read_text(encoding="utf-8"))
    assert "language" not in export and "languages" not in export
    assert (REPO / "labels/en.yml").is_file() and (REPO / "labels/sv.yml").is_file()


def test_make_review_lists_each_missing_translation_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from compliance.review import main

    project = copy_project(tmp_path / "project")
    controls = project / EXAMPLE_DATA / "controls.yml"
    text = controls.read_text(encoding="utf-8")
    controls.write_text(text.replace("      title@sv: Personal\n", ""), encoding="utf-8")
    line = text.splitlines().index("      title: People") + 1
    assert main(["-f", str(project / "mkdocs.example.yml"), "--today", "2026-11-01"]) == 1
    where = f"{EXAMPLE_DATA}/controls.yml:{line}:14"
    expected = f"{where}: controls.areas[3].title: no translation into 'sv' (add title@sv)"
    assert expected in capsys.readouterr().out.splitlines()
