"""Where marks stand in an article's prose (quotes, emphasis, brackets, masks), for questions
about the part of a line before an offset: how many quotes open there, which bracket is last.

Asked by scanning from the line's start, each question costs the line's length: a line of
49 MB with 10,000 findings took 471 s (issue 23). Here each mark's positions are found once,
on first use, by one scan of the prose, and kept as machine integers (8 bytes a mark found);
each question is then a bisection, O(log n) however long the line and however many findings
it has. Lines start where the article's text has them (``SourceText.starts``): the prose keeps
every line break of the lines it holds (``kb_lint.articles.prose``), so an offset in prose
has the same line start in both.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from functools import cache

# Runs of the characters that mask the prose (``prose.MASK``, ``prose.UNSEEN``).
HIDDEN_RUN = re.compile("[\0\1]+")
Mark = str | re.Pattern[str]


class Marks:
    """The positions of marks (a literal, or a pattern of one character) in a prose text."""

    def __init__(self, prose: str, starts: list[int]) -> None:
        self.prose = prose
        self.starts = starts
        self._found: dict[Mark, array[int]] = {}
        self._hidden: tuple[array[int], array[int]] | None = None
        self._at_line: dict[tuple[re.Pattern[str], int], bool] = {}

    def line_start(self, offset: int) -> int:
        """The offset where the line holding ``offset`` starts."""
        return self.starts[bisect_right(self.starts, offset) - 1]

    def count(self, mark: Mark, start: int, end: int) -> int:
        """How many ``mark`` lie wholly in ``prose[start:end]``: a literal as ``str.count``
        counts it there (without overlaps, "****" holds two "**", when no run of the
        literal's characters crosses ``start``); a pattern as ``finditer`` finds it in the
        whole prose, whose lookarounds see past ``start`` and ``end``."""
        found = self._positions(mark)
        width = len(mark) if isinstance(mark, str) else 1
        return bisect_left(found, end - width + 1) - bisect_left(found, start)

    def last(self, mark: str, start: int, end: int) -> int:
        """The offset of the last ``mark`` in ``prose[start:end]``, or -1 (``str.rfind``)."""
        found = self._positions(mark)
        index = bisect_left(found, end - len(mark) + 1)
        return found[index - 1] if index and found[index - 1] >= start else -1

    def hidden(self, start: int, end: int) -> bool:
        """Whether a masked character lies in ``prose[start:end]``."""
        if self._hidden is None:
            starts, ends = array("q"), array("q")
            for match in HIDDEN_RUN.finditer(self.prose):
                starts.append(match.start())
                ends.append(match.end())
            self._hidden = starts, ends
        starts, ends = self._hidden
        index = bisect_right(ends, start)  # the first run that ends after ``start``
        return start < end and index < len(starts) and starts[index] < end

    def matches_line(self, pattern: re.Pattern[str], offset: int) -> bool:
        """Whether ``pattern`` matches at the start of ``offset``'s line (tried once a line)."""
        key = (pattern, self.line_start(offset))
        if key not in self._at_line:
            self._at_line[key] = pattern.match(self.prose, key[1]) is not None
        return self._at_line[key]

    def _positions(self, mark: Mark) -> array[int]:
        found = self._found.get(mark)
        if found is None:
            pattern = mark if isinstance(mark, re.Pattern) else _literal(mark)
            found = array("q", (match.start() for match in pattern.finditer(self.prose)))
            self._found[mark] = found
        return found


@cache
def _literal(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))
