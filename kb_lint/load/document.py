"""A loaded file: its text, its data, and a locator from pointers to positions in the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kb_lint.limits import MAX_DIGITS

Pointer = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column
TOO_LONG = f"a number longer than {MAX_DIGITS} digits"


class Locator(Protocol):
    """Finds where values (and the keys that name them) are written in one file."""

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        """The position of each pointer's value, or of its deepest existing parent."""
        ...

    def key(self, pointer: Pointer) -> Position:
        """The position of the mapping key that names the pointer's last part."""
        ...

    def span(self, pointer: Pointer) -> tuple[int, int] | None:
        """The character offsets where the value's text starts and ends, when known."""
        ...


class AsciiText:
    """A file's text kept as its bytes, all ASCII, and decoded when first read (``text``): a
    JSON file is parsed from its bytes, and only a position asked for (a finding's, an error's)
    needs its text. Cost: one decode, of a file that has a finding or an error."""

    __slots__ = ("_bytes", "_text")

    def __init__(self, octets: bytes) -> None:
        self._bytes = octets
        self._text: str | None = None

    @property
    def octets(self) -> bytes:
        return self._bytes if self._text is None else self._text.encode("ascii")

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._bytes.decode("ascii")
            self._bytes = b""  # one copy of the file kept, not two
        return self._text


@dataclass
class Document:
    """``source``: the file's text, or its ASCII bytes (``AsciiText``), decoded when ``text``
    is first read; ``read``: the columns bulk validation read of the lists of flat records in
    ``data`` (a policy's users), by the list's id, for the model to take
    (``kb_lint.load.schema_bulk.Read``); ``counted``: the members of all the mappings of each
    long list of mappings alone in ``data``, by the list's id, as the parser counted them
    (JSON), for validation to take."""

    path: str
    source: str | AsciiText
    data: Any
    locator: Locator
    read: dict[int, Any] = field(default_factory=dict, repr=False, compare=False, kw_only=True)
    counted: dict[int, int] = field(default_factory=dict, repr=False, compare=False, kw_only=True)

    @property
    def text(self) -> str:
        source = self.source
        return source if isinstance(source, str) else source.text

    def path_of(self, pointer: Pointer) -> str:
        """The file the value at ``pointer`` is written in (an estate spans several)."""
        return self.path

    def locate(self, pointer: Pointer) -> Position:
        return self.locator.values({pointer})[pointer]

    def locate_many(self, pointers: Iterable[Pointer]) -> dict[Pointer, Position]:
        """Every pointer's position, found in one pass over the file."""
        return self.locator.values(set(pointers))

    def locate_key(self, pointer: Pointer) -> Position:
        return self.locator.key(pointer)

    def characters(self, pointer: Pointer) -> Callable[[int], Position]:
        """Where each character of the string at ``pointer`` is written. YAML folds lines and
        quotes escape, so character n of a value is not always n characters after its start:
        the value is matched against its text, character by character."""
        value: Any = self.data
        for part in pointer:
            value = value[part]
        span = self.locator.span(pointer)
        if not isinstance(value, str) or span is None:
            line, column = self.locate(pointer)
            return lambda offset: (line, column + offset)
        written = _align(value, self.text, *span)

        def position(offset: int) -> Position:
            at = written[offset] if offset < len(written) else span[1]
            return self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)

        return position


def _align(value: str, text: str, start: int, end: int) -> list[int]:
    """For each character of ``value``, its offset in ``text[start:end]``, the text it was read
    from: indentation, quotes and escape marks are skipped, and a space may be a folded line."""
    found = []
    at = start
    for char in value:
        while at < end and text[at] != char and not (char == " " and text[at] == "\n"):
            at += 1
        found.append(min(at, end))
        at += 1
    return found


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
