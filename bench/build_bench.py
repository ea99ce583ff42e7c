"""Build-cost benchmark: build overhead (P1), data scale (P2) and live preview (P5).

`make bench` runs it; only the "## Build cost" section of BENCHMARKS.md is rewritten.
- P1: the same pages built three ways (bench/variants.py) at 1x, 10x and 100x the guide's data;
  runs alternate between the variants (in a rotating order) and ratios are medians of the ratios
  of each round, so a machine that slows down mid-way slows every variant alike.
- P2: load and validate 1k, 10k and 100k synthetic claims, each in a fresh process.
- P5: under a real `mkdocs serve`, the time from saving a YAML edit to the new text being served.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import REPO, Serve, build, load, median
from sections import machine as describe_machine
from sections import replace_section
from synthetic import Shape, write_data, write_project
from variants import make_projects

START, END = "<!-- build-bench:start -->", "<!-- build-bench:end -->"
HEADING = "## Build cost"
VARIANTS = ("hooks", "static", "macros")


def p1(root: Path, factor: int, runs: int) -> dict[str, list[tuple[float, float]]]:
    """{variant: [(wall, cpu), ...]} for `runs` alternated rounds after one warm-up build each."""
    projects = make_projects(root / f"p1-{factor}x", Shape.scaled(factor))
    samples: dict[str, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
    for variant in VARIANTS:
        build(projects[variant], root / "site-warm")
    for round_ in range(runs):
        order = VARIANTS[round_ % 3 :] + VARIANTS[: round_ % 3]
        for variant in order:
            sample = build(projects[variant], root / f"site-{variant}")
            samples[variant].append((sample.wall, sample.cpu))
    return samples


def p5(project: Path, edits: int) -> list[float]:
    """Seconds from saving an edit of the organisation's name to the guide page serving it."""
    organisation = project / "data" / "organisation.yml"
    original = organisation.read_text(encoding="utf-8")
    line = next(line for line in original.splitlines() if line.startswith("  name: "))
    server = Serve(project / "mkdocs.yml")
    times = []
    try:
        server.wait_for("", line.removeprefix("  name: "))
        for i in range(edits):
            token = f"Edited{i}x{os.getpid()}"
            time.sleep(1.0)  # let the previous rebuild settle, as between an editor's saves
            organisation.write_text(original.replace(line, f"{line} {token}", 1), encoding="utf-8")
            times.append(server.wait_for("", token))
    finally:
        server.stop()
    return times


def _ratio_rows(samples: dict[str, list[tuple[float, float]]], index: int, peer: str) -> float:
    return median([ours[index] / theirs[index] for ours, theirs in zip(samples["hooks"], samples[peer], strict=True)])


def report(p1_results: dict[int, dict[str, list[tuple[float, float]]]], p2_results, p5_results, runs: int) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        "Regenerate with `make bench` (or `.venv/bin/python bench/build_bench.py`).",
        "",
        "### P1: build overhead",
        "",
        f"`mkdocs build --strict` of the same pages (guide, matrix, a page per claim), medians of {runs} "
        "alternated runs, each build its own process (imports included). *hooks*: this project; "
        "*static*: the same pages pre-rendered by our renderer, built without hooks; *macros*: "
        f"mkdocs-macros-plugin {_version('mkdocs-macros-plugin')} with `include_yaml` and equivalent templates "
        "(`bench/macros/`; it validates nothing, resolves no mentions and sanitizes nothing). Ratios are the "
        "medians of each round's ratio. Target: hooks at most 1.05x static, and faster than macros.",
        "",
        "| data | claims | hooks wall (cpu) | static wall (cpu) | macros wall (cpu) "
        "| hooks/static wall (cpu) | hooks/macros wall (cpu) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for factor, samples in p1_results.items():
        cells = [
            f"{median([s[0] for s in samples[v]]):.2f} s ({median([s[1] for s in samples[v]]):.2f} s)" for v in VARIANTS
        ]
        ratios = [
            f"{_ratio_rows(samples, 0, peer):.2f}x ({_ratio_rows(samples, 1, peer):.2f}x)" for peer in VARIANTS[1:]
        ]
        lines.append(f"| {factor}x guide | {4 * factor} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    lines += [
        "",
        "### P2: data scale",
        "",
        "`load_compliance_data` (read, parse, validate, resolve, check prose and links) of N synthetic "
        "claims written like the guide's, among ten times the guide's other entries (20 providers, 10 "
        "offerings, 80 standards), each run a fresh process; memory is the process's peak RSS and its "
        "growth over the peak after imports. Target: 10k claims under 1 s, linear growth to 100k.",
        "",
        "| claims | YAML size | wall | cpu | per 1k claims (cpu) | peak RSS | growth over imports |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, (samples, size_bytes) in p2_results.items():
        cpu = median([s["cpu"] for s in samples])
        peak = median([s["peak_kib"] for s in samples]) / 1024
        growth = median([s["peak_kib"] - s["base_kib"] for s in samples]) / 1024
        lines.append(
            f"| {size:,} | {size_bytes / 1e6:.1f} MB | {median([s['wall'] for s in samples]):.2f} s | {cpu:.2f} s "
            f"| {cpu / size * 1000:.3f} s | {peak:.0f} MB | {growth:.0f} MB |"
        )
    lines += [
        "",
        "### P5: live preview",
        "",
        "A real `mkdocs serve` on 127.0.0.1; the organisation's name is edited in `data/organisation.yml` "
        "and the guide page polled every 10 ms until it serves the new name. MkDocs' own watcher polls "
        "files every 0.5 s and waits 0.1 s before rebuilding, so about 0.35 s of each figure is MkDocs' "
        "(0.1 to 0.6 s). Target: under 1.5 s for the real guide.",
        "",
        "| data | edits | median | min | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, times in p5_results.items():
        lines.append(f"| {name} | {len(times)} | {median(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s |")
    return "\n".join(lines)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return describe_machine([f"load {load:.1f}", f"Python {platform.python_version()}", f"MkDocs {_version('mkdocs')}"])


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def write_section(path: Path, body: str) -> None:
    """Replace this harness's section of `path` (or append it), leaving every other section as it was."""
    replace_section(path, HEADING, START, END, body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternated runs per variant (default 5)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one run: a smoke test of the harness")
    parser.add_argument("--only", choices=("p1", "p2", "p5"), action="append", help="run only these parts")
    arguments = parser.parse_args(argv)
    quick, runs = arguments.quick, 1 if arguments.quick else max(1, arguments.runs)
    parts = set(arguments.only or ("p1", "p2", "p5"))
    with tempfile.TemporaryDirectory(prefix="build-bench-") as tmp:
        root = Path(tmp)
        p1_results = {f: p1(root, f, runs) for f in ((1,) if quick else (1, 10, 100))} if "p1" in parts else {}
        p2_results = {}
        if "p2" in parts:
            for size in (20,) if quick else (1_000, 10_000, 100_000):
                folder = root / f"p2-{size}"
                write_data(folder / "data", Shape.with_claims(size))
                shutil.copytree(REPO / "docs" / "images", folder / "docs" / "images")
                shutil.copytree(REPO / "catalogue", folder / "catalogue")
                size_bytes = sum(f.stat().st_size for f in (folder / "data").iterdir())
                count = runs if size < 100_000 else max(1, runs // 2)
                p2_results[size] = ([load(folder) for _ in range(count)], size_bytes)
                shutil.rmtree(folder)
        p5_results = {}
        if "p5" in parts:
            guide = root / "p5-guide"
            guide.mkdir()
            for part in ("mkdocs.yml", "data", "docs", "overrides", "hooks", "catalogue", "labels"):
                copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy2
                copy(REPO / part, guide / part)  # the real guide, as shipped
            edits = 1 if quick else 5
            p5_results["the guide (4 claims)"] = p5(guide, edits)
            if not quick:
                p5_results["10x the guide (40 claims)"] = p5(write_project(root / "p5-10x", Shape.scaled(10)), edits)
    write_section(arguments.output, report(p1_results, p2_results, p5_results, runs))
    print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
