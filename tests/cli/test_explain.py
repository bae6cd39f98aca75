"""``kb-lint explain RULE``: every rule kb-lint reports, as plain text for a terminal."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from tests.conftest import ROOT, one_error

ORDER_PACK = ROOT / "tests" / "timeline" / "order-pack"  # KB981: parts of one step, in order


@pytest.mark.parametrize(
    ("rule", "head", "fragment"),
    [
        ("KB105-001", "KB105-001: ", "deployment rule (exclusivity), pack KB105"),
        ("kb105-010", "KB105-010: ", "Cites: KB 105 § best-practice"),
        ("KB-STYLE-002", "KB-STYLE-002: a-an", "article rule (indefinite-article)"),
        ("KB-RULES-017", "KB-RULES-017: table-too-large", "Fix: Split the table"),
        ("KB-WAIVER-001", "KB-WAIVER-001: Expired waiver", "expires"),
    ],
)
def test_every_kind_of_rule_is_explained_in_plain_text(kb_lint, rule, head, fragment):
    proc = kb_lint("explain", rule)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(head)
    assert fragment in proc.stdout
    assert "**" not in proc.stdout and "{#" not in proc.stdout and "`" not in proc.stdout


def test_a_prefix_lists_every_rule_it_starts(kb_lint):
    proc = kb_lint("explain", "KB105")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    ids = [  # each text's head: its id and title, then what it is
        line.split(":")[0]
        for line, below in pairwise(lines)
        if line.startswith("KB105-") and (" · " in below or below.startswith("procedure, "))
    ]
    assert "KB105-001" in ids and "KB105-010" in ids and ids == sorted(ids)
    assert ids[-4:] == ["KB105-P1", "KB105-P2", "KB105-P3", "KB105-P4"]


def test_an_unknown_rule_is_a_usage_error_with_a_hint(kb_lint):
    proc = kb_lint("explain", "KB105-0001")
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("kb-lint: no rule, procedure or decision table KB105-0001 (did you mean")


def test_every_finding_has_the_related_key_of_the_json_contract(kb_lint):
    proc = kb_lint("check", ROOT / "examples" / "deployment.yaml", "--format", "json")
    findings = json.loads(proc.stdout)["findings"]
    procedural = [f for f in findings if f["rule"] == "KB105-010"]
    assert procedural and all(f["related"] == [] for f in procedural)
    assert all("related" in f for f in findings)


def test_a_procedure_is_explained_step_by_step_at_its_places(kb_lint):
    """Trial 9 P6, trial 10 #8: a procedure id shows its steps, each at its place, with the
    event that does it, when it is done already and what leaving it out leaves."""
    proc = kb_lint("explain", "KB981-P1", "--rules", ORDER_PACK)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:2] == ["KB981-P1: Remove a sync policy", "procedure, pack KB981"]
    assert "Steps, in order (the parts of one step (2a, 2b) in the order written):" in lines
    step = lines.index("  Step 2a. Disable the policy.")
    assert lines[step + 1 : step + 4] == [
        "      done by: disable-policy where event.instance == change.instance and event.policy",
        "        == change.policy, before the change",
        "      already done when: not change.before.enabled",
    ]
    assert "  Step 2b. Save the disabled policy." in lines
    assert lines[-3:] == [
        "  Step 3. Remove the policy.",
        "      the change: remove-policy",
        "      cites: KB 981 § steps item 3",
    ]
    assert "Checked by: KB981-001." in proc.stdout
    assert "if broken: the policy is removed without the backup file" in proc.stdout


def test_a_procedure_rule_shows_its_procedures_steps(kb_lint):
    proc = kb_lint("explain", "KB981-001", "--rules", ORDER_PACK)
    assert proc.returncode == 0, proc.stderr
    assert "Procedure KB981-P1: Remove a sync policy" in proc.stdout
    assert "  Step 2b. Save the disabled policy." in proc.stdout


def test_a_rule_names_the_assumptions_that_decide_it(kb_lint):
    """KB105-001 predicts from 'expected-challenges', whose rows assumptions decide; KB105-010's
    procedures' steps are decided by A8, A9 and A12."""
    table = kb_lint("explain", "KB105-001").stdout
    assert "Assumptions:\n  A1: " in table and "\n  A10: " in table
    steps = kb_lint("explain", "KB105-010").stdout
    said = steps[steps.index("Assumptions:") :].split("\n\n")[0].splitlines()
    assert [line.split(":")[0].strip() for line in said[1:]] == ["A8", "A9", "A12"]


def test_a_decision_table_is_explained_with_its_inputs_and_rows(kb_lint):
    proc = kb_lint("explain", "expected-challenges")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:2] == [
        "expected-challenges: What happens when two instances sync one user",
        "decision table, pack KB105",
    ]
    assert "Inputs:" in lines and "Rows:" in lines
    assert lines[lines.index("Rows:") + 1].startswith(
        "  1. categories=same, sync_all_items=none -> Sync errors: yes;"
    )


def test_a_prefix_lists_the_procedures_too_and_selection_names_rules_only(kb_lint):
    listed = kb_lint("explain", "KB105").stdout
    assert "\nKB105-P1: Move a user from Riva Cloud to Riva On-Premise (Exchange)\n" in listed
    refused = kb_lint("check", "--select", "KB105-P1", ROOT / "examples" / "deployment.yaml")
    assert refused.returncode == 2
    assert "--select KB105-P1: no rule has this id or prefix" in refused.stderr


def test_a_file_is_not_an_id_and_the_error_says_what_judges_it(kb_lint):
    """Trial 10 #8: ``explain plans/x.yaml`` read README's "any deployment" as a file."""
    line = one_error(kb_lint("explain", "examples/deployment.yaml"))
    assert line == (
        "kb-lint: explain takes the id of a rule, procedure or decision table, not a file: "
        "kb-lint check examples/deployment.yaml judges it"
    )
