"""``rename-policy``: later entries name the policy by its new name, its old name there is an
input error at its place, and every judge (and the simulator) follows the policy across it."""

from __future__ import annotations

from pathlib import Path

import pytest

PLAN = """\
instances:
  - name: riva-cloud
    kind: cloud
    policies:
      - name: Sales
        users:
          - {email: ann@acme.example, crm_user: ann@acme.example}
  - name: onprem
    kind: on-premise
    policies:
      - name: Sales
        users:
          - {email: ann@acme.example, crm_user: ann@acme.example}
timeline:
  - {cycle: 2, action: rename-policy, instance: riva-cloud, policy: Sales, new_name: Sales EU}
  - {cycle: 3, action: disable-policy, instance: riva-cloud, policy: Sales EU}
"""


def written(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_a_later_entry_names_the_policy_by_its_new_name(kb_lint, tmp_path):
    """The disable reaches the renamed policy: KB105-005 reports it at that entry."""
    proc = kb_lint("check", written(tmp_path, PLAN), "--select", "KB105-005")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ":16:5: KB105-005 info ann@acme.example" in proc.stdout
    assert "from disable-policy before cycle 3" in proc.stdout


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "policy: Sales EU}",
            "policy: Sales}",
            "16:70",
            "policy 'Sales' of riva-cloud was renamed on line 15: it is called 'Sales EU' here",
        ),
        (
            "policy: Sales EU}",
            "policy: Sales US}",
            "16:70",
            "unknown policy of riva-cloud 'Sales US'",
        ),
        (
            "{cycle: 3, action: disable-policy, instance: riva-cloud, policy: Sales EU}",
            "{cycle: 3, action: rename-policy, instance: riva-cloud, policy: Sales EU, "
            "new_name: Sales EU}",
            "16:89",
            "'Sales EU' is already the name of a policy of riva-cloud",
        ),
        (
            "policy: Sales EU}",
            "policy: Sales EU, new_name: Sales US}",
            "16:80",
            "'new_name' is read by rename-policy only (disable-policy does not read it)",
        ),
    ],
    ids=["old name", "unknown name", "name taken", "new_name elsewhere"],
)
def test_a_name_the_timeline_does_not_give_is_an_error(kb_lint, tmp_path, old, new, where, message):
    assert PLAN.count(old) == 1
    path = written(tmp_path, PLAN.replace(old, new))
    proc = kb_lint("check", path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"kb-lint: {path}:{where}: {message}" in proc.stderr, proc.stderr


def test_the_simulator_runs_a_rename_as_no_change_to_the_mailbox(kb_lint, tmp_path):
    renamed = kb_lint("simulate", written(tmp_path, PLAN), "--format", "json")
    plain = PLAN.replace(
        "  - {cycle: 2, action: rename-policy, instance: riva-cloud, policy: Sales, "
        "new_name: Sales EU}\n",
        "",
    ).replace("policy: Sales EU}", "policy: Sales}")
    kept = kb_lint("simulate", written(tmp_path, plain, "plain.yaml"), "--format", "json")
    assert renamed.returncode == kept.returncode == 1, renamed.stderr + kept.stderr
    assert '"not_modelled": []' in renamed.stdout
    assert renamed.stdout.split('"cycles"')[1] == kept.stdout.split('"cycles"')[1]


def test_a_name_given_up_may_be_given_again(kb_lint, tmp_path):
    back = PLAN.replace(
        "  - {cycle: 3, action: disable-policy, instance: riva-cloud, policy: Sales EU}\n",
        "  - {cycle: 3, action: rename-policy, instance: riva-cloud, policy: Sales EU, "
        "new_name: Sales}\n"
        "  - {cycle: 3, action: disable-policy, instance: riva-cloud, policy: Sales}\n",
    )
    proc = kb_lint("check", written(tmp_path, back), "--select", "KB105-005")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ":17:5: KB105-005 info ann@acme.example" in proc.stdout
