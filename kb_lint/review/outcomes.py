"""An outcome field that nothing predicts (KB-RULES-021).

The rule: every outcome a pack declares is predicted somewhere: by a rule's ``outcome:``, by a
cell of one of its decision tables, or by a procedure step's ``residue``. One pass over the
rules, the tables' rows and the procedures' steps.
"""

from __future__ import annotations

from kb_lint.findings import Finding
from kb_lint.pack.document import PackSource
from kb_lint.review.check import Check

UNUSED_OUTCOME = Check(
    id="KB-RULES-021",
    name="outcome-unused",
    severity="warning",
    what="An outcome field that no rule's `outcome:`, no decision-table cell and no procedure "
    "step's `residue` predicts.",
    why="It is shown on the pack's outcomes page and in the deployment's vocabulary, yet no "
    "finding ever says anything about it: most likely a rule meant to predict it does not "
    "(an `outcome:` left out, or a table column never written), or it is left over from an "
    "earlier draft.",
    example="outcomes:\n  locked_mode: {type: enum, values: [chosen, unchosen], merge: max}\n"
    "rules:\n  - id: KB950-001\n    outcome: {change_refused: true}   # locked_mode: never\n",
    fix="Predict it where the article says what happens (a rule's `outcome:`, a table's `then:`), "
    "or delete the outcome.",
)


def check_outcomes(source: PackSource) -> list[Finding]:
    pack = source.pack
    predicted = {name for rule in pack.rules for name in rule.outcome or ()}
    predicted |= {name for table in pack.tables.values() for row in table.rows for name in row.then}
    predicted |= {
        name
        for procedure in pack.procedures.values()
        for step in procedure.steps
        for name in step.residue
    }
    return [
        UNUSED_OUTCOME.finding(
            source.at(("outcomes", name)),
            f"outcome '{name}' is predicted by no rule, decision-table row or procedure step",
        )
        for name in pack.outcomes
        if name not in predicted
    ]
