"""Every package the code imports is declared directly, in the lock that installs it (handbook/development.md)."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"compliance", "compliance_edge", "compliance_hooks", "compliance_sites", "conftest", "standins"}


def _declared(*names: str) -> set[str]:
    found = set()
    for name in names:
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)", line)
            if match:
                found.add(_normal(match[1]))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported(paths: list[Path]) -> dict[str, str]:
    """{distribution: a file importing it} for every third-party import in `paths`."""
    owners = packages_distributions()
    # Modules of this repository that tests and benchmarks put on sys.path themselves.
    local = {path.stem for folder in ("tests", "bench") for path in (REPO / folder).rglob("*.py")}
    found: dict[str, str] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in FIRST_PARTY or top in local:
                    continue
                for distribution in owners.get(top, [top]):
                    found.setdefault(_normal(distribution), path.relative_to(REPO).as_posix())
    return found


def test_the_build_imports_only_what_the_runtime_lock_declares() -> None:
    # pdf/ is `make pdf`, which installs the dev lock too (Playwright).
    paths = [path for path in sorted((REPO / "hooks").rglob("*.py")) if "pdf" not in path.parts]
    missing = {name: where for name, where in _imported(paths).items() if name not in _declared("requirements.in")}
    assert missing == {}


def test_tests_and_pdf_import_only_what_the_runtime_and_dev_locks_declare() -> None:
    # tools/ is `make screenshots`, which installs the dev lock (Playwright).
    paths = [*sorted((REPO / "tests").rglob("*.py")), *sorted((REPO / "hooks" / "compliance" / "pdf").rglob("*.py"))]
    paths += sorted((REPO / "tools").rglob("*.py"))
    declared = _declared("requirements.in", "requirements-dev.in")
    assert {name: where for name, where in _imported(paths).items() if name not in declared} == {}


def test_every_lock_pins_every_package_with_hashes() -> None:
    for lock in ("requirements.txt", "requirements-dev.txt", "requirements-bench.txt"):
        text = (REPO / lock).read_text(encoding="utf-8")
        pins = re.findall(
            r"^([A-Za-z0-9][^ ]*)==[^ ]+ (?:; [^\\]+ )?\\\n(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+", text, re.M
        )
        packages = re.findall(r"^[A-Za-z0-9]", text, re.M)
        assert len(pins) == len(packages) > 0, lock
