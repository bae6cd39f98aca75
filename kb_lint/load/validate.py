"""JSON Schema validation for the schemas kb-lint publishes, compiled once into closures.

It supports the part of JSON Schema those schemas use: ``type``, ``enum``, ``properties``,
``required``, ``additionalProperties``, ``minProperties``, ``items``, ``minItems``,
``minimum``, ``maximum``, ``pattern``, ``format`` (``date``, ``email``), ``anyOf``, ``default``
and ``$ref`` into ``#/$defs``, and the annotations ``ANNOTATIONS`` names. Any other keyword
(``const``, ``maxItems``, another ``format``) is refused as the schema is compiled: a schema a
user writes (a style rule's ``key-schema``) never holds a check that is silently skipped.
``validate`` returns the data with every default filled in, or raises one ``InputError`` at
the offending value (at the key, for an unknown key, with a did-you-mean). A list of flat
records, such as a policy's million users, is checked in bulk at C speed.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from kb_lint.errors import InputError, InputErrors, did_you_mean, not_a_value
from kb_lint.load.document import Document, Pointer
from kb_lint.load.patterns import Place, compile_pattern

Check = Callable[[Any, Pointer], Any]

TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "object": (dict,),
    "array": (list,),
}
WORDS = {"object": "mapping", "array": "list"}
KEYWORDS = frozenset(
    [
        "type",
        "enum",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "items",
        "minItems",
        "minimum",
        "maximum",
        "pattern",
        "format",
        "anyOf",
        "default",
        "$ref",
    ]
)
# Words for the reader and the schema's tools, which check nothing (``x-default-from``: a pack
# field's computed default, which the vocabulary reads).
ANNOTATIONS = frozenset(
    ["description", "title", "$comment", "examples", "$schema", "$id", "$defs", "x-default-from"]
)
FORMATS = ("date", "email")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_WORDS = "a date (YYYY-MM-DD)"
# A yes/no word quoted where a boolean is wanted: the spelling that is one.
BOOLEAN_WORDS = dict.fromkeys(("yes", "y", "on", "true"), "true") | dict.fromkeys(
    ("no", "n", "off", "false"), "false"
)


class SchemaError(Exception):
    """``text_wanted``: a string was wanted (one of these, when a set) and a plain value that
    reads as something else (YAML 1.1's ``NO``, ``off``, ``null``, ``1.0``) was given: the
    message says to quote it, when its text as written is such a string."""

    def __init__(
        self,
        pointer: Pointer,
        message: str,
        at_key: bool = False,
        text_wanted: bool | frozenset[str] = False,
    ) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message
        self.at_key = at_key
        self.text_wanted = text_wanted


class Validator:
    def __init__(self, check: Check) -> None:
        self.check = check

    def validate(self, doc: Document) -> Any:
        """``doc``'s data with defaults filled in; ``InputError`` where it breaks the schema.
        What bulk checks read is kept in ``doc.read``."""
        token = _READ.set(doc.read)
        try:
            return self.check(doc.data, ())
        except SchemaError as exc:
            raise _located(doc, exc) from None
        finally:
            _READ.reset(token)

    def validate_all(self, doc: Document) -> Any:
        """As ``validate``, but every value that breaks the schema is reported, in file order,
        in one ``InputErrors`` (a value inside a broken one is not checked further)."""
        found: list[SchemaError] = []
        token = _FOUND.set(found)
        try:
            data = self.check(doc.data, ())
        except SchemaError as exc:
            found.append(exc)
        finally:
            _FOUND.reset(token)
        if found:
            errors = sorted((_located(doc, e) for e in found), key=lambda e: (e.line, e.column))
            raise InputErrors(errors)
        return data


_FOUND: ContextVar[list[SchemaError] | None] = ContextVar("schema_errors", default=None)


@dataclass(frozen=True)
class Read:
    """What the bulk check of a list of flat records read (``Compiler.bulk``), kept in the
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


_READ: ContextVar[dict[int, Read] | None] = ContextVar("bulk_read", default=None)


def _reported(exc: SchemaError) -> None:
    """Keep ``exc`` when every error is wanted (``validate_all``); else raise it."""
    found = _FOUND.get()
    if found is None:
        raise exc
    found.append(exc)


def _located(doc: Document, exc: SchemaError) -> InputError:
    locate = doc.locate_key if exc.at_key else doc.locate
    line, column = locate(exc.pointer)
    message = exc.message + (
        _quote_hint(doc, exc.pointer, exc.text_wanted) if exc.text_wanted else ""
    )
    return InputError(doc.path, line, column, message)


def _quote_hint(doc: Document, pointer: Pointer, wanted: bool | frozenset[str]) -> str:
    """``(write "NO" in quotes ...)`` for a plain value the file meant as text."""
    span = doc.locator.span(pointer)
    written = doc.text[span[0] : span[1]].strip() if span else ""
    if not written or written[0] in "\"'[{" or "\n" in written:
        return ""
    if isinstance(wanted, frozenset) and written not in wanted:
        return ""
    return (
        f' (write "{written}" in quotes if you mean the text: unquoted, YAML reads it as a value)'
    )


def compile_schema(schema: dict[str, Any], where: Place = ("the schema", 0, 0)) -> Validator:
    """The schema compiled; ``where`` is its place in a user's file (its ``pattern``s run on
    RE2, see ``kb_lint.load.patterns``)."""
    return Validator(Compiler(schema, where).compile(schema, "the top level"))


def value_problem(schema: dict[str, Any], value: Any, name: str) -> str | None:
    """Why ``value`` is not one ``schema`` allows, worded as for a file's value named ``name``
    (a pack field's default reads as a deployment's value would); None when it is one."""
    try:
        Compiler(schema).compile(schema, name)(value, (name,))
    except SchemaError as exc:
        return exc.message
    return None


def describe(value: Any) -> str:
    """``value``'s type as a reader says it, with the value when it is short."""
    if value is None:
        return "null"
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kind |= {dict: "a mapping", list: "a list"}
    word = kind.get(type(value), type(value).__name__)
    if isinstance(value, str | int | float) and len(str(value)) <= 40:
        shown = f'"{value}"' if isinstance(value, str) else str(value).lower()
        return f"{word} ({shown})"
    return word


def named(pointer: Pointer) -> str:
    """How messages name the value at ``pointer``: its key, or its place in a list."""
    if not pointer:
        return "the file"
    last = pointer[-1]
    if isinstance(last, int):
        parent = f" of '{pointer[-2]}'" if len(pointer) > 1 else ""
        return f"item {last + 1}{parent}"
    return f"'{last}'"


class Compiler:
    def __init__(self, root: dict[str, Any], where: Place = ("the schema", 0, 0)) -> None:
        self.root = root
        self.where = where
        self.refs: dict[str, Check] = {}

    def compile(self, schema: dict[str, Any], noun: str) -> Check:
        _read_keywords(schema)
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        steps: list[Check] = []
        if "anyOf" in schema:
            steps.append(self.any_of(schema["anyOf"], noun))
        if "type" in schema:
            dated = schema.get("format") == "date" and schema["type"] == "string"
            steps.append(_type_check(schema["type"], DATE_WORDS if dated else None))
        if "enum" in schema:
            steps.append(_enum_check(schema["enum"]))
        if "pattern" in schema:
            steps.append(_pattern_check(schema["pattern"], self.where))
        if schema.get("format") == "date":
            steps.append(_date_check)
        if schema.get("format") == "email":
            steps.append(_email_check)
        if "minimum" in schema:
            steps.append(_minimum_check(_bound(schema, "minimum", float)))
        if "maximum" in schema:
            steps.append(_maximum_check(_bound(schema, "maximum", float)))
        if {"properties", "required", "additionalProperties", "minProperties"} & schema.keys():
            steps.append(self.mapping(schema, noun))
        if "items" in schema or "minItems" in schema:
            steps.append(self.array(schema, noun))
        return _chain(steps)

    def ref(self, ref: str) -> Check:
        name = ref.removeprefix("#/$defs/")
        if name not in self.refs:
            self.refs[name] = lambda value, pointer: self.refs[name](value, pointer)
            definition = self.root["$defs"][name]
            self.refs[name] = self.compile(definition, definition.get("title", name))
        return self.refs[name]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
        return schema

    def any_of(self, branches: list[dict[str, Any]], noun: str) -> Check:
        """The first branch that takes the value's type decides; messages come from it."""
        compiled = [(self.types(b), self.compile(b, noun)) for b in branches]
        allowed = " or ".join(
            dict.fromkeys(WORDS.get(t, t) for b in branches for t in self._type_names(b))
        )

        def check(value: Any, pointer: Pointer) -> Any:
            for types, branch in compiled:
                if _is(value, types):
                    return branch(value, pointer)
            raise SchemaError(
                pointer, f"{named(pointer)} must be a {allowed}, not {describe(value)}"
            )

        return check

    def _type_names(self, schema: dict[str, Any]) -> list[str]:
        schema = self.resolve(schema)
        if "type" in schema:
            return [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        names = {bool: "boolean", int: "integer", str: "string"}
        return list(dict.fromkeys(names.get(type(v), "value") for v in schema.get("enum", [])))

    def types(self, schema: dict[str, Any]) -> tuple[type, ...]:
        return tuple(t for name in self._type_names(schema) for t in TYPES.get(name, (object,)))

    def mapping(self, schema: dict[str, Any], noun: str) -> Check:
        props = {k: self.compile(v, k) for k, v in schema.get("properties", {}).items()}
        defaults = {
            k: v["default"] for k, v in schema.get("properties", {}).items() if "default" in v
        }
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        other = self.compile(extra, noun) if isinstance(extra, dict) else None
        least = _bound(schema, "minProperties", int) if "minProperties" in schema else 0

        def check(value: Any, pointer: Pointer) -> Any:
            if type(value) is not dict:
                raise SchemaError(
                    pointer, f"{named(pointer)} must be a mapping, not {describe(value)}"
                )
            out = {}
            for key, item in value.items():
                sub = props.get(key, other)
                if sub is None and extra is False:
                    hint = did_you_mean(str(key), props)
                    message = f"unknown key '{key}' in {noun}{hint}"
                    _reported(SchemaError((*pointer, key), message, True))
                    continue
                try:
                    out[key] = sub(item, (*pointer, key)) if sub is not None else item
                except SchemaError as exc:
                    _reported(exc)
                    out[key] = item
            for key in required:
                if key not in value:
                    _reported(SchemaError(pointer, f"{noun} needs '{key}'"))
            if len(value) < least:
                keys = "a key" if least == 1 else f"at least {least} keys"
                _reported(
                    SchemaError(pointer, f"{named(pointer)} must have {keys}, not {len(value)}")
                )
            for key, default in defaults.items():
                if key not in out:
                    out[key] = copy.deepcopy(default)
            return out

        return check

    def array(self, schema: dict[str, Any], noun: str) -> Check:
        least = _bound(schema, "minItems", int) if "minItems" in schema else 0
        item_schema = schema.get("items")
        item = self.compile(item_schema, _singular(noun)) if item_schema is not None else None
        in_bulk = self.bulk(item_schema) if item_schema is not None else None

        def check(value: Any, pointer: Pointer) -> Any:
            if type(value) is not list:
                raise SchemaError(
                    pointer, f"{named(pointer)} must be a list, not {describe(value)}"
                )
            if len(value) < least:
                items = "item" if least == 1 else "items"
                raise SchemaError(pointer, f"{named(pointer)} needs at least {least} {items}")
            if item is None or (in_bulk is not None and in_bulk(value)):
                return value
            return [_each(item, element, (*pointer, i)) for i, element in enumerate(value)]

        return check

    def bulk(self, schema: dict[str, Any]) -> Callable[[list[Any]], bool] | None:
        """A C-speed test that a list is made of valid flat records, when the item schema is one:
        a closed mapping of plain values, each typed or one of an ``enum`` of scalars, whose
        defaults are scalars (filled in where a record leaves them out). A list that fails the
        test is checked item by item, for the exact message."""
        schema = self.resolve(schema)
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
            k: {t for n in _names(p["type"]) for t in TYPES[n]}
            for k, p in props.items()
            if "type" in p
        }
        enums = {k: {(type(v), v) for v in p["enum"]} for k, p in props.items() if "enum" in p}
        defaults = {k: p["default"] for k, p in props.items() if "default" in p}
        # A required key of text alone: its values are joined (the join refuses any other type)
        # and made a list only when the joined addresses cannot be told valid in bulk.
        texts = [k for k in required if types.get(k) == {str} and k not in enums]

        def valid(value: list[Any]) -> bool:
            try:  # mappings only; their sizes tell whether any holds more than the required
                sizes = set(map(dict.__len__, value))
                read = {key: list(map(itemgetter(key), value)) for key in required}
                joined = {key: "\n".join(read[key]) for key in texts}
            except (TypeError, KeyError):
                return False
            columns = {key: column for key, column in read.items() if key not in joined}
            if sizes - {len(required)}:  # some record holds an optional or unknown key
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
            bare = set()
            for key in joined.keys() & set(emails):
                if _joined_emails(joined[key], len(value)):
                    bare.add(key)
                elif not _emails(read[key], True):
                    return False
            for key, default in defaults.items():
                deque(map(dict.setdefault, value, repeat(key), repeat(default)), maxlen=0)
            kept = _READ.get()
            if kept is not None:
                only = not sizes - {len(required)}
                bare.update(k for k, lines in joined.items() if _joined_bare(lines, len(value)))
                lower = frozenset(k for k, lines in joined.items() if lines.lower() == lines)
                kept[id(value)] = Read(value, read, only, frozenset(bare), lower)
            return True

        return valid


def _each(check: Check, value: Any, pointer: Pointer) -> Any:
    """``check(value)``; when every error is wanted, the value as it is after one."""
    try:
        return check(value, pointer)
    except SchemaError as exc:
        _reported(exc)
        return value


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
    if _joined_emails(lines, len(given)):
        return True
    ends = lines.startswith("@") or lines.endswith("@") or "\n@" in lines or "@\n" in lines
    if not ends and not lines.isascii():
        text = "".join(given)
        if text.isprintable() and " " not in text:
            return set(map(str.count, given, repeat("@"))) <= {1}
    return all(map(EMAIL.fullmatch, filter(None, map(str.strip, given))))


def _joined_emails(lines: str, count: int) -> bool:
    """``count`` strings joined by line breaks into ``lines`` are each an address: told at C
    speed, as bytes, when the text is ASCII with no space or control character but the breaks
    and each string holds one ``@`` with text either side. False when it cannot be told so
    (the strings are then judged one by one)."""
    if not lines.isascii() or lines.startswith("@") or lines.endswith("@"):
        return False
    if "\n@" in lines or "@\n" in lines:
        return False
    # One translation keeps the ``@`` and every invisible byte: the breaks between the strings
    # must be all that is left of the invisible ones, each string leaving one ``@`` between.
    kept = lines.encode("ascii").translate(None, _VISIBLE_BUT_AT)
    return kept == b"@\n" * (count - 1) + b"@"


def _joined_bare(lines: str, count: int) -> bool:
    """``count`` strings joined by line breaks into ``lines`` hold no white space, nor any other
    invisible character: told at C speed, as bytes, when the text is ASCII (the line breaks
    must be all that is left of it once its visible bytes are taken out); else False."""
    if not lines.isascii():
        return False
    return lines.encode("ascii").translate(None, _VISIBLE_BYTES) == b"\n" * (count - 1)


_ASCII_INVISIBLE = bytes(range(0x21)) + b"\x7f"  # controls and the space
_VISIBLE_BYTES = bytes(sorted(set(range(256)) - set(_ASCII_INVISIBLE)))
_VISIBLE_BUT_AT = bytes(sorted(set(_VISIBLE_BYTES) - set(b"@")))


class _Missing:
    """The type of what ``dict.get`` gives for a key that is not there."""


_MISSING = _Missing()


def _names(type_: str | list[str]) -> list[str]:
    return [type_] if isinstance(type_, str) else type_


def _singular(noun: str) -> str:
    irregular = {"policies": "policy", "timeline": "timeline entry", "history": "history entry"}
    return irregular.get(noun, noun[:-1] if noun.endswith("s") else noun)


def _is(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types or object in types
    return isinstance(value, types)


def _chain(steps: list[Check]) -> Check:
    if len(steps) == 1:
        return steps[0]

    def check(value: Any, pointer: Pointer) -> Any:
        for step in steps:
            value = step(value, pointer)
        return value

    return check


def _type_check(type_: str | list[str], said: str | None = None) -> Check:
    """The value is of ``type_``; ``said``: how the message names it instead (a date is a
    string, but quoting a null or a number never makes it a date: no quoting hint then)."""
    names = _names(type_)
    types = tuple(t for n in names for t in TYPES[n])
    words = " or ".join(WORDS.get(n, n) for n in names)
    wanted = said or f"{'an' if words[0] in 'aeiou' else 'a'} {words}"

    def check(value: Any, pointer: Pointer) -> Any:
        if not _is(value, types):
            spelled = BOOLEAN_WORDS.get(value.lower()) if isinstance(value, str) else None
            hint = f": write {spelled}, unquoted" if spelled and bool in types else ""
            raise SchemaError(
                pointer,
                f"{named(pointer)} must be {wanted}, not {describe(value)}{hint}",
                text_wanted=said is None and str in types and _plain_scalar(value),
            )
        return value

    return check


def _enum_check(values: list[Any]) -> Check:
    allowed = {(type(v), v) for v in values}
    shown = ", ".join(str(v) for v in values)

    def check(value: Any, pointer: Pointer) -> Any:
        try:
            ok = (type(value), value) in allowed
        except TypeError:
            ok = False
        if not ok:
            texts = all(isinstance(v, str) for v in values)
            if texts and isinstance(value, str):  # the right type, a value not on the list
                message = not_a_value(value, named(pointer), values)
            else:
                message = f"{named(pointer)} must be one of {shown}, not {describe(value)}"
            wanted = frozenset(values) if texts and _plain_scalar(value) else False
            raise SchemaError(pointer, message, text_wanted=wanted)
        return value

    return check


def _plain_scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float)


def _pattern_check(pattern: str, where: Place) -> Check:
    try:
        compiled = compile_pattern(pattern, 0, where)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from None

    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, str) and not compiled.search(value):
            raise SchemaError(pointer, f'{named(pointer)} must match {pattern}, not "{value}"')
        return value

    return check


def _date_check(value: Any, pointer: Pointer) -> Any:
    if isinstance(value, str):
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise SchemaError(
                pointer, f'{named(pointer)} must be {DATE_WORDS}, not "{value}"'
            ) from None
    return value


# One "@" between two parts of visible characters: no space, control or format character
# (zero-width space, soft hyphen, bidirectional controls, byte-order mark), no lone surrogate.
_VISIBLE = (
    "[^\\s@\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]+"
)
EMAIL = re.compile(f"{_VISIBLE}@{_VISIBLE}")


def _email_check(value: Any, pointer: Pointer) -> Any:
    """An address: one ``@`` between two non-empty parts, nothing invisible (a NUL or a
    zero-width space would make ``ann@x.example`` two users), once trimmed. An empty one is
    left to the model's own message (``email is empty``)."""
    if isinstance(value, str) and value.strip() and not is_email(value.strip()):
        raise SchemaError(
            pointer, f'{named(pointer)} must be an email address (name@domain), not "{value}"'
        )
    return value


def is_email(text: str) -> bool:
    return EMAIL.fullmatch(text) is not None


def _read_keywords(schema: dict[str, Any]) -> None:
    """Refuse a keyword the compiler would not read, and a ``format`` it does not check."""
    if not isinstance(schema, dict):
        raise TypeError(f"a schema must be a mapping, not {describe(schema)}")
    for keyword in schema:
        if keyword not in KEYWORDS and keyword not in ANNOTATIONS:
            hint = did_you_mean(str(keyword), KEYWORDS)
            raise ValueError(
                f"'{keyword}' is not a keyword kb-lint checks{hint} (it reads "
                f"{', '.join(sorted(KEYWORDS))})"
            )
    if "format" in schema and schema["format"] not in FORMATS:
        raise ValueError(
            f"'format' must be one of {', '.join(FORMATS)}, not {describe(schema['format'])}"
        )


def _bound(schema: dict[str, Any], keyword: str, kind: type) -> Any:
    """``schema[keyword]``, a number (``kind`` int: a whole one, not negative); a schema a user
    wrote (a style rule's ``key-schema``) may give anything, refused as it is compiled."""
    value = schema[keyword]
    whole = kind is int
    if (
        isinstance(value, bool)
        or not isinstance(value, int if whole else int | float)
        or (whole and value < 0)
    ):
        wanted = "a whole number, 0 or more" if whole else "a number"
        raise ValueError(f"'{keyword}' must be {wanted}, not {describe(value)}")
    return value


def _minimum_check(least: float) -> Check:
    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < least:
            raise SchemaError(pointer, f"{named(pointer)} must be at least {least}, not {value}")
        return value

    return check


def _maximum_check(most: float) -> Check:
    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > most:
            raise SchemaError(pointer, f"{named(pointer)} must be at most {most}, not {value}")
        return value

    return check
