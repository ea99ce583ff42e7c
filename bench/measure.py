"""How the build benchmarks measure: one process per sample, wall and CPU time, alternated runs.

Every sample is its own process, so imports and start-up count as an editor's build pays them.
CPU time (user + system of the child) is reported beside wall time: on a shared machine the wall
time of a process waiting for a core grows, its CPU time does not.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "COMPLIANCE_TODAY": "2026-11-28",
    # Synthetic claims files are megabytes; the default limit is meant for hand-written data.
    "COMPLIANCE_MAX_FILE_SIZE": "1000M",
}
ENV.pop("CHECK_LINKS", None)


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float


def build(config: Path, site: Path) -> Sample:
    """One `mkdocs build --strict` of `config` into `site`, in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=ENV,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"build of {config} failed:\n{done.stderr[-3000:]}")
    return Sample(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


_LOAD = """
import gc, json, resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from compliance.model.data import load_compliance_data
from compliance.options import read_options
root = Path(sys.argv[2])
limits = read_options({}).limits  # COMPLIANCE_MAX_FILE_SIZE (measure.ENV) raises the editors' limit
collections = [0]
gc.callbacks.append(lambda phase, info: collections.__setitem__(0, collections[0] + (phase == "start")))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
start = time.perf_counter()
data = load_compliance_data(root, root / "data", Path(sys.argv[3]), today=date(2026, 11, 28), limits=limits)
wall = time.perf_counter() - start
cpu = time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"claims": len(data.document.claims), "wall": wall, "cpu": cpu, "peak_kib": peak, "base_kib": base,
                  "collections": collections[0]}))
"""

# The validation floor: what any loader of these files into the same model must spend. libyaml's own
# composer and constructor (PyYAML's C loader, with dates left as text, as the model reads them) then
# the same pydantic model, with no positions, references, prose or link checks.
_FLOOR = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import yaml
from compliance.model.document import ComplianceDocument
from compliance.model.schema import validation_context
from compliance.options import read_options
limits = read_options({}).limits


class Loader(yaml.CSafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
cpu = time.process_time()
start = time.perf_counter()
document = {}
for path in sorted(Path(sys.argv[2], "data").glob("*.yml")):
    document.update(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {})
parsed = time.process_time() - cpu
ComplianceDocument.model_validate(document, context=validation_context(limits))
wall = time.perf_counter() - start
cpu = time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "parse_cpu": parsed}))
"""


def load(root: Path) -> dict[str, float]:
    """Load and validate `root/data` in a fresh process: time of the call, and the process's peak memory."""
    return _child(_LOAD, root)


def load_floor(root: Path) -> dict[str, float]:
    """The validation floor of `root/data` in a fresh process: libyaml's loader and the same pydantic model."""
    return _child(_FLOOR, root)


def _child(script: str, root: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "hooks"), str(root), str(root / "docs")],
        env=ENV,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"loading {root} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


class Serve:
    """A real `mkdocs serve` of a project on 127.0.0.1, started and stopped by the benchmark."""

    def __init__(self, config: Path) -> None:
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(config), "-a", f"127.0.0.1:{self.port}"],
            cwd=config.parent,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for(self, path: str, text: str, timeout: float = 120) -> float:
        """Seconds until `path` serves a page containing `text` (polled every 10 ms)."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve stopped:\n{self.process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
            if text in fetch(self.root + path):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"{text!r} not served at {path} within {timeout} s")

    def cpu(self) -> float:
        """CPU seconds (user + system, every thread) the server has used so far; NaN where /proc is not there."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in clock ticks

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
