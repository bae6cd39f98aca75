"""A decision table's page: what it decides, its rows with their sources, and its status."""

from __future__ import annotations

from typing import Any

from kb_lint.docs.citing import citation_link, quoted
from kb_lint.docs.coverage import coverage
from kb_lint.docs.escape import code, link, table, text, title
from kb_lint.docs.origins import (
    case_marks,
    cell_assumptions,
    marks,
    row_source,
    table_assumptions,
)
from kb_lint.docs.outcomes import outcome_heading, show, show_value
from kb_lint.docs.pack_pages import for_authors, pack_link, undescribed
from kb_lint.docs.paths import (
    pack_page,
    relative,
    table_page,
)
from kb_lint.docs.rule_pages import rule_link
from kb_lint.docs.sources import SiteSources
from kb_lint.pack.model import DecisionTable, Input, RulePack

HIT_POLICIES = {
    "unique": "exactly one row must match each case",
    "first": "the first matching row decides",
}


# The binding fields a table may judge separately, in words.
PARTITIONS = {
    "synced_types": "each data type the instances really sync",
    "data_types": "each data type the policies name",
}


def render_table(pack: RulePack, decision: DecisionTable, sources: SiteSources) -> str:
    page = table_page(pack.id, decision.id)
    users = [r for r in pack.rules if r.predict == decision.id]
    parts = [f"# {title(decision.title)}"]
    facts = [f"Decision table {code(decision.id)} of {pack_link(page, pack)}"]
    if decision.cites is not None:
        facts.append(f"encodes {citation_link(page, sources, decision.cites)}")
    if users:
        facts.append("decides the outcome of " + ", ".join(rule_link(page, r) for r in users))
    parts.append("; ".join(facts) + ".")
    policy = HIT_POLICIES.get(decision.hit_policy, "")
    parts.append(f"Hit policy {code(decision.hit_policy)}: {text(policy)}.")
    if decision.partition:
        words = PARTITIONS.get(decision.partition)
        each = words or f"each value of {code(decision.partition)}"
        parts.append(
            f"The table is applied to {each} separately (the instances that share it), and "
            "the results are combined."
        )
    quote = quoted(sources, decision.cites) if decision.cites is not None else None
    if quote is not None:
        parts += ["## What the article says", quote]
    parts += ["## Status", _status(decision)]
    parts += [
        "## Inputs",
        table(
            ["Input", "Values", "How it is decided"],
            [
                [
                    text(i.label),
                    ", ".join(text(v) for v in i.values),
                    _decided(page, pack, i),
                ]
                for i in decision.inputs
            ],
        ),
    ]
    parts += ["## Rows", _rows(page, decision, pack, sources)]
    parts.append(
        for_authors(
            [(f"input {i.name}", i.source) for i in decision.inputs]
            + [
                (f"row {row.number}, {name}", value.expr.source)
                for row in decision.rows
                for name, value in row.then.items()
                if value.expr is not None
            ]
        )
    )
    deciding = table_assumptions(pack, decision)
    if deciding:
        every = link("all assumptions", relative(page, pack_page(pack.id, "assumptions")))
        parts += [
            "## Stated assumptions",
            f"Where the article is silent, the pack decides rows of this table (see {every}):",
            "\n".join(f"- **{text(a.id)} {text(a.title)}.** {text(a.text)}" for a in deciding),
        ]
    return "\n\n".join(parts) + "\n"


def _status(decision: DecisionTable) -> str:
    result = coverage(decision)
    if not result.listed:
        return (
            f"Not checked: its {result.combinations:,} combinations of inputs are too many to go "
            "through (`kb-lint rules check` reports it as KB-RULES-017); split the table."
        )
    if result.complete:
        return (
            f"Complete and consistent: each of the {result.combinations} combinations of "
            "inputs matches a row"
            + (" and exactly one." if decision.hit_policy == "unique" else ".")
        )
    lines = []
    for case in result.gaps:
        lines.append(f"- Gap: no row matches {_case(case)}.")
    for case, rows in result.overlaps:
        lines.append(f"- Overlap: rows {', '.join(map(str, rows))} all match {_case(case)}.")
    gaps, overlaps = len(result.gaps), len(result.overlaps)
    counts = f"{gaps} gap{'s' * (gaps != 1)}, {overlaps} overlap{'s' * (overlaps != 1)}"
    return f"**Not complete:** {counts}.\n\n" + ("\n".join(lines))


def _case(case: dict[str, Any]) -> str:
    return ", ".join(f"{code(k)} = {text(v)}" for k, v in case.items())


def _default(value: Any) -> str:
    """A cell a row leaves out: the outcome's default, marked as such; "—" when it has none."""
    return "—" if value is None else f"{show(value)} *(default)*"


def _decided(page: str, pack: RulePack, spec: Input) -> str:
    """How an input is decided, in words: its prose (an expression without it is marked), or
    the other table it reads, linked, and the outcome it reads of it."""
    if spec.table is not None:
        other = link(text(spec.table.title), relative(page, table_page(pack.id, spec.table.id)))
        said = f": {text(spec.says)}" if spec.says else ""
        heading = outcome_heading(pack.outcomes[spec.outcome])
        return f"{heading}, as the table {other} decides it{said}"
    assert spec.expr is not None
    return text(spec.says) if spec.says else undescribed(spec.expr.source)


def _rows(page: str, decision: DecisionTable, pack: RulePack, sources: SiteSources) -> str:
    """The rows as a table (inputs, then outcomes), and the rows' notes as a list below it."""
    outcome_names = [n for n in pack.outcomes if any(n in row.then for row in decision.rows)]
    header = [
        "#",
        *(text(i.label) for i in decision.inputs),
        *(outcome_heading(pack.outcomes[n]) for n in outcome_names),
        "Source",
    ]
    rows = []
    for row in decision.rows:
        when = [
            " or ".join(text(v) for v in row.when[i.name]) if i.name in row.when else "any"
            for i in decision.inputs
        ]
        then = [
            show_value(row.then[n], row.says.get(n))
            + marks(page, pack, cell_assumptions(pack, decision, row, n))
            + case_marks(page, pack, decision, row)
            if n in row.then
            else _default(pack.outcomes[n].default)
            for n in outcome_names
        ]
        rows.append([str(row.number), *when, *then, row_source(page, pack, sources, decision, row)])
    legend = (
        "Source: the article item a row encodes, and the stated assumptions that decide it. An "
        "outcome marked with an assumption (A1) is that assumption's decision, not the "
        "article's; unmarked outcomes are what the article says. A cell marked (default) is "
        "one the row leaves out: the outcome's default, as kb-lint predicts it."
    )
    notes = [f"- Row {row.number}: {text(row.note)}" for row in decision.rows if row.note]
    return (
        table(header, rows)
        + f"\n\n{legend}"
        + ("\n\nNotes:\n\n" + "\n".join(notes) if notes else "")
    )
