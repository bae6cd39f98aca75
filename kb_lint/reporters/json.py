"""The JSON report: the public contract other tools parse (SPEC, "Input and output contracts")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kb_lint.errors import UNSAFE_IN_JSON, InputError
from kb_lint.findings import Finding, Location, Summary


@dataclass(frozen=True)
class Fixed:
    """One change ``--fix`` made: where, by which rule, the text before and after."""

    path: str
    line: int
    column: int
    rule: str
    before: str
    after: str


def render_json(
    findings: list[Finding],
    summary: Summary,
    problems: Sequence[InputError] = (),
    fixes: Sequence[Fixed] | None = None,
) -> str:
    """One JSON object; each finding on a line of its own, so that a report of ten thousand
    findings is written at C speed and still reads (and greps, and diffs) line by line.
    ``input_errors`` lists the files that could not be checked; ``fixes``, with ``--fix``,
    what was changed."""
    lines = [dumps(finding_object(f)) for f in sorted(findings, key=Finding.sort_key)]
    totals = {
        "files": summary.files,
        "findings": summary.findings,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
        "input_errors": len(problems),
    }
    shown = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
    errors = [
        {"path": e.path, "line": e.line, "column": e.column, "message": e.message} for e in problems
    ]
    extra = "" if fixes is None else f'"fixes": {dumps([vars(f) for f in fixes])},\n'
    return (
        f'{{"findings": {shown},\n"input_errors": {dumps(errors)},\n{extra}'
        f'"summary": {dumps(totals)}}}\n'
    )


def finding_object(finding: Finding) -> dict[str, Any]:
    """One finding in contract order; keys whose value is None are left out."""
    loc = finding.location
    entry: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "subject": finding.subject,
        "outcome": finding.outcome,
        "related": [_location(r) for r in finding.related],
        "fix": finding.fix,
        "cites": finding.cites,
        "why": finding.why,
        "because": list(finding.because) or None,
    }
    return {key: value for key, value in entry.items() if value is not None}


def _location(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column, "note": loc.note}


def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """JSON text of ``value``, UTF-8 as is; values JSON lacks (dates, sets) become strings/lists.
    Control characters, line separators and bidirectional overrides are ``\\u`` escapes (JSON
    escapes only those below U+0020): the same value, nothing a terminal acts on."""
    text = json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=False, default=_plain)
    return UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)
