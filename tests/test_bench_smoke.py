"""A smoke test of the benchmarks (`make bench`): every harness runs on tiny data, its inputs are valid
and its report is right.

Nothing here is timed: the benchmark's figures live in BENCHMARKS.md. This checks that the build-cost
and site-size harnesses run end to end in their `--quick` form and write their sections, so a change
that breaks a benchmark fails here (tests/test_links_bench.py does the same for the link harness);
that the synthetic data loads; that the three projects it builds hold the same pages; and that the
report and its section of BENCHMARKS.md are written as documented.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import build_bench  # noqa: E402
from synthetic import Shape, write_data  # noqa: E402
from variants import make_projects  # noqa: E402

from compliance.model.data import load_compliance_data  # noqa: E402


@pytest.mark.parametrize("shape", [Shape.scaled(1), Shape.scaled(3), Shape.with_claims(30)])
def test_synthetic_data_is_valid_and_has_the_shape_asked_for(shape: Shape, tmp_path: Path) -> None:
    write_data(tmp_path / "data", shape)
    shutil.copytree(REPO / "docs" / "images", tmp_path / "docs" / "images")
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    data = load_compliance_data(tmp_path, tmp_path / "data", tmp_path / "docs", today=date(2026, 11, 28))
    document = data.document
    assert len(document.claims) == shape.claims
    assert len(document.hosting.providers) == shape.providers
    assert len(document.organisation.offerings) == shape.offerings
    assert len(document.standards) == shape.standards
    assert {claim.kind for claim in document.claims} == {"alignment", "regulation", "certification", "attestation"}
    # Prose with links and mentions: the link map has URLs written in prose, not only in URL fields.
    assert any(link.field.endswith(".prose") for link in data.links)


def test_the_three_projects_hold_the_same_pages(tmp_path: Path) -> None:
    projects = make_projects(tmp_path, Shape.scaled(1))
    static_docs = projects["static"].parent / "docs"
    macros_docs = projects["macros"].parent / "docs"
    claim_pages = {f"claims/claim-{i}.md" for i in range(4)}
    for docs in (static_docs, macros_docs):
        pages = {path.relative_to(docs).as_posix() for path in docs.rglob("*.md")}
        # The hooks' site has the claims index too (the navigation's one entry for every claim).
        assert pages == {"index.md", "matrix.md", "controls.md", "contacts.md", "claims/index.md", *claim_pages}
    # Pre-rendered: the static pages hold the data's text and no template syntax.
    certification = (static_docs / "claims" / "claim-2.md").read_text(encoding="utf-8")
    assert certification.startswith("# Certification 2") and "{{" not in certification and "{%" not in certification
    assert "Standards Body 0" in certification  # a mention resolved
    assert "hooks" not in yaml.safe_load(projects["static"].read_text(encoding="utf-8"))
    assert "macros" in projects["macros"].read_text(encoding="utf-8")
    assert 'CLAIM_ID = "claim-2"' in (macros_docs / "claims" / "claim-2.md").read_text(encoding="utf-8")


def test_the_report_gives_medians_and_per_round_ratios() -> None:
    samples = {
        "hooks": [(2.0, 1.0), (4.0, 2.0), (3.0, 1.5)],
        "static": [(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)],
        "macros": [(4.0, 2.0), (4.0, 2.0), (4.0, 2.0)],
        build_bench.COLD: [(3.0, 2.0), (4.0, 3.0), (3.0, 2.0)],
    }
    samples["load"] = [(2.0, 0.0), (3.0, 0.0), (9.0, 0.0)]
    text = build_bench.report(
        {1: samples}, {}, {"the guide (4 claims)": (1.5, [(0.5, 0.2), (0.7, 0.4), (0.6, 0.3)])}, 3
    )
    row = next(line for line in text.splitlines() if line.startswith("| 1x guide"))
    # hooks/static per round: 2.0, 2.0, 1.0 -> median 2.00; cpu 1.0, 2.0, 1.5 -> 1.50.
    assert row == (
        "| 1x guide | 4 | 3.00 s (1.50 s) | 2.00 s (1.00 s) | 4.00 s (2.00 s) | 2.00x (1.50x) | 0.75x (0.75x) | 3.0 |"
    )
    # With nothing kept, ÷ static per round: wall 3, 2, 1 and cpu 2, 3, 2; ÷ hooks: wall 1.5, 1, 1 and cpu 2, 1.5, 1.33.
    assert "| 1x guide | 3.00 s (2.00 s) | 2.00x (2.00x) | 1.00x (1.50x) |" in text
    assert "| the guide (4 claims) | 3 | 0.60 s | 0.50 s | 0.70 s | 0.30 s | 1.5 |" in text


def test_the_section_is_replaced_and_other_sections_are_kept(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# Benchmarks\n\n## Link checking\n\n<!-- links-bench:start -->\nx\n<!-- links-bench:end -->\n")
    build_bench.write_section(output, "first")
    build_bench.write_section(output, "second")
    text = output.read_text()
    assert "<!-- links-bench:start -->\nx\n<!-- links-bench:end -->" in text
    assert text.count(build_bench.START) == 1 and f"{build_bench.START}\nsecond\n{build_bench.END}" in text
    assert "first" not in text


def test_the_site_size_report_has_a_row_per_size_with_mb_per_claim(tmp_path: Path) -> None:
    import size_bench

    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# Benchmarks\n\n## Build cost\n\nkept as it was\n", encoding="utf-8")
    results = {
        100: (1.0, {"total": 7_500_000, "assets": 2_500_000, "search": 1_000_000, "pages": 103}, 2.5),
        1500: (9.0, {"total": 77_500_000, "assets": 2_500_000, "search": 15_000_000, "pages": 1503}, 3.0),
    }
    size_bench.replace_section(output, size_bench.HEADING, size_bench.START, size_bench.END, size_bench.report(results))
    text = output.read_text(encoding="utf-8")
    assert "kept as it was" in text and text.count(size_bench.START) == 1
    rows = [line for line in text.splitlines() if line.startswith("| 1")]
    assert rows[0].endswith("| 0.050 MB | - | 2.5 |") and rows[1].endswith("| 0.050 MB | 0.050 MB | 3.0 |")


def test_site_size_counts_assets_search_and_pages_apart(tmp_path: Path) -> None:
    import size_bench

    for name, size in (("assets/a.js", 100), ("search/search_index.json", 30), ("index.html", 5), ("x/index.html", 7)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    assert size_bench.site_size(tmp_path) == {"total": 142, "assets": 100, "search": 30, "pages": 2}


def _run_harness(tmp_path: Path, script: str, *arguments: str) -> str:
    """Run `bench/<script> --quick` into a BENCHMARKS.md of its own; the section it wrote."""
    output = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), "--quick", "--output", str(output), *arguments],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return output.read_text(encoding="utf-8")


def test_the_build_harness_runs_every_part_on_tiny_data(tmp_path: Path) -> None:
    text = _run_harness(tmp_path, "build_bench.py")
    assert text.count(build_bench.START) == 1
    nothing_kept = r"^\| 1x guide \| [\d.]+ s \([\d.]+ s\) \| [\d.]+x \([\d.]+x\) \|"
    assert re.search(nothing_kept, text, re.MULTILINE)
    for row in ("| 1x guide | 4 |", "| 20 |", "| 60 |", "| the shipped guide: its title edited in data/guide.yml"):
        assert row in text
    assert "docs/index.md (static, MkDocs' floor) | 1 |" in text


def test_the_size_harness_runs_on_tiny_data(tmp_path: Path) -> None:
    import size_bench

    text = _run_harness(tmp_path, "size_bench.py")
    assert size_bench.START in text and "| 10 |" in text and "| 30 |" in text
