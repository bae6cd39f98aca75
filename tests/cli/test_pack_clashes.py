"""Two packs declaring one action differently: the second pack does not load, and its clash is
a load error like any other (KB-RULES-010 at its declaration, naming the first's place); the
other packs are still checked and run, and the exit code is 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import beside_shipped, changed, fixture_pack_passes, place

FIXTURE = Path(__file__).parent / "packs" / "kb-909-action-clash"
CLASH = "action 'reinitialize-user' is already declared by KB22 at "


@pytest.fixture
def rules(tmp_path) -> Path:
    """KB909 beside KB22, which declares reinitialize-user with reinit_type, and KB1508, whose
    copy has a stale citation (a finding of a pack that loads)."""
    folder = beside_shipped(tmp_path, FIXTURE, "kb-22", "kb-1508")
    changed(
        folder / "kb-1508" / "pack.yaml", ('"sha256:c38a72a479f5f654"', '"sha256:0000000000000000"')
    )
    return folder


def declaration(rules: Path, pack: str) -> str:
    """The file:line:col of the ``name: reinitialize-user`` entry of ``pack``'s actions."""
    path = rules / pack / "pack.yaml"
    line, column = place(path, "name: reinitialize-user")
    return f"{path}:{line}:{column}"


def test_the_fixture_alone_passes(kb_lint, tmp_path):
    """The clash is the one thing wrong with KB909: alone, it passes."""
    folder = beside_shipped(tmp_path, FIXTURE)
    fixture_pack_passes(kb_lint, folder, examples=2)


@pytest.mark.parametrize("form", ["text", "json", "sarif", "github"])
def test_rules_check_reports_the_clash_among_the_findings(kb_lint, rules, form):
    proc = kb_lint("rules", "check", "--rules", rules, "--format", form)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    second, first = declaration(rules, "kb-909-action-clash"), declaration(rules, "kb-22")
    clash = f"{CLASH}{first}, differently: needs [instance, policy, email] here"
    if form == "text":
        assert proc.stderr == ""
        assert f"{second}: KB-RULES-010 error {clash}" in proc.stdout
        assert "KB-RULES-004" in proc.stdout  # KB1508 was still checked
        assert proc.stdout.splitlines()[-1].endswith(
            f"in 3 files; 1 pack did not load ({rules / 'kb-909-action-clash' / 'pack.yaml'}; "
            "its error above): its other checks and examples were not run."
        )
        return
    assert proc.stderr.count(CLASH) == 1, proc.stderr  # said once, for the log
    if form == "json":
        report = json.loads(proc.stdout)
        [found] = [f for f in report["findings"] if f["rule"] == "KB-RULES-010"]
        assert f"{found['path']}:{found['line']}:{found['column']}" == second
        assert found["message"].startswith(clash)
        assert any(f["rule"] == "KB-RULES-004" for f in report["findings"])
        assert report["summary"]["packs_not_loaded"] == 1
    elif form == "sarif":
        run = json.loads(proc.stdout)["runs"][0]
        rules_found = [r["ruleId"] for r in run["results"]]
        assert rules_found.count("KB-RULES-010") == 1 and "KB-RULES-004" in rules_found
    else:
        line, column = second.rsplit(":", 2)[1:]
        assert f",line={line},col={column},title=KB-RULES-010::" in proc.stdout


def test_rules_test_runs_the_other_packs_examples(kb_lint, rules):
    proc = kb_lint("rules", "test", "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    [said] = proc.stderr.splitlines()
    assert said.startswith(f"kb-lint: {declaration(rules, 'kb-909-action-clash')}: {CLASH}")
    assert "✓ KB22-002" in proc.stdout and "✓ KB1508-" in proc.stdout
    assert "KB909" not in proc.stdout


def test_check_says_the_clash_once_and_checks_with_the_other_packs(kb_lint, rules):
    """A deployment check: one line at the second declaration, the deployment still checked
    by the packs that load, exit 2."""
    example = rules / "kb-22" / "examples" / "reinit-full.yaml"
    proc = kb_lint("check", example, "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    [said] = proc.stderr.splitlines()
    assert said.startswith(f"kb-lint: {declaration(rules, 'kb-909-action-clash')}: {CLASH}")
    assert "KB22-002" in proc.stdout
    assert proc.stdout.splitlines()[-1].endswith(
        "; 1 pack load error (those packs' rules not run)."
    )


def test_a_pack_redeclaring_a_built_in_action_is_a_load_error_too(kb_lint, rules):
    changed(
        rules / "kb-909-action-clash" / "pack.yaml",
        ("  - name: reinitialize-user\n", "  - name: add-user\n"),
    )
    proc = kb_lint("rules", "check", "--rules", rules, "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    [found] = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "KB-RULES-010"]
    assert found["message"] == "action 'add-user' is already declared built in"
    path = rules / "kb-909-action-clash" / "pack.yaml"
    line, column = place(path, "name: add-user")
    assert (found["path"], found["line"], found["column"]) == (str(path), line, column)
