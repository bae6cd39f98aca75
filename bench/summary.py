"""Print issue 23's targets as `make bench` measured them: one table, last.

    .venv/bin/python bench/summary.py build/bench/results.jsonl [--started EPOCH]

One row per result the benchmarks recorded (``results.py``): the target, its subject (a style's
rule, a deployment), the figure, what the target asks, the baseline of the same run, and
``met``, ``NOT met`` or ``not measured: WHY``. A target that is not met is a fact to read, not a
failure: the exit status is 0. It is 1 when a target has no result at all (a benchmark that
should have recorded it did not run, or no longer records it) or a line is not a result.
``--started``: the run's start (seconds since the epoch), to print the total time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from results import TARGETS


def row(line: dict) -> tuple[str, ...]:
    target = TARGETS[line["target"]]
    measured = line["measured"]
    if measured is None:
        figure, status = "-", f"not measured: {line['note']}"
    else:
        figure = target.show(measured)
        status = "met" if target.met(measured) else "NOT met"
        if line["note"]:
            status += f" ({line['note']})"
    return target.what, line["subject"], figure, target.wanted(), line["baseline"], status


def read(path: Path) -> tuple[dict[str, list[dict]], list[str]]:
    """The results by target, and the lines that are not results (as file:line messages)."""
    by_target: dict[str, list[dict]] = {name: [] for name in TARGETS}
    wrong = []
    text = path.read_text("utf-8") if path.is_file() else ""
    for number, raw in enumerate(text.splitlines(), 1):
        try:
            line = json.loads(raw)
            row(line)  # a known target, every field there and of its type
            by_target[line["target"]].append(line)
        except (ValueError, KeyError, TypeError) as error:
            wrong.append(f"{path}:{number}:1: not a result line ({error!r})")
    return by_target, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--started", type=float, help="the run's start, seconds since the epoch")
    args = parser.parse_args()
    by_target, wrong = read(args.results)
    print("Issue 23's targets, measured by this run (each figure with its baseline of the run):")
    print("| target | subject | measured | target | baseline, same run | status |")
    print("| --- | --- | ---: | ---: | --- | --- |")
    missing = []
    for name, lines in by_target.items():
        if not lines:
            missing.append(name)
            target = TARGETS[name]
            reason = f"not measured: no result recorded in {args.results}"
            print(f"| {target.what} | - | - | {target.wanted()} | - | {reason} |")
        for line in lines:
            print("| " + " | ".join(row(line)) + " |")
    for message in wrong:
        print(message, file=sys.stderr)
    if missing:
        print(f"no result for: {', '.join(missing)} (did its benchmark run?)", file=sys.stderr)
    if args.started is not None:
        print(f"make bench took {time.time() - args.started:.0f} s in all")
    return 1 if missing or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
