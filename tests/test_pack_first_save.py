"""The built-in policy state ``saved`` and the action ``save-policy``: one state every pack
reads (pack KB907 in ``tests/packs``, and KB1508's category rules), and the simulator names a
policy never saved as not modelled."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB907 = ROOT / "tests" / "packs" / "kb-907-first-save"
UNSAVED = """\
instances:
  - name: riva-cloud
    kind: cloud
    plan: paid
    policies:
      - name: Sales
        saved: false
        users:
          - {email: ann@acme.example, crm_user: ann@acme.example}
timeline:
  - {at: 2026-12-01, action: change-sync-category, instance: riva-cloud, policy: Sales, category: A}
  - {at: 2026-12-02, action: save-policy, instance: riva-cloud, policy: Sales}
  - {at: 2026-12-03, action: change-sync-category, instance: riva-cloud, policy: Sales, category: B}
"""


def test_kb907_reads_the_first_save_and_the_new_name(kb_lint, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(KB907, rules / "kb-907")
    proc = kb_lint("rules", "check", "--rules", rules)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    example = KB907 / "examples" / "enabled-unsaved.yaml"
    proc = kb_lint("check", "--rules", rules, example)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (
        f"{example}:12:5: KB907-002 error Sales of riva-cloud is enabled on 2026-12-01, before "
        "its first save" in proc.stdout
    )


def test_kb1508_refuses_a_category_change_only_after_the_first_save(kb_lint, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(UNSAVED, "utf-8")
    proc = kb_lint("check", path, "--select", "KB1508-002")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.count("KB1508-002 error") == 1
    assert (
        f"{path}:13:5: KB1508-002 error the category of riva-cloud / Sales cannot be changed "
        in (proc.stdout)
    )
    saved = tmp_path / "saved.yaml"
    saved.write_text(UNSAVED.replace("        saved: false\n", ""), "utf-8")
    proc = kb_lint("check", saved, "--select", "KB1508-002")
    assert proc.stdout.count("KB1508-002 error") == 2, proc.stdout


def test_the_simulator_names_a_policy_never_saved(kb_lint, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(UNSAVED, "utf-8")
    proc = kb_lint("simulate", path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "not modelled (built-in): saved false (policy riva-cloud / Sales): the model has no "
        "policy editor and runs it as saved (M12)"
    ) in proc.stdout.splitlines()


def test_save_policy_reads_no_other_field(kb_lint, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        UNSAVED.replace("policy: Sales}\n", "policy: Sales, new_name: X}\n", 1), "utf-8"
    )
    proc = kb_lint("check", path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "'new_name' is read by rename-policy only (save-policy does not read it)" in proc.stderr
