"""The first k records of an append-only log, read as a list without being copied.

A sequence step (or a procedure's change) reads the timeline's events before its own, of its
instance, as ``<as>.earlier``. Copying that list for each event would cost O(n²) for n events;
instead each event is appended once to its instance's ``Log``, and an event's ``earlier`` is a
``Prefix`` of it: the log's length when the event came, made in O(1), and still the same list
however much the log grows after it.

The log indexes each field as records arrive (O(fields) per record): the positions of each
value, the first position where the field is true, and the positions where a value is first
seen. Over a prefix of length k, ``len(p)``, ``count(p.f, v)``, ``v in p.f``, ``any(p.f)`` and
``len(distinct(p.f))`` then cost O(log n) (one bisection) whatever k is, so a step that counts
earlier events at every event of a timeline costs O(n log n) in all. What no index answers (a
field that holds a list, ``sum``, ``max``, an element by index) walks the prefix: O(k).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kb_lint.expr.values import Indexed, hash_key, lookup


class Log:
    """Records appended in order, each field indexed (``names``: the fields a record may have;
    a record without one holds null there, as expressions read it)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self.records: list[Mapping[str, Any]] = []
        self.places: dict[tuple[str, tuple[int, Any]], list[int]] = {}  # (field, value) -> at
        self.firsts: dict[str, list[int]] = {}  # field -> where each value is first seen
        self.first_true: dict[str, int] = {}
        self.unindexed: set[str] = set()  # fields that held a list or a mapping somewhere

    def append(self, record: Mapping[str, Any]) -> None:
        at = len(self.records)
        self.records.append(record)
        for name in self.names:
            value = record.get(name)
            if value and name not in self.first_true:
                self.first_true[name] = at
            key = hash_key(value)
            if key is None:
                self.unindexed.add(name)
                continue
            places = self.places.setdefault((name, key), [])
            if not places:
                self.firsts.setdefault(name, []).append(at)
            places.append(at)

    def prefix(self) -> Prefix:
        """The records so far, as a list that does not grow with the log."""
        return Prefix(self, len(self.records))


class Prefix(Indexed):
    """The first ``stop`` records of a log."""

    __slots__ = ("log", "stop")

    def __init__(self, log: Log, stop: int) -> None:
        self.log = log
        self.stop = stop

    def __len__(self) -> int:
        return self.stop

    def element(self, index: int) -> Any:
        return self.log.records[index]

    def column(self, key: str) -> Sequence[Any]:
        if key not in self.log.names:
            return [lookup(record, key) for record in self]
        return Column(self.log, key, self.stop)


class Column(Indexed):
    """One field of each record of a prefix (``earlier.action``), answered from the log's
    indexes."""

    __slots__ = ("log", "name", "stop")

    def __init__(self, log: Log, name: str, stop: int) -> None:
        self.log = log
        self.name = name
        self.stop = stop

    def __len__(self) -> int:
        return self.stop

    def element(self, index: int) -> Any:
        return self.log.records[index].get(self.name)

    def counted(self, value: Any) -> int:
        key = hash_key(value)
        if key is None or self.name in self.log.unindexed:
            return super().counted(value)
        return bisect_left(self.log.places.get((self.name, key), ()), self.stop)

    def __contains__(self, value: object) -> bool:
        return self.counted(value) > 0

    def truthy(self) -> bool:
        return self.log.first_true.get(self.name, self.stop) < self.stop

    def distinct(self) -> Sequence[Any] | None:
        if self.name in self.log.unindexed:
            return None
        firsts = self.log.firsts.get(self.name, [])
        return Firsts(self.log, self.name, firsts, bisect_left(firsts, self.stop))


class Firsts(Indexed):
    """The values of one field of a prefix without repeats, in first-seen order: the records
    where each is first seen."""

    __slots__ = ("at", "log", "name", "size")

    def __init__(self, log: Log, name: str, at: list[int], size: int) -> None:
        self.log = log
        self.name = name
        self.at = at
        self.size = size

    def __len__(self) -> int:
        return self.size

    def element(self, index: int) -> Any:
        return self.log.records[self.at[index]].get(self.name)
