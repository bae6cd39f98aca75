"""Claims proved against the decision tables, over every case (KB-RULES-018).

The rule: for every case a claim's class covers, the row the table picks must give what the
claim says. The algorithm, in two passes. First every case of the table (each combination of
its inputs' declared values) that the claim's ``given`` covers: where the row's cells and the
claim's ``holds`` are literals and the claim has no ``where``, the row is checked for that case
directly, so a claim over two values of an input is checked against every row either value
reaches. Then the cases that need a subject (a cell or a ``holds`` that is an expression, a
claim with a ``where``): subjects built over small value pools of the fields the table reads
(each enum's values, both booleans, 0, 1, 16 and 100 for a number, and for one subject the
numbers a claim's ``where`` compares it with, within its ``minimum`` and ``maximum``, and
those bounds, three names for text, every data type for lists, the
records of a structured field over its subfields' pools; groups of
two and three bindings for a group table, one subject otherwise), the table's inputs worked out
once per subject, and each such claim checked on the subjects it covers, with the row those
inputs reach (a subject whose inputs fail reaches no row and is skipped). Cost: one pass over
the cases, then (pool size ^ fields) ^ 3 groups, about 6,000 for article 105's table.

One finding per claim and row that breaks it, at the claim's comparison that fails (its
``holds`` entry), naming the row as the counterexample (a related place) and the assumptions
that say they decide the row (``decides``); a claim that covers no case at all is a finding
too, naming the values tried; so is a claim whose row's cell or ``holds`` fails on a subject
that reaches the row (``1 / 0``): not provable, naming the subject, never a counterexample.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from kb_lint.engine.outcome import defaulted, evaluate, input_value
from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.model.deployment import BINDING_FIELDS
from kb_lint.model.fields import Field, Vocabulary
from kb_lint.model.timeline import ITEM_TYPES
from kb_lint.pack.claims import Claim, deciding
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import DecisionTable, Row, RulePack
from kb_lint.review.check import Check
from kb_lint.review.tables import rows_by_case

BROKEN_CLAIM = Check(
    id="KB-RULES-018",
    name="claim-broken",
    severity="error",
    what="A decision-table row predicts something the article says does not happen, for an "
    "overlap that one of the pack's claims covers; or a claim covers no overlap at all, or "
    "cannot be judged on a made-up subject that reaches a row (the row's cell fails there).",
    why="The article is the third oracle: a table (or the assumption behind a row) that "
    "contradicts the article's own statement makes kb-lint confidently wrong, and the simulator "
    "built on the same assumption would agree with it.",
    example="claims:\n  - id: C3\n    table: expected-challenges\n"
    "    given: {sync_all_items: [some, all]}\n    holds: {crm_duplicates: true}\n"
    "tables: ... rows:\n  - when: {categories: same}\n"
    "    then: {crm_duplicates: false}   # sync all items with the same names\n",
    fix="Correct the row (and the assumption that decided it), or the claim if it misreads the "
    "article.",
)

# Values each binding field takes in the enumeration.
BOOLEAN = (False, True)
POOLS: dict[str, tuple[Any, ...]] = {
    "enabled": BOOLEAN,
    "sync_all_items": BOOLEAN,
    "instance_kind": ("cloud", "on-premise"),
    "email_system": ("exchange", "groupwise", "google"),
    "data_types": (list(ITEM_TYPES),),
    "synced_types": (list(ITEM_TYPES),),
}
NAMES = ("a", "b", "c")
NUMBERS = (0, 1, 16, 100)
GROUP_SIZES = (2, 3)
MAX_RECORDS = 64  # the records one structured field takes in the enumeration


@dataclass(frozen=True)
class ClaimBreak:
    """Row ``row`` of ``table`` gives, for the overlap whose inputs are ``facts``, what
    ``claim`` says does not happen: ``problems``, one ``name: V, the article says W`` each;
    ``at`` is the first comparison of the claim that fails."""

    claim: Claim
    table: DecisionTable
    row: Row
    facts: dict[str, Any]
    problems: list[str]
    at: Location


@dataclass(frozen=True)
class ClaimUnprovable:
    """``claim`` cannot be judged on row ``row``: for ``subject`` (one that reaches the row),
    evaluating the row's cells or the claim's ``holds`` failed with ``error``."""

    claim: Claim
    table: DecisionTable
    row: Row
    subject: dict[str, Any]
    error: InputError


def prove_claims(
    pack: RulePack,
) -> tuple[list[ClaimBreak], list[Claim], list[ClaimUnprovable]]:
    """Every claim and row that breaks it (the first case of each), the claims that cover
    no case of their table, and the claims a subject that reaches a row cannot be judged on
    (the first such subject of each claim)."""
    fields = _fields(pack.fields, pack.actions)
    breaks: list[ClaimBreak] = []
    uncovered: list[Claim] = []
    unprovable: dict[str, ClaimUnprovable] = {}
    for table_id in dict.fromkeys(c.table for c in pack.claims):
        table = pack.tables[table_id]
        claims = [c for c in pack.claims if c.table == table_id]
        covered: set[str] = set()
        broken: dict[tuple[str, int], ClaimBreak] = {}
        for claim, row, facts, env in _judged(table, claims, fields):
            covered.add(claim.id)
            try:
                outcome = defaulted(evaluate(row.then, env), pack.outcomes)
                failures = claim.failures(outcome, env)
            except InputError as error:
                if claim.id not in unprovable:
                    unprovable[claim.id] = ClaimUnprovable(claim, table, row, env, error)
                continue
            if failures and (claim.id, row.number) not in broken:
                problems = [f"{name}: {words}" for name, words, _ in failures]
                broken[claim.id, row.number] = ClaimBreak(
                    claim, table, row, facts, problems, failures[0][2]
                )
        breaks += broken.values()
        uncovered += [claim for claim in claims if claim.id not in covered]
    return breaks, uncovered, list(unprovable.values())


def check_claims(source: PackSource) -> list[Finding]:
    pack = source.pack
    breaks, uncovered, unprovable = prove_claims(pack)
    findings = [_broken(source, b) for b in breaks]
    fields = _fields(pack.fields, pack.actions)
    findings += [
        BROKEN_CLAIM.finding(
            claim.location,
            f"{claim.label} covers no case of table '{claim.table}'"
            f"{_tried(claim, pack.tables[claim.table], fields)}",
        )
        for claim in uncovered
    ]
    findings += [_unprovable(u) for u in unprovable]
    return findings


def _tried(claim: Claim, table: DecisionTable, fields: dict[str, Field]) -> str:
    """What a claim that covers no case was judged on: its ``given`` against every case of the
    table, and, for a claim with a ``where`` (or over a computed cell), the made-up subjects'
    values."""
    if claim.where is None and all(_literal(claim, row) for row in table.rows):
        return ": no case of its inputs' values matches its given"
    group = table.subject == "group"
    pools = _pools(table, fields, [claim])
    shown = "; ".join(f"{name}: {', '.join(map(_value, pool))}" for name, pool in pools.items())
    where = " and its where" if claim.where is not None else ""
    subjects = "groups of 2 and 3 bindings" if group else "subjects"
    return (
        f": no made-up {subjects} matched its given{where} (every combination of {shown}); "
        "a case none of them holds is an example's outcome"
    )


def _value(value: Any) -> str:
    return "null" if value is None else str(value)


def _unprovable(found: ClaimUnprovable) -> Finding:
    subject = found.subject.get("bindings", found.subject)
    if isinstance(subject, dict):
        shown = ", ".join(f"{k}={_value(v)}" for k, v in subject.items())
    else:
        shown = "; ".join(", ".join(f"{k}={_value(v)}" for k, v in b.items()) for b in subject)
    message = (
        f"{found.claim.label} cannot be proved on row {found.row.number} of "
        f"'{found.table.id}': for the made-up subject ({shown}), which reaches the row, "
        f"{found.error}"
    )
    at = found.row.location
    related = (Location(at.path, at.line, at.column, f"row {found.row.number}"),)
    return BROKEN_CLAIM.finding(found.claim.location, message, related)


def _judged(
    table: DecisionTable, claims: list[Claim], fields: dict[str, Field]
) -> Iterator[tuple[Claim, Row, dict[str, Any], dict[str, Any]]]:
    """Each claim with a row it covers, the case and the scope to judge it in: every case
    the claim's ``given`` covers, by its values alone where that suffices; then the subjects
    of the pools, for the claims and rows that need one."""
    names = [spec.name for spec in table.inputs]
    for case, rows in rows_by_case(table).items():
        if not rows:
            continue  # a gap: KB-RULES-001 reports it
        facts = dict(zip(names, case, strict=True))
        for claim in claims:
            if _literal(claim, rows[0]) and claim.covers(facts, None):
                yield claim, rows[0], facts, {}
    wanted = [c for c in claims if any(not _literal(c, row) for row in table.rows)]
    for env, facts in cases(table, fields, wanted) if wanted else ():
        row = next((r for r in table.rows if r.matches(facts)), None)
        for claim in wanted if row is not None else ():
            if not _literal(claim, row) and _covers(claim, facts, env):
                yield claim, row, facts, env


def _covers(claim: Claim, facts: dict[str, Any], env: dict[str, Any]) -> bool:
    """The subject is in the claim's class; a ``where`` that fails on it (``null > 3``) leaves
    it out, as an input that fails does."""
    try:
        return claim.covers(facts, env)
    except InputError:
        return False


def _literal(claim: Claim, row: Row) -> bool:
    """The claim can be judged on ``row`` from the case alone: no subject needed."""
    values = [*claim.values(), *row.then.values()]
    return claim.where is None and all(v.expr is None for v in values)


def _fields(fields: tuple[Field, ...], actions: tuple[Any, ...]) -> dict[str, Field]:
    vocabulary = Vocabulary.of(fields, actions)
    return {**vocabulary.binding_fields(), **vocabulary.event_fields()}


def _pool(
    name: str, field: Field | None, group: bool, named: frozenset[float] = frozenset()
) -> tuple[Any, ...]:
    """The values ``name`` takes in the enumeration: a text field's names are shared or not
    across a group; one subject needs one name; a number field's pool holds the numbers
    ``named`` too."""
    if name in POOLS:
        return POOLS[name]
    if field is not None and field.structured:
        return _records(field)
    kind = field.type if field is not None else "string"
    pool: tuple[Any, ...] = {
        "boolean": BOOLEAN,
        "enum": field.values if field is not None else (),
        "integer": _numbers(field, named),
        "number": _numbers(field, named),
        "list": (list(field.values) if field is not None and field.values else [], ["a"]),
    }.get(kind, NAMES if group else NAMES[:1])
    given = field is None or field.default is not None or field.required
    return pool if given else (*pool, None)


def _numbers(field: Field | None, named: frozenset[float] = frozenset()) -> tuple[Any, ...]:
    """A number field's values: ``NUMBERS`` and the numbers ``named``, within its ``minimum``
    and ``maximum``, and the bounds themselves, so that no subject holds a value no deployment
    can."""
    low = field.minimum if field is not None else None
    high = field.maximum if field is not None else None
    if field is not None and field.type == "integer":
        named = frozenset(n for n in named if float(n).is_integer())
    inside = {
        n for n in (*NUMBERS, *named) if (low is None or n >= low) and (high is None or n <= high)
    }
    return tuple(sorted(inside | {b for b in (low, high) if b is not None}))


def _records(field: Field) -> tuple[Any, ...]:
    """A record field's values: every record over its subfields' pools (at most
    ``MAX_RECORDS``); a list of records, each record alone (one element, as ``each:`` reads
    it) and as a list of one, and the empty list."""
    pools = [_pool(sub.name, sub, False) for sub in field.fields]
    names = [sub.name for sub in field.fields]
    records = [dict(zip(names, values, strict=True)) for values in product(*pools)]
    records = records[:MAX_RECORDS]
    if field.type != "list":
        return (*records, None) if field.default is None else tuple(records)
    return (*records, *([r] for r in records), [])


def _pools(
    table: DecisionTable, fields: dict[str, Field], claims: list[Claim]
) -> dict[str, tuple[Any, ...]]:
    """The values each field a made-up subject of ``table`` holds takes: its pool, and for a
    subject of one (not a group) the numbers a claim's ``where`` compares the field with
    (``crm_backlog == 750``), so that the article's concrete case is one of the subjects."""
    group = table.subject == "group"
    named: dict[str, set[float]] = {}
    for claim in claims if not group else ():
        if claim.where is not None:
            numbers = {_number(n) for n in NUMBER_LITERAL.findall(claim.where.source)}
            for name in claim.where.names:
                named.setdefault(name, set()).update(numbers)
    return {
        name: _pool(name, fields.get(name), group, frozenset(named.get(name, ())))
        for name in _read(table)
    }


NUMBER_LITERAL = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")


def _number(text: str) -> float:
    return float(text) if "." in text else int(text)


def cases(
    table: DecisionTable, fields: dict[str, Field] | None = None, claims: list[Claim] | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every subject over the pools (a group of two or three bindings, or one subject), as the
    table's expressions see it, with the table's inputs for it."""
    group = table.subject == "group"
    read = _read(table)
    found = _pools(table, fields or {}, claims or [])
    pools = [found[name] for name in read]
    one = [dict(zip(read, values, strict=True)) for values in product(*pools)]
    subjects = (
        (list(g) for size in GROUP_SIZES for g in product(one, repeat=size)) if group else one
    )
    for subject in subjects:
        env = table.scope(subject)
        try:
            facts = {spec.name: input_value(spec, env) for spec in table.inputs}
        except InputError:
            continue  # an input the subject's values leave undefined (null > 15): no case
        yield env, facts


def _read(table: DecisionTable) -> tuple[str, ...]:
    """The fields a made-up subject of ``table`` holds: those the table reads."""
    group = table.subject == "group"
    return tuple(table.reads if table.reads is not None else (BINDING_FIELDS if group else ()))


def _broken(source: PackSource, found: ClaimBreak) -> Finding:
    claim, row = found.claim, found.row
    assumptions = deciding(source.pack, found.table.id, row.number, found.facts)
    shown = ", ".join(f"{k}={v}" for k, v in found.facts.items())
    decided = (
        f"; the row is decided by assumption {', '.join(assumptions)}"
        if assumptions
        else "; no assumption says it decides the row"
    )
    message = (
        f"row {row.number} of '{found.table.id}' ({shown}) breaks {claim.label}: "
        f"{'; '.join(found.problems)}{decided}. The claim: {claim.says.strip()}"
    )
    at = row.location
    related = (
        Location(at.path, at.line, at.column, f"row {row.number}"),
        *(_assumption_location(source, a) for a in assumptions),
    )
    return BROKEN_CLAIM.finding(found.at, message, related)


def _assumption_location(source: PackSource, assumption: str) -> Location:
    index = next(i for i, a in enumerate(source.pack.data["assumptions"]) if a["id"] == assumption)
    at = source.at(("assumptions", index))
    return Location(at.path, at.line, at.column, f"assumption {assumption}")
