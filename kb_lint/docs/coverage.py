"""Whether a decision table decides every case exactly once: its gaps and overlaps."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from math import prod
from typing import Any

from kb_lint.pack.model import DecisionTable
from kb_lint.review.tables import MAX_CUBES

Case = dict[str, Any]


@dataclass(frozen=True)
class Coverage:
    """``gaps``: input combinations no row matches; ``overlaps``: combinations with the rows that
    all match them (a contradiction when the hit policy is ``unique``)."""

    combinations: int
    gaps: tuple[Case, ...]
    overlaps: tuple[tuple[Case, tuple[int, ...]], ...]
    listed: bool = True  # False: too many combinations to go through (rules check refuses it)

    @property
    def complete(self) -> bool:
        return self.listed and not self.gaps and not self.overlaps


def coverage(table: DecisionTable) -> Coverage:
    """Every combination of the inputs' values, each matched against the rows; not listed past
    ``MAX_CUBES`` combinations, the size ``rules check`` goes through (KB-RULES-017)."""
    count = prod(len(spec.values) for spec in table.inputs)
    if count > MAX_CUBES:
        return Coverage(count, (), (), listed=False)
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
