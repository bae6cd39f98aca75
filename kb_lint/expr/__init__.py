"""The condition language of rule packs: small, safe, compiled once, read aloud.

An expression is read into tokens (``tokens``) and parsed once (``parser``: the grammar is
``parser.GRAMMAR``) into closures (``closures``) over values (``values``), calling only the
functions of ``functions.FUNCTIONS``.
Its reference, every operator, function and name in scope, is generated from those tables by
``reference`` (``kb-lint explain expressions``, and a page of the site). Every error is an
``InputError`` at the character that caused it.

Limits: an expression has at most ``MAX_LENGTH`` characters and nests at most ``MAX_DEPTH``
levels deep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kb_lint.errors import InputError
from kb_lint.expr.functions import FUNCTIONS, Function
from kb_lint.expr.parser import MAX_DEPTH, Parser
from kb_lint.expr.shapes import ANY, Shape
from kb_lint.expr.tokens import Source
from kb_lint.expr.values import Env, Run, a_type
from kb_lint.limits import EXPRESSION_LENGTH

MAX_LENGTH = EXPRESSION_LENGTH

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "Expr", "Function", "compile_expr"]


class Expr:
    """A compiled expression; call it with an environment (name -> value) to evaluate it."""

    __slots__ = ("_run", "keys", "names", "paths", "shape", "source")

    def __init__(
        self,
        source: str,
        names: frozenset[str],
        run: Run,
        keys: frozenset[str] | None = None,
        shape: Shape = ANY,
        paths: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.source = source
        self.names = names
        self.keys = keys  # the mapping keys it reads; None when an index is computed
        self.shape = shape  # what it gives, when compiled with the names' shapes
        # each name it reads with the literal keys read after it, in the order written
        self.paths = paths
        self._run = run

    def __call__(self, env: Env) -> Any:
        return self._run(env)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"


def compile_expr(
    source: str,
    *,
    path: str = "<expr>",
    line: int = 1,
    column: int = 1,
    names: Iterable[str] | None = None,
    position: Callable[[int], tuple[int, int]] | None = None,
    shapes: Mapping[str, Shape] | None = None,
) -> Expr:
    """Compile ``source``, whose first character sits at ``path:line:column``.

    With ``names``, any other free name is an error; with ``shapes`` (what each name holds)
    too, and every key read is checked against them (see ``kb_lint.expr.shapes``). Every
    error is an ``InputError`` at the exact file position: ``position`` gives the line and
    column of each character of ``source`` (a folded YAML scalar, say); without it, lines
    after the first are taken to start at ``column`` too.
    """
    if not isinstance(source, str):
        raise InputError(path, line, column, f"expected an expression, got {a_type(source)}")
    src = Source(source, path, line, column, position)
    if len(source) > MAX_LENGTH:
        raise src.error(
            0, f"expression is {len(source)} characters long; the limit is {MAX_LENGTH}"
        )
    parser = Parser(src, frozenset(names) if names is not None else None, shapes)
    tree = parser.parse()
    keys = frozenset(parser.keys) if parser.keys is not None else None
    paths = tuple(parser.paths)
    return Expr(source, frozenset(parser.names), tree.run, keys, tree.shape, paths)
