"""Property 4 of the rules proved against the model (tests/test_properties.py): the fast path gives
the item-level result, over organisations of repeated departments whose users have their own
numbers of CRM records (Hypothesis, the same examples every run)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, note, settings
from hypothesis import strategies as st

from kb_lint.simulate import run_fast, run_items
from kb_lint.strategies import (
    deployments,
    migrations,
    to_yaml,
    with_contacts,
    with_locked_change,
    with_meetings,
    with_new_address,
)
from tests.properties import ARTICLE, EXAMPLES, SETTINGS, scenario_of


@st.composite
def moves(draw: st.DrawFn) -> dict[str, Any]:
    """A Riva Cloud to Riva On-Premise move, by the book or with one step left out."""
    migration = draw(migrations())
    _, items = ARTICLE[migration.source["email_system"]]
    order = [step for item in items for step in item]
    skipped = draw(st.integers(-1, len(order) - 2))
    return migration.scenario((n, a, w) for n, (_, a, w) in enumerate(order) if n != skipped)


@settings(max_examples=EXAMPLES["fast"], **SETTINGS)
@given(
    st.lists(
        st.one_of(deployments(max_instances=2), moves())
        .flatmap(with_contacts)
        .flatmap(with_new_address)
        .flatmap(with_locked_change)
        .flatmap(with_meetings),
        min_size=1,
        max_size=3,
    ),
    st.integers(1, 3),
    st.lists(st.integers(0, 2), min_size=3, max_size=3),
)
def test_the_fast_path_gives_the_item_level_result(parts, copies, extra):
    """Organisations made of repeated departments, each copy of a department with its own
    number of extra CRM records per user, address books and CRMs holding contacts twice (M13),
    users back under a new address (M14), settings fixed at the first save changed (M12,
    M15), meetings matched under drawn Attendee Syncing options (M16): the fast path runs one
    of each shape."""
    data = organisation(parts, copies, extra)
    note(to_yaml(data))
    setup = scenario_of(data).setup
    item_level, fast = run_items(setup), run_fast(setup)
    assert fast.cycles == item_level.cycles
    assert fast.mailboxes == item_level.mailboxes


def organisation(parts: list[dict[str, Any]], copies: int, extra: list[int]) -> dict[str, Any]:
    """The deployments side by side, each ``copies`` times with its own users (and their own
    timeline events); instances with the same name are merged, policy by policy. The users of
    copy ``c`` get ``extra[c]`` more contacts each, so copies differ in their record counts."""
    instances: dict[str, dict[str, Any]] = {}
    timeline: list[dict[str, Any]] = []
    records: list[dict[str, str]] = []

    def own(copy: int, entry: dict[str, Any]) -> dict[str, Any]:
        renamed = {k: f"d{copy}.{entry[k].strip()}" for k in ("email", "crm_user") if k in entry}
        return {**entry, **renamed}

    for n, part in enumerate(parts):
        for copy in range(copies):
            for inst in part["instances"]:
                merged = instances.setdefault(inst["name"], {**inst, "policies": []})
                for policy in inst["policies"]:
                    name = f"{policy['name']} {n}"
                    target = next((p for p in merged["policies"] if p["name"] == name), None)
                    if target is None:
                        target = {**policy, "name": name, "users": []}
                        merged["policies"].append(target)
                    users = [own(copy, u) for u in policy.get("users", [])]
                    target["users"] += users
                    for user in users:
                        records += [{"crm_user": user["crm_user"], "type": "contacts"}] * extra[
                            copy
                        ]
            for entry in part.get("timeline", []):
                renamed = own(copy, entry)
                if "policy" in entry:
                    renamed["policy"] = f"{entry['policy']} {n}"
                timeline.append(renamed)
    return {
        "instances": list(instances.values()),
        "timeline": sorted(timeline, key=lambda entry: entry["cycle"]),
        "crm": {**parts[0]["crm"], "records": records},
        "cycles": max(part["cycles"] for part in parts),
        "seed": 7,
    }
