"""Every pack must load: YAML, schema, references and expressions (KB-RULES-010)."""

from __future__ import annotations

from pathlib import Path

from kb_lint.errors import InputError
from kb_lint.findings import Finding, Location
from kb_lint.load import load_document
from kb_lint.pack import load_pack
from kb_lint.pack.load import PACK_FILE
from kb_lint.review.check import Check
from kb_lint.review.source import PackSource

INVALID_PACK = Check(
    id="KB-RULES-010",
    name="invalid-pack",
    severity="error",
    what="A rule pack that does not load: a YAML syntax error, a value the rule-pack schema "
    "rejects, a reference to an unknown table, procedure or outcome, an expression that does "
    "not compile, or an id used twice in one pack.",
    why="A pack that does not load checks nothing, and `kb-lint check` stops with an input error "
    "on every deployment until it is fixed.",
    example="rules:\n  - id: KB105-001\n    kind: exclusivity\n    severity: critical  # not one "
    "of error, warning, info\n",
    fix="Correct the file at the position given. The `# yaml-language-server: $schema=...` line "
    "at the top of a pack lets editors validate it while you type.",
)


def load_sources(rules_dir: str | Path) -> tuple[list[PackSource], list[Finding]]:
    """The packs under ``rules_dir`` that load, and a finding for each one that does not."""
    folder = Path(rules_dir)
    if not folder.is_dir():
        raise InputError(str(folder), 1, 1, "rules folder not found")
    sources: list[PackSource] = []
    findings: list[Finding] = []
    for path in sorted(folder.glob(f"*/{PACK_FILE}")):
        try:
            sources.append(PackSource(load_pack(path), load_document(path)))
        except InputError as exc:
            for error in getattr(exc, "errors", [exc]):  # every schema error of the pack
                location = Location(error.path, max(error.line, 1), max(error.column, 1))
                findings.append(INVALID_PACK.finding(location, error.message))
    return sources, findings
