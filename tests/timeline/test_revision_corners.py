"""Check rules on the settings a timeline gives a policy (``kb_lint.engine.revisions``) when
the timeline also holds events that change no setting: they neither hide the change nor take
its place."""

from __future__ import annotations

from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
ANN = {"email": "ann@acme.example", "crm_user": "ann@acme.example"}
BOB = {"email": "bob@acme.example", "crm_user": "bob@acme.example"}
SALES = {"instance": "cloud", "policy": "Sales"}


def _history_findings(*events: dict[str, Any]) -> list[Finding]:
    """KB1508-001 on a Riva Cloud trial whose Sales policy asks 15 days of history, then
    ``events``."""
    policy = {"name": "Sales", "history_days": 15, "users": [ANN, BOB]}
    data = {
        "instances": [{"name": "cloud", "kind": "cloud", "plan": "trial", "policies": [policy]}],
        "timeline": list(events),
    }
    deployment = scenario_from_data(data, "<plan>", VOCABULARY).deployment
    return [f for f in check_deployment(deployment, PACKS) if f.rule == "KB1508-001"]


RAISE = {"at": "2026-12-01", "action": "change-history-filter", **SALES, "history_days": 30}
CLEAN = {"at": "2026-11-20", "action": "remove-riva-data", "email": ANN["email"], "what": ["items"]}
REMOVE = {"at": "2026-12-01", "action": "remove-user", **SALES, **BOB}


def test_a_change_is_judged_when_other_events_change_no_setting():
    """A clean-up before the raise changes no setting: the raise is still a finding."""
    [finding] = _history_findings(CLEAN, RAISE)
    assert finding.message.endswith("from change-history-filter on 2026-12-01")


def test_the_finding_sits_at_the_change_not_at_a_later_event_naming_the_policy():
    """Bob removed from Sales on the same day, after the raise: the finding stays at the raise."""
    [finding] = _history_findings(RAISE, REMOVE)
    assert finding.message.endswith("from change-history-filter on 2026-12-01")
    assert finding.location.line == 1  # the first timeline entry of the scenario


SAVE = {"at": "2026-12-01", "action": "save-policy", **SALES}


def test_the_finding_sits_at_the_change_that_made_it_not_at_a_save_of_the_policy_after_it():
    """Sales saved the same day, after the raise (a save changes a setting, ``saved``, too):
    the policy breaks the rule from the raise on, so the finding sits there."""
    [finding] = _history_findings(RAISE, SAVE)
    assert finding.message.endswith("from change-history-filter on 2026-12-01")
    assert finding.location.line == 1  # the first timeline entry of the scenario
