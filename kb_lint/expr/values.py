"""The values of the condition language and its operators: kinds, equality, lookups, arithmetic.

Every operation raises ``Problem`` on a value of the wrong type; the parser's closures add the
position of the part of the expression that went wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

Env = Mapping[str, Any]
Run = Callable[[Env], Any]


class Problem(Exception):
    """A value of the wrong type met at evaluation; the node that catches it adds the position."""

    def __init__(self, message: str, argument: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


class Version:
    """A dotted version number (``2.4.34``): compares part by part, as numbers."""

    __slots__ = ("parts", "text")

    def __init__(self, text: str) -> None:
        parts = text.strip().split(".")
        if not text.strip() or not all(p.isascii() and p.isdigit() for p in parts):
            raise Problem(f"'{text}' is not a version (numbers separated by dots, as 2.4.34)")
        self.text = text.strip()
        # Each part as (digits, digits without leading zeros): compared as numbers, however
        # long (int() refuses a text of more than 4,300 digits).
        self.parts = tuple((len(p.lstrip("0")), p.lstrip("0")) for p in parts)

    def _key(self) -> tuple[tuple[int, str], ...]:
        return self.parts + ((0, ""),) * (8 - len(self.parts))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Version) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Version) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Version) -> bool:
        return self._key() >= other._key()

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"version({self.text!r})"


class Indexed(Sequence[Any]):
    """A list expressions read without it being copied (``kb_lint.expr.prefix``: the events
    before a step's, ``<as>.earlier``): a list to every operator and function, and one that
    may answer ``.key``, ``count``, ``any`` and ``distinct`` from an index. These defaults walk
    it; a subclass overrides them with what its index answers faster."""

    def column(self, key: str) -> Sequence[Any]:
        """``self.key``: each element's value of ``key``."""
        return [lookup(item, key) for item in self]

    def counted(self, value: Any) -> int:
        return sum(1 for item in self if equal(item, value))

    def truthy(self) -> bool:
        return any(self)

    def distinct(self) -> Sequence[Any] | None:
        """The elements without repeats, in first-seen order; None: no faster way than the
        ``distinct`` function's."""
        return None

    def element(self, index: int) -> Any:
        """The element at ``index``, which is in ``range(len(self))``."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.element(i) for i in range(*index.indices(len(self)))]
        return self.element(range(len(self))[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.element(i) for i in range(len(self)))


_KINDS: dict[type, str] = {
    Version: "version",
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


def kind_of(value: Any) -> str:
    """null, bool, number, string, list, mapping, or the Python type name for anything else."""
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    for base, name in (
        (bool, "bool"),
        ((int, float), "number"),
        (str, "string"),
        ((list, tuple, Indexed), "list"),
        (Mapping, "mapping"),
    ):
        if isinstance(value, base):
            return name
    return type(value).__name__


def _type_name(value: Any) -> str:
    """How messages name a value's type: null, bool, int, float, string, list, mapping."""
    kind = kind_of(value)
    return type(value).__name__ if kind == "number" else kind


def a_type(value: Any) -> str:
    """The type with its article: ``null``, ``an int``, ``a string``."""
    name = _type_name(value)
    if name == "null":
        return name
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def equal(a: Any, b: Any) -> bool:
    """Equality by value; booleans never equal numbers, lists and mappings compare deeply."""
    if type(a) is type(b) and type(a) in _PLAIN:
        return bool(a == b)
    kind_a, kind_b = kind_of(a), kind_of(b)
    if kind_a != kind_b:
        return False
    if kind_a == "list":
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if kind_a == "mapping":
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return bool(a == b)


_HASHABLE = {"null": 0, "bool": 1, "number": 2, "string": 3}


def hash_key(value: Any) -> tuple[int, Any] | None:
    """A set key that keeps booleans apart from numbers; None for lists, mappings and others."""
    if type(value) is str:  # the common case, without the type lookup
        return 3, value
    slot = _HASHABLE.get(kind_of(value))
    return None if slot is None else (slot, value)


def is_number(value: Any) -> bool:
    return kind_of(value) == "number"


def in_list(needle: Any, items: Any) -> bool:
    if type(needle) is str or needle is None:
        return needle in items  # only a string equals a string, only null equals null
    return any(equal(needle, item) for item in items)


def member(needle: Any, haystack: Any) -> bool:
    """``needle in haystack``; problems name argument 0 (haystack) or 1 (needle) of contains()."""
    kind = kind_of(haystack)
    if kind == "list":
        return in_list(needle, haystack)
    if kind in ("string", "mapping") and isinstance(needle, str):
        return needle in haystack
    if kind in ("string", "mapping"):
        what = "substring" if kind == "string" else "key"
        raise Problem(
            f"cannot look for {a_type(needle)} in {a_type(haystack)}: the {what} must be a string",
            1,
        )
    raise Problem(
        f"cannot look for a value in {a_type(haystack)}: it must be a list, string or mapping", 0
    )


def lookup(value: Any, key: str) -> Any:
    """``value.key``: mapping key, projection over a list, null through null."""
    if type(value) is dict:
        return value.get(key)
    if type(value) is list and all(type(item) is dict for item in value):
        return [item.get(key) for item in value]
    kind = kind_of(value)
    if kind == "mapping":
        return value.get(key)
    if isinstance(value, Indexed):
        return value.column(key)
    if kind == "list":
        return [lookup(item, key) for item in value]
    if kind == "null":
        return None
    raise Problem(f"cannot look up '{key}' in {a_type(value)}")


def index_of(value: Any, index: Any) -> Any:
    kind = kind_of(value)
    if kind == "list":
        if kind_of(index) != "number" or not isinstance(index, int):
            raise Problem(f"a list index must be an int, not {a_type(index)}")
        return value[index] if -len(value) <= index < len(value) else None
    if kind == "mapping":
        if not isinstance(index, str):
            raise Problem(f"a mapping key must be a string, not {a_type(index)}")
        return value.get(index)
    if kind == "null":
        return None
    raise Problem(f"cannot index {a_type(value)}: only lists and mappings can be indexed")


# -- operators ----------------------------------------------------------------------------------


def _numbers(symbol: str, a: Any, b: Any) -> None:
    if not (is_number(a) and is_number(b)):
        raise Problem(f"'{symbol}' needs two numbers, got {a_type(a)} and {a_type(b)}")


def _add(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a + b
    kind = kind_of(a)
    if kind == kind_of(b) and kind in ("number", "string", "list"):
        return [*a, *b] if kind == "list" else arithmetic(lambda: a + b)
    raise Problem(
        f"'+' needs two numbers, two strings or two lists, got {a_type(a)} and {a_type(b)}"
    )


def _subtract(a: Any, b: Any) -> Any:
    _numbers("-", a, b)
    return arithmetic(lambda: a - b)


def _multiply(a: Any, b: Any) -> Any:
    _numbers("*", a, b)
    return arithmetic(lambda: a * b)


def _divide(a: Any, b: Any) -> Any:
    _numbers("/", a, b)
    if b == 0:
        raise Problem("division by zero")
    return arithmetic(lambda: a / b)


def arithmetic(compute: Callable[[], Any]) -> Any:
    try:
        return compute()
    except OverflowError:
        raise Problem("the number is too large") from None


def _ordering(symbol: str, test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        kind_a = type(a)
        if kind_a is type(b) and (kind_a is int or kind_a is str or kind_a is float):
            return test(a, b)
        kind = kind_of(a)
        if kind == kind_of(b) and kind in ("number", "string", "version"):
            return test(a, b)
        hint = (
            "; write version('2.4') to compare versions" if "version" in (kind, kind_of(b)) else ""
        )
        raise Problem(
            f"'{symbol}' compares two numbers, two strings or two versions, "
            f"not {a_type(a)} and {a_type(b)}{hint}"
        )

    return compare


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
    "==": equal,
    "!=": lambda a, b: not equal(a, b),
    "<": _ordering("<", lambda a, b: a < b),
    "<=": _ordering("<=", lambda a, b: a <= b),
    ">": _ordering(">", lambda a, b: a > b),
    ">=": _ordering(">=", lambda a, b: a >= b),
    "in": member,
    "not in": lambda a, b: not member(a, b),
}
LEVELS = {
    "or": 1,
    "and": 2,
    **dict.fromkeys(("==", "!=", "<", "<=", ">", ">=", "in", "not in"), 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
}
NOT_LEVEL = 3
# The words of the language, which no name may be.
KEYWORDS = frozenset({"and", "or", "not", "in", "if", "else", "true", "false", "null"})
NEGATION_LEVEL = 7


def negate(value: Any) -> Any:
    if not is_number(value):
        raise Problem(f"'-' needs a number, got {a_type(value)}")
    return -value
