"""Benchmark: a sweep of 10,000 cases in one process, in 2 local processes (--jobs 2) and on a
2-worker Dask LocalCluster, with the records of each compared to the one-process run; and the
counting path against the item-level path on a run both can hold.

    .venv/bin/python bench/bench_sweep.py [--cases 10000] [--counting-cycles 16]

The grid: article 105's grid (rules/kb-105/grid.yaml) without its instances axis (16 cases),
times as many seeds as make the case count. Figures are ratios to the one-process run of the
same invocation; the per-case cost and the per-batch overhead they imply feed the cost model in
the README. The counting path runs examples/scenarios/sync-all-one-of-three.yaml (sync all
items in one of three instances, the CRM doubling each cycle) for --counting-cycles cycles, as
does the item-level path; the ratio is of CPU seconds (the machine may be shared).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from kb_lint.pack.load import vocabulary_of
from kb_lint.pack.sources import rule_set
from kb_lint.simulate import read_scenario, run_counting, run_items
from kb_lint.simulate.executor import batches, run_sweep
from kb_lint.simulate.grid import Axis, Setting, read_grid
from kb_lint.simulate.sweep import Sweep

ROOT = Path(__file__).resolve().parent.parent
GRID = ROOT / "rules" / "kb-105" / "grid.yaml"
ONE_OF_THREE = ROOT / "examples" / "scenarios" / "sync-all-one-of-three.yaml"


def sweep_of(cases: int) -> Sweep:
    packs = rule_set(None, None)
    grid = read_grid(GRID, vocabulary_of(packs))
    axes = grid.axes[:4]
    seeds = -(-cases // 16)
    seed_axis = Axis(
        "seed",
        tuple(range(seeds)),
        tuple((Setting(("seed",), n, ()),) for n in range(seeds)),
    )
    return replace(Sweep.of(grid, None, None, None, None), axes=(*axes, seed_axis))


def timed(label: str, sweep: Sweep, executor: str, jobs: int) -> tuple[float, list]:
    start, cpu = time.perf_counter(), time.process_time()
    records = run_sweep(sweep, executor, jobs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label:<28} {seconds:8.1f} s  {len(records) / seconds:8.1f} cases/s"
        f"  (this process's CPU {cpu:.1f} s)"
    )
    return seconds, records


def round_trip(address: str, tasks: int = 200) -> float:
    """Seconds per task of a task that does nothing, on the cluster at ``address``."""
    from dask.distributed import Client

    with Client(address) as client:
        client.gather(client.map(abs, range(tasks), pure=False))  # warm up
        start = time.perf_counter()
        client.gather(client.map(abs, range(tasks, 2 * tasks), pure=False))
        return (time.perf_counter() - start) / tasks


def counting_against_items(cycles: int) -> None:
    """CPU seconds of the item-level and the counting path on the same run, and their ratio."""
    setup = replace(read_scenario(ONE_OF_THREE).setup, cycles=cycles)
    runs = []
    for run in (run_items, run_counting):
        cpu = time.process_time()
        result = run(setup, limit=None)
        runs.append((result, time.process_time() - cpu))
    (items, item_cpu), (counted, counted_cpu) = runs
    assert counted == items, "the counting path must give the item-level result"
    held = items.final()["crm_records"] + items.cycles[-1].mailbox_items
    print(
        f"sync all items in one of three, {cycles} cycles ({held:,} records and items): "
        f"item-level {item_cpu:.2f} s, counting {counted_cpu * 1000:.1f} ms of CPU; "
        f"counting {item_cpu / counted_cpu:,.0f}x faster, same result"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--counting-cycles", type=int, default=16)
    args = parser.parse_args()
    counting_against_items(args.counting_cycles)
    sweep = sweep_of(args.cases)
    print(f"{sweep.size:,} cases, {len(batches(sweep.size, 2))} batches for 2 workers")
    one, expected = timed("one process", sweep, "local", 1)
    two, local = timed("--jobs 2", sweep, "local", 2)
    from dask.distributed import LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        up = time.perf_counter() - start
        print(f"{'LocalCluster start':<28} {up:8.1f} s")
        dask, on_cluster = timed(
            "on a 2-worker LocalCluster", sweep, f"dask:{cluster.scheduler_address}", 2
        )
        assert local == expected and on_cluster == expected, "an executor changed the records"
        print("records identical in all three runs")
        print(
            f"speed-up over one process: --jobs 2 {one / two:.2f}x, "
            f"LocalCluster {one / dask:.2f}x ({one / (dask + up):.2f}x counting its start)"
        )
        trip = round_trip(cluster.scheduler_address)
    print(f"per case {one / sweep.size * 1000:.1f} ms; an empty task {trip * 1000:.1f} ms")


if __name__ == "__main__":
    main()
