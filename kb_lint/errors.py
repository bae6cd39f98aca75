"""The one error type for bad input: it always names a file, a line and a column."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb_lint.findings import Location


class InputError(Exception):
    """Bad input from the user (file, syntax, schema). Reported as ``path:line:col: message``."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message

    @classmethod
    def at(cls, location: Location, message: str) -> InputError:
        return cls(location.path, location.line, location.column, message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A ``did you mean 'x'?`` suffix for a misspelt key, or ``''`` when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
