"""Benchmark: the whole hostile-input suite of issue 20, each input once, and what it found.

    .venv/bin/python bench/bench_hostile.py [--jobs 2] [--kind PREFIX]

Every case of ``tests/fuzz/hostile/`` (inputs that crashed, hung, leaked or lost data on the
day the issue was filed: includes leaving the project, hostile values in reports, ``--fix``
on unusual YAML, encodings and file attributes, folders and devices where files are read,
unbounded cycles and items, patterns that backtrack, alias amplification, bad config and
addresses, a language server fed bad frames) runs in a forked ``kb-lint`` (or a real
``kb-lint server``) with its time limit. A class is *found* when one of its inputs does not get
what it must now get (an input error at file:line:col, a finding, or a bounded result).

Printed: inputs tried, classes found (0 when every input behaves), each failing input, and the
slowest input, as seconds and as a ratio to the baseline of the same run: ``kb-lint check`` of
the bundled example deployment, a normal input, run the same way.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.fuzz.hostile import (  # noqa: E402  (after the path)
    CASES,
    DEPLOYMENT,
    Case,
    Outcome,
    prepare,
    run_case,
    run_cli,
)


def attempt(case: Case) -> tuple[Case, Outcome, str | None]:
    with tempfile.TemporaryDirectory(prefix="kb-lint-hostile-") as temporary:
        folder = Path(temporary) / "run"
        folder.mkdir()
        outcome = run_case(case, folder)
        if outcome.code is None:
            return case, outcome, f"still running after {case.limit:g} s"
        return case, outcome, case.expect(outcome)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="inputs run at once (default: 2)")
    parser.add_argument("--kind", default="", help="only the classes starting with this")
    args = parser.parse_args()
    prepare()
    cases = [c for c in CASES if c.kind.startswith(args.kind)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as temporary:
        baseline = min(
            run_cli(["check", str(DEPLOYMENT)], Path(temporary), 60).seconds for _ in range(3)
        )
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(attempt, cases))
    wall = time.perf_counter() - started
    failing = [(case, problem) for case, _, problem in results if problem is not None]
    classes = sorted({case.kind for case in cases})
    found = sorted({case.kind for case, _ in failing})
    slowest_case, slowest, _ = max(results, key=lambda r: r[1].seconds)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = used.ru_utime + used.ru_stime
    print(
        f"inputs tried: {len(cases)} in {len(classes)} classes "
        f"({wall:.1f} s, {args.jobs} jobs, {cpu:.1f} s of CPU in the runs)"
    )
    print(f"classes found: {len(found)}")
    for case, problem in failing:
        print(f"  {case.kind}: {case.name}: {problem}")
    print(
        f"slowest input: {slowest_case.kind}: {slowest_case.name}: {slowest.seconds:.2f} s "
        f"({slowest.seconds / baseline:.1f} x the baseline, kb-lint check of "
        f"examples/deployment.yaml: {baseline:.2f} s)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
