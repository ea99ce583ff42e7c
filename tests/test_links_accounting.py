"""Every link of a site is accounted for: checked, or listed as skipped or broken with the reason.

The pages here are our own counterparts of the crash and fixture pages of lychee and LinkChecker:
unparsable URLs, mailto:, root-relative and ../ links, file: URLs, fragments, custom elements.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliance.links.cli import main
from compliance.links.linkmap import LinkMapBuilder, LinkSource, link_map_path, write_link_map
from compliance.links.targets import Category, fragment_found, resolve
from standins.http_standin import HttpStandin


def write_site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for name, body in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"<!doctype html>\n<html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    return site


def check(site: Path, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    """Run the command line on `site`; return exit code, the JSON report's links by URL, and the text."""
    report = tmp_path / "report.json"
    code = main(["--site", str(site), "--no-cache", "--retries", "0", "--no-https-twins", "--json", str(report), *args])
    payload = json.loads(report.read_text(encoding="utf-8"))
    return code, {link["url"]: link | {"summary": payload["summary"]} for link in payload["links"]}, ""


def verdicts(links: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {url: (link["category"], link["class"]) for url, link in links.items()}


def test_unparsable_urls_are_broken_links_not_an_abort(http: HttpStandin, tmp_path: Path, capsys) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": f'<a href="http://localhost]">a</a>\n<a href="https://example]org/">b</a>\n'
            f'<a href="{http.url("/ok")}">fine</a>\n<a href="http://h:99999/">port</a>'
        },
    )
    code, links, _ = check(site, tmp_path)
    out = capsys.readouterr()
    assert code == 1 and "internal error" not in out.err
    assert verdicts(links) == {
        "http://localhost]": ("broken", "broken"),
        "https://example]org/": ("broken", "broken"),
        "http://h:99999/": ("broken", "broken"),
        http.url("/ok"): ("external", "ok"),
    }
    assert links["http://localhost]"]["status"] == "unparsable URL: Invalid IPv6 URL"
    assert links["http://h:99999/"]["status"] == "unparsable URL: Port out of range 0-65535"
    assert (
        "BROKEN  https://example]org/\n        status: unparsable URL: Invalid IPv6 URL\n"
        f"        from: {site.as_posix()}/index.html:4:10\n" in out.out  # where the URL itself starts
    )


def test_every_kind_of_link_is_counted_and_listed(tmp_path: Path, capsys) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="mailto:compliance@example.com?subject=SOC%202">mail</a>\n'
            '<a href="mailto:no-at-sign">bad mail</a>\n'
            '<a href="/about">root-relative folder</a>\n'
            '<a href="/nested/about/index.html#missing">root-relative, bad fragment</a>\n'
            '<a href="../outside.html">leaves the site</a>\n'
            '<a href="file:///etc/hosts">local file</a>\n'
            '<a href="tel:+15551234">phone</a>\n'
            '<a href="javascript:void(0)">script</a>',
            "about/index.html": "<p>About</p>",
            "nested/about/index.html": '<h2 id="present">x</h2><a href="/absent/">gone</a>',
        },
    )
    code, links, _ = check(site, tmp_path)
    assert code == 1
    assert verdicts(links) == {
        "mailto:compliance@example.com?subject=SOC%202": ("mail", "ok"),
        "mailto:no-at-sign": ("mail", "broken"),
        "/about": ("internal", "ok"),
        "/nested/about/index.html#missing": ("internal", "broken"),
        "/absent/": ("internal", "broken"),
        "../outside.html": ("broken", "broken"),
        "file:///etc/hosts": ("broken", "broken"),
        "tel:+15551234": ("skipped", "skipped"),
        "javascript:void(0)": ("skipped", "skipped"),
    }
    assert links["../outside.html"]["status"] == "leaves the site: '../' climbs above the site root"
    assert links["file:///etc/hosts"]["status"].startswith("file: URL points into the reader's own disk")
    assert links["mailto:no-at-sign"]["status"] == "invalid address 'no-at-sign': An email address must have an @-sign."
    assert links["tel:+15551234"]["status"] == "telephone number"
    assert links["/absent/"]["advice"] == "missing: absent/index.html"
    summary = links["/about"]["summary"]
    assert (summary["links"], summary["mail"], summary["internal"], summary["unusable"]) == (9, 2, 3, 2)
    assert (summary["ok"], summary["broken"], summary["skipped"]) == (2, 5, 2)
    out = capsys.readouterr().out
    assert "Checked 9 links in " in out and "(0 external, 2 mail, 3 internal, 2 unusable; 0 from cache)" in out
    assert (
        f"SKIPPED tel:+15551234\n        status: telephone number\n        from: {site.as_posix()}/index.html:9:1"
        in out
    )


@pytest.mark.parametrize(
    ("href", "ok"),
    [
        ("#top", True),  # always valid in HTML
        ("#TOP", True),  # matched ASCII case-insensitively
        ("#", True),
        ("page.html#", True),
        ("#tangent%3A-kustomize", True),  # id 'tangent:-kustomize', written percent-encoded
        ("#tangent:-kustomize", True),
        ("#%E2%9C%93-done", True),  # id '✓-done'
        ("#:~:text=compliance", True),  # a text fragment is a directive, not an id
        ("page.html#present:~:text=x", True),
        ("page.html#absent:~:text=x", False),
        ("#legacy", True),  # <a name="legacy">
        ("#nothing-here", False),
        ("page.html#Present", False),  # ids are case-sensitive
    ],
)
def test_fragments_follow_the_html_standard(href: str, ok: bool) -> None:
    anchors = {"tangent:-kustomize", "✓-done", "legacy", "present"}
    target = resolve(href, "page.html")
    assert target.category is Category.INTERNAL and target.path == "page.html"
    assert fragment_found(target.fragment or "", anchors) is ok


def test_fragments_end_to_end(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "index.html": '<h2 id="tangent:-kustomize">T</h2><a name="legacy"></a>\n'
            '<a href="#top">1</a><a href="#tangent%3A-kustomize">2</a><a href="#:~:text=T">3</a>'
            '<a href="#legacy">4</a><a href="#gone">5</a><a href="doc.pdf#page=2">6</a>',
            "doc.pdf": "",
        },
    )
    (site / "doc.pdf").write_bytes(b"%PDF-1.4\n")
    _, links, _ = check(site, tmp_path)
    assert {url: link["class"] for url, link in links.items()} == {
        "/index.html#top": "ok",
        "/index.html#tangent%3A-kustomize": "ok",
        "/index.html#:~:text=T": "ok",
        "/index.html#legacy": "ok",
        "/index.html#gone": "broken",
        "/doc.pdf#page=2": "ok",  # fragments of non-HTML files are the viewer's business
    }
    assert links["/index.html#gone"]["status"] == "no element with id 'gone' in index.html"


def test_links_in_custom_elements_and_other_followed_attributes_are_checked(http: HttpStandin, tmp_path: Path) -> None:
    http.clear_log()
    site = write_site(
        tmp_path,
        {
            "index.html": f'<x-card href="{http.url("/custom-href")}"></x-card>\n'
            f'<doc-viewer src="{http.url("/custom-src")}"></doc-viewer>\n'
            f'<video poster="{http.url("/poster")}"></video>\n'
            f'<picture><source srcset="{http.url("/small")} 1x, {http.url("/large")} 2x"></picture>\n'
            f'<svg><a xlink:href="{http.url("/svg-link")}"><text>t</text></a></svg>',
        },
    )
    _, links, _ = check(site, tmp_path)
    paths = ["/custom-href", "/custom-src", "/poster", "/small", "/large", "/svg-link"]
    assert sorted(links) == sorted(http.url(p) for p in paths)
    assert all(http.requests_for(path) == 1 for path in paths)


def test_a_failure_lists_every_page_and_yaml_line(http: HttpStandin, tmp_path: Path, capsys) -> None:
    bad, fine, upper = http.url("/missing"), http.url("/ok"), http.url("/OK")
    pages = {name: f'<p>x</p>\n<a href="{bad}">report</a>' for name in ("index.html", "a/index.html", "b/index.html")}
    pages["index.html"] += f'\n<a href="{fine}">same URL but for case</a><a href="{upper}">upper</a>'
    site = write_site(tmp_path, pages)
    yaml_sources = [LinkSource("data", "data/claims.yml", 12, "claims[0].url", 10)]
    yaml_sources.append(LinkSource("data", "data/claims.yml", 40, "claims[3].prose", 22))
    write_link_map(link_map_path(site), {bad: yaml_sources, "https://only-in-data.invalid/": yaml_sources[:1]})
    code, links, _ = check(site, tmp_path)
    out = capsys.readouterr().out
    assert code == 1
    expected = (
        f"BROKEN  {bad}\n        status: 404 Not Found\n"
        "        from: data/claims.yml:12:10 claims[0].url\n"
        "        from: data/claims.yml:40:22 claims[3].prose\n"
        f"        from: {site.as_posix()}/a/index.html:4:10\n"
        f"        from: {site.as_posix()}/b/index.html:4:10\n"
        f"        from: {site.as_posix()}/index.html:4:10\n"
    )
    assert expected in out
    # URLs differing only in case are two links: /ok answers, /OK does not.
    assert (links[fine]["class"], links[upper]["class"]) == ("ok", "broken")
    # A URL only the data holds is still checked, and traced to its YAML line.
    assert links["https://only-in-data.invalid/"]["sources"][0]["text"] == "data/claims.yml:12:10 claims[0].url"


def test_link_map_records_mailto_links_of_pages_and_theme(tmp_path: Path) -> None:
    builder = LinkMapBuilder({"mailto:data@example.com": [LinkSource("data", "data/c.yml", 3, "c.url", 9)]})
    builder.add_page("docs/index.md", '<a href="mailto:page@example.com">p</a><a href="mailto:data@example.com">d</a>')
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="mailto:page@example.com"></a><a href="mailto:theme@example.com"></a>')
    assert builder.finish(site) == {
        "mailto:data@example.com": [LinkSource("data", "data/c.yml", 3, "c.url", 9)],
        "mailto:page@example.com": [LinkSource("page", "docs/index.md")],
        "mailto:theme@example.com": [LinkSource("theme")],
    }


def test_root_relative_links_resolve_under_the_site_url_path(tmp_path: Path) -> None:
    """With site_url https://trust.example/docs/, MkDocs writes /docs/... links (on 404.html, say)."""
    site = write_site(
        tmp_path,
        {
            "404.html": '<a href="/docs/">home</a><a href="/docs/guide/#present">guide</a>'
            '<a href="/docs/assets/gone.css">gone</a><a href="/elsewhere/">outside</a>',
            "index.html": "<p>home</p>",
            "guide/index.html": '<h2 id="present">x</h2>',
        },
    )
    locations = "".join(f"<url><loc>https://trust.example/docs/{p}</loc></url>" for p in ("", "guide/"))
    (site / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locations}</urlset>'
    )
    _, links, _ = check(site, tmp_path)
    assert verdicts(links) == {
        "/": ("internal", "ok"),
        "/guide/#present": ("internal", "ok"),
        "/assets/gone.css": ("internal", "broken"),
        "/elsewhere/": ("broken", "broken"),
    }
    assert links["/elsewhere/"]["status"] == "outside the site, which is served under /docs/"
