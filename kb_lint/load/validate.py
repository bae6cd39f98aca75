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

This module compiles a schema (its keywords, ``$ref`` and ``anyOf``, mappings and lists); the
checks of one value are ``kb_lint.load.schema_checks``, the bulk test of a list of records
``kb_lint.load.schema_bulk``, and how an error is worded and placed ``kb_lint.load.schema_errors``.
"""

from __future__ import annotations

import copy
from typing import Any

from kb_lint.errors import InputErrors, did_you_mean
from kb_lint.load.document import Document, Pointer
from kb_lint.load.patterns import Place
from kb_lint.load.schema_bulk import COUNTED, READ, bulk_check
from kb_lint.load.schema_checks import (
    DATE_WORDS,
    TYPES,
    WORDS,
    Check,
    chain,
    date_check,
    email_check,
    enum_check,
    is_of,
    maximum_check,
    minimum_check,
    pattern_check,
    type_check,
)
from kb_lint.load.schema_errors import (
    FOUND,
    SchemaError,
    describe,
    located,
    named,
    reported,
)

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


class Validator:
    def __init__(self, check: Check) -> None:
        self.check = check

    def validate(self, doc: Document) -> Any:
        """``doc``'s data with defaults filled in; ``InputError`` where it breaks the schema.
        What bulk checks read is kept in ``doc.read``."""
        token, counted = READ.set(doc.read), COUNTED.set(doc.counted)
        try:
            return self.check(doc.data, ())
        except SchemaError as exc:
            raise located(doc, exc) from None
        finally:
            READ.reset(token)
            COUNTED.reset(counted)

    def validate_all(self, doc: Document) -> Any:
        """As ``validate``, but every value that breaks the schema is reported, in file order,
        in one ``InputErrors`` (a value inside a broken one is not checked further)."""
        found: list[SchemaError] = []
        token = FOUND.set(found)
        try:
            data = self.check(doc.data, ())
        except SchemaError as exc:
            found.append(exc)
        finally:
            FOUND.reset(token)
        if found:
            errors = sorted((located(doc, e) for e in found), key=lambda e: (e.line, e.column))
            raise InputErrors(errors)
        return data


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
            steps.append(type_check(schema["type"], DATE_WORDS if dated else None))
        if "enum" in schema:
            steps.append(enum_check(schema["enum"]))
        if "pattern" in schema:
            steps.append(pattern_check(schema["pattern"], self.where))
        if schema.get("format") == "date":
            steps.append(date_check)
        if schema.get("format") == "email":
            steps.append(email_check)
        if "minimum" in schema:
            steps.append(minimum_check(_bound(schema, "minimum", float)))
        if "maximum" in schema:
            steps.append(maximum_check(_bound(schema, "maximum", float)))
        if {"properties", "required", "additionalProperties", "minProperties"} & schema.keys():
            steps.append(self.mapping(schema, noun))
        if "items" in schema or "minItems" in schema:
            steps.append(self.array(schema, noun))
        return chain(steps)

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
                if is_of(value, types):
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
                    reported(SchemaError((*pointer, key), message, True))
                    continue
                try:
                    out[key] = sub(item, (*pointer, key)) if sub is not None else item
                except SchemaError as exc:
                    reported(exc)
                    out[key] = item
            for key in required:
                if key not in value:
                    reported(SchemaError(pointer, f"{noun} needs '{key}'"))
            if len(value) < least:
                keys = "a key" if least == 1 else f"at least {least} keys"
                reported(
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
        in_bulk = bulk_check(self.resolve(item_schema)) if item_schema is not None else None

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


def _each(check: Check, value: Any, pointer: Pointer) -> Any:
    """``check(value)``; when every error is wanted, the value as it is after one."""
    try:
        return check(value, pointer)
    except SchemaError as exc:
        reported(exc)
        return value


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


def _singular(noun: str) -> str:
    irregular = {"policies": "policy", "timeline": "timeline entry", "history": "history entry"}
    return irregular.get(noun, noun[:-1] if noun.endswith("s") else noun)
