"""Mutation testing of article 105's pack and of the engine, model and simulator: does the
suite notice?

Each mutant is one small change to ``rules/kb-105/pack.yaml`` (an outcome flipped in a table
row or a residue, ``len(bindings)`` made 1, a comparison turned around, a clean-up bullet's
``covers`` cut short, a step's ``applies`` reversed) or to a Python file of the engine
(``kb_lint/engine``), the model (``kb_lint/model``) or the simulator (``kb_lint/simulate``): a
comparison, a boolean operator, a constant, a counter, ``min``/``max`` (``scripts/mutants.py``
makes them).

The judges are ``kb-lint rules check`` (claims, examples; a changed fingerprint alone,
KB-RULES-014, is not a kill), ``kb-lint rules test``, ``kb-lint simulate --sweep`` (the grid
and the procedures) and the tests of POOL (``tests/test_properties.py`` at a quarter of its
examples, without its coverage report, which needs the full count).

Algorithm. The project is copied once per job (links such as ``kb_lint/packs`` kept as links;
bytecode compiled with checked hashes, so a mutant written and reverted within one second is
never served stale). The baseline runs every judge once, without a mutant, under coverage.py
with one context per judge and per test (scripts/mutate_contexts.py; the CLI runs a test starts
are measured under the test's context); it stops the script when a judge fails (a judge that
fails at baseline cannot kill) and records which judges and tests run each line, and how long
each took. A mutant is then applied in place in a copy and judged only by the judges and tests
that run its statement (all of them when the statement runs at import or collection, and for
pack mutants, whose YAML coverage cannot see), stopping at the first failure: the CLI judges
(a few seconds each), then one ``pytest -x`` over the chosen tests, the likeliest to kill first
(those that killed most mutants so far in the run, then those that run most lines per second).
A mutant no judge runs survives without a run; a judge past four times its baseline time (plus
a minute) kills by timeout, its process group ended.

Cost: one baseline of the judges under coverage (minutes), then per mutant a few seconds of
CLI runs and the tests that reach its line; ``--jobs`` copies work side by side.

    .venv/bin/python scripts/mutate.py [--layer pack|engine|model|simulator ...] [--match TEXT]
                                       [--sample N] [--seed S] [--jobs 2] [--markdown report.md]

``--sample N`` draws N mutants per layer at random with ``--seed`` (default 0), so a run is
reproducible; ``--match TEXT`` (repeatable) keeps the mutants whose label contains a TEXT.
The report gives the score per layer. A mutant that changes nothing the suite can observe (an
equivalent mutant) survives by nature; README.md lists the survivors of the last full run with
the reason each one survives.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

import coverage
from mutants import LAYERS, ROOT, Mutant, mutants

KB_LINT = [sys.executable, "-m", "kb_lint"]
CLI_JUDGES = {
    "rules check": [*KB_LINT, "rules", "check", "--ignore", "KB-RULES-014"],
    "rules test": [*KB_LINT, "rules", "test"],
    "simulate --sweep": [*KB_LINT, "simulate", "--sweep"],
}
POOL = (
    "tests/simulate",
    "tests/timeline",
    "tests/engine",
    "tests/model",
    "tests/test_plan.py",
    "tests/test_properties.py",
)
# The coverage report of the property run needs every property at full count.
NOT_A_JUDGE = "tests/test_properties.py::test_every_row_step_and_rule_was_compared"
COMPILE = [sys.executable, "-m", "compileall", "-q", "--invalidation-mode", "checked-hash"]
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
NO_SHRINKING = "--hypothesis-profile=mutation"  # tests/conftest.py: a failure found is enough
COLLECTION = ""  # the context of lines run at import or while pytest collects
KILLS: Counter[str] = Counter()  # the mutants each judge and test has killed in this run
KILLS_LOCK = threading.Lock()
STOP = threading.Event()  # set on SIGTERM or Ctrl-C: no further judge starts
LIVE: set[subprocess.Popen[str]] = set()  # the judges running now, ended on STOP


@dataclass(frozen=True)
class Baseline:
    """What the judges do without a mutant: how long each judge and test takes, and which of
    them run each line (``(path, line)`` -> judge names and test node ids)."""

    seconds: dict[str, float]
    runs: dict[tuple[str, int], set[str]]
    lines: Counter[str]  # how many lines of the layers each judge and test runs


@functools.cache
def _tree(path: str) -> ast.Module:
    return ast.parse((ROOT / path).read_text("utf-8"))


def statement_lines(path: str, line: int) -> range:
    """The lines of the statement ``line`` belongs to (a compound statement's header only):
    coverage records a multi-line statement at whichever of its lines the interpreter names."""
    best: ast.stmt | None = None
    for node in ast.walk(_tree(path)):
        inside = isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or line)
        if inside and (best is None or node.lineno >= best.lineno):
            best = node
    if best is None:
        return range(line, line + 1)
    body = getattr(best, "body", None)
    end = body[0].lineno - 1 if body and body[0].lineno > best.lineno else best.end_lineno
    return range(best.lineno, max(end or line, line) + 1)


def copy_project(into: Path) -> None:
    """The project's files, its links kept as links, bytecode checked by hash."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # kb_lint/packs -> ../rules: the judges load the packs by it
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    subprocess.run(
        [*COMPILE, str(into / "kb_lint"), str(into / "tests")],
        check=True,
    )


def run(
    command: list[str], root: Path, env: dict[str, str], timeout: float
) -> tuple[int | None, str]:
    """Run ``command`` in ``root``: its exit code (None past ``timeout``, its process group
    ended) and its output."""
    proc = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    LIVE.add(proc)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        return None, output
    finally:
        LIVE.discard(proc)
    return proc.returncode, output


def judge_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    return {**env, "PYTHONPATH": str(root), "KB_LINT_PROPERTY_SCALE": "0.25"}


def pool_files(root: Path) -> list[str]:
    found = []
    for entry in POOL:
        if (root / entry).is_dir():
            found += sorted(str(p.relative_to(root)) for p in (root / entry).rglob("test_*.py"))
        elif (root / entry).is_file():
            found.append(entry)
    return found


def measure(roots: list[Path]) -> Baseline:
    """Run every judge once without a mutant, under coverage, the pool's test files shared
    between the copies; exit 2 when one fails."""
    files = pool_files(roots[0])
    tasks = [(name, command) for name, command in CLI_JUDGES.items()]
    for k in range(len(roots)):
        part = files[k :: len(roots)]
        if part:
            tasks.append((f"pytest {k}", [*PYTEST, "-p", "mutate_contexts", *part]))
    free: Queue[Path] = Queue()
    for root in roots:
        (root / ".mutate-coverage").mkdir(exist_ok=True)
        (root / ".mutate-coveragerc").write_text(_coveragerc(root), "utf-8")
        free.put(root)
    seconds: dict[str, float] = {}

    def baseline(task: tuple[str, list[str]]) -> str | None:
        name, command = task
        root = free.get()
        try:
            times = root / f".mutate-times-{name.replace(' ', '-')}.json"
            env = {
                **judge_env(root),
                "PYTHONPATH": f"{root}{os.pathsep}{ROOT / 'scripts'}",
                "COVERAGE_PROCESS_START": str(root / ".mutate-coveragerc"),
                "KB_MUTATE_CONTEXT": name,
                "KB_MUTATE_TIMES": str(times),
            }
            if name.startswith("pytest"):
                command = [*command, "--deselect", NOT_A_JUDGE]
                env.pop("KB_MUTATE_CONTEXT")  # the plugin names each test's context
            start = time.monotonic()
            code, output = run(command, root, env, timeout=3600)
            if not name.startswith("pytest"):
                seconds[name] = time.monotonic() - start
            elif code == 0:
                seconds.update(json.loads(times.read_text("utf-8")))
            return None if code == 0 else f"{name}:\n{output[-3000:]}"
        finally:
            free.put(root)

    with ThreadPoolExecutor(len(roots)) as pool:
        failures = [f for f in pool.map(baseline, tasks) if f]
    if failures:  # a judge that fails without a mutant cannot kill one: fix it first
        print("failing without a mutant:\n" + "\n".join(failures), file=sys.stderr)
        raise SystemExit(2)
    runs: dict[tuple[str, int], set[str]] = defaultdict(set)
    for root in roots:
        measured = coverage.Coverage(
            data_file=str(root / ".mutate-coverage" / "data"),
            config_file=str(root / ".mutate-coveragerc"),
        )
        measured.combine([str(root / ".mutate-coverage")])
        data = measured.get_data()
        for path in data.measured_files():
            relative = str(Path(path).relative_to(root))
            for line, contexts in data.contexts_by_lineno(path).items():
                runs[(relative, line)].update(contexts)
    if not runs:
        print("coverage measured none of the layers' files", file=sys.stderr)
        raise SystemExit(2)
    lines = Counter(runner for runners in runs.values() for runner in runners)
    return Baseline(seconds, dict(runs), lines)


def _coveragerc(root: Path) -> str:
    include = ", ".join(str(root / path) for paths in LAYERS.values() for path in paths)
    return (
        "[run]\n"
        "parallel = True\n"
        f"data_file = {root / '.mutate-coverage' / 'data'}\n"
        "context = ${KB_MUTATE_CONTEXT-}\n"
        "concurrency = thread, multiprocessing\n"
        f"include = {include}\n"
    )


def chosen_judges(mutant: Mutant, baseline: Baseline) -> tuple[list[str], list[str]]:
    """The CLI judges and the tests that run the mutant's statement, likeliest to kill first:
    those that killed most mutants so far, then those that run most lines per second."""
    if mutant.layer == "pack":
        runners = set(baseline.seconds) | {COLLECTION}
    else:
        runners = set()
        for line in statement_lines(mutant.path, mutant.line):
            runners |= baseline.runs.get((mutant.path, line), set())
        if COLLECTION in runners:  # decided at import or collection: every later run sees it
            runners = set(baseline.seconds)
    with KILLS_LOCK:
        likeliest = sorted(
            runners - {COLLECTION},
            key=lambda r: (-KILLS[r], -baseline.lines[r] / max(baseline.seconds[r], 0.01)),
        )
    return [r for r in likeliest if r in CLI_JUDGES], [r for r in likeliest if "::" in r]


def judge(mutant: Mutant, root: Path, baseline: Baseline) -> list[str]:
    """Apply ``mutant`` in ``root``, run the judges that reach it (``chosen_judges``) until
    one fails, restore; the names of the judges and tests that failed."""
    clis, tests = chosen_judges(mutant, baseline)
    target = root / mutant.path
    original = target.read_text("utf-8")
    lines = original.splitlines(keepends=True)
    ending = lines[mutant.line - 1][len(lines[mutant.line - 1].rstrip("\r\n")) :]
    lines[mutant.line - 1] = mutant.after + ending
    target.write_text("".join(lines), "utf-8")
    env = judge_env(root)
    try:
        for name in clis:
            code, _ = run(CLI_JUDGES[name], root, env, 60 + 4 * baseline.seconds[name])
            if STOP.is_set():  # ended by SIGTERM or Ctrl-C, not by the mutant
                return []
            if code != 0:
                _killed(name)
                return [name if code is not None else f"timeout ({name})"]
        if tests:
            budget = 60 + 4 * sum(baseline.seconds[t] for t in tests)
            code, output = run([*PYTEST, NO_SHRINKING, *tests], root, env, budget)
            if STOP.is_set():
                return []
            if code is None:
                return ["timeout (pytest)"]
            if code != 0:
                failed = re.findall(r"^FAILED (.+?)(?: - .*)?$", output, re.M)
                for test in failed:
                    _killed(test)
                return failed or [f"pytest (exit {code})"]
        return []
    finally:
        target.write_text(original, "utf-8")


def _stop(signum: int, _frame: object) -> None:
    """End the running judges and start no other; the copies are removed on the way out."""
    STOP.set()
    for proc in list(LIVE):
        os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(128 + signum)


def _killed(runner: str) -> None:
    with KILLS_LOCK:
        KILLS[runner] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--layer", action="append", choices=("pack", *LAYERS), help="repeat for several"
    )
    parser.add_argument(
        "--match", action="append", help="only the mutants whose label contains this text (repeat)"
    )
    parser.add_argument("--sample", type=int, help="N mutants per layer, drawn with --seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    rng = random.Random(args.seed)
    chosen: list[Mutant] = []
    for layer, found in mutants().items():
        if args.layer and layer not in args.layer:
            continue
        found = [m for m in found if not args.match or any(t in m.label for t in args.match)]
        if args.sample and args.sample < len(found):
            found = sorted(rng.sample(found, args.sample), key=lambda m: (m.path, m.line))
        chosen += found
    if not chosen:
        parser.error("no mutant matches")
    start = time.monotonic()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with tempfile.TemporaryDirectory() as folder:
        roots = [Path(folder) / f"copy{k}" for k in range(args.jobs)]
        for root in roots:
            copy_project(root)
        baseline = measure(roots)
        measured = time.monotonic() - start
        print(
            f"baseline: {len(baseline.seconds)} judges and tests, {measured:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        free: Queue[Path] = Queue()
        for root in roots:
            free.put(root)

        def one(mutant: Mutant) -> list[str] | None:
            if STOP.is_set():
                return None
            root = free.get()  # one copy of the project per running mutant
            began = time.monotonic()
            try:
                clis, tests = chosen_judges(mutant, baseline)
                killers = judge(mutant, root, baseline) if clis or tests else None
            finally:
                free.put(root)
            print(
                f"{_verdict(killers)} ({len(clis)} CLI judges, {len(tests)} tests reach it;"
                f" {time.monotonic() - began:.0f} s)\n    {mutant.label}",
                file=sys.stderr,
                flush=True,
            )
            return killers

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(one, chosen))
    lines = [f"{_verdict(k)}\n    {m.label}" for m, k in zip(chosen, results, strict=True)]
    scores = []
    for layer in dict.fromkeys(m.layer for m in chosen):
        mine = [k for m, k in zip(chosen, results, strict=True) if m.layer == layer]
        killed = sum(1 for k in mine if k)
        scores.append(f"{layer}: {killed}/{len(mine)} killed ({100 * killed / len(mine):.1f}%)")
    sampled = f", {args.sample} per layer drawn with seed {args.seed}" if args.sample else ""
    summary = f"{len(chosen)} mutants{sampled}; " + "; ".join(scores)
    summary += f"; {time.monotonic() - start:.0f} s (baseline {measured:.0f} s), --jobs {args.jobs}"
    print("\n".join(lines))
    print(summary)  # the same list, in order, on stdout; stderr had it as it went
    if args.markdown:
        rows = ["| layer | mutant | verdict |", "| --- | --- | --- |"]
        rows += [
            f"| {m.layer} | `{m.label}` | {_verdict(k)} |"
            for m, k in zip(chosen, results, strict=True)
        ]
        args.markdown.write_text("\n".join([summary, "", *rows]) + "\n", "utf-8")
    return 0


def _verdict(killers: list[str] | None) -> str:
    if killers is None:
        return "SURVIVED (no judge runs it)"
    return f"killed by {', '.join(killers)}" if killers else "SURVIVED"


if __name__ == "__main__":
    raise SystemExit(main())
