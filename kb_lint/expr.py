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
  ``<``, ``<=``, ``>``, ``>=`` compare two numbers or two strings.
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

Limits: an expression has at most 4,000 characters and nests at most 64 levels deep.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from kb_lint.errors import InputError, did_you_mean

MAX_LENGTH = 4000
MAX_DEPTH = 64

Env = Mapping[str, Any]
Run = Callable[[Env], Any]


# -- values -------------------------------------------------------------------------------------


class _Problem(Exception):
    """A value of the wrong type met at evaluation; the node that catches it adds the position."""

    def __init__(self, message: str, argument: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


_KINDS: dict[type, str] = {
    type(None): "null",
    bool: "bool",
    int: "number",
    float: "number",
    str: "string",
    list: "list",
    tuple: "list",
    dict: "mapping",
}
_PLAIN = frozenset({type(None), bool, int, float, str})


def _kind(value: Any) -> str:
    """null, bool, number, string, list, mapping, or the Python type name for anything else."""
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    for base, name in (
        (bool, "bool"),
        ((int, float), "number"),
        (str, "string"),
        ((list, tuple), "list"),
        (Mapping, "mapping"),
    ):
        if isinstance(value, base):
            return name
    return type(value).__name__


def _type_name(value: Any) -> str:
    """How messages name a value's type: null, bool, int, float, string, list, mapping."""
    kind = _kind(value)
    return type(value).__name__ if kind == "number" else kind


def _a(value: Any) -> str:
    """The type with its article: ``null``, ``an int``, ``a string``."""
    name = _type_name(value)
    if name == "null":
        return name
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _equal(a: Any, b: Any) -> bool:
    """Equality by value; booleans never equal numbers, lists and mappings compare deeply."""
    if type(a) is type(b) and type(a) in _PLAIN:
        return bool(a == b)
    kind_a, kind_b = _kind(a), _kind(b)
    if kind_a != kind_b:
        return False
    if kind_a == "list":
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if kind_a == "mapping":
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


_HASHABLE = {"null": 0, "bool": 1, "number": 2, "string": 3}


def _hash_key(value: Any) -> tuple[int, Any] | None:
    """A set key that keeps booleans apart from numbers; None for lists, mappings and others."""
    if type(value) is str:  # the common case, without the type lookup
        return 3, value
    slot = _HASHABLE.get(_kind(value))
    return None if slot is None else (slot, value)


def _is_number(value: Any) -> bool:
    return _kind(value) == "number"


def _in_list(needle: Any, items: Any) -> bool:
    if type(needle) is str or needle is None:
        return needle in items  # only a string equals a string, only null equals null
    return any(_equal(needle, item) for item in items)


def _member(needle: Any, haystack: Any) -> bool:
    """``needle in haystack``; problems name argument 0 (haystack) or 1 (needle) of contains()."""
    kind = _kind(haystack)
    if kind == "list":
        return _in_list(needle, haystack)
    if kind in ("string", "mapping") and isinstance(needle, str):
        return needle in haystack
    if kind in ("string", "mapping"):
        what = "substring" if kind == "string" else "key"
        raise _Problem(
            f"cannot look for {_a(needle)} in {_a(haystack)}: the {what} must be a string", 1
        )
    raise _Problem(
        f"cannot look for a value in {_a(haystack)}: it must be a list, string or mapping", 0
    )


def _lookup(value: Any, key: str) -> Any:
    """``value.key``: mapping key, projection over a list, null through null."""
    if type(value) is dict:
        return value.get(key)
    if type(value) is list and all(type(item) is dict for item in value):
        return [item.get(key) for item in value]
    kind = _kind(value)
    if kind == "mapping":
        return value.get(key)
    if kind == "list":
        return [_lookup(item, key) for item in value]
    if kind == "null":
        return None
    raise _Problem(f"cannot look up '{key}' in {_a(value)}")


def _index(value: Any, index: Any) -> Any:
    kind = _kind(value)
    if kind == "list":
        if _kind(index) != "number" or not isinstance(index, int):
            raise _Problem(f"a list index must be an int, not {_a(index)}")
        return value[index] if -len(value) <= index < len(value) else None
    if kind == "mapping":
        if not isinstance(index, str):
            raise _Problem(f"a mapping key must be a string, not {_a(index)}")
        return value.get(index)
    if kind == "null":
        return None
    raise _Problem(f"cannot index {_a(value)}: only lists and mappings can be indexed")


# -- operators ----------------------------------------------------------------------------------


def _numbers(symbol: str, a: Any, b: Any) -> None:
    if not (_is_number(a) and _is_number(b)):
        raise _Problem(f"'{symbol}' needs two numbers, got {_a(a)} and {_a(b)}")


def _add(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a + b
    kind = _kind(a)
    if kind == _kind(b) and kind in ("number", "string", "list"):
        return [*a, *b] if kind == "list" else _arithmetic(lambda: a + b)
    raise _Problem(f"'+' needs two numbers, two strings or two lists, got {_a(a)} and {_a(b)}")


def _subtract(a: Any, b: Any) -> Any:
    _numbers("-", a, b)
    return _arithmetic(lambda: a - b)


def _multiply(a: Any, b: Any) -> Any:
    _numbers("*", a, b)
    return _arithmetic(lambda: a * b)


def _divide(a: Any, b: Any) -> Any:
    _numbers("/", a, b)
    if b == 0:
        raise _Problem("division by zero")
    return _arithmetic(lambda: a / b)


def _arithmetic(compute: Callable[[], Any]) -> Any:
    try:
        return compute()
    except OverflowError:
        raise _Problem("the number is too large") from None


def _ordering(symbol: str, test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        kind_a = type(a)
        if kind_a is type(b) and (kind_a is int or kind_a is str or kind_a is float):
            return test(a, b)
        kind = _kind(a)
        if kind == _kind(b) and kind in ("number", "string"):
            return test(a, b)
        raise _Problem(f"'{symbol}' compares two numbers or two strings, not {_a(a)} and {_a(b)}")

    return compare


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _ordering("<", lambda a, b: a < b),
    "<=": _ordering("<=", lambda a, b: a <= b),
    ">": _ordering(">", lambda a, b: a > b),
    ">=": _ordering(">=", lambda a, b: a >= b),
    "in": _member,
    "not in": lambda a, b: not _member(a, b),
}
_LEVELS = {
    "or": 1,
    "and": 2,
    **dict.fromkeys(("==", "!=", "<", "<=", ">", ">=", "in", "not in"), 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
}
_NOT_LEVEL = 3
_NEGATION_LEVEL = 7


def _negate(value: Any) -> Any:
    if not _is_number(value):
        raise _Problem(f"'-' needs a number, got {_a(value)}")
    return -value


# -- functions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Function:
    """A function that expressions may call: its parameters, what it does, its code."""

    name: str
    params: tuple[str, ...]
    summary: str
    run: Callable[..., Any]

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


def _list(function: str, value: Any, argument: int = 0) -> Any:
    if _kind(value) != "list":
        raise _Problem(f"{function}() needs a list, got {_a(value)}", argument)
    return value


def _text(function: str, value: Any, argument: int = 0) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{function}() needs a string, got {_a(value)}", argument)
    return value


def _lists(function: str, value: Any) -> Any:
    for item in _list(function, value):
        if _kind(item) != "list":
            raise _Problem(f"{function}() needs a list of lists, got a list holding {_a(item)}", 0)
    return value


def _sortable(function: str, value: Any) -> Any:
    kinds = {_kind(item) for item in _list(function, value)}
    if len(kinds) > 1 or not kinds <= {"number", "string"}:
        shown = " and ".join(sorted(kinds))
        raise _Problem(f"{function}() needs all numbers or all strings, got {shown}", 0)
    return value


def _len(value: Any) -> int:
    if _kind(value) not in ("string", "list", "mapping"):
        raise _Problem(f"len() needs a string, list or mapping, got {_a(value)}", 0)
    return len(value)


def _count(items: Any, value: Any) -> int:
    return sum(1 for item in _list("count", items) if _equal(item, value))


def _distinct(items: Any, function: str = "distinct") -> list[Any]:
    seen: set[tuple[int, Any]] = set()
    out: list[Any] = []
    for item in _list(function, items):
        key = _hash_key(item)
        if key is None:
            if not any(_equal(item, kept) for kept in out):
                out.append(item)
        elif key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _extreme(function: str, pick: Callable[..., Any]) -> Callable[[Any], Any]:
    def run(items: Any) -> Any:
        items = _sortable(function, items)
        return pick(items) if items else None

    return run


def _sum(items: Any) -> Any:
    for item in _list("sum", items):
        if not _is_number(item):
            raise _Problem(f"sum() needs numbers, got a list holding {_a(item)}", 0)
    return _arithmetic(lambda: sum(items))


def _flatten(lists: Any, function: str = "flatten") -> list[Any]:
    return [item for inner in _lists(function, lists) for item in inner]


def _intersect(lists: Any) -> list[Any]:
    first, *rest = _lists("intersect", lists) or [[]]
    return [v for v in _distinct(first) if all(_in_list(v, other) for other in rest)]


def _contains(haystack: Any, needle: Any) -> bool:
    return _member(needle, haystack)


def _any(items: Any) -> bool:
    return any(_list("any", items))


def _all(items: Any) -> bool:
    return all(_list("all", items))


def _lower(text: Any) -> str:
    return _text("lower", text).lower()


def _upper(text: Any) -> str:
    return _text("upper", text).upper()


def _trim(text: Any) -> str:
    return _text("trim", text).strip()


def _union(lists: Any) -> list[Any]:
    return _distinct(_flatten(lists, "union"), "union")


def _sorted(items: Any) -> list[Any]:
    return sorted(_sortable("sorted", items))


def _startswith(text: Any, prefix: Any) -> bool:
    return _text("startswith", text).startswith(_text("startswith", prefix, 1))


def _endswith(text: Any, suffix: Any) -> bool:
    return _text("endswith", text).endswith(_text("endswith", suffix, 1))


def _function(signature: str, summary: str, run: Callable[..., Any]) -> Function:
    name, params = signature.rstrip(")").split("(")
    return Function(name, tuple(p.strip() for p in params.split(",")), summary, run)


FUNCTIONS: Mapping[str, Function] = {
    f.name: f
    for f in (
        _function("len(value)", "the length of a string, list or mapping.", _len),
        _function("count(list, value)", "how many elements of ``list`` equal ``value``.", _count),
        _function("distinct(list)", "the list without repeats, in first-seen order.", _distinct),
        _function("any(list)", "true when some element is true.", _any),
        _function("all(list)", "true when no element is false.", _all),
        _function(
            "min(list)",
            "the smallest number or string; null for an empty list.",
            _extreme("min", min),
        ),
        _function(
            "max(list)",
            "the largest number or string; null for an empty list.",
            _extreme("max", max),
        ),
        _function("sum(list)", "the sum of the numbers; 0 for an empty list.", _sum),
        _function("lower(text)", "the string in lower case.", _lower),
        _function("upper(text)", "the string in upper case.", _upper),
        _function("trim(text)", "the string without leading and trailing whitespace.", _trim),
        _function("union(list_of_lists)", "every value of every list, without repeats.", _union),
        _function(
            "intersect(list_of_lists)",
            "the values in every list, in the order of the first.",
            _intersect,
        ),
        _function("flatten(list_of_lists)", "the lists joined into one.", _flatten),
        _function("sorted(list)", "numbers or strings in ascending order.", _sorted),
        _function(
            "startswith(text, prefix)", "true when ``text`` begins with ``prefix``.", _startswith
        ),
        _function("endswith(text, suffix)", "true when ``text`` ends with ``suffix``.", _endswith),
        _function("contains(haystack, needle)", "the same as ``needle in haystack``.", _contains),
    )
}


# -- source positions and tokens ----------------------------------------------------------------


class _Source:
    """The expression's text and where it sits in its file: ``position`` gives the line and
    column of each character, or else every line of the text starts at ``column``."""

    def __init__(
        self,
        text: str,
        path: str,
        line: int,
        column: int,
        position: Callable[[int], tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.line = line
        self.column = column
        self.position = position

    def error(self, offset: int, message: str) -> InputError:
        if self.position is not None:
            return InputError(self.path, *self.position(offset), message)
        lines_before = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return InputError(
            self.path, self.line + lines_before, self.column + offset - line_start, message
        )


class _Token(NamedTuple):
    kind: str  # number, string, name, op, end
    text: str
    value: Any
    start: int


_TOKEN = re.compile(
    r"(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|[-+*/<>()\[\].,])",
    re.ASCII,
)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}
_CHARACTER_HINTS = {
    "=": "use '==' to compare",
    "!": "use 'not' or '!='",
    "&": "use 'and'",
    "|": "use 'or'",
}
_KEYWORDS = frozenset({"and", "or", "not", "in", "if", "else", "true", "false", "null"})
_WORD_HINTS = {
    "True": "write 'true'",
    "False": "write 'false'",
    "None": "write 'null'",
    "is": "write '==' or '!='",
}


def _tokenize(src: _Source) -> list[_Token]:
    text = src.text
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in "'\"":
            value, end = _scan_string(src, pos)
            tokens.append(_Token("string", text[pos:end], value, pos))
            pos = end
        elif match := _TOKEN.match(text, pos):
            kind = match.lastgroup or "op"
            if kind == "number" and re.match(r"[A-Za-z0-9_.]", text[match.end() : match.end() + 1]):
                raise src.error(pos, f"malformed number '{text[pos : match.end() + 1]}'")
            value = None
            if kind == "number":
                value = float(match[0]) if re.search("[.eE]", match[0]) else int(match[0])
            tokens.append(_Token(kind, match[0], value, pos))
            pos = match.end()
        else:
            hint = _CHARACTER_HINTS.get(char)
            raise src.error(pos, f"unexpected character '{char}'" + (f"; {hint}" if hint else ""))
    tokens.append(_Token("end", "", None, len(text)))
    return tokens


def _scan_string(src: _Source, start: int) -> tuple[str, int]:
    text, quote = src.text, src.text[start]
    parts: list[str] = []
    pos = start + 1
    while pos < len(text) and text[pos] != "\n":
        char = text[pos]
        if char == quote:
            return "".join(parts), pos + 1
        if char == "\\" and pos + 1 < len(text):
            escape = text[pos + 1]
            if escape not in _ESCAPES:
                raise src.error(pos, f"unknown escape '\\{escape}'; use '\\\\' for a backslash")
            parts.append(_ESCAPES[escape])
            pos += 2
        else:
            parts.append(char)
            pos += 1
    raise src.error(start, f"unterminated string: no closing {quote} on this line")


# -- parser, emitting closures ------------------------------------------------------------------


class _Node(NamedTuple):
    run: Run
    depth: int
    start: int  # offset of the sub-expression's first character


_LITERALS = ("true", "false", "null")


class _Parser:
    """Precedence climbing over the grammar above; each step returns a compiled closure."""

    def __init__(self, src: _Source, allowed: frozenset[str] | None) -> None:
        self.src = src
        self.tokens = _tokenize(src)
        self.at = 0
        self.allowed = allowed
        self.names: set[str] = set()
        self.keys: set[str] | None = set()  # keys read with .key or ["key"]; None: any key
        self.counted = -1  # the token of the name in len(name): only its length is read
        self.nesting = 0

    # token helpers

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def at_op(self, text: str) -> bool:
        return self.token.kind == "op" and self.token.text == text

    def at_word(self, text: str) -> bool:
        return self.token.kind == "name" and self.token.text == text

    def expect(self, text: str, wanted: str) -> _Token:
        if not self.at_op(text):
            raise self.unexpected(wanted)
        return self.take()

    def unexpected(self, wanted: str) -> InputError:
        token = self.token
        found = "the end of the expression" if token.kind == "end" else f"'{token.text}'"
        hint = _WORD_HINTS.get(token.text) if token.kind == "name" else None
        return self.src.error(
            token.start, f"{wanted}, found {found}" + (f"; {hint}" if hint else "")
        )

    def descend(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.src.error(self.token.start, f"nested more than {MAX_DEPTH} levels deep")

    def node(self, run: Run, start: int, *children: _Node) -> _Node:
        depth = 1 + max((child.depth for child in children), default=0)
        if depth > MAX_DEPTH:
            raise self.src.error(start, f"nested more than {MAX_DEPTH} levels deep")
        return _Node(run, depth, start)

    # grammar rules

    def parse(self) -> _Node:
        if self.token.kind == "end":
            raise self.src.error(0, "empty expression")
        tree = self.expression()
        if self.token.kind != "end":
            raise self.unexpected("expected an operator or the end of the expression")
        return tree

    def expression(self) -> _Node:
        self.descend()
        then = self.chain(_LEVELS["or"])
        if self.at_word("if"):
            self.take()
            condition = self.chain(_LEVELS["or"])
            if not self.at_word("else"):
                raise self.unexpected("expected 'else'")
            self.take()
            otherwise = self.expression()
            run = _conditional(condition.run, then.run, otherwise.run)
            then = self.node(run, then.start, then, condition, otherwise)
        self.nesting -= 1
        return then

    def chain(self, least: int) -> _Node:
        """Operands joined by binary operators of level ``least`` or higher."""
        left = self.prefix(least)
        compared = False
        while (symbol := self.binary_operator()) is not None and _LEVELS[symbol] >= least:
            level = _LEVELS[symbol]
            if symbol in ("and", "or"):
                parts = [left]
                while self.at_word(symbol):
                    self.take()
                    parts.append(self.chain(level + 1))
                build = _all_true if symbol == "and" else _any_true
                left = self.node(build(*(p.run for p in parts)), left.start, *parts)
                continue
            if level == _LEVELS["=="] and compared:
                raise self.src.error(
                    self.token.start,
                    "comparisons do not chain; write 'a < b and b < c' instead of 'a < b < c'",
                )
            compared = level == _LEVELS["=="]
            where = self.take().start
            if symbol == "not in":
                self.take()
            right = self.chain(level + 1)
            run = _binary(self.src, where, _BINARY[symbol], left.run, right.run)
            left = self.node(run, left.start, left, right)
        return left

    def binary_operator(self) -> str | None:
        token = self.token
        if token.kind == "op":
            return token.text if token.text in _LEVELS else None
        if token.kind == "name" and token.text in ("and", "or", "in"):
            return token.text
        if self.at_word("not") and self.tokens[self.at + 1].text == "in":
            return "not in"
        return None

    def prefix(self, least: int) -> _Node:
        """``not`` (only where the level allows it), ``-``, or a postfix expression."""
        if self.at_word("not") and least <= _NOT_LEVEL:
            start = self.take().start
            self.descend()
            operand = self.chain(_NOT_LEVEL)
            self.nesting -= 1
            run = operand.run
            return self.node(lambda env: not run(env), start, operand)
        if self.at_op("-"):
            start = self.take().start
            self.descend()
            operand = self.prefix(_NEGATION_LEVEL)
            self.nesting -= 1
            return self.node(_unary(self.src, start, _negate, operand.run), start, operand)
        return self.postfix()

    def postfix(self) -> _Node:
        first = self.at
        tree = self.primary()
        name = self.tokens[first]
        bare_name = self.at == first + 1 and name.kind == "name" and name.text not in _LITERALS
        keyed = False  # the chain reads a key of what the name holds
        while True:
            if self.at_op("."):
                self.take()
                if self.token.kind != "name":
                    raise self.unexpected("expected a key after '.'")
                key = self.public(self.take())
                self.read(key)
                keyed = True
                run = _key_lookup(self.src, self.tokens[self.at - 1].start, key, tree.run)
                tree = self.node(run, tree.start, tree)
            elif self.at_op("["):
                where = self.take().start
                start = self.at
                index = self.expression()
                written = [
                    t.kind if t.kind != "op" else t.text for t in self.tokens[start : self.at]
                ]
                if written == ["string"]:
                    self.read(self.tokens[start].value)
                    keyed = True
                elif written not in (["number"], ["-", "number"]):  # not a list index
                    self.read(None)
                self.expect("]", "expected ']'")
                run = _binary(self.src, where, _index, tree.run, index.run)
                tree = self.node(run, tree.start, tree, index)
            elif self.at_op("("):
                raise self.src.error(
                    self.token.start, "only the functions of the language can be called, by name"
                )
            else:
                if bare_name and not keyed and first != self.counted:
                    self.read(None)  # a whole value (a record, a list of them) is used as is
                return tree

    def primary(self) -> _Node:
        token = self.token
        if token.kind in ("number", "string"):
            self.take()
            return self.node(_constant(token.value), token.start)
        if token.kind == "name":
            if token.text in _LITERALS:
                self.take()
                return self.node(
                    _constant({"true": True, "false": False}.get(token.text)), token.start
                )
            if token.text in _KEYWORDS:
                raise self.unexpected("expected a value")
            if token.text in _WORD_HINTS:
                raise self.src.error(token.start, f"'{token.text}': {_WORD_HINTS[token.text]}")
            name = self.public(token)
            self.take()
            if self.at_op("("):
                return self.call(token)
            return self.name(name, token.start)
        if self.at_op("("):
            self.take()
            inner = self.expression()
            self.expect(")", "expected ')'")
            return inner
        if self.at_op("["):
            start = self.take().start
            items = self.arguments("]")
            runs = tuple(item.run for item in items)
            return self.node(lambda env: [run(env) for run in runs], start, *items)
        raise self.unexpected("expected a value")

    def read(self, key: str | None) -> None:
        """Note a key the expression reads; ``None`` when it is computed, so could be any."""
        if key is None:
            self.keys = None
        elif self.keys is not None:
            self.keys.add(key)

    def public(self, token: _Token) -> str:
        """The word of a name or key token; words starting with '_' are refused."""
        if token.text.startswith("_"):
            raise self.src.error(token.start, f"'{token.text}': names cannot start with '_'")
        return token.text

    def arguments(self, closing: str) -> list[_Node]:
        items: list[_Node] = []
        if not self.at_op(closing):
            items.append(self.expression())
            while self.at_op(","):
                self.take()
                items.append(self.expression())
        self.expect(closing, f"expected ',' or '{closing}'")
        return items

    def name(self, name: str, start: int) -> _Node:
        if self.allowed is not None and name not in self.allowed:
            raise self.src.error(start, f"unknown name '{name}'{_suggestion(name, self.allowed)}")
        self.names.add(name)
        return self.node(_name_lookup(self.src, name, start), start)

    def call(self, token: _Token) -> _Node:
        function = FUNCTIONS.get(token.text)
        if function is None:
            if self.allowed is not None and token.text in self.allowed:
                message = f"'{token.text}' is a name, not a function"
            else:
                message = f"unknown function '{token.text}'{_suggestion(token.text, FUNCTIONS)}"
            raise self.src.error(token.start, message)
        self.take()
        argument, closing = self.tokens[self.at], self.tokens[self.at + 1]
        if token.text == "len" and argument.kind == "name" and closing.text == ")":
            self.counted = self.at
        args = self.arguments(")")
        if len(args) != len(function.params):
            wanted = len(function.params)
            raise self.src.error(
                token.start,
                f"{function.signature} takes {wanted} argument{'s' if wanted > 1 else ''}, "
                f"got {len(args)}",
            )
        run = _call(self.src, token.start, function.run, args)
        return self.node(run, token.start, *args)


def _suggestion(word: str, choices: Iterable[str]) -> str:
    known = sorted(choices)
    return did_you_mean(word, known) or f" (known: {', '.join(known)})"


# -- closures -----------------------------------------------------------------------------------


def _constant(value: Any) -> Run:
    return lambda env: value


def _name_lookup(src: _Source, name: str, start: int) -> Run:
    def run(env: Env) -> Any:
        try:
            return env[name]
        except KeyError:
            suggestion = did_you_mean(name, sorted(map(str, env)))
            raise src.error(start, f"'{name}' is not defined here{suggestion}") from None

    return run


def _key_lookup(src: _Source, where: int, key: str, operand: Run) -> Run:
    def run(env: Env) -> Any:
        value = operand(env)
        if type(value) is dict:
            return value.get(key)
        try:
            return _lookup(value, key)
        except _Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def _unary(src: _Source, where: int, op: Callable[[Any], Any], operand: Run) -> Run:
    def run(env: Env) -> Any:
        value = operand(env)
        try:
            return op(value)
        except _Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def _binary(src: _Source, where: int, op: Callable[[Any, Any], Any], left: Run, right: Run) -> Run:
    def run(env: Env) -> Any:
        a = left(env)
        b = right(env)
        try:
            return op(a, b)
        except _Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def _conditional(condition: Run, then: Run, otherwise: Run) -> Run:
    return lambda env: then(env) if condition(env) else otherwise(env)


def _all_true(*parts: Run) -> Run:
    if len(parts) == 2:
        first, second = parts
        return lambda env: bool(first(env) and second(env))
    return lambda env: all(part(env) for part in parts)


def _any_true(*parts: Run) -> Run:
    if len(parts) == 2:
        first, second = parts
        return lambda env: bool(first(env) or second(env))
    return lambda env: any(part(env) for part in parts)


def _call(src: _Source, where: int, function: Callable[..., Any], args: list[_Node]) -> Run:
    starts = [arg.start for arg in args]

    def fail(problem: _Problem) -> InputError:
        at = where if problem.argument is None else starts[problem.argument]
        return src.error(at, problem.message)

    if len(args) == 1:
        only = args[0].run

        def run_one(env: Env) -> Any:
            value = only(env)
            try:
                return function(value)
            except _Problem as problem:
                raise fail(problem) from None

        return run_one

    runs = tuple(arg.run for arg in args)

    def run(env: Env) -> Any:
        values = [r(env) for r in runs]
        try:
            return function(*values)
        except _Problem as problem:
            raise fail(problem) from None

    return run


# -- public API ---------------------------------------------------------------------------------


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
) -> Expr:
    """Compile ``source``, whose first character sits at ``path:line:column``.

    With ``names``, any other free name is an error. Every error is an ``InputError`` at the
    exact file position: ``position`` gives the line and column of each character of
    ``source`` (a folded YAML scalar, say); without it, lines after the first are taken to
    start at ``column`` too.
    """
    if not isinstance(source, str):
        raise InputError(path, line, column, f"expected an expression, got {_a(source)}")
    src = _Source(source, path, line, column, position)
    if len(source) > MAX_LENGTH:
        raise src.error(
            0, f"expression is {len(source)} characters long; the limit is {MAX_LENGTH}"
        )
    parser = _Parser(src, frozenset(names) if names is not None else None)
    tree = parser.parse()
    keys = frozenset(parser.keys) if parser.keys is not None else None
    return Expr(source, frozenset(parser.names), tree.run, keys)
