"""Positions both ways: kb-lint's 1-based line and column (in characters) and LSP's 0-based
line and character (in the code units the client chose, UTF-16 unless it said otherwise).

LSP ends lines at ``\\r\\n``, ``\\r`` and ``\\n`` only, as kb-lint does; Python's
``splitlines`` also splits at form feeds and Unicode separators, so it is not used here.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

NEWLINE = re.compile(r"\r\n|\r|\n")
# A value as YAML or JSON writes it on one line: quoted, or up to a separator or a comment.
QUOTED = re.compile(r""""(?:[^"\\\n]|\\.)*"?|'(?:[^'\n]|'')*'?""")
PLAIN = re.compile(r"[^,\]}\n]*?(?=\s+#|\s*[,\]}]|\s*$)", re.MULTILINE)
WORD = re.compile(r"\w[\w'’-]*|\S")
NOT_ASCII = re.compile(r"[^\x00-\x7f]")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass
class Text:
    """A document's text, split into lines once, with a codec for the client's units."""

    source: str
    codec: PositionCodec

    @cached_property
    def lines(self) -> list[str]:
        return NEWLINE.split(self.source)

    def clamp(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based position moved into the text (a finding may point past its end)."""
        line = min(max(line, 1), len(self.lines))
        return line, min(max(column, 1), len(self.lines[line - 1]) + 1)

    def to_client(self, line: int, column: int) -> types.Position:
        """What ``codec.position_to_client_units`` gives, which counts the units of every
        character before the column, per position: 1,000 diagnostics on a 1 MB line took
        150 s. Here a line's characters wider than one unit are found once (none in ASCII),
        and a position adds the extra units of those before it, found by bisection."""
        line, column = self.clamp(line, column)
        wide, extra = self._wide(line - 1)
        before = bisect_left(wide, column - 1)
        return types.Position(line - 1, column - 1 + (extra[before - 1] if before else 0))

    @cached_property
    def _widths(self) -> dict[int, tuple[array[int], array[int]]]:
        return {}

    def _wide(self, index: int) -> tuple[array[int], array[int]]:
        """Where the line's characters wider than one unit stand, and the extra units of
        those up to each (kept once asked)."""
        found = self._widths.get(index)
        if found is None:
            text, units = self.lines[index], self.codec.impl.code_units_for_char
            wide, extra = array("q"), array("q")
            pattern = self._wider
            if pattern is not None and not text.isascii():
                for match in pattern.finditer(text):
                    wide.append(match.start())
                    extra.append((extra[-1] if extra else 0) + units(match.group()) - 1)
            found = self._widths[index] = (wide, extra)
        return found

    @cached_property
    def _wider(self) -> re.Pattern[str] | None:
        """The characters wider than one unit of the client's encoding: any but ASCII in
        UTF-8, those past U+FFFF in UTF-16, none in UTF-32."""
        units = self.codec.impl.code_units_for_char
        if units("\x80") > 1:
            return NOT_ASCII
        return ASTRAL if units("\U00010000") > 1 else None

    def from_client(self, position: types.Position) -> tuple[int, int]:
        """The 1-based line and column of a client position."""
        if position.line >= len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        server = self.codec.position_from_client_units(self.lines, position)
        return server.line + 1, server.character + 1

    def range(self, start: tuple[int, int], end: tuple[int, int]) -> types.Range:
        return types.Range(self.to_client(*start), self.to_client(*end))

    def token(self, line: int, column: int, prose: bool) -> types.Range:
        """The range of what starts at a finding's position: the word (prose), else the value
        (YAML, JSON, CSV); at least one character when the line has one there."""
        line, column = self.clamp(line, column)
        text = self.lines[line - 1]
        at = column - 1
        found = WORD.match(text, at) if prose else QUOTED.match(text, at) or PLAIN.match(text, at)
        end = found.end() if found and found.end() > at else min(at + 1, len(text))
        return self.range((line, column), (line, end + 1))

    def line_end(self, line: int) -> types.Position:
        return self.to_client(line, len(self.lines[line - 1]) + 1)
