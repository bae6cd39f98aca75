"""What a finding's subject names, in the JSON report, and which findings a superseding rule
drops for it: ``kb-lint check`` run as a user runs it on trials 9 and 10's plans, through a
pack of the tests' own (``subject-packs/kb-931-subjects``, KB931); and a law (Hypothesis,
bounded): a subject holds JSON values only, whatever the plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, note, settings

from kb_lint.engine import check_deployment
from kb_lint.pack import load_pack, load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.scopes import SEEN
from kb_lint.simulate import scenario_from_data
from kb_lint.strategies import plans, to_yaml
from tests.conftest import ROOT

PACKS = Path(__file__).parent / "subject-packs"
PLAN = PACKS / "kb-931-subjects" / "examples" / "two-servers.yaml"


def _report(kb_lint, select: str) -> list[dict[str, Any]]:
    proc = kb_lint("check", "--rules", PACKS, "--select", select, PLAN, "--format", "json")
    assert proc.returncode in (0, 1) and not proc.stderr, proc.stderr  # 0: info findings only
    return json.loads(proc.stdout)["findings"]


def test_a_superseding_finding_drops_the_other_rules_finding_on_its_subject_only(kb_lint):
    """Trial 9 P4: KB931-002 (disabled, not saved, retired) supersedes the procedure rule
    KB931-001 on east's retirement of Pilot; west's retirement of Beta, which KB931-002 never
    names, keeps its KB931-001 finding (it was dropped: a policy's subject names no mailbox,
    and every such subject counted as one)."""
    found = _report(kb_lint, "KB931-001,KB931-002")
    assert [(f["rule"], f["line"]) for f in found] == [("KB931-002", 23), ("KB931-001", 24)]
    assert (found[1]["subject"]["instance"], found[1]["subject"]["policy"]) == (
        "onprem-west",
        "Beta",
    )
    alone = _report(kb_lint, "KB931-001")  # without the superseding rule: both retirements
    assert [f["line"] for f in alone] == [23, 24]


def test_an_event_s_subject_names_the_event_never_the_state_replayed_before_it(kb_lint):
    """Trial 10 #6: KB931-003 reads ``before.enabled``; its subject held ``before``, the
    policy's whole state, as one string of Python (``True``, ``version('2.4.25')``). Now: the
    event's action, what it names, its date and number, in JSON and SARIF alike (the SARIF
    fingerprint hashes it, so it no longer moves when another setting of the policy does)."""
    [found] = _report(kb_lint, "KB931-003")
    assert found["subject"] == {
        "label": "timeline entry 3",
        "action": "retire-policy",
        "instance": "onprem-west",
        "policy": "Beta",
        "at": "2026-12-09",
        "events": [3],
    }
    args = ("check", "--rules", PACKS, "--select", "KB931-003", PLAN, "--format", "sarif")
    [result] = json.loads(kb_lint(*args).stdout)["runs"][0]["results"]
    assert result["properties"]["subject"] == found["subject"]


def test_a_sequence_s_subject_names_the_mailbox_of_the_step_before_a_last_step_naming_none(
    kb_lint,
):
    """Trial 10 #7: one save-policy ends KB931-004's pattern for Ann and for Bob; each
    finding's subject names the mailbox its add-user step names (it was null for both), and the
    policy the steps name."""
    found = _report(kb_lint, "KB931-004")
    assert [f["subject"] for f in found] == [
        {
            "email": f"{name}@x.example",
            "crm_user": f"{name}@x.example",
            "instance": "onprem-west",
            "policy": "Sales",
            "events": [event, 6],
        }
        for name, event in (("ann", 4), ("bob", 5))
    ]


KB931 = load_pack(PACKS / "kb-931-subjects" / "pack.yaml")
VOCABULARY = vocabulary_of([*load_packs(ROOT / "rules"), KB931])


@settings(deadline=None, derandomize=True, max_examples=40)
@given(plans())
def test_a_subject_holds_json_values_and_an_event_s_none_of_the_state_before_it(data):
    """Every subject of KB931's findings on any plan is JSON as it is (no value a ``default``
    hook would turn into a string), and an event's names none of the state replayed before it."""
    note(to_yaml(data))
    dep = scenario_from_data(data, "<plan>", VOCABULARY).deployment
    for finding in check_deployment(dep, [KB931]):
        subject = finding.subject or {}
        assert json.loads(json.dumps(subject)) == subject
        if finding.rule == "KB931-005":
            assert not subject.keys() & SEEN.keys()
            [number] = subject["events"]
            assert dep.timeline[number - 1].action == subject["action"]
