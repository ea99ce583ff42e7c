"""The core's tree shows its stages, and imports between them run one way: load -> model -> render -> publish."""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

from conftest import REPO

CORE = REPO / "hooks" / "compliance"
# Each stage may import the shared top-level modules and the stages before it, never one after it.
ORDER = ["load", "model", "render", "publish"]
# configfile: the configuration read as MkDocs reads it, by every command given `-f`.
SHARED = {"configfile", "environment", "errors", "limits", "policy", "privatecache", "suggest", "urlrule"}
# Publishing escapes what it writes as the link checker's reports do.
ALSO = {"publish": {"links"}}


def _imported(path: Path) -> set[str]:
    """The core modules `path` imports, as dotted names under compliance (`model.entries`)."""
    package = path.relative_to(CORE).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                parts = [*base, *(node.module.split(".") if node.module else [])]
            elif (node.module or "").startswith("compliance"):
                parts = (node.module or "").split(".")[1:]
            else:
                continue
            names = [".".join([*parts, alias.name]) for alias in node.names] if not node.module else []
            found.update(names or [".".join(parts)])
    return found


def _stage(dotted: str) -> str:
    return dotted.split(".")[0]


def test_no_import_runs_back_up_the_stages() -> None:
    backwards = []
    for path in sorted(CORE.rglob("*.py")):
        stage = path.relative_to(CORE).parts[0]
        if stage not in ORDER:
            continue
        for name in _imported(path):
            target = _stage(name)
            if target in ORDER and ORDER.index(target) > ORDER.index(stage):
                backwards.append(f"{path.relative_to(REPO)} imports {name}")
            elif target not in ORDER and target not in SHARED | ALSO.get(stage, set()):
                backwards.append(f"{path.relative_to(REPO)} imports {name}, outside the stages")
    assert backwards == []


def test_shared_modules_import_no_stage() -> None:
    for name in SHARED:
        imported = {_stage(dotted) for dotted in _imported(CORE / f"{name}.py")}
        assert imported <= SHARED, name


def test_the_core_never_imports_mkdocs() -> None:
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        modules += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [m for m in modules if m.split(".")[0] == "mkdocs"], path


def test_every_package_says_what_enters_and_what_leaves() -> None:
    for init in sorted(CORE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert re.search(r" in\b.* out\b", doc.splitlines()[0] if doc else ""), init


def test_no_module_of_the_core_imports_round_a_circle() -> None:
    # Every import counts, those for type checkers only too: a circle means neither module reads alone.
    modules = {".".join(path.relative_to(CORE).with_suffix("").parts): path for path in sorted(CORE.rglob("*.py"))}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for dotted in _imported(path):
            while dotted and dotted not in modules and f"{dotted}.__init__" not in modules:
                dotted = dotted.rpartition(".")[0]  # `from .model import entries` names a module, `Claim` is none
            if dotted and dotted != name:
                targets.add(dotted if dotted in modules else f"{dotted}.__init__")
        graph[name] = targets
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise AssertionError(f"an import circle: {' -> '.join(error.args[1])}") from None
