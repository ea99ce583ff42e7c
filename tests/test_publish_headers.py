"""Security headers: the policy allows exactly the inline scripts a page holds, in every page and in `_headers`."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from compliance.publish.headers import (
    SiteHeaders,
    content_security_policy,
    inline_script_hashes,
    with_meta_policy,
)

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_only_scripts_a_browser_runs_inline_are_hashed() -> None:
    html = (
        '<script src="a.js"></script><script type="application/json" id="__config">{"a": 1}</script>'
        "<script>var a=1</script><SCRIPT type='module'>b()</SCRIPT><script type=text/javascript>c()</script>"
    )
    assert inline_script_hashes(html) == sorted([_sha("var a=1"), _sha("b()"), _sha("c()")])


def test_the_policy_has_no_unsafe_source_and_frame_ancestors_only_as_a_header() -> None:
    meta = content_security_policy({"'sha256-x'"}, header=False)
    header = content_security_policy({"'sha256-x'"}, header=True)
    assert "script-src 'self' 'sha256-x';" in meta
    assert "unsafe" not in header and "*" not in header and "http" not in header
    assert "frame-ancestors" not in meta and header.endswith("frame-ancestors 'none'")
    assert content_security_policy(set(), header=False).startswith("default-src 'none'; script-src 'self'; ")


def test_the_meta_policy_comes_first_after_the_charset() -> None:
    page = '<html><head><meta charset="utf-8"><script>x()</script></head><body></body></html>'
    secured = with_meta_policy(page)
    assert secured.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')
    assert secured.index("Content-Security-Policy") < secured.index("<script>")
    assert _sha("x()") in META.search(secured)[1]  # type: ignore[index]
    assert with_meta_policy("no head here") == "no head here"


def test_the_headers_file_lists_every_page_s_scripts() -> None:
    headers = SiteHeaders()
    headers.page("<head><script>a()</script></head>")
    headers.page("<head><script>b()</script></head>")
    text = headers.headers_text()
    policy = next(line for line in text.splitlines() if "Content-Security-Policy" in line)
    assert _sha("a()") in policy and _sha("b()") in policy
    assert (
        "\n/*\n" in text
        and "  X-Content-Type-Options: nosniff\n" in text
        and "  Referrer-Policy: no-referrer\n" in text
    )


def test_every_built_page_carries_a_policy_for_exactly_its_inline_scripts(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert (built_site / "404.html") in pages
    site_wide = (built_site / "_headers").read_text(encoding="utf-8")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = META.findall(html)
        assert len(policies) == 1, page
        scripts = inline_script_hashes(html)
        assert scripts, f"{page}: the theme's inline scripts were expected"
        allowed = re.search(r"script-src ([^;]*)", policies[0])[1].split()  # type: ignore[index]
        assert allowed == ["'self'", *scripts], page
        assert all(digest in site_wide for digest in scripts), page
