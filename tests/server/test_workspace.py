"""kb-lint server end to end: configuration per workspace folder, broken input, files that
refresh each other's findings, debouncing."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from conftest import ARTICLE, PUBLISHED, SLIPS, Editor, replace
from lsprotocol import types

pytestmark = pytest.mark.asyncio


async def test_each_workspace_folder_has_its_own_config(editor: Editor):
    other = editor.workspace / "other"
    (other / "articles").mkdir(parents=True)
    shutil.copy(SLIPS, other / "articles" / "kb-105.md")
    # As on the command line run from the folder: a glob names files relative to it.
    config = '[tool.kb-lint.per-file-ignores]\n"articles/*.md" = ["KB-STYLE-002"]\n'
    (other / "pyproject.toml").write_text(config)
    editor.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=other.as_uri(), name="other")], removed=[]
            )
        )
    )
    here = [d.code for d in await editor.open(ARTICLE)]
    there = [d.code for d in await editor.open("other/articles/kb-105.md")]
    assert here.count("KB-STYLE-002") == 2
    assert "KB-STYLE-002" not in there


async def test_a_broken_deployment_gives_a_diagnostic_at_its_position(editor: Editor):
    await editor.open("deploy.yaml", "yaml")
    (broken,) = await editor.edit("deploy.yaml", [replace(4, 10, 15, "[cloud")])
    assert broken.severity == types.DiagnosticSeverity.Error
    assert broken.code is None
    # YAML finds the unclosed list where the next line starts: line 6, column 13.
    assert (broken.range.start.line, broken.range.start.character) == (5, 12)
    assert broken.message.startswith("invalid YAML: did not find expected ',' or ']'")
    again = await editor.edit("deploy.yaml", [replace(4, 10, 16, "cloud")])
    assert [d.code for d in again] == ["KB105-001"]


async def test_a_schema_error_points_at_the_value(editor: Editor):
    await editor.open("deploy.yaml", "yaml")
    (wrong,) = await editor.edit("deploy.yaml", [replace(4, 10, 15, "clown")])
    assert (wrong.range.start.line, wrong.range.start.character) == (4, 10)
    assert "clown" in wrong.message


async def test_a_broken_config_is_named_on_the_first_line(editor: Editor):
    (editor.workspace / "kb-lint.toml").write_text('select = ["KB-STYLE"\n')
    (only,) = await editor.open("deploy.yaml", "yaml")
    assert only.range.start.line == 0 and only.message.startswith("not linted: ")
    (where,) = only.related_information
    assert where.location.uri == editor.uri("kb-lint.toml")


async def test_a_pack_that_does_not_load_is_flagged_where_it_breaks(editor: Editor):
    pack = "rules/kb-105/pack.yaml"
    await editor.open(pack, "yaml")
    lines = (editor.workspace / pack).read_text("utf-8").splitlines()
    line = lines.index("    severity: error")
    (invalid,) = await editor.edit(pack, [replace(line, 14, 19, "critical")])
    assert invalid.code == "KB-RULES-010"
    assert invalid.range.start.line == line


async def test_saving_an_article_refreshes_the_pack_that_cites_it(editor: Editor):
    pack = "rules/kb-105/pack.yaml"
    stale = [d for d in await editor.open(pack, "yaml") if d.code == "KB-RULES-004"]
    assert stale  # the slips changed text the pack's fingerprints cover
    fixed = (editor.workspace / ARTICLE).read_text("utf-8").replace(" a email", " an email")
    (editor.workspace / ARTICLE).write_text(fixed, "utf-8")
    waiting = asyncio.ensure_future(editor.diagnostics(editor.uri(pack)))
    editor.client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(editor.uri(ARTICLE)))
    )
    after = [d for d in await waiting if d.code == "KB-RULES-004"]
    assert len(after) < len(stale)


async def test_a_changed_pack_on_disk_refreshes_the_article(editor: Editor):
    before = [d.code for d in await editor.open(ARTICLE)]
    assert "KB-TRACE-001" not in before
    pack = editor.workspace / "rules" / "kb-105" / "pack.yaml"
    text = pack.read_text("utf-8").replace("section: background,", "section: backdrop,", 1)
    pack.write_text(text, "utf-8")
    waiting = asyncio.ensure_future(editor.diagnostics(editor.uri(ARTICLE)))
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=pack.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert "KB-TRACE-001" in [d.code for d in await waiting]


async def test_a_burst_of_changes_is_linted_once(editor: Editor):
    uri = editor.uri(ARTICLE)
    await editor.open(ARTICLE)
    versions: list[int | None] = []

    async def collect() -> None:
        while True:
            params = await editor.client.wait_for_notification(PUBLISHED)
            if params.uri == uri:
                versions.append(params.version)

    listening = asyncio.ensure_future(collect())
    for column in range(5):
        last = editor.change(ARTICLE, [replace(40, column, column, "x")])
    async with asyncio.timeout(60):
        while last not in versions:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # time for a stray lint of an earlier version to show
    listening.cancel()
    assert versions == [last] == [6]


async def test_columns_are_counted_in_utf16_units(editor: Editor):
    await editor.open(ARTICLE)
    found = await editor.edit(ARTICLE, [replace(34, 0, 0, "😀 ")])
    slip = [d for d in found if d.code == "KB-STYLE-002" and d.range.start.line == 34]
    assert slip[0].range.start.character == 25 + 3  # the emoji is two UTF-16 units


async def test_a_new_file_is_linted_once_it_says_what_it_is(editor: Editor):
    (editor.workspace / "new.yaml").write_text("", "utf-8")
    assert await editor.open("new.yaml", "yaml") == []
    (missing,) = await editor.edit("new.yaml", [replace(0, 0, 0, "instances:\n  - name: a\n")])
    assert (missing.range.start.line, missing.code) == (1, None)
    assert "kind" in missing.message


async def test_the_server_asks_to_hear_of_the_files_that_span_documents(editor: Editor):
    await editor.open(ARTICLE)  # by now the server is initialized and has registered
    (registration,) = editor.client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    watchers = registration.register_options["watchers"]
    assert [w["globPattern"] for w in watchers] == [
        "**/pack.yaml",
        "**/*.md",
        "**/kb-lint.toml",
        "**/pyproject.toml",
    ]
