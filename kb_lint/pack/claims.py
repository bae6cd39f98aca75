"""Claims: the article's own statements, as properties the tables and the simulator must satisfy.

A claim cites its sentence (fingerprinted, so it goes stale with the article), names a scenario
class — values of one decision table's inputs (``given``) and an optional expression over the
table's subject (``where``: a group's ``bindings``, or one subject's fields by name) — and what
must hold there (``holds``: per outcome field, a value or an expression over the same subject,
which the outcome must equal, or a mapping of comparisons: ``==``, ``!=``, ``in`` and ``not in``
a list of values, ``<``, ``<=``, ``>``, ``>=`` for an integer outcome, ``contains`` and ``not
contains`` one element or several for a list outcome). Assumptions
may say which table rows they decide (``decides``), so that a row that breaks a claim names the
assumption behind it.

Compiling costs one pass over the claims and assumptions; checking them is the review's and the
property tests' job.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb_lint.citations import Citation
from kb_lint.errors import InputError, did_you_mean, not_a_value
from kb_lint.expr import Expr
from kb_lint.findings import Location
from kb_lint.pack.model import DecisionTable, Value, sorted_list

if TYPE_CHECKING:
    from kb_lint.pack.load import PackCompiler
    from kb_lint.pack.model import RulePack


# What ``holds`` may compare an outcome with: the test, and how a failure is worded.
ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
CONTAINED = ("contains", "not contains")  # a list outcome holds every / none of the elements
COMPARISONS = ("==", "!=", "in", "not in", *ORDERED, *CONTAINED)
LISTED = ("in", "not in")  # compared with a list of values


@dataclass(frozen=True)
class Comparison:
    """One test ``holds`` puts to an outcome: ``operator`` and the value (for ``in`` and
    ``not in``, the values) it compares with; lists are compared as sets."""

    operator: str
    values: tuple[Value, ...]
    location: Location

    def fails(self, got: Any, env: dict[str, Any]) -> str | None:
        """``name`` words for a failure (``1, the article says != 1``), or None when it holds."""
        want = [sorted_list(v(env)) for v in self.values]
        got = sorted_list(got)
        if self.operator in ORDERED:
            held = got is not None and want[0] is not None and ORDERED[self.operator](got, want[0])
        elif self.operator in LISTED:
            held = (got in want) == (self.operator == "in")
        elif self.operator in CONTAINED:
            shared = set(want[0] or ()) & set(got or ())
            held = shared == set(want[0] or ()) if self.operator == "contains" else not shared
        else:
            held = (got == want[0]) == (self.operator == "==")
        if held:
            return None
        said = want if self.operator in LISTED else want[0]
        if self.operator == "==":
            return f"{got!r}, the article says {said!r}"
        return f"{got!r}, the article says {self.operator} {said!r}"


@dataclass(frozen=True)
class Claim:
    """One statement of the article: in the class ``given`` (and ``where``), ``holds`` holds."""

    id: str
    says: str
    table: str
    given: dict[str, tuple[Any, ...]]
    where: Expr | None
    holds: dict[str, tuple[Comparison, ...]]
    cites: Citation | None
    location: Location

    def covers(self, facts: dict[str, Any], env: dict[str, Any] | None) -> bool:
        """The subject whose table inputs are ``facts`` and whose expressions see ``env`` (the
        table's scope of it) is in the claim's class; with no ``env``, the case ``facts`` is
        (a claim with a ``where`` needs a subject)."""
        if any(facts[name] not in allowed for name, allowed in self.given.items()):
            return False
        if self.where is None:
            return True
        return env is not None and bool(self.where(env))

    def broken(self, outcome: dict[str, Any], env: dict[str, Any]) -> list[str]:
        """The fields of ``outcome`` that break the claim, as ``name: V, the article says W``
        (or ``says != W``, ``says in [...]``...; a list compared as a set, both shown sorted)."""
        return [f"{name}: {words}" for name, words, _ in self.failures(outcome, env)]

    def failures(
        self, outcome: dict[str, Any], env: dict[str, Any]
    ) -> list[tuple[str, str, Location]]:
        """Each comparison ``outcome`` fails: the field, the words, the comparison's place."""
        found = []
        for name, tests in self.holds.items():
            for test in tests:
                words = test.fails(outcome.get(name), env)
                if words is not None:
                    found.append((name, words, test.location))
        return found

    def values(self) -> list[Value]:
        """Every value the claim compares with (some are expressions over the subject)."""
        return [v for tests in self.holds.values() for test in tests for v in test.values]

    def states(self, name: str) -> bool:
        """The claim states the value of outcome ``name`` itself (an equality), not only a
        bound on it."""
        return any(
            t.operator == "==" or (t.operator == "in" and len(t.values) == 1)
            for t in self.holds.get(name, ())
        )

    @property
    def label(self) -> str:
        item = f", item {self.cites.item}" if self.cites and self.cites.item else ""
        section = self.cites.section if self.cites else "?"
        return f"claim {self.id} (article § {section}{item})"


def compile_claims(compiler: PackCompiler) -> tuple[Claim, ...]:
    """The pack's claims, checked against its tables; assumptions' ``decides`` checked too."""
    _check_decides(compiler)
    claims = []
    seen: set[str] = set()
    for i, raw in enumerate(compiler.data.get("claims", [])):
        pointer = ("claims", i)
        if raw["id"] in seen:
            raise compiler.fail((*pointer, "id"), f"claim id '{raw['id']}' is used twice")
        seen.add(raw["id"])
        table = compiler.tables.get(raw["table"])
        if table is None:
            hint = did_you_mean(raw["table"], compiler.tables)
            raise compiler.fail((*pointer, "table"), f"unknown table '{raw['table']}'{hint}")
        names = compiler.table_names(table.subject)
        claims.append(
            Claim(
                id=raw["id"],
                says=raw["says"],
                table=table.id,
                given=_given(compiler, (*pointer, "given"), raw["given"], table),
                where=compiler.expr((*pointer, "where"), names) if "where" in raw else None,
                holds=_holds(compiler, (*pointer, "holds"), raw["holds"], names),
                cites=compiler.cite(f"claim:{raw['id']}", (*pointer, "cites"), raw["cites"]),
                location=compiler.loc(pointer),
            )
        )
    return tuple(claims)


def _holds(
    compiler: PackCompiler, pointer: tuple, raw: dict[str, Any], names: Any
) -> dict[str, tuple[Comparison, ...]]:
    """``holds``: per outcome, a value (equality) or a mapping of comparisons, each checked
    against the outcome's type where it is written."""
    holds = {}
    for name, written in raw.items():
        at = (*pointer, name)
        if not isinstance(written, dict):
            holds[name] = (
                Comparison("==", (compiler.value(at, name, written, names),), compiler.loc(at)),
            )
            continue
        if not written:
            raise compiler.fail(at, f"'{name}' compares with nothing: {_ops()}")
        tests = []
        for op, value in written.items():
            here = (*at, op)
            if op not in COMPARISONS:
                raise _at_key(
                    compiler,
                    here,
                    f"'{op}' is not a comparison: {_ops()}{did_you_mean(str(op), COMPARISONS)}",
                )
            spec = compiler.outcomes.get(name)
            if op in ORDERED and spec is not None and spec.type != "integer":
                message = (
                    f"'{op}' compares numbers; outcome '{name}' is {spec.type}: "
                    "use ==, !=, in or not in"
                )
                raise _at_key(compiler, here, message)
            if op in CONTAINED and spec is not None and spec.type != "list":
                message = (
                    f"'{op}' reads a list outcome; '{name}' is {spec.type}: "
                    "use ==, !=, in or not in"
                )
                raise _at_key(compiler, here, message)
            if op in CONTAINED and not isinstance(value, list):
                value = [value]  # one element
            if op in LISTED:
                if not isinstance(value, list) or not value:
                    raise compiler.fail(
                        here, f"'{op}' takes a list of values of '{name}', not {value!r}"
                    )
                values = tuple(
                    compiler.value((*here, i), name, v, names) for i, v in enumerate(value)
                )
            else:
                values = (compiler.value(here, name, value, names),)
            tests.append(Comparison(op, values, compiler.loc(here)))
        holds[name] = tuple(tests)
    return holds


def _at_key(compiler: PackCompiler, pointer: tuple, message: str) -> InputError:
    """An error at the key of ``pointer`` (the comparison's operator), not at its value."""
    line, column = compiler.doc.locate_key(pointer)
    return InputError(str(compiler.doc.path), line, column, message)


def _ops() -> str:
    return f"write a value, or a mapping of {', '.join(COMPARISONS)} to values"


def _given(
    compiler: PackCompiler, pointer: tuple, raw: dict[str, Any], table: DecisionTable
) -> dict[str, tuple[Any, ...]]:
    inputs = {i.name: i for i in table.inputs}
    given = {}
    for name, allowed in raw.items():
        spec = inputs.get(name)
        if spec is None:
            hint = did_you_mean(name, inputs)
            raise compiler.fail((*pointer, name), f"unknown input '{name}' of '{table.id}'{hint}")
        values = tuple(allowed) if isinstance(allowed, list) else (allowed,)
        for value in values:
            if value not in spec.values:
                message = not_a_value(value, f"input '{name}'", spec.values)
                raise compiler.fail((*pointer, name), message)
        given[name] = values
    return given


def _check_decides(compiler: PackCompiler) -> None:
    """Each ``decides`` entry names a table's rows (numbers), a procedure's steps (ids) or
    ``rules`` (ids) that exist."""
    rules = {r["id"] for r in compiler.data.get("rules", [])}
    for i, raw in enumerate(compiler.data.get("assumptions", [])):
        for section, keys in raw.get("decides", {}).items():
            pointer = ("assumptions", i, "decides", section)
            table = compiler.tables.get(section)
            procedure = compiler.procedures.get(section)
            if table is not None:
                known = {n + 1 for n in range(len(table.rows))}
                what = f"table '{section}' has no row {{}} (it has {len(table.rows)})"
            elif procedure is not None:
                known = {step.id for step in procedure.steps}
                what = f"procedure '{section}' has no step '{{}}'"
            elif section == "rules":
                known, what = rules, "no rule '{}'"
            else:
                names = [*compiler.tables, *compiler.procedures, "rules"]
                hint = did_you_mean(section, names)
                raise compiler.fail(pointer, f"unknown table or procedure '{section}'{hint}")
            for k, key in enumerate(keys):
                if isinstance(key, dict):
                    _check_case(compiler, (*pointer, k), section, key)
                elif key not in known:
                    raise compiler.fail((*pointer, k), what.format(key))


def _check_case(compiler: PackCompiler, pointer: tuple, section: str, case: dict) -> None:
    """A ``decides`` entry that names a case of a table row (``{row: 5, given: {crm:
    unknown}}``): the row exists, and each input it names is the table's, with values of the
    input that the row matches."""
    table = compiler.tables.get(section)
    if table is None:
        message = f"a case ({{row: N, given: ...}}) is of a table's row; '{section}' is not a table"
        raise compiler.fail(pointer, message)
    if not 1 <= case["row"] <= len(table.rows):
        message = f"table '{section}' has no row {case['row']} (it has {len(table.rows)})"
        raise compiler.fail((*pointer, "row"), message)
    row = table.rows[case["row"] - 1]
    inputs = {i.name: i for i in table.inputs}
    for name, given in case["given"].items():
        spec = inputs.get(name)
        if spec is None:
            hint = did_you_mean(name, inputs)
            raise compiler.fail(
                (*pointer, "given", name), f"unknown input '{name}' of '{section}'{hint}"
            )
        for value in _listed(given):
            if value not in spec.values:
                message = not_a_value(value, f"input '{name}'", spec.values)
                raise compiler.fail((*pointer, "given", name), message)
            if name in row.when and value not in row.when[name]:
                shown = ", ".join(map(str, row.when[name]))
                message = (
                    f"row {case['row']} of '{section}' matches {name} {shown} only, not {value}"
                )
                raise compiler.fail((*pointer, "given", name), message)


def deciding(
    pack: RulePack, section: str, key: int | str, facts: dict[str, Any] | None = None
) -> tuple[str, ...]:
    """The ids of the assumptions that say they decide ``key`` (a row number, a step id or a
    rule id) of ``section`` (a table, a procedure, or ``rules``); with ``facts`` (the inputs'
    values of one case a table row matched), those that decide that case of the row too
    (``{row: 5, given: {crm: unknown}}``). Every finding's explanation asks: the answer is
    kept per question (``RulePack.deciding``)."""
    asked = (section, key) if facts is None else (section, key, *facts.items())
    found = pack.deciding.get(asked)
    if found is None:
        found = pack.deciding[asked] = tuple(
            a["id"]
            for a in pack.data.get("assumptions", [])
            if any(_decides(entry, key, facts) for entry in a.get("decides", {}).get(section, ()))
        )
    return found


def deciding_cases(pack: RulePack, table: str, row: int) -> list[tuple[str, dict[str, list]]]:
    """The assumptions that decide a case of ``row`` of ``table`` only, each with that case
    (each input it names to the values it decides), in the pack's order."""
    return [
        (a["id"], {name: _listed(v) for name, v in entry["given"].items()})
        for a in pack.data.get("assumptions", [])
        for entry in a.get("decides", {}).get(table, ())
        if isinstance(entry, dict) and entry["row"] == row
    ]


def _decides(entry: Any, key: int | str, facts: dict[str, Any] | None) -> bool:
    """A ``decides`` entry names ``key``: a whole row (step, rule), or the case of a row that
    ``facts`` is."""
    if not isinstance(entry, dict):
        return bool(entry == key)
    return (
        facts is not None
        and entry["row"] == key
        and all(facts.get(name) in _listed(v) for name, v in entry["given"].items())
    )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
