"""A list of flat records (a policy's million users) checked in bulk, at C speed: each column
at once (types and enum values as sets, addresses as one joined text translated as bytes),
instead of a closure per value. A list the test cannot pass is checked item by item, for the
exact message. What the test read is kept for the model (``Read``, by the list's id).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from kb_lint.load.schema_checks import EMAIL, TYPES, type_names


@dataclass(frozen=True)
class Read:
    """What the bulk check of a list of flat records read (``bulk_check``), kept in the
    document for the model, so that a million users are read once: the list, the column of
    each required key, whether each record held those keys alone (before the defaults were
    filled in), and, of the keys of text, those whose every value holds no white space (nor any
    other invisible character) and those whose every value is in lower case: told from the
    values' joined text that the check made, so that the model need not join them again."""

    records: list[Any]
    columns: dict[str, list[Any]]
    only_required: bool
    bare: frozenset[str]
    lower: frozenset[str]


READ: ContextVar[dict[int, Read] | None] = ContextVar("bulk_read", default=None)
# The members of the mappings of long lists the parser counted (``Document.counted``), by id.
COUNTED: ContextVar[dict[int, int] | None] = ContextVar("counted_members", default=None)


def bulk_check(schema: dict[str, Any]) -> Callable[[list[Any]], bool] | None:
    """A C-speed test that a list is made of valid flat records, when the item schema (its
    ``$ref`` resolved) is one:
    a closed mapping of plain values, each typed or one of an ``enum`` of scalars, whose
    defaults are scalars (filled in where a record leaves them out). A list that fails the
    test is checked item by item, for the exact message."""
    props = schema.get("properties", {})
    plain = {"type", "enum", "default", "format", "description", "title"}
    if schema.get("additionalProperties") is not False or not props:
        return None
    if not set(schema.get("required", [])) <= props.keys():
        return None
    emails = [k for k, p in props.items() if p.get("format") == "email"]
    if any(set(p) - plain or not {"type", "enum"} & p.keys() for p in props.values()):
        return None
    if any(p.get("format", "email") != "email" for p in props.values()):
        return None
    if any(isinstance(p.get("default"), list | dict) for p in props.values()):
        return None
    if any(isinstance(v, list | dict) for p in props.values() for v in p.get("enum", ())):
        return None
    names = frozenset(props)
    required = list(dict.fromkeys(schema.get("required", [])))
    optional = [k for k in props if k not in required]
    types = {
        k: {t for n in type_names(p["type"]) for t in TYPES[n]}
        for k, p in props.items()
        if "type" in p
    }
    enums = {k: {(type(v), v) for v in p["enum"]} for k, p in props.items() if "enum" in p}
    defaults = {k: p["default"] for k, p in props.items() if "default" in p}
    # A required key of text alone: its values are joined (the join refuses any other type)
    # and made a list only when the joined addresses cannot be told valid in bulk.
    texts = [k for k in required if types.get(k) == {str} and k not in enums]

    def valid(value: list[Any]) -> bool:
        counted = COUNTED.get()  # the parser's count of the records' members, taken once
        members = counted.pop(id(value), None) if counted else None
        try:  # mappings only; their sizes tell whether any holds more than the required
            sizes = set(map(dict.__len__, value)) if members is None else set()
            read = {key: list(map(itemgetter(key), value)) for key in required}
            joined = {key: "\n".join(read[key]) for key in texts}
        except (TypeError, KeyError):
            return False
        columns = {key: column for key, column in read.items() if key not in joined}
        # each record holds the required keys (read): those alone when the members add up
        more = sizes - {len(required)} if members is None else members != len(required) * len(value)
        if more:  # some record holds an optional or unknown key
            if not all(map(names.issuperset, value)):
                return False
            for key in optional:
                columns[key] = list(map(dict.get, value, repeat(key), repeat(_MISSING)))
        for key, column in columns.items():
            kinds = set(map(type, column))
            if not _typed(column, kinds, types.get(key), enums.get(key)):
                return False
            if key in emails and not _emails(column, kinds == {str}):
                return False
        kept = READ.get()
        bare, lower = set(), set()
        for key, lines in joined.items():
            if key not in emails and kept is None:
                continue
            # the text as bytes, made once and let go at once (one such copy at a time)
            octets = _ascii(lines)
            if key in emails:
                if _joined_emails(lines, octets, len(value)):
                    bare.add(key)
                elif not _emails(read[key], True):
                    return False
            elif _joined_bare(octets, len(value)):
                bare.add(key)
            if _lower(lines, octets):
                lower.add(key)
        for key, default in defaults.items():
            deque(map(dict.setdefault, value, repeat(key), repeat(default)), maxlen=0)
        if kept is not None:
            kept[id(value)] = Read(value, read, not more, frozenset(bare), frozenset(lower))
        return True

    return valid


def _typed(
    column: list[Any], kinds: set[type], types: set[type] | None, members: set[Any] | None
) -> bool:
    """Every value of ``column`` (of the types ``kinds``) that is there is of one of ``types``
    and one of the enum's ``members`` (as ``(type, value)``: 1 is not true), when the schema
    says either."""
    kinds = kinds - {_Missing}
    if types is not None and not kinds <= types:
        return False
    if members is None:
        return True
    if kinds <= {str}:
        seen = set(zip(repeat(str), set(column)))
    else:
        try:
            seen = {(type(v), v) for v in column}
        except TypeError:  # an unhashable value: checked item by item
            return False
    seen.discard((_Missing, _MISSING))
    seen.discard((str, _MISSING))
    return seen <= members


def _emails(column: list[Any], text_only: bool) -> bool:
    """Every string of ``column`` (of strings only, when ``text_only``) is an address once
    trimmed, or empty (``_email_check``). In bulk, when no string holds a space or an
    unprintable character (a superset of what an address may not hold) and each holds one
    ``@`` with text either side; else one by one."""
    if text_only and all(column):
        given = column
    else:
        given = list(filter(None, compress(column, map(isinstance, column, repeat(str)))))
    if not given:
        return True
    lines = "\n".join(given)
    if _joined_emails(lines, _ascii(lines), len(given)):
        return True
    ends = lines.startswith("@") or lines.endswith("@") or "\n@" in lines or "@\n" in lines
    if not ends and not lines.isascii():
        text = "".join(given)
        if text.isprintable() and " " not in text:
            return set(map(str.count, given, repeat("@"))) <= {1}
    return all(map(EMAIL.fullmatch, filter(None, map(str.strip, given))))


def _ascii(text: str) -> bytes | None:
    """``text`` as bytes when it is ASCII (known at once: a str knows its kind), else None."""
    return text.encode("ascii") if text.isascii() else None


def _joined_emails(lines: str, octets: bytes | None, count: int) -> bool:
    """``count`` strings joined by line breaks into ``lines`` (``octets``: the same as bytes,
    when ASCII) are each an address: told at C speed, as bytes, when the text is ASCII with
    no space or control character but the breaks and each string holds one ``@`` with text
    either side. False when it cannot be told so (the strings are then judged one by one)."""
    if octets is None or lines.startswith("@") or lines.endswith("@"):
        return False
    if "\n@" in lines or "@\n" in lines:
        return False
    # One translation keeps the ``@`` and every invisible byte: the breaks between the strings
    # must be all that is left of the invisible ones, each string leaving one ``@`` between.
    return octets.translate(None, _VISIBLE_BUT_AT) == b"@\n" * (count - 1) + b"@"


def _joined_bare(octets: bytes | None, count: int) -> bool:
    """``count`` strings joined by line breaks, as bytes when ASCII (``octets``; else None: not
    told), hold no white space, nor any other invisible character: the line breaks must be all
    that is left once the visible bytes are taken out."""
    return octets is not None and octets.translate(None, _VISIBLE_BYTES) == b"\n" * (count - 1)


def _lower(text: str, octets: bytes | None) -> bool:
    """Lower case leaves ``text`` as it is: of ASCII (``octets``, its bytes), it holds no capital
    (the capitals taken out of it, no copy of its size made); else compared with its lower
    case."""
    if octets is None:
        return text.lower() == text
    return not octets.translate(None, _BUT_CAPITALS)


_ASCII_INVISIBLE = bytes(range(0x21)) + b"\x7f"  # controls and the space
_VISIBLE_BYTES = bytes(sorted(set(range(256)) - set(_ASCII_INVISIBLE)))
_VISIBLE_BUT_AT = bytes(sorted(set(_VISIBLE_BYTES) - set(b"@")))
_BUT_CAPITALS = bytes(sorted(set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")))


class _Missing:
    """The type of what ``dict.get`` gives for a key that is not there."""


_MISSING = _Missing()
