"""Outcomes as text: predicted values, the expressions that compute them, and outcome tables."""

from __future__ import annotations

from typing import Any

from kb_lint.docs.escape import code, table, text
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


def outcome_rows(fields: dict[str, OutcomeField], *columns: Outcome | None) -> list[list[str]]:
    """One row per outcome field that any column gives; missing values read as the default."""
    named = [n for n in fields if any(c is not None and n in c for c in columns)]
    return [
        [field_label(fields[n]), *(show((c or {}).get(n, fields[n].default)) for c in columns)]
        for n in named
    ]


def outcome_table(fields: dict[str, OutcomeField], outcome: Outcome) -> str:
    return table(["Outcome", "Predicted"], outcome_rows(fields, outcome))
