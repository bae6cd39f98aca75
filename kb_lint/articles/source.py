"""An article file's text: read once, decoded strictly, with positions both ways.

markdown-it splits lines at ``\\r\\n``, ``\\r`` and ``\\n`` and reads NUL as U+FFFD; ``text`` is
the file's text normalised the same way, so token line numbers and the columns computed here
agree. ``raw`` is the text as written (without a BOM); since normalising only rewrites line
endings and swaps one character for one, a (line, column) names the same character in both,
which is how fixes are applied to the file without touching its line endings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.load.read import read_input

BOM = "\ufeff"
_NEWLINE = re.compile(r"\r\n?|\n")


class NotUtf8(InputError):
    """The file's bytes are not UTF-8; the position is that of the first bad byte."""


@dataclass
class SourceText:
    path: str
    raw: str
    bom: bool = False
    text: str = field(init=False)
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        text = self.raw
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\0" in text:
            text = text.replace("\0", "\ufffd")
        self.text = text
        self.lines = text.split("\n")

    @cached_property
    def starts(self) -> list[int]:
        """The offset in ``text`` where each line starts."""
        starts = list(accumulate(len(line) + 1 for line in self.lines))
        return [0, *starts[:-1]]

    def offset(self, line: int, column: int) -> int:
        """The offset in ``text`` of the 1-based ``line`` and ``column``."""
        return self.starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset in ``text``."""
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def raw_offset(self, offset: int) -> int:
        """The offset in ``raw`` of the character at ``offset`` in ``text``."""
        line, column = self.position(offset)
        return self.raw_starts[line - 1] + column - 1

    @cached_property
    def raw_starts(self) -> list[int]:
        """The offset in ``raw`` where each line starts (computed once: ``--fix`` asks for it
        at every edit)."""
        if "\r" not in self.raw:
            return self.starts
        return [0, *(m.end() for m in _NEWLINE.finditer(self.raw))]


def read_source(path: str | Path) -> SourceText:
    """The file's text; ``InputError`` if it cannot be read, ``NotUtf8`` if it is not UTF-8."""
    return decode(read_input(path, what="article"), str(path))  # a regular file, within the cap


def decode(data: bytes, name: str) -> SourceText:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise NotUtf8(name, line, column, _not_utf8(data, exc)) from None
    return SourceText(name, raw, bom)


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    before = data[:index]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    column = len(before[line_start:].decode("utf-8", "replace").lstrip(BOM)) + 1
    return len(_NEWLINE.findall(before.decode("latin-1"))) + 1, column


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"
    byte = data[exc.start]
    return f"the file is not UTF-8: byte 0x{byte:02x} cannot start or continue a character"
