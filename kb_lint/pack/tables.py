"""A pack's decision tables: inputs over the table's subject, rows, and what the table reads.

Each input and cell is compiled against the table's subject (``subject:``: a group's
``bindings``, or one policy, instance, binding or event by its fields); every error is at its
place in the pack. ``reads`` lets one subject's prediction serve every subject that agrees on
the fields read. Cost: one pass over the inputs and rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb_lint.errors import did_you_mean, not_a_value
from kb_lint.expr.shapes import ListOf, Record, Scalar, Shape
from kb_lint.pack.model import DecisionTable, Input, Row, table_expressions

if TYPE_CHECKING:
    from kb_lint.load import Pointer
    from kb_lint.pack.load import PackCompiler
    from kb_lint.pack.scopes import Shapes


def compile_table(compiler: PackCompiler, pointer: Pointer, raw: dict[str, Any]) -> DecisionTable:
    subject = raw.get("subject", "group")
    names = compiler.table_names(subject)
    if "partition" in raw and subject != "group":
        raise compiler.fail(
            (*pointer, "partition"),
            f"'partition' splits a group of bindings; this table's subject is a {subject}",
        )
    if "partition" in raw and raw["partition"] not in compiler.binding.fields:
        hint = did_you_mean(raw["partition"], list(compiler.binding.fields))
        raise compiler.fail(
            (*pointer, "partition"), f"unknown binding field '{raw['partition']}'{hint}"
        )
    inputs = []
    for i, spec in enumerate(raw["inputs"]):
        ip = (*pointer, "inputs", i)
        if "table" in spec or "outcome" in spec:
            inputs.append(_table_input(compiler, ip, spec, subject))
            continue
        for key in ("expr", "values"):
            if key not in spec:
                message = (
                    f"an input has an `expr` and its `values`, or reads another table's outcome "
                    f"(`table` and `outcome`): '{key}' is missing"
                )
                raise compiler.fail(ip, message)
        expr = compiler.expr((*ip, "expr"), names)
        read = _enum_read(expr.shape)
        enum = read.values if read is not None else ()
        for j, value in enumerate(spec["values"]):
            if enum and value is not None and value not in enum:
                raise compiler.fail(
                    (*ip, "values", j),
                    not_a_value(value, read.field_name, enum),  # type: ignore[union-attr]
                )
        inputs.append(
            Input(
                spec["name"],
                spec.get("label", spec["name"]),
                expr,
                tuple(spec["values"]),
                compiler.loc(ip),
                spec.get("says", ""),
                enum,
            )
        )
    by_name = {i.name: i for i in inputs}
    rows = []
    for n, spec in enumerate(raw["rows"]):
        rp = (*pointer, "rows", n)
        when: dict[str, tuple[Any, ...]] = {}
        for name, allowed in spec["when"].items():
            if name not in by_name:
                raise compiler.fail(
                    (*rp, "when", name), f"unknown input '{name}'{did_you_mean(name, by_name)}"
                )
            allowed = tuple(allowed) if isinstance(allowed, list) else (allowed,)
            for value in allowed:
                if value not in by_name[name].values:
                    raise compiler.fail(
                        (*rp, "when", name),
                        not_a_value(value, f"input '{name}'", by_name[name].values),
                    )
            when[name] = allowed
        rows.append(
            Row(
                n + 1,
                when,
                compiler.outcome((*rp, "then"), spec["then"], names),
                compiler.loc(rp),
                compiler.part_cite(
                    f"table:{raw['id']}", (*rp, "cites"), raw.get("cites", {}), spec.get("cites")
                ),
                spec.get("note", ""),
                compiler.says((*rp, "says"), spec.get("says", {}), spec["then"]),
            )
        )
    cites = raw.get("cites")
    return DecisionTable(
        id=raw["id"],
        title=raw["title"],
        hit_policy=raw["hit_policy"],
        inputs=tuple(inputs),
        rows=tuple(rows),
        location=compiler.loc(pointer),
        partition=raw.get("partition"),
        cites=compiler.cite(f"table:{raw['id']}", (*pointer, "cites"), cites),
        reads=_reads(raw, inputs, rows, names),
        subject=subject,
    )


def _enum_read(shape: Shape) -> Scalar | None:
    """The enum field an input's expression gives as it is (``handling``,
    ``before.instance_kind``; a list of them, each element one, ``exceptions.handling``)."""
    item = shape.item if isinstance(shape, ListOf) else shape
    return item if isinstance(item, Scalar) and item.values else None


# What a table of each subject may read another table of: the same subject, or one whose fields
# it sees (a binding sees its policy's and instance's, a policy its instance's).
READABLE = {
    "binding": ("binding", "policy", "instance"),
    "policy": ("policy", "instance"),
    "instance": ("instance",),
    "event": ("event",),
}

A = {"binding": "a binding", "policy": "a policy", "instance": "an instance", "event": "an event"}


def _table_input(compiler: PackCompiler, ip: Pointer, spec: dict[str, Any], subject: str) -> Input:
    """An input that reads another table's outcome for the same subject: its values are those
    the other table's rows can give (a literal cell, a computed boolean or enum cell's every
    value, the outcome's default where a row gives none)."""
    for key in ("table", "outcome"):
        if key not in spec:
            message = (
                "an input that reads another table names its `table` and its `outcome`: "
                f"'{key}' is missing"
            )
            raise compiler.fail(ip, message)
    for key in ("expr", "values"):
        if key in spec:
            message = (
                f"an input reads another table's outcome or an expression, not both: its values "
                f"are those table '{spec['table']}' gives; leave '{key}' out"
            )
            raise compiler.fail((*ip, key), message)
    if subject not in READABLE:
        message = "a group table's input reads its bindings (`expr`), not another table"
        raise compiler.fail((*ip, "table"), message)
    other = compiler.table_of((*ip, "table"), spec["table"])
    if other.subject not in READABLE[subject]:
        message = (
            f"table '{other.id}' is about one {other.subject}; a table about {A[subject]} reads "
            f"a table about {' or '.join(A[s] for s in READABLE[subject])}"
        )
        raise compiler.fail((*ip, "table"), message)
    name = spec["outcome"]
    field = compiler.outcomes.get(name)
    if field is None:
        hint = did_you_mean(name, list(compiler.outcomes))
        raise compiler.fail((*ip, "outcome"), f"unknown outcome '{name}'{hint}")
    if field.type == "list":
        message = f"outcome '{name}' is a list; an input reads one value (a boolean, enum, ...)"
        raise compiler.fail((*ip, "outcome"), message)
    values: list[Any] = []
    for row in other.rows:
        cell = row.then.get(name)
        if cell is None:
            values.append(field.default)
        elif cell.expr is None:
            values.append(cell.literal)
        elif field.type in ("boolean", "enum"):
            values += [True, False] if field.type == "boolean" else field.values
        else:
            message = (
                f"row {row.number} of '{other.id}' computes '{name}' (a {field.type}): the "
                "values this input can take cannot be listed"
            )
            raise compiler.fail((*ip, "outcome"), message)
    return Input(
        spec["name"],
        spec.get("label", spec["name"]),
        None,
        tuple(dict.fromkeys(values)),
        compiler.loc(ip),
        spec.get("says", ""),
        table=other,
        outcome=name,
        default=field.default,
    )


def _reads(
    raw: dict[str, Any], inputs: list[Input], rows: list[Row], names: Shapes
) -> tuple[str, ...] | None:
    """Every field a table reads (of each binding of a group, or of its one subject), or None
    when that is unknown: one of its expressions computes a key, or reads a whole record."""
    exprs = table_expressions(inputs, rows)
    if raw.get("subject", "group") != "group":
        read = set().union(*(e.names for e in exprs))
        if any(isinstance(names[n], Record) for n in read):
            return None
        return tuple(sorted(read))
    if any(e.keys is None for e in exprs):
        return None
    fields = set().union(*(e.keys for e in exprs))
    if "partition" in raw:
        fields.add(raw["partition"])
    return tuple(sorted(fields))
