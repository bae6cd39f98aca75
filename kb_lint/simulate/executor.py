"""Where a sweep's cases run: this process, local processes (``--jobs N``) or a Dask cluster.

The cases are cut into batches of consecutive numbers; each batch is one task
(``kb_lint.simulate.sweep.run_cases``), and the records are put back in case order, so every
executor returns the same list for the same sweep. A task costs a process round trip (about a
millisecond locally, a few on a cluster), so a batch holds enough cases to outweigh it while
leaving every worker several batches to balance the load.

Dask is optional (``pip install "kb-lint[dask]"``): ``dask`` starts a ``LocalCluster`` of
``jobs`` worker processes (2 by default), ``dask:tcp://host:8786`` uses a running scheduler,
whose workers must have kb-lint installed (the same version) and reach the rule packs' paths.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TextIO

from kb_lint.simulate.sweep import Case, Sweep, run_cases

DASK_HINT = 'the dask executor needs Dask: pip install "kb-lint[dask]"'
MAX_BATCH = 64
BATCHES_PER_WORKER = 8


class ExecutorError(Exception):
    """An executor that cannot run: Dask missing, or no scheduler at the address."""


def batches(size: int, workers: int) -> list[range]:
    """Case numbers ``0..size-1`` in consecutive batches, about ``BATCHES_PER_WORKER`` per
    worker and at most ``MAX_BATCH`` cases each."""
    step = max(1, min(MAX_BATCH, -(-size // (workers * BATCHES_PER_WORKER))))
    return [range(start, min(start + step, size)) for start in range(0, size, step)]


def run_sweep(
    sweep: Sweep,
    executor: str = "local",
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    processes: bool = True,
) -> list[Case]:
    """Every case of ``sweep``, in case order. ``executor`` is ``local`` (``jobs`` processes;
    1 runs here), ``dask`` (a LocalCluster of ``jobs`` workers; ``processes=False`` runs them
    as threads of this process) or ``dask:ADDRESS``; ``progress`` is called with the number of
    cases done after each batch."""
    done = progress or (lambda _: None)
    if executor == "local" and jobs <= 1:
        records = []
        for batch in batches(sweep.size, 1):
            records += run_cases(sweep, batch)
            done(len(records))
        return records
    if executor == "local":
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunks = batches(sweep.size, jobs)
            futures = {pool.submit(run_cases, sweep, chunk): n for n, chunk in enumerate(chunks)}
            return _ordered(((futures[f], f.result()) for f in as_completed(futures)), done)
    if executor == "dask" or executor.startswith("dask:"):
        return _on_dask(sweep, executor.partition(":")[2] or None, jobs, done, processes)
    raise ExecutorError(f"unknown executor '{executor}' (local, dask, or dask:ADDRESS)")


def _on_dask(
    sweep: Sweep, address: str | None, jobs: int, done: Callable[[int], None], processes: bool
) -> list[Case]:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise ExecutorError(DASK_HINT) from None
    cluster = None
    try:
        if address is None:
            cluster = LocalCluster(
                n_workers=jobs if jobs > 1 else 2,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout="10s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        shared = client.scatter(sweep, broadcast=True)
        chunks = batches(sweep.size, workers)
        futures = client.map(run_cases, [shared] * len(chunks), chunks, pure=False)
        index = {f.key: n for n, f in enumerate(futures)}
        pairs = ((index[f.key], f.result()) for f in dask_completed(futures))
        return _ordered(pairs, done)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ordered(pairs: Iterator[tuple[int, list[Case]]], done: Callable[[int], None]) -> list[Case]:
    """The batches' records in batch order, as they arrive."""
    found: dict[int, list[Case]] = {}
    count = 0
    for n, records in pairs:
        found[n] = records
        count += len(records)
        done(count)
    return [record for n in sorted(found) for record in found[n]]


class ProgressBar:
    """A one-line progress bar on a terminal (nothing when ``stream`` is not one)."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = total
        self.stream = stream
        self.shown = stream.isatty() and total > 1

    def __call__(self, done: int) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done:,}/{self.total:,} cases")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def executor_of(value: str) -> str:
    """Check an ``--executor`` value: ``local``, ``dask`` or ``dask:ADDRESS``."""
    if value in ("local", "dask") or (value.startswith("dask:") and len(value) > 5):
        return value
    raise ValueError(f"'{value}' is not local, dask or dask:tcp://HOST:PORT")
