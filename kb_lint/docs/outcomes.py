"""Outcomes as text: predicted values, the expressions that compute them, and outcome tables."""

from __future__ import annotations

import html
from typing import Any

from kb_lint.docs.escape import code, text
from kb_lint.pack.model import OutcomeField, Value, list_text, sorted_list

Outcome = dict[str, Any]

UNMEASURED = "—"  # the Agree cell of an outcome the pack's model does not measure


def show(value: Any) -> str:
    """An outcome value as escaped text: yes / no, a number, or a list."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return text(list_text(value)) if value else "none"
    return "—" if value is None else text(value)


def show_value(value: Value, says: str | None) -> str:
    """A rule-file outcome value: the literal, or the words that say what the expression
    computes (``says``); an expression without words is shown as code, marked as such
    (``rules check`` reports it, and a strict build fails on it)."""
    if value.expr is None:
        return show(value.literal)
    return text(says) if says else f"{code(value.expr.source)} (not described in words)"


def outcome_heading(spec: OutcomeField) -> str:
    """An outcome as a table header: its short name, its description as the tooltip."""
    tip = html.escape(spec.describe or spec.name)
    return f'<span title="{tip}">{text(spec.heading)}</span>'


def field_label(spec: OutcomeField) -> str:
    """An outcome in a table cell: its short name and what it means."""
    described = spec.describe and spec.describe != spec.heading
    return f"{text(spec.heading)}: {text(spec.describe)}" if described else text(spec.heading)


def outcome_rows(
    fields: dict[str, OutcomeField], predicted: Outcome, simulated: Outcome | None = None
) -> list[list[str]]:
    """One row per outcome field that either side sets to other than its default (missing
    values read as the default): the field, the predicted value and, with a simulation, the
    simulated value and whether they agree."""
    rows = []
    for name, spec in fields.items():
        default = spec.default
        values = [predicted.get(name, default)]
        if simulated is not None:
            values.append(simulated.get(name, default))
        if all(_same(value, default) for value in values):
            continue
        want = predicted.get(name, default)
        row = [field_label(fields[name]), show(want)]
        if simulated is not None and name not in simulated:
            row += ["not measured", UNMEASURED]  # the pack's model does not measure it
        elif simulated is not None:
            got = simulated[name]
            row += [show(got), "yes" if _same(want, got) else "**no**"]
        rows.append(row)
    return rows


def _same(a: Any, b: Any) -> bool:
    return sorted_list(a) == sorted_list(b)
