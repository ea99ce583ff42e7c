"""The trust-center content: its pages, the export, the Atom feed and security.txt, from real builds."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from compliance.model.data import load_compliance_data
from compliance.render.plan import SitePlan
from compliance.render.trustsite import TrustSite
from conftest import FIXTURE_TODAY, article_text, copy_project, edit_yaml, run_mkdocs

EXAMPLE_DATA = "examples/harborledger/data"
TRUST_PAGES = ("controls", "subprocessors", "documents", "faq", "updates", "contacts")
SITE_URL = "https://trust.example.org/security/"


def _text(site: Path, page: str) -> str:
    return article_text((site / page).read_text(encoding="utf-8"))


def test_example_has_every_trust_page_in_the_navigation(example_site: Path) -> None:
    soup = BeautifulSoup((example_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [a.get("href") for a in soup.select("nav.md-nav--primary a")]
    for name in TRUST_PAGES:
        assert (example_site / name / "index.html").is_file(), name
        assert f"{name}/" in nav, f"{name} is not in the navigation: {nav}"


def test_subprocessor_table_shows_only_columns_some_row_fills(example_site: Path) -> None:
    soup = BeautifulSoup((example_site / "subprocessors/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [th.get_text().strip() for th in soup.select("table thead th")] == ["Name", "Purpose", "Locations", "Since"]
    rows = {
        tr["id"]: [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in soup.select("tbody tr")
    }
    assert rows["subprocessor-payflow"] == [
        "Payflow Payments",
        "Card payment processing for the hosted checkout",
        "Ireland",
        "15 July 2022",
    ]
    assert rows["subprocessor-helpdesk"][-1] == "", "a subprocessor without `since` gets an empty cell, not a date"
    assert "Last updated 1 November 2026" in _text(example_site, "subprocessors/index.html")


def test_documents_list_the_library_and_every_claims_evidence(example_site: Path) -> None:
    text = _text(example_site, "documents/index.html")
    # Kinds in the labels' words (`document_kinds`), or as written where labels.yml has none.
    assert "Penetration test summary, 2026 Report On request: the trust team" in text
    assert "Business continuity plan Policy Under NDA: your account manager" in text
    assert "SOC 2 Type 2 report, 2026 Report Under NDA: the trust team ; the request form SOC 2 Type 2" in text
    # Evidence written on claims appears too, with the claim's access and a link to the claim.
    assert "ISO/IEC 27001 certificate Certificate Public ISO/IEC 27001 and 27017" in text


def test_claim_page_shows_its_latest_update_with_the_updates_own_date(example_site: Path) -> None:
    soup = BeautifulSoup((example_site / "claims/soc2/index.html").read_text(encoding="utf-8"), "html.parser")
    news = soup.select_one("dl.compliance-news")
    assert news is not None
    # The update's date is the update's: no "last changed" is inferred for the claim from it.
    assert " ".join(news.get_text(" ").split()) == "Latest update SOC 2 Type 2 report renewed · 1 October 2026"
    link = news.find("a")
    assert link["href"] == "../../updates/#update-2026-10-01-soc-2-type-2-report-renewed"
    updates = BeautifulSoup((example_site / "updates/index.html").read_text(encoding="utf-8"), "html.parser")
    assert updates.find(id="update-2026-10-01-soc-2-type-2-report-renewed") is not None
    # A claim no update concerns says nothing about updates.
    assert "Latest update" not in _text(example_site, "claims/gdpr/index.html")


def test_export_holds_the_trust_content_and_matches_its_schema(example_site: Path) -> None:
    export = json.loads((example_site / "compliance.json").read_text(encoding="utf-8"))
    schema = json.loads((example_site / "compliance.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(export, schema)
    assert [p["id"] for p in export["subprocessors"]["processors"]] == [
        "northcloud",
        "payflow",
        "mailrelay",
        "helpdesk",
    ]
    assert export["contacts"]["security_txt"] == {"expires": "2027-10-31", "languages": ["en", "sv"]}
    assert export["updates"][0]["claims"] == ["soc2"]
    assert [a["id"] for a in export["controls"]["areas"]] == ["data-protection", "access", "hosting", "people"]


def test_feed_is_valid_atom_with_absolute_links(example_site: Path) -> None:
    text = (example_site / "feed.xml").read_text(encoding="utf-8")
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    data = yaml.safe_load((Path(__file__).parent.parent / EXAMPLE_DATA / "updates.yml").read_text(encoding="utf-8"))
    titles = [u["title"] for u in sorted(data["updates"], key=lambda u: u["date"], reverse=True)]
    assert [entry.title for entry in feed.entries] == titles
    root = "https://trust.harborledger.example/"
    assert feed.feed.id == root + "updates/"
    assert feed.feed.author == "Harbor Ledger"
    assert {link.rel: link.href for link in feed.feed.links}["self"] == root + "feed.xml"
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:trust.harborledger.example,20") for i in ids)
    for entry in feed.entries:
        datetime.fromisoformat(entry.updated.replace("Z", "+00:00"))  # RFC 3339
        assert all(link.href.startswith(root) for link in entry.links)
    # Links in an update's prose are absolute too: a feed reader has no page to resolve them against.
    soc2 = next(e for e in feed.entries if e.title == "SOC 2 Type 2 report renewed")
    assert 'href="https://trust.harborledger.example/claims/soc2/"' in soc2.content[0].value
    # Every entry has content, an update without prose too: the line its page shows (date, claims).
    iso = next(e for e in feed.entries if e.title == "ISO/IEC 27001:2022 certificate issued")
    assert iso.content[0].value == (
        '<p>1 April 2025 · Concerns <a href="https://trust.harborledger.example/claims/iso27001/">'
        "ISO/IEC 27001 and 27017</a></p>"
    )
    assert all(entry.content[0].value for entry in feed.entries)
    # On the site, the feed is linked relative to the page, so a copy's link stays on the copy.
    updates = BeautifulSoup((example_site / "updates/index.html").read_text(encoding="utf-8"), "html.parser")
    assert updates.select_one("article .compliance-feed a")["href"] == "../feed.xml"


def _feed_ids(project: Path) -> dict[str, str]:
    data = project / EXAMPLE_DATA
    loaded = load_compliance_data(project, data, project / "docs")
    site = TrustSite(loaded.document, SitePlan())
    return {u.title: site.entry_id(u, "https://trust.example.org/security/") for u in site.updates}


def test_feed_ids_survive_a_title_fix_and_a_new_update_of_the_same_day(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    before = _feed_ids(project)
    assert before["SOC 2 Type 2 report renewed"] == "tag:trust.example.org,2026-10-01:/security/updates/1"
    updates = project / EXAMPLE_DATA / "updates.yml"

    def fix_and_add(d: dict) -> None:
        d["updates"][0]["title"] = "SOC 2 Type 2 report renewed for 2026"
        d["updates"].append({"date": "2026-10-01", "title": "Another update that day"})

    edit_yaml(updates, fix_and_add)
    after = _feed_ids(project)
    assert after["SOC 2 Type 2 report renewed for 2026"] == before["SOC 2 Type 2 report renewed"]
    assert after["Another update that day"] == "tag:trust.example.org,2026-10-01:/security/updates/2"
    assert {k: v for k, v in after.items() if k in before} == {k: v for k, v in before.items() if k in after}
    # An update with an id keeps its entry's id wherever it moves among its date's updates.
    edit_yaml(updates, lambda d: d["updates"].insert(0, {**d["updates"].pop(-1), "id": "bridge-letter"}))
    assert _feed_ids(project)["Another update that day"] == (
        "tag:trust.example.org,2026-10-01:/security/updates/bridge-letter"
    )


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["renewal", "renewal"], "updates.yml:5:7: updates[1].id: update id 'renewal' is used twice on 2026-10-01"),
        (
            ["2", None],
            "updates.yml:2:7: updates[0].id: update id '2' is a number, which could be another update's place; "
            "use a word",
        ),
    ],
)
def test_an_update_id_that_could_name_two_entries_is_refused(
    tmp_path: Path, ids: list[str | None], message: str
) -> None:
    project = copy_project(tmp_path / "project")

    def same_day(d: dict) -> None:
        d["updates"] = [
            {**({"id": ident} if ident else {}), "date": "2026-10-01", "title": f"Update {n}"}
            for n, ident in enumerate(ids)
        ]

    edit_yaml(project / EXAMPLE_DATA / "updates.yml", same_day)
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode != 0
    assert f"\nexamples/harborledger/data/{message}\n" in result.stderr


def test_security_txt_follows_rfc_9116(tmp_path: Path) -> None:
    # The example's site_url is a placeholder (.example), under which no security.txt is published:
    # the same data at an address of its own gets one.
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.example.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(".harborledger.example/", ".harborledger.com/"))
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    assert "No security.txt" not in result.stderr
    text = (project / "example-site/.well-known/security.txt").read_text()
    fields = dict(line.split(": ", 1) for line in text.splitlines())
    assert fields == {
        "Contact": "mailto:security@harborledger.example",
        "Expires": "2027-10-31T00:00:00Z",
        "Policy": "https://www.harborledger.example/security/disclosure-policy",
        "Preferred-Languages": "en, sv",
        "Canonical": "https://trust.harborledger.com/.well-known/security.txt",
    }
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00")).date()
    assert expires > date.fromisoformat(FIXTURE_TODAY)


def test_a_placeholder_site_url_publishes_no_security_txt_and_says_so(example_site: Path) -> None:
    assert not (example_site / ".well-known").exists()
    # The feed needs only absolute links, which a placeholder address still gives.
    assert (example_site / "feed.xml").is_file()


def test_an_expired_security_txt_fails_the_build_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    contacts = project / EXAMPLE_DATA / "contacts.yml"
    edit_yaml(contacts, lambda d: d["contacts"]["security_txt"].update(expires="2026-11-28"))
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode != 0
    line = next(i for i, text in enumerate(contacts.read_text().splitlines(), 1) if "expires:" in text)
    assert (
        f"{EXAMPLE_DATA}/contacts.yml:{line}:14: contacts.security_txt.expires: security.txt expires on 2026-11-28, "
        "which is not after today (2026-11-28)"
    ) in result.stderr
    assert not (project / "example-site").exists()


def test_make_review_lists_security_txt_expiring_within_its_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from compliance.review import main as review

    project = copy_project(tmp_path / "project", "dated")
    contacts = project / "data" / "contacts.yml"
    contacts.write_text(
        "contacts:\n  security:\n    label: Security team\n    url: mailto:security@example.org\n"
        '  security_txt:\n    expires: "2027-01"\n',
        encoding="utf-8",
    )
    args = ["--project", str(project), "--today", FIXTURE_TODAY, "--reviewed-within", "9999"]
    # 2027-01 begins 34 days after the fixtures' today: within 40 days, not within 30.
    assert review([*args, "--expires-within", "40"]) == 1
    captured = capsys.readouterr()
    assert "data/contacts.yml:6:14: contacts.security_txt.expires: security.txt: expires on 2027-01" in (
        captured.out.splitlines()
    )
    assert "out of 5 claims and security.txt" in captured.err
    review([*args, "--expires-within", "30"])
    assert "security.txt" not in capsys.readouterr().out
    # Once passed it fails the build; the review, which never stops at dates, still names it.
    edit_yaml(contacts, lambda d: d["contacts"]["security_txt"].update(expires="2026-10"))
    review([*args, "--expires-within", "0"])
    assert "data/contacts.yml:6:14: contacts.security_txt.expires: security.txt: expired on 2026-10" in (
        capsys.readouterr().out.splitlines()
    )


def test_without_site_url_there_is_no_feed_or_security_txt_and_the_build_says_why(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for config in ("mkdocs.yml", "mkdocs.example.yml"):
        text = (project / config).read_text(encoding="utf-8")
        (project / config).write_text(re.sub(r"^site_url:.*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    assert "No Atom feed of the updates: set site_url" in result.stderr
    assert "No security.txt: it is served over https from the site's address; set site_url" in result.stderr
    site = project / "example-site"
    assert not (site / "feed.xml").exists()
    assert "application/atom+xml" not in (site / "index.html").read_text(encoding="utf-8")
    assert "compliance-feed" not in (site / "updates/index.html").read_text(encoding="utf-8")
    assert not (site / ".well-known").exists()


def test_absent_content_leaves_no_page_nav_entry_or_file(project: Path) -> None:
    """The guide's fixture data has none of the trust content but its controls: nothing else appears."""
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    built = [name for name in TRUST_PAGES if (site / name).exists()]
    assert built == ["controls"]
    assert not (site / "feed.xml").exists() and not (site / ".well-known").exists()
    nav = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select("nav a")
    assert not [a for a in nav if re.search(r"subprocessors|documents|faq|updates|contacts", a.get("href", ""))]
    export = json.loads((site / "compliance.json").read_text(encoding="utf-8"))
    assert export["subprocessors"] is None and export["updates"] == []


def test_updates_are_newest_first_with_stable_distinct_anchors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    data = project / EXAMPLE_DATA
    edit_yaml(
        data / "updates.yml",
        lambda d: d["updates"].extend([{"date": "2026-10-01", "title": "SOC 2 Type 2 report renewed"}]),
    )
    loaded = load_compliance_data(project, data, project / "docs")
    site = TrustSite(loaded.document, SitePlan())
    anchors = [site.anchor(u) for u in site.updates]
    assert len(set(anchors)) == len(anchors)
    assert [u.date.isoformat() for u in site.updates] == sorted(
        (u.date.isoformat() for u in site.updates), reverse=True
    )
    # The older of two same-day, same-title updates keeps the anchor it had before the second was added.
    assert site.anchor(loaded.document.updates[0]) == "update-2026-10-01-soc-2-type-2-report-renewed"
    assert site.anchor(loaded.document.updates[-1]) == "update-2026-10-01-soc-2-type-2-report-renewed-2"
    assert [u.title for u in site.updates_of("soc2")] == ["SOC 2 Type 2 report renewed"]


def test_prose_links_to_the_sites_own_address_stay_within_the_copy(example_site: Path) -> None:
    """The example's prose links its own pages by their published address; pages link them relative to
    themselves, so a preview or mirror never leaves for production. The feed keeps them absolute."""
    own = "https://trust.harborledger.example/"
    pages = {
        "index.html": "./controls/",
        "subprocessors/index.html": "../updates/",
        "claims/gdpr/index.html": "../../subprocessors/",
    }
    for page, relative in pages.items():
        article = BeautifulSoup((example_site / page).read_text(encoding="utf-8"), "html.parser").select_one("article")
        assert article is not None
        hrefs = [str(a["href"]) for a in article.select(".compliance-prose a[href]")]
        assert relative in hrefs, (page, hrefs)
        assert not [href for href in hrefs if href.startswith(own)], page
    feed = (example_site / "feed.xml").read_text(encoding="utf-8")
    assert f'href="{own}claims/soc2/"' in feed


def test_export_prose_is_the_html_the_site_shows_with_its_markdown_beside_it(example_site: Path) -> None:
    export = json.loads((example_site / "compliance.json").read_text(encoding="utf-8"))
    raw: list[str] = []
    sources: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                if name.endswith("_markdown"):
                    assert name.removesuffix("_markdown") in value, name
                    sources.append(name)
                else:
                    walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and "[[" in value:
            raw.append(f"{key}: {value}")

    walk(export)
    assert not raw, "mention markup in the export:\n" + "\n".join(raw)
    assert {"prose_markdown", "answer_markdown", "text_markdown", "intro_markdown"} <= set(sources)
    update = export["updates"][0]
    assert update["prose_markdown"].startswith("The 2026 [[claim:soc2]] report")
    assert update["prose"].startswith('<p>The 2026 <a href="https://trust.harborledger.example/claims/soc2/">')
    schema = json.loads((example_site / "compliance.schema.json").read_text(encoding="utf-8"))
    assert "prose_markdown" in schema["$defs"]["Update"]["properties"]


def test_a_link_written_in_a_generated_pages_template_is_mapped_to_the_template(tmp_path: Path) -> None:
    """The link map names the file an editor changes: a generated page has none of its own."""
    project = copy_project(tmp_path / "project")
    template = project / "docs/_templates/updates.md"
    template.write_text(template.read_text(encoding="utf-8") + "\nSee [the status page](https://status.acme.org/).\n")
    result = run_mkdocs(project, config="mkdocs.example.yml")
    assert result.returncode == 0, result.stderr
    links = json.loads((project / "example-site.linkmap.json").read_text(encoding="utf-8"))["links"]
    assert [s["file"] for s in links["https://status.acme.org/"]] == ["docs/_templates/updates.md"]
    # The feed is linked relative to each page: no longer an external link of docs/updates.md, which is no file.
    assert not [url for url in links if url.endswith("/feed.xml")]
