"""End-to-end runs of ``kb-lint check``: real files, a real subprocess, every output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "rules" / "kb-105" / "examples"
BAD = Path(__file__).parent / "check" / "bad"


def test_overlap_with_same_names_predicts_errors(kb_lint):
    proc = kb_lint("check", EXAMPLES / "two-instances-same-names.yaml", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "KB105-001"]
    assert finding["severity"] == "error"
    assert finding["line"] == 10 and finding["column"] == 13
    assert finding["subject"]["email"] == "user@email.com"
    assert finding["subject"]["bindings"] == [
        {"instance": "riva-cloud", "policy": "Trial"},
        {"instance": "riva-onprem", "policy": "Sales"},
    ]
    assert finding["outcome"] == {
        "sync_errors": True,
        "mailbox_copies": 2,
        "crm_duplicates": False,
        "lost_and_found": False,
        "dormant": False,
    }
    assert finding["related"][0]["line"] == 17
    assert report["summary"] == {
        "files": 1,
        "findings": 1,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "input_errors": 0,
    }


def test_clean_deployment_exits_zero(kb_lint):
    proc = kb_lint("check", EXAMPLES / "clean.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All checks passed" in proc.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_reports_the_overlap(kb_lint, fmt):
    proc = kb_lint("check", EXAMPLES / "two-instances-different-names.yaml", "--format", fmt)
    assert proc.returncode == 1, proc.stderr
    assert "KB105-001" in proc.stdout
    if fmt in ("json", "sarif"):
        json.loads(proc.stdout)


def test_select_and_ignore_by_id(kb_lint):
    path = EXAMPLES / "two-instances-same-names.yaml"
    assert kb_lint("check", path, "--ignore", "KB105-001").returncode == 0
    assert kb_lint("check", path, "--select", "KB105-002").returncode == 0
    assert kb_lint("check", path, "--select", "KB105").returncode == 1


def test_config_in_kb_lint_toml_ignores_per_file(kb_lint, tmp_path):
    deployment = tmp_path / "deploy.yaml"
    deployment.write_text((EXAMPLES / "two-instances-same-names.yaml").read_text())
    (tmp_path / "kb-lint.toml").write_text(
        f'rules = "{(ROOT / "rules").as_posix()}"\n'
        '[per-file-ignores]\n"deploy.yaml" = ["KB105-001"]\n'
    )
    proc = kb_lint("check", "deploy.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_waiver_with_reason_and_expired_waiver(kb_lint, tmp_path):
    deployment = tmp_path / "deploy.yaml"
    deployment.write_text((EXAMPLES / "two-instances-same-names.yaml").read_text())
    rules = (ROOT / "rules").as_posix()
    (tmp_path / "kb-lint.toml").write_text(
        f'rules = "{rules}"\n'
        '[[waivers]]\nrule = "KB105-001"\nsubject = "user@email.com"\n'
        'reason = "trial ends Friday"\nowner = "ops"\nexpires = 2999-01-01\n'
    )
    assert kb_lint("check", "deploy.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "kb-lint.toml").write_text(
        f'rules = "{rules}"\n'
        '[[waivers]]\nrule = "KB105-001"\nreason = "trial ends Friday"\nexpires = 2020-01-01\n'
        '[[waivers]]\nrule = "KB105-002"\nreason = "nothing to waive"\n'
    )
    proc = kb_lint("check", "deploy.yaml", "--format", "json", cwd=tmp_path)
    rules_seen = sorted(f["rule"] for f in json.loads(proc.stdout)["findings"])
    assert rules_seen == ["KB-WAIVER-001", "KB-WAIVER-002", "KB105-001"]


def test_migration_that_skips_cleanup_is_one_finding_naming_each_missing_step(kb_lint):
    proc = kb_lint("check", EXAMPLES / "migration-skips-cleanup.yaml", "--format", "json")
    assert proc.returncode == 1
    [finding] = json.loads(proc.stdout)["findings"]  # one step of the article: its item 3
    assert finding["subject"]["step"] == [
        "remove-contacts-and-leads",
        "remove-appointments",
        "remove-tasks",
        "remove-folder-structure",
        "remove-categories",
    ]
    assert finding["outcome"]["leftovers"] == ["categories"]  # the folder root is shared: "CRM"


@pytest.mark.parametrize(
    ("name", "where", "fragment"),
    [
        ("malformed.yaml", ":5:1:", "expected"),
        ("malformed.json", ":2:42:", "Expecting"),
        ("malformed.csv", ":2:", "unexpected end of data"),
        ("unknown-key.yaml", ":6:9:", "did you mean 'sync_all_items'?"),
        ("wrong-type.yaml", ":6:25:", "boolean"),
        ("duplicate-key.yaml", ":4:5:", "duplicate key 'kind'"),
        ("policy-twice.yaml", ":6:15:", "named twice"),
        ("instance-twice.json", ":3:12:", "named twice"),
        ("unknown-instance.yaml", ":5:56:", "did you mean 'riva-cloud'?"),
        ("alias-bomb.yaml", ":", "alias"),
        ("missing.yaml", ":", "no such file"),
    ],
)
def test_bad_input_is_one_clear_message_and_exit_2(kb_lint, name, where, fragment):
    proc = kb_lint("check", BAD / name)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert f"{name}{where}" in line
    assert fragment.lower() in line.lower()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("users:\n          - {email: '  ', crm_user: z}\n", ":7:21:", "email is empty"),
        ("users:\n          - {email: a@b, crm_user: ''}\n", ":7:36:", "crm_user is empty"),
    ],
)
def test_an_empty_email_or_crm_user_is_refused(kb_lint, tmp_path, text, where, message):
    path = tmp_path / "empty.yaml"
    path.write_text(
        "instances:\n  - name: a\n    kind: cloud\n    policies:\n      - name: P\n        " + text
    )
    proc = kb_lint("check", path)
    assert proc.returncode == 2
    assert f"empty.yaml{where} {message}" in proc.stderr


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (("check", EXAMPLES / "clean.yaml"), ("--select", "KB105-0O1")),
        (("check", EXAMPLES / "clean.yaml"), ("--ignore", "KB106")),
        (("articles", ROOT / "docs" / "articles"), ("--select", "KB-STYEL-001")),
        (("rules", "check"), ("--ignore", "KB-RULE-004")),
    ],
)
def test_a_selection_that_names_no_rule_is_a_usage_error(kb_lint, command, option):
    proc = kb_lint(*command, *option)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"--{option[0][2:]} {option[1]}: no rule has this id or prefix" in proc.stderr


WHY = (
    "row 7 of 'expected-challenges' for contacts, leads, appointments, tasks: Category names: "
    "different (My Sync (Cloud), My Sync (On-Premise)); Folder names: different (CRM (Cloud), "
    "CRM); Sync all items: none (off) (article § expected-challenges, item 2)"
)


def test_every_format_says_why_a_finding_predicts_what_it_predicts(kb_lint):
    path = EXAMPLES / "two-instances-different-names.yaml"
    report = json.loads(kb_lint("check", path, "--format", "json").stdout)
    [finding] = report["findings"]
    assert finding["why"] == WHY
    assert finding["because"] == ["expected-challenges/7", "article § expected-challenges, item 2"]
    assert f"  = why: {WHY}" in kb_lint("check", path).stdout
    sarif = json.loads(kb_lint("check", path, "--format", "sarif").stdout)
    [result] = sarif["runs"][0]["results"]
    assert result["properties"]["why"] == WHY
    assert (
        "why: row 7 of 'expected-challenges'" in kb_lint("check", path, "--format", "github").stdout
    )


def test_why_names_the_assumptions_that_decide_the_row(kb_lint):
    path = EXAMPLES / "three-instances.yaml"
    report = json.loads(kb_lint("check", path, "--format", "json").stdout)
    [finding] = [f for f in report["findings"] if f["rule"] == "KB105-001"]
    assert finding["because"] == [
        "expected-challenges/4",
        "article § expected-challenges, item 3",
        "assumption A1",
        "assumption A7",
        "assumption A10",
    ]
