"""What the link benchmark measured, and the Markdown it writes: workloads, measures, tables, targets.

`links_bench.py` runs the checkers; this module only holds the shapes of what they gave and turns
them into the "## Link checking" section of BENCHMARKS.md, with issue 16's targets judged for our
checker and, beside each, for the platform floor (bench/aiohttp_floor.py).
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sections import machine as describe_machine

POLITE = (10, 0.05)  # requests in flight per host, seconds between request starts to one host: lychee's defaults
OURS, OURS_POLITE = "ours (defaults)", "ours (equal politeness)"
FLOOR = "bare aiohttp script (platform floor, equal politeness)"


@dataclass(frozen=True)
class Workload:
    """`urls` links spread round-robin over one stand-in per host, every `broken_every`-th one a 404."""

    title: str
    hosts: int
    urls: int
    delay: float
    broken_every: int = 0
    https: bool = False
    per_host: int = POLITE[0]  # equal politeness: requests in flight per host for every tool
    latency: bool = False  # a latency-dominated workload, judged against its floor (issue 25)
    limit: int | None = None  # the host answers 429 beyond this many requests in flight (issue 25)

    def floor(self, per_host: int, interval: float) -> float:
        """The least wall time any checker needs: each host's URLs, per_host at a time, starts `interval` apart."""
        each = -(-self.urls // self.hosts)
        return max(-(-each // per_host) * self.delay, (each - 1) * interval + self.delay)

    def expected_broken(self) -> int:
        return len(range(0, self.urls, self.broken_every)) if self.broken_every else 0


@dataclass(frozen=True)
class Measure:
    """One run of one checker."""

    wall: float
    cpu: float
    peak_per_host: int
    broken: int | None
    load: float = float("nan")  # the 1-minute load average when the run started
    warnings: int | None = None  # links ours reported as warnings (rate limited), where counted
    refused: int = 0  # requests the stand-ins answered 429 for being over their limit


@dataclass
class Result:
    """Every measure of one workload, by checker name; the warm re-runs of ours for the cache table."""

    workload: Workload
    measures: dict[str, list[Measure]]
    warm: list[Measure]


@dataclass(frozen=True)
class Startup:
    """Fixed costs. Ours on a site with no link (the HTTP client is then never made), and per scheme the
    wall time of a site with one link to a stand-in minus that link's latency: start-up with the client
    made ready (aiohttp imported, its session and TLS context made), one connection, the report. And
    the platform's: an interpreter that only imports aiohttp, wall and CPU."""

    empty: float
    http: float
    https: float
    import_wall: float
    import_cpu: float

    def of(self, workload: Workload) -> float:
        return self.https if workload.https else self.http


def median(measures: list[Measure], field: str) -> float:
    return float(statistics.median(getattr(m, field) for m in measures))


def render(results: list[Result], startup: Startup, runs: int, context: str) -> str:
    """The section's body; `context` names the machine, the tools' versions and the load."""
    delay = results[0].workload.delay * 1000
    lines = [
        f"Measured by `make bench` (bench/links_bench.py) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{context} (other work shares the machine: wall times move with it, CPU times much less; "
        "compare the ratios, which come from the same runs).",
        "",
        f"Every request is answered after {delay:.0f} ms by the loopback stand-ins of "
        "tests/standins (one server per host, which also counts the requests it is answering at once; https "
        "ones with a CA of their own, which every checker verifies against: lychee and ours are given it in "
        "SSL_CERT_FILE, and the *--ca-bundle* row gives it to ours on top of the system's public roots). Each "
        f"checker runs as its own process. Figures are medians of {runs} alternated runs; the peak is the highest "
        "of the runs. CPU is user + system time of the checker's process. *Equal politeness* is lychee's defaults "
        f"for every tool: at most {POLITE[0]} requests in flight per host, request starts to one host "
        f"{POLITE[1] * 1000:.0f} ms apart (ours: `--per-host 10 --host-rate 20`). The floor is the least time the "
        "workload allows at those settings (URLs per host x latency / per-host concurrency, or the intervals when "
        "they are longer).",
        "",
        "The *platform floor* row is bench/aiohttp_floor.py, run in the same alternation: a CPython program that "
        "imports aiohttp, finds the links with a regular expression and GETs each at equal politeness, with no "
        "cache, report, redirects or retries. What it cannot reach, no checker on CPython and aiohttp can. An "
        f"interpreter that only imports aiohttp takes {startup.import_wall:.2f} s wall and "
        f"{startup.import_cpu:.2f} s of CPU here.",
        "",
        "Our fixed start-up, used in the targets below, includes making the HTTP client ready: it is the wall time "
        f"of a site with one link to a stand-in, minus that link's {delay:.0f} ms, "
        f"{startup.http:.2f} s for an http link and {startup.https:.2f} s for an https one (interpreter, imports "
        "including aiohttp and the TLS contexts it builds, the session, one connection, the report). On a site "
        f"with no link, where the client is never made, a run takes {startup.empty:.2f} s; the targets are "
        "judged with that start-up too (the issue's own wording), on a second line.",
    ]
    checks: list[tuple[str, bool]] = []
    lines += [
        "",
        "The *load* column is the median of the 1-minute load average at the start of that checker's runs.",
    ]
    for result in results:
        table = limited_table if result.workload.limit is not None else workload_table
        lines += ["", *table(result, startup, checks)]
    warm = next((r for r in results if r.warm), None)
    if warm:
        cold = warm.measures[OURS]
        share = statistics.median(w.wall / c.wall for w, c in zip(warm.warm, cold, strict=False))
        lines += ["", "### Warm cache", "", "| workload | cold run (s) | warm re-run (s) | warm / cold |"]
        lines += ["| --- | ---: | ---: | ---: |"]
        lines.append(
            f"| {warm.workload.title} | {median(cold, 'wall'):.2f} | {median(warm.warm, 'wall'):.2f} "
            f"| {share * 100:.1f} % |"
        )
        checks.append((f"warm re-run at most 5 % of the cold one ({share * 100:.1f} %)", share <= 0.05))
    lines += [
        "",
        "Targets of issues 16 and 25 (CPU beside lychee is kept in the tables for the record, without a target):",
        "",
    ]
    lines += [f"- {text}: {'met' if ok else 'NOT met'}" for text, ok in checks]
    return "\n".join(lines)


def workload_table(result: Result, startup: Startup, checks: list[tuple[str, bool]]) -> list[str]:
    """The workload's heading, floor line and table; appends its targets to `checks`."""
    workload, measures = result.workload, result.measures
    broken = f"one in {workload.broken_every} broken" if workload.broken_every else "all working"
    free, polite = workload.floor(POLITE[0], 0.0), workload.floor(workload.per_host, POLITE[1])
    them = next((name for name in measures if name.startswith("lychee")), None)
    lines = [
        f"### {workload.title}, {broken}",
        "",
        f"Floor: {free:.2f} s at 10 per host without interval (our defaults), {polite:.2f} s at equal politeness"
        f" ({workload.per_host} per host, {POLITE[1] * 1000:.0f} ms apart).",
        "",
        f"| checker | wall (s) | CPU (s) | peak requests per host | broken found (of {workload.expected_broken()}) "
        "| wall / floor | wall / lychee | CPU / lychee | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in measures.items():
        floor = polite if "polite" in name or name.startswith("lychee") else free
        wall, cpu = median(runs, "wall"), median(runs, "cpu")
        found = ", ".join("?" if f is None else str(f) for f in sorted({m.broken for m in runs}, key=str))
        versus = [
            f"{value / median(measures[them], field):.2f}" if them else "-"
            for value, field in ((wall, "wall"), (cpu, "cpu"))
        ]
        peak = max(m.peak_per_host for m in runs)
        lines.append(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {peak} | {found} | {wall / floor:.2f} | {' | '.join(versus)} "
            f"| {median(runs, 'load'):.1f} |"
        )
    title, us = workload.title, median(measures[OURS_POLITE], "wall")
    bare = median(measures[FLOOR], "wall") if FLOOR in measures else None
    if workload.latency:  # issue 25: what a user waits for where latency dominates
        beside = f"; platform floor {bare:.2f} s" if bare else ""
        checks.append(
            (f"{title}: within 1.1 x its floor ({us:.2f} s, limit {1.1 * polite:.2f} s{beside})", us <= 1.1 * polite)
        )
    elif FLOOR in measures and bare:  # issue 25: within 1.2 x the bare aiohttp script's wall and CPU
        ours_cpu, bare_cpu = median(measures[OURS_POLITE], "cpu"), median(measures[FLOOR], "cpu")
        text = f"{title}: within 1.2 x the platform floor's wall ({us:.2f} s against {bare:.2f} s)"
        checks.append((text, us <= 1.2 * bare))
        text = f"{title}: within 1.2 x the platform floor's CPU ({ours_cpu:.2f} s against {bare_cpu:.2f} s)"
        checks.append((text, ours_cpu <= 1.2 * bare_cpu))
    if them:
        theirs = median(measures[them], "wall")
        beside = f"; platform floor {bare:.2f} s" if bare else ""
        text = f"{title}: equal politeness no slower than lychee ({us:.2f} s against {theirs:.2f} s{beside})"
        checks.append((text, us <= theirs))
    return lines


def limited_table(result: Result, startup: Startup, checks: list[tuple[str, bool]]) -> list[str]:
    """A host that answers 429 beyond `limit` requests in flight: every link works, none may be reported broken.

    The host's floor is what it allows: `limit` requests at a time, each answered after the delay.
    Ours runs at its defaults (10 per host), adapting to the refusals; the bare script is told the
    limit in advance (a checker cannot know it), so it sits at the host's floor without a refusal.
    """
    workload, measures = result.workload, result.measures
    limit = workload.limit or 1
    floor = workload.floor(limit, 0.0)
    lines = [
        f"### {workload.title}",
        "",
        f"The host answers 429 Too Many Requests (Retry-After: 1) to a request that arrives while {limit} are being "
        f"answered, and every link works. Its floor: {floor:.2f} s ({workload.urls:,} URLs, {limit} at a time, "
        f"{workload.delay * 1000:.0f} ms each). Ours runs at its defaults (10 per host, no interval); the bare "
        f"script is given the limit ({limit} per host), which no checker knows in advance. Lychee is left out: its "
        f"50 ms between request starts alone makes a run of {workload.urls * POLITE[1]:.0f} s here.",
        "",
        "| checker | wall (s) | CPU (s) | peak requests on the host | refused (429) | broken | rate limited "
        "| wall / host's floor | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in measures.items():
        wall, cpu = median(runs, "wall"), median(runs, "cpu")
        broken = ", ".join("?" if f is None else str(f) for f in sorted({m.broken for m in runs}, key=str))
        warned = ", ".join("-" if f is None else str(f) for f in sorted({m.warnings for m in runs}, key=str))
        refused = max(m.refused for m in runs)
        peak = max(m.peak_per_host for m in runs)
        lines.append(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {peak} | {refused} | {broken} | {warned} | {wall / floor:.2f} "
            f"| {median(runs, 'load'):.1f} |"
        )
    ours = measures[OURS]
    wrong = max((m.broken or 0) + (m.warnings or 0) for m in ours)
    checks.append((f"{workload.title}: 0 working links reported broken or rate limited ({wrong})", wrong == 0))
    wall = median(ours, "wall")
    text = f"{workload.title}: within 1.5 x the host's floor ({wall:.2f} s, limit {1.5 * floor:.2f} s)"
    checks.append((text, wall <= 1.5 * floor))
    return lines


def machine(lychee: Path) -> str:
    """The machine and the versions measured, for the section's first line."""
    versions = [f"Python {platform.python_version()}", f"LinkChecker {metadata.version('LinkChecker')}"]
    if lychee.exists():
        versions.append(subprocess.run([str(lychee), "--version"], capture_output=True, text=True).stdout.strip())
    return describe_machine(versions)
