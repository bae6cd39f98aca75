"""Regular expressions written by users (house styles, schema ``pattern``s), run safely.

Python's ``re`` backtracks: ``(a+)+$`` against 32 letters and a full stop takes hours. A linear
engine (RE2) would change what ``\\w`` and ``\\s`` mean for non-ASCII text, so kb-lint keeps
``re`` and gives each match of a pattern that *can* backtrack exponentially a time budget:
- a pattern is risky when a repeat that may run more than once holds another repeat (``(a+)+``,
  ``(a?){30}``), an alternation (``(a|ab)*``) or a back-reference; that is read off the parsed
  pattern once, at compile time;
- a risky pattern matches under a real-time timer (``MATCH_SECONDS``, SIGALRM in the main
  thread; CPython's matcher checks for signals as it goes); when it fires, the match stops and
  the pattern is an ``InputError`` at its place in the style, with the reason;
- every other pattern is a plain ``re.Pattern``: no cost on the hot paths (the a/an rules).
Cost of a guarded match: about 1.5 µs of timer calls.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kb_lint.errors import InputError
from kb_lint.limits import MATCH_SECONDS

Place = tuple[str, int, int]
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")


def compile_pattern(pattern: str, flags: int, where: Place) -> re.Pattern[str] | Guarded:
    """``pattern`` compiled (``re.error`` when it is not a regular expression); a risky one is
    wrapped so that each match has a time budget. ``where`` is the pattern's place (file, line,
    column), for the message when the budget runs out."""
    compiled = re.compile(pattern, flags)
    if not risky(pattern, flags):
        return compiled
    return Guarded(compiled, *where)


def place(error: InputError) -> Place:
    """The file, line and column an ``InputError`` names."""
    return error.path, error.line, error.column


def risky(pattern: str, flags: int = 0) -> bool:
    """Can ``pattern`` backtrack exponentially: a repeat of more than one that holds a repeat,
    an alternation or a back-reference?"""
    from re import _parser  # type: ignore[attr-defined]

    def walk(items: Any, inside: bool) -> bool:
        """``inside``: within a repeat that may run more than once."""
        for op, av in items:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS") or (
                inside and name in (*_REPEATS, "BRANCH")
            ):
                return True
            if name in _REPEATS:
                parts = [(av[2], av[1] > 1)]
            elif name == "BRANCH":
                parts = [(branch, False) for branch in av[1]]
            elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
                parts = [(av[-1], False)]
            elif name == "ATOMIC_GROUP":
                parts = [(av, False)]
            elif name == "POSSESSIVE_REPEAT":  # never gives back what it took
                parts = [(av[2], False)]
            else:
                continue
            if any(walk(body, inside or again) for body, again in parts):
                return True
        return False

    return walk(_parser.parse(pattern, flags), False)


class PatternTooSlow(Exception):
    """Raised by the timer inside a guarded match."""


@dataclass
class Guarded:
    """A risky pattern: the methods of ``re.Pattern`` that kb-lint uses, each under a timer."""

    compiled: re.Pattern[str]
    path: str
    line: int
    column: int

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        return self._run(self.compiled.match, text, *args)

    def fullmatch(self, text: str, *args: Any) -> re.Match[str] | None:
        return self._run(self.compiled.fullmatch, text, *args)

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        return self._run(self.compiled.search, text, *args)

    def finditer(self, text: str, *args: Any) -> Iterator[re.Match[str]]:
        return iter(self._run(lambda *a: list(self.compiled.finditer(*a)), text, *args))

    def _run(self, method: Any, text: str, *args: Any) -> Any:
        if (
            not hasattr(signal, "SIGALRM")
            or threading.current_thread() is not threading.main_thread()
        ):
            return method(text, *args)  # no timer signals here (Windows, or another thread)

        def expire(signum: int, frame: Any) -> None:
            raise PatternTooSlow

        previous = signal.signal(signal.SIGALRM, expire)
        delay, interval = signal.setitimer(signal.ITIMER_REAL, MATCH_SECONDS)
        try:
            return method(text, *args)
        except PatternTooSlow:
            raise InputError(
                self.path,
                self.line,
                self.column,
                f"pattern '{self.pattern}' took more than {MATCH_SECONDS:g} s on a text of "
                f"{len(text):,} characters: it backtracks exponentially (a repeat inside a "
                "repeat, such as (a+)+, or a repeated alternation whose branches overlap); "
                "rewrite it",
            ) from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, delay, interval)
            signal.signal(signal.SIGALRM, previous)
