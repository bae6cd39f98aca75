"""What a rule reads from the rest of its pack: the definitions of the pack's own that decide
what the rule does, by section and name.

- ``fields``: the pack's fields its expressions (and its table's and procedures') read by name
  or key, its ``key``, ``distinct`` and ``each``, and the fields their ``default_from`` reads in
  turn; an expression that computes a key reads every field;
- ``actions``: those its pattern's and procedures' steps name, and those that ``set`` a field
  it reads (a check rule judges the state they leave);
- ``outcomes``: the outcome fields it, its table or its procedures' residues predict;
- ``tables`` and ``procedures``: the table it predicts by, the procedures it names and the
  tables their residues predict by, with the tables their inputs read;
- ``assumptions``: those whose ``decides`` names the rule, or one of those tables or
  procedures;
- ``refined``: the fields of other packs that the fields it reads ``refines``
  (``KB1508 instance.plan``): a deployment's value of the finer field gives the coarser its
  case, so the coarser field's definition is part of what the rule means; and those they
  ``extends`` (``KB22 event.reinit_type``), whose values are the field's too.

A rule's version fingerprint covers them (``kb_lint.review.versions``) and ``rules diff`` names
the ones that changed (``kb_lint.review.diff``). Cost: one pass over the rule's expressions and
the pack's definitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kb_lint.expr import Expr
from kb_lint.model.fields import Vocabulary
from kb_lint.pack.model import Procedure, Rule, RulePack

SECTIONS = ("fields", "actions", "outcomes", "tables", "procedures", "assumptions", "refined")


def rule_reads(rule: Rule, pack: RulePack) -> dict[str, tuple[str, ...]]:
    """Each section's names the rule reads, in the pack's order."""
    procedures = [pack.procedures[p] for p in rule.procedures if p in pack.procedures]
    tables = [rule.predict] if rule.predict in pack.tables else []
    tables += [s.residue_table for p in procedures for s in p.steps if s.residue_table]
    tables = list(dict.fromkeys(t for t in tables if t in pack.tables))
    expressions = rule.expressions() + _procedure_expressions(procedures)
    for table in tables:
        expressions += pack.tables[table].expressions()  # with those of the tables it reads
    read = [t for table in tables for t in pack.tables[table].read_tables()]
    fields = _fields(pack, expressions, {*rule.key, rule.distinct, rule.each} - {None})
    named = {s.action for s in rule.pattern_steps()}
    named |= {s.action for p in procedures for s in p.steps}
    actions = [a.name for a in pack.actions if a.name in named or set(a.sets) & set(fields)]
    predicted = set(rule.outcome or {})
    predicted |= {n for t in tables for row in pack.tables[t].rows for n in row.then}
    predicted |= {n for p in procedures for s in p.steps for n in s.residue}
    decided = {"rules": {rule.id}, **{t: None for t in tables}, **{p.id: None for p in procedures}}
    assumptions = [
        a.id
        for a, raw in zip(pack.assumptions, pack.data.get("assumptions", []), strict=True)
        if any(
            section in decided and (decided[section] is None or rule.id in keys)
            for section, keys in raw.get("decides", {}).items()
        )
    ]
    return {
        "fields": fields,
        "actions": tuple(actions),
        "outcomes": tuple(n for n in pack.outcomes if n in predicted),
        "tables": tuple(dict.fromkeys([*tables, *read])),
        "procedures": tuple(p.id for p in procedures),
        "assumptions": tuple(assumptions),
        "refined": tuple(
            f"{f.refines.pack} {f.scope}.{f.refines.field}"
            if f.refines is not None
            else f"{f.extends} {f.scope}.{f.name}"
            for f in pack.fields
            if f.name in fields and (f.refines is not None or f.extends)
        ),
    }


def _procedure_expressions(procedures: list[Procedure]) -> list[Expr]:
    found = [p.applies for p in procedures]
    for procedure in procedures:
        for step in procedure.steps:
            found += [step.match, step.done, step.applies]
            found += [v.expr for v in step.residue.values()]
    return [e for e in found if e is not None]


def _fields(pack: RulePack, expressions: list[Expr], named: set[str]) -> tuple[str, ...]:
    """The pack's fields the expressions read, with those their ``default_from`` reads. A
    field named whole is read as it is; a record or list of records (``bindings``, a step)
    used whole may be read at any key: every field."""
    vocabulary = Vocabulary.of(pack.fields, pack.actions)
    known = {*vocabulary.binding_fields(), *vocabulary.event_fields()}
    everything = any(e.keys is None and not e.names <= known for e in expressions)
    read = set(named)
    for expr in expressions:
        read |= expr.names | (expr.keys or frozenset())
    declared = {f.name: f for f in pack.fields}
    if everything:
        read |= set(declared)
    todo = [n for n in read if n in declared]
    while todo:
        field = declared[todo.pop()]
        if field.default_from is not None:
            more = (field.default_from.names | (field.default_from.keys or frozenset())) - read
            read |= more
            todo += [n for n in more if n in declared]
    return tuple(f.name for f in pack.fields if f.name in read)


# How a section's definitions are named in words (``rules diff``, messages).
WORDS = {
    "fields": "field",
    "actions": "action",
    "outcomes": "outcome field",
    "tables": "decision table",
    "procedures": "procedure",
    "assumptions": "assumption",
    "refined": "refined field",
}


def definitions(
    rule: Rule, pack: RulePack, beside: Iterable[RulePack] = ()
) -> dict[str, dict[str, Any]]:
    """The pack's definitions the rule reads, as the pack file writes them: by section, each
    by name (a field as ``record.name``); a refined field as the pack of ``beside`` that
    declares it writes it, or None when that pack is not among them (``unloaded``)."""
    reads = rule_reads(rule, pack)
    others = {other.id: other.data for other in beside}
    data = pack.data
    found: dict[str, dict[str, Any]] = {
        "fields": {
            f"{record}.{name}": spec
            for record, named in data.get("fields", {}).items()
            for name, spec in named.items()
            if name in reads["fields"]
        },
        "actions": {a["name"]: a for a in data.get("actions", []) if a["name"] in reads["actions"]},
        "outcomes": {n: data["outcomes"][n] for n in reads["outcomes"]},
    }
    for section in ("tables", "procedures", "assumptions"):
        found[section] = {e["id"]: e for e in data.get(section, []) if e["id"] in reads[section]}
    found["refined"] = {}
    for name in reads["refined"]:
        other, _, field = name.partition(" ")
        record, _, key = field.partition(".")
        fields = others.get(other, {}).get("fields", {})
        found["refined"][name] = fields.get(record, {}).get(key)
    return found


def unloaded(found: dict[str, dict[str, Any]]) -> list[str]:
    """The refined fields of ``definitions`` whose packs were not loaded beside the rule's."""
    return [name for name, spec in found["refined"].items() if spec is None]
