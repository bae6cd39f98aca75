"""The three cases where ``check`` and ``simulate`` disagreed (issue 18), run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CLEAN_MAILBOX

HERE = Path(__file__).parent


def _check(kb_lint, name: str) -> list[dict]:
    proc = kb_lint("check", "--format", "json", HERE / name)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def _simulate(kb_lint, name: str, cycles: int = 8) -> tuple[int, dict]:
    proc = kb_lint("simulate", "--format", "json", "--cycles", str(cycles), HERE / name)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_a_second_policy_writes_its_own_copy_when_force_user_exclusivity_is_off(kb_lint):
    findings = _check(kb_lint, "kb433-switch-off.yaml")
    assert {f["rule"] for f in findings} == {"KB433-001"}  # one per module (data type)
    code, shown = _simulate(kb_lint, "kb433-switch-off.yaml")
    assert code == 1
    assert shown["final"]["mailbox_copies_max"] == 2
    assert shown["final"]["crm_duplicates"] == 0


def test_turning_the_switch_on_leaves_one_copy(kb_lint, tmp_path):
    """The mechanism measured: the same estate with the switch on keeps one copy (M6)."""
    text = (HERE / "kb433-switch-off.yaml").read_text("utf-8")
    on = tmp_path / "switch-on.yaml"
    on.write_text(text.replace('riva_version: "2.4.40"', 'riva_version: "2.4.51"'), "utf-8")
    proc = kb_lint("simulate", "--format", "json", on)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout)["final"]["mailbox_copies_max"] == 1


def test_a_late_step_gets_the_outcome_the_replayed_state_shows(kb_lint):
    findings = [f for f in _check(kb_lint, "late.yaml") if f["rule"] == "KB105-010"]
    assert [f["subject"]["step"] for f in findings] == [
        "disable-cloud-policy",
        "delete-cloud-account",
        [
            "remove-contacts-and-leads",
            "remove-appointments",
            "remove-tasks",
            "remove-folder-structure",
            "remove-categories",
        ],
    ]
    verbs = ["comes after add-user", "comes after add-user", "come after add-user"]  # bullets
    for finding, verb in zip(findings, verbs, strict=True):
        assert verb in finding["message"]
        assert "cycles 3–4: riva-cloud and onprem-1 both sync it" in finding["message"]
        assert "at the end: clean, but the procedure's order was broken" in finding["message"]
        assert finding["severity"] == "error"  # the overlap happened
        assert not finding["outcome"].get("leftovers")
        assert not finding["outcome"].get("dormant")
        assert finding["outcome"].get("mailbox_copies", 1) == 1
    code, shown = _simulate(kb_lint, "late.yaml")
    assert code == 1  # the shared "CRM" folder root reported errors during the overlap
    assert [c["mailbox_copies_max"] for c in shown["cycles"]][2:4] == [2, 2]
    assert shown["mailboxes"]["user@email.com"] == CLEAN_MAILBOX


def test_no_dormant_assignment_is_reported_for_a_policy_disabled_with_its_account_deleted(kb_lint):
    """The events of one cycle are one batch: the Cloud policy is disabled and its account
    deleted before Riva syncs again, so no dormant assignment (KB105-005) ever exists."""
    assert "KB105-005" not in {f["rule"] for f in _check(kb_lint, "late.yaml")}


def test_an_account_deleted_before_the_policy_is_disabled_follows_assumption_a8(kb_lint):
    [finding] = _check(kb_lint, "deleted-first.yaml")
    assert finding["rule"] == "KB105-010"
    assert finding["subject"]["step"] == "delete-cloud-account"
    assert finding["message"].startswith("step 2 of KB105-P1")
    assert "comes out of order" in finding["message"]
    assert "at the end: clean" in finding["message"]
    assert finding["severity"] == "warning"  # no overlap, nothing left: the order alone
    assert not finding["outcome"].get("dormant")
    assert "assumption A8" in finding["because"]
    code, shown = _simulate(kb_lint, "deleted-first.yaml")
    assert code == 0
    assert shown["mailboxes"]["user@email.com"]["dormant"] is False


def test_a_policy_never_disabled_after_the_account_is_deleted_leaves_nothing(kb_lint, tmp_path):
    """A8: the account deleted, the policy never disabled: step 1 is reported, no residue."""
    text = (HERE / "deleted-first.yaml").read_text("utf-8")
    skipped = tmp_path / "never-disabled.yaml"
    skipped.write_text(
        "\n".join(line for line in text.splitlines() if "disable-policy" not in line) + "\n",
        "utf-8",
    )
    [finding] = _check(kb_lint, skipped)
    assert finding["subject"]["step"] == "disable-cloud-policy"
    assert "is missing before" in finding["message"]
    assert "at the end: clean, but the step was left out" in finding["message"]
    assert finding["outcome"] == {"mailbox_copies": 1} or not any(
        v for k, v in finding["outcome"].items() if k != "mailbox_copies"
    )
    code, _ = _simulate(kb_lint, skipped)
    assert code == 0
