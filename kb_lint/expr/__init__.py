"""The condition language of rule packs: small, safe, compiled once, read aloud.

Grammar (EBNF; keywords are lower case; spaces and newlines only separate tokens)::

    expression  = disjunction [ "if" disjunction "else" expression ] ;
    disjunction = conjunction { "or" conjunction } ;
    conjunction = negation { "and" negation } ;
    negation    = "not" negation | comparison ;
    comparison  = sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" ) sum ] ;
    sum         = product { ( "+" | "-" ) product } ;
    product     = unary { ( "*" | "/" ) unary } ;
    unary       = "-" unary | postfix ;
    postfix     = primary { "." NAME | "[" expression "]" } ;
    primary     = NUMBER | STRING | "true" | "false" | "null" | NAME
                | FUNCTION "(" [ expression { "," expression } ] ")"
                | "[" [ expression { "," expression } ] "]" | "(" expression ")" ;
    NAME        = letter { letter | digit | "_" } ;   (ASCII; no leading "_")
    NUMBER      = digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
    STRING      = "'" ... "'" | '"' ... '"' ;         (escapes: \\ \' \" \n \t)

Comparisons do not chain: ``a < b < c`` is refused; write ``a < b and b < c``.

Meaning:

- Values are null, booleans, numbers, strings, lists and mappings. A name is looked up in the
  environment the expression is evaluated with.
- ``a.b`` is the key ``b`` of the mapping ``a`` (null when missing); on a list it is the list of
  every element's ``b`` (``bindings.category``); on null it is null. ``a[i]`` indexes a list
  with an integer (negative counts from the end; out of range is null) or a mapping with a string.
- ``not``, ``and``, ``or`` and ``x if c else y`` treat null, false, 0, "" and empty lists and
  mappings as false and everything else as true; ``not``, ``and`` and ``or`` give true or false.
- ``==`` and ``!=`` compare by value; a boolean never equals a number.
  ``<``, ``<=``, ``>``, ``>=`` compare two numbers, two strings or two versions.
- ``x in y``: ``x`` is an element of the list ``y``, a substring of the string ``y``, or a key
  of the mapping ``y``.
- ``+`` adds numbers and joins two strings or two lists; ``-``, ``*`` and ``/`` take numbers
  (``/`` always gives a fraction).
- Anything else (``"a" < 1``, ``lower(null)``, ``1 / 0``) stops the check with the position of
  the part that went wrong and the types involved.

Functions (the whole list; ``list_of_lists`` is a list whose elements are lists):

- ``len(value)``: the length of a string, list or mapping.
- ``count(list, value)``: how many elements of ``list`` equal ``value``.
- ``distinct(list)``: the list without repeats, in first-seen order.
- ``any(list)``: true when some element is true.
- ``all(list)``: true when no element is false.
- ``min(list)``: the smallest number or string; null for an empty list.
- ``max(list)``: the largest number or string; null for an empty list.
- ``sum(list)``: the sum of the numbers; 0 for an empty list.
- ``lower(text)``: the string in lower case.
- ``upper(text)``: the string in upper case.
- ``trim(text)``: the string without leading and trailing whitespace.
- ``union(list_of_lists)``: every value of every list, without repeats.
- ``intersect(list_of_lists)``: the values in every list, in the order of the first.
- ``flatten(list_of_lists)``: the lists joined into one.
- ``sorted(list)``: numbers or strings in ascending order.
- ``startswith(text, prefix)``: true when ``text`` begins with ``prefix``.
- ``endswith(text, suffix)``: true when ``text`` ends with ``suffix``.
- ``contains(haystack, needle)``: the same as ``needle in haystack``.
- ``version(text)``: the version ``text`` names (``2.4.34``), to compare with ``<``.

Versions compare part by part, as numbers (``version("2.10") > version("2.9")``); a field of
type ``version`` holds one.

Limits: an expression has at most 4,000 characters and nests at most 64 levels deep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kb_lint.errors import InputError
from kb_lint.expr.functions import FUNCTIONS, Function
from kb_lint.expr.parser import MAX_DEPTH, Parser, Source
from kb_lint.expr.shapes import Shape
from kb_lint.expr.values import Env, Run, a_type
from kb_lint.limits import EXPRESSION_LENGTH

MAX_LENGTH = EXPRESSION_LENGTH

__all__ = ["FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "Expr", "Function", "compile_expr"]


class Expr:
    """A compiled expression; call it with an environment (name -> value) to evaluate it."""

    __slots__ = ("_run", "keys", "names", "source")

    def __init__(
        self, source: str, names: frozenset[str], run: Run, keys: frozenset[str] | None = None
    ) -> None:
        self.source = source
        self.names = names
        self.keys = keys  # the mapping keys it reads; None when an index is computed
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
    return Expr(source, frozenset(parser.names), tree.run, keys)
