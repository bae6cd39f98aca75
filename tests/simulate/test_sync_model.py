"""The item-level model, case by case: what each of article 105's situations does to a mailbox."""

from __future__ import annotations

from typing import Any

from kb_lint.simulate import Result, run_items, scenario_from_data
from tests.conftest import CLEAN_MAILBOX

USER = "user@email.com"
RECORDS = {"contacts": 2, "leads": 1, "appointments": 1, "tasks": 1}
N = sum(RECORDS.values())


def policy(category: str, root: str = "CRM", **options: Any) -> dict[str, Any]:
    return {
        "name": "Sales",
        "category": category,
        "folders": {"root": root},
        "users": [{"email": USER, "crm_user": USER}],
        **options,
    }


def deployment(*policies: dict[str, Any], timeline=(), cycles: int = 3, seed: int = 0) -> dict:
    kinds = ["cloud", "on-premise", "on-premise"]
    names = ["riva-cloud", "onprem-1", "onprem-2"]
    return {
        "instances": [
            {"name": names[i], "kind": kinds[i], "policies": [p]} for i, p in enumerate(policies)
        ],
        "crm": {"records_per_user": RECORDS},
        "cycles": cycles,
        "seed": seed,
        "timeline": list(timeline),
    }


def run(data: dict[str, Any]) -> Result:
    return run_items(scenario_from_data(data).setup)


def test_same_names_give_one_error_per_foreign_item_and_one_for_the_folder_every_cycle():
    """Each instance writes its own copy (A10); the second to sync in cycle 1 errs on the
    first's copies and folder root, and from cycle 2 both err on each other's copies."""
    result = run(deployment(policy("CRM"), policy("CRM")))
    errors = [c.errors for c in result.cycles]
    assert errors == [N + 1, 2 * N + 1, 2 * N + 1]
    for cycle in result.cycles:
        assert (cycle.mailbox_items, cycle.mailbox_copies_max, cycle.crm_records) == (2 * N, 2, N)
    assert result.mailboxes[USER]["sync_errors"] is True


def test_different_names_give_a_copy_per_instance_and_no_error():
    result = run(deployment(policy("Cloud", "CRM (Cloud)"), policy("On-Premise")))
    assert [(c.errors, c.mailbox_items, c.mailbox_copies_max) for c in result.cycles] == [
        (0, 2 * N, 2)
    ] * 3


def test_different_categories_under_one_folder_root_sync_twice_with_a_folder_error():
    result = run(deployment(policy("Cloud"), policy("On-Premise")))
    assert [(c.errors, c.mailbox_copies_max) for c in result.cycles] == [(1, 2)] * 3


def test_sync_all_items_turns_the_other_instances_copies_into_new_records_every_cycle():
    result = run(
        deployment(policy("Cloud", "A"), policy("On-Premise", "B", sync_all_items=True), cycles=6)
    )
    records = [c.crm_records for c in result.cycles]
    assert records == sorted(records) and records[-1] > 3 * N
    assert {c.mailbox_copies_max for c in result.cycles} == {2}
    assert result.final()["crm_duplicates"] == records[-1] - N
    assert result.mailboxes[USER]["crm_duplicates"] is True


def test_sync_all_items_under_a_shared_category_errs_and_duplicates():
    """The article makes no exception for the same names: the instance with sync all items
    takes the other's copies for new items (and errs on them), whatever the seed."""
    for seed in range(4):
        result = run(
            deployment(
                policy("CRM", "A"), policy("CRM", "B", sync_all_items=True), cycles=4, seed=seed
            )
        )
        assert result.mailboxes[USER]["crm_duplicates"] is True
        assert all(c.errors > 0 for c in result.cycles)
        assert result.final()["crm_duplicates"] == result.final()["crm_records"] - N > 0


def test_the_users_own_items_go_to_the_crm_once_with_one_instance():
    data = deployment(policy("CRM", sync_all_items=True))
    data["mailbox"] = {"user_items": {"contacts": 2, "tasks": 1}}
    result = run(data)
    assert [c.crm_records for c in result.cycles] == [N + 3] * 3
    assert result.final()["crm_duplicates"] == 0
    assert result.mailboxes[USER]["crm_duplicates"] is False


def test_the_users_own_items_stay_out_of_the_crm_without_sync_all_items():
    data = deployment(policy("Cloud", "A"), policy("On-Premise", "B"))
    data["mailbox"] = {"user_items": {"contacts": 2}}
    last = run(data).cycles[-1]
    assert (last.crm_records, last.mailbox_items) == (N, 2 * N + 2)


def test_a_policy_syncs_only_its_data_types():
    result = run(
        deployment(
            policy("Cloud", "A", data_types=["contacts"]),
            policy("On-Premise", "B", data_types=["tasks"], sync_all_items=True),
        )
    )
    last = result.cycles[-1]
    assert (last.mailbox_items, last.crm_records, last.mailbox_copies_max) == (3, N, 1)


def test_the_first_policy_of_an_instance_syncs_a_shared_combination_per_data_type():
    sales = policy("Sales Sync", data_types=["contacts"])
    support = {**policy("Support Sync", data_types=["contacts", "tasks"]), "name": "Support"}
    data = deployment(sales)
    data["instances"][0]["policies"].append(support)
    last = run(data).cycles[-1]
    assert (last.mailbox_items, last.mailbox_copies_max, last.errors) == (3, 1, 0)


MIGRATE = [
    {"cycle": 2, "action": "disable-policy", "instance": "riva-cloud", "policy": "Sales"},
    {"cycle": 2, "action": "delete-account", "instance": "riva-cloud", "email": USER},
    {
        "cycle": 3,
        "action": "add-user",
        "instance": "onprem-1",
        "policy": "Sales",
        "email": USER,
        "crm_user": USER,
    },
]


def target(category: str, root: str = "Riva") -> dict[str, Any]:
    return {**policy(category, root), "users": []}


def test_stale_copies_under_the_same_category_go_to_lost_and_found_on_the_first_sync():
    result = run(deployment(policy("CRM"), target("CRM"), timeline=MIGRATE, cycles=4))
    assert [c.mailbox_items for c in result.cycles] == [N, N, 2 * N, 2 * N]
    assert [c.mailbox_copies_max for c in result.cycles] == [1, 1, 1, 1]
    assert result.mailboxes[USER] == {
        "sync_errors": False,
        "mailbox_copies": 1,
        "crm_duplicates": False,
        "lost_and_found": True,
        "dormant": False,
        "leftovers": ["folders"],
    }


def test_stale_copies_under_another_category_stay_beside_the_fresh_ones():
    result = run(
        deployment(policy("Cloud", "CRM"), target("On-Premise", "CRM"), timeline=MIGRATE, cycles=4)
    )
    assert [c.mailbox_copies_max for c in result.cycles] == [1, 1, 2, 2]
    assert [c.errors for c in result.cycles] == [0, 0, 1, 1]  # the Cloud's "CRM" folder root
    assert result.mailboxes[USER]["leftovers"] == ["categories"]


def test_the_clean_up_leaves_a_fresh_mailbox():
    clean_up = {"cycle": 2, "action": "remove-riva-data", "email": USER, "what": "all"}
    result = run(
        deployment(
            policy("Cloud", "CRM"),
            target("On-Premise", "CRM"),
            timeline=[*MIGRATE[:2], clean_up, MIGRATE[2]],
            cycles=4,
        )
    )
    assert [c.mailbox_items for c in result.cycles] == [N, 0, N, N]
    assert result.mailboxes[USER] == CLEAN_MAILBOX


def test_a_disabled_policy_whose_account_remains_is_dormant():
    result = run(
        deployment(policy("CRM"), target("CRM"), timeline=[MIGRATE[0], MIGRATE[2]], cycles=4)
    )
    assert result.mailboxes[USER]["dormant"] is True


def test_groupwise_address_books_and_sub_calendar_go_with_the_data_types_they_hold():
    gw = policy("CRM", email_system="groupwise")
    timeline = [
        MIGRATE[0],
        {"cycle": 2, "action": "remove-riva-data", "email": USER, "what": ["contacts"]},
        {"cycle": 3, "action": "remove-riva-data", "email": USER, "what": ["appointments"]},
    ]
    result = run(deployment(gw, timeline=timeline, cycles=3))
    assert [c.mailbox_items for c in result.cycles] == [N, N - 2, N - 3]
    # left: the leads address book, the sub-calendar (tasks are still in it), the folder root
    assert [c.leftovers for c in result.cycles] == [0, 3, 3]
    assert result.mailboxes[USER]["leftovers"] == ["address-books", "folders", "sub-calendar"]


def test_items_removed_under_a_syncing_instance_are_written_again():
    remove = {"cycle": 2, "action": "remove-riva-data", "email": USER, "what": ["items"]}
    result = run(deployment(policy("CRM"), timeline=[remove], cycles=2))
    assert [c.mailbox_items for c in result.cycles] == [N, N]
    assert result.mailboxes[USER]["mailbox_copies"] == 1


def test_a_seed_fixes_the_order_the_instances_sync_in():
    def rows(seed: int) -> list:
        both = deployment(
            policy("Cloud", "A", sync_all_items=True),
            policy("On-Premise", "B", sync_all_items=True),
            cycles=5,
            seed=seed,
        )
        return run(both).cycles

    assert rows(3) == rows(3)
    assert len({tuple(rows(seed)) for seed in range(6)}) > 1


def test_zero_cycles_leave_the_crm_as_it_was():
    result = run(deployment(policy("CRM"), cycles=0))
    assert result.cycles == []
    assert result.final() == {
        "crm_records": N,
        "crm_duplicates": 0,
        "mailbox_copies_max": 0,
        "errors_total": 0,
        "errors_last_cycle": 0,
        "leftovers": 0,
    }


def test_foreign_copies_of_an_instance_stopped_after_the_first_sync_stay_errors():
    """M2: Lost & Found only on an instance's first sync of a type; copies of an instance that
    stops later are errors on every sync after."""
    stop = {"cycle": 3, "action": "disable-policy", "instance": "riva-cloud", "policy": "Sales"}
    result = run(deployment(policy("CRM"), policy("CRM"), timeline=[stop], cycles=4))
    assert [c.errors for c in result.cycles][2:] == [N + 1, N + 1]
    assert result.mailboxes[USER]["lost_and_found"] is False


def test_a_user_removed_from_a_policy_is_no_longer_synced_by_it():
    remove = {
        "cycle": 2,
        "action": "remove-user",
        "instance": "onprem-1",
        "policy": "Sales",
        "email": USER,
        "crm_user": USER,
    }
    clean = {"cycle": 3, "action": "remove-riva-data", "email": USER, "what": "all"}
    result = run(deployment(policy("Cloud"), policy("On-Premise"), timeline=[remove, clean]))
    assert [c.mailbox_items for c in result.cycles] == [2 * N, 2 * N, N]


def test_item_syncs_count_every_record_checked_and_every_item_scanned():
    """The benchmark's throughput measure: cycle 1 checks N records; later cycles also scan the
    N copies in the mailbox."""
    result = run(deployment(policy("CRM")))
    assert [c.item_syncs for c in result.cycles] == [N, 2 * N, 2 * N]
