"""The one error type for bad input: it always names a file, a line and a column."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb_lint.findings import Location

# Characters that show as nothing: a soft hyphen, zero-width spaces and joiners, direction
# marks, the word joiner and invisible operators, a byte-order mark. A value holding one looks
# like the value without it ("a@x.example\u200b"), so a message shows each as its escape.
INVISIBLE = "\xad\u200b-\u200f\u2060-\u2064\ufeff"
# Control characters, and the bidirectional overrides that could reorder what a reader sees.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same, and every line break: an error message is one line.
CONTROL_OR_BREAK = re.compile(
    f"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{INVISIBLE}]"
)
# What JSON leaves as it is in a string but a terminal or an editor acts on, or a reader misses.
UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069{INVISIBLE}]")


def shown_path(path: Path) -> str:
    """A file or folder as messages name it, as the user would type it: relative to the
    current folder when inside it (in a checkout of kb-lint, the shipped packs are ``rules``)."""
    resolved = path.resolve()
    here = Path.cwd().resolve()
    return resolved.relative_to(here).as_posix() if resolved.is_relative_to(here) else str(path)


class InputError(Exception):
    """Bad input from the user (file, syntax, schema). Reported as ``path:line:col: message``;
    line and column 0 when the error is about the file as a whole."""

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
        """``path:line:col: message``; an error about a file as a whole (line 0: a folder, a
        device, a missing file, one too large) is at 1:1, so that every error has the place
        editors and CI problem matchers read."""
        return one_line(f"{self.path}:{max(self.line, 1)}:{max(self.column, 1)}: {self.message}")


class RuleError(InputError):
    """A pack's rule that failed on a deployment (``len(null)``): the error is at the rule's
    expression, the deployment's other rules ran, and only ``rule``'s findings on it are
    missing: the pack's fault, not the file's."""

    def __init__(self, path: str, line: int, column: int, message: str, rule: str) -> None:
        super().__init__(path, line, column, message)
        self.rule = rule


def visible(match: re.Match[str]) -> str:
    """A control character as its escape (``\\x07``, ``\\u202e``)."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# The longest line a message is shown as (a 50 MB value echoed whole is no use in a CI log):
# past it, its first HEAD and last TAIL characters, with how many are left out between.
LONGEST_LINE, HEAD, TAIL = 2_000, 1_000, 200


def one_line(text: str) -> str:
    """``text`` on one line, every control character and line break escaped (a file name or a
    value may hold them; a terminal must not act on them), at most ``LONGEST_LINE``
    characters before escaping."""
    if len(text) > LONGEST_LINE:
        left_out = len(text) - HEAD - TAIL
        text = f"{text[:HEAD]} … ({left_out:,} characters left out) … {text[-TAIL:]}"
    return CONTROL_OR_BREAK.sub(visible, text)


class InputErrors(InputError):
    """Several input errors of one file, reported together (every schema error of a pack)."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.column, first.message)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(map(str, self.errors))


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A ``did you mean 'x'?`` suffix for a misspelt key, or ``''`` when nothing is close."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells, if one is close enough (difflib, 0.6)."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def spelled(value: Any) -> str:
    """A value as a pack file writes it: ``true``, ``false``, ``null``, a number, a word."""
    return value if isinstance(value, str) else json.dumps(value)


def not_a_value(value: Any, what: str, values: Iterable[Any]) -> str:
    """``'V' is not a value of WHAT (a, b); did you mean 'a'?``: the one wording of a value
    outside an enum (a field's, an outcome's, an input's; a literal of an expression), the
    values as a file writes them. A quoted ``"false"`` where ``false`` is wanted is told to
    drop the quotes; else a near miss is suggested."""
    known = [spelled(v) for v in values]
    written = {spelled(v) for v in values if not isinstance(v, str)}
    if isinstance(value, str) and value in written:
        hint = f'; "{value}" in quotes is text: write {value} without quotes'
    else:
        close = closest(spelled(value), known)
        hint = f"; did you mean '{close}'?" if close else ""
    return f"'{spelled(value)}' is not a value of {what} ({', '.join(known)}){hint}"
