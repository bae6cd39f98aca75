"""A rule whose expression fails on a deployment value (``len(distinct(null))``) is one error at
the expression that names the value it was judging; every other rule and pack still reports,
and the exit code is 2 at the end. ``rules check`` finds the failure first (KB-RULES-020)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "packs" / "kb-904-runtime"
DEPLOYMENT = "rules/kb-22/examples/move-same-category.yaml"  # KB22-001 fails on it
EXPRESSION = "kb-904-runtime/pack.yaml:29:24: distinct() needs a list, got null"
JUDGING = f"(rule KB904-001, judging onprem / Internal Users at {DEPLOYMENT}:8:9)"


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    """KB904, whose rule fails on a policy without ``exceptions``, beside a sound KB22."""
    folder = tmp_path_factory.mktemp("rules")
    shutil.copytree(FIXTURE, folder / "kb-904-runtime")
    shutil.copytree(ROOT / "rules" / "kb-22", folder / "kb-22")
    return folder


@pytest.mark.parametrize("form", ["text", "json", "sarif"])
def test_the_other_rules_still_report_and_the_error_names_both_places(kb_lint, rules, form):
    proc = kb_lint("check", DEPLOYMENT, "--rules", rules, "--format", form)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count(EXPRESSION) == 1, proc.stderr
    assert JUDGING in proc.stderr
    assert "Traceback" not in proc.stderr
    if form == "text":
        assert "KB22-001" in proc.stdout
    elif form == "json":
        report = json.loads(proc.stdout)
        assert [f["rule"] for f in report["findings"]] == ["KB22-001"]
        [error] = report["input_errors"]
        assert (error["line"], error["column"]) == (29, 24)
        assert error["path"].endswith("kb-904-runtime/pack.yaml")
        assert JUDGING in error["message"]
    else:
        run = json.loads(proc.stdout)["runs"][0]
        assert [r["ruleId"] for r in run["results"]] == ["KB22-001"]
        [note] = run["invocations"][0]["toolExecutionNotifications"]
        assert JUDGING in note["message"]["text"]


def test_rules_check_reports_the_failure_at_the_expression(kb_lint, rules):
    proc = kb_lint("rules", "check", "--rules", rules, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "KB-RULES-020"]
    assert len(found) == 1, found  # one finding per expression, however many deployments
    [finding] = found
    assert finding["path"].endswith("kb-904-runtime/pack.yaml")
    assert (finding["line"], finding["column"]) == (29, 24)
    assert "distinct() needs a list, got null (rule KB904-001, judging" in finding["message"]


def test_a_guarded_expression_passes_rules_check(kb_lint, rules, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(rules, folder)
    pack = folder / "kb-904-runtime" / "pack.yaml"
    text = pack.read_text("utf-8")
    pack.write_text(text.replace("when: len(", "when: exceptions and len("), "utf-8")
    proc = kb_lint("rules", "check", "--rules", folder, "--format", "json")
    rules_found = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert "KB-RULES-020" not in rules_found, proc.stdout
    assert kb_lint("check", DEPLOYMENT, "--rules", folder).returncode == 1


def test_the_summary_counts_a_rule_error_apart_from_the_files_not_checked(kb_lint, rules):
    """The file was checked by its other rules: the failure is the pack's, so the summary says
    "rule error", not "input error (not checked)"; JSON names the rule."""
    proc = kb_lint("check", DEPLOYMENT, "--rules", rules)
    assert proc.returncode == 2
    summary = proc.stdout.splitlines()[-1]
    assert summary.endswith("; 1 rule error (the file's other rules ran)."), summary
    assert "not checked" not in summary
    report = json.loads(kb_lint("check", DEPLOYMENT, "--rules", rules, "--format", "json").stdout)
    assert [e.get("rule") for e in report["input_errors"]] == ["KB904-001"]
    github = kb_lint("check", DEPLOYMENT, "--rules", rules, "--format", "github").stdout
    assert "title=rule error::distinct() needs a list, got null" in github
