"""The language server: documents in, diagnostics, code actions and hovers out, over stdio.

Every lint runs in one worker thread, so the server keeps reading messages while it lints and
kb-lint's loaded packs and styles are only ever touched by one thread. A document is linted
when it opens and, debounced, when it changes; its diagnostics are published only if it has
not changed again meanwhile. What a document is linted with (config, packs, style, the
citations of the rules folder) is loaded once per workspace folder and dropped whenever a file
is saved or changes on disk, and then every open document is linted again: that is how
findings that span files (an article's traceability, a pack's citations) follow the other
file. Those read the other file from disk, so they follow its saved text.

Nothing a document holds can stop the server: bad input is a diagnostic at its position, and
an unexpected error in a linter is a diagnostic on the first line (with the traceback in the
client's log), after which the server goes on.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from kb_lint import __version__
from kb_lint.errors import InputError
from kb_lint.server.actions import (
    FIX_ALL,
    SELECT_REASON,
    disable_actions,
    fix_actions,
    fix_all_action,
)
from kb_lint.server.debounce import Debouncer
from kb_lint.server.diagnostics import SOURCE, list_range, to_diagnostics
from kb_lint.server.framing import FrameReader, serve
from kb_lint.server.hover import hover
from kb_lint.server.lint import (
    ARTICLE,
    Context,
    Linted,
    RuleDoc,
    deployment_schema,
    fixed_article,
    kind_of,
    lint_document,
    rule_doc,
)
from kb_lint.server.positions import Text

DEFAULT_DOCS_URL: str | None = None  # no link until told where the site is: none is dead
DEFAULT_DELAY_MS = 50
WATCHED = ("**/pack.yaml", "**/*.md", "**/kb-lint.toml", "**/pyproject.toml")


class _KeptOpen(StdoutWriter):
    """pygls's writer to standard output, which pygls closes on ``exit``: here it is flushed
    instead, and stays the process's, for the program's own end to flush and close."""

    def close(self) -> None:
        self._stdout.flush()


class KbLintServer(LanguageServer):
    def __init__(self, docs_url: str | None = DEFAULT_DOCS_URL, delay_ms: int = DEFAULT_DELAY_MS):
        super().__init__("kb-lint", __version__)
        self.docs_url = docs_url
        self.debouncer = Debouncer(delay_ms / 1000)
        self.contexts: dict[Path, Context] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        # What each open document was first linted as: an edit that breaks the front matter
        # or the `instances:` line must not make its diagnostics vanish. A document that is
        # nothing yet (a new file) is asked again at each change.
        self.kinds: dict[str, str] = {}
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="kb-lint")

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
        """pygls's stdio loop, with kb-lint's frame reader: a badly framed message is answered
        and dropped, and the server reads on (``kb_lint.server.framing``). Gives the exit code
        the LSP asks for: 1 on an ``exit`` that no ``shutdown`` came before, else 0 (the end
        of the input, a client gone, an interrupt)."""
        self._stop_event = threading.Event()
        writer = _KeptOpen(stdout or sys.stdout.buffer)
        self.protocol.set_writer(writer)
        reader = FrameReader(stdin or sys.stdin.buffer, self.thread_pool)
        try:
            asyncio.run(serve(reader, self.protocol, writer.write, self._stop_event))
        except BrokenPipeError:
            pass  # the client is gone
        except KeyboardInterrupt:
            pass
        except SystemExit as exc:  # pygls's answer to ``exit``: 0 after ``shutdown``, else 1
            return exc.code if isinstance(exc.code, int) else 0
        finally:
            self.shutdown()
        return 0

    def configure(self, options: Any) -> None:
        """``initializationOptions``: ``docsUrl`` (the base of rule pages) and ``debounceMs``."""
        if not isinstance(options, dict):
            return
        if isinstance(options.get("docsUrl"), str):
            self.docs_url = options["docsUrl"]
        if isinstance(options.get("debounceMs"), int | float):
            self.debouncer.delay = options["debounceMs"] / 1000

    async def in_worker(self, work: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.worker, work, *args)

    def folder_of(self, path: Path) -> Path:
        """The innermost workspace folder holding ``path``; its own folder when none does."""
        folders = [Path(to_fs_path(f.uri) or "") for f in self.workspace.folders.values()]
        holding = [f for f in folders if path.is_relative_to(f)]
        return max(holding, key=lambda f: len(f.parts)) if holding else path.parent

    def context(self, path: Path) -> Context:
        """The context of ``path``'s workspace folder (worker thread only)."""
        folder = self.folder_of(path)
        if folder not in self.contexts:
            self.contexts[folder] = Context.of_folder(folder)
        return self.contexts[folder]

    def current(self, uri: str, version: int) -> bool:
        """Is ``version`` still the open document's version?"""
        documents = self.workspace.text_documents
        return uri in documents and documents[uri].version == version

    def diagnose(
        self, uri: str, version: int, path: Path, text: Text
    ) -> list[types.Diagnostic] | None:
        """The document's diagnostics (worker thread only), or None when it has changed since
        the lint was asked for (a newer lint is on its way)."""
        if not self.current(uri, version):
            return None
        try:
            context = self.context(path)
            kind = self.kinds.get(uri) or kind_of(path, text.source, context.config)
            if kind is not None:
                self.kinds[uri] = kind
            linted = lint_document(context, path, text.source, kind)
        except InputError as exc:
            linted = Linted(None, error=exc)
        return to_diagnostics(linted, path, text, lambda rule: self.describe(path, rule)[1])

    def describe(self, path: Path, rule_id: str) -> tuple[RuleDoc | None, str | None]:
        """A rule's documentation and the address of its page (worker thread only)."""
        try:
            doc = rule_doc(self.context(path), rule_id)
        except InputError:
            return None, None
        if doc is None or doc.page is None or not self.docs_url:
            return doc, None
        return doc, self.docs_url.rstrip("/") + "/" + doc.page

    def schema(self, path: Path) -> dict[str, Any]:
        """The deployment schema with the fields of the packs ``path``'s folder loads."""
        try:
            return deployment_schema(self.context(path))
        except InputError:
            return deployment_schema()

    async def lint(self, uri: str) -> None:
        path = _path(uri)
        if path is None:
            return
        document = self.workspace.get_text_document(uri)
        version = document.version
        text = Text(document.source, document.position_codec)
        try:
            diagnostics = await self.in_worker(self.diagnose, uri, version, path, text)
        except Exception as exc:  # a linter's bug must not take the server down
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, traceback.format_exc())
            )
            first = types.Range(text.to_client(1, 1), text.line_end(1))
            message = f"kb-lint failed on this document: {type(exc).__name__}: {exc}"
            error = types.DiagnosticSeverity.Error
            diagnostics = [types.Diagnostic(first, message, error, source=SOURCE)]
        if diagnostics is None or not self.current(uri, version):
            return
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    async def relint_all(self) -> None:
        """Reload every context and lint every open document again."""
        self.contexts = {}
        for uri in list(self.workspace.text_documents):
            self.debouncer.cancel(uri)
            await self.lint(uri)


def _path(uri: str) -> Path | None:
    """The file a URI names; None for other schemes (an unsaved buffer is not linted)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


def create_server(
    docs_url: str | None = DEFAULT_DOCS_URL, delay_ms: int = DEFAULT_DELAY_MS
) -> KbLintServer:
    """The server with every feature registered."""
    server = KbLintServer(docs_url, delay_ms)

    @server.feature(types.INITIALIZE)
    def initialize(ls: KbLintServer, params: types.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: KbLintServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace
        if (
            watched
            and watched.did_change_watched_files
            and (watched.did_change_watched_files.dynamic_registration)
        ):
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(
                "kb-lint-watch", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
            )
            await ls.client_register_capability_async(types.RegistrationParams([registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: KbLintServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.lint(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KbLintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.debouncer.call(uri, lambda: ls.lint(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: KbLintServer, params: types.DidSaveTextDocumentParams) -> None:
        await ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def files_changed(ls: KbLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def folders_changed(
        ls: KbLintServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        await ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KbLintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.debouncer.cancel(uri)
        ls.published.pop(uri, None)
        ls.kinds.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    async def code_action(
        ls: KbLintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        path = _path(uri)
        if path is None:
            return []
        document = ls.workspace.get_text_document(uri)
        text = Text(document.source, document.position_codec)
        mine = [d for d in params.context.diagnostics if d.source == SOURCE]
        actions = fix_actions(uri, mine)
        if ls.kinds.get(uri) == ARTICLE:
            actions.extend(disable_actions(uri, text, mine))
            if any(isinstance(d.data, dict) and "fix" in d.data for d in ls.published.get(uri, [])):
                fixed = await ls.in_worker(_fixed, ls, path, text.source)
                every = fix_all_action(uri, text, fixed) if fixed is not None else None
                if every is not None:
                    actions.append(every)
        only = params.context.only
        if only:
            actions = [a for a in actions if any(_kind(a).startswith(k) for k in only)]
        return actions

    @server.command(SELECT_REASON)
    async def select_reason(ls: KbLintServer, uri: str, where: list[int]) -> None:
        """Select the placeholder reason a disable action inserted, so typing replaces it."""
        selection = list_range(where)
        await ls.window_show_document_async(
            types.ShowDocumentParams(uri=uri, take_focus=True, selection=selection)
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: KbLintServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        path = _path(uri)
        if path is None:
            return None
        document = ls.workspace.get_text_document(uri)
        text = Text(document.source, document.position_codec)
        published = ls.published.get(uri, [])
        kind = ls.kinds.get(uri)
        return await ls.in_worker(_hover, ls, path, text, params.position, kind, published)

    return server


def _kind(action: types.CodeAction) -> str:
    kind = action.kind
    return kind.value if isinstance(kind, types.CodeActionKind) else str(kind)


def _fixed(ls: KbLintServer, path: Path, source: str) -> str | None:
    try:
        return fixed_article(ls.context(path), path, source)
    except InputError:
        return None


def _hover(
    ls: KbLintServer,
    path: Path,
    text: Text,
    position: types.Position,
    kind: str | None,
    published: list[types.Diagnostic],
) -> types.Hover | None:
    return hover(
        text,
        position,
        path,
        kind,
        published,
        lambda rule: ls.describe(path, rule),
        lambda: ls.schema(path),
    )
