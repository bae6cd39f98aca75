"""Regular expressions written by users (house styles, schema and pack ``pattern``s), run in
linear time.

Python's ``re`` backtracks: ``(a+)+$`` against 32 letters and a full stop takes hours, and
``a*a*a*b`` is cubic. No time budget can stop it in the language server (it lints in a worker
thread; only the main thread gets signals), so user patterns run on RE2 (google-re2), whose
matching time is linear in the text, in any thread:
- ``\\w``, ``\\d`` and ``\\s`` (and ``\\W``, ``\\D``, ``\\S`` outside a class) are rewritten to
  their Unicode classes, so that they mean what they mean in Python (RE2's are ASCII); ``\\b``
  stays RE2's, a boundary between ASCII word characters and the rest;
- a pattern RE2 cannot run (a look-around, a back-reference: the features that need
  backtracking) is refused where it is written, as a pattern that is not valid
  (``re.error``), saying why; so is one that needs more than RE2's memory budget.
Cost: the pattern is rewritten and compiled once; each match is RE2's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import re2

from kb_lint.errors import InputError

Place = tuple[str, int, int]
OUTSIDE = {
    "w": r"[\p{L}\p{N}_]",
    "W": r"[^\p{L}\p{N}_]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "s": r"[\s\p{Z}]",
    "S": r"[^\s\p{Z}]",
}
INSIDE = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}", "s": r"\s\p{Z}"}  # in a class: [\w-]


def compile_pattern(pattern: str, flags: int, where: Place) -> Linear:
    """``pattern`` compiled for RE2 (``re.IGNORECASE`` is the only flag); ``re.error`` when it
    is not a regular expression, or one RE2 cannot run. ``where`` is the pattern's place."""
    re.compile(pattern, flags)  # Python's own message for a pattern that is not one at all
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not flags & re.IGNORECASE
    try:
        compiled = re2.compile(unicode_classes(pattern), options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise re.error(
            f"kb-lint runs patterns in linear time (RE2), which does not support this: {reason} "
            "(look-arounds and back-references need backtracking)"
        ) from None
    return Linear(compiled, pattern, *where)


def place(error: InputError) -> Place:
    """The file, line and column an ``InputError`` names."""
    return error.path, error.line, error.column


def unicode_classes(pattern: str) -> str:
    """``pattern`` with ``\\w``, ``\\d``, ``\\s`` and their negations as Unicode classes."""
    out: list[str] = []
    inside = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            table = INSIDE if inside else OUTSIDE
            out.append(table.get(escaped, char + escaped))
            i += 2
            continue
        if char == "[" and not inside:
            inside = True
            out.append(char)
            i += 1
            for lead in ("^", "]"):  # "[]...]" and "[^]...]": that "]" is a member
                if pattern.startswith(lead, i):
                    out.append(lead)
                    i += 1
            continue
        if char == "]" and inside:
            inside = False
        out.append(char)
        i += 1
    return "".join(out)


@dataclass
class Linear:
    """A user pattern on RE2: the methods of ``re.Pattern`` that kb-lint uses."""

    compiled: Any
    pattern: str  # as the user wrote it
    path: str
    line: int
    column: int

    def match(self, text: str, *args: Any) -> Any:
        return self.compiled.match(text, *args)

    def fullmatch(self, text: str, *args: Any) -> Any:
        return self.compiled.fullmatch(text, *args)

    def search(self, text: str, *args: Any) -> Any:
        return self.compiled.search(text, *args)

    def finditer(self, text: str, *args: Any) -> Iterator[Any]:
        return self.compiled.finditer(text, *args)
