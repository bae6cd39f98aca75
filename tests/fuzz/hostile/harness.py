"""The hostile-input harness: a case, what a run gave, the expectations a case states, and
the runner (the CLI in a forked child of this process, or ``kb-lint server`` over real pipes)."""

from __future__ import annotations

import io
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "rules"
ARTICLE = ROOT / "docs" / "articles" / "kb-105-do-not-run-riva-twice.md"
DEPLOYMENT = ROOT / "examples" / "deployment.yaml"
SECRET = "API_TOKEN=hostile-suite-secret-0451"
# Every control character but a line feed, line separators, bidirectional overrides.
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
AT = re.compile(r"^kb-lint: (?P<path>.+?):(?P<line>\d+):(?P<column>\d+): \S")


@dataclass
class Outcome:
    """What a run gave: exit code (None: killed at the time limit), output, seconds."""

    code: int | None
    out: str
    err: str
    seconds: float
    folder: Path = field(default_factory=Path)


Check = Callable[[Outcome], "str | None"]  # what is wrong with the outcome, or None


@dataclass(frozen=True)
class Case:
    kind: str  # the class
    name: str
    setup: Callable[[Path], list[str]]  # writes the input; the command line
    expect: Check
    limit: float = 20.0  # seconds before the run counts as a hang
    closed_stdout: bool = False
    drive: Callable[[Path, Case], Outcome] | None = None  # not the CLI: the language server


# -- expectations ---------------------------------------------------------------------------


def refused(
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
    says: str = "",
    also: Check | None = None,
) -> Check:
    """Exit 2, and an error naming ``path`` (a suffix of it) at ``line``/``column`` when given,
    saying ``says``; every stderr line an error at file:line:col; nothing leaked."""

    def check(run: Outcome) -> str | None:
        if run.code != 2:
            return f"exit {run.code}, not 2: {tail(run)}"
        lines = [x for x in run.err.splitlines() if not x.startswith("kb-lint: note:")]
        if not lines:
            return "no error message"
        for text in lines:
            if not AT.match(text):
                return f"not an error at file:line:col: {text[:200]!r}"
        wanted = [m for m in map(AT.match, lines) if m and _at(m, path, line, column)]
        if not wanted:
            return f"no error at {path}:{line}:{column}: {tail(run)}"
        if says and not any(says in x for x in lines):
            return f"no error says {says!r}: {tail(run)}"
        return _leak(run) or (also(run) if also else None)

    return check


def finishes(codes: tuple[int, ...] = (0, 1, 2), also: Check | None = None) -> Check:
    """A bounded result: one of ``codes``, no internal error, nothing leaked."""

    def check(run: Outcome) -> str | None:
        if run.code not in codes:
            return f"exit {run.code}, not one of {codes}: {tail(run)}"
        if "internal error" in run.err or "Traceback" in run.err:
            return f"internal error: {tail(run)}"
        return _leak(run) or (also(run) if also else None)

    return check


def _at(match: re.Match[str], path: str | None, line: int | None, column: int | None) -> bool:
    return (
        (path is None or match["path"].endswith(path))
        and (line is None or int(match["line"]) == line)
        and (column is None or int(match["column"]) == column)
    )


def _leak(run: Outcome) -> str | None:
    return "a file outside the project is quoted" if SECRET in run.out + run.err else None


def tail(run: Outcome) -> str:
    return (run.err.strip() or run.out.strip())[-300:]


# -- running --------------------------------------------------------------------------------


def prepare() -> None:
    """Import every command before forking: each child then starts at once."""
    import importlib

    from kb_lint.cli import COMMANDS

    for name in COMMANDS:
        importlib.import_module(f"kb_lint.cli.{name}")


def run_case(case: Case, folder: Path) -> Outcome:
    """Set the case up in ``folder`` and run it."""
    argv = case.setup(folder)
    if case.drive is not None:
        return case.drive(folder, case)
    return run_cli(argv, folder, case.limit, case.closed_stdout)


def run_cli(argv: list[str], folder: Path, limit: float, closed_stdout: bool = False) -> Outcome:
    """``kb-lint ARGV`` in a forked child, in ``folder``; killed after ``limit`` seconds."""
    out, err = folder / ".stdout", folder / ".stderr"
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            os.chdir(folder)
            os.setpgrp()
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            for fd, name in ((1, out), (2, err)):
                os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
            sys.stdout = io.TextIOWrapper(open(1, "wb", closefd=False), encoding="utf-8")  # noqa: SIM115
            sys.stderr = io.TextIOWrapper(open(2, "wb", closefd=False), encoding="utf-8")  # noqa: SIM115
            if closed_stdout:  # as Python starts with its standard output closed
                os.close(1)
                sys.stdout = None  # type: ignore[assignment]
            from kb_lint.cli import main

            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:
            import traceback

            traceback.print_exc(file=sys.__stderr__)
            code = 99
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    if stream is not None:
                        stream.flush()
                except BaseException:
                    pass
            os._exit(code)
    code = _wait(pid, limit)
    seconds = time.perf_counter() - start
    return Outcome(code, _text(out), _text(err), seconds, folder)


def _wait(pid: int, limit: float) -> int | None:
    deadline = time.monotonic() + limit
    delay = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace") if path.exists() else ""


def copy_rules(folder: Path, *packs: str) -> Path:
    """The project's packs (``packs``, or all) copied to ``folder/rules``."""
    rules = folder / "rules"
    for pack in packs or [p.name for p in RULES.iterdir() if p.is_dir()]:
        shutil.copytree(RULES / pack, rules / pack)
    return rules


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def server_session(frames: list[bytes], limit: float) -> tuple[list[dict], float, int | None]:
    """Start ``kb-lint server``, send ``frames`` (raw bytes), then read its messages until
    ``limit`` seconds pass; the messages (requests' answers, notifications), and its exit."""
    import json

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb_lint", "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    for frame in frames:
        try:
            proc.stdin.write(frame)
            proc.stdin.flush()
        except BrokenPipeError:
            break
    messages: list[dict] = []
    buffer = b""
    deadline = time.monotonic() + limit
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        while (head := buffer.find(b"\r\n\r\n")) >= 0:
            length = int(re.search(rb"Content-Length: *(\d+)", buffer[:head])[1])
            if len(buffer) < head + 4 + length:
                break
            messages.append(json.loads(buffer[head + 4 : head + 4 + length]))
            buffer = buffer[head + 4 + length :]
        if any(m.get("id") == "last" for m in messages):
            break
    proc.kill()
    code = proc.wait()
    return messages, time.perf_counter() - start, code
