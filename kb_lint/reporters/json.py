"""The JSON report: the public contract other tools parse (SPEC, "Input and output contracts")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from kb_lint.errors import UNSAFE_IN_JSON, InputError, RuleError
from kb_lint.findings import Finding, Location, NotLoaded, Summary


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
    unloaded: NotLoaded | None = None,
) -> str:
    """One JSON object; each finding on a line of its own, so that a report of ten thousand
    findings is written at C speed and still reads (and greps, and diffs) line by line.
    ``input_errors`` lists the files that could not be checked, and the rules that failed on
    a file (with ``rule``: the error is at its expression); ``fixes``, with ``--fix``,
    what was changed; with ``unloaded`` (a review of rule packs), the summary counts and
    names the packs that did not load (``packs_not_loaded``, ``packs_not_loaded_files``).
    One encoder, made once, writes every line (``_encode_one``), the lines are searched for
    unsafe characters only when one does not print, and one join makes the report (a copy of
    ten thousand findings' text costs as much as writing it)."""
    lines = [_encode_one(finding_object(f)) for f in sorted(findings, key=Finding.sort_key)]
    totals = {
        "files": summary.files,
        "findings": summary.findings,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
        "input_errors": len(problems),
    } | (unloaded.summary() if unloaded is not None else {})
    if not all(map(str.isprintable, lines)):  # no line holds a line break: JSON escapes them
        lines = list(map(_safe, lines))
    errors = [
        {"path": e.path, "line": e.line, "column": e.column, "message": e.message}
        | ({"rule": e.rule} if isinstance(e, RuleError) else {})
        for e in problems
    ]
    extra = "" if fixes is None else f'"fixes": {dumps([vars(f) for f in fixes])},\n'
    end = f',\n"input_errors": {dumps(errors)},\n{extra}"summary": {dumps(totals)}}}\n'
    if not lines:
        return '{"findings": []' + end
    # one join makes the whole report: the findings' text is copied once, into the report
    lines[0] = '{"findings": [\n' + lines[0]
    lines[-1] = lines[-1] + "\n]" + end
    return ",\n".join(lines)


def finding_object(finding: Finding) -> dict[str, Any]:
    """One finding in contract order; keys whose value is None are left out."""
    f, loc = finding, finding.location
    entry: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
    }
    if f.subject is not None:
        entry["subject"] = f.subject
    if f.outcome is not None:
        entry["outcome"] = f.outcome
    entry["related"] = [_location(r) for r in f.related]
    for key, value in (("fix", f.fix), ("cites", f.cites), ("why", f.why)):
        if value is not None:
            entry[key] = value
    if f.because:
        entry["because"] = list(f.because)
    return entry


def _location(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column, "note": loc.note}


def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """JSON text of ``value``, UTF-8 as is; values JSON lacks (dates, sets) become strings/lists.
    Control characters, line separators and bidirectional overrides are ``\\u`` escapes (JSON
    escapes only those below U+0020): the same value, nothing a terminal acts on."""
    if indent is None and not sort_keys:
        return _safe(ENCODER.encode(value))
    text = json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=False, default=_plain)
    return _safe(text)


def _safe(text: str) -> str:
    """JSON text with ``UNSAFE_IN_JSON`` characters as ``\\u`` escapes (ASCII has one: DEL).
    None of them is printable, so text whose lines all print has none: told at C speed, one
    look at each character, before the pattern's slower search."""
    if text.isascii() and "\x7f" not in text:
        return text
    if all(map(str.isprintable, text.split("\n"))):
        return text
    return UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


# ``dumps``' encoder when it neither indents nor sorts (``json.dumps`` makes one per call).
ENCODER = json.JSONEncoder(ensure_ascii=False, default=_plain)


def _encode_one(value: Any) -> str:
    """``ENCODER.encode(value)`` with the C encoder made once, not once per value as ``encode``
    makes it (no check for circular references: a finding holds none)."""
    return "".join(_C_ENCODE(value, 0))


_C_ENCODE = (
    c_make_encoder(None, _plain, encode_basestring, None, ": ", ", ", False, False, True)
    if c_make_encoder is not None
    else lambda value, _: [ENCODER.encode(value)]
)
