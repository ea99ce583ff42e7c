"""One rule for every URL the site prints, whatever its source: mkdocs.yml's site_url, the environment
variable its !ENV reads, the data. Builds of a copy of the project whose data has updates (a feed) and
security.txt, so every place the address reaches would be written if the rule let it through.

The data's own cases (guide.site_url, subprocessors, prose links, image paths) are in tests/corpus/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.urlrule import placeholder_domain, site_url_problem, url_problem
from conftest import copy_project, run_mkdocs

EXAMPLE_DATA = "examples/harborledger/data"
SHIPPED_SITE_URL = "site_url: https://trust.example.com/security/\n"
QUOTE = (
    "expected a URL whose scheme is https or http without quotes, '<', '>', white space or control characters, "
    "got U+0022 (QUOTATION MARK) at character {at}; HTML and security.txt would have to escape it: "
    "percent-encode it as %22"
)


def _project(tmp_path: Path, site_url_line: str) -> Path:
    """A copy of the project that builds the example organisation (updates, security.txt) from mkdocs.yml."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert SHIPPED_SITE_URL in text
    text = text.replace(SHIPPED_SITE_URL, site_url_line).replace("data_dir: data ", f"data_dir: {EXAMPLE_DATA} ")
    config.write_text(text, encoding="utf-8")
    return project


def _line_of(path: Path, start: str) -> int:
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(start))


def _errors(stderr: str) -> list[str]:
    return [line.removeprefix("ERROR   -  ") for line in stderr.splitlines() if line.startswith("ERROR")]


def _published_files(project: Path) -> list[Path]:
    return [p for folder in project.glob("*site*") if folder.is_dir() for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("'https://trust.acme.org/\"><script>alert(1)</script>'", QUOTE.format(at=24)),
        (
            "javascript://trust.acme.org/%0Aalert(1)",
            "expected a URL whose scheme is https or http, got text 'javascript://trust.acme.org/%0Aalert(1)/'",
        ),
        (
            "https://trust.acme.org/?from=feed",
            "expected a URL whose scheme is https or http without a query ('?...') or fragment ('#...'), got text "
            "'https://trust.acme.org/?from=feed'; every page's address and security.txt's Canonical are made from it",
        ),
        (
            "https://trust.\u0430cme.org/",
            "expected a URL whose scheme is https or http with its host written in one script, got '\u0430cme' in "
            "'https://trust.\u0430cme.org/', mixing Latin with Cyrillic: '\u0430' (U+0430 CYRILLIC SMALL LETTER A) "
            "at character 15; a letter that only looks Latin leads readers to another host. Retype it, or if the "
            "name is meant so, write its punycode form: 'https://trust.xn--cme-5cd.org/'",
        ),
    ],
    ids=["markup", "javascript", "query", "mixed-script"],
)
def test_a_site_url_in_mkdocs_yml_the_site_could_not_print_is_refused_at_its_line(
    tmp_path: Path, written: str, message: str
) -> None:
    project = _project(tmp_path, f"site_url: {written}\n")
    result = run_mkdocs(project)
    line = _line_of(project / "mkdocs.yml", "site_url:")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _errors(result.stderr) == [f"mkdocs.yml:{line}:11: site_url: {message}"]
    # Nothing was published: no page, feed or security.txt holds what was written.
    assert _published_files(project) == []


def test_a_site_url_from_the_environment_is_refused_at_the_line_that_reads_it(tmp_path: Path) -> None:
    project = _project(tmp_path, 'site_url: !ENV [TRUST_SITE_URL, "https://trust.acme.org/"]\n')
    hostile = 'https://trust.acme.org/"><script>alert(1)</script>'
    result = run_mkdocs(project, env={"TRUST_SITE_URL": hostile})
    line = _line_of(project / "mkdocs.yml", "site_url:")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _errors(result.stderr) == [
        f"mkdocs.yml:{line}:11: site_url: {QUOTE.format(at=24)} (read from the environment by !ENV)"
    ]
    assert _published_files(project) == []
    # The same line with a good address builds.
    assert run_mkdocs(project, env={"TRUST_SITE_URL": "https://trust.acme.org/"}).returncode == 0


def test_an_inherited_site_url_is_refused_in_the_file_that_writes_it(tmp_path: Path) -> None:
    project = _project(tmp_path, "site_url: 'https://trust.acme.org/\"onmouseover=\"alert(1)'\n")
    example = project / "mkdocs.example.yml"
    example.write_text(re.sub(r"^site_url:.*\n", "", example.read_text(encoding="utf-8"), flags=re.MULTILINE))
    result = run_mkdocs(project, config="mkdocs.example.yml")
    line = _line_of(project / "mkdocs.yml", "site_url:")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _errors(result.stderr) == [f"mkdocs.yml:{line}:11: site_url: {QUOTE.format(at=24)}"]
    assert _published_files(project) == []


def test_the_shipped_placeholder_address_builds_without_security_txt_and_says_so_once(tmp_path: Path) -> None:
    project = _project(tmp_path, SHIPPED_SITE_URL)
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "security.txt" in line]
    assert said == [
        "INFO    -  No security.txt: site_url 'https://trust.example.com/security/' is a placeholder address "
        "(under example.com, reserved by RFC 2606 and RFC 6761); set the site's real address to publish one"
    ]
    assert not (project / "site/.well-known").exists()
    assert (project / "site/feed.xml").is_file()  # the feed needs absolute links only


def test_an_http_address_publishes_no_security_txt(tmp_path: Path) -> None:
    project = _project(tmp_path, "site_url: http://trust.acme.org/\n")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert (
        "No security.txt: site_url 'http://trust.acme.org/' is not https, and RFC 9116 serves it over https only"
    ) in result.stderr
    assert not (project / "site/.well-known").exists()


def test_a_real_https_address_publishes_security_txt_with_a_plain_canonical_and_an_escaped_feed_link(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, "site_url: https://trust.acme.org/security/\n")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    security = (project / "site/.well-known/security.txt").read_text(encoding="utf-8")
    assert "Canonical: https://trust.acme.org/security/.well-known/security.txt\n" in security
    head = (project / "site/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in head
    assert "<id>https://trust.acme.org/security/updates/</id>" in (project / "site/feed.xml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://trust.example.com/security/", "example.com"),
        ("https://example.org", "example.org"),
        ("https://a.b.example.net./", "example.net"),
        ("https://trust.harborledger.example/", ".example"),
        ("https://localhost:8000/", "localhost"),
        ("https://docs.localhost/", "localhost"),
        ("https://notexample.com/", None),
        ("https://example.com.acme.org/", None),
        ("https://trust.acme.org/", None),
    ],
)
def test_placeholder_domains(url: str, domain: str | None) -> None:
    assert placeholder_domain(url) == domain


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--pyflow-3nf.example/",  # the punycode form, written on purpose
        "https://\u043f\u0440\u0438\u043c\u0435\u0440.example/",  # one script per label: Cyrillic, then Latin
        "https://\u65e5\u672c\u8a9e\u3068go.jp/",  # Latin with Han and Hiragana, as Japanese names are written
        "mailto:security@example.com?subject=Report%20a%20flaw",
        "ftp://files.example.com/a%0Ab",  # an encoded line break harms only a mailto: header
    ],
)
def test_urls_the_rule_accepts(url: str) -> None:
    assert url_problem(url, "a URL") is None


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("https://p\u0430yflow.example/", "U+0430 CYRILLIC SMALL LETTER A"),
        ("https://\u03bfpenai.example/", "U+03BF GREEK SMALL LETTER OMICRON"),
        ("mailto:security@p\u0430yflow.example", "U+0430 CYRILLIC SMALL LETTER A"),
    ],
)
def test_a_host_mixing_scripts_is_named_with_its_punycode(url: str, names: str) -> None:
    message = url_problem(url, "a URL")
    assert message is not None and names in message and "xn--" in message


@pytest.mark.parametrize(
    "url",
    ["https://a.org/x y", "https://a.org/\u00a0", "https://a.org/`", "https://a.org/<", "https://a.org/\t"],
)
def test_characters_a_sink_would_escape_are_refused(url: str) -> None:
    message = url_problem(url, "a URL")
    assert message is not None and "percent-encode it as %" in message


def test_the_site_address_refuses_credentials_and_an_empty_query() -> None:
    assert "user name or password" in (site_url_problem("https://me:pw@trust.acme.org/") or "")
    assert "without a query" in (site_url_problem("https://trust.acme.org/?") or "")
    assert site_url_problem("https://trust.acme.org/security/") is None


def test_make_pdf_refuses_a_site_url_it_could_not_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compliance.pdf.guide import main as make_pdf

    assert make_pdf(["--site", str(tmp_path), "--site-url", 'https://trust.acme.org/"><b>']) == 1
    assert capsys.readouterr().err == f"error: --site-url: {QUOTE.format(at=24)}\n"
    assert list(tmp_path.iterdir()) == []
