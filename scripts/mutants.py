"""The mutants of scripts/mutate.py: the layers it mutates (article 105's pack, and files of the
engine, model and simulator), the operators of each (a pattern on a line and its replacement),
and every mutant they make: one change to one line, found by reading the files as text (a pack
operator on the lines of its ``tables`` and ``procedures``, a code operator on code lines, not
docstrings, comments or imports). Cost: one pass over each file's lines per operator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACK = "rules/kb-105/pack.yaml"
LAYERS = {
    "engine": (
        "kb_lint/engine/plan.py",
        "kb_lint/engine/procedure/__init__.py",
        "kb_lint/engine/procedure/moves.py",
        "kb_lint/engine/procedure/changes.py",
        "kb_lint/engine/procedure/steps.py",
        "kb_lint/engine/procedure/words.py",
        "kb_lint/engine/sequence.py",
        "kb_lint/engine/exclusivity.py",
        "kb_lint/engine/outcome.py",
        "kb_lint/engine/single.py",
        "kb_lint/engine/run.py",
        "kb_lint/engine/subjects.py",
        "kb_lint/engine/prediction.py",
        "kb_lint/engine/revisions.py",
        "kb_lint/engine/draft.py",
    ),
    "model": ("kb_lint/model/estate.py", "kb_lint/model/exclusivity.py"),
    "simulator": (
        "kb_lint/simulate/sync.py",
        "kb_lint/simulate/run.py",
        "kb_lint/simulate/config.py",
        "kb_lint/simulate/world.py",
        "kb_lint/simulate/moves.py",
        "kb_lint/simulate/counting.py",
        "kb_lint/simulate/fast.py",
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
    # zip's strict= asserts equal lengths, an invariant, not behaviour: never observable
    (r"(?<!strict=)\bTrue\b", "False"),
    (r"(?<!strict=)\bFalse\b", "True"),
    (r"\bfirst and ", ""),
    (r" < ", " <= "),
    (r" > ", " >= "),
    (r"\bmax\(", "min("),
    (r"\bany\(", "all("),
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


def mutants() -> dict[str, list[Mutant]]:
    """Every mutant, by layer."""
    found = {"pack": _pack_mutants()}
    for name, paths in LAYERS.items():
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
