"""Safe fixes: replacements of the exact spans findings flag, written atomically.

An ``Edit`` replaces ``text[start:end]`` of an article's normalised text. ``apply_edits`` applies
the ones that do not overlap to the file's text as written (its line endings kept; the file
is written by ``kb_lint.rewrite``) and returns
each ``Change`` with its place in the new text, so a change can always be undone, and the
position of the finding it fixes, which is where the fix report says it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb_lint.articles.source import SourceText
from kb_lint.findings import Finding


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Change:
    """One applied edit: ``before`` became ``after`` at ``start`` of the new raw text; ``line``
    and ``column`` are those of the finding it fixes."""

    rule: str
    line: int
    column: int
    start: int
    before: str
    after: str


def apply_edits(source: SourceText, edits: list[tuple[Finding, Edit]]) -> tuple[str, list[Change]]:
    """The raw text with the edits of the findings applied; an edit overlapping an earlier one
    is left for the next round."""
    raw = source.raw
    pieces: list[str] = []
    changes: list[Change] = []
    cursor = 0
    shift = 0
    for finding, edit in sorted(edits, key=lambda pair: (pair[1].start, pair[1].end)):
        start, end = source.raw_offset(edit.start), source.raw_offset(edit.end)
        if not edit.text:
            start, end = keep_lines(raw, start, end)
        if start < cursor:
            continue
        before = raw[start:end]
        if before == edit.text:
            continue
        line, column = finding.location.line, finding.location.column
        pieces.append(raw[cursor:start])
        changes.append(Change(finding.rule, line, column, start + shift, before, edit.text))
        pieces.append(edit.text)
        shift += len(edit.text) - len(before)
        cursor = end
    pieces.append(raw[cursor:])
    return "".join(pieces), changes


def keep_lines(raw: str, start: int, end: int) -> tuple[int, int]:
    """A deletion of ``raw[start:end]`` that keeps the line structure: what it would delete up
    to a line break stays (the break, and a hard line break's spaces or backslash before it);
    from the last break on, the blanks after the deleted text go too, and a line left blank is
    deleted whole, so that no paragraph is split."""
    newline = max(raw.rfind("\n", start, end), raw.rfind("\r", start, end))
    if newline < 0:
        return start, end
    start = newline + 1
    while end < len(raw) and raw[end] in " \t":
        end += 1
    if end == len(raw) or raw[end] in "\r\n":
        end += 2 if raw.startswith("\r\n", end) else 1 if end < len(raw) else 0
    return start, min(end, len(raw))
