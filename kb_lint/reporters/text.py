"""The report for people: one gcc/ruff-like line per finding, details indented under it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kb_lint.errors import one_line
from kb_lint.findings import Finding, Location, Summary
from kb_lint.pack.model import list_text

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
SEVERITY_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


def render_text(
    findings: list[Finding],
    summary: Summary,
    *,
    color: bool = False,
    problems: int = 0,
    packs: int = 0,
    rules: int = 0,
    unloaded: str = "",
) -> str:
    """One line per finding, details under it, and a summary line that counts the errors of
    the files that could not be checked (``problems``) and, apart, the load errors of the rule
    packs that did not load (``packs``; the files were checked with the others) and the rules
    that failed on a file (``rules``; the file was checked by the others): their errors are on
    stderr. ``unloaded`` ends the summary saying which packs a review could not judge (``rules
    check``: their load errors are findings; ``NotLoaded.words``)."""
    lines: list[str] = []
    for finding in sorted(findings, key=Finding.sort_key):
        lines.extend(_finding_lines(finding, color))
    lines.append(summary_line(summary, problems, packs, rules, unloaded))
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding, color: bool) -> list[str]:
    tint = SEVERITY_COLORS.get(finding.severity, "") if color else ""
    bold = BOLD if color else ""
    head = (
        f"{_paint(_place(finding.location), bold)}: {_paint(clean(finding.rule), bold + tint)} "
        f"{_paint(clean(finding.severity), tint)} {clean(finding.message)}"
    )
    details: list[tuple[str, str]] = []
    if words := outcome_words(finding.outcome or {}, finding.predicts):
        details.append(("outcome", words))
    for loc in finding.related:
        details.append(("also", _place(loc) + (f" ({loc.note})" if loc.note else "")))
    if finding.why:
        details.append(("why", finding.why))
    if finding.fix:
        details.append(("fix", finding.fix))
    if finding.cites:
        details.append(("cites", finding.cites))
    return [head, *(f"  = {label}: {clean(value)}" for label, value in details)]


def outcome_words(outcome: dict[str, Any], predicts: Iterable[str] | None = None) -> str:
    """``{"sync_errors": True, "mailbox_copies": 2, "crm_duplicates": False}`` as
    ``sync errors; mailbox copies: 2``: what will happen, without what will not, of the fields
    the rule ``predicts`` (all, given None; a default of another field is not the rule's
    prediction). The JSON report has every field."""
    parts = []
    shown = set(outcome if predicts is None else predicts)
    for key, value in outcome.items():
        if key not in shown:
            continue
        words = str(key).replace("_", " ")
        if value is None or value is False:
            continue
        if value is True:
            parts.append(words)
        elif isinstance(value, list | tuple | set | frozenset):
            if value:
                parts.append(f"{words}: {list_text(value)}")
        else:
            parts.append(f"{words}: {value}")
    return "; ".join(parts)


def summary_line(
    summary: Summary, problems: int = 0, packs: int = 0, rules: int = 0, unloaded: str = ""
) -> str:
    files = _count(summary.files, "file")
    unloaded = f"; {unloaded}" if unloaded else ""
    if problems or packs or rules:
        found = _count(summary.findings, "finding")
        errors = [f"{_count(problems, 'input error')} (not checked)"] if problems else []
        errors += (
            [f"{_count(packs, 'pack load error')} (those packs' rules not run)"] if packs else []
        )
        errors += [f"{_count(rules, 'rule error')} (the file's other rules ran)"] if rules else []
        return f"Found {found} in {files}; {'; '.join(errors)}{unloaded}."
    if not summary.findings and not unloaded:
        return f"All checks passed ({files})."
    kinds = [
        _count(summary.errors, "error"),
        _count(summary.warnings, "warning"),
        _count(summary.infos, "info", "info"),
    ]
    shown = ", ".join(kind for kind in kinds if not kind.startswith("0 "))
    detail = f" ({shown})" if shown else ""
    return f"Found {_count(summary.findings, 'finding')}{detail} in {files}{unloaded}."


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _place(loc: Location) -> str:
    return f"{clean(loc.path)}:{loc.line}:{loc.column}"


def clean(text: str) -> str:
    """``text`` safe for a terminal and a CI log: on one line, every control character and line
    break made visible (a value that starts a line could be read as a workflow command)."""
    return one_line(str(text))


def _paint(text: str, style: str) -> str:
    return f"{style}{text}{RESET}" if style else text
