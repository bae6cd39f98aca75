"""The bounds of a run (``kb_lint.limits``): a world as large as the bound runs, one object more
is refused with a message saying what was counted and what to do; the same for a measure."""

from __future__ import annotations

import pytest

from kb_lint.limits import MAX_COUNT
from kb_lint.simulate import CycleStats, WorldTooLarge, run_counting, run_items
from kb_lint.simulate.run import bound
from kb_lint.simulate.scenario import Setup, scenario_from_data

RECORDS = {"contacts": 2, "leads": 1, "appointments": 1, "tasks": 1}  # 5 records, 4 types


def one_user() -> Setup:
    """One instance syncing one user's 5 records: after cycle 1 the world holds 5 records and
    5 items, as counted classes 4 record classes and 4 item classes (one per data type)."""
    user = {"email": "ann@acme.example", "crm_user": "ann@acme.example"}
    data = {
        "instances": [
            {
                "name": "onprem",
                "kind": "on-premise",
                "policies": [{"name": "Sales", "category": "Sales", "users": [user]}],
            }
        ],
        "crm": {"records_per_user": RECORDS},
        "cycles": 2,
    }
    return scenario_from_data(data).setup


def test_the_item_level_world_may_hold_as_many_objects_as_its_bound_and_no_more():
    setup = one_user()
    assert run_items(setup, limit=10).final()["crm_records"] == 5
    with pytest.raises(WorldTooLarge) as refused:
        run_items(setup, limit=9)
    assert str(refused.value) == (
        "cycle 1: the model holds 10 CRM records and mailbox items, more than the supported 9"
        " (fewer cycles, kb-lint simulate --counting, which counts classes of identical ones,"
        " or kb-lint simulate --no-limits)"
    )
    assert refused.value.cycle == 1


def test_the_counting_world_may_hold_as_many_classes_as_its_bound_and_no_more():
    setup = one_user()
    assert run_counting(setup, limit=8) == run_items(setup)
    with pytest.raises(WorldTooLarge) as refused:
        run_counting(setup, limit=7)
    assert str(refused.value) == (
        "cycle 1: the model holds 8 classes of CRM records and mailbox items, more than the"
        " supported 7 (fewer cycles, or kb-lint simulate --no-limits)"
    )


def stats(items: int) -> CycleStats:
    return CycleStats(3, items, 5, 0, 1, 0, 0, 9)


def test_a_measure_may_reach_max_count_and_not_pass_it():
    bound(stats(MAX_COUNT), 1, 1, "objects", "fewer objects")  # no error
    with pytest.raises(WorldTooLarge) as refused:
        bound(stats(MAX_COUNT + 1), 1, 1, "objects", "fewer objects")
    assert str(refused.value) == (
        "cycle 3: mailbox_items reaches about 10^300, more than the supported 10^300"
        " (fewer cycles, or kb-lint simulate --no-limits)"
    )
