"""Benchmark: the simulator item by item (item-syncs per second), and an organisation of 10,000
users x 500 CRM records x 2 instances x 10 cycles, item by item on a sample (extrapolated) and
through the fast path (measured on the whole organisation).

    .venv/bin/python bench/bench_simulate.py [--users 10000] [--sample 100] [--cycles 10]

The organisation: Riva On-Premise syncs every user, in one of three policies (its own names;
"sync all items"; the Cloud's category); Riva Cloud still syncs one user in three under its own
names; 1% of the users leave Riva Cloud on cycle 5 (removed from the policy, mailbox cleaned up).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from kb_lint.simulate import run_fast, run_items, scenario_from_data

RECORDS = {"contacts": 300, "leads": 50, "appointments": 100, "tasks": 50}  # 500 per user


def organisation(users: int, cycles: int) -> dict[str, Any]:
    people = [
        {"email": f"user{i}@acme.example", "crm_user": f"user{i}@acme.example"}
        for i in range(users)
    ]
    cloud = people[::3]
    leaving = cloud[::33]  # about 1% of the users
    third = users // 3
    timeline = []
    for person in leaving:
        timeline += [
            {
                "cycle": 5,
                "action": "remove-user",
                "instance": "riva-cloud",
                "policy": "Trial",
                **person,
            },
            {"cycle": 5, "action": "remove-riva-data", "email": person["email"], "what": "all"},
        ]
    return {
        "instances": [
            {
                "name": "riva-cloud",
                "kind": "cloud",
                "policies": [
                    {
                        "name": "Trial",
                        "category": "My Sync (Cloud)",
                        "folders": {"root": "Cloud"},
                        "users": cloud,
                    },
                ],
            },
            {
                "name": "onprem-prod",
                "kind": "on-premise",
                "policies": [
                    {"name": "Sales", "category": "My Sync (On-Premise)", "users": people[:third]},
                    {
                        "name": "Support",
                        "category": "Support Sync",
                        "sync_all_items": True,
                        "users": people[third : 2 * third],
                    },
                    {"name": "Legacy", "category": "My Sync (Cloud)", "users": people[2 * third :]},
                ],
            },
        ],
        "timeline": timeline,
        "crm": {"records_per_user": RECORDS},
        "cycles": cycles,
        "seed": 1,
    }


def timed(run, *args):
    start = time.perf_counter()
    value = run(*args)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()

    sample = scenario_from_data(organisation(args.sample, args.cycles)).setup
    item_level, item_seconds = timed(run_items, sample)
    fast_sample, _ = timed(run_fast, sample)
    assert fast_sample == item_level, "the fast path must give the item-level result"
    rate = item_level.item_syncs / item_seconds
    print(
        f"item level, {args.sample} users x {sum(RECORDS.values())} records x 2 instances x "
        f"{args.cycles} cycles: {item_seconds:.2f} s, {item_level.item_syncs:,} item-syncs, "
        f"{rate:,.0f} item-syncs/s"
    )
    estimate = item_seconds * args.users / args.sample
    print(
        f"item level, {args.users:,} users (extrapolated): {estimate:.0f} s "
        f"({estimate / 60:.1f} min)"
    )

    scenario, load_seconds = timed(scenario_from_data, organisation(args.users, args.cycles))
    result, fast_seconds = timed(run_fast, scenario.setup)
    final = result.final()
    print(
        f"fast path, {args.users:,} users: {fast_seconds:.2f} s "
        f"(+ {load_seconds:.2f} s to read the scenario); "
        f"{result.item_syncs:,} item-syncs represented"
    )
    print(
        f"  final: {final['crm_records']:,} CRM records ({final['crm_duplicates']:,} duplicates), "
        f"at most {final['mailbox_copies_max']} copies, {final['errors_last_cycle']:,} errors "
        f"in the last cycle, {final['leftovers']:,} leftovers"
    )


if __name__ == "__main__":
    main()
