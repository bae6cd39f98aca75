"""Fields packs declare, computed defaults, and sequence patterns with absent steps, end to end
through real pack and deployment files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

PACK = """
pack: {id: KB990, article: 990, title: Test, revision: 1, updated: 2024-01-01, version: 1.0.0}
fields:
  policy:
    mode:
      type: enum
      values: [safe, fast]
      default_from: '"fast" if sync_all_items else "safe"'
      description: Mode.
actions:
  - {name: clear-user, needs: [instance, policy, email], description: Clears a user.}
rules:
  - id: KB990-001
    kind: sequence
    title: Moved without a clear
    severity: warning
    cites: {section: background}
    summary: A user removed and added again must be cleared in between.
    pattern:
      - {as: removed, action: remove-user}
      - {as: cleared, action: clear-user, absent: true, where: cleared.email == added.email}
      - {as: added, action: add-user, where: added.crm_user == removed.crm_user}
    message: "{added.email} was moved without a clear"
    examples: [{file: pack.yaml, expect: pass}]
  - id: KB990-002
    kind: check
    over: policies
    title: Fast mode
    severity: info
    cites: {section: background}
    summary: Fast mode.
    when: mode == "fast"
    message: "{policy} runs fast"
    examples: [{file: pack.yaml, expect: pass}]
"""
DEPLOYMENT = """
instances:
  - name: onprem
    kind: on-premise
    riva_version: "2.4.40"
    policies:
      - name: Old
        sync_all_items: true
        users: [{email: a@x.example, crm_user: a@x.example}]
      - name: New
timeline:
  - {action: remove-user, instance: onprem, policy: Old, email: a@x.example, crm_user: a@x.example}
{between}
  - {action: add-user, instance: onprem, policy: New, email: a@x.example, crm_user: a@x.example}
"""
CLEAR = "  - {action: clear-user, instance: onprem, policy: New, email: a@x.example}"


def _check(tmp_path: Path, between: str) -> list[str]:
    (tmp_path / "pack.yaml").write_text(PACK, "utf-8")
    pack = load_pack(tmp_path / "pack.yaml")
    file = tmp_path / "deployment.yaml"
    file.write_text(DEPLOYMENT.replace("{between}", between), "utf-8")
    dep = read_deployment(file, vocabulary_of([pack]))
    return [f"{f.rule} {f.location.line} {f.message}" for f in check_deployment(dep, [pack])]


def test_a_sequence_fires_unless_the_absent_event_happens_between(tmp_path):
    assert "KB990-001 14 a@x.example was moved without a clear" in _check(tmp_path, "")
    assert not [f for f in _check(tmp_path, CLEAR) if f.startswith("KB990-001")]
    other = CLEAR.replace("a@x.example", "b@x.example")
    assert any(f.startswith("KB990-001") for f in _check(tmp_path, other))


def test_computed_defaults_read_the_record_and_versions_compare(tmp_path):
    found = _check(tmp_path, CLEAR)
    assert "KB990-002 7 Old runs fast" in found  # sync_all_items: true -> fast
    assert not any("New runs fast" in f for f in found)
    dep = read_deployment(
        tmp_path / "deployment.yaml", vocabulary_of([load_pack(tmp_path / "pack.yaml")])
    )
    # riva_version 2.4.40 < 2.4.51: force user exclusivity defaults to off (KB 433)
    assert dep.policies[0].settings["force_user_exclusivity"] is False


def test_a_pattern_of_absent_steps_only_is_refused(tmp_path):
    pack = PACK.replace("      - {as: removed, action: remove-user}\n", "").replace(
        "      - {as: added, action: add-user, where: added.crm_user == removed.crm_user}\n", ""
    )
    (tmp_path / "pack.yaml").write_text(pack, "utf-8")
    with pytest.raises(InputError, match="needs a step that is not absent"):
        load_pack(tmp_path / "pack.yaml")


CSV_PACK = """
pack: {id: KB991, article: 991, title: Test, revision: 1, updated: 2024-01-01, version: 1.0.0}
fields:
  instance:
    plan: {type: enum, values: [trial, paid], default: paid, description: Plan.}
  policy:
    history_days: {type: integer, default: 15, unit: days, description: History.}
  user:
    vip: {type: boolean, default: false, description: A user who must never lose data.}
rules:
  - id: KB991-001
    kind: check
    over: bindings
    title: VIP on a trial
    severity: error
    cites: {section: background}
    summary: A VIP synced by a trial with a long history.
    when: vip and plan == "trial" and history_days > 15
    message: "{email} is a VIP on a trial asking {history_days} days"
    examples: [{file: pack.yaml, expect: pass}]
"""


def test_a_csv_gives_the_fields_packs_declare_as_typed_columns(tmp_path):
    (tmp_path / "pack.yaml").write_text(CSV_PACK, "utf-8")
    pack = load_pack(tmp_path / "pack.yaml")
    csv = tmp_path / "estate.csv"
    csv.write_text(
        "instance,kind,policy,email,crm_user,plan,history_days,vip\n"
        "cloud,cloud,Sales,ann@x.example,ann@x.example,trial,30,yes\n"
        "cloud,cloud,Sales,bob@x.example,bob@x.example,trial,30,\n",
        "utf-8",
    )
    dep = read_deployment(csv, vocabulary_of([pack]))
    found = check_deployment(dep, [pack])
    assert [(f.location.line, f.message) for f in found] == [
        (2, "ann@x.example is a VIP on a trial asking 30 days")
    ]
    csv.write_text(
        "instance,kind,policy,email,crm_user,history_days\ncloud,cloud,Sales,a@x.example,a,many\n",
        "utf-8",
    )
    with pytest.raises(InputError) as error:
        read_deployment(csv, vocabulary_of([pack]))
    assert (error.value.line, error.value.column) == (2, 33)  # the cell "many"
    assert "history_days" in error.value.message and "integer" in error.value.message
