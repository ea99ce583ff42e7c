"""Build-cost benchmark: build overhead (P1), data scale (P2) and live preview (P5).

`make bench` runs it; only the "## Build cost" section of BENCHMARKS.md is rewritten.
- P1: the same pages built three ways (bench/variants.py) at 1x, 10x and 100x the guide's data;
  runs alternate between the variants (in a rotating order) and ratios are medians of the ratios
  of each round, so a machine that slows down mid-way slows every variant alike.
- P2: load and validate 1k, 10k and 50k synthetic claims, each in a fresh process, in turns with the
  validation floor (libyaml and the same pydantic model, nothing else).
- P5: under a real `mkdocs serve`, the time from saving a YAML edit to the new text being served,
  beside the same edit of the same page as static Markdown (MkDocs' own floor).
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

from measure import REPO, Serve, build, load, load_floor, median
from sections import machine as describe_machine
from sections import replace_section
from synthetic import Shape, write_data
from variants import make_projects

START, END = "<!-- build-bench:start -->", "<!-- build-bench:end -->"
HEADING = "## Build cost"
VARIANTS = ("hooks", "static", "macros")
# The hooks' project built with nothing kept under `.cache/` (compiled templates, the schema, the loaded data).
COLD = "hooks, nothing kept"
MEASURED = (*VARIANTS, COLD)
P2_SIZES = (1_000, 10_000, 50_000)


def p1(root: Path, factor: int, runs: int) -> dict[str, list[tuple[float, float]]]:
    """{variant: [(wall, cpu), ...], "load": [...]} for `runs` alternated rounds after one warm-up build each.

    The warm-up builds also show the three variants build the same pages (else the comparison is void).
    """
    projects = make_projects(root / f"p1-{factor}x", Shape.scaled(factor))
    samples: dict[str, list[tuple[float, float]]] = {v: [] for v in (*MEASURED, "load")}
    pages = {}
    for variant in VARIANTS:
        build(projects[variant], root / f"site-warm-{variant}")
        pages[variant] = built_pages(root / f"site-warm-{variant}")
    for variant in VARIANTS[1:]:
        if pages[variant] != pages["hooks"]:
            differ = sorted(pages[variant] ^ pages["hooks"])
            raise RuntimeError(f"the {variant} variant does not build the hooks' pages at {factor}x: {differ[:10]}")
    for round_ in range(runs):
        samples["load"].append((os.getloadavg()[0], 0.0))
        turn = round_ % len(MEASURED)
        for variant in MEASURED[turn:] + MEASURED[:turn]:
            if variant == COLD:  # the hooks' project as a fresh clone has it: nothing kept from a build before
                shutil.rmtree(projects["hooks"].parent / ".cache", ignore_errors=True)
            sample = build(projects["hooks" if variant == COLD else variant], root / f"site-{variant}")
            samples[variant].append((sample.wall, sample.cpu))
    return samples


def built_pages(site: Path) -> set[str]:
    """The HTML pages of a built site, by path."""
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def p5(config: Path, edited: Path, text: str, edits: int, shown: str | None = None) -> list[tuple[float, float]]:
    """(wall, cpu) from saving an edit of `text` in `edited` to the guide page (the site's home) serving it:
    seconds waited, and the server's CPU seconds in that time (its rebuild, without the watcher's wait).
    The site is first served once it shows `shown` (by default `text`)."""
    original = edited.read_text(encoding="utf-8")
    server = Serve(config)
    times = []
    try:
        server.wait_for("", shown or text)
        for i in range(edits):
            token = f"Edited{i}x{os.getpid()}"
            time.sleep(1.0)  # let the previous rebuild settle, as between an editor's saves
            cpu = server.cpu()
            edited.write_text(original.replace(text, f"{text} {token}", 1), encoding="utf-8")
            wall = server.wait_for("", token)
            times.append((wall, server.cpu() - cpu))
    finally:
        server.stop()
        edited.write_text(original, encoding="utf-8")
    return times


def p5_pair(root: Path, factor: int, edits: int) -> dict[str, list[tuple[float, float]]]:
    """The guide's title edited in YAML under the hooks, and the same title in the static variant's Markdown."""
    projects = make_projects(root / f"p5-{factor}x", Shape.scaled(factor))
    hooks, static = projects["hooks"].parent, projects["static"].parent
    title = _guide_title(hooks / "data" / "guide.yml")
    claims = f"{4 * factor} claims"
    return {
        f"{factor}x guide ({claims}): the title edited in data/guide.yml (hooks)": p5(
            projects["hooks"], hooks / "data" / "guide.yml", title, edits
        ),
        f"{factor}x guide ({claims}): the same title edited in docs/index.md (static, MkDocs' floor)": p5(
            projects["static"], static / "docs" / "index.md", title, edits
        ),
        # A page's own template edited, the data unchanged: the hooks render that page alone again.
        f"{factor}x guide ({claims}): a word added to docs/index.md, the data unchanged (hooks)": p5(
            projects["hooks"], hooks / "docs" / "index.md", PAGE_LINE, edits, shown=title
        ),
    }


# The first line of every page template; a word after it is shown at the top of the page.
PAGE_LINE = "{{ requires_the_compliance_hooks() }}"


def _guide_title(guide: Path) -> str:
    line = next(line for line in guide.read_text(encoding="utf-8").splitlines() if line.startswith("  title: "))
    return line.removeprefix("  title: ").strip()


def _ratio_rows(samples: dict[str, list[tuple[float, float]]], index: int, peer: str, ours: str = "hooks") -> float:
    pairs = zip(samples[ours], samples[peer], strict=True)
    return median([mine[index] / theirs[index] for mine, theirs in pairs])


def _cold_rows(p1_results: dict[int, dict[str, list[tuple[float, float]]]]) -> list[str]:
    """The builds with nothing kept, beside the same rounds' static and hooks builds."""
    rows = [
        f"| {factor}x guide | {median([s[0] for s in samples[COLD]]):.2f} s "
        f"({median([s[1] for s in samples[COLD]]):.2f} s) "
        f"| {_ratio_rows(samples, 0, 'static', COLD):.2f}x ({_ratio_rows(samples, 1, 'static', COLD):.2f}x) "
        f"| {_ratio_rows(samples, 0, 'hooks', COLD):.2f}x ({_ratio_rows(samples, 1, 'hooks', COLD):.2f}x) |"
        for factor, samples in p1_results.items()
        if samples.get(COLD)
    ]
    if not rows:
        return []
    return [
        "",
        "The same rounds also built the hooks' project with nothing kept from an earlier build (`.cache/` "
        "removed first: templates compiled, the schema generated and the data loaded anew), as a fresh "
        "clone and CI build it:",
        "",
        "| data | hooks, nothing kept, wall (cpu) | ÷ static wall (cpu) | ÷ hooks wall (cpu) |",
        "| --- | ---: | ---: | ---: |",
        *rows,
    ]


def report(p1_results: dict[int, dict[str, list[tuple[float, float]]]], p2_results, p5_results, runs: int) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        "Regenerate with `make bench` (or `.venv/bin/python bench/build_bench.py`). Other work shares the "
        "machine: *load* is the 1-minute load average as each row's runs began; compare the ratios, which "
        "come from the same alternated runs.",
        "",
        "### P1: build overhead",
        "",
        f"`mkdocs build --strict` of the same pages (guide, matrix, claims index, a page per claim, and the trust "
        f"pages the data fills: controls and contacts, as the shipped guide's), medians of {runs} "
        f"alternated runs ({min(runs, 3)} at 100x), each build its own process (imports included), after one "
        "warm-up build of each variant (which also checks that the three build the same HTML pages, and "
        "fills what our builds keep under `.cache/`: compiled templates and the loaded data, as an editor's earlier "
        "build does). *hooks*: this project; "
        "*static*: the same pages pre-rendered by our renderer, built without hooks; *macros*: "
        f"mkdocs-macros-plugin {_version('mkdocs-macros-plugin')} with `include_yaml` and equivalent templates "
        "(`bench/macros/`; it validates nothing, resolves no mentions and sanitizes nothing). Ratios are the "
        "medians of each round's ratio. Targets (issue 28): hooks/static at most 1.25x at 1x and 1.10x at 100x, "
        "and below macros at every size.",
        "",
        "| data | claims | hooks wall (cpu) | static wall (cpu) | macros wall (cpu) "
        "| hooks/static wall (cpu) | hooks/macros wall (cpu) | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for factor, samples in p1_results.items():
        cells = [
            f"{median([s[0] for s in samples[v]]):.2f} s ({median([s[1] for s in samples[v]]):.2f} s)" for v in VARIANTS
        ]
        ratios = [
            f"{_ratio_rows(samples, 0, peer):.2f}x ({_ratio_rows(samples, 1, peer):.2f}x)" for peer in VARIANTS[1:]
        ]
        load = median([s[0] for s in samples.get("load", [])])
        lines.append(f"| {factor}x guide | {4 * factor} | {' | '.join(cells)} | {' | '.join(ratios)} | {load:.1f} |")
    lines += _cold_rows(p1_results)
    lines += [
        "",
        "### P2: data scale",
        "",
        "`load_compliance_data` (read, parse, validate, resolve, check prose and links, with positions for "
        "every value) of N synthetic claims written like the guide's, among ten times the guide's other entries "
        "(20 providers, 10 offerings, 80 standards), each run a fresh process; memory is the process's peak RSS "
        "and its growth over the peak after imports; *collections* counts the garbage collector's runs during "
        "the load. The *validation floor* runs in turns with it: the same files read by libyaml's C loader "
        "(dates left as text) and validated by the same pydantic model, with no positions, references, prose "
        "or link checks. Targets (issue 28): 10k claims within 1.5x the floor; linear to 50k (CPU per 1,000 "
        "claims within 10 % from 1k to 50k).",
        "",
        "| claims | YAML size | wall | cpu | per 1k claims (cpu) | floor cpu | cpu / floor | collections "
        "| peak RSS | growth over imports | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, (samples, floors, size_bytes) in p2_results.items():
        cpu = median([s["cpu"] for s in samples])
        floor = median([f["cpu"] for f in floors])
        ratio = median([s["cpu"] / f["cpu"] for s, f in zip(samples, floors, strict=True)])
        peak = median([s["peak_kib"] for s in samples]) / 1024
        growth = median([s["peak_kib"] - s["base_kib"] for s in samples]) / 1024
        collections = median([s["collections"] for s in samples])
        lines.append(
            f"| {size:,} | {size_bytes / 1e6:.1f} MB | {median([s['wall'] for s in samples]):.2f} s | {cpu:.2f} s "
            f"| {cpu / size * 1000:.3f} s | {floor:.2f} s | {ratio:.2f}x | {collections:.0f} "
            f"| {peak:.0f} MB | {growth:.0f} MB | {median([s['load'] for s in samples]):.1f} |"
        )
    lines += [
        "",
        "### P5: live preview",
        "",
        "A real `mkdocs serve` on 127.0.0.1; the guide's title is edited and the home page polled every 10 ms "
        "until it serves the new title. Under the hooks the edit is in `data/guide.yml`; MkDocs' own floor is "
        "the same edit of the same page written as static Markdown (`docs/index.md` of the static variant), "
        "which MkDocs rebuilds the same way (MkDocs 1.x rebuilds the whole site on any change; it has no "
        "partial rebuild for a plugin or hook to use, and the hooks redo only their own work that the edit "
        "reaches: hooks/compliance/preview.py). MkDocs' watcher polls files every 0.5 s and waits "
        "0.1 s before rebuilding, so 0.1 to 0.6 s of each figure is the watcher's. *Server CPU* is the `mkdocs "
        "serve` process's own CPU time (user and system, from /proc) between the save and the new page: its "
        "rebuild, without the watcher's wait, and with the answers to the 10 ms polls.",
        "",
        "| data and edit | edits | median | min | max | server CPU (median) | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (load, samples) in p5_results.items():
        times, cpus = [wall for wall, _ in samples], [cpu for _, cpu in samples]
        lines.append(
            f"| {name} | {len(times)} | {median(times):.2f} s | {min(times):.2f} s | {max(times):.2f} s "
            f"| {median(cpus):.2f} s | {load:.1f} |"
        )
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
        # 100x builds take a minute each: three rounds there.
        factors = (1,) if quick else (1, 10, 100)
        p1_results = {f: p1(root, f, runs if f < 100 else min(runs, 3)) for f in factors} if "p1" in parts else {}
        p2_results = {}
        if "p2" in parts:
            for size in (20, 60) if quick else P2_SIZES:
                folder = root / f"p2-{size}"
                write_data(folder / "data", Shape.with_claims(size))
                shutil.copytree(REPO / "docs" / "images", folder / "docs" / "images")
                shutil.copytree(REPO / "catalogue", folder / "catalogue")
                size_bytes = sum(f.stat().st_size for f in (folder / "data").iterdir())
                count = runs if size <= 10_000 else max(1, runs // 2)
                samples, floors = [], []
                for _ in range(count):  # alternated: ours, then the floor, in turns
                    samples.append({**load(folder), "load": os.getloadavg()[0]})
                    floors.append(load_floor(folder))
                p2_results[size] = (samples, floors, size_bytes)
                shutil.rmtree(folder)
        p5_results = {}
        if "p5" in parts:
            guide = root / "p5-guide"
            guide.mkdir()
            for part in ("mkdocs.yml", "data", "docs", "overrides", "hooks", "catalogue", "labels"):
                copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy2
                copy(REPO / part, guide / part)  # the real guide, as shipped
            edits = 1 if quick else 5
            title = _guide_title(guide / "data" / "guide.yml")
            p5_results["the shipped guide: its title edited in data/guide.yml (hooks)"] = (
                os.getloadavg()[0],
                p5(guide / "mkdocs.yml", guide / "data" / "guide.yml", title, edits),
            )
            for factor in (1,) if quick else (1, 10):
                for name, times in p5_pair(root, factor, edits).items():
                    p5_results[name] = (os.getloadavg()[0], times)
    write_section(arguments.output, report(p1_results, p2_results, p5_results, runs))
    print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
