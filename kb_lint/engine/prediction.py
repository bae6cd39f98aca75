"""A finding's predicted outcome and why, for any rule that predicts: from the decision table it
names (``predict:``), or from its fixed ``outcome:``.

The table's explanation is made once per rule and per signature of what the table reads, as the
prediction is: subjects (or overlaps) that agree on those fields share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kb_lint.engine.outcome import complete, evaluate, predict_parts, signed
from kb_lint.engine.why import explain_rule, explain_table
from kb_lint.pack.model import DecisionTable, Rule, RulePack

Predicted = tuple[dict[str, Any] | None, str | None, tuple[str, ...]]


def predicted(rule: Rule, pack: RulePack, subject: Any, env: dict[str, Any]) -> Predicted:
    """The outcome ``rule`` predicts (every field its pack declares, completed), and why, for
    ``subject`` (a group's list of bindings, or one subject's fields) whose names are ``env``."""
    return predicted_from(rule, pack, lambda: (subject, env))


def predicted_from(
    rule: Rule,
    pack: RulePack,
    made: Callable[[], tuple[Any, dict[str, Any]]],
    signature: Any = None,
) -> Predicted:
    """``predicted``, the subject and its names made by ``made`` only when they are read: not
    when the caller gives the table's ``signature`` of the subject and the prediction for it is
    kept already."""
    if rule.predict is not None:
        table = pack.tables[rule.predict]
        outcome, why, because = _from_table(pack, table, made, rule.id, signature)
        return outcome, why or None, because
    if rule.outcome is not None:
        outcome = evaluate(rule.outcome, made()[1])
        why, because = explain_rule(pack, rule)
        return complete(outcome, pack.outcomes), why or None, because
    return None, None, ()


def _from_table(
    pack: RulePack,
    table: DecisionTable,
    made: Callable[[], tuple[Any, dict[str, Any]]],
    rule: str,
    signature: Any,
) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """The table's outcome, completed, and its explanation, made once per rule and signature
    (the signature and the partitions computed once)."""
    if signature is None:
        signature = table.signature(made()[0])
    key = (rule, signature)
    found = table.explained.get(key) if signature is not None else None
    if found is None:
        subject = made()[0]
        rows = signature if table.subject == "group" else None  # each binding's signature
        parts = signed(table, subject, rows) if table.partition is not None else None
        outcome = complete(predict_parts(table, subject, pack.outcomes, parts), pack.outcomes)
        found = (outcome, *explain_table(pack, table, subject, rule, parts))
        if signature is None:
            return found
        table.explained[key] = found
    outcome, why, because = found
    return dict(outcome), why, because
