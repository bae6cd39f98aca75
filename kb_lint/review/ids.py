"""Ids are unique: packs and rules across packs, steps in a procedure, assumptions in a pack.

The loader already refuses a rule, table or procedure id used twice in one pack. Ids must also
be stable: ``kb-lint rules diff`` reports an id that disappears as a removed rule, so renaming
one shows as a removal and an addition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from kb_lint.findings import Finding, Location
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check

DUPLICATE_ID = Check(
    id="KB-RULES-009",
    name="duplicate-id",
    severity="error",
    what="An id used twice: a pack id or rule id in two packs, a step id in one procedure, or an "
    "assumption id in one pack.",
    why="Findings, waivers, docs pages and `rules diff` all name things by id; two things with "
    "one id make each of them ambiguous.",
    example="steps:\n  - {id: remove-items, action: remove-riva-data, covers: [contacts]}\n"
    "  - {id: remove-items, action: remove-riva-data, covers: [tasks]}\n",
    fix="Give the second one its own id. Keep existing ids unchanged: other files refer to them.",
)


def check_ids(sources: list[PackSource]) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(_twice("pack id", ((s.pack.id, s.at(("pack", "id"))) for s in sources)))
    rules = ((r.id, r.location) for s in sources for r in s.pack.rules)
    findings.extend(_twice("rule id", rules))
    for source in sources:
        assumptions = source.pack.data.get("assumptions", [])
        spots = ((a["id"], source.at(("assumptions", i, "id"))) for i, a in enumerate(assumptions))
        findings.extend(_twice(f"assumption id in pack {source.pack.id}", spots))
        for procedure in source.pack.procedures.values():
            steps = ((step.id, step.location) for step in procedure.steps)
            findings.extend(_twice(f"step id in procedure {procedure.id}", steps))
    return findings


def _twice(what: str, spots: Iterable[tuple[str, Location]]) -> Iterator[Finding]:
    first: dict[str, Location] = {}
    for name, location in spots:
        if name not in first:
            first[name] = location
            continue
        earlier = first[name]
        where = f"line {earlier.line}" if earlier.path == location.path else earlier.path
        yield DUPLICATE_ID.finding(
            location,
            f"{what} '{name}' is used twice (first at {where})",
            (replace(earlier, note=f"first '{name}'"),),
        )
