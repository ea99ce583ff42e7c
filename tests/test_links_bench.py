"""Smoke test of the link-checking benchmark harness (`make bench` runs it for real, with the peers)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from conftest import REPO


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("links_bench", REPO / "bench" / "links_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["links_bench"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_quick_run_rewrites_only_its_own_section(tmp_path: Path) -> None:
    harness = load_harness()
    output = tmp_path / "BENCHMARKS.md"
    build_section = "## Build\n\n| pages | seconds |\n| --- | --- |\n| 10 | 1.0 |\n"
    output.write_text(f"# Benchmarks\n\n{build_section}")
    body = harness.bench(runs=1, quick=True, peers=False)
    harness.write_section(output, body)
    harness.write_section(output, body.replace("Measured by", "Measured again by"))
    text = output.read_text()
    assert text.startswith(f"# Benchmarks\n\n{build_section}\n## Link checking\n\n<!-- links-bench:start -->\n")
    assert text.count("## Link checking") == 1 and "Measured again by" in text and "Measured by" not in text
    assert text.endswith("<!-- links-bench:end -->\n")
    # Our row of the spread workload: wall, CPU, the server-counted peak, and every broken link found.
    # (the first table is the http one over 3 hosts; the https one follows with its own rows).
    rows = re.findall(
        r"^\| ours \(defaults\) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| (\d+) \| ([\d.]+) \| - \| - \| [\d.]+ \|$",
        text,
        re.M,
    )
    assert len(rows) == 5, text  # the four workloads of issue 16, and issue 25's latency-dominated one
    for wall, cpu, peak, broken, share in (rows[0], rows[2]):  # the two spread workloads, http then https
        assert float(wall) > 0 and float(cpu) > 0 and 1 <= int(peak) <= 10 and int(broken) == 5
        assert float(share) >= 1.0  # nothing beats the floor
    polite = re.findall(r"^\| ours \(equal politeness\) \| [\d.]+ \| [\d.]+ \| (\d+) \|", text, re.M)
    assert len(polite) == 5 and all(1 <= int(peak) <= 10 for peak in polite)
    assert int(polite[-1]) <= 4  # the latency workload at 4 per host
    assert "Floor: " in text and "0.48 s at equal politeness (4 per host, 50 ms apart)" in text
    assert re.search(r"^\| 40 URLs on one host \| [\d.]+ \| [\d.]+ \| [\d.]+ % \|$", text, re.MULTILINE)
    assert "Floor: " in text and "minus that link's" in text and "On a site with no link" in text
    # The platform floor runs in the same alternation and finds the same broken links as ours.
    bare = re.findall(
        r"^\| bare aiohttp script \(platform floor, equal politeness\) \| [\d.]+ \| [\d.]+ \| (\d+) \| (\d+) \|",
        text,
        re.M,
    )
    assert [int(found) for _, found in bare] == [5, 0, 5, 0, 0] and all(1 <= int(peak) <= 10 for peak, _ in bare)
    assert re.search(r"An interpreter that only imports aiohttp takes \d+\.\d\d s wall and \d+\.\d\d s of CPU", text)
    # Each 500-URL workload is judged against the platform floor's wall and CPU, the latency one against its floor.
    assert (
        len(re.findall(r"within 1\.2 x the platform floor's wall \([\d.]+ s against [\d.]+ s\): (met|NOT met)", text))
        == 4
    )
    assert len(re.findall(r"within 1\.2 x the platform floor's CPU", text)) == 4
    assert re.search(r"at 30 ms, 4 per host: within 1\.1 x its floor \([\d.]+ s, limit 0\.53 s; platform floor", text)
    # Issue 25's rate-limited host: ours at its defaults, the bare script told the limit; none reported broken.
    limited_row = r"^\| ours \(defaults\) \| [\d.]+ \| [\d.]+ \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|"
    limited = re.findall(limited_row, text, re.M)
    assert len(limited) == 1 and int(limited[0][0]) <= 6 and int(limited[0][1]) > 0 and limited[0][2:] == ("0", "0")
    assert "0 working links reported broken or rate limited (0): met" in text
    assert "| bare aiohttp script (platform floor, 6 per host, no interval) |" in text
