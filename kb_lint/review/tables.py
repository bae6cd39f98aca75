"""Decision tables decide every case exactly once: gaps, contradictions and redundant rows.

A case is one combination of the inputs' declared ``values``; the analysis enumerates them all.
A gap is a case no row matches (KB-RULES-001). Under hit policy ``unique``, two rows that match
one case and give different outcomes contradict each other (KB-RULES-002); if they give the
same outcome, one is redundant (KB-RULES-008). Under ``first``, a row that never comes first
for any case it matches is redundant too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations, product
from typing import Any

from kb_lint.findings import Finding, Location
from kb_lint.limits import MAX_CUBES
from kb_lint.pack.document import PackSource
from kb_lint.pack.model import DecisionTable, Input, Row
from kb_lint.review.check import Check

GAP = Check(
    id="KB-RULES-001",
    name="table-gap",
    severity="error",
    what="A decision table has a gap: a combination of its inputs' declared values that no row "
    "matches.",
    why="The table decides nothing for that case: a deployment that falls into it stops "
    "`kb-lint check` with an error instead of a prediction, and the docs show a hole in the "
    "article's table.",
    example="inputs:\n  - {name: categories, expr: ..., values: [same, different]}\n"
    "rows:\n  - when: {categories: same}\n    then: {sync_errors: true}\n"
    "# no row for categories=different\n",
    fix="Add a row for the case named in the message, or widen an existing row's `when`.",
)
CONTRADICTION = Check(
    id="KB-RULES-002",
    name="table-contradiction",
    severity="error",
    what="Two rows of a decision table with hit policy `unique` match the same case and predict "
    "different outcomes.",
    why="The table says two different things about one deployment; `kb-lint check` stops on "
    "such a deployment rather than pick one.",
    example="hit_policy: unique\nrows:\n  - when: {categories: same}\n"
    "    then: {mailbox_copies: 1}\n  - when: {folders: same}\n"
    "    then: {mailbox_copies: 2}   # both match categories=same, folders=same\n",
    fix="Narrow one row's `when` so the two no longer meet, or use `hit_policy: first` if the "
    "first matching row should win.",
)
REDUNDANT_ROW = Check(
    id="KB-RULES-008",
    name="table-redundant-row",
    severity="warning",
    what="A decision-table row adds nothing: under hit policy `unique` it overlaps another row "
    "that predicts the same outcome; under `first`, earlier rows decide every case it matches.",
    why="A reader takes each row for a distinct case of the article; a row that never decides "
    "anything (or decides it twice) hides what the table means, and a later edit to one copy "
    "turns it into a contradiction.",
    example="rows:\n  - when: {categories: same}\n    then: {sync_errors: true}\n"
    "  - when: {categories: same, folders: same}\n    then: {sync_errors: true}\n",
    fix="Delete the redundant row, or narrow the rows so that each case has one.",
)

TOO_LARGE = Check(
    id="KB-RULES-017",
    name="table-too-large",
    severity="error",
    what="A decision table has more input combinations than `kb-lint rules check` analyses "
    f"(the product of (values + 1) over its inputs is above {3**10:,}, as with more than ten "
    "two-valued inputs).",
    why="Gaps and contradictions are found by enumerating every case; the cost doubles or "
    "triples with each input, so a larger table would take minutes or hours to check instead "
    "of being refused at once.",
    example="inputs:   # twelve inputs of two values each: 531,441 partial cases\n"
    "  - {name: a, expr: ..., values: [yes, no]}\n  # ... b to l the same\n",
    fix="Split the table (one table per question the article answers), or merge inputs that "
    "always go together into one input with more values.",
)

UNUSED_TABLE = Check(
    id="KB-RULES-019",
    name="table-unused",
    severity="warning",
    what="A decision table that no rule predicts from (`predict:`), no procedure step's "
    "residue names, and no input of such a table reads (`table:`).",
    why="Its rows, gaps and claims are checked, and the site shows it, yet no finding ever "
    "predicts from it: the author most likely meant a rule to use it and wrote `outcome:`, or "
    "misspelt nothing at all and forgot the `predict:` line.",
    example="tables:\n  - id: trial-history\n    subject: policy\n    ...\nrules:\n"
    "  - id: KB950-001\n    kind: check\n    over: policies\n"
    "    outcome: {history: capped}   # the table is never read\n",
    fix="Point the rule that the table is about at it with `predict: ID`, or delete the table.",
)

ANY = None  # a case coordinate that stands for every value of its input
SHOWN_CASES = 3
# The largest table analysed (MAX_CUBES): partial cases (each input a value or ANY), the cubes
# ``collapse`` goes through. Ten two-valued inputs (3**10) take about a second; each input more
# triples it.


def cube_count(table: DecisionTable) -> int:
    """How many partial cases (each input one of its values, or any) the table has."""
    count = 1
    for spec in table.inputs:
        count *= len(spec.values) + 1
    return count


def _values_left_out(table: DecisionTable) -> Iterator[Finding]:
    """An input that reads an enum field and leaves out some of its values: a deployment with
    one of them falls in no case of the table."""
    for one in table.inputs:
        missing = [v for v in one.field_values if v not in one.values]
        if missing:
            shown = ", ".join(f"'{v}'" for v in missing)
            yield GAP.finding(
                one.location,
                f"table '{table.id}': input '{one.name}' reads {one.source}, which may "
                f"also be {shown}; no case of the table has it (add it to the input's values, "
                "and rows for it)",
            )


def check_tables(source: PackSource) -> list[Finding]:
    pack = source.pack
    used = {rule.predict for rule in pack.rules} | {
        step.residue_table for procedure in pack.procedures.values() for step in procedure.steps
    }
    used |= {t for table in used if table in pack.tables for t in pack.tables[table].read_tables()}
    findings: list[Finding] = [
        UNUSED_TABLE.finding(
            table.location, f"table '{table.id}' is used by no rule and no procedure step"
        )
        for table in pack.tables.values()
        if table.id not in used
    ]
    for index, table in enumerate(source.pack.tables.values()):
        raw_rows = source.pack.data["tables"][index]["rows"]
        if cube_count(table) > MAX_CUBES:
            message = (
                f"table '{table.id}' has {cube_count(table):,} partial cases "
                f"({len(table.inputs)} inputs); gaps and contradictions are checked up to "
                f"{MAX_CUBES:,}: split it or merge inputs"
            )
            findings.append(TOO_LARGE.finding(table.location, message))
            continue
        findings.extend(_values_left_out(table))
        hits = rows_by_case(table)
        gaps = [case for case, rows in hits.items() if not rows]
        for cube in collapse(gaps, table.inputs):
            findings.append(
                GAP.finding(
                    table.location,
                    f"table '{table.id}' has no row for {describe(cube, table.inputs)}",
                )
            )
        if table.hit_policy == "unique":
            findings.extend(_overlaps(table, hits, raw_rows))
        else:
            findings.extend(_shadowed(table, hits))
    return findings


def rows_by_case(table: DecisionTable) -> dict[tuple[Any, ...], list[Row]]:
    """Every combination of the inputs' values, with the rows that match it, in row order."""
    names = [spec.name for spec in table.inputs]
    return {
        case: [row for row in table.rows if row.matches(dict(zip(names, case, strict=True)))]
        for case in product(*(spec.values for spec in table.inputs))
    }


def collapse(cases: list[tuple[Any, ...]], inputs: tuple[Input, ...]) -> list[tuple[Any, ...]]:
    """The widest cases (ANY for an input that takes every value) that cover exactly ``cases``.

    Greedy, widest first: each chosen case covers only cases still left, so none overlap.
    """
    left = set(cases)
    chosen: list[tuple[Any, ...]] = []
    for cube in sorted(
        product(*((*s.values, ANY) for s in inputs)), key=lambda c: -_size(c, inputs)
    ):
        if not left:
            break
        members = set(_members(cube, inputs))
        if members <= left:
            chosen.append(cube)
            left -= members
    order = {case: n for n, case in enumerate(cases)}
    return sorted(chosen, key=lambda cube: min(order[c] for c in _members(cube, inputs)))


def _members(cube: tuple[Any, ...], inputs: tuple[Input, ...]) -> Iterator[tuple[Any, ...]]:
    return product(*(s.values if v is ANY else (v,) for s, v in zip(inputs, cube, strict=True)))


def _size(cube: tuple[Any, ...], inputs: tuple[Input, ...]) -> int:
    size = 1
    for spec, value in zip(inputs, cube, strict=True):
        size *= len(spec.values) if value is ANY else 1
    return size


def describe(cube: tuple[Any, ...], inputs: tuple[Input, ...]) -> str:
    parts = [f"{s.name}={v}" for s, v in zip(inputs, cube, strict=True) if v is not ANY]
    return ", ".join(parts) if parts else "every case"


def _describe_cases(cases: list[tuple[Any, ...]], inputs: tuple[Input, ...]) -> str:
    cubes = collapse(cases, inputs)
    shown = "; ".join(describe(cube, inputs) for cube in cubes[:SHOWN_CASES])
    more = len(cubes) - SHOWN_CASES
    return shown + (f" (and {more} more)" if more > 0 else "")


def _overlaps(
    table: DecisionTable, hits: dict[tuple[Any, ...], list[Row]], raw_rows: list[dict[str, Any]]
) -> Iterator[Finding]:
    shared: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for case, rows in hits.items():
        for first, second in combinations(rows, 2):
            shared.setdefault((first.number, second.number), []).append(case)
    for (first, second), cases in shared.items():
        where = _describe_cases(cases, table.inputs)
        differ = _differences(raw_rows[first - 1]["then"], raw_rows[second - 1]["then"])
        rows = f"rows {first} and {second} of table '{table.id}'"
        related = (_row_note(table.rows[first - 1]),)
        if differ:
            message = f"{rows} both match {where} and disagree on {differ}"
            yield CONTRADICTION.finding(table.rows[second - 1].location, message, related)
        else:
            message = f"{rows} both match {where} and predict the same outcome"
            yield REDUNDANT_ROW.finding(table.rows[second - 1].location, message, related)


def _shadowed(table: DecisionTable, hits: dict[tuple[Any, ...], list[Row]]) -> Iterator[Finding]:
    deciding = {rows[0].number for rows in hits.values() if rows}
    for row in table.rows:
        if row.number in deciding:
            continue
        earlier = sorted({rows[0].number for rows in hits.values() if row in rows})
        numbers = ", ".join(map(str, earlier))
        decide = f"rows {numbers} decide" if len(earlier) > 1 else f"row {numbers} decides"
        yield REDUNDANT_ROW.finding(
            row.location,
            f"row {row.number} of table '{table.id}' never applies: with hit policy first, "
            f"{decide} every case it matches",
        )


def _differences(first: dict[str, Any], second: dict[str, Any]) -> str:
    names = [n for n in dict.fromkeys([*first, *second]) if first.get(n) != second.get(n)]
    return ", ".join(f"{n} ({_shown(first.get(n))} vs {_shown(second.get(n))})" for n in names)


def _shown(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _row_note(row: Row) -> Location:
    return replace(row.location, note=f"row {row.number}")
