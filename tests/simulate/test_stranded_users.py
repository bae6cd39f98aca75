"""KB105-007 against the model: a policy disabled under users that nothing else syncs (pack
KB105, assumption A14; trial 14 #33).

Law (Hypothesis): over any deployment and any timeline of policy disables, every mailbox that a
policy synced at the start and none syncs at the end shows, in the model, exactly the leftovers
the rules predict for it (KB105-007's findings about it; none when it has none). End to end:
``kb-lint check`` and ``kb-lint simulate`` agree on trial 14's move, mailbox by mailbox.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.engine import check_deployment
from kb_lint.simulate import run_items
from kb_lint.simulate.coverage import unmodelled_mailboxes
from kb_lint.strategies import deployments, to_yaml
from tests.conftest import ROOT
from tests.properties import PACKS, SETTINGS, scenario_of

MOVE = ROOT / "rules" / "kb-105" / "examples" / "shared-policy-move.yaml"


@st.composite
def disables(draw: st.DrawFn) -> dict[str, Any]:
    """A deployment and 1 to 3 of its policies disabled, each before a cycle from 1 (before
    Riva's first sync) on; the run lasts two cycles past the last (M11)."""
    data = draw(deployments(max_instances=3, max_policies=2))
    policies = [(i["name"], p["name"]) for i in data["instances"] for p in i["policies"]]
    chosen = draw(st.lists(st.sampled_from(policies), min_size=1, max_size=3, unique=True))
    cycle, timeline = 1, []
    for instance, policy in chosen:
        cycle += draw(st.integers(0, 1))
        timeline.append(
            {"cycle": cycle, "action": "disable-policy", "instance": instance, "policy": policy}
        )
    return {**data, "timeline": timeline, "cycles": cycle + 2}


def _synced(data: dict[str, Any], off: set[tuple[str, str]]) -> set[str]:
    """The mailboxes an enabled policy assigns, the policies ``off`` disabled."""
    return {
        u["email"].strip().lower()
        for i in data["instances"]
        for p in i["policies"]
        if p["enabled"] and (i["name"], p["name"]) not in off
        for u in p["users"]
    }


@settings(max_examples=150, **SETTINGS)
@given(disables())
def test_a_user_stranded_by_disables_shows_the_leftovers_the_rules_predict(data):
    note(to_yaml(data))
    scenario = scenario_of(data)
    off = {(e["instance"], e["policy"]) for e in data["timeline"]}
    stranded = _synced(data, set()) - _synced(data, off)
    stranded -= set(unmodelled_mailboxes(scenario.deployment))  # Google (M17), never saved
    predicted: dict[str, set[str]] = {}
    for finding in check_deployment(scenario.deployment, PACKS):
        if finding.rule == "KB105-007":
            leftovers = (finding.outcome or {}).get("leftovers", [])
            predicted.setdefault(finding.subject["email"], set()).update(leftovers)
    shown = run_items(scenario.setup).mailboxes
    for email in stranded:
        assert set(shown[email]["leftovers"]) == predicted.get(email, set()), email


def test_check_and_simulate_agree_on_trial_14s_move(kb_lint):
    """Frank, whom disabling Marketing strands, is the one finding, and its leftovers are the
    model's; hank, moved by the book, and homer end clean in both."""
    checked = kb_lint("check", MOVE, "--format", "json")
    simulated = kb_lint("simulate", MOVE, "--format", "json")
    assert (checked.returncode, simulated.returncode) == (1, 0), checked.stderr
    findings = json.loads(checked.stdout)["findings"]
    assert [(f["rule"], f["subject"]["email"]) for f in findings] == [
        ("KB105-007", "frank.grimes@globex.example")
    ]
    shown = json.loads(simulated.stdout)["mailboxes"]
    predicted = {f["subject"]["email"]: f["outcome"]["leftovers"] for f in findings}
    assert {email: box["leftovers"] for email, box in shown.items()} == {
        email: predicted.get(email, []) for email in shown
    }
    assert predicted == {"frank.grimes@globex.example": ["categories", "folders"]}


def test_enabling_the_policy_again_after_the_account_is_deleted_strands_no_one(kb_lint):
    """The fixed plan: Marketing enabled again the day hank's Cloud account is deleted. No
    finding, and no leftovers in the model."""
    fixed = MOVE.with_name("shared-policy-move-fixed.yaml")
    checked = kb_lint("check", fixed)
    simulated = kb_lint("simulate", fixed, "--format", "json")
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (1 file).\n")
    assert json.loads(simulated.stdout)["final"]["leftovers"] == 0
