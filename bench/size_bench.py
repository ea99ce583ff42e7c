"""Site-size benchmark: how the built site grows with the number of claims (MB per claim).

`make bench` runs it; only the "## Site size" section of BENCHMARKS.md is rewritten. The same
synthetic organisation (bench/synthetic.py, ten times the guide's other entries) is built with 100
and with 1,500 claims; a site whose every page repeated every claim (as a navigation listing every
claim did) would grow with the square of the number of claims, so MB per claim would grow 15-fold.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import machine
from measure import REPO, build
from sections import replace_section
from synthetic import Shape, write_project

START, END = "<!-- size-bench:start -->", "<!-- size-bench:end -->"
HEADING = "## Site size"
SIZES = (100, 1_500)


def site_size(site: Path) -> dict[str, int]:
    """Bytes of the built site: all of it, the theme's own assets, and the search index."""
    files = [f for f in site.rglob("*") if f.is_file()]
    return {
        "total": sum(f.stat().st_size for f in files),
        "assets": sum(f.stat().st_size for f in files if f.relative_to(site).parts[0] == "assets"),
        "search": sum(f.stat().st_size for f in files if f.relative_to(site).parts[0] == "search"),
        "pages": sum(1 for f in files if f.name == "index.html"),
    }


def measure(root: Path, claims: int) -> tuple[float, dict[str, int], float]:
    """The build's wall time, the built site's sizes, and the load average as the build began."""
    project = write_project(root / f"size-{claims}", Shape.with_claims(claims))
    load = os.getloadavg()[0]
    sample = build(project / "mkdocs.yml", project / "site")
    return sample.wall, site_size(project / "site"), load


def report(results: dict[int, tuple[float, dict[str, int], float]]) -> str:
    mb = 1e6
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        "Regenerate with `make bench` (or `.venv/bin/python bench/size_bench.py`).",
        "",
        "`mkdocs build --strict` of one synthetic organisation (20 providers, 10 offerings, 80 standards, "
        "50 sections) with N claims. *Per claim* is the site without the theme's fixed assets (`assets/`) "
        "divided by N; *marginal* is what each claim beyond the first size adds. Target: roughly constant "
        "(linear growth); before the claims index replaced the navigation's list of every claim, 1,500 "
        "claims wrote a 759 MB site in 72 s (issue 15).",
        "",
        "| claims | pages | build wall | site | theme assets | search index | per claim | marginal per claim | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    previous: tuple[int, int] | None = None
    for claims, (wall, size, load) in results.items():
        own = size["total"] - size["assets"]
        marginal = f"{(own - previous[1]) / (claims - previous[0]) / mb:.3f} MB" if previous else "-"
        lines.append(
            f"| {claims:,} | {size['pages']:,} | {wall:.1f} s | {size['total'] / mb:.1f} MB | "
            f"{size['assets'] / mb:.1f} MB | {size['search'] / mb:.1f} MB | {own / claims / mb:.3f} MB | {marginal} "
            f"| {load:.1f} |"
        )
        previous = (claims, own)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="10 and 30 claims: a smoke test of the harness")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="size-bench-") as tmp:
        results = {claims: measure(Path(tmp), claims) for claims in ((10, 30) if arguments.quick else SIZES)}
    replace_section(arguments.output, HEADING, START, END, report(results))
    print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
