"""The fast path: components, classes of identical ones, and the same result as item by item."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.simulate import read_scenario, run_fast, run_items, scenario_from_data
from kb_lint.simulate.fast import components
from tests.conftest import ROOT

SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))


def organisation(users: int) -> dict:
    """Cloud and On-Premise sync every user under different names, one in three with sync all
    items on; user 0 and user 1 also share a CRM user, and user 2 is moved on cycle 2."""
    people = [
        {"email": f"u{i}@acme.example", "crm_user": f"u{i}@acme.example"} for i in range(users)
    ]
    shared = {"email": "u0@acme.example", "crm_user": "u1@acme.example"}
    return {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [
                    {
                        "name": "Trial",
                        "category": "Cloud",
                        "folders": {"root": "Cloud"},
                        "users": [*people, shared],
                    },
                ],
            },
            {
                "name": "onprem-1",
                "kind": "on-premise",
                "policies": [
                    {"name": "Sales", "category": "Sales", "users": people[::3]},
                    {
                        "name": "All",
                        "category": "All",
                        "sync_all_items": True,
                        "users": [p for i, p in enumerate(people) if i % 3],
                    },
                ],
            },
        ],
        "timeline": [
            {"cycle": 2, "action": "remove-riva-data", "email": "u2@acme.example", "what": "all"}
        ],
        "crm": {"records_per_user": {"contacts": 3, "leads": 1, "appointments": 2, "tasks": 1}},
        "cycles": 4,
        "seed": 5,
    }


def test_users_that_meet_in_a_crm_user_are_one_component():
    parts = components(scenario_from_data(organisation(6)).setup)
    assert [p.emails for p in parts][:2] == [
        ["u0@acme.example", "u1@acme.example"],
        ["u2@acme.example"],
    ]
    assert len(parts) == 5


def test_identical_users_are_simulated_once_and_counted_many_times():
    setup = scenario_from_data(organisation(30)).setup
    signatures = {p.signature() for p in components(setup)}
    assert len(signatures) == 4  # u0+u1, u2 (its events), users of Sales, users of All
    assert run_fast(setup) == run_items(setup)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_bundled_scenario_gives_the_same_result_both_ways(path: Path):
    setup = read_scenario(path).setup
    assert run_fast(setup) == run_items(setup)
