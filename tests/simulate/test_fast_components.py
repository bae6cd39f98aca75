"""The fast path's components (kb_lint/simulate/fast.py): a mailbox and a CRM user are linked
only by a binding or an event naming both; identical components are simulated once."""

from __future__ import annotations

from kb_lint.simulate import run_fast, run_items, scenario_from_data
from kb_lint.simulate.fast import components
from kb_lint.simulate.trace import TraceFilter, collector

PEOPLE = ("ann", "bob", "cy")


def deployment() -> dict:
    """Three users whose CRM users are named unlike their mailboxes, each cleaned up on cycle 2
    by an event that names the mailbox only."""
    users = [{"email": f"{p}@acme.example", "crm_user": f"{p}.crm@acme.example"} for p in PEOPLE]
    return {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [{"name": "Trial", "category": "CRM", "users": users}],
            },
            {
                "name": "onprem",
                "kind": "on-premise",
                "policies": [{"name": "Sales", "category": "CRM", "users": users}],
            },
        ],
        "timeline": [
            {"cycle": 2, "action": "remove-riva-data", "email": f"{p}@acme.example", "what": "all"}
            for p in PEOPLE
        ],
        "crm": {"records_per_user": {"contacts": 2, "appointments": 1}},
        "cycles": 3,
    }


def test_each_mailbox_is_a_component_with_its_own_crm_user_and_events():
    parts = components(scenario_from_data(deployment()).setup)
    assert [(p.emails, p.users, len(p.events)) for p in parts] == [
        ([f"{p}@acme.example"], [f"{p}.crm@acme.example"], 1) for p in PEOPLE
    ]
    assert len({p.signature() for p in parts}) == 1


def test_identical_components_are_simulated_once_with_their_weight():
    setup = scenario_from_data(deployment()).setup
    events, sink = collector(TraceFilter())
    assert run_fast(setup, sink) == run_items(setup)
    assert {e["mailbox"] for e in events} == {"ann@acme.example"}
    assert {e["weight"] for e in events} == {3}
