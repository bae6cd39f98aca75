"""Shapes: what a name holds, known before any deployment is read, so that every key an
expression reads is checked when the pack loads.

A shape is a scalar kind (``string``, ``number``, ``boolean``, ``version``, ``null``; a string
of an enum field carries the field's values, so that a literal compared with it is checked), a
``Record`` with named fields (a binding, an event), a ``ListOf`` one shape, or ``ANY`` (a value
whose shape the checker cannot follow: a conditional whose branches differ, say). Reading a key
is allowed only from a record, or a list of records, that has it; a key must be written
literally (``b.category`` or ``b["category"]``), so no computed key gets past the check. The
check costs one pass over the expression as it is parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb_lint.errors import did_you_mean, not_a_value


@dataclass(frozen=True)
class Record:
    """A mapping with known keys: ``name`` is how messages call it (``binding``, ``event``);
    ``hint(key)`` says where a key it lacks is declared (an event field of a pack not loaded)."""

    name: str
    fields: Mapping[str, Shape]
    hint: Callable[[str], str] | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.fields)))

    def __str__(self) -> str:
        return f"a {self.name}"

    def having(self, fields: Mapping[str, Shape]) -> Record:
        """The record with ``fields`` instead of its own, its name and hint kept."""
        return Record(self.name, fields, self.hint)


@dataclass(frozen=True)
class ListOf:
    item: Shape

    def __str__(self) -> str:
        return f"a list of {str(self.item).removeprefix('a ').removeprefix('an ')}s"


@dataclass(frozen=True)
class Scalar:
    """A value of one ``kind``; of an enum field (``field_name``), one of ``values``. Two
    scalars of one kind are equal whatever their values: the values only check literals."""

    kind: str
    values: tuple[Any, ...] = field(default=(), compare=False)
    field_name: str = field(default="", compare=False)
    # what to add to the message of a literal that is no value (where else it is one)
    hint: Callable[[str], str] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return "null" if self.kind == "null" else f"a {self.kind}"


Shape = Record | ListOf | Scalar
STRING, NUMBER, BOOLEAN, VERSION, NULL = map(
    Scalar, ("string", "number", "boolean", "version", "null")
)
ANY = Scalar("value")


def enum(
    field_name: str, values: tuple[Any, ...], hint: Callable[[str], str] | None = None
) -> Scalar:
    """The shape of a string field that holds one of ``values``; ``hint(literal)`` adds to
    the message of a literal that is not one."""
    return Scalar("string", tuple(values), field_name, hint)


def literal_error(shape: Shape, literal: str) -> str | None:
    """Why the string ``literal`` can never equal (or be an element of) a value of ``shape``:
    it is not a value of its enum field; ``None`` when it can."""
    if isinstance(shape, ListOf):
        shape = shape.item
    if not isinstance(shape, Scalar) or not shape.values or literal in shape.values:
        return None
    more = shape.hint(literal) if shape.hint is not None else ""
    return not_a_value(literal, shape.field_name, shape.values) + more


class ShapeError(Exception):
    """A key read from a shape that cannot have it; the parser adds the position."""


def key_of(shape: Shape, key: str) -> Shape:
    """The shape of ``shape.key``; ``ShapeError`` when ``shape`` has no such key."""
    if isinstance(shape, ListOf) and isinstance(shape.item, Record):
        return ListOf(key_of(shape.item, key))
    if isinstance(shape, Record):
        if key not in shape.fields:
            declared = shape.hint(key) if shape.hint is not None else ""
            hint = declared or did_you_mean(key, list(shape.fields))
            raise ShapeError(f"unknown key '{key}' of {shape.name}{hint}")
        return shape.fields[key]
    if shape is ANY:
        raise ShapeError(f"cannot check key '{key}': the value may be anything here")
    raise ShapeError(f"'{key}' is read from {shape}, which has no keys")


def index_of(shape: Shape) -> Shape:
    """The shape of one element of ``shape`` read by position."""
    if isinstance(shape, ListOf):
        return shape.item
    if isinstance(shape, Record):
        raise ShapeError(f'a key of {shape.name} must be written literally, as .key or ["key"]')
    return ANY


def element_of(shape: Shape) -> Shape:
    """The shape of each element a filter decides; ``ShapeError`` when ``shape`` is no list."""
    if isinstance(shape, ListOf):
        return shape.item
    if shape is ANY:
        return ANY
    raise ShapeError(f"a filter needs a list, got {shape}")


def common(shapes: list[Shape]) -> Shape:
    """The shape of a value that may be any of ``shapes``: theirs if they agree, else ANY."""
    first = shapes[0] if shapes else ANY
    known = [s for s in shapes if s != NULL]
    if known and all(s == known[0] for s in known):
        return known[0] if all(_values(s) == _values(known[0]) for s in known) else _plain(known[0])
    return first if all(s == first for s in shapes) else ANY


def _values(shape: Shape) -> tuple[Any, ...]:
    return shape.values if isinstance(shape, Scalar) else ()


def _plain(shape: Shape) -> Shape:
    """``shape`` without an enum's values: what it holds may be any string."""
    return Scalar(shape.kind) if isinstance(shape, Scalar) else shape


def item_of(shape: Shape) -> Shape:
    return shape.item if isinstance(shape, ListOf) else ANY


def result_of(function: str, args: list[Shape]) -> Shape:
    """What a function call gives, from what its arguments hold."""
    first = args[0] if args else ANY
    if function in ("len", "count", "sum", "days", "ceil", "floor", "round"):
        return NUMBER
    if function in ("any", "all", "startswith", "endswith", "contains"):
        return BOOLEAN
    if function in ("lower", "upper", "trim"):
        return STRING
    if function == "version":
        return VERSION
    if function in ("distinct", "sorted", "compact"):
        return first
    if function in ("min", "max"):
        return item_of(first)
    if function in ("union", "intersect", "flatten"):
        return ListOf(item_of(item_of(first)))
    return ANY


def sum_of(symbol: str, left: Shape, right: Shape) -> Shape:
    """The shape of ``left symbol right`` for an arithmetic or comparison operator."""
    if symbol in ("-", "*", "/"):
        return NUMBER
    if symbol == "+":
        return _plain(left) if left == right else ANY
    return BOOLEAN
