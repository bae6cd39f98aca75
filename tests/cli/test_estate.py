"""``kb-lint check`` on real estates: folders, files named twice, bad files among good ones,
estates split over files (``--estate``, ``include:``). Real files, a real subprocess."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"
CLOUD = """\
instances:
  - name: riva-cloud
    kind: cloud
    policies:
      - name: Trial
        email_system: exchange
        category: Riva
        data_types: [contacts]
        users:
          - {email: ann@acme.example, crm_user: ann@acme.example}
"""
ONPREM = (
    "instance,kind,policy,email,crm_user,email_system,category,data_types\n"
    "onprem-1,on-premise,Sales,bob@acme.example,bob@acme.example,exchange,Riva,contacts\n"
    "onprem-1,on-premise,Sales,Ann@Acme.example,ann@acme.example,exchange,Riva,contacts\n"
)


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    (tmp_path / "cloud.yaml").write_text(CLOUD)
    (tmp_path / "onprem.csv").write_text(ONPREM)
    return tmp_path


def findings(proc) -> list[dict]:
    return json.loads(proc.stdout)["findings"]


def test_a_folder_checks_every_deployment_in_it(kb_lint):
    proc = kb_lint("check", "examples/", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["files"] == 7  # the deployment and the six scenarios
    paths = {f["path"] for f in report["findings"]}
    assert "examples/deployment.yaml" in paths
    assert "examples/scenarios/same-names.yaml" in paths


def test_a_folder_without_deployments_is_an_input_error_not_a_pass(kb_lint, tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to check\n")
    proc = kb_lint("check", tmp_path)
    assert proc.returncode == 2
    assert "no deployment files or articles in this folder" in proc.stderr
    assert "All checks passed" not in proc.stdout


def test_the_same_file_named_three_times_is_checked_once(kb_lint):
    once = kb_lint("check", "examples/deployment.yaml", "--format", "json")
    thrice = kb_lint(
        "check",
        "examples/deployment.yaml",
        "./examples/deployment.yaml",
        EXAMPLES / "deployment.yaml",
        "--format",
        "json",
    )
    assert thrice.returncode == once.returncode == 1
    assert json.loads(thrice.stdout)["summary"] == json.loads(once.stdout)["summary"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_bad_file_does_not_stop_the_run_and_is_reported_in_every_format(kb_lint, fmt):
    bad = ROOT / "tests" / "check" / "bad" / "unknown-key.yaml"
    proc = kb_lint("check", bad, "examples/deployment.yaml", "--format", fmt)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    [error] = proc.stderr.strip().splitlines()
    assert error.startswith("kb-lint: ") and "unknown-key.yaml:6:9: unknown key" in error
    assert "KB105-001" in proc.stdout  # the good file was checked
    if fmt == "json":
        report = json.loads(proc.stdout)
        [problem] = report["input_errors"]
        assert (problem["line"], problem["column"]) == (6, 9)
        assert report["summary"]["input_errors"] == 1
    elif fmt == "sarif":
        [invocation] = json.loads(proc.stdout)["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        [note] = invocation["toolExecutionNotifications"]
        assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    elif fmt == "github":
        assert "::error file=" in proc.stdout and "line=6,col=9,title=input error::" in proc.stdout
    else:
        assert proc.stdout.rstrip().endswith("1 input error (not checked).")


def test_files_checked_one_by_one_miss_an_overlap_split_between_them(kb_lint, estate):
    proc = kb_lint("check", "--rules", RULES, "cloud.yaml", "onprem.csv", cwd=estate)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_an_estate_finds_the_overlap_and_names_each_file(kb_lint, estate):
    proc = kb_lint(
        "check",
        "--rules",
        RULES,
        "--estate",
        "cloud.yaml",
        "onprem.csv",
        "--format",
        "json",
        cwd=estate,
    )
    assert proc.returncode == 1, proc.stderr
    [overlap] = [f for f in findings(proc) if f["rule"] == "KB105-001"]
    assert (overlap["path"], overlap["line"], overlap["column"]) == ("cloud.yaml", 10, 13)
    assert [(r["path"], r["line"]) for r in overlap["related"]] == [("onprem.csv", 3)]
    assert json.loads(proc.stdout)["summary"]["files"] == 2


def test_a_deployment_includes_another_file(kb_lint, estate):
    (estate / "all.yaml").write_text("include: [onprem.csv]\n" + CLOUD)
    proc = kb_lint(
        "check", "--rules", RULES, "all.yaml", "onprem.csv", "--format", "json", cwd=estate
    )
    assert proc.returncode == 1, proc.stderr
    [overlap] = findings(proc)  # onprem.csv, included by all.yaml, is not checked twice
    assert overlap["path"] == "all.yaml" and overlap["related"][0]["path"] == "onprem.csv"


def test_an_included_file_that_is_missing_is_an_error_at_the_include(kb_lint, estate):
    (estate / "all.yaml").write_text("include: [onprem.csv, nowhere.yaml]\n" + CLOUD)
    proc = kb_lint("check", "--rules", RULES, "all.yaml", cwd=estate)
    assert proc.returncode == 2
    assert "all.yaml:1:23: included file 'nowhere.yaml' not found" in proc.stderr


def test_an_instance_defined_in_two_files_of_an_estate_is_refused(kb_lint, estate):
    shutil.copy(estate / "cloud.yaml", estate / "again.yaml")
    proc = kb_lint("check", "--rules", RULES, "--estate", "cloud.yaml", "again.yaml", cwd=estate)
    assert proc.returncode == 2
    assert "again.yaml:2:11: instance 'riva-cloud' is defined in cloud.yaml too (line 2)" in (
        proc.stderr
    )


def test_timeline_errors_in_an_estate_name_the_right_file(kb_lint, estate):
    (estate / "plan.yaml").write_text(
        "timeline:\n"
        "  - {at: 2024-05-01, action: disable-policy, instance: riva-cloud, policy: Trail}\n"
    )
    proc = kb_lint("check", "--rules", RULES, "--estate", "cloud.yaml", "plan.yaml", cwd=estate)
    assert proc.returncode == 2
    assert "plan.yaml:2:76: unknown policy of riva-cloud 'Trail'" in proc.stderr


def test_articles_go_on_past_an_article_that_cannot_be_read(kb_lint, tmp_path):
    good = tmp_path / "good.md"
    good.write_text("---\nid: 1\n---\n\n# Title\n\nUse a email address.\n")
    missing = tmp_path / "gone.md"
    proc = kb_lint(
        "articles",
        good,
        tmp_path / "folder.md",
        missing,
        "--format",
        "github",
        "--select",
        "KB-STYLE",
        "--rules",
        RULES,
    )
    assert proc.returncode == 2
    assert "KB-STYLE-002" in proc.stdout  # the good article was linted
    assert f"::error file={missing},title=input error::" in proc.stdout
