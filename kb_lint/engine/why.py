"""Why a finding predicts what it predicts, in words and as ids.

For a decision table: the row each overlap matched (one per partition value, rows shared by
several data types said once), each input in words with the values it was read from
("Category names: different (My Sync (Cloud), My Sync (On-Premise))"), the article item the row
cites and the assumptions that say they decide it (``decides``). Cost: one evaluation of the
table's inputs per partition value, for the findings only.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from kb_lint.engine.outcome import decided, signed
from kb_lint.pack.claims import deciding
from kb_lint.pack.model import DecisionTable, Input, Procedure, Row, Rule, RulePack, Step


def explain_table(
    pack: RulePack,
    table: DecisionTable,
    bindings: Any,
    rule: str = "",
    parts: list[tuple[Any, Any, Any]] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """``(words, ids)`` for the rows the overlap of ``bindings`` (or the one subject, for a
    table whose subject is not a group) matched in ``table``; when no
    two bindings share a partition value, that, and the assumptions that decide ``rule``.
    ``parts``: ``signed(table, bindings)``, when the caller has it."""
    matched: dict[int, tuple[Row, dict[str, Any], list[dict[str, Any]], list[str]]] = {}
    for part, value, signature in signed(table, bindings) if parts is None else parts:
        row, facts = decided(table, part, signature)
        entry = matched.setdefault(row.number, (row, facts, part, []))
        if value is not None:
            entry[3].append(value)
    if not matched:
        basis = [f"assumption {a}" for a in deciding(pack, "rules", rule)]
        words = f"no two of them sync the same {table.partition or 'thing'}: no row of "
        words += f"'{table.id}' applies" + (f" ({', '.join(basis)})" if basis else "")
        return words, tuple(basis)
    words, ids = [], []
    for row, facts, part, values in matched.values():
        group = part if table.subject == "group" else [part]
        inputs = "; ".join(
            _input_words(pack, spec, facts[spec.name], group, table.subject == "group")
            for spec in table.inputs
        )
        scope = f" for {', '.join(values)}" if values else ""
        basis = _basis(pack, table, row, facts)
        cited = f" ({', '.join(basis)})" if basis else ""
        words.append(f"row {row.number} of '{table.id}'{scope}: {inputs}{cited}")
        ids += [f"{table.id}/{row.number}", *basis]
    return "; ".join(words), tuple(dict.fromkeys(ids))


def explain_rule(pack: RulePack, rule: Rule) -> tuple[str, tuple[str, ...]]:
    """``(words, ids)`` for a rule's fixed outcome: its own ``why``, the article items it cites
    and the assumptions that say they decide it (``decides: {rules: [...]}``)."""
    basis = [_item(c.section, c.item) for c in rule.cites if c.item] + [
        f"assumption {a}" for a in deciding(pack, "rules", rule.id)
    ]
    words = " ".join(rule.why.split())
    if not words or not basis:  # a rule without ``why``: its basis alone, not "( ...)"
        return words or ", ".join(basis), tuple(basis)
    return f"{words} ({', '.join(basis)})", tuple(basis)


def step_basis(pack: RulePack, procedure: Procedure, step: Step) -> tuple[str, ...]:
    """The ids a broken step's finding rests on: the step, the article step it is (or is a
    bullet of) and the assumptions that say they decide its residue."""
    cites = procedure.cites
    own = cites is not None and procedure.own_step(step)
    article = [f"article § {cites.section}, step {step.item}"] if cites and own else []
    # an item of another section (the Expected Challenge the step prevents): said as one
    article += [_item(c.section, c.item) for c in procedure.elsewhere(step) if c.item]
    basis = article + [f"assumption {a}" for a in deciding(pack, procedure.id, step.id)]
    return (f"{procedure.id}/{step.id}", *basis)


SHOWN = 5  # values of one field an input's words name; the rest are counted


def _input_words(
    pack: RulePack, spec: Input, fact: Any, part: list[dict[str, Any]], group: bool
) -> str:
    """An input's value for the subject, and the values it read: each field's distinct values,
    the first ``SHOWN`` of them named and the others counted (a group of 200 users reads as
    five addresses "and 195 more", not as 200), the fields in the order the expression first
    names them (its operands' order: ``max(bindings.seats) < len(bindings.email)`` reads the
    seats, then the users); of a record, the keys read (``before.riva_version``: the release,
    not the whole record). An input reading another table shows that table's row, and
    what the row rests on (its article item, the assumptions that decide it or its case)."""
    if spec.table is not None:  # another table's outcome: the row of it the subject matched
        row, facts = decided(spec.table, part[0])
        basis = ", ".join(_basis(pack, spec.table, row, facts))
        said = f": {basis}" if basis else ""
        return f"{spec.label}: {_fact(fact)} (row {row.number} of '{spec.table.id}'{said})"
    assert spec.expr is not None
    if group:  # each binding's fields, by key
        keys = _in_order(spec.expr.source, spec.expr.keys or frozenset())
        paths: tuple[tuple[str, ...], ...] = tuple((key,) for key in keys)
    else:  # the subject's fields and the keys read into them: before.riva_version
        paths = spec.expr.paths
    shown = []
    for path in paths:
        values = [str(v) for v in dict.fromkeys(_flat(_at(e, path)) for e in part)]
        more = len(values) - SHOWN
        shown += values[:SHOWN] + ([f"and {more} more"] if more > 0 else [])
    read = f" ({', '.join(shown)})" if shown else ""
    return f"{spec.label}: {_fact(fact)}{read}"


def _at(record: Any, path: tuple[str, ...]) -> Any:
    """The value ``path`` reads from ``record``: a key of a mapping, each element's key of a
    list (as ``.`` reads it), null past a null."""
    for key in path:
        if isinstance(record, dict):
            record = record.get(key)
        elif isinstance(record, list):
            record = [e.get(key) if isinstance(e, dict) else None for e in record]
        else:
            return None
    return record


@cache
def _in_order(source: str, names: frozenset[str]) -> tuple[str, ...]:
    """``names`` in the order ``source`` first writes each as a whole word (one it does not
    write, after them, by name); found once per expression and names."""

    def first(name: str) -> tuple[int, str]:
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", source)
        return (found.start() if found else len(source), name)

    return tuple(sorted(names, key=first))


def _fact(value: Any) -> Any:
    """An input's value in words: yes or no, not Python's True or False."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not given" if value is None else value


def _flat(value: Any) -> Any:
    """A field's value in words: on or off, "not given" for null, a list joined."""
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return value


def _basis(pack: RulePack, table: DecisionTable, row: Row, facts: dict[str, Any]) -> list[str]:
    """The article item a row cites (its own, else its table's, which it inherits) and the
    assumptions that say they decide it, or the case of it that ``facts`` is."""
    cites = row.cites or table.cites
    article = [_item(cites.section, cites.item)] if cites and cites.item else []
    return article + [f"assumption {a}" for a in deciding(pack, table.id, row.number, facts)]


def _item(section: str | None, item: int) -> str:
    """An item of the article, named with its section so that it is never read as a step of
    a procedure: "article § expected-challenges, item 2"."""
    return f"article § {section}, item {item}" if section else f"article, item {item}"
