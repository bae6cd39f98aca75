"""Every expression the docs site shows has its words beside it (KB-RULES-013).

The site never shows expression code as the explanation: a decision table's inputs and its
computed cells, a procedure's ``applies`` and each step's computed residue, and a rule's
computed outcome are shown by the ``says:`` prose written beside them in the pack (the
expression itself is folded away for pack authors). ``shown_expressions`` lists them, for
this check and for the site, which fails a strict build on a missing one. Linear in the pack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kb_lint.findings import Finding, Location
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import RulePack, Value
from kb_lint.review.check import Check

MISSING_PROSE = Check(
    id="KB-RULES-013",
    name="missing-prose",
    severity="error",
    what="An expression the docs site shows (a decision-table input or computed cell, a "
    "procedure's `applies`, a step's computed residue, a rule's computed outcome) without the "
    "`says:` prose that explains it to readers.",
    why="Support writers read the site, not the expression language: "
    "`len(distinct(bindings.category))` tells them nothing that 'one copy per distinct "
    "category' does not, and a page that shows code as its explanation cannot be used.",
    example="rows:\n  - when: {categories: some shared}\n"
    "    then: {mailbox_copies: len(distinct(bindings.category))}\n"
    "    # no says: {mailbox_copies: ...}\n",
    fix="Write the expression in words beside it: `says:` on an input or a procedure, or "
    "`says: {outcome: words}` beside `then`, `residue` or a rule's `outcome`.",
)


@dataclass(frozen=True)
class ShownExpression:
    """An expression as the site shows it: where it is, what it is, its code and its words."""

    location: Location
    what: str
    source: str
    says: str


def shown_expressions(pack: RulePack) -> Iterator[ShownExpression]:
    """Every expression of ``pack`` that the site shows, with its prose ("" when missing)."""
    for table in pack.tables.values():
        for spec in table.inputs:
            if spec.expr is None:  # another table's outcome: no expression to say in words
                continue
            what = f"input '{spec.name}' of table {table.id}"
            yield ShownExpression(spec.location, what, spec.expr.source, spec.says)
        for row in table.rows:
            where = f"row {row.number} of table {table.id}"
            yield from _values(row.location, where, row.then, row.says)
    for procedure in pack.procedures.values():
        if procedure.applies is not None:
            what = f"'applies' of procedure {procedure.id}"
            yield ShownExpression(
                procedure.location, what, procedure.applies.source, procedure.says
            )
        for step in procedure.steps:
            where = f"the residue of step '{step.id}' of {procedure.id}"
            yield from _values(step.location, where, step.residue, step.says)
    for rule in pack.rules:
        yield from _values(
            rule.location, f"the outcome of {rule.id}", rule.outcome or {}, rule.says
        )


def _values(
    location: Location, where: str, values: dict[str, Value], says: dict[str, str]
) -> Iterator[ShownExpression]:
    for name, value in values.items():
        if value.expr is not None:
            yield ShownExpression(
                location, f"'{name}' in {where}", value.expr.source, says.get(name, "")
            )


def check_prose(source: PackSource) -> list[Finding]:
    return [
        MISSING_PROSE.finding(shown.location, f"{shown.what} is shown without words: add says")
        for shown in shown_expressions(source.pack)
        if not shown.says.strip()
    ]
