"""The rule packs of a command: a pack that does not load is said first, never hidden.

Every command that loads packs goes through ``loaded``: each pack's load error is printed on
stderr at once, as ``kb-lint: file:line:col: message``, before anything the command prints;
the command runs with the packs that load, and ``exit_code`` turns its own code into 2 at the
end when a pack was broken.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from kb_lint.cli import USAGE
from kb_lint.errors import InputError, InputErrors, one_line, shown_path
from kb_lint.findings import NotLoaded
from kb_lint.pack.model import RulePack
from kb_lint.pack.sources import rule_set


def loaded(
    explicit: Path | None, configured: Path | None
) -> tuple[list[RulePack], list[InputError]]:
    """The packs of a run (``rule_set``), and the load errors of those that did not load, each
    already said on stderr."""
    found: list[InputError] = []
    packs = rule_set(explicit, configured, found)
    broken = [_relative(e) for e in found]
    say(broken)
    return packs, broken


def _relative(error: InputError) -> InputError:
    """``error`` with its file named as ``rules check`` names it (``shown_path``)."""
    if isinstance(error, InputErrors):
        return InputErrors([_relative(e) for e in error.errors])
    return InputError(shown_path(Path(error.path)), error.line, error.column, error.message)


def say(errors: Sequence[InputError]) -> None:
    for error in errors:
        print(f"kb-lint: {one_line(str(error))}", file=sys.stderr)


def not_loaded(broken: Sequence[InputError], what: str) -> NotLoaded:
    """The packs that did not load (``broken``: their errors, said above), each by its file,
    once (one pack's errors are all in its file), and ``what`` of theirs was not run."""
    return NotLoaded(tuple(dict.fromkeys(error.path for error in broken)), what)


def exit_code(code: int, broken: Sequence[InputError]) -> int:
    """``code``, or 2 when a pack did not load (a usage or input error outranks findings)."""
    return USAGE if broken and code < USAGE else code


def knock_on(error: InputError, broken: Sequence[InputError]) -> bool:
    """``error`` (an unknown key or action of a file read while a pack did not load) may be
    no error of the file: the pack that did not load may declare it."""
    message = error.message
    return bool(broken) and (
        message.startswith("unknown ") or " is not a value of 'action' (" in message
    )
