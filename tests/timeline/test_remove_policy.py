"""``removes: policy``: an action whose events remove the policy they name (trial 9 P3, pack
KB977 in ``tests/timeline/remove-policy``). The one replay of the timeline's state drops the
policy and its assignments, so rules see it gone (its users in no policy's ``bindings``, the
policy in no step's ``policies``), and a later event naming it is an input error at its
place, as an event naming a policy the file does not have is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import changed, one_error

HERE = Path(__file__).parent / "remove-policy"
RETIRE = HERE / "retire-pilot.yaml"
ENABLE = "{at: 2026-12-02, action: enable-policy, instance: onprem, policy: Pilot 2025}"


@pytest.mark.parametrize(
    ("later", "column"),
    [
        (ENABLE, 71),
        (
            "{at: 2026-12-02, action: add-user, instance: onprem, policy: Pilot 2025, "
            "email: cy@acme.example, crm_user: cy@acme.example}",
            66,
        ),
        ("{at: 2026-12-02, action: remove-policy, instance: onprem, policy: Pilot 2025}", 71),
    ],
)
def test_an_event_naming_a_removed_policy_is_an_error_at_its_name(kb_lint, tmp_path, later, column):
    """Enabling the removed policy, adding a user to it, removing it again: each was accepted
    and changed a policy that no longer exists."""
    plan = changed(shutil.copy(RETIRE, tmp_path / "plan.yaml"), (ENABLE, later))
    line = one_error(kb_lint("check", "--rules", HERE, plan))
    assert line == (
        f"kb-lint: {plan}:16:{column}: policy 'Pilot 2025' of onprem was removed on line 15 "
        "(remove-policy): no event can name it after"
    )


def test_rules_see_the_removed_policys_users_gone(kb_lint):
    """Bob, whom Pilot held, added to Sales: a finding while Pilot is there, none once it is
    removed (its assignments are no binding of the instance any more)."""
    held = kb_lint("check", "--rules", HERE, HERE / "kb-977/examples/add-while-held.yaml")
    assert held.returncode == 1, held.stdout + held.stderr
    assert "bob@acme.example added to Sales; another of the 2 policies of onprem" in held.stdout
    removed = kb_lint("check", "--rules", HERE, HERE / "kb-977/examples/add-after-removal.yaml")
    assert (removed.returncode, removed.stdout) == (0, "All checks passed (1 file).\n")


def test_a_step_sees_the_instance_without_the_removed_policy(kb_lint, tmp_path):
    """Carl, whom Support holds, added to Sales after Pilot's removal: the step's policies are
    Sales and Support (2, not 3)."""
    plan = changed(
        shutil.copy(HERE / "kb-977/examples/add-after-removal.yaml", tmp_path / "plan.yaml"),
        (
            "      - name: Sales\n",
            "      - name: Support\n        users:\n"
            "          - {email: carl@acme.example, crm_user: carl@acme.example}\n"
            "      - name: Sales\n",
        ),
        (
            "Sales, email: bob@acme.example, crm_user: bob",
            "Sales, email: carl@acme.example, crm_user: carl",
        ),
    )
    done = kb_lint("check", "--rules", HERE, plan)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "carl@acme.example added to Sales; another of the 2 policies of onprem" in done.stdout


def test_an_action_that_removes_a_policy_it_does_not_name_is_refused(kb_lint, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(HERE / "kb-977", rules / "kb-977")
    pack = changed(rules / "kb-977/pack.yaml", ("needs: [instance, policy]", "needs: [instance]"))
    proc = kb_lint("rules", "check", "--rules", rules)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert (
        f"{pack}:18:14: KB-RULES-010 error an action that removes the policy it names needs "
        "policy\n"
    ) in proc.stdout
