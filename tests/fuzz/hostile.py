"""The hostile-input suite: one or more inputs per problem class of issue 20, each with what it
must now get (an input error at its file, line and column; a finding; a bounded result).

``tests/fuzz/test_hostile.py`` runs every case as a test, ``bench/bench_hostile.py`` runs them
all and prints inputs tried, classes found and the slowest input. A case writes its input
under a fresh folder and names the command line; the CLI then runs in a forked child of this
process (imports paid once; a hang is killed at the case's time limit, a crash cannot take the
suite down), its standard streams captured to files. Server cases drive ``kb-lint server``
over real pipes.
"""

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

ROOT = Path(__file__).resolve().parents[2]
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
            return f"exit {run.code}, not 2: {_tail(run)}"
        lines = [x for x in run.err.splitlines() if not x.startswith("kb-lint: note:")]
        if not lines:
            return "no error message"
        for text in lines:
            if not AT.match(text):
                return f"not an error at file:line:col: {text[:200]!r}"
        wanted = [m for m in map(AT.match, lines) if m and _at(m, path, line, column)]
        if not wanted:
            return f"no error at {path}:{line}:{column}: {_tail(run)}"
        if says and not any(says in x for x in lines):
            return f"no error says {says!r}: {_tail(run)}"
        return _leak(run) or (also(run) if also else None)

    return check


def finishes(codes: tuple[int, ...] = (0, 1, 2), also: Check | None = None) -> Check:
    """A bounded result: one of ``codes``, no internal error, nothing leaked."""

    def check(run: Outcome) -> str | None:
        if run.code not in codes:
            return f"exit {run.code}, not one of {codes}: {_tail(run)}"
        if "internal error" in run.err or "Traceback" in run.err:
            return f"internal error: {_tail(run)}"
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


def _tail(run: Outcome) -> str:
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


# -- the cases, by the classes -----------------------------------------------------

ONE_USER = """instances:
  - name: {name}
    kind: {kind}
    policies:
      - name: P
        users:
          - email: ann@x.example
            crm_user: ann@x.example
"""


def deployment(includes: str = "", name: str = "a", kind: str = "cloud") -> str:
    head = f"include: {includes}\n" if includes else ""
    return head + ONE_USER.format(name=name, kind=kind)


def _secret_outside(folder: Path) -> Path:
    """A file beside the project, holding a line a runner would not want in a CI log."""
    outside = folder / "outside" / "secret.yaml"
    write(folder, "outside/secret.yaml", SECRET + "\n")
    return outside


def include_absolute(folder: Path) -> list[str]:
    outside = _secret_outside(folder)
    write(folder, "project/kb-lint.toml", "")
    write(folder, "project/dep.yaml", deployment(f"[{outside}]"))
    return ["check", "project/dep.yaml"]


def include_parent(folder: Path) -> list[str]:
    _secret_outside(folder)
    write(folder, "project/dep.yaml", deployment("[../outside/secret.yaml]"))
    return ["check", "project/dep.yaml"]


def include_link(folder: Path) -> list[str]:
    outside = _secret_outside(folder)
    write(folder, "project/dep.yaml", deployment("[inner/link.yaml]"))
    (folder / "project" / "inner").mkdir()
    (folder / "project" / "inner" / "link.yaml").symlink_to(outside)
    return ["check", "project/dep.yaml"]


def include_inside(folder: Path) -> list[str]:
    """Allowed: a file of the project's tree (beside the config), not under the includer."""
    write(folder, "project/kb-lint.toml", "")
    write(folder, "project/shared/other.yaml", deployment(name="b", kind="on-premise"))
    write(folder, "project/deploy/dep.yaml", deployment("[../shared/other.yaml]"))
    return ["check", "project/deploy/dep.yaml", "--config", "project/kb-lint.toml"]


HOSTILE_NAME = "a\\n::error file=x.yaml::pwned \\e[31mred\\r\\n::warning::b \\u2028 \\u202e"


def hostile_names(folder: Path) -> list[str]:
    text = ONE_USER.format(name=f'"{HOSTILE_NAME}"', kind="cloud") + ONE_USER.format(
        name='"b\\x1b]0;title\\x07"', kind="on-premise"
    ).replace("instances:\n", "")
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


def no_raw_controls(fmt: str) -> Check:
    """No control character but the report's own line breaks; for text and github, no line
    that a CI runner would read as a workflow command, but github's own annotations."""

    def check(run: Outcome) -> str | None:
        raw = CONTROLS.search(run.out)
        if raw:
            return f"a raw control character {raw.group()!r} in the {fmt} report"
        lines = run.out.splitlines()
        commands = [x for x in lines if x.strip().startswith("::")]
        if fmt == "github":
            if len(commands) != 1 or len(lines) != 1:
                return f"{len(lines)} lines, {len(commands)} workflow commands: {run.out[:300]!r}"
        elif commands:
            return f"a line the runner reads as a workflow command: {commands[0][:200]!r}"
        if fmt in ("json", "sarif"):
            import json

            if "pwned" not in json.dumps(json.loads(run.out)):
                return "the value is lost from the report"
        return None

    return check


def rules_new_id(folder: Path) -> list[str]:
    text = ARTICLE.read_text(encoding="utf-8").replace("id: 105", 'id: "../../../escaped"', 1)
    write(folder, "a.md", text)
    (folder / "rules").mkdir()
    return ["rules", "new", "a.md", "--rules", "rules"]


def rules_new_link(folder: Path) -> list[str]:
    shutil.copy(ARTICLE, folder / "a.md")
    (folder / "rules" / "kb-105").mkdir(parents=True)
    (folder / "rules" / "kb-105" / "pack.yaml").symlink_to(folder / "written-through.yaml")
    return ["rules", "new", "a.md", "--rules", "rules"]


def nothing_outside(name: str) -> Check:
    def check(run: Outcome) -> str | None:
        stray = [p for p in run.folder.parent.rglob("*") if "escaped" in p.name or p.name == name]
        return f"written outside rules/: {stray}" if stray else None

    return check


CASES: list[Case] = [
    Case(
        "security: include leaves the project",
        "absolute path",
        include_absolute,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "../ path",
        include_parent,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "link pointing out",
        include_link,
        refused("project/dep.yaml", 1, 11, "outside"),
    ),
    Case(
        "security: include leaves the project",
        "inside the config's tree (allowed)",
        include_inside,
        finishes((1,)),
    ),
    *(
        Case(
            "security: reporters pass control characters and line breaks",
            f"--format {fmt}",
            lambda folder, fmt=fmt: [*hostile_names(folder), "--format", fmt],
            finishes((1,), no_raw_controls(fmt)),
        )
        for fmt in ("text", "github", "json", "sarif")
    ),
    Case(
        "security: rules new writes outside rules/",
        "id with ../",
        rules_new_id,
        refused("a.md", 2, 5, "not an article id", nothing_outside("escaped")),
    ),
    Case(
        "security: rules new writes outside rules/",
        "pack.yaml a dangling link",
        rules_new_link,
        refused("pack.yaml", 1, 1, also=nothing_outside("written-through.yaml")),
    ),
]


# -- data loss: --fix keeps the file ---------------------------------------------------------

STALE = '"sha256:0000000000000000"'
FRESH = "sha256:d5b1d06b30d3f9af"  # the fingerprint of KB 105's expected challenges, item 1
HISTORY = 'changes: "First release: the rules of KB article 105, revision 10."}'
FLOW = f'cites: {{article: 105, section: expected-challenges, item: 1, fingerprint: "{FRESH}"}}'


THEN = "then: {sync_errors: true, mailbox_copies: len(bindings), crm_duplicates: false}"


def line_of(text: str) -> int:
    """The line of KB 105's pack where ``text`` first is."""
    pack = (RULES / "kb-105" / "pack.yaml").read_text(encoding="utf-8")
    return pack[: pack.index(text)].count("\n") + 1


FLOW_LINE, THEN_LINE = line_of(FLOW), line_of(THEN)


def pack_with(folder: Path, edit: Callable[[str], str], raw: Callable[[str], bytes] | None = None):
    """KB 105's pack (and its article) in ``folder``, its pack text edited."""
    copy_rules(folder, "kb-105")
    shutil.copytree(ROOT / "docs" / "articles", folder / "docs" / "articles")
    pack = folder / "rules" / "kb-105" / "pack.yaml"
    text = edit(pack.read_text(encoding="utf-8"))
    assert text.count(STALE) or "fingerprint" not in FLOW or text != "", "edit took"
    pack.write_bytes(raw(text) if raw else text.encode("utf-8"))
    return ["rules", "check", "--rules", "rules", "--fix"]


def stale(text: str, value: str = STALE) -> str:
    return text.replace(f'"{FRESH}"', value, 1)


def pack_bytes(run: Outcome) -> bytes:
    return (run.folder / "rules" / "kb-105" / "pack.yaml").read_bytes()


def fixed_as(encode: Callable[[str], bytes]) -> Check:
    """Exit 0 and the pack exactly as it was before the fingerprint went stale, stored as
    ``encode`` stores text (encoding, byte-order mark, line endings)."""

    def check(run: Outcome) -> str | None:
        original = (RULES / "kb-105" / "pack.yaml").read_text(encoding="utf-8")
        if pack_bytes(run) != encode(original):
            return f"the pack is not as it was: {pack_bytes(run)[:80]!r}"
        return None

    return finishes((0,), check)


def unchanged(before: Callable[[Path], bytes]) -> Check:
    def check(run: Outcome) -> str | None:
        return None if pack_bytes(run) == before(run.folder) else "the pack was changed"

    return check


def refused_fix(line: int, says: str = "set it by hand") -> Check:
    return refused("pack.yaml", line, None, says, unchanged(lambda f: (f / ".before").read_bytes()))


def keep_copy(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        shutil.copy(folder / "rules" / "kb-105" / "pack.yaml", folder / ".before")
        return argv

    return wrapped


def block_scalar(text: str) -> str:
    block = (
        "cites:\n      article: 105\n      section: expected-challenges\n      item: 1\n"
        "      fingerprint: >-\n        sha256:0000000000000000"
    )
    return text.replace(FLOW, block, 1)


def comment_with_brace(text: str) -> str:
    split = (
        "cites: {article: 105, section: expected-challenges,  # see } and { here\n"
        "            item: 1}"
    )
    return text.replace(FLOW, split, 1)


def comment_fixed(run: Outcome) -> str | None:
    text = pack_bytes(run).decode("utf-8")
    want = f'# see }} and {{ here\n            item: 1, fingerprint: "{FRESH}"}}'
    return None if want in text else "the fingerprint was not added inside the braces"


def with_xattr(setup: Callable[[Path], list[str]], name: str) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        os.setxattr(folder / name, "user.kb-lint-test", b"kept")
        return argv

    return wrapped


def xattr_kept(name: str) -> Check:
    def check(run: Outcome) -> str | None:
        try:
            value = os.getxattr(run.folder / name, "user.kb-lint-test")
        except OSError:
            return "the extended attribute is lost"
        return None if value == b"kept" else "the extended attribute changed"

    return check


def owned_by_another(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    """The pack owned by another user and group (root can give it away; others cannot, and
    then the case checks that the owner is kept, which it trivially is)."""

    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        if os.geteuid() == 0:
            os.chown(folder / "rules" / "kb-105" / "pack.yaml", 65534, 65534)
        return argv

    return wrapped


def owner_kept(run: Outcome) -> str | None:
    status = (run.folder / "rules" / "kb-105" / "pack.yaml").stat()
    wanted = (65534, 65534) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    return None if (status.st_uid, status.st_gid) == wanted else "the owner or group changed"


def read_only(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        (folder / "rules" / "kb-105" / "pack.yaml").chmod(0o444)
        return argv

    return wrapped


def article_slip(folder: Path) -> list[str]:
    text = ARTICLE.read_text(encoding="utf-8").replace("an email", "a email", 1)
    write(folder, "a.md", text.replace("\n", "\r\n").encode("utf-8"))
    return ["articles", "a.md", "--fix"]


def article_kept(run: Outcome) -> str | None:
    raw = (run.folder / "a.md").read_bytes()
    if raw.count(b"\n") != raw.count(b"\r\n") or b"a email" in raw:
        return "the article's line endings were changed or the slip was not fixed"
    return xattr_kept("a.md")(run)


UTF16 = lambda text: text.encode("utf-16")  # noqa: E731  (a byte-order mark, then UTF-16)
BOM8 = lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")  # noqa: E731
CRLF = lambda text: text.replace("\n", "\r\n").encode("utf-8")  # noqa: E731
CR = lambda text: text.replace("\n", "\r").encode("utf-8")  # noqa: E731

CASES += [
    Case(
        "data loss: rules check --fix breaks YAML",
        "tagged fingerprint",
        keep_copy(lambda f: pack_with(f, lambda t: stale(t, "!!str " + STALE))),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "anchored fingerprint",
        keep_copy(lambda f: pack_with(f, lambda t: stale(t, "&fp " + STALE))),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "aliased fingerprint",
        keep_copy(
            lambda f: pack_with(
                f,
                lambda t: stale(t, "*fp").replace(HISTORY, f"changes: &fp {STALE}}}", 1),
            )
        ),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "block-scalar fingerprint",
        keep_copy(lambda f: pack_with(f, block_scalar)),
        refused_fix(FLOW_LINE + 4),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "comment holding } in a flow mapping",
        lambda f: pack_with(f, lambda t: comment_with_brace(t)),
        finishes((0,), comment_fixed),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "CRLF pack",
        lambda f: pack_with(f, stale, CRLF),
        fixed_as(CRLF),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "CR pack",
        lambda f: pack_with(f, stale, CR),
        fixed_as(CR),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "UTF-8 pack with a byte-order mark",
        lambda f: pack_with(f, stale, BOM8),
        fixed_as(BOM8),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "UTF-16 pack",
        lambda f: pack_with(f, stale, UTF16),
        fixed_as(UTF16),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "pack with an extended attribute",
        with_xattr(lambda f: pack_with(f, stale), "rules/kb-105/pack.yaml"),
        finishes((0,), xattr_kept("rules/kb-105/pack.yaml")),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "pack owned by another user and group",
        owned_by_another(lambda f: pack_with(f, stale)),
        finishes((0,), owner_kept),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "article with an extended attribute",
        with_xattr(article_slip, "a.md"),
        finishes((0, 1), article_kept),
    ),
    Case(
        "internal error: read-only pack under rules check --fix",
        "pack mode 0444",
        keep_copy(read_only(lambda f: pack_with(f, stale))),
        refused("pack.yaml", FLOW_LINE, None, "cannot write"),
    ),
]


# -- internal errors: each is an input error at its place now -------------------------------


def include_folder(folder: Path) -> list[str]:
    (folder / "sub").mkdir()
    write(folder, "dep.yaml", deployment("[sub]"))
    return ["check", "dep.yaml"]


def config_folder(folder: Path) -> list[str]:
    (folder / "conf").mkdir()
    write(folder, "dep.yaml", deployment())
    return ["check", "dep.yaml", "--config", "conf"]


def simulate_folder(folder: Path) -> list[str]:
    (folder / "scenario").mkdir()
    return ["simulate", "scenario"]


def pack_folder(folder: Path) -> list[str]:
    rules = copy_rules(folder, "kb-105")
    (rules / "kb-x" / "pack.yaml").mkdir(parents=True)
    return ["rules", "check", "--rules", "rules"]


def long_version(folder: Path) -> list[str]:
    """A version of 5,000 digits: compared as digits, never converted to an int."""
    text = deployment().replace(
        "    kind: cloud\n", f'    kind: on-premise\n    riva_version: "{"9" * 5000}"\n'
    )
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


def outcome_string(where: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        rules = copy_rules(folder, "kb-105")
        pack = rules / "kb-105" / "pack.yaml"
        text = pack.read_text(encoding="utf-8")
        text = text.replace(
            THEN,
            "then: {sync_errors: true, mailbox_copies: \"'two'\", crm_duplicates: false}",
            1,
        )
        pack.write_text(text, encoding="utf-8")
        if where == "docs":
            return ["docs", "export", "--rules", "rules", "out"]
        return ["rules", "check", "--rules", "rules"]

    return setup


def lone_surrogate(folder: Path) -> list[str]:
    write(
        folder, "dep.json", '{"instances": [{"name": "a\\ud800", "kind": "cloud", "policies": []}]}'
    )
    return ["check", "dep.json"]


def output_folder(folder: Path) -> list[str]:
    (folder / "out").mkdir()
    return ["schema", "-o", "out"]


def output_missing_folder(folder: Path) -> list[str]:
    return ["schema", "-o", "no/such/folder/schema.json"]


def stdout_closed(folder: Path) -> list[str]:
    write(folder, "dep.yaml", deployment())
    return ["check", "dep.yaml"]


def link_loop(folder: Path) -> list[str]:
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    return ["check", "a.yaml"]


def long_name(command: str, suffix: str) -> Callable[[Path], list[str]]:
    return lambda folder: [command, "x" * 300 + suffix]


def pyproject(content: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write(folder, "pyproject.toml", content)
        (folder / "work").mkdir()
        write(folder, "work/dep.yaml", deployment())
        return [
            "check",
            "work/dep.yaml",
            *(["--config", "pyproject.toml"] if "kb-lint" in content else []),
        ]

    return setup


def include_chain(folder: Path) -> list[str]:
    for n in range(1500):
        write(folder, f"c{n}.yaml", f"include: [c{n + 1}.yaml]\ninstances: []\n")
    write(folder, "c1500.yaml", "instances: []\n")
    return ["check", "c0.yaml"]


def usage_error(says: str) -> Check:
    """Exit 2 with one line saying ``says`` (a wrong command line has no file position)."""

    def check(run: Outcome) -> str | None:
        lines = run.err.strip().splitlines()
        if run.code != 2 or len(lines) != 1 or says not in lines[0]:
            return f"exit {run.code}: {_tail(run)}"
        return None

    return check


CASES += [
    Case(
        "internal error: a folder where a file is read",
        "include: a folder",
        include_folder,
        refused("dep.yaml", 1, 11, "not a regular file"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "--config a folder",
        config_folder,
        refused("conf", 1, 1, "folder"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "simulate a folder",
        simulate_folder,
        refused("scenario", 1, 1, "folder"),
    ),
    Case(
        "internal error: a folder where a file is read",
        "pack.yaml a folder",
        pack_folder,
        refused("kb-x/pack.yaml", 1, 1, "it is a folder"),
    ),
    Case(
        "internal error: riva_version of 5,000 digits",
        "check",
        long_version,
        finishes((0,)),
    ),
    Case(
        "internal error: integer outcome given a string",
        "rules check reports it",
        outcome_string("check"),
        finishes(
            (1, 2),
            lambda r: (
                None
                if f"pack.yaml:{THEN_LINE}:" in r.out + r.err
                else f"not reported at its line: {_tail(r)}"
            ),
        ),
    ),
    Case(
        "internal error: integer outcome given a string",
        "docs export",
        outcome_string("docs"),
        refused("pack.yaml", THEN_LINE, None, "must be integer"),
    ),
    Case(
        "internal error: lone surrogate in JSON",
        "check",
        lone_surrogate,
        refused("dep.json", 1, None),
    ),
    Case(
        "internal error: output write errors", "-o a folder", output_folder, usage_error("folder")
    ),
    Case(
        "internal error: output write errors",
        "-o in a missing folder",
        output_missing_folder,
        usage_error("cannot write"),
    ),
    Case(
        "internal error: output write errors",
        "closed standard output",
        stdout_closed,
        usage_error("standard output"),
        closed_stdout=True,
    ),
    Case(
        "internal error: path probe errors",
        "a loop of symbolic links",
        link_loop,
        refused("a.yaml", 1, 1, "loop"),
    ),
    *(
        Case(
            "internal error: path probe errors",
            f"a name too long ({command})",
            long_name(command, suffix),
            refused(None, 1, 1, "too long"),
        )
        for command, suffix in (("check", ".yaml"), ("articles", ".md"), ("simulate", ".yaml"))
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "[tool] not a table",
        pyproject("tool = 1\n"),
        finishes((0,)),
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "deep nesting",
        pyproject("[tool]\nx = " + "[" * 5000 + "]" * 5000 + "\n"),
        finishes((0,)),
    ),
    Case(
        "internal error: bad pyproject.toml above the working folder",
        "deep nesting in the config given",
        pyproject("[tool.kb-lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n"),
        refused("pyproject.toml", 1, 1, "nested"),
    ),
    Case(
        "internal error: long include chains",
        "1,500 files",
        include_chain,
        refused(None, 1, 11, "nest more than 64"),
    ),
    Case(
        "internal error: --max-size inf",
        "inf",
        lambda f: ["check", "--max-size", "inf", "x.yaml"],
        usage_error("--max-size"),
    ),
]


# -- hangs and slowness: each input has a bound ----------------------------------------------


def alias_amplification(folder: Path) -> list[str]:
    """50,000 values written once, then named 99 times: 5 million values to walk, in 100 KB
    (within the former budget of 100 times what is written)."""
    values = ",".join("0" for _ in range(50_000))
    aliases = ", ".join(["*a"] * 99)
    write(folder, "dep.yaml", f"x: &a [{values}]\ny: [{aliases}]\ninstances: []\n")
    return ["check", "dep.yaml"]


def house_style_pattern(pattern: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        shutil.copytree(ROOT / "kb_lint" / "styles" / "riva", folder / "styles" / "riva")
        sections = folder / "styles" / "riva" / "rules" / "sections.yaml"
        text = sections.read_text(encoding="utf-8")
        sections.write_text(text.replace("pattern: 'Steps( for .+)?'", f"pattern: '{pattern}'"))
        title = "a" * 30_000 + "!"
        write(folder, "a.md", f"---\nid: 1\n---\n\n# Title\n\n## {title}\n\nText.\n")
        return ["articles", "a.md", "--style", "styles/riva", "--rules", str(RULES)]

    return setup


def mailbox_items(folder: Path) -> list[str]:
    text = deployment() + "mailbox:\n  user_items:\n    contacts: 1000000000\n"
    write(folder, "scenario.yaml", text)
    return ["simulate", "scenario.yaml"]


CASES += [
    Case(
        "hang: docs export --cycles unbounded",
        "--cycles 1000000",
        lambda f: ["docs", "export", "--cycles", "1000000", "out"],
        usage_error("--cycles"),
    ),
    Case(
        "hang: simulate --sweep --cycles 1000",
        "--cycles 1000",
        lambda f: ["simulate", "--sweep", "--cycles", "1000"],
        usage_error("for each case"),
    ),
    Case(
        "hang: no limit on a mailbox's user items",
        "a billion contacts",
        mailbox_items,
        refused("scenario.yaml", 11, 15, "user items"),
    ),
    Case(
        "hang: house-style pattern backtracks",
        "(a+)+$ (exponential)",
        house_style_pattern("(a+)+$"),
        finishes((0, 1)),
        limit=10,
    ),
    Case(
        "hang: house-style pattern backtracks",
        "a*a*a*b (polynomial)",
        house_style_pattern("a*a*a*a*b"),
        finishes((0, 1)),
        limit=10,
    ),
    Case(
        "hang: house-style pattern backtracks",
        "a look-around (refused)",
        house_style_pattern("(?=Steps).*"),
        refused("sections.yaml", None, None, "RE2"),
    ),
    Case(
        "hang: YAML alias amplification within the size cap",
        "50,000 values x 99",
        alias_amplification,
        refused("dep.yaml", 2, None, "alias"),
        limit=30,
    ),
]


# -- positions and silence ---------------------------------------------------------------------


def bom_then_bad_byte(folder: Path) -> list[str]:
    write(folder, "dep.yaml", b"\xef\xbb\xbfinstances: [\xc3\xa9\xff]\n")
    return ["check", "dep.yaml"]


def config_says(content: str, command: str = "articles") -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write(folder, "kb-lint.toml", content)
        shutil.copy(ARTICLE, folder / "a.md")
        write(folder, "dep.yaml", deployment())
        return [command, "a.md" if command == "articles" else "dep.yaml"]

    return setup


def broken_links(folder: Path) -> list[str]:
    write(folder, "deploy/dep.yaml", deployment())
    (folder / "deploy" / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "deploy" / "loop.yaml").symlink_to("loop.yaml")
    return ["check", "deploy"]


def email_value(value: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        text = deployment() + deployment(name="b", kind="on-premise").replace("instances:\n", "")
        write(folder, "dep.yaml", text.replace("email: ann@x.example", f'email: "{value}"', 1))
        return ["check", "dep.yaml"]

    return setup


def merge_keys(folder: Path) -> list[str]:
    text = (
        "instances:\n  - &a {name: a, kind: cloud, policies: []}\n"
        "  - <<: *a\n    <<: {kind: on-premise}\n    name: b\n"
    )
    write(folder, "dep.yaml", text)
    return ["check", "dep.yaml"]


CASES += [
    Case(
        "positions: invalid UTF-8 after a byte-order mark",
        "column counts characters",
        bom_then_bad_byte,
        refused("dep.yaml", 1, 14, "0xff"),
    ),
    Case(
        "positions: style and config errors without a place",
        "style = 'nope'",
        config_says('style = "nope"\n'),
        refused("kb-lint.toml", 1, 1, "unknown style"),
    ),
    Case(
        "positions: style and config errors without a place",
        "styles folder missing",
        config_says('\nstyles = "nowhere"\n'),
        refused("kb-lint.toml", 2, 1, "styles folder"),
    ),
    Case(
        "positions: whole-file errors on devices",
        "check /dev/zero",
        lambda f: ["check", "/dev/zero"],
        refused("/dev/zero", 1, 1, "character device"),
    ),
    Case(
        "positions: whole-file errors on devices",
        "articles /dev/null",
        lambda f: ["articles", "/dev/null"],
        refused("/dev/null", 1, 1, "character device"),
    ),
    Case(
        "silent: configured rules folder missing",
        "rules = 'nowhere'",
        config_says('rules = "nowhere"\n', "check"),
        refused("kb-lint.toml", 1, 1, "rules folder"),
    ),
    Case(
        "silent: duplicate << merge keys",
        "two << in one mapping",
        merge_keys,
        refused("dep.yaml", 4, 5, "duplicate merge key"),
    ),
    Case(
        "silent: broken and looping links skipped in a folder",
        "a folder with both",
        broken_links,
        refused("gone.yaml", 1, 1, "broken link"),
    ),
    *(
        Case(
            "silent: invalid email addresses",
            name,
            email_value(value),
            refused("dep.yaml", 7, 20, "email address"),
        )
        for name, value in (
            ("NUL", "ann@x.example\\0"),
            ("zero-width space", "ann\\u200b@x.example"),
            ("not an email at all", "not an email at all"),
        )
    ),
]


# -- the language server: bad framing, bad params, slow lints --------------------------------


def frame(body: dict | bytes, length: int | None = None, header: bytes | None = None) -> bytes:
    import json

    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    head = (
        header
        if header is not None
        else b"Content-Length: %d\r\n\r\n" % (len(data) if length is None else length)
    )
    return head + data


INITIALIZE = frame(
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}},
    }
)
LAST = frame({"jsonrpc": "2.0", "id": "last", "method": "shutdown"})
HOVER = {
    "jsonrpc": "2.0",
    "id": 7,
    "method": "textDocument/hover",
    "params": {"textDocument": {"uri": "file:///x.md"}, "position": {"line": -4}},
}


def served(*bad: bytes) -> Callable[[Path, Case], Outcome]:
    """A server session: initialize, the bad frames, then a request it must still answer."""

    def drive(folder: Path, case: Case) -> Outcome:
        import json

        messages, seconds, _ = server_session([INITIALIZE, *bad, LAST], case.limit)
        return Outcome(0, json.dumps(messages), "", seconds, folder)

    return drive


def answers(*ids: object, errors: int = 0) -> Check:
    """Every request ``ids`` answered (the last one too), and at least ``errors`` error replies."""

    def check(run: Outcome) -> str | None:
        import json

        messages = json.loads(run.out)
        answered = {m.get("id") for m in messages if "result" in m or "error" in m}
        missing = [i for i in (1, *ids, "last") if i not in answered]
        if missing:
            return f"no answer to {missing}: {run.out[:300]}"
        if sum("error" in m for m in messages) < errors:
            return f"fewer than {errors} error replies: {run.out[:300]}"
        return None

    return check


CASES += [
    Case(
        "language server: bad framing",
        "Content-Length too small",
        lambda f: [],
        answers(errors=1),
        drive=served(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, length=10)),
    ),
    Case(
        "language server: bad framing",
        "Content-Length too large",
        lambda f: [],
        answers(errors=1),
        drive=served(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}, 5000)),
    ),
    Case(
        "language server: bad framing",
        "Content-Length missing",
        lambda f: [],
        answers(errors=1),
        drive=served(
            frame(
                {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
                header=b"Content-Type: application/json\r\n\r\n",
            )
        ),
    ),
    Case(
        "language server: bad framing",
        "body not UTF-8",
        lambda f: [],
        answers(errors=1),
        drive=served(frame(b'{"jsonrpc": "2.0", "id": 4, "method": "x\xff\xfe"}')),
    ),
    Case(
        "language server: bad framing",
        "huge Content-Length",
        lambda f: [],
        answers(errors=1),
        drive=served(frame(b"{}", length=10**15)),
    ),
    Case(
        "language server: a request with invalid params",
        "hover without a line",
        lambda f: [],
        answers(7, errors=1),
        drive=served(frame(HOVER)),
    ),
]
