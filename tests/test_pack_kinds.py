"""Every rule kind as a pack author writes it, run end to end.

The invented packs in ``tests/packs`` are data only: KB901 judges one instance, policy, binding
or timeline event at a time (``kind: check``), with a literal field default, a computed one
(``default_from``), enum, integer and text outcomes; KB902 matches ordered timeline events
(``kind: sequence``) that read a policy's settings as they stood before an event (``before``,
changed by the pack's own action through ``sets``), and groups a mailbox's policies per data type
(exclusivity with ``each``); KB903 ranges a sequence step and a procedure step over a list
field of their event (``each`` on a step, tests/test_pack_each_steps.py). Each test below fails
if the kind it names stops doing its part.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb_lint.pack import RulePack, load_packs
from kb_lint.pack.model import Example, Rule
from kb_lint.review.verdict import run_example

PACKS = Path(__file__).parent / "packs"
KB901 = PACKS / "kb-901-check" / "examples"
KB902 = PACKS / "kb-902-sequence" / "examples"
CASES = [
    (pack, rule, example)
    for pack in load_packs(PACKS)
    for rule in pack.rules
    for example in rule.examples
]


def check(kb_lint, path: Path, select: str) -> list[dict]:
    """The findings of the ``select`` rules of the invented packs on one deployment file."""
    proc = kb_lint("check", path, "--rules", PACKS, "--select", select, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_the_invented_packs_cover_every_kind_subject_and_outcome_type():
    packs = load_packs(PACKS)
    rules = [rule for pack in packs for rule in pack.rules]
    subjects = {(r.kind, r.over) for r in rules if r.kind in ("check", "exclusivity")}
    assert {("check", over) for over in ("instances", "policies", "bindings", "events")} <= subjects
    assert any(r.kind == "exclusivity" and r.each for r in rules)
    assert any(r.kind == "sequence" and len(r.pattern) > 1 for r in rules)
    assert any(
        r.kind == "sequence" and "before" in r.raw["pattern"][0].get("where", "") for r in rules
    )
    types = {spec.type for pack in packs for spec in pack.outcomes.values()}
    assert types == {"boolean", "integer", "list", "enum", "text"}
    assert any(f.default_from is not None for pack in packs for f in pack.fields)
    assert any(action.sets for pack in packs for action in pack.actions)
    assert {example.expect for _, _, example in CASES} == {"pass", "fail", "miss"}


@pytest.mark.parametrize(
    ("pack", "rule", "example"),
    CASES,
    ids=[f"{rule.id}::{example.file.name}" for _, rule, example in CASES],
)
def test_each_example_gives_its_declared_verdict(pack: RulePack, rule: Rule, example: Example):
    result = run_example(pack, rule, example)
    assert result.passed, result.problems
    if example.expect == "miss":
        # The rule does not see this case yet; once it does, the example becomes a failing one.
        assert not result.findings, [f.message for f in result.findings]


def test_rules_test_runs_every_invented_example_in_a_subprocess(kb_lint):
    proc = kb_lint("rules", "test", "--rules", PACKS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(CASES)} examples: {len(CASES)} passed, 0 failed" in proc.stdout
    for _, rule, example in CASES:
        assert f"✓ {rule.id} examples/{example.file.name} (expect {example.expect})" in proc.stdout


def test_the_invented_packs_pass_rules_check(kb_lint, tmp_path):
    for name in (
        "kb-901-check",
        "kb-902-sequence",
        "kb-903-each-step",
        "kb-905-pages",
        "kb-906-refines",
    ):
        shutil.copytree(PACKS / name, tmp_path / name / name)
        proc = kb_lint("rules", "check", "--rules", tmp_path / name)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_invented_packs_checked_together_report_each_other(kb_lint, tmp_path):
    # KB901 takes every server that names no release for a trial: KB902's passing examples
    # name none, so rules check says they break KB901's rules (KB-RULES-015).
    for name in ("kb-901-check", "kb-902-sequence"):
        shutil.copytree(PACKS / name, tmp_path / name)
    proc = kb_lint("rules", "check", "--rules", tmp_path)
    assert proc.returncode == 1
    assert "passes KB902-003 but KB901-001 reports 3:5: server onprem is on a trial plan" in (
        proc.stdout
    )


def test_check_over_instances_reads_a_pack_field_and_gives_a_text_outcome(kb_lint):
    [finding] = check(kb_lint, KB901 / "onprem-trial.yaml", "KB901-001")
    assert finding["message"] == "server onprem is on a trial plan"
    assert (finding["line"], finding["column"]) == (3, 5)
    assert finding["outcome"] == {
        "history": "refused",
        "seats_used": 0,
        "note": "the licence check refuses the server",
    }


def test_check_over_policies_sees_its_instance_and_literal_and_computed_defaults(kb_lint):
    # No plan given: default_from makes the account a trial; no history_days: 30 by default.
    [finding] = check(kb_lint, KB901 / "cloud-trial-default-history.yaml", "KB901-002")
    assert finding["message"] == "policy Sales of cloud reaches back 30 days on a trial plan"
    assert finding["outcome"]["history"] == "capped"


def test_check_over_policies_judges_each_policy_and_enum_outcomes_merge_to_the_worst(kb_lint):
    findings = check(kb_lint, KB901 / "cloud-trial-two-policies.yaml", "KB901-002")
    assert [(f["line"], f["outcome"]["history"]) for f in findings] == [
        (8, "capped"),
        (13, "refused"),
    ]
    [(pack, rule, example)] = [
        case
        for case in CASES
        if case[1].id == "KB901-002" and case[2].file.name == "cloud-trial-two-policies.yaml"
    ]
    assert run_example(pack, rule, example).outcome["history"] == "refused"


def test_check_over_bindings_reads_user_and_instance_fields_per_assignment(kb_lint):
    findings = check(kb_lint, KB901 / "cloud-trial-two-policies.yaml", "KB901-003")
    assert [(f["line"], f["message"]) for f in findings] == [
        (11, "administrator admin@example.com uses a trial seat in cloud / Sales"),
        (17, "administrator admin@example.com uses a trial seat in cloud / Support"),
    ]
    assert [f["outcome"]["seats_used"] for f in findings] == [1, 1]


def test_check_over_events_reads_a_pack_event_field(kb_lint):
    [finding] = check(kb_lint, KB901 / "onprem-trial.yaml", "KB901-004")
    assert finding["message"] == "bob@example.com is added to onprem / Sales without a ticket"
    assert finding["line"] == 10  # the second add-user; the first carries a ticket


def test_sequence_reads_settings_before_each_event_as_pack_actions_set_them(kb_lint, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "instances:\n"
        "  - name: onprem\n"
        "    kind: on-premise\n"
        "    policies:\n"
        "      - {name: Sales, category: CRM}\n"
        "timeline:\n"
        "  - {action: disable-policy, instance: onprem, policy: Sales}\n"
        "  - {action: rename-category, instance: onprem, policy: Sales, category: CRM 2}\n"
        "  - {action: enable-policy, instance: onprem, policy: Sales}\n"
        "  - {action: rename-category, instance: onprem, policy: Sales, category: CRM 2}\n"
        "  - {action: rename-category, instance: onprem, policy: Sales, category: CRM 3}\n",
        "utf-8",
    )
    [finding] = check(kb_lint, plan, "KB902-001")
    # The second rename changes nothing (the first set the name), the third renames "CRM 2":
    # both read the name the earlier rename set, and the enabled state enable-policy set.
    assert finding["line"] == 11
    assert finding["message"] == (
        'category of onprem / Sales renamed from "CRM 2" to "CRM 3" while the policy is enabled'
    )
    assert finding["outcome"]["verdict"] == "broken"


def test_sequence_relates_its_events_in_their_order(kb_lint):
    [finding] = check(kb_lint, KB902 / "remove-then-add.yaml", "KB902-002")
    assert (
        finding["message"]
        == "new@example.com re-added for CRM user 0051, removed as old@example.com"
    )
    assert finding["line"] == 13 and finding["related"][0]["line"] == 12
    assert finding["subject"]["events"] == [1, 2]
    assert finding["outcome"]["copies"] == 2 and finding["outcome"]["verdict"] == "broken"
    assert check(kb_lint, KB902 / "add-then-remove.yaml", "KB902-002") == []


def test_exclusivity_groups_per_element_of_a_list_field(kb_lint):
    findings = check(kb_lint, KB902 / "two-policies-share-types.yaml", "KB902-003")
    assert [f["message"] for f in findings] == [
        "ann@example.com gets contacts from Sales, Support of onprem",
        "ann@example.com gets tasks from Sales, Support of onprem",
    ]
    assert [f["outcome"]["shared_types"] for f in findings] == [["contacts"], ["tasks"]]
    assert check(kb_lint, KB902 / "two-policies-sync-all.yaml", "KB902-003") == []


def test_the_switch_defaults_from_a_given_riva_version(kb_lint, tmp_path):
    # The KB 433 example gives riva_version and leaves force_user_exclusivity to its default,
    # computed from the version: off on 2.4.50 (KB433-001 reports the shared module), on from
    # 2.4.51 (it does not).
    example = PACKS.parent.parent / "rules" / "kb-433" / "examples" / "overlap-2.4.50-default.yaml"
    text = example.read_text("utf-8")
    assert "force_user_exclusivity" not in text and 'riva_version: "2.4.50.17004"' in text
    proc = kb_lint("check", example, "--select", "KB433-001", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["outcome"]["duplicate_modules"] == ["appointments"]
    upgraded = tmp_path / "deployment.yaml"
    upgraded.write_text(text.replace('"2.4.50.17004"', '"2.4.51"'), "utf-8")
    proc = kb_lint("check", upgraded, "--select", "KB433-001", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["findings"] == []
