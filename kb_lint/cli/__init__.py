"""``kb-lint`` command line: one module per subcommand, each with ``add_parser`` and ``run``."""

from __future__ import annotations

import argparse
import importlib
import sys

from kb_lint import __version__
from kb_lint.errors import InputError

# Each name is a module kb_lint.cli.<name> with add_parser(subparsers) and run(args) -> int.
COMMANDS = ("check", "articles", "docs", "simulate", "rules", "schema", "server")


class UsageError(Exception):
    """Wrong command-line use: printed as ``kb-lint: message`` with exit code 2."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or for ``command`` alone: each command module imports what
    it runs, so ``kb-lint check`` does not pay for MkDocs."""
    parser = argparse.ArgumentParser(
        prog="kb-lint",
        description="Lint Riva deployments, KB articles and rule packs against KB rules.",
    )
    parser.add_argument("--version", action="version", version=f"kb-lint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS if command not in COMMANDS else (command,):
        importlib.import_module(f"kb_lint.cli.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        print(f"kb-lint: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"kb-lint: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
