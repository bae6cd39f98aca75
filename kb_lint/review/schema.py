"""Every pack must load: YAML, schema, references and expressions (KB-RULES-010)."""

from __future__ import annotations

from pathlib import Path

from kb_lint.findings import Finding, Location
from kb_lint.pack.document import PackSource, read_sources
from kb_lint.review.check import Check

INVALID_PACK = Check(
    id="KB-RULES-010",
    name="invalid-pack",
    severity="error",
    what="A rule pack that does not load: a YAML syntax error, a value the rule-pack schema "
    "rejects, a reference to an unknown table, procedure or outcome, an expression that does "
    "not compile, an id used twice in one pack, or a field or action declared differently "
    "from another pack of the folder (the later pack does not load).",
    why="A pack that does not load checks nothing: `kb-lint check` runs without its rules and "
    "exits 2 on every deployment until it is fixed.",
    example="rules:\n  - id: KB105-001\n    kind: exclusivity\n    severity: critical  # not one "
    "of error, warning, info\n",
    fix="Correct the file at the position given. `kb-lint server` shows such errors in the "
    "editor as you type (`kb-lint explain editors`), as does the `# yaml-language-server: "
    "$schema=...` line at the top of a pack in a project that holds the schema.",
)


def load_sources(rules_dir: str | Path) -> tuple[list[PackSource], list[Finding]]:
    """The packs under ``rules_dir`` that load, and a finding for each error of the others."""
    sources, errors = read_sources(rules_dir)
    findings = [
        INVALID_PACK.finding(Location(e.path, max(e.line, 1), max(e.column, 1)), e.message)
        for e in errors
    ]
    return sources, findings
