"""Outcomes as text: predicted values, the expressions that compute them, and outcome tables."""

from __future__ import annotations

from typing import Any

from kb_lint.docs.escape import code, text
from kb_lint.pack.model import OutcomeField, Value

Outcome = dict[str, Any]


def show(value: Any) -> str:
    """An outcome value as escaped text: yes / no, a number, or a list."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return text(", ".join(map(str, value))) if value else "none"
    return "—" if value is None else text(value)


def show_value(value: Value) -> str:
    """A rule-file outcome value: the literal, or the expression that computes it."""
    return code(value.expr.source) if value.expr is not None else show(value.literal)


def field_label(spec: OutcomeField) -> str:
    return f"{code(spec.name)}: {text(spec.describe)}" if spec.describe else code(spec.name)


def outcome_rows(
    fields: dict[str, OutcomeField], predicted: Outcome, simulated: Outcome | None = None
) -> list[list[str]]:
    """One row per outcome field either side gives (missing values read as the default): the
    field, the predicted value and, with a simulation, the simulated value and whether they agree.
    """
    named = [n for n in fields if n in predicted or (simulated is not None and n in simulated)]
    rows = []
    for name in named:
        default = fields[name].default
        want = predicted.get(name, default)
        row = [field_label(fields[name]), show(want)]
        if simulated is not None and name not in simulated:
            row += ["not measured", "—"]  # the pack's model does not measure this outcome
        elif simulated is not None:
            got = simulated[name]
            row += [show(got), "yes" if _same(want, got) else "**no**"]
        rows.append(row)
    return rows


def _same(a: Any, b: Any) -> bool:
    return sorted(a) == sorted(b) if isinstance(a, list) and isinstance(b, list) else a == b
