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
member in file order; a limit that gives ``predict`` and no ``when`` fires on each group its
table predicts more than the outcomes' defaults for (its rows say once which groups break it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from kb_lint.engine.draft import Draft
from kb_lint.engine.outcome import says_more
from kb_lint.engine.prediction import predicted_from
from kb_lint.expr import Expr
from kb_lint.load import Pointer
from kb_lint.model.deployment import Deployment
from kb_lint.pack.model import Rule, RulePack, Template, hashable, shown

COLUMNS = ("email", "crm_user")
_UNSEEN = object()  # a value not kept yet
Placer = Callable[[int], tuple[Pointer, str]]  # a subject's pointer and label


@dataclass(frozen=True)
class Subjects:
    """What a rule groups: rows of bindings, or policies, that pass its ``where``; how
    expressions see one, where it is written and its label, how to read one field of one (as a
    dict key), which policy it is or belongs to, and the fields that vary between the subjects
    of one policy (a user's own)."""

    members: list[int] | range
    env_of: Callable[[int], dict[str, Any]]
    place: Placer
    field: Callable[[str], Callable[[int], Any]]
    policy_of: Callable[[int], int]
    own: frozenset[str]
    fields: frozenset[str]  # every field ``env_of`` shows
    shared_env: Callable[[int], dict[str, Any]]  # by policy: ``env_of`` with ``own`` fields None


def _candidates(dep: Deployment, key: tuple[str, ...]) -> list[int] | range:
    """The rows that can share ``key`` with another row: those whose email (or CRM user)
    repeats, when the key has one; else every row."""
    for column in COLUMNS:
        if column in key:
            return getattr(dep.bindings, f"repeated_{column}")
    return range(len(dep.bindings))


def _subjects(rule: Rule, dep: Deployment) -> Subjects:
    """The rule's subjects. A ``where`` on the fields of a policy and its instance is judged
    once per policy, one on binding fields once per policy and values of the user's own fields
    it reads (no binding object is made)."""
    where = rule.where
    policy_env = dep.policies[0].env().keys() if dep.policies else set()
    on_policy = where is None or rule.over == "policies" or where.names <= policy_env
    kept = [p.index for p in dep.policies if not on_policy or where is None or where(p.env())]
    if rule.over == "policies":
        policies = dep.policies
        return Subjects(
            kept,
            lambda i: policies[i].env(),
            lambda i: (policies[i].pointer, policies[i].label),
            lambda name: _policy_field(dep, name, None),
            lambda i: i,
            frozenset(),
            frozenset(policies[0].env()) if policies else frozenset(),
            lambda i: policies[i].env(),
        )
    wanted = frozenset(kept)
    rows = _candidates(dep, rule.key)
    if len(wanted) < len(dep.policies):
        rows = _kept_rows(dep, rows, wanted)
    if not on_policy:
        rows = _passing(where, rows, dep)
    return Subjects(
        rows,
        dep.env_of,
        lambda row: (dep.pointer_of(row), dep.label_of(row)),
        lambda name: _binding_field(dep, name),
        dep.bindings.policy.__getitem__,
        dep.row_fields,
        dep.binding_fields,
        dep.shared_env,
    )


def _kept_rows(dep: Deployment, rows: list[int] | range, wanted: frozenset[int]) -> list[int]:
    """The ``rows`` of the policies ``wanted``; made once per rows and policies."""
    found = dep.groupings.get(("kept", id(rows), wanted))
    if found is None or found[0] is not rows:
        policy = dep.bindings.policy
        found = dep.groupings[("kept", id(rows), wanted)] = (
            rows,
            [row for row in rows if policy[row] in wanted],
        )
    return found[1]


def _grouped(
    dep: Deployment, subjects: list[int] | range, names: tuple[str, ...], keys: list[Callable]
) -> dict[tuple[Any, ...], list[int]]:
    """The ``subjects`` by their values of the fields ``names`` (read by ``keys``), in file
    order: the key's columns read at C speed, one dict insertion per subject. Made once per
    subjects and key: rules that group the same rows by the same key (KB105-001 and -005,
    say) share it."""
    found = dep.groupings.get(("by key", id(subjects), names))
    if found is None or found[0] is not subjects:
        by_key: dict[tuple[Any, ...], list[int]] = {}
        columns = [list(map(get, subjects)) for get in keys]
        subject_keys = zip(*columns, strict=True) if columns else repeat((), len(subjects))
        for key, subject in zip(subject_keys, subjects, strict=True):
            by_key.setdefault(key, []).append(subject)
        found = dep.groupings[("by key", id(subjects), names)] = (subjects, by_key)
    return found[1]


def _differing(
    dep: Deployment,
    by_key: dict[tuple[Any, ...], list[int]],
    name: str,
    distinct: Callable[[int], Any],
) -> list[tuple[tuple[Any, ...], list[int], list[Any]]]:
    """The groups of ``by_key`` whose members hold two values or more of field ``name``, each
    with its members' values: one pass over the groups, made once per grouping and field."""
    found = dep.groupings.get(("differing", id(by_key), name))
    if found is None or found[0] is not by_key:
        groups = []
        for key, members in by_key.items():
            if len(members) > 1:
                values = list(map(distinct, members))
                if len(set(values)) > 1:
                    groups.append((key, members, values))
        found = dep.groupings[("differing", id(by_key), name)] = (by_key, groups)
    return found[1]


def _passing(where: Expr, rows: Iterable[int], dep: Deployment) -> list[int]:
    """The ``rows`` whose binding passes ``where``, judged once per signature: the row's
    policy and the values of the user's own fields that ``where`` reads."""
    own = [_binding_field(dep, name) for name in sorted(where.names & dep.row_fields)]
    rows = list(rows)
    # each row's signature, its columns read at C speed
    columns = [map(dep.bindings.policy.__getitem__, rows), *(map(get, rows) for get in own)]
    signatures = zip(*columns, strict=True)
    verdicts: dict[tuple[Any, ...], bool] = {}
    kept = []
    for row, signature in zip(rows, signatures, strict=True):
        verdict = verdicts.get(signature)
        if verdict is None:
            verdict = verdicts[signature] = bool(where(dep.env_of(row)))
        if verdict:
            kept.append(row)
    return kept


def _plain(value: Any) -> Any:
    """A group's key value as expressions see it: an element of a list of records, hashed as
    a tuple of its items, is a record again."""
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return {k: _plain(v) for k, v in value} if value else value
    return value


def _binding_field(dep: Deployment, name: str) -> Callable[[int], Any]:
    """A row's value of field ``name``, as a dict key, read from its column or its policy."""
    columns = dep.bindings
    if name in COLUMNS:
        return getattr(columns, name).__getitem__
    if name in columns.extra:
        extra = columns.extra[name]
        return lambda row: hashable(extra[row])
    if name == "synced_types":
        claims, policy = dep.claims, columns.policy
        types = [p.synced_types for p in dep.policies]
        return lambda row: claims.get(row, types[policy[row]])
    return _policy_field(dep, name, columns.policy)


def _policy_field(dep: Deployment, name: str, rows: list[int] | None) -> Callable[[int], Any]:
    values = [hashable(p.field(name)) for p in dep.policies]
    return values.__getitem__ if rows is None else lambda row: values[rows[row]]


class _Group:
    """One group: its members, the names its expressions see (the key's values, named by
    ``names``, and ``bindings``, each made when first read) and its members' policies."""

    def __init__(
        self, members: list[int], names: tuple[str, ...], key: tuple[Any, ...], subjects: Subjects
    ) -> None:
        self.members = members
        self.key_names = names
        self.key = key
        self.subjects = subjects
        self._names: dict[str, Any] | None = None
        self._env: dict[str, Any] | None = None
        self._policies: tuple[int, ...] | None = None

    @property
    def names(self) -> dict[str, Any]:
        """The key's values by name, as expressions see them: made when first read, not for a
        group that its ``when`` on its policies alone leaves out."""
        if self._names is None:
            self._names = dict(zip(self.key_names, map(_plain, self.key), strict=True))
        return self._names

    @property
    def env(self) -> dict[str, Any]:
        if self._env is None:
            envs = list(map(self.subjects.env_of, self.members))
            self._env = {**self.names, "bindings": envs}
        return self._env

    @property
    def policies(self) -> tuple[int, ...]:
        """Made when first read (not a ``cached_property``: in Python 3.11 each one's first
        read takes a lock, a microsecond for each of ten thousand groups)."""
        if self._policies is None:
            self._policies = tuple(map(self.subjects.policy_of, self.members))
        return self._policies

    @property
    def shared(self) -> dict[str, Any]:
        """``env`` as an expression that reads no member's own field sees it: each member the
        shared fields of its policy (``Subjects.shared_env``), no dict made per member."""
        return {"bindings": list(map(self.subjects.shared_env, self.policies))}

    def made(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        return self.env["bindings"], self.env


class _Likeness(dict[int, int]):
    """Policies numbered by what an expression reads of them: two policies get one number when
    their shared fields (``Subjects.shared_env``) hold the same values, compared as written
    (``repr``: 1 is not true), at every key the expression reads. An expression that reads no
    other name than ``bindings``, and of them no other keys (``Expr.keys``), gives one value
    for two groups whose members' policies are alike in turn. Numbered on first look."""

    def __init__(self, keys: Iterable[str], shared_env: Callable[[int], dict[str, Any]]) -> None:
        super().__init__()
        self.keys = sorted(keys)
        self.shared_env = shared_env
        self.numbers: dict[tuple[str, ...], int] = {}

    def __missing__(self, policy: int) -> int:
        env = self.shared_env(policy)
        read = tuple(repr(env.get(key)) for key in self.keys)
        number = self[policy] = self.numbers.setdefault(read, len(self.numbers))
        return number


class _PerPolicies:
    """Values of expressions on groups. One that reads no name but the key's is judged on those
    alone (no binding made; a name alone, ``{email}``, is read, not run); one that reads no
    name but ``bindings`` and no field of them but their policies' (``Expr.keys``, which a
    decision table's signature rests on too) is made once per tuple of what the members'
    policies hold in those fields (``_Likeness``), on their policies' shared fields
    (``_Group.shared``): the overlaps of any two policies of two instances share their message's
    words about the instances."""

    def __init__(self, subjects: Subjects, names: tuple[str, ...]) -> None:
        self.own = subjects.own
        self.shared_env = subjects.shared_env
        self.names = frozenset(names)
        self.kept: dict[tuple[int, tuple[int, ...]], Any] = {}
        self.likeness: dict[int, _Likeness] = {}  # by id(expr), of a "policies" expression
        self.kinds: dict[int, str] = {}  # by id(expr): "name", "key", "policies" or "group"
        self.bare: dict[int, str] = {}  # by id(expr): the key's name an expression is alone

    def kind(self, expr: Expr) -> str:
        if id(expr) not in self.kinds:
            if expr.names <= self.names and expr.source.strip() in expr.names:
                kind = "name"
                self.bare[id(expr)] = expr.source.strip()
            elif expr.names <= self.names:
                kind = "key"
            elif expr.names == {"bindings"} and expr.keys is not None and not expr.keys & self.own:
                kind = "policies"
            else:
                kind = "group"
            self.kinds[id(expr)] = kind
        return self.kinds[id(expr)]

    def __call__(self, expr: Expr, group: _Group, finish: Callable[[Any], Any]) -> Any:
        kind = self.kinds.get(id(expr)) or self.kind(expr)
        if kind == "name":
            return finish(group.names[self.bare[id(expr)]])
        if kind == "key":
            return finish(expr(group.names))
        if kind == "group":
            return finish(expr(group.env))
        likeness = self.likeness.get(id(expr))
        if likeness is None:
            likeness = self.likeness[id(expr)] = _Likeness(expr.keys or (), self.shared_env)
        key = (id(expr), tuple(map(likeness.__getitem__, group.policies)))
        found = self.kept.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self.kept[key] = finish(expr(group.shared))
        return found

    def renderer(self, template: Template) -> Callable[[_Group], str]:
        """How ``template`` (a message, a fix) reads for a group: the same text for every group
        when it has no placeholder; else each placeholder's text made as its kind says, the
        kind found once (a name alone read from the key's values)."""
        fixed = template.fixed
        if fixed is not None:
            return lambda group: fixed
        parts = [self._part(part) for part in template.parts]
        return lambda group: "".join([part(group) for part in parts]).strip()

    def _part(self, part: str | Expr) -> Callable[[_Group], str]:
        if type(part) is str:
            return lambda group: part
        if self.kind(part) == "name":
            name = self.bare[id(part)]
            return lambda group: shown(group.names[name])
        return lambda group: self(part, group, shown)


def _signature(rule: Rule, pack: RulePack, subjects: Subjects) -> Callable | None:
    """How to make the signature of a group (``DecisionTable.signature`` of its members'
    bindings: each one's fields the table reads, as dict keys) from the columns and policies
    the fields are read from, no binding made (a policy's fields read once, at its first
    member; a member's own fields at each); None when the rule predicts from no table whose
    signature is known, or that reads a key that is no field of a subject."""
    table = pack.tables[rule.predict] if rule.predict is not None else None
    if table is None or table.reads is None or table.subject != "group":
        return None
    if not set(table.reads) <= subjects.fields:
        return None
    getters = [subjects.field(name) for name in table.reads]
    own = [(i, getters[i]) for i, name in enumerate(table.reads) if name in subjects.own]
    policy_of = subjects.policy_of
    shared: dict[int, list[Any]] = {}  # by policy: the fields its members share, read once

    def member(m: int) -> tuple[Any, ...]:
        values = shared.get(policy_of(m))
        if values is None:
            values = shared[policy_of(m)] = [get(m) for get in getters]
        if not own:
            return tuple(values)
        values = values.copy()
        for i, get in own:
            values[i] = get(m)
        return tuple(values)

    return lambda members: tuple(map(member, members))


def check(rule: Rule, pack: RulePack, dep: Deployment) -> Iterator[Draft]:
    subjects = _subjects(rule, dep)
    everyone, field, place = subjects.members, subjects.field, subjects.place
    distinct = field(rule.distinct) if rule.distinct is not None else None
    by_key = _grouped(dep, everyone, rule.key, [field(name) for name in rule.key])
    if rule.each is not None:  # one group per element of the list field: per data type, say
        by_key = _by_element(by_key, field(rule.each), distinct is not None)
    groups = (
        _differing(dep, by_key, rule.distinct, distinct)
        if rule.distinct is not None and distinct is not None
        else [(key, members, None) for key, members in by_key.items()]
    )
    names = (*rule.key, rule.each) if rule.each else rule.key
    value = _PerPolicies(subjects, names)
    message_of = value.renderer(rule.message)
    fix_of = value.renderer(rule.fix) if rule.fix else None
    signature = _signature(rule, pack, subjects)
    instance, policy = field("instance"), field("policy")
    # a limit counts its members: its subject names each binding's email too
    email = field("email") if distinct is None and rule.over == "bindings" else None
    # a limit with 'predict' alone: where its table predicts more than the defaults
    decided_by_table = distinct is None and rule.when is None
    for key, members, values in groups:
        group = _Group(members, names, key, subjects)
        if rule.when is not None and not value(rule.when, group, bool):
            continue
        outcome, why, because = predicted_from(
            rule, pack, group.made, signature(members) if signature else None
        )
        if decided_by_table and not says_more(outcome or {}, pack.outcomes):
            continue
        placed = _placed(members, values) if values is not None else [(members[-1], [])]
        message = message_of(group)
        fix = fix_of(group) if fix_of is not None else None
        subject = {
            **group.names,
            "bindings": [
                {
                    "instance": instance(m),
                    "policy": policy(m),
                    **({"email": email(m)} if email else {}),
                }
                for m in members
            ],
        }
        for at, related in placed:
            yield Draft(
                rule=rule,
                message=message,
                pointer=place(at)[0],
                related=[place(m) for m in related],
                subject=subject,
                outcome=outcome,
                fix=fix,
                why=why,
                because=because,
            )


def _by_element(
    by_key: dict[tuple[Any, ...], list[int]], elements: Callable[[int], Any], shared: bool
) -> dict[tuple[Any, ...], list[int]]:
    """The groups of ``by_key`` split by each element of their members' list field (``each``),
    each key's groups in the order one pass over its members meets them. With ``shared`` (a
    rule on ``distinct`` judges groups of two or more only), a group of one is not read."""
    found: dict[tuple[Any, ...], list[int]] = {}
    for key, members in by_key.items():
        if shared and len(members) < 2:
            continue
        for subject in members:
            for element in elements(subject) or ():
                found.setdefault((*key, element), []).append(subject)
    return found


def _placed(members: list[Any], values: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Where a group's findings sit: when one value of ``distinct`` is held by more members than
    any other, the members that hold it keep to the rule, and each other value is one finding at
    its first member, its other members and the first keeper beside it; with no such value
    (two instances, one member each), one finding at the first member, the others beside it."""
    if len(set(values)) == len(values):  # one member per value: no value has more
        return [(members[0], members[1:])]
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
