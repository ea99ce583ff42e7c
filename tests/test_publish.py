"""Whatever stops a build, the last good site stays published, and leftovers are cleared next time.

The core (`StagedSite`) is tested on folders; the hook wiring with real `mkdocs build`
subprocesses that a helper hook stops at a chosen point: by SIGINT (Ctrl-C), SIGTERM,
SIGKILL, a crash inside a plugin, or a warning under --strict.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from compliance.publish.staging import BuildStopped, PublishError, StagedSite, restore_signals, stop_on_signals
from conftest import copy_project, run_mkdocs

# A hook added to the copied project: at STALL_AT ("page" or "post_build") it does STALL_DO.
STALL_HOOK = """
import logging, os, time
from pathlib import Path

def _act(event):
    if os.environ.get("STALL_AT") != event:
        return
    if os.environ["STALL_DO"] == "crash":
        raise RuntimeError("a plugin crashed")
    if os.environ["STALL_DO"] == "warn":
        logging.getLogger("mkdocs.plugins.stall").warning("a warning that --strict turns into a failure")
        return
    Path(os.environ["STALL_MARKER"]).touch()
    time.sleep(120)

def on_page_markdown(markdown, **kwargs):
    _act("page")
    return markdown

def on_post_build(**kwargs):
    _act("post_build")
"""
CHANGE = "Changed after the first build."


def _snapshot(project: Path) -> dict[str, bytes]:
    """Every published byte: the site's files and the link map beside it."""
    files = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    files["site.linkmap.json"] = (project / "site.linkmap.json").read_bytes()
    return files


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.glob(".site.*"))


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the stall hook, built once; each test works on its own copy of it."""
    project = copy_project(tmp_path_factory.mktemp("publish") / "project")
    (project / "stall_hook.py").write_text(STALL_HOOK, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = "hooks:\n  - hooks/compliance_hooks.py\n"
    assert hooks in config
    (project / "mkdocs.yml").write_text(config.replace(hooks, hooks + "  - stall_hook.py\n"), encoding="utf-8")
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A built project whose next build would publish a visible change."""
    subprocess.run(["cp", "-a", str(built_project), str(tmp_path / "project")], check=True)
    project = tmp_path / "project"
    with (project / "docs" / "index.md").open("a", encoding="utf-8") as page:
        page.write(f"\n{CHANGE}\n")
    return project


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_build(project: Path, stall_at: str) -> tuple[subprocess.Popen[str], Path]:
    marker = project.parent / "stalled"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "STALL_AT": stall_at, "STALL_DO": "stall"}
    env["STALL_MARKER"] = str(marker)
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job (`make test &`, nohup) starts with SIGINT ignored, and a Python started
        # so never raises KeyboardInterrupt: the build under test gets the default a terminal gives it.
        preexec_fn=_default_interrupt,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached the stall point"
        time.sleep(0.02)
    return process, marker


def _assert_next_build_publishes_and_clears(project: Path) -> None:
    result = run_mkdocs(project)
    assert result.returncode == 0, result.stderr
    assert _leftovers(project) == []
    assert CHANGE in (project / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("signum", "stall_at"),
    [(signal.SIGINT, "page"), (signal.SIGINT, "post_build"), (signal.SIGTERM, "post_build")],
    ids=["SIGINT-while-rendering", "SIGINT-after-rendering", "SIGTERM-after-rendering"],
)
def test_a_stopped_build_leaves_the_previous_site_byte_for_byte(project: Path, signum: int, stall_at: str) -> None:
    before = _snapshot(project)
    process, _ = _start_build(project, stall_at)
    assert [p for p in _leftovers(project) if ".staging-" in p], "the build stages beside the site"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr
    assert _snapshot(project) == before
    assert _leftovers(project) == [], "a stopped build removes its own staging folder"
    _assert_next_build_publishes_and_clears(project)


def test_a_killed_build_leaves_the_site_and_the_next_build_clears_its_staging(project: Path) -> None:
    before = _snapshot(project)
    process, _ = _start_build(project, "post_build")
    process.kill()
    process.communicate(timeout=60)
    assert _snapshot(project) == before
    assert [p for p in _leftovers(project) if ".staging-" in p], "SIGKILL leaves the staging folder behind"
    _assert_next_build_publishes_and_clears(project)


@pytest.mark.parametrize("what", ["crash", "warn"])
def test_a_plugin_crash_or_a_strict_warning_leaves_the_previous_site(project: Path, what: str) -> None:
    before = _snapshot(project)
    result = run_mkdocs(project, env={"STALL_AT": "post_build", "STALL_DO": what})
    assert result.returncode != 0
    assert ("a plugin crashed" if what == "crash" else "in strict mode") in result.stdout + result.stderr
    assert _snapshot(project) == before
    assert _leftovers(project) == []


def test_commit_swaps_the_site_and_moves_companions(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    staged = StagedSite(site)
    target = staged.begin()
    (target / "new.html").write_text("new")
    target.with_name(target.name + ".linkmap.json").write_text("{}")
    assert staged.finish(failed=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.linkmap.json"]
    assert [p.name for p in site.iterdir()] == ["new.html"]


def test_finish_discards_while_an_exception_is_on_its_way_out(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good")
    staged = StagedSite(site)
    (staged.begin() / "index.html").write_text("half")
    committed = None
    with pytest.raises(KeyboardInterrupt):
        try:
            raise KeyboardInterrupt
        finally:
            committed = staged.finish(failed=False)
    assert committed is False
    assert (site / "index.html").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_begin_clears_dead_builds_leftovers_but_not_a_running_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    dead = _dead_pid()
    for name in (f".site.staging-{dead}", ".site.staging-running", f".site.old-{dead}"):
        (tmp_path / name).mkdir()
    (tmp_path / f".site.staging-{dead}.linkmap.json").write_text("{}")
    running = os.open(tmp_path / ".site.staging-running", os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(running, fcntl.LOCK_EX)
    try:
        staged = StagedSite(site)
        staged.begin()
        # A running build also holds the site folder's lock file, removed when it ends.
        assert _leftovers(tmp_path) == sorted([".site.lock", ".site.staging-running", staged.staging_dir.name])
        staged.discard()
    finally:
        os.close(running)


def test_a_second_build_into_the_same_site_stops_with_a_message_and_touches_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    first = StagedSite(site)
    (first.begin() / "index.html").write_text("first")
    with pytest.raises(PublishError) as caught:
        StagedSite(site).begin()
    assert str(caught.value) == (
        f"another build into {site} is running (process {os.getpid()}); "
        "wait for it to finish, or build into another folder with --site-dir"
    )
    assert (first.staging_dir / "index.html").read_text() == "first"
    assert first.finish(failed=False)
    assert (site / "index.html").read_text() == "first"
    second = StagedSite(site)
    second.begin()  # the lock is free again once the first build ends
    second.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_site_folder_that_cannot_be_built_beside_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(PublishError) as caught:
        StagedSite(tmp_path / "file" / "site").begin()
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'file' / 'site'}: cannot build beside it (File exists: ")
    assert message.endswith("the folder holding it must be writable") and "\n" not in message


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to user nobody, which only root can do")
def test_a_read_only_folder_is_one_line_for_a_user_who_cannot_write_it() -> None:
    # Root writes anywhere, so the folder is tried by a forked child that has become `nobody`.
    # The folder lives in /tmp: pytest's own folders are closed to other users.
    holder = Path(tempfile.mkdtemp(prefix="read-only-"))
    try:
        holder.chmod(0o555)
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child's outcome comes back through the pipe
            outcome = "no error"
            try:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                StagedSite(holder / "site").begin()
            except PublishError as exc:
                outcome = str(exc)
            except BaseException as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            os.write(writing, outcome.encode())
            os._exit(0)
        os.close(writing)
        os.waitpid(child, 0)
        with os.fdopen(reading, encoding="utf-8") as pipe:
            message = pipe.read()
        assert message.startswith(f"{holder / 'site'}: cannot build beside it (Permission denied: "), message
        assert message.endswith("the folder holding it must be writable") and "\n" not in message
        assert sorted(holder.iterdir()) == []
    finally:
        holder.chmod(0o755)
        shutil.rmtree(holder)


def test_begin_restores_the_site_a_kill_in_the_middle_of_a_swap_left_aside(tmp_path: Path) -> None:
    dead = _dead_pid()
    retired = tmp_path / f".site.old-{dead}"
    retired.mkdir()
    (retired / "index.html").write_text("last good")
    (tmp_path / f".site.staging-{dead}").mkdir()
    staged = StagedSite(tmp_path / "site")
    staged.begin()
    assert (tmp_path / "site" / "index.html").read_text() == "last good"
    staged.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_stop_signals_unwind_as_an_exit_with_the_shells_code() -> None:
    stop_on_signals()
    try:
        with pytest.raises(BuildStopped) as caught:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs before this returns
        assert (caught.value.code, caught.value.signal_name) == (143, "SIGTERM")
    finally:
        restore_signals()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
