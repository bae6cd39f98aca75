"""KB105-P3 and KB105-P4 (assumption A12): a move between two Riva On-Premise servers, judged by
the state the timeline produces; and when Riva first syncs.

A12: the old instance must stop before the new one syncs: removed from its policy in the
timeline, or its policy disabled before the timeline starts (the step is then done). Cycle 1 is
Riva's first sync: events of cycle 1 come before it (nothing written yet), events of a later
cycle after the syncs of the cycles before.
"""

from __future__ import annotations

from typing import Any

import pytest

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
USER = {"email": "user@email.com", "crm_user": "user@email.com"}
OWN = {"exchange": "KB105-P3", "groupwise": "KB105-P4"}
[KB105] = [p for p in PACKS if p.id == "KB105"]
DEFAULTS = {name: spec.default for name, spec in KB105.outcomes.items()}
CLEAN_UP = {"exchange": ["items", "folders", "categories"], "groupwise": ["items", "folders"]}


def _move(system: str, old_enabled: bool, events: list[dict[str, Any]]) -> dict[str, Any]:
    """A user on server onprem-old moved to onprem-new, both on ``system``."""
    policy = {"name": "Sales", "email_system": system, "category": "CRM"}
    return {
        "instances": [
            {
                "name": "onprem-old",
                "kind": "on-premise",
                "policies": [{**policy, "enabled": old_enabled, "users": [USER]}],
            },
            {"name": "onprem-new", "kind": "on-premise", "policies": [policy]},
        ],
        "timeline": events,
    }


def _clean_up(system: str, cycle: int) -> dict[str, Any]:
    what = CLEAN_UP[system]
    return {"cycle": cycle, "action": "remove-riva-data", "email": USER["email"], "what": what}


def _add(cycle: int) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "action": "add-user",
        "instance": "onprem-new",
        "policy": "Sales",
    } | USER


def _procedure_findings(data: dict[str, Any]) -> list[Finding]:
    deployment = scenario_from_data(data, "<move>", VOCABULARY).deployment
    return [f for f in check_deployment(deployment, PACKS) if f.rule == "KB105-010"]


@pytest.mark.parametrize("system", ["exchange", "groupwise"])
def test_an_old_server_still_syncing_the_user_is_a_missing_first_step(system):
    """The old policy is enabled and the user never removed from it: step 1 is missing."""
    data = _move(system, True, [_clean_up(system, 2), _add(3)])
    [finding] = _procedure_findings(data)
    assert finding.subject["procedure"] == OWN[system]
    assert finding.subject["step"] == "remove-from-old-instance"
    assert finding.message.startswith(f"step 1 of {OWN[system]} (")
    assert "is missing before add-user" in finding.message


@pytest.mark.parametrize("system", ["exchange", "groupwise"])
def test_an_old_policy_disabled_before_the_timeline_has_done_the_first_step(system):
    """The old policy is disabled in the deployment as it stands: nothing to remove it from."""
    data = _move(system, False, [_clean_up(system, 2), _add(3)])
    assert _procedure_findings(data) == []


@pytest.mark.parametrize("system", ["exchange", "groupwise"])
def test_events_of_cycle_1_come_before_rivas_first_sync(system):
    """The old server removed at cycle 1 never synced: no clean-up has anything to remove, so
    leaving it out is a warning that the order was broken, with nothing left at the end. Removed
    at cycle 2, it synced at cycle 1: the clean-up left out leaves its copies (an error)."""
    remove = {"action": "remove-user", "instance": "onprem-old", "policy": "Sales"} | USER
    before = _procedure_findings(_move(system, True, [{"cycle": 1, **remove}, _add(2)]))
    assert [f.severity for f in before] == ["warning"]
    assert "at the end: clean, but the step was left out" in before[0].message
    assert {**DEFAULTS, **before[0].outcome} == DEFAULTS  # nothing left: a clean move
    after = _procedure_findings(_move(system, True, [{"cycle": 2, **remove}, _add(3)]))
    assert [f.severity for f in after] == ["error"]
    assert "at the end: what the step removes is still there" in after[0].message


def test_a_step_is_done_before_the_timeline_only_for_an_assignment_the_deployment_holds():
    """A user added by the timeline's first event to a Riva Cloud policy that the deployment
    has disabled, and the policy then enabled: disabling it is still step 1 of KB105-P1 (it is
    done before the timeline only for the deployment's own assignments)."""
    cloud = {"instance": "riva-cloud", "policy": "Sales"}
    data = {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [{"name": "Sales", "category": "CRM", "enabled": False}],
            },
            {"name": "onprem-new", "kind": "on-premise", "policies": [{"name": "Sales"}]},
        ],
        "timeline": [
            {"cycle": 1, "action": "add-user", **cloud, **USER},
            {"cycle": 2, "action": "enable-policy", **cloud},
            _add(4),
        ],
    }
    steps = [f.subject["step"] for f in _procedure_findings(data)]
    assert steps[0] == "disable-cloud-policy"


def test_an_account_left_undeleted_holds_nothing_once_the_user_is_removed_from_its_policy():
    """KB105-P1 step 2 left out, but the user removed from the disabled Riva Cloud policy: no
    assignment is left to resume (A8), so the finding says the order was broken and predicts
    no dormant assignment, as a warning."""
    cloud = {"instance": "riva-cloud", "policy": "Sales"}
    data = {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [{"name": "Sales", "category": "CRM", "users": [USER]}],
            },
            {"name": "onprem-new", "kind": "on-premise", "policies": [{"name": "Sales"}]},
        ],
        "timeline": [
            {"cycle": 2, "action": "disable-policy", **cloud},
            {"cycle": 2, "action": "remove-user", **cloud, **USER},
            _clean_up("exchange", 3),
            _add(4),
        ],
    }
    [finding] = _procedure_findings(data)
    assert finding.subject["step"] == "delete-cloud-account"
    assert finding.severity == "warning"
    assert {**DEFAULTS, **finding.outcome}["dormant"] is False


@pytest.mark.parametrize("system", ["exchange", "groupwise"])
def test_several_steps_left_out_are_said_in_the_plural(system):
    """Nothing of KB105-P3/P4 done before the add: one finding whose steps 'are missing'."""
    [finding] = _procedure_findings(_move(system, True, [_add(3)]))
    assert finding.message.startswith("step 1 and step 2, bullets 1–")
    assert f"of {OWN[system]} (" in finding.message
    assert "are missing before add-user" in finding.message
    assert " are left out; " in finding.why
