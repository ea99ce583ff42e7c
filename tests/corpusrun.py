"""How a corpus case is read, laid out in a project and run (the test cases are tests/test_corpus.py).

A case is `tests/corpus/<file>--<what>.yml`, placed as `data/<file>.yml`, with
`<file>--<what>.expected` beside it: optional `# key: value` lines, then either the exact
problem lines (`file:line:col: message`, the `{outside}` folder filled in) or, for an input
that must be accepted, the loaded document as one line of sorted JSON.

    # run: loader   (default) the loader alone, on a data folder holding only this file
    # run: model    the whole data model, on the guide's fixture data with this file added, its dates
    #               judged on the fixture's day (COMPLIANCE_TODAY) as a build judges them
    # run: build    a real `mkdocs build --strict`; the previously built site/ must stay as it was
    # as: folder | broken-link | link-loop | link-outside | link-inside | fifo
    #     | editor-droppings | only-editor-droppings | beside-a-broken-file | copies N
    #     | named NAME   (placed as data/NAME, with \n, \x1b... in NAME read as the characters)
    # docs: PATH             the case's bytes go to docs/PATH instead of data/ (repeatable)
    # docs: PATH -> TARGET   docs/PATH is a link to TARGET instead (`{outside}` filled in)
    # docs: PATH |fifo       docs/PATH is a named pipe
    # locked: site           another build holds the site folder's lock while this one runs
    # says: TEXT             the output holds this one-line message (errors not tied to a file line)
    # outcome: built         the build must succeed (the scan of site/ still applies)
    # site-has: TEXT         ...and some page of the site holds TEXT (e.g. a label shown as written)
    # site-lacks: TEXT       ...and no page of the site holds TEXT
    # no-file: PATH          ...and the site has no file at PATH (security.txt left out, say)
    # env: NAME=VALUE
    # within: SECONDS  (default 5)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from forkserver import ForkServer, Outcome

from compliance.errors import ComplianceError
from compliance.limits import Limits
from compliance.options import read_options
from conftest import FIXTURE_TODAY, REPO

# Time is judged in CPU seconds, which other work on the machine does not inflate; a case still
# running after this many wall-clock seconds is stopped as hung.
HANG_SECONDS = 60
DROPPINGS = (".#{}", "._{}", "{}~", ".{}.swp", "#{}#")
# The child side of a loader or model case: print the problems, or the accepted document.
CHILD = """
import json, sys
from pathlib import Path
from compliance.errors import ComplianceError
from compliance.options import read_options
run, project = sys.argv[1], Path(sys.argv[2])
try:
    options = read_options({})  # a case's `# env:` lines are the CI overrides
    limits = options.limits
    if run == "loader":
        from compliance.load.datafiles import read_data_files
        files = read_data_files(project, project / "data", limits)
        if files.problems:
            raise ComplianceError(files.problems)
        document = files.document
    else:
        from compliance.model.data import load_compliance_data
        load_compliance_data(project, project / "data", project / "docs", limits=limits, today=options.today)
        document = {}
except ComplianceError as exc:
    print(exc)
    sys.exit(1)
print(json.dumps(document, sort_keys=True, ensure_ascii=False))
"""


@dataclass
class Case:
    path: Path
    target: str
    run: str = "loader"
    kind: str = "file"
    within: float = 5.0
    env: dict[str, str] = field(default_factory=dict)
    docs: list[str] = field(default_factory=list)
    locked: bool = False
    says: list[str] = field(default_factory=list)
    built: bool = False
    site_has: list[str] = field(default_factory=list)
    site_lacks: list[str] = field(default_factory=list)
    no_files: list[str] = field(default_factory=list)
    expected: str = ""

    @classmethod
    def read(cls, path: Path) -> Case:
        case = cls(path, target=path.name.split("--")[0] + ".yml")
        body = []
        for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
            directive = re.fullmatch(r"# ([\w-]+): (.*)", line)
            if directive is None:
                body.append(line)
            elif directive[1] == "run":
                case.run = directive[2]
            elif directive[1] == "as":
                case.kind = directive[2]
            elif directive[1] == "within":
                case.within = float(directive[2])
            elif directive[1] == "env":
                name, _, value = directive[2].partition("=")
                case.env[name] = value
            elif directive[1] == "docs":
                case.docs.append(directive[2])
            elif directive[1] == "locked":
                case.locked = True
            elif directive[1] == "says":
                case.says.append(directive[2])
            elif directive[1] == "outcome" and directive[2] == "built":
                case.built = True
            elif directive[1] in ("site-has", "site-lacks"):
                getattr(case, directive[1].replace("-", "_")).append(directive[2])
            elif directive[1] == "no-file":
                case.no_files.append(directive[2])
            else:
                raise ValueError(f"{path.name}: unknown directive {line!r}")
        case.expected = "\n".join(body).strip()
        return case


# What the cases' processes import before they fork: the loader and model cases need the data layer
# only (kept small, so the loader cases' address-space cap still leaves them room), builds MkDocs too.
LOADER_IMPORTS = ["json", "compliance.options", "compliance.load.datafiles", "compliance.model.data"]
BUILD_IMPORTS = [
    *LOADER_IMPORTS,
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "material.plugins.search.plugin",
    "markdown.extensions.toc",
    "markdown.extensions.attr_list",
    "markdown.extensions.md_in_html",
    "markdown.extensions.admonition",
    "compliance_hooks",
]


def start_fork_servers() -> dict[str, ForkServer]:
    """One fork server for the loader and model cases, one that has imported MkDocs for the build cases."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "hooks")}
    return {"loader": ForkServer(LOADER_IMPORTS, environment), "build": ForkServer(BUILD_IMPORTS, environment)}


def place(case: Case, data: Path, outside: Path) -> None:
    """Put the case's bytes at `data/<target>` in the shape its `as:` asks for."""
    target = data / case.target
    content = case.path.read_bytes()
    if case.kind == "file":
        target.write_bytes(content)
    elif case.kind == "folder":
        target.mkdir()
        (target / "inside.yml").write_bytes(content)
    elif case.kind == "broken-link":
        target.symlink_to("missing.yml")
    elif case.kind == "link-loop":
        target.symlink_to(case.target)
    elif case.kind in ("link-outside", "link-inside"):
        where = outside if case.kind == "link-outside" else data.parent / "shared"
        where.mkdir(exist_ok=True)
        (where / case.target).write_bytes(content)
        target.symlink_to(where / case.target)
    elif case.kind == "fifo":
        os.mkfifo(target)
    elif case.kind in ("editor-droppings", "only-editor-droppings"):
        if case.kind == "editor-droppings":
            target.write_bytes(content)
        (data / DROPPINGS[0].format(case.target)).symlink_to("user@host.4242:1700000000")
        for pattern in DROPPINGS[1:]:
            (data / pattern.format(case.target)).write_bytes(content + b"\x00\x05\x16\x07 not YAML: [")
    elif case.kind.startswith("copies "):  # many small files: the budget across files
        for i in range(int(case.kind.split()[1])):
            (data / f"{target.stem}-{i:03d}.yml").write_bytes(content.replace(b"KEY", f"key{i:03d}".encode()))
    elif case.kind.startswith("named "):  # a name no file of the corpus can have (a newline, an escape)
        (data / case.kind.removeprefix("named ").encode("ascii").decode("unicode_escape")).write_bytes(content)
    elif case.kind == "beside-a-broken-file":  # one file's syntax error must not hide another's problems
        target.write_bytes(content)
        (data / "aaa-broken.yml").write_text("broken: [\n", encoding="utf-8")
    else:
        raise ValueError(f"{case.path.name}: unknown 'as: {case.kind}'")


def place_docs(case: Case, docs: Path, outside: Path) -> None:
    """The case's bytes, links or pipes at the `docs:` paths, beside the project's own pages."""
    for line in case.docs:
        name, arrow, target = (part.strip() for part in line.partition("->"))
        fifo = name.endswith("|fifo")
        path = docs / name.removesuffix("|fifo").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        if arrow:
            path.symlink_to(target.replace("{outside}", str(outside)))
        elif fifo:
            os.mkfifo(path)
        else:
            path.write_bytes(case.path.read_bytes())


@contextlib.contextmanager
def site_lock_held(lock_file: Path, held: bool) -> Iterator[None]:
    """Hold the site folder's lock as a build running beside this one would."""
    if not held:
        yield
        return
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242")
        yield
    finally:
        os.close(fd)


def image_limit(case: Case) -> int:
    """The image limit the case's build ran with (its `# env:` overrides), or the default."""
    try:
        return read_options({}, case.env).limits.image_bytes
    except ComplianceError:
        return Limits().image_bytes


def run_case(server: ForkServer, run: str, project: Path, env: dict[str, str], address_space: int) -> Outcome:
    """A build (`mkdocs build --strict`) or the CHILD script, in a process of its own forked by `server`."""
    # The guide's fixture data is judged on its fixed date, so its expiry dates never drift into the past.
    environment = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(REPO / "hooks"),
        "COMPLIANCE_TODAY": FIXTURE_TODAY,
        **env,
    }
    if run == "build":
        argv = ["mkdocs", "build", "--strict"]
        return server.run(
            cwd=project,
            env=environment,
            argv=argv,
            module="mkdocs",
            address_space=address_space,
            hang_seconds=HANG_SECONDS,
        )
    argv = ["-c", run, str(project)]
    return server.run(
        cwd=project, env=environment, argv=argv, code=CHILD, address_space=address_space, hang_seconds=HANG_SECONDS
    )


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
