"""Issue 23's targets, and the results file `make bench` collects its figures for them in.

A benchmark that measures a target calls :func:`record` once per subject (a style's rule, a
deployment): one JSON line appended to the file ``BENCH_RESULTS`` names (the Makefile passes
``build/bench/results.jsonl`` and empties it first; unset, nothing is written). ``summary.py``
prints the table of every target from it. A target not measured (no corpus, a peer not
installed) is recorded too, with the reason, so that the summary says so instead of leaving
it out.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    """What issue 23 asks for: ``measured <= limit`` (``at_most``) or ``measured >= limit``."""

    what: str
    limit: float
    at_most: bool
    percent: bool = False  # measured and limit are shares, shown as percentages

    def met(self, measured: float) -> bool:
        return measured <= self.limit if self.at_most else measured >= self.limit

    def show(self, value: float) -> str:
        return f"{value:.1%}" if self.percent else f"{value:.2f}x"

    def wanted(self) -> str:
        return ("<= " if self.at_most else ">= ") + self.show(self.limit)


TARGETS = {
    "precision": Target("precision (held-out half)", 0.9, at_most=False, percent=True),
    "recall": Target("recall (planted slips)", 0.9, at_most=False, percent=True),
    "articles-one-process": Target(
        "articles: 1 process / bare markdown-it-py parse", 1.3, at_most=True
    ),
    "articles-markdownlint": Target(
        "articles: markdownlint-cli2 / kb-lint articles, default jobs", 5.0, at_most=False
    ),
    "deployments-clean": Target(
        "deployments, clean: check / bare json.loads, CPU", 2.0, at_most=True
    ),
    "deployments-overlapping": Target(
        "deployments, 1% overlapping: check / bare json.loads, CPU", 3.0, at_most=True
    ),
}


def record(
    target: str, subject: str, measured: float | None, baseline: str, note: str = ""
) -> None:
    """Append one result of ``target`` for ``subject`` (``measured`` None: not measured, and
    ``note`` says why) to the file ``BENCH_RESULTS`` names, if it names one."""
    if target not in TARGETS:
        raise ValueError(f"no target {target!r} in bench/results.py")
    if measured is None and not note:
        raise ValueError(f"{target} {subject}: a result not measured says why")
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    line = {
        "target": target,
        "subject": subject,
        "measured": measured,
        "baseline": baseline,
        "note": note,
    }
    with Path(path).open("a", encoding="utf-8") as results:
        results.write(json.dumps(line) + "\n")
