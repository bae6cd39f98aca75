"""Single-subject rules (``kind: check``): one instance, policy, binding or event at a time.

"A trial plan with a history filter over 15 days" is ``over: policies``,
``when: plan == "trial" and history_days > 15``. Each subject that passes ``where`` and meets
``when`` is one finding at the subject (with ``each:``, one per element of a list field that
does, at the element, read under the field's name), with the outcome of the rule's
``outcome`` or of the decision table about that subject it ``predict``s from; a rule that
``predict``s and gives no ``when`` fires where the table predicts more than the defaults
(``Predicts``), so that its rows say once which cases are violations. Bindings are
judged one row at a time, and a row's ``Binding`` is made only when the rule reads a field its
policy does not have: a rule over policy settings costs one evaluation per policy, however many
users it assigns.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import ne
from typing import Any

from kb_lint.engine.draft import Draft, Misjudged
from kb_lint.engine.outcome import says_more
from kb_lint.engine.prediction import predicted
from kb_lint.engine.state import PlanState
from kb_lint.errors import InputError
from kb_lint.expr import Expr
from kb_lint.load import Pointer
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack
from kb_lint.pack.scopes import SEEN, STATE


def check(
    rule: Rule, pack: RulePack, dep: Deployment, policies: Container[int] | None = None
) -> Iterator[Draft]:
    """The drafts of ``rule`` (over the ``policies`` of these indexes and their users only, when
    given); an expression that fails on a subject raises ``Misjudged``."""
    when = rule.when or Predicts(rule, pack)
    for env, pointer, label in _subjects(rule, pack, when, dep, policies):
        try:
            drafts = [
                _draft(rule, when, pack, one, at, label)
                for at, one in _each(rule, env, pointer)
                if _fires(rule, when, one)
            ]
        except InputError as exc:
            raise Misjudged(exc, pointer, label, rule.id) from None
        yield from drafts


class Predicts:
    """The condition of a check rule that gives ``predict`` and no ``when``: its table predicts
    more than the outcomes' defaults for the subject (one fact, the table's rows, not repeated
    in a ``when``). It reads what the table's inputs and cells read; the prediction it makes
    is the one the finding shows (kept per signature of the table's reads)."""

    def __init__(self, rule: Rule, pack: RulePack) -> None:
        self.rule, self.pack = rule, pack
        table = pack.tables[rule.predict or ""]
        self.names = frozenset(n for e in table.expressions() for n in e.names)

    def __call__(self, env: dict[str, Any]) -> bool:
        outcome = predicted(self.rule, self.pack, env, env)[0] or {}
        return says_more(outcome, self.pack.outcomes)


When = Expr | Predicts


def _fires_on(rule: Rule, when: When, env: dict[str, Any], pointer: Pointer, label: str) -> bool:
    """Some element of the subject with ``env`` fires (``Misjudged`` when the rule fails)."""
    try:
        return any(_fires(rule, when, one) for _, one in _each(rule, env, pointer))
    except InputError as exc:
        raise Misjudged(exc, pointer, label, rule.id) from None


def _each(
    rule: Rule, env: dict[str, Any], pointer: Pointer
) -> list[tuple[Pointer, dict[str, Any]]]:
    """The subject once per element of its ``each`` list (each element under the list's
    name, placed at the element: a list the subject's own entry does not write, such as its
    instance's, is placed at the subject), or the subject as it is."""
    if rule.each is None:
        return [(pointer, env)]
    return [
        ((*pointer, rule.each, j), {**env, rule.each: element})
        for j, element in enumerate(env.get(rule.each) or ())
    ]


def _subjects(
    rule: Rule, pack: RulePack, when: When, dep: Deployment, only: Container[int] | None
) -> Iterator[tuple[dict[str, Any], Pointer, str]]:
    if rule.over == "instances":
        for instance in dep.instances:
            yield instance.env(), instance.pointer, instance.name
    elif rule.over == "policies":
        for policy in dep.policies:
            if only is None or policy.index in only:
                yield policy.env(), policy.pointer, policy.label
    elif rule.over == "events":
        yield from _events(rule, pack, when, dep)
    else:
        yield from _bindings(rule, when, dep, only)


def _events(
    rule: Rule, pack: RulePack, when: When, dep: Deployment
) -> Iterator[tuple[dict[str, Any], Pointer, str]]:
    """Each timeline event, as a sequence step sees it when the rule reads the estate just
    before it (``before``, ``bindings``, ``synced``, ``policies``) or the events before it
    (``earlier``): one replay, ``PlanState``; else its fields alone, with no replay."""
    read = _names(rule, pack, when)
    replayed = read & SEEN.keys()
    state = PlanState(dep, bool(read & WIDE), "earlier" in read) if replayed else None
    for event in dep.timeline:
        env = event.env() if state is None else state.seen(event, bool(read & WIDE))
        yield env, event.pointer, f"timeline entry {event.index + 1}"
        if state is not None:
            state.apply(event)


WIDE = STATE.keys() - {"before"}  # its instance's estate, beyond the event's own policy


def _names(rule: Rule, pack: RulePack, when: When) -> set[str]:
    """Every name the rule's expressions read: its conditions, message, fix, outcome, and the
    table it predicts from."""
    exprs: list[Any] = [*rule.expressions(), when]
    if rule.predict is not None:
        exprs.extend(pack.tables[rule.predict].expressions())
    return {name for e in exprs for name in e.names}


def _bindings(
    rule: Rule, when: When, dep: Deployment, only: Container[int] | None
) -> Iterator[tuple[dict[str, Any], Pointer, str]]:
    """Every binding whose policy passes the policy part of the rule; bindings are made only for
    the policies a rule on policy fields alone does not settle, and, within such a policy, only
    for the rows whose signature (the values of the row's own fields the rule reads) fires."""
    read = set(rule.where.names if rule.where else ()) | set(when.names)
    if rule.each is not None:
        read.add(rule.each)
    for policy in dep.policies:
        if only is not None and policy.index not in only:
            continue
        env = policy.env()
        if read <= env.keys() and not _fires_on(rule, when, env, policy.pointer, policy.label):
            continue
        rows = dep.bindings.ranges[policy.index]
        columns = _row_columns(dep, policy.index, read - env.keys())
        for row in _candidates(rule, when, dep, rows, columns):
            yield dep.env_of(row), dep.pointer_of(row), dep.label_of(row)


def _candidates(
    rule: Rule, when: When, dep: Deployment, rows: range, columns: list[Column]
) -> Iterable[int]:
    """The rows that may fire: the rule is decided once per distinct signature (the values of
    the columns the rule reads that vary), on the binding of the first row that has it. The
    rows that hold each column's common value (the first row's of a list; a sparse column's
    default) share one signature, judged once; only the other rows are hashed (every row is
    kept when a column that varies holds an unhashable value). A row kept is judged again by
    ``check``, so only a row left out changes a verdict. Cost: one comparison per row and
    column at C speed, and a hash per row that differs from the common values."""
    if not rows:
        return ()
    odd: set[int] = set()  # offsets (in ``rows``) of the rows off the common values
    varying = []  # the columns that hold other values (the others hold one for every row)
    for column in columns:
        if isinstance(column, Sparse):
            if column.rows:
                odd.update(column.rows)
                varying.append(column)
        elif column.count(column[0]) < len(column):  # a count at C speed, no hashing: most
            # columns hold one object, a default, row after row
            odd.update(compress(range(len(rows)), map(ne, column, repeat(column[0]))))
            varying.append(column)
    if not odd:
        return rows if _row_fires(rule, when, dep, rows[0]) else ()
    plain = []  # the first and last rows of the common values, found past the odd rows
    if len(odd) < len(rows):
        plain.append(next(i for i in range(len(rows)) if i not in odd))
        plain.append(next(i for i in reversed(range(len(rows))) if i not in odd))
    offsets = sorted({*odd, *plain})
    try:
        signatures = list(zip(*(_values(column, offsets) for column in varying), strict=True))
        # each signature's first row, in the order of their last rows (as over every row)
        first = dict(zip(reversed(signatures), reversed(offsets), strict=True))
    except TypeError:  # a record or a list: no signature
        return rows
    fires = {s for s, i in first.items() if _row_fires(rule, when, dep, rows[i])}
    if not fires:
        return ()
    by_offset = dict(zip(offsets, signatures, strict=True))
    if plain and by_offset[plain[0]] in fires:
        kept = [True] * len(rows)
        for i in odd:
            kept[i] = by_offset[i] in fires
        return list(compress(rows, kept))
    return [rows[i] for i in sorted(odd) if by_offset[i] in fires]


@dataclass(frozen=True)
class Sparse:
    """A column that holds ``default`` in every row of a policy but ``rows`` (by offset)."""

    default: Any
    rows: dict[int, Any]


Column = list[Any] | Sparse


def _values(column: Column, offsets: list[int]) -> Iterator[Any]:
    """The values of ``column`` at ``offsets``, read at C speed."""
    if isinstance(column, Sparse):
        return map(column.rows.get, offsets, repeat(column.default))
    return map(column.__getitem__, offsets)


def _row_fires(rule: Rule, when: When, dep: Deployment, row: int) -> bool:
    return _fires_on(rule, when, dep.env_of(row), dep.pointer_of(row), dep.label_of(row))


def _row_columns(dep: Deployment, policy: int, names: set[str]) -> list[Column]:
    """The values of each of ``names`` (fields of a binding that its policy does not have) in
    the rows of ``policy``, read without making a binding; the synced types as a sparse column
    (they differ from the policy's only at the rows of a repeated user, ``Deployment.claims``)."""
    rows = dep.bindings.ranges[policy]
    columns: list[Column] = []
    for name in sorted(names):
        if name in dep.bindings.extra:
            columns.append(dep.bindings.extra[name][rows.start : rows.stop])
        elif name in ("email", "crm_user"):
            columns.append(getattr(dep.bindings, name)[rows.start : rows.stop])
        else:  # synced_types, the one binding field that is neither a column nor its policy's
            claimed = dep.claims_by_policy.get(policy, {})
            start = rows.start
            offsets = {row - start: types for row, types in claimed.items()}
            columns.append(Sparse(dep.binding_types(policy), offsets))
    return columns


def _fires(rule: Rule, when: When, env: dict[str, Any]) -> bool:
    """The subject with ``env`` passes the rule's ``where`` and meets its ``when``."""
    if rule.where is not None and not rule.where(env):
        return False
    return bool(when(env))


IDENTITY = ("instance", "policy", "email", "crm_user", "action")  # which subject it is
EVENT_IDENTITY = ("action", "instance", "policy", "email", "crm_user", "at", "cycle")


def _plain(value: Any) -> Any:
    """A value as JSON holds it: a version or a date as its text, records and lists element
    by element."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return list(map(_plain, value))
    return str(value)


def _subject(rule: Rule, when: When, env: dict[str, Any], pointer: Pointer) -> dict[str, Any]:
    """Which subject a finding is about, in JSON values: its identity, then the fields the
    rule's ``where`` and ``when`` read. An event's identity is its action, what it names, its
    date or cycle and its number (``events``, as a sequence's); the fields read are its own
    (the pack's event fields), never the estate replayed before it (``before``, ``earlier``
    ...), which is no part of the event."""
    read = sorted({n for e in (rule.where, when) if e is not None for n in e.names})
    if rule.over != "events":
        return {k: _plain(env[k]) for k in (*IDENTITY, *read) if env.get(k) is not None}
    own = [k for k in read if k not in SEEN and k not in EVENT_IDENTITY and k != "when"]
    found = {k: _plain(env[k]) for k in (*EVENT_IDENTITY, *own) if env.get(k) is not None}
    return found | {"events": [pointer[1] + 1]}  # an event's pointer: ("timeline", index, ...)


def _draft(
    rule: Rule, when: When, pack: RulePack, env: dict[str, Any], pointer: Pointer, label: str
) -> Draft:
    outcome, why, because = predicted(rule, pack, env, env)
    return Draft(
        rule=rule,
        message=rule.message.render(env),
        pointer=pointer,
        subject={"label": label, **_subject(rule, when, env, pointer)},
        outcome=outcome,
        fix=rule.fix.render(env) if rule.fix else None,
        why=why,
        because=because,
    )
