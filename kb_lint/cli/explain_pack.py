"""``kb-lint explain`` of what a pack declares besides its rules: a procedure (its steps, in the
article's numbering, with what each asks of the timeline and leaves if broken), a decision table
(its inputs and rows), and the assumptions that decide a rule, as plain text for a terminal.

The numbering is the procedure's own (``Procedure.place``), the assumptions those whose
``decides:`` names the rule, its table's rows or its procedures' steps (``deciding``,
``table_assumptions``): what the site's pages and each finding's ``why`` say, in words.
"""

from __future__ import annotations

import textwrap
from typing import Any

from kb_lint.docs.origins import table_assumptions
from kb_lint.pack.claims import deciding, deciding_cases
from kb_lint.pack.model import (
    Assumption,
    DecisionTable,
    Procedure,
    Row,
    Rule,
    RulePack,
    Step,
    Value,
)

WIDTH = 88
INDENT = "      "  # under a step or a row


def procedure_text(procedure: Procedure, pack: RulePack, assumptions: bool = True) -> str:
    """A procedure: its change, when it applies, the rules that check it, each step and (with
    ``assumptions``) the assumptions that decide its steps."""
    users = [r.id for r in pack.rules if procedure.id in r.procedures]
    change = (
        "a move of a user between two bindings"
        if procedure.change == "move"
        else (f"an event of {procedure.trigger.action}")
    )
    head = f"{procedure.id}: {procedure.title}\nprocedure, pack {pack.id}"
    facts = [f"The change: {change}."]
    if procedure.cites is not None:
        facts.append(f"From: {procedure.cites.words}.")
    if procedure.applies is not None:
        facts.append(f"When: {(procedure.says or procedure.applies.source).rstrip('.')}.")
    facts.append(f"Checked by: {', '.join(users)}." if users else "Checked by no rule.")
    parts = [head, _para(" ".join(facts)), "Steps, in order" + _orders(procedure) + ":"]
    parts.append("\n".join(_step(pack, procedure, step) for step in procedure.steps))
    decided = _by_id(pack, _step_assumptions(pack, procedure)) if assumptions else []
    if decided:
        parts.append(assumption_lines(decided))
    return "\n\n".join(parts) + "\n"


def table_text(table: DecisionTable, pack: RulePack) -> str:
    """A decision table: its subject, what it encodes, the rules it decides, inputs, rows."""
    users = [r.id for r in pack.rules if r.predict == table.id]
    users += [
        f"{p.id} {p.place(s)}"
        for p in pack.procedures.values()
        for s in p.steps
        if s.residue_table == table.id
    ]
    head = f"{table.id}: {table.title}\ndecision table, pack {pack.id}"
    subject = "group of bindings that share a key" if table.subject == "group" else table.subject
    facts = [f"Judges one {subject}; hit policy {table.hit_policy}."]
    if table.cites is not None:
        facts.append(f"Encodes: {table.cites.words}.")
    facts.append(f"Decides: {', '.join(users)}." if users else "Decides no rule's outcome.")
    inputs = [
        _wrap(
            f"{i.name}: {i.says or (i.expr.source if i.expr else i.label)} "
            f"({', '.join(_shown(v) for v in i.values)})",
            "  ",
            INDENT,
        )
        for i in table.inputs
    ]
    rows = [_row(pack, table, row) for row in table.rows]
    parts = [head, _para(" ".join(facts)), "Inputs:\n" + "\n".join(inputs)]
    parts.append("Rows:\n" + "\n".join(rows))
    decided = table_assumptions(pack, table)
    if decided:
        parts.append(assumption_lines(decided))
    return "\n\n".join(parts) + "\n"


def rule_assumptions(rule: Rule, pack: RulePack) -> list[Assumption]:
    """The assumptions that decide the rule: named by it, by its table's rows, or by its
    procedures' steps (and their tables), in the pack's order."""
    ids = set(deciding(pack, "rules", rule.id))
    tables = {rule.predict} if rule.predict is not None else set()
    for procedure in (pack.procedures[p] for p in rule.procedures):
        ids |= _step_assumptions(pack, procedure)
        tables |= {s.residue_table for s in procedure.steps if s.residue_table is not None}
    for table in sorted(t for t in tables if t is not None):
        ids |= {a.id for a in table_assumptions(pack, pack.tables[table])}
    return _by_id(pack, ids)


def assumption_lines(assumptions: list[Assumption]) -> str:
    """The assumptions under a rule: id and title, one a line."""
    return "Assumptions:\n" + "\n".join(_assumption(a) for a in assumptions)


def _orders(procedure: Procedure) -> str:
    """What the places say of the order: bullets in any order, parts in the order written."""
    places = [procedure.place(s) for s in procedure.steps]
    said = []
    if any("bullet" in p for p in places):
        said.append("the bullets of one step in any order")
    if any(s.part for s in procedure.steps):
        said.append("the parts of one step (2a, 2b) in the order written")
    return f" ({'; '.join(said)})" if said else ""


def _step(pack: RulePack, procedure: Procedure, step: Step) -> str:
    """One step: its place and text, then what does it, when it is done already, when it is
    part of the change, and what leaving it out leaves."""
    if step is procedure.trigger:
        done = f"the change: {step.action}{_where(step)}"
    else:
        when = "after the change" if step in procedure.after else "before the change"
        done = f"done by: {step.action}{_where(step)}, {when}"
    said = [done]
    if step.each is not None:
        said.append(f"one element of its event's {step.each} at a time")
    if step.covers:
        said.append(f"removes: {', '.join(sorted(step.covers))}")
    if step.done is not None:
        said.append(f"already done when: {step.done.source}")
    if step.applies is not None:
        said.append(f"part of the change when: {step.applies.source}")
    if step.residue or step.residue_table:
        said.append(f"if broken: {_left(pack, step)}")
    if step.cites:
        said.append(f"cites: {'; '.join(c.words for c in step.cites)}")
    decided = deciding(pack, procedure.id, step.id)
    if decided:
        said.append(f"decided by: assumption {', '.join(decided)}")
    head = _wrap(f"{procedure.place(step).capitalize()}. {step.text.strip()}", "  ", "    ")
    return "\n".join([head, *(_wrap(line, INDENT, INDENT + "  ") for line in said)])


def _where(step: Step) -> str:
    return f" where {step.match.source}" if step.match is not None else ""


def _left(pack: RulePack, step: Step) -> str:
    """What leaving the step out predicts: each residue field, in words, or its table."""
    said = [f"as table {step.residue_table} predicts"] if step.residue_table else []
    for name, value in step.residue.items():
        spec = pack.outcomes[name]
        said.append(f"{spec.heading}: {_value(value, step.says.get(name))}")
    return "; ".join(said)


def _row(pack: RulePack, table: DecisionTable, row: Row) -> str:
    """A row: its conditions, the outcomes it gives, and what it rests on."""
    when = (
        ", ".join(
            f"{name}={'/'.join(_shown(v) for v in values)}" for name, values in row.when.items()
        )
        or "any case"
    )
    then = (
        "; ".join(
            f"{pack.outcomes[name].heading}: {_value(value, row.says.get(name))}"
            for name, value in row.then.items()
        )
        or "the outcomes' defaults"
    )
    basis = [row.cites.words] if row.cites is not None else []
    basis += [f"assumption {a}" for a in deciding(pack, table.id, row.number)]
    basis += [  # an assumption that decides one case of the row
        f"assumption {a} for "
        + ", ".join(f"{k}={'/'.join(_shown(v) for v in vs)}" for k, vs in given.items())
        for a, given in deciding_cases(pack, table.id, row.number)
    ]
    rests = f" ({'; '.join(basis)})" if basis else ""
    return _wrap(f"{row.number}. {when} -> {then}{rests}", "  ", INDENT)


def _value(value: Value, says: str | None) -> str:
    if value.expr is not None:
        return says or value.expr.source
    return _shown(value.literal)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) if value else "none"
    return "-" if value is None else str(value)


def _step_assumptions(pack: RulePack, procedure: Procedure) -> set[str]:
    return {a for step in procedure.steps for a in deciding(pack, procedure.id, step.id)}


def _by_id(pack: RulePack, ids: set[str]) -> list[Assumption]:
    return [a for a in pack.assumptions if a.id in ids]


def _assumption(assumption: Assumption) -> str:
    return _wrap(f"{assumption.id}: {assumption.title}", "  ", "    ")


def _para(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, break_on_hyphens=False)


def _wrap(text: str, first: str, rest: str) -> str:
    """``text`` wrapped for a terminal, its first line indented by ``first``, the rest by
    ``rest``."""
    return textwrap.fill(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )
