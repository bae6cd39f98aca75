"""Exclusivity rules: at most one value of a field (``distinct``) per key.

"At most one Riva instance per email user and CRM user" is ``key: [email, crm_user]``,
``distinct: instance``. Groups are found in two stages so that a million bindings cost about
one hash of a column: first the rows whose email (or CRM user) occurs more than once, then the
full key among those rows only. Binding objects are made only for the groups that break the rule.
A group's findings sit at the members that break it: when one value of ``distinct`` is held by
more members than any other, one finding per other value, at its first member (``_placed``).

Without ``distinct`` the rule is a limit: every group of the key, whatever its size, whose
``when`` holds ("more users than licences": ``key: [instance]``, ``when:
len(distinct(bindings.email)) > max(bindings.license_count)``) is one finding, at its last
member in file order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import repeat
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.prediction import predicted
from kb_lint.load import Pointer
from kb_lint.model.deployment import POLICY_FIELDS, Deployment
from kb_lint.pack.model import Rule, RulePack, hashable

COLUMNS = ("email", "crm_user")
Placer = Callable[[int], tuple[Pointer, str]]  # a subject's pointer and label


def _candidates(dep: Deployment, key: tuple[str, ...]) -> list[int] | range:
    """The rows that can share ``key`` with another row: those whose email (or CRM user)
    repeats, when the key has one; else every row."""
    for column in COLUMNS:
        if column in key:
            return getattr(dep.bindings, f"repeated_{column}")
    return range(len(dep.bindings))


def _subjects(
    rule: Rule, dep: Deployment
) -> tuple[list[int] | range, Callable[[int], dict[str, Any]], Placer, Callable[[str], Callable]]:
    """What the rule groups: rows of bindings, or policies, that pass its ``where``; how
    expressions see one, where it is written and its label; and how to read one field of one.
    A ``where`` on the fields of a policy and its instance is judged once per policy, one on
    binding fields once per candidate row (no binding object is made)."""
    where = rule.where
    policy_env = dep.policies[0].env().keys() if dep.policies else set()
    on_policy = where is None or rule.over == "policies" or where.names <= policy_env
    kept = [p.index for p in dep.policies if not on_policy or where is None or where(p.env())]
    if rule.over == "policies":
        policies = dep.policies
        return (
            kept,
            lambda i: policies[i].env(),
            lambda i: (policies[i].pointer, policies[i].label),
            lambda name: _policy_field(dep, name, None),
        )
    wanted = set(kept)
    rows = _candidates(dep, rule.key)
    if len(wanted) < len(dep.policies):
        rows = [row for row in rows if dep.bindings.policy[row] in wanted]
    if not on_policy:
        rows = [row for row in rows if where(dep.env_of(row))]
    return (
        rows,
        dep.env_of,
        lambda row: (dep.pointer_of(row), dep.label_of(row)),
        lambda name: _binding_field(dep, name),
    )


def _plain(value: Any) -> Any:
    """A group's key value as expressions see it: an element of a list of records, hashed as
    a tuple of its items, is a record again."""
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return {k: _plain(v) for k, v in value} if value else value
    return value


def _binding_field(dep: Deployment, name: str) -> Callable[[int], Any]:
    if name in COLUMNS:
        return getattr(dep.bindings, name).__getitem__
    if name not in POLICY_FIELDS:
        return lambda row: hashable(dep.binding(row).field(name))
    return _policy_field(dep, name, dep.bindings.policy)


def _policy_field(dep: Deployment, name: str, rows: list[int] | None) -> Callable[[int], Any]:
    values = [hashable(p.field(name)) for p in dep.policies]
    return values.__getitem__ if rows is None else lambda row: values[rows[row]]


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    subjects, env_of, place, field = _subjects(rule, dep)
    keys = [field(name) for name in rule.key]
    distinct = field(rule.distinct) if rule.distinct is not None else None
    by_key: dict[tuple[Any, ...], list[int]] = {}
    columns = [list(map(get, subjects)) for get in keys]
    subject_keys = zip(*columns, strict=True) if columns else repeat((), len(subjects))
    if rule.each is None:
        for key, subject in zip(subject_keys, subjects, strict=True):
            by_key.setdefault(key, []).append(subject)
    else:  # one group per element of the list field: per data type, say
        elements = field(rule.each)
        for key, subject in zip(subject_keys, subjects, strict=True):
            for element in elements(subject) or ():
                by_key.setdefault((*key, element), []).append(subject)
    names = (*rule.key, rule.each) if rule.each else rule.key
    for key, group in by_key.items():
        if distinct is not None and (len(group) < 2 or len(set(map(distinct, group))) < 2):
            continue
        envs = [env_of(subject) for subject in group]
        env = dict(zip(names, map(_plain, key), strict=True), bindings=envs)
        if rule.when is not None and not rule.when(env):
            continue
        outcome, why, because = predicted(rule, pack, envs, env)
        placed = (
            _placed(group, [distinct(s) for s in group])
            if distinct is not None
            else [(group[-1], [])]
        )
        for at, related in placed:
            yield Draft(
                rule=rule,
                message=rule.message.render(env),
                pointer=place(at)[0],
                related=[place(m) for m in related],
                subject={
                    **{k: v for k, v in env.items() if k != "bindings"},
                    "bindings": [_member(e, counted=distinct is None) for e in envs],
                },
                outcome=outcome,
                fix=rule.fix.render(env) if rule.fix else None,
                why=why,
                because=because,
            )


def _member(env: dict[str, Any], counted: bool) -> dict[str, Any]:
    """A member of a group as the finding's subject names it: its instance and policy; for a
    limit (which counts its members), its email too, when it is a binding."""
    member = {"instance": env["instance"], "policy": env["policy"]}
    if counted and "email" in env:
        member["email"] = env["email"]
    return member


def _placed(members: list[Any], values: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Where a group's findings sit: when one value of ``distinct`` is held by more members than
    any other, the members that hold it keep to the rule, and each other value is one finding at
    its first member, its other members and the first keeper beside it; with no such value
    (two instances, one member each), one finding at the first member, the others beside it."""
    counts = Counter(values)
    ranked = counts.most_common(2)
    if len(ranked) < 2 or ranked[0][1] == ranked[1][1]:
        return [(members[0], members[1:])]
    kept = ranked[0][0]
    keeper = next(m for m, v in zip(members, values, strict=True) if v == kept)
    placed = []
    for value in dict.fromkeys(v for v in values if v != kept):
        own = [m for m, v in zip(members, values, strict=True) if v == value]
        placed.append((own[0], [*own[1:], keeper]))
    return placed
