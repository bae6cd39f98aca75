"""Mutation testing of article 105's rule pack and of the simulator: does the suite notice?

Each mutant is one small change to ``rules/kb-105/pack.yaml`` (an outcome flipped in a table
row or a residue, ``len(bindings)`` made 1, a comparison turned around, a clean-up bullet's
``covers`` cut short) or to ``kb_lint/simulate/*.py`` (a comparison, a boolean operator, a
constant, a counter). The script copies the project to a temporary folder, applies one mutant
at a time there, and runs the judges: ``kb-lint rules check`` (claims, examples), ``kb-lint
simulate --sweep``, ``tests/simulate`` and ``tests/test_properties.py`` (at a quarter of its
examples). A mutant is killed when a judge fails; the report lists, for each mutant, the judges
and tests that killed it, and the survivors.

    .venv/bin/python scripts/mutate.py [--only pack|simulator] [--limit N] [--jobs 2]
                                       [--markdown report.md]

A mutant that changes nothing the model can reach (an equivalent mutant) survives by nature;
README.md lists the survivors of the last run with the reason each one survives.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

ROOT = Path(__file__).resolve().parents[1]
PACK = "rules/kb-105/pack.yaml"
SIMULATOR = (
    "kb_lint/simulate/sync.py",
    "kb_lint/simulate/run.py",
    "kb_lint/simulate/config.py",
    "kb_lint/simulate/world.py",
)
# Pack operators: (line must contain, pattern, replacement).
PACK_OPERATORS = (
    ("then:", r"\btrue\b", "false"),
    ("then:", r"\bfalse\b", "true"),
    ("then:", r"len\(bindings\)", "1"),
    ("residue", r"\btrue\b", "false"),
    ("sync_errors:", r"source\.folder_root == target\.folder_root", "False"),
    (
        "lost_and_found:",
        r"source\.category == target\.category",
        "source.category != target.category",
    ),
    ("crm_duplicates:", r"target\.sync_all_items and ", ""),
    ("2 if source.category", r"2 if", "1 if"),
    ("covers:", r"\[(\w[\w-]*), ", "["),
    ("match:", r" == source\.policy", " != source.policy"),
    ("applies:", r'== "cloud"', '!= "cloud"'),
    ("when:", r"folders: same", "folders: different"),
)
# Simulator operators: (pattern, replacement), on code lines only.
SIMULATOR_OPERATORS = (
    (r" == ", " != "),
    (r" != ", " == "),
    (r" not in ", " in "),
    (r"\bif not ", "if "),
    (r" and ", " or "),
    (r"\+= 1\b", "+= 0"),
    (r"\bTrue\b", "False"),
    (r"\bFalse\b", "True"),
    (r"\bfirst and ", ""),
)
JUDGES = (
    ("rules check", [sys.executable, "-m", "kb_lint", "rules", "check"]),
    ("rules test", [sys.executable, "-m", "kb_lint", "rules", "test"]),
    ("simulate --sweep", [sys.executable, "-m", "kb_lint", "simulate", "--sweep"]),
    (
        "pytest",
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/simulate",
            "tests/test_properties.py",
        ],
    ),
)


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int  # 1-based
    before: str
    after: str

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line}: {self.before.strip()}  ->  {self.after.strip()}"


def mutants(only: str | None) -> list[Mutant]:
    found: list[Mutant] = []
    if only in (None, "pack"):
        found += _pack_mutants()
    if only in (None, "simulator"):
        for path in SIMULATOR:
            found += _code_mutants(path)
    return found


def _pack_mutants() -> list[Mutant]:
    found = []
    lines = (ROOT / PACK).read_text("utf-8").splitlines()
    section = ""
    for n, line in enumerate(lines, 1):
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        if section not in ("tables", "procedures") or line.lstrip().startswith("#"):
            continue
        for needle, pattern, replacement in PACK_OPERATORS:
            if needle in line or (needle == "residue" and _in_residue(lines, n)):
                for m in re.finditer(pattern, line):
                    after = line[: m.start()] + replacement + line[m.end() :]
                    found.append(Mutant(PACK, n, line, after))
    return list({(m.line, m.after): m for m in found}.values())


def _in_residue(lines: list[str], n: int) -> bool:
    """The line is a literal ``true`` inside a step's ``residue:`` mapping."""
    indent = len(lines[n - 1]) - len(lines[n - 1].lstrip())
    for k in range(n - 2, -1, -1):
        other = lines[k]
        width = len(other) - len(other.lstrip())
        if other.strip() and width < indent:
            return other.strip().startswith("residue:")
    return False


def _code_mutants(path: str) -> list[Mutant]:
    found = []
    in_doc = False
    for n, line in enumerate((ROOT / path).read_text("utf-8").splitlines(), 1):
        code = line.strip()
        quotes = code.count('"""')
        if in_doc or quotes:
            in_doc = in_doc != (quotes % 2 == 1)
            continue
        if not code or code.startswith(("#", "from ", "import ", "def ", "class ", "@")):
            continue
        for pattern, replacement in SIMULATOR_OPERATORS:
            for m in re.finditer(pattern, line.split("#")[0]):
                found.append(
                    Mutant(path, n, line, line[: m.start()] + replacement + line[m.end() :])
                )
    return found


def copy_project(into: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)


def judge(mutant: Mutant | None, root: Path) -> list[str]:
    """Apply ``mutant`` in ``root`` (None: run as it is), run every judge, restore; the names of
    the judges and tests that fail."""
    target = root / (mutant.path if mutant else PACK)
    original = target.read_text("utf-8")
    if mutant is not None:
        lines = original.splitlines(keepends=True)
        ending = lines[mutant.line - 1][len(lines[mutant.line - 1].rstrip("\r\n")) :]
        lines[mutant.line - 1] = mutant.after + ending
        target.write_text("".join(lines), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "KB_LINT_PROPERTY_SCALE": "0.25"}
    killers = []
    try:
        for name, command in JUDGES:
            proc = subprocess.run(
                command, cwd=root, env=env, capture_output=True, text=True, timeout=600
            )
            if proc.returncode == 0:
                continue
            if name == "pytest":
                failed = re.findall(r"^FAILED (\S+)", proc.stdout, re.M)
                killers += failed or ["pytest (no test ran)"]
            else:
                killers.append(name)
    except subprocess.TimeoutExpired:
        killers.append("timeout")
    finally:
        target.write_text(original, "utf-8")
    return killers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("pack", "simulator"))
    parser.add_argument("--limit", type=int, help="at most N mutants, spread over the list")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown")
    args = parser.parse_args(argv)
    chosen = mutants(args.only)
    if args.limit and args.limit < len(chosen):
        step = len(chosen) / args.limit
        chosen = [chosen[int(k * step)] for k in range(args.limit)]
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        free: Queue[Path] = Queue()
        for k in range(args.jobs):
            root = Path(folder) / f"copy{k}"
            copy_project(root)
            free.put(root)

        # what fails without any mutant (the coverage report at a quarter of the examples, a
        # broken test) kills nothing
        baseline = set(judge(None, free.queue[0]))
        if baseline:
            print(
                f"failing without a mutant (ignored): {', '.join(sorted(baseline))}",
                file=sys.stderr,
            )

        def run(mutant: Mutant) -> list[str]:
            root = free.get()  # one copy of the project per running mutant
            try:
                killers = [k for k in judge(mutant, root) if k not in baseline]
            finally:
                free.put(root)
            verdict = f"killed by {', '.join(killers)}" if killers else "SURVIVED"
            print(f"{verdict}\n    {mutant.label}", file=sys.stderr, flush=True)
            return killers

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(run, chosen))
    killed = sum(1 for killers in results if killers)
    lines = [
        f"{'killed by ' + ', '.join(k) if k else 'SURVIVED'}\n    {m.label}"
        for m, k in zip(chosen, results, strict=True)
    ]
    score = 100 * killed / len(chosen) if chosen else 100.0
    summary = (
        f"{len(chosen)} mutants, {killed} killed, {len(chosen) - killed} survived: "
        f"score {score:.0f}% in {time.monotonic() - start:.0f} s"
    )
    print("\n".join(lines))
    print(summary)  # the same list, in order, on stdout; stderr had it as it went
    if args.markdown:
        rows = ["| mutant | killed by |", "| --- | --- |"]
        rows += [
            f"| `{m.label}` | {', '.join(k) or '**survived**'} |"
            for m, k in zip(chosen, results, strict=True)
        ]
        args.markdown.write_text("\n".join([summary, "", *rows]) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
