"""The checks of one value that a schema's keywords compile to (``kb_lint.load.validate``):
its type, an enum's values, a pattern (on RE2), a date, an email address, a bound. Each is a
closure ``check(value, pointer)`` that gives the value back or raises ``SchemaError``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from kb_lint.errors import not_a_value
from kb_lint.load.document import Pointer
from kb_lint.load.patterns import Place, compile_pattern
from kb_lint.load.schema_errors import SchemaError, describe, named

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
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_WORDS = "a date (YYYY-MM-DD)"
# A yes/no word quoted where a boolean is wanted: the spelling that is one.
BOOLEAN_WORDS = dict.fromkeys(("yes", "y", "on", "true"), "true") | dict.fromkeys(
    ("no", "n", "off", "false"), "false"
)


def type_names(type_: str | list[str]) -> list[str]:
    return [type_] if isinstance(type_, str) else type_


def is_of(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types or object in types
    return isinstance(value, types)


def chain(steps: list[Check]) -> Check:
    if len(steps) == 1:
        return steps[0]

    def check(value: Any, pointer: Pointer) -> Any:
        for step in steps:
            value = step(value, pointer)
        return value

    return check


def type_check(type_: str | list[str], said: str | None = None) -> Check:
    """The value is of ``type_``; ``said``: how the message names it instead (a date is a
    string, but quoting a null or a number never makes it a date: no quoting hint then)."""
    names = type_names(type_)
    types = tuple(t for n in names for t in TYPES[n])
    words = " or ".join(WORDS.get(n, n) for n in names)
    wanted = said or f"{'an' if words[0] in 'aeiou' else 'a'} {words}"

    def check(value: Any, pointer: Pointer) -> Any:
        if not is_of(value, types):
            spelled = BOOLEAN_WORDS.get(value.lower()) if isinstance(value, str) else None
            hint = f": write {spelled}, unquoted" if spelled and bool in types else ""
            raise SchemaError(
                pointer,
                f"{named(pointer)} must be {wanted}, not {describe(value)}{hint}",
                text_wanted=said is None and str in types and _plain_scalar(value),
            )
        return value

    return check


def enum_check(values: list[Any]) -> Check:
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


def pattern_check(pattern: str, where: Place) -> Check:
    try:
        compiled = compile_pattern(pattern, 0, where)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from None

    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, str) and not compiled.search(value):
            raise SchemaError(pointer, f'{named(pointer)} must match {pattern}, not "{value}"')
        return value

    return check


def date_check(value: Any, pointer: Pointer) -> Any:
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


def email_check(value: Any, pointer: Pointer) -> Any:
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


def minimum_check(least: float) -> Check:
    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < least:
            raise SchemaError(pointer, f"{named(pointer)} must be at least {least}, not {value}")
        return value

    return check


def maximum_check(most: float) -> Check:
    def check(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > most:
            raise SchemaError(pointer, f"{named(pointer)} must be at most {most}, not {value}")
        return value

    return check
