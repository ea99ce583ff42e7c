"""The links of every language's site are checked, each at the YAML line it came from (a translation's own)."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.links.cli import main
from compliance.links.linkmap import read_link_map
from conftest import copy_project, run_mkdocs
from standins.http_standin import HttpStandin

EXAMPLE_DATA = "examples/harborledger/data"
# Written only in a Swedish prose value: the English site never shows it.
SWEDISH_ONLY = "https://granskning.example/status/404"


def test_a_broken_link_only_in_a_swedish_prose_value_is_reported_at_its_sv_line(tmp_path: Path, capsys) -> None:
    project = copy_project(tmp_path / "project")
    claims = project / EXAMPLE_DATA / "claims.yml"
    lines = claims.read_text(encoding="utf-8").splitlines()
    at = lines.index("    prose@sv: |")
    lines.insert(at + 1, f"      Läs [granskningen]({SWEDISH_ONLY}).")
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    built = run_mkdocs(project, config="mkdocs.example.yml")
    assert built.returncode == 0, built.stderr
    site = project / "example-site"
    english = [p for p in site.rglob("*.html") if SWEDISH_ONLY in p.read_text(encoding="utf-8")]
    assert english and all(p.relative_to(site).parts[0] == "sv" for p in english), "only Swedish pages show it"
    (source,) = read_link_map(project / "example-site.linkmap.json")[SWEDISH_ONLY]
    where = f"{EXAMPLE_DATA}/claims.yml:{at + 2}"  # its line in the `prose@sv:` value, not in the English one
    assert (source.kind, f"{source.file}:{source.line}") == ("data", where)
    assert source.field.endswith(".prose")
    report = tmp_path / "report.json"
    with HttpStandin(all_ok=True) as http:
        remap = ["--remap", rf"^https?://[^/]+ http://127.0.0.1:{http.port}", "--timeout", "2", "--retries", "0"]
        code = main(["--site", str(site), "--no-cache", "--no-https-twins", "--json", str(report), *remap])
        assert http.requests_for("/status/404") == 1
    out = capsys.readouterr().out
    assert code == 1, out
    assert f"BROKEN  {SWEDISH_ONLY}\n" in out and f"        from: {source}\n" in out
    # The example's own address's files (its certificate's PDF) are not in the example: those fail too.
    links = json.loads(report.read_text(encoding="utf-8"))["links"]
    (broken,) = [o for o in links if o["class"] == "broken" and o["url"].startswith("https://")]
    assert broken["url"] == SWEDISH_ONLY and broken["sources"][0]["text"] == str(source)
    shown = [s["text"] for s in broken["sources"][1:]]
    assert shown and all("/example-site/sv/" in text for text in shown), "the Swedish pages showing it are named"
