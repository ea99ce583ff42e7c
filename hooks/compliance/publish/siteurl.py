"""The site's own address on its way to production: where it comes from, what a build without one
leaves out, and the check that refuses to publish a site built under a placeholder.

`site_url` is written in the data (`guide.site_url`, which wins) or in mkdocs.yml. A deployment can
pass the address its host assigns (GitHub Pages' `base_url`) as COMPLIANCE_SITE_URL: it is used when
mkdocs.yml has no address or only a placeholder one (a reserved domain such as the shipped
`trust.example.com`), so a fork publishes at its own address with nothing edited.

`python -m compliance.publish.siteurl --site DIR` (`make check-publish`) reads the built home page's
canonical link, which every address the site prints is made from, and exits 1 naming the address when
there is none or it is a placeholder.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

from ..configfile import CONFIG_HELP, site_folder
from ..errors import ComplianceError
from ..urlrule import placeholder_domain, site_url_problem

OVERRIDE = "COMPLIANCE_SITE_URL"
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
NO_SITE_URL = (
    "No site_url: pages have no canonical link and no sitemap is published; "
    "set site_url in mkdocs.yml or guide.site_url in the data (handbook/publishing.md)"
)
HOW_TO_SET = (
    "set site_url in mkdocs.yml or guide.site_url in the data to the site's real address (handbook/publishing.md)"
)


def resolved_site_url(config_site_url: str | None, override: str | None) -> str | None:
    """mkdocs.yml's address, or the deployment's `override` where mkdocs.yml has none or a placeholder.

    ValueError, naming the variable, when the override could not be the site's address.
    """
    if not override:
        return config_site_url
    problem = site_url_problem(override)
    if problem:
        raise ValueError(f"environment variable {OVERRIDE}: {problem}")
    if config_site_url and not placeholder_domain(config_site_url):
        return config_site_url
    return override


def leave_out_sitemap(site_dir: Path) -> None:
    """Remove the sitemap MkDocs writes without an address: it would list relative paths, which no crawler reads."""
    for name in SITEMAPS:
        (site_dir / name).unlink(missing_ok=True)


def publish_problem(site_dir: Path) -> str | None:
    """Why the site in `site_dir` must not be published, in one line naming the file and the address; None if it may."""
    home = site_dir / "index.html"
    try:
        text = home.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"{home}: cannot read the built home page ({why}); build the site first (make site)"
    finder = _CanonicalLink()
    finder.feed(text)
    address = finder.href
    if address is None:
        return f"{home}: no canonical link, so the site was built without site_url: {HOW_TO_SET}"
    reserved = placeholder_domain(address)
    if reserved:
        from ..links.escaping import one_line  # here: every build imports this module, only the check uses it

        return (
            f"{home}: the site's address {one_line(address)!r} is a placeholder (under {reserved}, reserved by "
            f"RFC 2606 and RFC 6761), which every canonical link, the sitemap and the PDF would carry: {HOW_TO_SET}"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the built site may be published, else 1 with one line saying why."""
    import argparse  # here: every build imports this module, and only the command parses arguments

    parser = argparse.ArgumentParser(prog="make check-publish", description=__doc__ and __doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="the built site (default: the configuration's site_dir)")
    parser.add_argument("-f", "--config-file", type=Path, help=CONFIG_HELP)
    args = parser.parse_args(argv)
    try:
        site: Path = args.site or site_folder(args.config_file)
    except ComplianceError as error:
        print(error, file=sys.stderr)
        return 2
    problem = publish_problem(site)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"{site}: ready to publish", file=sys.stderr)
    return 0


class _CanonicalLink(HTMLParser):
    """The href of the first `<link rel="canonical">` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.href is None and tag == "link" and (values.get("rel") or "").lower() == "canonical":
            self.href = values.get("href") or None


if __name__ == "__main__":
    sys.exit(main())
