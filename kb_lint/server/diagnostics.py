"""Findings as LSP diagnostics: the rule id as code, a link to its page, severity mapped, every
other location involved as related information, and the safe fix (if any) kept in ``data`` for
the code action that applies it.

A lint stopped by bad input gives one error diagnostic: at its position when it is in this
document, else on the first line, naming the file and position where it is (the config, a
rule pack) and linking there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types

from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.server.lint import ARTICLE, Linted
from kb_lint.server.positions import Text

SOURCE = "kb-lint"
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def to_diagnostics(
    linted: Linted, path: Path, text: Text, href: Callable[[str], str | None]
) -> list[types.Diagnostic]:
    """The diagnostics of one document's lint; ``href`` gives a rule's page, if it has one."""
    if linted.error is not None:
        return [_input_error(linted.error, path, text)]
    prose = linted.kind == ARTICLE
    return [_diagnostic(f, linted, text, prose, href) for f in linted.findings]


def _diagnostic(
    finding: Finding, linted: Linted, text: Text, prose: bool, href: Callable[[str], str | None]
) -> types.Diagnostic:
    loc = finding.location
    data: dict[str, Any] = {"rule": finding.rule}
    edit = finding.extra.get("edit")
    if edit is not None:
        start, end = linted.edit_span(edit)
        fix_range = text.range(start, end)
        data["fix"] = {"range": range_list(fix_range), "newText": edit.text}
        where = fix_range if start != end else text.token(loc.line, loc.column, prose)
    else:
        where = text.token(loc.line, loc.column, prose)
    if finding.outcome is not None:
        data["outcome"] = finding.outcome
    page = href(finding.rule)
    return types.Diagnostic(
        range=where,
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        code_description=types.CodeDescription(href=page) if page else None,
        source=SOURCE,
        related_information=[_related(r) for r in finding.related] or None,
        data=data,
    )


def _related(location: Location) -> types.DiagnosticRelatedInformation:
    """Another place a finding involves. Its column is counted in characters: the other file's
    text is not at hand to count UTF-16 units, and the two differ only past U+FFFF."""
    where = _location(location.path, location.line, location.column)
    return types.DiagnosticRelatedInformation(where, location.note or "involved here")


def _location(name: str, line: int, column: int) -> types.Location:
    """A place in a file; kb-lint names files as the server named them to it: absolutely."""
    other = Path(name).absolute()
    position = types.Position(max(line - 1, 0), max(column - 1, 0))
    return types.Location(other.as_uri(), types.Range(position, position))


def _input_error(error: InputError, path: Path, text: Text) -> types.Diagnostic:
    if Path(error.path) == path:
        return types.Diagnostic(
            range=text.token(error.line, error.column, prose=False),
            message=error.message,
            severity=types.DiagnosticSeverity.Error,
            source=SOURCE,
        )
    elsewhere = _location(error.path, error.line, error.column)
    return types.Diagnostic(
        range=types.Range(text.to_client(1, 1), text.line_end(1)),
        message=f"not linted: {error}",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
        related_information=[types.DiagnosticRelatedInformation(elsewhere, error.message)],
    )


def range_list(where: types.Range) -> list[int]:
    """A range as ``data`` keeps it (plain JSON): start line and character, end line and
    character."""
    return [where.start.line, where.start.character, where.end.line, where.end.character]


def list_range(numbers: list[int]) -> types.Range:
    return types.Range(types.Position(*numbers[:2]), types.Position(*numbers[2:]))
