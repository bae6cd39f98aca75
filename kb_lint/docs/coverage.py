"""Whether a decision table decides every case exactly once: its gaps and overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from kb_lint.pack.model import DecisionTable

Case = dict[str, Any]


@dataclass(frozen=True)
class Coverage:
    """``gaps``: input combinations no row matches; ``overlaps``: combinations with the rows that
    all match them (a contradiction when the hit policy is ``unique``)."""

    combinations: int
    gaps: tuple[Case, ...]
    overlaps: tuple[tuple[Case, tuple[int, ...]], ...]

    @property
    def complete(self) -> bool:
        return not self.gaps and not self.overlaps


def coverage(table: DecisionTable) -> Coverage:
    names = [spec.name for spec in table.inputs]
    gaps: list[Case] = []
    overlaps: list[tuple[Case, tuple[int, ...]]] = []
    combinations = list(product(*(spec.values for spec in table.inputs)))
    for values in combinations:
        case = dict(zip(names, values, strict=True))
        hits = tuple(row.number for row in table.rows if row.matches(case))
        if not hits:
            gaps.append(case)
        elif len(hits) > 1 and table.hit_policy == "unique":
            overlaps.append((case, hits))
    return Coverage(len(combinations), tuple(gaps), tuple(overlaps))
