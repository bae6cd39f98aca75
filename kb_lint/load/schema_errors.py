"""How a value that breaks a schema is told: the error (``SchemaError``), the words that name
the value and its type, and its place in the file, with a hint to quote a plain value the file
meant as text. With every error wanted (``Validator.validate_all``), each is kept in ``FOUND``
and the check goes on."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from kb_lint.errors import InputError
from kb_lint.load.document import Document, Pointer

# A file with no value in it: empty, or blank lines and comments (which YAML reads as null).
EMPTY_FILE = "the file is empty (nothing in it but blank lines, comments or null)"


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


FOUND: ContextVar[list[SchemaError] | None] = ContextVar("schema_errors", default=None)


def reported(exc: SchemaError) -> None:
    """Keep ``exc`` when every error is wanted (``validate_all``); else raise it."""
    found = FOUND.get()
    if found is None:
        raise exc
    found.append(exc)


def located(doc: Document, exc: SchemaError) -> InputError:
    """``exc`` as an input error at its place in ``doc``; a file of no value (null: nothing
    but blank lines and comments) refused as a whole is said to be empty."""
    if not exc.pointer and doc.data is None:
        return InputError(doc.path, 1, 1, EMPTY_FILE)
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
