"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

Escaping follows the runner's rules (as in ``@actions/core``'s ``escapeData`` and
``escapeProperty``): data escapes ``%``, CR and LF; property values also escape ``:`` and ``,``.
Before that, each value (a message, a name, a path) is put on one line with its control
characters visible, as in the text report: an escape sequence or a line break inside a value
reaches neither the log nor the annotation as such.
"""

from __future__ import annotations

from collections.abc import Sequence

from kb_lint.errors import InputError, RuleError, one_line
from kb_lint.findings import Finding, NotLoaded
from kb_lint.reporters.text import outcome_words

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(
    findings: list[Finding], problems: Sequence[InputError] = (), unloaded: NotLoaded | None = None
) -> str:
    """One annotation per finding, one ``::error`` per file that could not be checked, and a
    last ``::error`` that counts and names the rule packs a review could not judge."""
    lines = [_problem(p) for p in problems]
    lines.extend(annotation(f) for f in sorted(findings, key=Finding.sort_key))
    if unloaded and unloaded.files:
        lines.append(f"::error title=packs not loaded::{escape_data(one_line(unloaded.words()))}")
    return "".join(line + "\n" for line in lines)


def _problem(problem: InputError) -> str:
    props: dict[str, object] = {"file": problem.path}
    if problem.line > 0:  # line 0: the file as a whole (a folder, a missing file)
        props |= {"line": problem.line, "col": problem.column}
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    title = "rule error" if isinstance(problem, RuleError) else "input error"
    return f"::error {shown},title={title}::{escape_data(one_line(problem.message))}"


def annotation(finding: Finding) -> str:
    loc = finding.location
    props = {"file": loc.path, "line": loc.line, "col": loc.column, "title": finding.rule}
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    command = COMMANDS.get(finding.severity, "warning")
    return f"::{command} {shown}::{escape_data(_message(finding))}"


def _message(finding: Finding) -> str:
    """The message and its details, one line each."""
    lines = [finding.message]
    if words := outcome_words(finding.outcome or {}, finding.predicts):
        lines.append(f"outcome: {words}")
    for loc in finding.related:
        note = f" ({loc.note})" if loc.note else ""
        lines.append(f"also: {loc.path}:{loc.line}:{loc.column}{note}")
    if finding.why:
        lines.append(f"why: {finding.why}")
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    return "\n".join(map(one_line, lines))


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(one_line(text)).replace(":", "%3A").replace(",", "%2C")
