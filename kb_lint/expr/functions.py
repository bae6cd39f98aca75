"""The functions expressions may call: the whole list, each with its signature and summary."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kb_lint.expr.values import (
    Indexed,
    Problem,
    Version,
    a_type,
    arithmetic,
    equal,
    hash_key,
    in_list,
    is_number,
    kind_of,
    member,
)


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
    if kind_of(value) != "list":
        raise Problem(f"{function}() needs a list, got {a_type(value)}", argument)
    return value


def _text(function: str, value: Any, argument: int = 0) -> str:
    if not isinstance(value, str):
        raise Problem(f"{function}() needs a string, got {a_type(value)}", argument)
    return value


def _lists(function: str, value: Any) -> Any:
    for item in _list(function, value):
        if kind_of(item) != "list":
            raise Problem(
                f"{function}() needs a list of lists, got a list holding {a_type(item)}", 0
            )
    return value


def _sortable(function: str, value: Any) -> Any:
    kinds = {kind_of(item) for item in _list(function, value)}
    if len(kinds) > 1 or not kinds <= {"number", "string", "version"}:
        shown = " and ".join(sorted(kinds))
        raise Problem(f"{function}() needs all numbers or all strings, got {shown}", 0)
    return value


def _len(value: Any) -> int:
    if kind_of(value) not in ("string", "list", "mapping"):
        raise Problem(f"len() needs a string, list or mapping, got {a_type(value)}", 0)
    return len(value)


def _count(items: Any, value: Any) -> int:
    if isinstance(items, Indexed):
        return items.counted(value)
    return sum(1 for item in _list("count", items) if equal(item, value))


def _distinct(items: Any, function: str = "distinct") -> Sequence[Any]:
    if isinstance(items, Indexed):
        indexed = items.distinct()
        if indexed is not None:
            return indexed
    seen: set[tuple[int, Any]] = set()
    out: list[Any] = []
    for item in _list(function, items):
        key = hash_key(item)
        if key is None:
            if not any(equal(item, kept) for kept in out):
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
        if not is_number(item):
            raise Problem(f"sum() needs numbers, got a list holding {a_type(item)}", 0)
    return arithmetic(lambda: sum(items))


def _flatten(lists: Any, function: str = "flatten") -> list[Any]:
    return [item for inner in _lists(function, lists) for item in inner]


def _intersect(lists: Any) -> list[Any]:
    first, *rest = _lists("intersect", lists) or [[]]
    return [v for v in _distinct(first) if all(in_list(v, other) for other in rest)]


def _contains(haystack: Any, needle: Any) -> bool:
    return member(needle, haystack)


def _any(items: Any) -> bool:
    if isinstance(items, Indexed):
        return items.truthy()
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


def _version(text: Any) -> Version:
    return Version(_text("version", text))


def _date(value: Any, argument: int) -> datetime.date:
    try:
        return datetime.date.fromisoformat(_text("days", value, argument))
    except ValueError:
        raise Problem(f'days() needs a date (YYYY-MM-DD), got "{value}"', argument) from None


def _compact(items: Any) -> list[Any]:
    return [item for item in _list("compact", items) if item is not None]


def _days(start: Any, end: Any) -> int:
    return (_date(end, 1) - _date(start, 0)).days


def _whole(function: str, to_integer: Callable[[float], int]) -> Callable[[Any], int]:
    """A rounding function: a number in, an int out; null or anything else is a problem, as for
    the other numeric functions and operators."""

    def run(value: Any) -> int:
        if not is_number(value):
            raise Problem(f"{function}() needs a number, got {a_type(value)}", 0)
        if not math.isfinite(value):
            raise Problem(f"{function}() needs a finite number, got {value}", 0)
        return value if isinstance(value, int) else to_integer(value)

    return run


def _round_half_away(value: float) -> int:
    """The nearest integer; a half rounds away from zero (2.5 -> 3, -2.5 -> -3)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


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
        _function(
            "ceil(x)",
            "the smallest integer not below the number (``ceil(750 / 250)`` is 3, "
            "``ceil(800 / 250)`` is 4).",
            _whole("ceil", math.ceil),
        ),
        _function(
            "floor(x)",
            "the largest integer not above the number (``floor(3.9)`` is 3).",
            _whole("floor", math.floor),
        ),
        _function(
            "round(x)",
            "the nearest integer; a half rounds away from zero (``round(2.5)`` is 3).",
            _whole("round", _round_half_away),
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
        _function(
            "compact(list)",
            "the list without its nulls (``max(compact(bindings.seats))``).",
            _compact,
        ),
        _function("sorted(list)", "numbers or strings in ascending order.", _sorted),
        _function(
            "startswith(text, prefix)", "true when ``text`` begins with ``prefix``.", _startswith
        ),
        _function("endswith(text, suffix)", "true when ``text`` ends with ``suffix``.", _endswith),
        _function("contains(haystack, needle)", "the same as ``needle in haystack``.", _contains),
        _function(
            "version(text)",
            "the version ``text`` names (``2.4.34``), to compare with ``<``.",
            _version,
        ),
        _function(
            "days(from, to)",
            "the days from one date (``2026-12-01``, as ``at`` gives it) to another; negative "
            "when ``to`` comes first.",
            _days,
        ),
    )
}
