"""A real client (pytest-lsp) driving ``kb-lint server`` over stdio, in a workspace made of the
repository's rule pack, the seed article with its slips, and a deployment."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
SLIPS = ROOT / "tests" / "articles" / "fixtures" / "kb-105-with-seed-slips.md"
ARTICLE = Path("docs/articles/kb-105-do-not-run-riva-twice.md")  # where the pack says it is
OVERLAP = ROOT / "rules" / "kb-105" / "examples" / "two-instances-same-names.yaml"
DOCS_URL = "https://kb-lint.example/docs/"
PUBLISHED = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rules" / "kb-105", tmp_path / "rules" / "kb-105")
    (tmp_path / ARTICLE).parent.mkdir(parents=True)
    shutil.copy(SLIPS, tmp_path / ARTICLE)
    shutil.copy(OVERLAP, tmp_path / "deploy.yaml")
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "kb_lint", "server", "--debounce-ms", "20"]
    )
)
async def client(lsp_client: LanguageClient, workspace: Path):

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        """VS Code accepts dynamic registrations (the server asks to hear of file changes)."""
        lsp_client.registrations = params.registrations

    # lsprotocol reads any code action that has a command as a bare Command (a client-side
    # bug: a CodeAction's command is an object, a Command's a string); read them as the spec says.
    lsp_client.protocol._converter.register_structure_hook(
        types.Command | types.CodeAction, code_action_or_command
    )
    folder = types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder],
            root_uri=workspace.as_uri(),
            initialization_options={"docsUrl": DOCS_URL},
        )
    )
    yield
    await lsp_client.shutdown_session()


def code_action_or_command(data: dict, _: type) -> types.Command | types.CodeAction:
    converter = default_converter()
    if isinstance(data.get("command"), str):
        return converter.structure(data, types.Command)
    return converter.structure(data, types.CodeAction)


class Editor:
    """Opens, edits and saves documents as an editor does, and waits for their diagnostics."""

    def __init__(self, client: LanguageClient, workspace: Path) -> None:
        self.client = client
        self.workspace = workspace
        self.versions: dict[str, int] = {}

    def uri(self, name: str | Path) -> str:
        return (self.workspace / name).as_uri()

    async def open(self, name: str | Path, language: str = "markdown") -> list[types.Diagnostic]:
        uri = self.uri(name)
        text = (self.workspace / name).read_text("utf-8")
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            )
        )
        return await self.diagnostics(uri, 1)

    def change(self, name: str | Path, changes: list) -> int:
        """Send ``changes`` (TextDocumentContentChangeEvent) without waiting: the version."""
        uri = self.uri(name)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=self.versions[uri], uri=uri),
                changes,
            )
        )
        return self.versions[uri]

    async def edit(self, name: str | Path, changes: list) -> list[types.Diagnostic]:
        waiting = self.diagnostics(self.uri(name), self.versions[self.uri(name)] + 1)
        task = asyncio.ensure_future(waiting)
        self.change(name, changes)
        return await task

    async def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        async with asyncio.timeout(60):
            while True:
                params = await self.client.wait_for_notification(PUBLISHED)
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)


@pytest.fixture
def editor(client: LanguageClient, workspace: Path) -> Editor:
    return Editor(client, workspace)


def replace(line: int, start: int, end: int, text: str) -> types.TextDocumentContentChangePartial:
    """A change of 0-based ``line``, characters ``start`` to ``end``."""
    where = types.Range(types.Position(line, start), types.Position(line, end))
    return types.TextDocumentContentChangePartial(range=where, text=text)
