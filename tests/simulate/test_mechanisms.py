"""Every outcome the KB105 pack says the model measures changes when the mechanism that makes it
is taken out of the model: no measured outcome is produced by anything else."""

from __future__ import annotations

from typing import Any

import pytest

from kb_lint.pack import load_packs
from kb_lint.simulate import config, sync
from tests.conftest import ROOT
from tests.simulate.test_sync_model import USER, deployment, policy
from tests.simulate.test_sync_model import run as simulate

[KB105] = [p for p in load_packs(ROOT / "rules") if p.id == "KB105"]


def _outcome(data: dict[str, Any]) -> dict[str, Any]:
    return simulate(data).mailboxes[USER]


def _two_policies_switch_off() -> dict[str, Any]:
    """KB 433: one server on 2.4.40, one user in two policies with different categories."""
    return {
        "instances": [
            {
                "name": "onprem",
                "kind": "on-premise",
                "riva_version": "2.4.40",
                "policies": [
                    {**policy("Sales Sync", "Sales"), "name": "Sales"},
                    {**policy("Support Sync", "Support"), "name": "Support"},
                ],
            }
        ],
        "crm": {"records_per_user": {"contacts": 2}},
        "cycles": 3,
    }


MIGRATION = deployment(
    policy("CRM", "Cloud"),
    policy("CRM", "On-Premise", enabled=False),
    cycles=5,
    timeline=[
        {"cycle": 2, "action": "disable-policy", "instance": "riva-cloud", "policy": "Sales"},
        {"cycle": 3, "action": "enable-policy", "instance": "onprem-1", "policy": "Sales"},
    ],
)


CASES = {
    # errors: an instance meets items in its namespace it did not write (M2)
    "sync_errors": (
        deployment(policy("CRM", "Cloud"), policy("CRM", "On-Premise")),
        lambda mp: mp.setattr(sync, "_scan", lambda *a: []),
    ),
    # copies: each writer keeps its own (A10), a policy on its own with the switch off (M6)
    "mailbox_copies": (
        _two_policies_switch_off(),
        lambda mp: mp.setattr(config.Assignment, "writer", property(lambda a: a.policy.instance)),
    ),
    # duplicates: sync all items sends the other instance's copies up as new records (M4)
    "crm_duplicates": (
        deployment(policy("A", "A", sync_all_items=True), policy("B", "B")),
        lambda mp: mp.setattr(sync, "_scan", lambda *a: []),
    ),
    # Lost & Found: stale copies under the same category on the first sync (M2)
    "lost_and_found": (
        MIGRATION,
        lambda mp: mp.setattr(sync.World, "lose", lambda self, box, item: None),
    ),
    # leftovers: the containers an instance writes stay when no syncing policy uses them (M9)
    "leftovers": (
        deployment(
            policy("Cloud"),
            policy("On-Premise", enabled=False),
            cycles=4,
            timeline=[
                {
                    "cycle": 2,
                    "action": "disable-policy",
                    "instance": "riva-cloud",
                    "policy": "Sales",
                },
                {"cycle": 2, "action": "enable-policy", "instance": "onprem-1", "policy": "Sales"},
            ],
        ),
        lambda mp: mp.setattr(sync, "category_containers", lambda *a: []),
    ),
    # dormant: a disabled policy whose account exists holds a combination another syncs (M9)
    "dormant": (
        deployment(policy("Cloud", "Cloud", enabled=False), policy("On-Premise", "On-Premise")),
        lambda mp: mp.setattr(config.Configuration, "dormant", lambda self: set()),
    ),
}


def test_every_measured_outcome_has_a_case():
    assert KB105.simulation is not None
    assert set(KB105.simulation.measures) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_measured_outcome_changes_when_its_mechanism_is_removed(name, monkeypatch):
    data, remove = CASES[name]
    shown = _outcome(data)[name]
    default = KB105.outcomes[name].default
    assert shown != default, f"{name}: the case does not show it ({shown!r})"
    with monkeypatch.context() as mp:
        remove(mp)
        assert _outcome(data)[name] != shown
