"""A loaded file: its text, its data, and a locator from pointers to positions in the text."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

Pointer = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column
MAX_DIGITS = sys.get_int_max_str_digits()  # the longest integer Python reads from text
TOO_LONG = f"a number longer than {MAX_DIGITS} digits"


class Locator(Protocol):
    """Finds where values (and the keys that name them) are written in one file."""

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        """The position of each pointer's value, or of its deepest existing parent."""
        ...

    def key(self, pointer: Pointer) -> Position:
        """The position of the mapping key that names the pointer's last part."""
        ...


@dataclass
class Document:
    path: str
    text: str
    data: Any
    locator: Locator

    def locate(self, pointer: Pointer) -> Position:
        return self.locator.values({pointer})[pointer]

    def locate_many(self, pointers: Iterable[Pointer]) -> dict[Pointer, Position]:
        """Every pointer's position, found in one pass over the file."""
        return self.locator.values(set(pointers))

    def locate_key(self, pointer: Pointer) -> Position:
        return self.locator.key(pointer)


def positions(text: str, offsets: dict[Pointer, int]) -> dict[Pointer, Position]:
    """Character offsets into ``text`` as (line, column), counting newlines once in order."""
    found: dict[Pointer, Position] = {}
    line, line_start, last = 1, 0, 0
    for pointer, offset in sorted(offsets.items(), key=lambda item: item[1]):
        newlines = text.count("\n", last, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", 0, offset) + 1
        last = offset
        found[pointer] = (line, offset - line_start + 1)
    return found
