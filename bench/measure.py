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
import json, resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from compliance.model.data import load_compliance_data
root = Path(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
start = time.perf_counter()
data = load_compliance_data(root, root / "data", Path(sys.argv[3]), today=date(2026, 11, 28))
wall = time.perf_counter() - start
cpu = time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"claims": len(data.document.claims), "wall": wall, "cpu": cpu, "peak_kib": peak, "base_kib": base}))
"""


def load(root: Path) -> dict[str, float]:
    """Load and validate `root/data` in a fresh process: time of the call, and the process's peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(REPO / "hooks"), str(root), str(root / "docs")],
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

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
