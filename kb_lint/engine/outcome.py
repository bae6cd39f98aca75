"""Predicted outcomes: decision-table evaluation and merging by each field's declared rule."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from kb_lint.errors import InputError
from kb_lint.pack.model import DecisionTable, Input, OutcomeField, Row, Value, sorted_list

Outcome = dict[str, Any]
_UNSEEN = object()  # a value not kept yet

MERGES = {
    "any": lambda values: any(values),
    "all": lambda values: all(values),
    "max": max,
    "min": min,
    "sum": sum,
    "union": lambda values: sorted({v for value in values for v in value}),
    "first": lambda values: values[0],
}


def merge(outcomes: list[Outcome], fields: dict[str, OutcomeField]) -> Outcome:
    """Combine predictions: each field merged by its rule (an enum's ``max`` is its worst value,
    in the order of its values); fields nobody predicted are left out."""
    merged: Outcome = {}
    for name, spec in fields.items():
        values = [o[name] for o in outcomes if o.get(name) is not None]
        if not values:
            continue
        if spec.type == "enum" and spec.merge in ("max", "min"):
            pick = max if spec.merge == "max" else min
            merged[name] = pick(values, key=spec.values.index)
        else:
            merged[name] = MERGES[spec.merge](values)
    return merged


def complete(outcome: Outcome, fields: dict[str, OutcomeField]) -> Outcome:
    """``outcome`` with the default of every field it does not give, list, enum and text fields
    excepted (their default, "nothing" or "none", says nothing a finding should repeat), as is
    a field with no default; a list in order (``sorted_list``), as it is compared and shown."""
    return {
        name: sorted_list(outcome.get(name, spec.default)) if spec.type == "list" else value
        for name, spec in fields.items()
        if name in outcome or (spec.type in ("boolean", "integer") and spec.default is not None)
        for value in (outcome.get(name, spec.default),)
    }


def defaulted(outcome: Outcome, fields: dict[str, OutcomeField]) -> Outcome:
    """Every outcome field, at its default where ``outcome`` does not give it: what a row or a
    finding says about each field (a claim, an example's expected outcome, and the docs read
    it so)."""
    return {name: outcome.get(name, spec.default) for name, spec in fields.items()}


def says_more(outcome: Outcome, fields: dict[str, OutcomeField]) -> bool:
    """``outcome`` says more than the defaults: some field differs from its default (a list as
    a set of values)."""
    return any(
        sorted_list(outcome.get(name, spec.default)) != sorted_list(spec.default)
        for name, spec in fields.items()
    )


def evaluate(values: dict[str, Value], env: dict[str, Any]) -> Outcome:
    return {name: value(env) for name, value in values.items()}


def predict(table: DecisionTable, bindings: Any, fields: dict[str, OutcomeField]) -> Outcome:
    """The table's outcome for an overlap (or one subject, for a table whose subject is not a
    group), per partition value when the table has one. Subjects that agree on every field the
    table reads share one prediction."""
    signature = table.signature(bindings)
    if signature is None:
        return predict_parts(table, bindings, fields)
    if signature not in table.predicted:
        table.predicted[signature] = predict_parts(table, bindings, fields)
    return dict(table.predicted[signature])


def predict_parts(
    table: DecisionTable,
    bindings: Any,
    fields: dict[str, OutcomeField],
    parts: list[tuple[Any, Any, Any]] | None = None,
) -> Outcome:
    """``predict`` with nothing kept; ``parts``: ``signed(table, bindings)``, when the caller
    has it."""
    if table.partition is None:
        return decide(table, bindings)
    if parts is None:
        parts = signed(table, bindings)
    return merge([decide(table, part, sign) for part, _, sign in parts], fields)


def partitions(table: DecisionTable, bindings: Any) -> list[tuple[Any, Any]]:
    """The overlaps the table judges: per value of its partition field that two or more
    bindings share, those bindings and the value; without a partition, all of them."""
    if table.partition is None:
        return [(bindings, None)]
    values: list[Any] = []
    for env in bindings:
        values.extend(v for v in env[table.partition] if v not in values)
    parts = [([e for e in bindings if v in e[table.partition]], v) for v in values]
    return [(part, v) for part, v in parts if len(part) > 1]


def signed(
    table: DecisionTable, bindings: Any, signature: Any = None
) -> list[tuple[Any, Any, Any]]:
    """``partitions``, each with its signature, every binding's part of it computed once (the
    group's ``signature``, when the caller has it, holds them)."""
    found = partitions(table, bindings)
    if table.reads is None or table.partition is None:  # a partition splits groups only
        return [(part, value, table.signature(part)) for part, value in found]
    if signature is None:
        signature = map(table.row_signature, bindings)
    rows = dict(zip(map(id, bindings), signature, strict=True))
    return [(part, value, tuple(rows[id(env)] for env in part)) for part, value in found]


def decide(table: DecisionTable, bindings: Any, signature: Any = None) -> Outcome:
    """The outcome of the one row (or, hit policy first, the first row) that matches; kept per
    signature, as the row is."""
    if signature is None:
        signature = table.signature(bindings)
    if signature is not None and signature in table.outcomes:
        return dict(table.outcomes[signature])
    row, _ = decided(table, bindings, signature)
    outcome = evaluate(row.then, table.scope(bindings))
    if signature is not None:
        table.outcomes[signature] = dict(outcome)
    return outcome


def decided(
    table: DecisionTable, bindings: Any, signature: Any = None
) -> tuple[Row, dict[str, Any]]:
    """The row that matches ``bindings`` (a group's, or one subject's fields), and the inputs'
    values it matched on; kept per signature of what the table reads (``signature``, when the
    caller has it), so that the prediction and its explanation (and overlaps of the same
    policies) evaluate the inputs once."""
    if signature is None:
        signature = table.signature(bindings)
    if signature is not None and signature in table.decided:
        return table.decided[signature]
    env = table.scope(bindings)
    facts = {}
    for spec in table.inputs:
        fact = _input_fact(table, spec, env, signature)
        if fact not in spec.values:
            message = (
                f"input '{spec.name}' of table '{table.id}' gave {fact!r}, not one of its values"
            )
            raise InputError.at(spec.location, message)
        facts[spec.name] = fact
    hits = _matching(table, facts)
    if not hits or (table.hit_policy == "unique" and len(hits) > 1):
        shown = ", ".join(f"{k}={v}" for k, v in facts.items())
        problem = "no row matches" if not hits else f"rows {[r.number for r in hits]} all match"
        raise InputError.at(table.location, f"table '{table.id}': {problem} {shown}")
    if signature is not None:
        table.decided[signature] = (hits[0], facts)
    return hits[0], facts


def _input_fact(table: DecisionTable, spec: Input, env: dict[str, Any], signature: Any) -> Any:
    """``input_value`` for a group whose ``signature`` is known, kept per input and per the part
    of the signature it reads (each binding's values of the keys its expression reads, in
    order): an input that reads fewer fields than its table (an instance's folder name, a
    switch) is evaluated once for the groups that agree on those."""
    read = _read_by(table, spec) if signature is not None else None
    if read is None:
        return input_value(spec, env)
    key = ("fact", spec.name, tuple(map(read, signature)))
    fact = table.facts.get(key, _UNSEEN)
    if fact is _UNSEEN:
        fact = table.facts[key] = input_value(spec, env)
    return fact


def _read_by(table: DecisionTable, spec: Input) -> Callable[[tuple[Any, ...]], Any] | None:
    """What an input reads of one binding's signature (``DecisionTable.row_signature``), found
    once per input; None unless the table's subject is a group and the input an expression
    that reads no name but ``bindings`` and of them only keys the table's signature holds."""
    found = table.facts.get(("read", spec.name), _UNSEEN)
    if found is _UNSEEN:
        reads, expr = table.reads, spec.expr
        found = None
        if table.subject == "group" and reads is not None and expr is not None:
            keys = expr.keys
            if expr.names <= {"bindings"} and keys is not None and keys <= set(reads):
                at = [reads.index(key) for key in sorted(keys)]
                found = itemgetter(*at) if at else _nothing_read
        table.facts[("read", spec.name)] = found
    return found


def _nothing_read(row: tuple[Any, ...]) -> tuple[()]:
    """What an input that reads no key of a binding (``len(bindings)``) reads of one."""
    return ()


def input_value(spec: Input, env: dict[str, Any]) -> Any:
    """An input's value for one subject (its fields, ``env``): its expression's, or the outcome
    the table it reads decides for the subject (the outcome's default where the row gives
    none)."""
    if spec.table is None:
        assert spec.expr is not None
        return spec.expr(env)
    return decide(spec.table, env).get(spec.outcome, spec.default)


def _matching(table: DecisionTable, facts: dict[str, Any]) -> list[Row]:
    """The rows of ``table`` that ``facts`` (each input's value) match, in order; found once
    per table and values (``DecisionTable.matched``), so that the overlaps of many pairs of
    policies with the same input values do not test every row again."""
    key = tuple(facts.values())
    try:
        rows = table.matched.get(key)
    except TypeError:  # a value that is no dict key: tested each time
        return [row for row in table.rows if row.matches(facts)]
    if rows is None:
        rows = table.matched[key] = [row for row in table.rows if row.matches(facts)]
    return rows
