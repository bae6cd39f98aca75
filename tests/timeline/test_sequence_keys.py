"""Sequence rules look partial matches up by the fields a step joins on: the same matches as
trying every one, for many people at once, and in time that grows with the events only."""

from __future__ import annotations

from kb_lint.engine import check_deployment
from kb_lint.engine.sequence import _conjuncts
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")


def test_a_conjunction_is_split_at_its_top_level_ands_only():
    source = 'a.x == b.x and (a.y or b.y) and c.z == "and or"'
    assert _conjuncts(source) == ["a.x == b.x ", " (a.y or b.y) ", ' c.z == "and or"']
    assert _conjuncts("a.x == b.x and a.y or b.y") == []
    assert _conjuncts('"x" if a.y else "z"') == []


def test_renamed_people_are_each_matched_with_their_own_removal():
    """KB1270-001: ten people removed and added back under a new address, one of them under
    another CRM user too: nine findings, each relating the right removal."""
    people = [(f"p{n}@example.com", f"crm{n}") for n in range(10)]
    timeline = []
    for email, crm in people:
        timeline.append(
            {
                "at": "2024-06-03",
                "action": "remove-user",
                "instance": "onprem",
                "policy": "Sales",
                "email": email,
                "crm_user": crm,
            }
        )
    for n, (email, crm) in enumerate(people):
        timeline.append(
            {
                "at": "2024-06-04",
                "action": "add-user",
                "instance": "onprem",
                "policy": "Sales",
                "email": f"new-{email}",
                "crm_user": "someone-else" if n == 3 else crm,
            }
        )
    data = {
        "instances": [
            {
                "name": "onprem",
                "kind": "on-premise",
                "riva_version": "2.4.52",
                "policies": [
                    {"name": "Sales", "users": [{"email": e, "crm_user": c} for e, c in people]}
                ],
            }
        ],
        "timeline": timeline,
    }
    dep = scenario_from_data(data, "<renames>", vocabulary_of(PACKS)).deployment
    found = [f for f in check_deployment(dep, PACKS) if f.rule == "KB1270-001"]
    assert sorted(f.subject["crm_user"] for f in found) == sorted(
        c for n, (_, c) in enumerate(people) if n != 3
    )
    for finding in found:
        removed, added = finding.subject["events"]
        assert added - removed == 10  # the add of person n (event 11 + n) joins removal n
