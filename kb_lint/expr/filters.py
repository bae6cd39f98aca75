"""Filters: ``[e in items if condition]``, the elements of a list for which a condition holds.

The condition reads the element it is deciding as the name written before ``in`` (``e``), and
every other name as it is outside the filter, so "an earlier Clear of this user" is
``[e in removed.earlier if e.action == "reinitialize-user" and e.reinit_type == "clear" and
e.email == removed.email]``. The element's name must be no name already in scope (it would
hide one); its keys are checked like any record's when the pack loads, and the filter gives a
list of the same elements, in order, for ``len``, ``count``, ``any``, ``distinct`` or ``.key``.

Cost: the condition is evaluated once per element, O(k) for a list of k; no index answers it,
so a filter over ``earlier`` at every event of a timeline of n events costs O(n²), as ``sum``
or ``max`` over it does. A filter's condition holds no other filter, so an expression costs
O(k) per filter written, never the product of two lists' lengths.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kb_lint.expr.tokens import Source, Token
from kb_lint.expr.values import KEYWORDS, Env, Run, a_type, kind_of


def opens_filter(tokens: Sequence[Token], at: int) -> bool:
    """Whether the '[' at ``tokens[at]`` opens a filter: a name and ``in`` follow it, and an
    ``if`` comes before its ']' or first ',' (outside brackets). O(tokens to its ']')."""
    name = tokens[at + 1]
    if name.kind != "name" or name.text in KEYWORDS or tokens[at + 2].text != "in":
        return False
    depth = 0
    for token in tokens[at + 3 :]:
        if token.kind == "op" and token.text in ("(", "["):
            depth += 1
        elif (token.kind == "op" and token.text in (")", "]")) or token.kind == "end":
            depth -= 1
            if depth < 0:
                return False
        elif depth == 0 and (token.text == "," or (token.kind == "name" and token.text == "if")):
            return token.text == "if"
    return False


class Scope(Mapping[str, Any]):
    """The names of ``outer`` with ``name`` bound to the element being decided."""

    __slots__ = ("name", "outer", "value")

    def __init__(self, outer: Env, name: str) -> None:
        self.outer = outer
        self.name = name
        self.value: Any = None

    def __getitem__(self, key: str) -> Any:
        return self.value if key == self.name else self.outer[key]

    def __iter__(self) -> Iterator[str]:
        yield self.name
        yield from (key for key in self.outer if key != self.name)

    def __len__(self) -> int:
        return len(self.outer) + (self.name not in self.outer)


def filtered(src: Source, where: int, name: str, items: Run, condition: Run) -> Run:
    """The closure of a filter: ``items``' elements for which ``condition`` is true (as
    ``if`` takes it), ``name`` bound to each; a value that is not a list is an error at
    ``where``."""

    def run(env: Env) -> list[Any]:
        values = items(env)
        if kind_of(values) != "list":
            raise src.error(where, f"a filter needs a list, got {a_type(values)}")
        scope = Scope(env, name)
        kept = []
        for value in values:
            scope.value = value
            if condition(scope):
                kept.append(value)
        return kept

    return run
