"""A file's records (an instance, a policy, a user, a timeline entry) as the model reads them:
where one writes a field, its fields by name as a computed default reads them, and that no two
records of a list share a name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kb_lint.errors import InputError
from kb_lint.findings import Location
from kb_lint.load import Document, Pointer
from kb_lint.model.fields import RENAMED, Vocabulary


def placer(
    doc: Document, pointer: Pointer, scope: str, whole: str = "name"
) -> Callable[[str | None], Location]:
    """Where a record of ``scope`` writes a field (its ``whole`` key for the record itself)."""
    keys = {name: key for (of, key), name in RENAMED.items() if of == scope}

    def place(name: str | None) -> Location:
        line, column = doc.locate_key((*pointer, keys.get(name, name) if name else whole))
        return Location(doc.path_of(pointer), line, column)

    return place


def record_of(vocabulary: Vocabulary, scope: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A file record as a computed default (``default_from``) reads it: its fields by name."""
    env = {}
    for f in vocabulary.by_scope[scope].values():
        value = raw.get(f.key or f.name)
        env[f.name] = f.value(value.get("root") if isinstance(value, dict) else value)
    return env


def unique_name(
    doc: Document, seen: dict[str, int], name: str, index: int, pointer: Pointer, what: str
) -> None:
    """``name`` (of the record at ``pointer``, ``index`` in its list) is not in ``seen`` (the
    names before it, by their index), else an error at it naming the first; then it is."""
    if name in seen:
        line, col = doc.locate((*pointer, "name"))
        first, _ = doc.locate((*pointer[:-1], seen[name], "name"))
        raise InputError(
            doc.path_of(pointer),
            line,
            col,
            f"{what} '{name}' is named twice (first on line {first})",
        )
    seen[name] = index
