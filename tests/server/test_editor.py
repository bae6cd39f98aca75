"""kb-lint server end to end: a real LSP client over stdio, the seed article, a deployment."""

from __future__ import annotations

import pytest
from conftest import ARTICLE, DOCS_URL, Editor, replace
from lsprotocol import types

pytestmark = pytest.mark.asyncio


def style_002(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == "KB-STYLE-002"]


async def test_the_seed_slips_are_diagnosed_at_their_lines(editor: Editor):
    found = style_002(await editor.open(ARTICLE))
    assert [(d.range.start.line, d.range.start.character) for d in found] == [(34, 25), (56, 36)]
    first = found[0]
    assert first.message == 'write "an email", not "a email"'
    assert first.severity == types.DiagnosticSeverity.Warning
    assert first.source == "kb-lint"
    assert first.code_description.href == f"{DOCS_URL}writing-articles/#common-kb-style-002"
    assert (first.range.end.line, first.range.end.character) == (34, 26)  # the word "a"


async def test_fixing_one_slip_by_typing_clears_it(editor: Editor):
    await editor.open(ARTICLE)
    found = style_002(await editor.edit(ARTICLE, [replace(34, 25, 26, "an")]))
    assert [d.range.start.line for d in found] == [56]


def as_change(edit: types.TextEdit) -> types.TextDocumentContentChangePartial:
    """An applied workspace edit, as the editor then reports it: an incremental change."""
    return types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)


async def actions(editor: Editor, name, diagnostics, only=None) -> list[types.CodeAction]:
    where = (
        diagnostics[0].range
        if diagnostics
        else types.Range(types.Position(0, 0), types.Position(0, 0))
    )
    context = types.CodeActionContext(diagnostics=diagnostics, only=only)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri(name)),
        range=where,
        context=context,
    )
    return await editor.client.text_document_code_action_async(params)


async def test_a_code_action_applies_the_fix(editor: Editor):
    first = style_002(await editor.open(ARTICLE))[0]
    (fix,) = [a for a in await actions(editor, ARTICLE, [first]) if a.is_preferred]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.title == "Fix KB-STYLE-002: write 'an'"
    (edit,) = fix.edit.changes[editor.uri(ARTICLE)]
    assert (edit.range.start.line, edit.range.start.character, edit.new_text) == (34, 25, "an")
    after = style_002(await editor.edit(ARTICLE, [as_change(edit)]))
    assert [d.range.start.line for d in after] == [56]


async def test_fix_all_applies_every_safe_fix(editor: Editor):
    found = style_002(await editor.open(ARTICLE))
    (every,) = await actions(editor, ARTICLE, found, only=["source.fixAll"])
    assert every.kind == "source.fixAll.kb-lint"
    (edit,) = every.edit.changes[editor.uri(ARTICLE)]
    assert style_002(await editor.edit(ARTICLE, [as_change(edit)])) == []
    assert "a email" not in edit.new_text and edit.new_text.count("an email") >= 2


async def test_disable_for_this_line_with_a_reason(editor: Editor):
    first = style_002(await editor.open(ARTICLE))[0]
    (disable,) = [a for a in await actions(editor, ARTICLE, [first]) if "Disable" in a.title]
    assert disable.title == "Disable KB-STYLE-002 for this line, with a reason"
    (edit,) = disable.edit.changes[editor.uri(ARTICLE)]
    assert edit.new_text == " <!-- kb-lint disable-line KB-STYLE-002: reason -->"
    assert edit.range.start.line == 34
    after = await editor.edit(ARTICLE, [as_change(edit)])
    assert [d.range.start.line for d in style_002(after)] == [56]
    assert not [d for d in after if d.code.startswith("KB-SUPPRESS")]
    # The follow-up command puts the cursor on the reason: the client is asked to select it.
    command = disable.command
    await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
    (shown,) = editor.client.shown_documents
    selected = shown.selection
    line = (editor.workspace / ARTICLE).read_text("utf-8").splitlines()[34] + edit.new_text
    assert line[selected.start.character : selected.end.character] == "reason"


async def test_a_heading_is_disabled_from_the_line_above_it(editor: Editor):
    lines = (editor.workspace / ARTICLE).read_text("utf-8").splitlines()
    await editor.open(ARTICLE)
    renamed = lines.index("## Background")
    found = await editor.edit(ARTICLE, [replace(renamed, 3, 13, "Backdrop")])
    # "Background" is missing before the next heading: the finding is on that heading.
    line = lines.index("## Explanation")
    (moved,) = [d for d in found if d.range.start.line == line]
    assert moved.code.startswith("KB-STRUCT")
    (disable,) = [a for a in await actions(editor, ARTICLE, [moved]) if "Disable" in a.title]
    (edit,) = disable.edit.changes[editor.uri(ARTICLE)]
    assert (edit.range.start.line, edit.range.start.character) == (line, 0)
    assert edit.new_text == f"<!-- kb-lint disable-next-line {moved.code}: reason -->\n"
    after = await editor.edit(ARTICLE, [as_change(edit)])
    assert not [d for d in after if d.code == moved.code]
    assert not [d for d in after if d.code.startswith("KB-SUPPRESS")]


async def test_an_overlap_names_the_other_binding(editor: Editor):
    (overlap,) = await editor.open("deploy.yaml", "yaml")
    assert overlap.code == "KB105-001"
    assert overlap.severity == types.DiagnosticSeverity.Error
    assert (overlap.range.start.line, overlap.range.start.character) == (9, 12)
    assert overlap.code_description.href == f"{DOCS_URL}rules/kb105-001/"
    (other,) = overlap.related_information
    assert other.location.uri == editor.uri("deploy.yaml")
    assert other.location.range.start.line == 16
    assert other.message == "riva-onprem / Sales"
    outcome = overlap.data["outcome"]
    # each instance writes its own copy under the shared category (pack KB105, A10)
    assert (outcome["sync_errors"], outcome["mailbox_copies"], outcome["crm_duplicates"]) == (
        True,
        2,
        False,
    )


async def test_hover_explains_rules_findings_and_fields(editor: Editor):
    assert [d.code for d in await editor.open("deploy.yaml", "yaml")] == ["KB105-001"]

    async def hover(line: int, character: int) -> str | None:
        params = types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri("deploy.yaml")),
            position=types.Position(line, character),
        )
        found = await editor.client.text_document_hover_async(params)
        return found.contents.value if found else None

    on_finding = await hover(9, 22)  # the value user@email.com
    assert on_finding.startswith("**Predicted here:** sync_errors = True, mailbox_copies = 2")
    assert "**KB105-001** · error · One Riva instance per email user and CRM user" in on_finding
    assert f"[Rule page]({DOCS_URL}rules/kb105-001/)" in on_finding
    category = await hover(7, 10)  # "category: CRM"
    assert category.startswith("**`category`** (string)")
    assert "Category (Exchange)" in category
    kind = await hover(4, 5)  # "kind: cloud"
    assert "One of `cloud`, `on-premise`." in kind
    assert await hover(1, 3) is None  # a comment


async def test_hover_on_a_rule_id_in_a_suppression(editor: Editor):
    await editor.open(ARTICLE)
    text = "<!-- kb-lint disable-file KB-STRUCT-001: a short notice -->\n"
    await editor.edit(ARTICLE, [replace(12, 0, 0, text)])
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri(ARTICLE)),
        position=types.Position(12, 30),
    )
    shown = (await editor.client.text_document_hover_async(params)).contents.value
    assert shown.startswith("**KB-STRUCT-001** ·")
    assert "**Why.**" in shown and "**Fix.**" in shown
