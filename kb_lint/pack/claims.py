"""Claims: the article's own statements, as properties the tables and the simulator must satisfy.

A claim cites its sentence (fingerprinted, so it goes stale with the article), names a scenario
class — values of one decision table's inputs (``given``) and an optional expression over the
table's subject (``where``: a group's ``bindings``, or one subject's fields by name) — and what
must hold there (``holds``: outcome values or expressions over the same subject). Assumptions
may say which table rows they decide (``decides``), so that a row that breaks a claim names the
assumption behind it.

Compiling costs one pass over the claims and assumptions; checking them is the review's and the
property tests' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb_lint.citations import Citation
from kb_lint.errors import did_you_mean
from kb_lint.expr import Expr
from kb_lint.findings import Location
from kb_lint.pack.model import DecisionTable, Value, not_a_value, sorted_list

if TYPE_CHECKING:
    from kb_lint.pack.load import PackCompiler
    from kb_lint.pack.model import RulePack


@dataclass(frozen=True)
class Claim:
    """One statement of the article: in the class ``given`` (and ``where``), ``holds`` holds."""

    id: str
    says: str
    table: str
    given: dict[str, tuple[Any, ...]]
    where: Expr | None
    holds: dict[str, Value]
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
        (a list compared as a set, both shown sorted)."""
        return [
            f"{name}: {got!r}, the article says {want!r}"
            for name, value in self.holds.items()
            if (got := sorted_list(outcome.get(name))) != (want := sorted_list(value(env)))
        ]

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
                holds=compiler.outcome((*pointer, "holds"), raw["holds"], names),
                cites=compiler.cite(f"claim:{raw['id']}", (*pointer, "cites"), raw["cites"]),
                location=compiler.loc(pointer),
            )
        )
    return tuple(claims)


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
                if key not in known:
                    raise compiler.fail((*pointer, k), what.format(key))


def deciding(pack: RulePack, section: str, key: int | str) -> tuple[str, ...]:
    """The ids of the assumptions that say they decide ``key`` (a row number, a step id or a
    rule id) of ``section`` (a table, a procedure, or ``rules``). Every finding's explanation
    asks: the answer is kept per question (``RulePack.deciding``)."""
    found = pack.deciding.get((section, key))
    if found is None:
        found = pack.deciding[section, key] = tuple(
            a["id"]
            for a in pack.data.get("assumptions", [])
            if key in a.get("decides", {}).get(section, ())
        )
    return found
