"""Check every link of a site: remap, cache, retry transient failures, look for https twins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .cache import LinkCache
from .classify import Judge, LinkClass, Verdict
from .failures import VERDICTS, FailureKind
from .linkchecker import LinkCheckerSession
from .linkmap import LinkMap, LinkSource
from .patterns import UrlPattern
from .settings import CheckSettings, Progress, RetryPolicy
from .targets import Category

if TYPE_CHECKING:
    from .schedule import CheckRun, SchemeCheckers

Remap = tuple[UrlPattern, str]


@dataclass(frozen=True)
class CheckOptions:
    """Everything that decides how links are checked."""

    settings: CheckSettings = field(default_factory=CheckSettings)
    remaps: tuple[Remap, ...] = ()
    retries: int = 3
    retry_base: float = 1.0
    retry_cap: float = 60.0
    https_twins: bool = True
    mail_dns: bool = False
    exclude: tuple[UrlPattern, ...] = ()  # --exclude and the ignore file
    include: tuple[UrlPattern, ...] = ()  # --include: checked even when excluded

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(self.retries, self.retry_base, self.retry_cap)

    def excluded(self, url: str) -> str | None:
        """Why `url` is not checked (as lychee decides: an include wins, then any exclude), or None."""
        if any(pattern.search(url) for pattern in self.include):
            return None
        matched = next((pattern for pattern in self.exclude if pattern.search(url)), None)
        if matched is not None:
            return f"excluded by {matched.pattern!r}"
        return "not matched by any --include" if self.include else None


@dataclass
class LinkOutcome:
    """The final word on one link target of the site, with every place it is written."""

    url: str
    checked_url: str
    verdict: Verdict
    final_url: str
    sources: list[LinkSource]
    attempts: int = 0
    cached: bool = False
    category: Category = Category.EXTERNAL
    waits: list[float] = field(default_factory=list)  # the delay before each retry
    failure: FailureKind | None = None  # why the last check ended without a status, if it did


def remap(url: str, remaps: tuple[Remap, ...]) -> str:
    """Apply each `(pattern, replacement)` in turn to the matched part of the URL."""
    for pattern, replacement in remaps:
        url = pattern.sub(replacement, url, count=1)
    return url


def check_external(
    links: LinkMap,
    options: CheckOptions,
    cache: LinkCache,
    progress: Progress | None = None,
) -> list[LinkOutcome]:
    """Check every http, https and ftp URL of `links` (cache first), each retried on its own clock."""
    return ExternalChecks(options, cache, progress).outcomes(links)


class ExternalChecks:
    """The http, https and ftp checks of one run, started while the site's pages are still being read.

    `start` takes URLs as they are found; `outcomes` starts whatever was not started yet, waits
    for every check and gives one outcome per URL of its link map. Cached URLs are never requested.
    """

    def __init__(self, options: CheckOptions, cache: LinkCache, progress: Progress | None = None) -> None:
        self.options, self.cache, self.progress = options, cache, progress
        self._run: CheckRun | None = None
        self._checkers: SchemeCheckers | None = None

    def start(self, urls: Iterable[str]) -> None:
        """Start checking the URLs (as written: remaps apply here) that the cache cannot answer.

        Call it often, with no URLs if there are none: the checks under way run only meanwhile.
        """
        wanted = (remap(u, self.options.remaps) for u in urls if not self.options.excluded(u))
        pending = [checked for checked in wanted if not self.cache.get(checked)]
        if pending:
            self._open().start(pending)
        elif self._run is not None:
            self._run.start()  # nothing new: the checks under way still read their answers

    def outcomes(self, links: LinkMap) -> list[LinkOutcome]:
        """One outcome per URL of `links`, sorted by URL; successes go into the cache."""
        options = self.options
        outcomes = [
            LinkOutcome(url, remap(url, options.remaps), Verdict(LinkClass.OK, ""), url, s) for url, s in links.items()
        ]
        pending: list[str] = []
        for outcome in outcomes:
            hit = self.cache.get(outcome.checked_url)
            if hit:
                outcome.verdict, outcome.final_url, outcome.cached = hit[0], hit[1], True
            else:
                pending.append(outcome.checked_url)
        settings = options.settings
        if pending:
            run = self._open()
            run.start(pending)
            results = run.results()
            for outcome in (o for o in outcomes if not o.cached):
                done = results[outcome.checked_url]
                outcome.verdict, outcome.final_url = _give_up(done.verdict, done.count, settings), done.raw.final_url
                outcome.attempts, outcome.waits, outcome.failure = done.count, done.waits, done.raw.failure
                if done.verdict.rate_limited and done.verdict.kind is LinkClass.TRANSIENT:
                    outcome.failure = FailureKind.RATE_LIMITED
            if options.https_twins and self._checkers:
                _warn_about_https_twins([o for o in outcomes if not o.cached], options, self._checkers)
        self.close()
        for outcome in (o for o in outcomes if not o.cached):
            if outcome.failure is FailureKind.RATE_LIMITED:  # never known to work: asked again next run
                self.cache.forget(outcome.checked_url)
            else:
                self.cache.put(outcome.checked_url, outcome.verdict, outcome.final_url)
        return sorted(outcomes, key=lambda o: o.url)

    def close(self) -> None:
        """Stop any check still under way (the caller failed or was interrupted)."""
        if self._run is not None:
            self._run.close()

    def _open(self) -> CheckRun:
        if self._run is None:
            # Imported here: the network machinery (asyncio, aiohttp) is only loaded when something must be requested.
            from .schedule import CheckRun, SchemeCheckers

            settings = self.options.settings
            self._checkers = SchemeCheckers(settings)
            judge, policy = Judge(settings.accept), self.options.policy
            self._run = CheckRun(self._checkers.check, judge, settings, policy, self.progress, self._checkers.close)
        return self._run


def check_mail(links: LinkMap, options: CheckOptions) -> list[LinkOutcome]:
    """mailto: URLs: each address by email-validator; with `mail_dns`, LinkChecker asks DNS for MX records too."""
    if not links:
        return []
    from .mail import mailto_problem

    session = LinkCheckerSession(options.settings.timeout) if options.mail_dns else None
    outcomes = []
    for url, sources in sorted(links.items()):
        problem = mailto_problem(url)
        valid, warnings = problem is None, list[str]()
        if valid and session is not None:
            from .mail import ascii_mailto

            valid, problem, warnings = session.check_mail(ascii_mailto(url), True)
        if not valid:
            verdict = Verdict(LinkClass.BROKEN, problem or "invalid mail address")
        elif warnings:
            verdict = Verdict(LinkClass.WARNING, warnings[0])
        else:
            verdict = Verdict(LinkClass.OK, "mail server found" if options.mail_dns else "valid address")
        outcomes.append(LinkOutcome(url, url, verdict, url, sources, 1, category=Category.MAIL))
    return outcomes


def _give_up(verdict: Verdict, attempts: int, settings: CheckSettings) -> Verdict:
    if verdict.kind is not LinkClass.TRANSIENT:
        return verdict
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    if verdict.rate_limited:
        # Not a dead link: the host kept refusing (429) after backing off as long as the budget allowed.
        kind, words = VERDICTS[FailureKind.RATE_LIMITED]
        advice = f"{verdict.status} after {tries}, the host backed off each time; {verdict.advice}"
        if not attempts:
            advice = f"not requested: the host had answered {verdict.status} round after round; {verdict.advice}"
        return replace(verdict, kind=settings.rate_limited or kind, status=words, advice=advice.rstrip("; "))
    return replace(verdict, kind=LinkClass.BROKEN, advice=f"still failing after {tries}; {verdict.advice}".rstrip("; "))


def has_https_twin(url: str) -> bool:
    """Only an http:// URL on the default port can be expected to have an https:// twin."""
    try:
        parts = urlsplit(url)
        return url[:7].lower() == "http://" and parts.port in (None, 80)
    except ValueError:
        return False


def _warn_about_https_twins(outcomes: list[LinkOutcome], options: CheckOptions, checkers: SchemeCheckers) -> None:
    """An http:// link that also works as https:// should say so: readers deserve TLS."""
    twins = {
        o.url: remap("https://" + o.url[len("http://") :], options.remaps)
        for o in outcomes
        if has_https_twin(o.url) and o.verdict.kind is LinkClass.OK
    }
    if not twins:
        return
    from .schedule import run_checks  # loaded already: twins are only looked for after checking

    # One attempt each: a twin that is merely slow is no reason to warn.
    judge = Judge(options.settings.accept)
    results = run_checks(
        twins.values(), checkers.check, judge, options.settings, RetryPolicy(retries=0), closing=checkers.close
    )
    for outcome in outcomes:
        twin = twins.get(outcome.url)
        done = results.get(twin) if twin else None
        # A twin that redirects back to http:// is no https at all.
        if done and done.verdict.kind is LinkClass.OK and done.raw.final_url.lower().startswith("https://"):
            https_url = "https://" + outcome.url[len("http://") :]
            outcome.verdict = Verdict(LinkClass.WARNING, "https available", f"use {https_url}")
