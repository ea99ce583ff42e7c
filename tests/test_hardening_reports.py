"""Issue 29: every report a CI log or job summary shows is safe, and what users and caches give is bounded.

Hostile text (a server's multi-line FTP reply, a status line carrying Markdown, a poisoned cache) goes
into every format and must neither render nor start a workflow command; caches, patterns and numbers
that could hang or crash the checker are refused with one line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compliance.links.cache import LinkCache
from compliance.links.check import LinkOutcome
from compliance.links.classify import LinkClass, Verdict
from compliance.links.cli import UsageError, arguments_from_environment, main
from compliance.links.escaping import UNSAFE, markdown_code
from compliance.links.formats import render
from compliance.links.linkmap import LinkSource, link_map_path, write_link_map
from compliance.links.report import LinkReport
from conftest import REPO, run_mkdocs
from standins.fault_standin import FaultStandin, answer
from standins.ftp_standin import FtpStandin

HOSTILE = [
    "first line\n::error::injected from a second line",
    "::error file=x.yml,line=1::a command of its own",
    "  ::warning::indented, as the runner trims it",
    "##[error]the runner's older command syntax",
    "![x](http://evil.example/pixel.png) and [a link](http://evil.example)",
    "<img src=x onerror=alert(1)> <b>bold</b>",
    "\x1b[31mred\x1b[0m and a carriage\rreturn, a bell\x07, a NEL\x85",
    "`code` | pipe | ``two`` *em* _em_ # \\ \u202eright-to-left\u2028line separator",
]
COMMAND = re.compile(r"^\s*(::|##\[)")


def hostile_report() -> LinkReport:
    outcomes = []
    for number, text in enumerate(HOSTILE):
        source = LinkSource("data", f"data/{text}.yml", number + 1, f"claims[{number}].{text}", 2)
        verdict = Verdict(LinkClass.BROKEN if number % 2 else LinkClass.WARNING, text, text)
        url = f"https://example.com/{number}/{text}"
        outcomes.append(LinkOutcome(url, url + "?checked", verdict, url + "?final", [source, LinkSource("theme")]))
    return LinkReport(outcomes, 1.0, notices=HOSTILE)


def outside_code_spans(markdown: str) -> str:
    """The Markdown with every code span taken out (CommonMark: a run of n backticks closes n backticks)."""
    return re.sub(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown.replace("\\|", ""))


def test_the_text_report_keeps_each_value_on_its_line_and_starts_no_command() -> None:
    text = render(hostile_report(), "text")
    lines = text.splitlines()
    assert not [line for line in lines if COMMAND.match(line)]
    assert not UNSAFE.search(text.replace("\n", ""))
    # Per link: blank, label, status, advice, checked as, final URL, two sources; then the summary and notices.
    assert len(lines) == 1 + len(HOSTILE) + 8 * len(HOSTILE)
    assert "        status: first line\\n::error::injected from a second line" in lines
    assert "          \\x3a:warning::indented, as the runner trims it" in lines  # the indent stays
    assert "        \\x3a:error file=x.yml,line=1::a command of its own" in lines
    assert "warning: \\x1b[31mred\\x1b[0m and a carriage\\rreturn, a bell\\x07, a NEL\\x85" in lines


def test_the_markdown_report_shows_outside_text_as_code_that_nothing_renders() -> None:
    markdown = render(hostile_report(), "markdown")
    assert not UNSAFE.search(markdown.replace("\n", ""))
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(HOSTILE)
    for row in rows:  # four cells each: no `|` from outside ends a cell
        assert len(re.split(r"(?<!\\)\|", row)) == 6, row
    rest = outside_code_spans(markdown)
    for rendered in ("![", "](", "<img", "<b>", "http://evil", "*em*", "_em_", "::error", "\\x1b"):
        assert rendered not in rest
    assert markdown_code("`a`") == "`` `a` ``" and markdown_code("a|b") == "`a\\|b`"
    assert markdown_code("a|b", in_table=False) == "`a|b`" and markdown_code("") == ""


def test_github_annotations_escape_messages_and_properties() -> None:
    lines = render(hostile_report(), "github").splitlines()
    commands = [line for line in lines if line.startswith("::")]
    # One per source of each link, one per notice; then the summary, the only other line.
    assert len(commands) == 2 * len(HOSTILE) + len(HOSTILE) and len(lines) == len(commands) + 1
    for line in commands:
        assert not UNSAFE.search(line)
        match = re.fullmatch(r"::(error|warning)( [^:]*)?::(.*)", line)
        assert match, line
        for pair in match[2].strip().split(",") if match[2] else []:
            assert re.fullmatch(r"(file|line|col|title)=[^:,]*", pair), pair
        assert "%0A" not in match[3] and "\n" not in match[3]


def test_json_is_safe_as_json_dumps_writes_it() -> None:
    report = hostile_report()
    text = render(report, "json")
    assert re.fullmatch(r"[\n\x20-\x7e]*", text)  # ASCII only: every other character is a \u escape
    assert not [line for line in text.splitlines() if COMMAND.match(line)]
    payload = json.loads(text)
    assert [link["status"] for link in payload["links"]] == [o.verdict.status for o in report.outcomes]
    assert payload["notices"] == HOSTILE


def site_with(tmp_path: Path, urls: list[str]) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("".join(f'<a href="{url}">x</a>\n' for url in urls), encoding="utf-8")
    write_link_map(link_map_path(site), {})
    return site


def check(tmp_path: Path, urls: list[str], *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--site", str(site_with(tmp_path, urls)), "--retries", "0", "--progress", "never", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("form", ["text", "markdown", "github"])
def test_a_status_line_and_a_multi_line_ftp_reply_reach_no_report_as_written(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = "550-\x1b[31mNo such file\r\n::error::pwned by the FTP server\r\n550 ![x](http://evil.example/x.png)"
    image = "![x](http://evil.example/x.png) <img src=x>"
    with FaultStandin("127.0.0.1", {"/bad": answer(404, image)}) as http, FtpStandin(tmp_path, reply_550=reply) as ftp:
        urls = [http.url("/bad"), ftp.url("/no/such/dir/file.pdf")]  # the CWD gets the reply
        code, out, _ = check(tmp_path, urls, "--no-cache", "--format", form, capsys=capsys)
    assert code == 1 and "pwned by the FTP server" in out and "evil.example" in out
    assert not [line for line in out.splitlines() if re.match(r"\s*::error::pwned", line)]
    if form != "github":  # where every line but the summary is a command, by design
        assert not [line for line in out.splitlines() if COMMAND.match(line)]
    assert "\x1b" not in out and "\r" not in out
    if form == "markdown":
        assert "evil" not in outside_code_spans(out) and "<img" not in outside_code_spans(out)


def test_a_poisoned_cache_entry_is_ignored_and_a_hostile_valid_one_starts_no_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FaultStandin("127.0.0.1", {"/ok": answer(200, "OK"), "/w": answer(200, "OK")}) as http:
        ok, warned = http.url("/ok"), http.url("/w")
        cache = tmp_path / "links.json"
        now = time.time()
        entry = {"checked_at": now, "kind": "ok", "status": "OK", "advice": "", "final_url": ok}
        poisoned = {**entry, "status": "OK\n::error::pwned by the cache"}
        hostile = {**entry, "kind": "warning", "advice": "::error::a one-line command", "final_url": warned}
        links = {ok: poisoned, warned: hostile, "a": {**entry, "checked_at": True}, "b": {**entry, "kind": "broken"}}
        cache.write_text(json.dumps({"version": 1, "links": links}), encoding="utf-8")
        assert LinkCache(cache).get(ok) is None and LinkCache(cache).get("a") is None
        assert LinkCache(cache).get("b") is None and LinkCache(cache).get(warned) is not None
        code, out, _ = check(tmp_path, [ok, warned], "--cache", str(cache), capsys=capsys)
        assert http.requests_for("/ok") == 1 and http.requests_for("/w") == 0  # the poisoned entry was re-checked
    assert code == 0 and "pwned" not in out
    assert "        \\x3a:error::a one-line command" in out.splitlines()


def test_cache_files_that_no_check_wrote_are_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000, encoding="utf-8")  # json would recurse past the interpreter's limit
    assert LinkCache(deep).problem == "" and LinkCache(deep).get("x") is None
    nan = tmp_path / "nan.json"
    nan.write_text('{"version": 1, "links": {"u": {"checked_at": NaN, "kind": "ok"}}}', encoding="utf-8")
    assert LinkCache(nan).get("u") is None
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(64 * 1024 * 1024 + 1)  # sparse: costs no disk
    cache = LinkCache(huge)
    cache.put("https://example.com/", Verdict(LinkClass.OK, "200 OK"), "https://example.com/")
    cache.save()
    assert cache.problem == f"{huge}: cannot use the link cache (larger than 64 MiB); checking without it"
    assert huge.stat().st_size == 64 * 1024 * 1024 + 1  # never written over


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory"])
def test_a_cache_path_that_is_no_regular_file_is_one_warning_never_a_hang(tmp_path: Path, kind: str) -> None:
    cache = tmp_path / "links.json"
    if kind == "dev-zero":
        cache.symlink_to("/dev/zero")  # a link to it: a checker that wrote its cache would replace the link only
    elif kind == "fifo":
        os.mkfifo(cache)
    else:
        cache.mkdir()
    with FaultStandin("127.0.0.1", {"/ok": answer(200, "OK")}) as http:
        site = site_with(tmp_path, [http.url("/ok")])  # a success: the checker has something to cache
        argv = ["--site", str(site), "--cache", str(cache), "--progress", "never"]
        done = bounded_run("compliance.links", *argv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    reason = {"dev-zero": "not a regular file", "fifo": "not a regular file", "directory": "is a directory"}[kind]
    assert f"warning: {cache}: cannot use the link cache ({reason}); checking without it\n" in done.stdout
    assert cache.is_symlink() if kind == "dev-zero" else not cache.is_file()


# Runs a script or a module under a CPU-time and a memory bound (no preexec_fn: the test process has threads).
_BOUNDED = """
import resource, runpy, sys
for limit, value in ((resource.RLIMIT_CPU, 20), (resource.RLIMIT_AS, 4 << 30)):
    resource.setrlimit(limit, (value, value))
target, sys.argv = sys.argv[1], sys.argv[1:]
if target.endswith(".py"):
    runpy.run_path(target, run_name="__main__")
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


def bounded_run(target: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a script or module with a CPU, memory and wall-clock bound: a regression fails one test, not the suite."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "hooks")}
    command = [sys.executable, "-c", _BOUNDED, target, *args]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60)


_BACKTRACKING = """
import resource
from compliance.links.cli import options_from, parse_arguments
from compliance.links.check import remap
url = "https://example.com/" + "a" * 50_000 + "!"
for name, argv in [
    ("--exclude", ["--exclude", "(a+)+$"]),
    ("--include", ["--include", "(a|aa)+$"]),
    ("--remap", ["--remap", "(a+)+$ https://example.org/"]),
    ("ignore file", ["--ignore-file", "ignore"]),
    ("links.toml", ["--config", "links.toml"]),
]:
    options = options_from(parse_arguments(argv))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    options.excluded(url), remap(url, options.remaps)
    print(name, round(resource.getrusage(resource.RUSAGE_SELF).ru_utime - before, 3))
"""


def test_catastrophic_patterns_from_every_source_match_in_bounded_time(tmp_path: Path) -> None:
    (tmp_path / "ignore").write_text("# a pattern that backtracks in `re`\n(x+x+)+y$\n(a*)*$\n", encoding="utf-8")
    (tmp_path / "links.toml").write_text('exclude = ["^(([a-z])+.)+[A-Z]([a-z])+$"]\n', encoding="utf-8")
    (tmp_path / "backtracking.py").write_text(_BACKTRACKING, encoding="utf-8")
    done = bounded_run("backtracking.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seconds = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in done.stdout.splitlines()}
    assert set(seconds) == {"--exclude", "--include", "--remap", "ignore file", "links.toml"}
    assert max(seconds.values()) < 1.0, seconds


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["--exclude", r"(a)\1"], {}, r"error: --exclude '(a)\\1': bad regular expression: invalid escape sequence"),
        (["--include", "^(?=https)"], {}, "error: --include '^(?=https)': bad regular expression: invalid perl"),
        (["--remap", "(?<!s)x https://y"], {}, "error: --remap '(?<!s)x https://y': bad regular expression"),
        (["--ignore-file", "ignore"], {"ignore": "ok\n(?!x)\n"}, "error: ignore:2: '(?!x)': bad regular expression"),
        ([], {"links.toml": "exclude = ['(b)\\1']"}, r"error: --exclude '(b)\\1': bad regular expression"),
        (["--config", "/dev/zero"], {}, "error: /dev/zero: cannot read (not a regular file)"),
        (["--ignore-file", "."], {}, "error: .: cannot read (is a directory)"),
    ],
)
def test_patterns_re2_refuses_are_one_line_naming_option_and_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], args, files, message
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["--site", str(site_with(tmp_path, [])), "--no-cache", *args]) == 2
    err = capfd.readouterr().err  # file descriptor 2: RE2's own logging would show here too
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "nan"], "error: --timeout must be a finite number, not nan"),
        (["--timeout", "inf"], "error: --timeout must be a finite number, not inf"),
        (["--timeout", "-1"], "error: --timeout must be greater than 0"),
        (["--deadline=-inf"], "error: --deadline must be a finite number, not -inf"),
        (["--cache-ttl", "NaN"], "error: --cache-ttl must be a finite number, not nan"),
        (["--host-rate", "-2"], "error: --host-rate must be 0 or more"),
        (["--retry-cap", "inf"], "error: --retry-cap must be a finite number, not inf"),
        (["--threads", "-1"], "error: --threads must be 0 or more (0: automatic)"),
    ],
)
def test_numbers_that_mean_nothing_are_refused_by_name(tmp_path: Path, args, message, capsys) -> None:
    assert main(["--site", str(site_with(tmp_path, [])), "--no-cache", *args]) == 2
    assert capsys.readouterr().err == message + "\n"


def test_an_unbalanced_quote_in_check_links_args_names_the_variable() -> None:
    with pytest.raises(UsageError, match=r"^CHECK_LINKS_ARGS: No closing quotation in \"--exclude 'x\"$"):
        arguments_from_environment("--exclude 'x")
    with pytest.raises(UsageError, match=r"^CHECK_LINKS_ARGS: --timeout must be a finite number, not nan$"):
        arguments_from_environment("--timeout nan")


def test_the_build_says_which_variable_it_could_not_read(project: Path) -> None:
    result = run_mkdocs(project, env={"CHECK_LINKS": "1", "CHECK_LINKS_ARGS": "--exclude 'unbalanced"})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "CHECK_LINKS_ARGS" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith('link check: CHECK_LINKS_ARGS: No closing quotation in "--exclude \'unbalanced"')


def test_internal_errors_name_the_page_or_option_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from compliance.links import site as site_module

    def explode(html: str) -> object:
        raise RuntimeError("parser gave up\n::error::a command in an exception")

    site = site_with(tmp_path, [])
    monkeypatch.setattr(site_module, "parse_page", explode)
    assert main(["--site", str(site), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"internal error: {site / 'index.html'}: RuntimeError: parser gave up\\n::error::a command in an exception\n"
    )
    monkeypatch.undo()
    (tmp_path / "report").mkdir()
    assert main(["--site", str(site), "--no-cache", "--json", str(tmp_path / "report")]) == 2
    assert capsys.readouterr().err == f"error: --json {tmp_path / 'report'}: cannot write (Is a directory)\n"
