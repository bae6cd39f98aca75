"""Hover: on a rule id (anywhere: a suppression comment, a waiver, a pack), the rule's
explanation and the outcome it predicts; on a finding, the same and the outcome predicted for
this very case; on a deployment field, its description from the deployment schema."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types

from kb_lint.server.lint import DEPLOYMENT, RuleDoc, deployment_schema, key_at, outcome_text
from kb_lint.server.positions import Text
from kb_lint.server.schema import describe_field

RULE_ID = re.compile(r"\bKB(?:[A-Z0-9]+|-[A-Z]+)(?:-[A-Z]+)*-\d{3}\b")


def hover(
    text: Text,
    position: types.Position,
    path: Path,
    kind: str | None,
    diagnostics: list[types.Diagnostic],
    describe: Callable[[str], tuple[RuleDoc | None, str | None]],
    schema: Callable[[], dict[str, Any]] = deployment_schema,
) -> types.Hover | None:
    """The hover at ``position``; ``describe`` gives a rule's documentation and page link."""
    line, column = text.from_client(position)
    written = text.lines[line - 1]
    for found in RULE_ID.finditer(written):
        if found.start() < column <= found.end() + 1:
            shown = _rule(found.group(), describe)
            if shown is not None:
                where = text.range((line, found.start() + 1), (line, found.end() + 1))
                return _markdown(shown, where)
    if kind == DEPLOYMENT:
        key = key_at(path, text.source, written, line, column)
        if key is not None:
            shown = describe_field(schema(), key[0])
            if shown is not None:
                return _markdown(shown, text.range((line, key[1]), (line, key[2])))
    for diagnostic in diagnostics:
        if _covers(diagnostic.range, position) and isinstance(diagnostic.code, str):
            shown = _rule(diagnostic.code, describe)
            outcome = _outcome(diagnostic.data)
            if outcome:
                shown = f"**Predicted here:** {outcome}\n\n{shown or ''}".rstrip()
            if shown:
                return _markdown(shown, diagnostic.range)
    return None


def _rule(rule_id: str, describe: Callable[[str], tuple[RuleDoc | None, str | None]]) -> str | None:
    doc, href = describe(rule_id)
    if doc is None:
        return None
    parts = [f"**{doc.id}** · {doc.severity} · {doc.title}", doc.summary]
    if doc.why:
        parts.append(f"**Why.** {doc.why}")
    if doc.outcome:
        parts.append(f"**Predicts:** {doc.outcome}")
    if doc.fix:
        parts.append(f"**Fix.** {doc.fix}")
    if href:
        parts.append(f"[Rule page]({href})")
    return "\n\n".join(parts)


def _outcome(data: Any) -> str:
    outcome = data.get("outcome") if isinstance(data, dict) else None
    return outcome_text(outcome) if isinstance(outcome, dict) else ""


def _covers(where: types.Range, position: types.Position) -> bool:
    start, end = where.start, where.end
    return (
        (start.line, start.character)
        <= (position.line, position.character)
        <= (
            end.line,
            end.character,
        )
    )


def _markdown(value: str, where: types.Range) -> types.Hover:
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=value)
    return types.Hover(contents=content, range=where)
