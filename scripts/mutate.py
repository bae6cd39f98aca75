"""Mutation testing of article 105's pack and of the engine, model and simulator: does the
suite notice?

Each mutant is one small change to ``rules/kb-105/pack.yaml`` (an outcome flipped in a table
row or a residue, ``len(bindings)`` made 1, a comparison turned around, a clean-up bullet's
``covers`` cut short, a step's ``applies`` reversed) or to a Python file of the engine
(``kb_lint/engine``), the model (``kb_lint/model``) or the simulator (``kb_lint/simulate``): a
comparison, a boolean operator, a constant, a counter, ``min``/``max``. The script copies the
project to a temporary folder (links such as ``kb_lint/packs`` kept as links), runs the judges
there without a mutant and stops when one fails (a judge that fails at baseline cannot kill),
then applies one mutant at a time and runs the judges until one fails: ``kb-lint rules check``
(claims, examples; a changed fingerprint alone, KB-RULES-014, is not a kill), ``kb-lint rules
test``, ``kb-lint simulate --sweep`` (the grid and the procedures), and the tests of
``tests/simulate``, ``tests/timeline``, ``tests/test_plan.py`` and ``tests/test_properties.py``
(at a quarter of its examples, without its coverage report, which needs the full count).

    .venv/bin/python scripts/mutate.py [--layer pack|engine|model|simulator]
                                       [--sample N] [--seed S] [--jobs 2] [--markdown report.md]

``--sample N`` draws N mutants per layer at random with ``--seed`` (default 0), so a run is
reproducible; without it every mutant runs (several hours on a shared two-core machine). The
report gives the score per layer. A mutant that changes nothing the suite can observe (an
equivalent mutant) survives by nature; README.md lists the survivors of the last run with the
reason each one survives.
"""

from __future__ import annotations

import argparse
import os
import random
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
LAYERS = {
    "engine": (
        "kb_lint/engine/plan.py",
        "kb_lint/engine/procedure.py",
        "kb_lint/engine/sequence.py",
        "kb_lint/engine/exclusivity.py",
        "kb_lint/engine/outcome.py",
    ),
    "model": ("kb_lint/model/estate.py", "kb_lint/model/exclusivity.py"),
    "simulator": (
        "kb_lint/simulate/sync.py",
        "kb_lint/simulate/run.py",
        "kb_lint/simulate/config.py",
        "kb_lint/simulate/world.py",
        "kb_lint/simulate/moves.py",
    ),
}
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
    ("source.instance_kind", r'== "cloud"', '!= "cloud"'),
    ("done:", r"not source\.enabled", "source.enabled"),
    ("when:", r"folders: same", "folders: different"),
)
# Code operators: (pattern, replacement), on code lines only.
CODE_OPERATORS = (
    (r" == ", " != "),
    (r" != ", " == "),
    (r" not in ", " in "),
    (r"\bif not ", "if "),
    (r" and ", " or "),
    (r"\+= 1\b", "+= 0"),
    (r"\bTrue\b", "False"),
    (r"\bFalse\b", "True"),
    (r"\bfirst and ", ""),
    (r" < ", " <= "),
    (r" > ", " >= "),
    (r"\bmax\(", "min("),
    (r"\bany\(", "all("),
)
JUDGES = (
    (
        "rules check",
        [sys.executable, "-m", "kb_lint", "rules", "check", "--ignore", "KB-RULES-014"],
    ),
    ("rules test", [sys.executable, "-m", "kb_lint", "rules", "test"]),
    ("simulate --sweep", [sys.executable, "-m", "kb_lint", "simulate", "--sweep"]),
    (
        "pytest",
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            "tests/simulate",
            "tests/timeline",
            "tests/test_plan.py",
            "tests/test_properties.py",
            "--deselect",
            "tests/test_properties.py::test_every_row_step_and_rule_was_compared",
        ],
    ),
)


@dataclass(frozen=True)
class Mutant:
    layer: str
    path: str
    line: int  # 1-based
    before: str
    after: str

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line}: {self.before.strip()}  ->  {self.after.strip()}"


def mutants(layer: str | None) -> dict[str, list[Mutant]]:
    """Every mutant, by layer."""
    found: dict[str, list[Mutant]] = {}
    if layer in (None, "pack"):
        found["pack"] = _pack_mutants()
    for name, paths in LAYERS.items():
        if layer in (None, name):
            found[name] = [m for path in paths for m in _code_mutants(name, path)]
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
                    found.append(Mutant("pack", PACK, n, line, after))
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


def _code_mutants(layer: str, path: str) -> list[Mutant]:
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
        for pattern, replacement in CODE_OPERATORS:
            for m in re.finditer(pattern, line.split("#")[0]):
                after = line[: m.start()] + replacement + line[m.end() :]
                found.append(Mutant(layer, path, n, line, after))
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
        source, target = ROOT / name, into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # kb_lint/packs -> ../rules: the judges load the packs by it
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)


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
            if mutant is not None:
                break  # one judge is enough to kill
    except subprocess.TimeoutExpired:
        killers.append("timeout")
    finally:
        target.write_text(original, "utf-8")
    return killers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=("pack", *LAYERS))
    parser.add_argument("--sample", type=int, help="N mutants per layer, drawn with --seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    chosen: list[Mutant] = []
    for found in mutants(args.layer).values():
        if args.sample and args.sample < len(found):
            found = sorted(rng.sample(found, args.sample), key=lambda m: (m.path, m.line))
        chosen += found
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        free: Queue[Path] = Queue()
        for k in range(args.jobs):
            root = Path(folder) / f"copy{k}"
            copy_project(root)
            free.put(root)
        baseline = judge(None, free.queue[0])
        if baseline:  # a judge that fails without a mutant cannot kill one: fix it first
            print(f"failing without a mutant: {', '.join(baseline)}", file=sys.stderr)
            return 2

        def run(mutant: Mutant) -> list[str]:
            root = free.get()  # one copy of the project per running mutant
            try:
                killers = judge(mutant, root)
            finally:
                free.put(root)
            verdict = f"killed by {', '.join(killers)}" if killers else "SURVIVED"
            print(f"{verdict}\n    {mutant.label}", file=sys.stderr, flush=True)
            return killers

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(run, chosen))
    lines = [
        f"{'killed by ' + ', '.join(k) if k else 'SURVIVED'}\n    {m.label}"
        for m, k in zip(chosen, results, strict=True)
    ]
    scores = []
    for layer in dict.fromkeys(m.layer for m in chosen):
        mine = [k for m, k in zip(chosen, results, strict=True) if m.layer == layer]
        killed = sum(1 for k in mine if k)
        scores.append(f"{layer}: {killed}/{len(mine)} killed ({100 * killed / len(mine):.0f}%)")
    sampled = f", {args.sample} per layer drawn with seed {args.seed}" if args.sample else ""
    summary = f"{len(chosen)} mutants{sampled}; " + "; ".join(scores)
    summary += f"; {time.monotonic() - start:.0f} s"
    print("\n".join(lines))
    print(summary)  # the same list, in order, on stdout; stderr had it as it went
    if args.markdown:
        rows = ["| layer | mutant | killed by |", "| --- | --- | --- |"]
        rows += [
            f"| {m.layer} | `{m.label}` | {', '.join(k) or '**survived**'} |"
            for m, k in zip(chosen, results, strict=True)
        ]
        args.markdown.write_text("\n".join([summary, "", *rows]) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
