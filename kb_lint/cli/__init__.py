"""``kb-lint`` command line: one module per subcommand, each with ``add_parser`` and ``run``.

Exit codes: 0 clean, 1 findings, 2 a usage or input error (one line, ``path:line:col: message``
for a file), 3 an internal error (one line; the traceback with ``--debug``).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import io
import os
import re
import sys
from typing import NoReturn

from kb_lint import __version__
from kb_lint.errors import InputError, one_line

# Each name is a module kb_lint.cli.<name> with add_parser(subparsers) and run(args) -> int.
COMMANDS = ("check", "articles", "docs", "simulate", "rules", "explain", "schema", "server")
USAGE, INTERNAL = 2, 3
# The reader closed the pipe before the end (``kb-lint check … | head``): the run's verdict is
# unknown, so never 0; 128 + SIGPIPE, as a shell reports a tool the closed pipe stopped.
CLOSED_PIPE = 141
# Errors only a write meets: no space, no quota, a file past its size limit.
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class UsageError(Exception):
    """Wrong command-line use: printed as ``kb-lint: message`` with exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (``kb-lint check: error: ...`` plus the usage
    would be two) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {one_line(message)} (see --help)", file=sys.stderr)
        raise SystemExit(USAGE)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or for ``command`` alone: each command module imports what
    it runs, so ``kb-lint check`` does not pay for MkDocs."""
    parser = Parser(
        prog="kb-lint",
        description="Lint Riva deployments, KB articles and rule packs against KB rules.",
    )
    parser.add_argument("--version", action="version", version=f"kb-lint {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="on an internal error, print the traceback"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS if command not in COMMANDS else (command,):
        importlib.import_module(f"kb_lint.cli.{name}").add_parser(sub)
    return parser


# What a command leaves to the end of the process (``leave``).
_LEFT: list[object] = []


def leave(value: object) -> None:
    """Keep ``value`` (a checked deployment: a million assignments are some three million
    objects, 0.1 s of CPU to free one by one) to the end of the process, which ``entry`` ends
    without freeing it. Run by ``main`` in a process that goes on (a test), it is freed as
    ``main`` returns."""
    _LEFT.append(value)


def main(argv: list[str] | None = None) -> int:
    """Run one command; give its exit code."""
    try:
        return _run(argv)
    finally:
        _LEFT.clear()


def entry() -> NoReturn:
    """The ``kb-lint`` program: one command, then the process ends. When the command left
    objects (``leave``), the process ends at once once its output is flushed (``os._exit``),
    the kernel taking back their memory in one piece; kb-lint registers no ``atexit`` work
    that this would skip. Else, and when a flush fails, Python's own exit ends it."""
    if sys.stdout is not None:
        sys.stdout = whole_writes(sys.stdout)
    code = _run(None)
    if _LEFT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # Python's exit meets it again, and says so
            raise SystemExit(code) from None
        os._exit(code)
    raise SystemExit(code)


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # --debug is taken anywhere before a "--", so that it can follow the command too.
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    argv = [arg for i, arg in enumerate(argv) if i >= end or arg != "--debug"]
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    if sys.stdout is None:  # started with its standard output closed (``kb-lint ... >&-``)
        sys.stdout = ClosedOutput()
    try:
        code = args.run(args)
        sys.stdout.flush()  # a full disk is met here, not in Python's flush at exit
        return code
    except (InputError, UsageError) as exc:
        for error in getattr(exc, "errors", [exc]):  # every schema error of a pack, say
            print(f"kb-lint: {one_line(str(error))}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        _drop_output()
        return CLOSED_PIPE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno in FULL and exc.filename is None:
            # Standard output on a full disk or past a size limit (``kb-lint … > /dev/full``).
            _drop_output()
            print(f"kb-lint: cannot write the report: {exc.strerror}", file=sys.stderr)
            return USAGE
        if (error := path_error(exc)) is not None:
            print(f"kb-lint: {error}", file=sys.stderr)
            return USAGE
        if debug:
            import traceback  # only here: a check that goes well does not pay for it

            traceback.print_exc()
        name = type(exc).__name__
        hint = "" if debug else " (run with --debug for the traceback)"
        print(f"kb-lint: internal error: {name}: {one_line(str(exc))}{hint}", file=sys.stderr)
        return INTERNAL


class WholeWrites(io.RawIOBase):
    """A file descriptor each write of which is written whole or fails. Python's own standard
    output can end a large write short when the reader goes (a pipe closed after its first
    64 KB) and drop the rest without an error, so a cut-off report would pass; here the rest is
    written again, and a closed pipe is a ``BrokenPipeError``."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        left = memoryview(data).cast("B")
        size = len(left)
        while left:
            left = left[os.write(self._fd, left) :]
        return size


def whole_writes(stream: io.TextIOBase) -> io.TextIOBase:
    """``stream`` (the process's standard output) with its writes made whole (``WholeWrites``):
    same encoding, error handling and line buffering; unchanged when it has no file
    descriptor."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return stream
    stream.flush()
    return io.TextIOWrapper(
        io.BufferedWriter(WholeWrites(fd)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=getattr(stream, "line_buffering", False),
    )


def _drop_output() -> None:
    """Nothing more reaches standard output; Python's own flush at exit must not fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class ClosedOutput(io.StringIO):
    """Standard output when it was closed: what is written to it is a usage error."""

    def write(self, text: str) -> int:
        raise UsageError("cannot write the report: standard output is closed (-o FILE writes it)")


def path_error(exc: Exception) -> InputError | None:
    """A path the user gave that cannot even be looked at (a loop of links, a name too long,
    no permission) as an input error about that path; None for any other error."""
    from kb_lint.load.read import path_problem

    if isinstance(exc, OSError) and exc.filename is not None:
        return InputError(str(exc.filename), 0, 0, path_problem(exc))
    loop = re.match(r"Symlink loop from '(.*)'$", str(exc))
    if isinstance(exc, RuntimeError) and loop:
        return InputError(loop[1], 0, 0, path_problem(exc))
    return None
