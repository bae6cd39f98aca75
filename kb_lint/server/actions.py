"""Code actions: each safe fix that ``--fix`` makes, all of them at once, and "disable for this
line, with a reason" on articles.

The suppression is an HTML comment, the form ``kb_lint.articles.suppress`` reads: at the end of
the finding's line (``disable-line``, which also covers the paragraph or list item the line
ends), or, on a heading, on a line of its own above it (``disable-next-line``), since a comment
inside a heading would change its text and its anchor. Front matter is YAML, where a comment
suppresses nothing, so no such action is offered there. After the edit, the client is asked
to select the placeholder reason, so that typing replaces it.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from kb_lint.server.diagnostics import SOURCE, list_range, range_list
from kb_lint.server.positions import Text

SELECT_REASON = "kb-lint.selectReason"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.kb-lint"
REASON = "reason"
HEADING = re.compile(r" {0,3}#{1,6}(?:\s|$)")


def fix_actions(uri: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    """One quick fix per diagnostic that carries a safe fix."""
    actions = []
    for diagnostic in diagnostics:
        fix = _data(diagnostic).get("fix")
        if fix is None:
            continue
        edit = types.TextEdit(list_range(fix["range"]), fix["newText"])
        title = f"Fix {diagnostic.code}: write '{fix['newText']}'"
        actions.append(_quick_fix(uri, diagnostic, title, edit, is_preferred=True))
    return actions


def _quick_fix(
    uri: str, diagnostic: types.Diagnostic, title: str, edit: types.TextEdit, **more: Any
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
        **more,
    )


def fix_all_action(uri: str, text: Text, fixed: str) -> types.CodeAction | None:
    """Every safe fix at once, as ``kb-lint articles --fix`` makes them; None if none."""
    if fixed == text.source:
        return None
    whole = types.Range(text.to_client(1, 1), text.line_end(len(text.lines)))
    return types.CodeAction(
        title="Apply every safe kb-lint fix",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(whole, fixed)]}),
    )


def disable_actions(
    uri: str, text: Text, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    """For each article diagnostic outside the front matter: a comment that disables its rule
    for its line, with a placeholder reason that the follow-up command selects."""
    actions = []
    front_end = _front_matter_end(text)
    for diagnostic in diagnostics:
        rule = _data(diagnostic).get("rule")
        line = diagnostic.range.start.line + 1
        if rule is None or line <= front_end or line > len(text.lines):
            continue
        written = text.lines[line - 1]
        if HEADING.match(written):
            at = (line, 1)
            new_text = f"<!-- kb-lint disable-next-line {rule}: {REASON} -->{_newline(text)}"
        else:
            at = (line, len(written) + 1)
            new_text = f" <!-- kb-lint disable-line {rule}: {REASON} -->"
        start = text.to_client(*at)
        # The comment is ASCII and the reason on its first line: its column in client units is
        # the insertion point's plus the characters before it.
        column = start.character + new_text.index(f": {REASON} -->") + 2
        reason = types.Range(
            types.Position(start.line, column), types.Position(start.line, column + len(REASON))
        )
        edit = types.TextEdit(types.Range(start, start), new_text)
        select = types.Command(
            title="Type the reason", command=SELECT_REASON, arguments=[uri, range_list(reason)]
        )
        title = f"Disable {rule} for this line, with a reason"
        actions.append(_quick_fix(uri, diagnostic, title, edit, command=select))
    return actions


def _newline(text: Text) -> str:
    """The line ending the document uses (its first), so an inserted line matches."""
    found = re.search(r"\r\n|\r|\n", text.source)
    return found.group() if found else "\n"


def _front_matter_end(text: Text) -> int:
    """The 1-based line of the front matter's closing ``---`` (0 without front matter)."""
    lines = text.lines
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return 0
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return number
    return len(lines)


def _data(diagnostic: types.Diagnostic) -> dict[str, Any]:
    """What kb-lint put in ``data``; nothing for other servers' diagnostics."""
    if diagnostic.source != SOURCE or not isinstance(diagnostic.data, dict):
        return {}
    return diagnostic.data
