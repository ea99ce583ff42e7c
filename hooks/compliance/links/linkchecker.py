"""Every use of LinkChecker in the project, in one place.

LinkChecker stays the engine for what it does well: checking ftp:// and mail addresses, and it
is the reference for finding links in HTML: compliance/links/extract.py follows its LinkFinder
and link tables, and tests/test_links_contract.py compares the two on generated elements. The
package itself is imported only when an ftp:// or mailto: link must be checked: its import
costs about 0.05 s of CPU, a tenth of checking 500 links. Nothing here starts its thread
director: checks run in our own scheduler, one URL at a time, so neither its per-host sleep
under a global lock nor its shutdown join can stall a run. tests/test_links_contract.py fails
loudly if an upgrade changes anything used here; the version is pinned exactly in
requirements.in for the same reason.
"""

from __future__ import annotations

import logging
from typing import Any

from .extract import FoundLink, ParsedPage, parse_page

PINNED_VERSION = "10.6.0"
__all__ = ["PINNED_VERSION", "FoundLink", "LinkCheckerSession", "ParsedPage", "installed_version", "parse_page"]


class LinkCheckerSession:
    """LinkChecker's per-URL checkers for ftp:// and mailto:, without its thread director."""

    def __init__(self, timeout: float) -> None:
        # Imported here, not above: the checkers pull in DNS and the requests stack (about 0.4 s
        # at start-up), which a site without ftp:// or mailto: links never needs.
        from linkcheck import checker, configuration, director

        self._get_url_from = checker.get_url_from
        logging.getLogger("linkcheck").setLevel(logging.CRITICAL)
        config = configuration.Configuration()
        config["timeout"] = timeout
        config["robotstxt"] = False
        config["checkextern"] = True
        config["recursionlevel"] = 0
        # No config.sanitize(): it sets the process-wide default socket timeout, and it
        # only prepares loggers and plugins, which checking single URLs does not use.
        self._aggregate = director.get_aggregate(config)

    def check_ftp(self, url: str) -> tuple[bool, str]:
        """(valid, LinkChecker's result text) for one ftp:// URL; it logs in, walks and lists."""
        url_data = self._url_data(url)
        if not url_data.has_result:
            try:
                url_data.check()
            finally:
                url_data.close_connection()
        return bool(url_data.valid), str(url_data.result or "")

    def check_mail(self, url: str, dns: bool) -> tuple[bool, str, list[str]]:
        """(valid, problem, warnings) for a mailto: URL: its syntax, and with `dns` its MX records."""
        url_data = self._url_data(url)
        if dns and not url_data.has_result:
            url_data.check()
        warnings = [str(message) for _tag, message in url_data.warnings or []]
        return bool(url_data.valid), str(url_data.result or ""), warnings

    def _url_data(self, url: str) -> Any:
        return self._get_url_from(url, 0, self._aggregate, extern=(0, 0))


def installed_version() -> str:
    """The LinkChecker version actually imported."""
    from linkcheck import configuration

    return str(configuration.Version)
