"""The three cases where ``check`` and ``simulate`` disagreed (issue 18), run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

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
