"""Check a site's external links: remap, cache, retry transient failures, look for https twins."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .cache import LinkCache
from .classify import LinkClass, Verdict, classify
from .linkmap import LinkMap, LinkSource
from .runner import CheckSettings, check_urls

Remap = tuple[re.Pattern[str], str]


@dataclass(frozen=True)
class CheckOptions:
    """Everything that decides how links are checked."""

    settings: CheckSettings = field(default_factory=CheckSettings)
    remaps: tuple[Remap, ...] = ()
    retries: int = 3
    retry_base: float = 1.0
    retry_cap: float = 60.0
    https_twins: bool = True


@dataclass
class LinkOutcome:
    """The final word on one URL of the site."""

    url: str
    checked_url: str
    verdict: Verdict
    final_url: str
    sources: list[LinkSource]
    attempts: int = 0
    cached: bool = False


def remap(url: str, remaps: tuple[Remap, ...]) -> str:
    """Apply each `(pattern, replacement)` in turn to the matched part of the URL."""
    for pattern, replacement in remaps:
        url = pattern.sub(replacement, url, count=1)
    return url


def check_external(
    links: LinkMap,
    options: CheckOptions,
    cache: LinkCache,
    progress: Callable[[int, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[LinkOutcome]:
    """Check every URL of `links` (cache first), retrying transient failures with backoff."""
    outcomes = {
        url: LinkOutcome(url, remap(url, options.remaps), Verdict(LinkClass.OK, ""), url, s) for url, s in links.items()
    }
    pending: set[str] = set()
    for outcome in outcomes.values():
        hit = cache.get(outcome.checked_url)
        if hit:
            outcome.verdict, outcome.final_url, outcome.cached = hit[0], hit[1], True
        else:
            pending.add(outcome.checked_url)
    results: dict[str, tuple[Verdict, str, int]] = {}
    total, done = len(pending), 0
    for attempt in range(1, options.retries + 2):
        if not pending:
            break
        batch = sorted(pending)
        raw = check_urls(batch, options.settings, _offset(progress, done, total))
        pending, waits = set(), []
        for url in batch:
            verdict = classify(raw[url])
            results[url] = (verdict, raw[url].final_url, attempt)
            if verdict.kind is LinkClass.TRANSIENT and attempt <= options.retries:
                pending.add(url)
                waits.append(max(options.retry_base * 2 ** (attempt - 1), verdict.retry_after or 0.0))
        done = total - len(pending)
        if pending:
            sleep(min(options.retry_cap, max(waits)))
    for outcome in outcomes.values():
        if outcome.checked_url in results:
            verdict, outcome.final_url, outcome.attempts = results[outcome.checked_url]
            outcome.verdict = _give_up(verdict, outcome.attempts)
    if options.https_twins:
        _warn_about_https_twins([o for o in outcomes.values() if not o.cached], options)
    for outcome in outcomes.values():
        if not outcome.cached:
            cache.put(outcome.checked_url, outcome.verdict, outcome.final_url)
    return sorted(outcomes.values(), key=lambda o: o.url)


def _give_up(verdict: Verdict, attempts: int) -> Verdict:
    if verdict.kind is not LinkClass.TRANSIENT:
        return verdict
    tries = f"still failing after {attempts} attempt{'s' if attempts != 1 else ''}"
    return replace(verdict, kind=LinkClass.BROKEN, advice=f"{tries}; {verdict.advice}".rstrip("; "))


def _warn_about_https_twins(outcomes: list[LinkOutcome], options: CheckOptions) -> None:
    """An http:// link that also works as https:// should say so: readers deserve TLS."""
    twins = {
        o.url: remap("https://" + o.url[len("http://") :], options.remaps)
        for o in outcomes
        if o.url.lower().startswith("http://") and o.verdict.kind is LinkClass.OK
    }
    if not twins:
        return
    raw = check_urls(sorted(set(twins.values())), replace(options.settings, timeout=min(options.settings.timeout, 10)))
    for outcome in outcomes:
        twin = twins.get(outcome.url)
        # A twin that redirects back to http:// is no https at all.
        if twin and classify(raw[twin]).kind is LinkClass.OK and raw[twin].final_url.lower().startswith("https://"):
            https_url = "https://" + outcome.url[len("http://") :]
            outcome.verdict = Verdict(LinkClass.WARNING, "https available", f"use {https_url}")


def _offset(progress: Callable[[int, int], None] | None, done: int, total: int) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda count: progress(min(total, done + count), total)
