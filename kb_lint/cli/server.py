"""``kb-lint server``: the language server, over stdio (see docs/editors.md)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    from kb_lint.server.server import DEFAULT_DELAY_MS, DEFAULT_DOCS_URL

    parser = sub.add_parser(
        "server",
        help="run the language server (LSP, over stdio) for editors",
        description="Run kb-lint as a Language Server Protocol server on stdin and stdout: "
        "diagnostics, fixes and hovers for articles, deployment files and rule packs in the "
        "editor. Editors start it; `kb-lint explain editors` prints each editor's setup.",
    )
    parser.add_argument(
        "--docs-url",
        default=DEFAULT_DOCS_URL,
        help="base address of the rules' pages, for diagnostics' links, such as the address "
        "the site is published at (default: none, and diagnostics carry no link); the "
        "client's initializationOptions.docsUrl takes precedence",
    )
    parser.add_argument(
        "--debounce-ms",
        type=int,
        default=DEFAULT_DELAY_MS,
        help=f"wait this long after the last change before linting (default: {DEFAULT_DELAY_MS})",
    )
    parser.add_argument(
        "--stdio",
        action="store_true",
        help="accepted for clients that pass it; stdio is the default",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kb_lint.server.server import create_server

    return create_server(args.docs_url, args.debounce_ms).start_io()
