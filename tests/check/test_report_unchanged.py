"""Before and after: every reporter's output of ``kb-lint check`` on deployments with overlaps
stays byte for byte what it was when findings' details were built eagerly.

The fixture ``overlaps.json`` is ``bench/bench_check.py``'s generator at 600 assignments over
six instances, 5% of them overlapping (``deployment(600, 0.05, instances=6)``), checked with the
examples of the packs whose rules group bindings (KB105, KB433, KB519). The golden files were
written by the code before lazy details; after an intended change to a rule's text, regenerate
them with ``KB_LINT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/check/test_report_unchanged.py`` and
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
FILES = (
    "tests/check/overlaps.json",
    "rules/kb-105/examples",
    "rules/kb-433/examples",
    "rules/kb-519/examples",
)
NAMES = {
    "text": "report.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "github": "report.github",
}


@pytest.mark.parametrize("fmt", sorted(NAMES))
def test_report_is_unchanged(kb_lint, fmt):
    proc = kb_lint("check", "--format", fmt, "--color", "never", *FILES)
    assert proc.returncode == 1, proc.stderr
    golden = GOLDEN / NAMES[fmt]
    if os.environ.get("KB_LINT_UPDATE_GOLDEN"):
        golden.write_text(proc.stdout, encoding="utf-8")
    assert proc.stdout == golden.read_text(encoding="utf-8")
