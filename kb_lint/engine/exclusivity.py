"""Exclusivity rules: at most one value of a field (``distinct``) per key.

"At most one Riva instance per email user and CRM user" is ``key: [email, crm_user]``,
``distinct: instance``. Groups are found in two stages so that a million bindings cost about
one hash of a column: first the rows whose email (or CRM user) occurs more than once, then the
full key among those rows only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import complete, evaluate, predict
from kb_lint.model.deployment import Binding, Deployment, Policy
from kb_lint.pack.model import Rule, RulePack

COLUMNS = ("email", "crm_user")


class Groups:
    """Rows of a deployment that share a column value, computed once and shared by all rules."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment

    @cached_property
    def repeated_email(self) -> list[int]:
        return _repeated(self.deployment.bindings.email)

    @cached_property
    def repeated_crm_user(self) -> list[int]:
        return _repeated(self.deployment.bindings.crm_user)

    def candidates(self, key: tuple[str, ...]) -> list[int] | range:
        for column in COLUMNS:
            if column in key:
                return getattr(self, f"repeated_{column}")
        return range(len(self.deployment.bindings))


def _repeated(column: list[str]) -> list[int]:
    """Indexes of the rows whose value occurs more than once."""
    if len(set(column)) == len(column):
        return []
    counts = Counter(column)
    return [row for row, value in enumerate(column) if counts[value] > 1]


def _members(rule: Rule, dep: Deployment, groups: Groups) -> Iterator[Binding | Policy]:
    """The subjects of the rule that pass its ``where``: bindings, or policies themselves."""
    kept = [p for p in dep.policies if rule.where is None or rule.where(p.env())]
    if rule.over == "policies":
        yield from kept
        return
    wanted = {p.index for p in kept}
    for row in groups.candidates(rule.key):
        if dep.bindings.policy[row] in wanted:
            yield dep.binding(row)


def check(rule: Rule, pack: RulePack, dep: Deployment, groups: Groups) -> Iterator[Draft]:
    by_key: dict[tuple[Any, ...], list[Binding | Policy]] = {}
    for member in _members(rule, dep, groups):
        by_key.setdefault(tuple(_hashable(member.field(k)) for k in rule.key), []).append(member)
    for key, members in by_key.items():
        if len({_hashable(m.field(rule.distinct)) for m in members}) < 2:
            continue
        envs = [m.env() for m in members]
        env = dict(zip(rule.key, key, strict=True), bindings=envs)
        if rule.when is not None and not rule.when(env):
            continue
        first, *others = members
        yield Draft(
            rule=rule,
            message=rule.message.render(env),
            pointer=first.pointer,
            related=[(m.pointer, m.label) for m in others],
            subject={
                **{k: v for k, v in env.items() if k != "bindings"},
                "bindings": [{"instance": e["instance"], "policy": e["policy"]} for e in envs],
            },
            outcome=_outcome(rule, pack, envs, env),
            fix=rule.fix.render(env) if rule.fix else None,
        )


def _outcome(
    rule: Rule, pack: RulePack, envs: list[dict[str, Any]], env: dict[str, Any]
) -> dict[str, Any] | None:
    if rule.predict is not None:
        outcome = predict(pack.tables[rule.predict], envs, pack.outcomes)
    elif rule.outcome is not None:
        outcome = evaluate(rule.outcome, env)
    else:
        return None
    names = tuple(n for n in pack.outcomes if pack.outcomes[n].type != "list" or n in outcome)
    return complete(outcome, pack.outcomes, names)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
