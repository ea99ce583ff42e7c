"""Run many short cases each in its own process without paying Python's start-up for every one.

A server process imports what the cases use once, then forks a child per case; the child changes into
the case's folder, takes its environment, output file and address-space limit, and runs. The server
waits for it with `wait4`, so the CPU time and peak memory reported are the child's own: the imports
done before the fork are not counted, the work on the case's input is. A child still running after
`hang_seconds` of wall-clock time is killed.

The corpus (tests/test_corpus.py) runs its ~170 cases this way: one interpreter start each cost more
than most cases themselves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The server's side: read one JSON request a line, answer one JSON line, until stdin closes.
SERVER = r"""
import importlib, io, json, os, resource, runpy, signal, sys, time, traceback
for name in sys.argv[1].split(","):
    importlib.import_module(name)
requests, answers = sys.stdin, sys.stdout
for line in requests:
    request = json.loads(line)
    answers.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(request["cwd"])
            os.environ.clear(); os.environ.update(request["env"])
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0); os.dup2(log, 1); os.dup2(log, 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True)
            limit = request["address_space"]
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            sys.argv = request["argv"]
            if request["module"]:
                runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
            else:
                exec(compile(request["code"], "<case>", "exec"), {"__name__": "__main__"})
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if not isinstance(exc.code, (int, type(None))):
                print(exc.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            finally:
                os._exit(code)
    start = time.monotonic()
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > request["hang_seconds"]:
            os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.005)
    answers.write(json.dumps({
        "returncode": os.waitstatus_to_exitcode(status),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_bytes": usage.ru_maxrss * 1024,
    }) + "\n")
    answers.flush()
"""


@dataclass
class Outcome:
    returncode: int
    output: str
    cpu_seconds: float
    peak_bytes: int


class ForkServer:
    """One server process with `preload` imported; `run` runs a module or code in a fresh child of it."""

    def __init__(self, preload: list[str], env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", SERVER, ",".join(preload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def run(
        self,
        *,
        cwd: Path,
        env: dict[str, str],
        argv: list[str],
        module: str | None = None,
        code: str | None = None,
        address_space: int,
        hang_seconds: float,
    ) -> Outcome:
        """Run `module` (as `python -m`) or `code` with `argv` in a child; its output goes to a file beside `cwd`."""
        assert self._process.stdin is not None and self._process.stdout is not None
        log = cwd.parent / "output.txt"
        request = {
            "cwd": str(cwd),
            "env": env,
            "log": str(log),
            "argv": argv,
            "module": module,
            "code": code,
            "address_space": address_space,
            "hang_seconds": hang_seconds,
        }
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the fork server ended (exit code {self._process.wait()})")
        result = json.loads(answer)
        output = log.read_bytes().decode("utf-8", errors="replace")
        return Outcome(result["returncode"], output, result["cpu_seconds"], result["peak_bytes"])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)
        if self._process.stdout is not None:
            self._process.stdout.close()
