"""A broken pack is reported, every schema error of it at once, while the other packs run."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ERRORS = [
    "kb-900/pack.yaml:3:3: pack needs 'revision'",
    "kb-900/pack.yaml:6:3: unknown key 'revison' in pack (did you mean 'revision'?)",
    "kb-900/pack.yaml:49:15: 'warn' is not a value of 'severity' (error, warning, info); "
    "did you mean 'warning'?",
]


def _rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules/kb-105", rules / "kb-105")
    shutil.copytree(ROOT / "tests/packs/kb-900", rules / "kb-900")
    pack = rules / "kb-900/pack.yaml"
    text = pack.read_text("utf-8").replace("severity: warning", "severity: warn", 1)
    pack.write_text(text.replace("  revision: 1", "  revison: 1", 1), "utf-8")
    return rules


def test_rules_test_runs_the_other_packs_and_exits_2_with_every_error(kb_lint, tmp_path):
    rules = _rules(tmp_path)
    run = kb_lint("rules", "test", "--rules", rules, "--color", "never", cwd=tmp_path)
    assert run.returncode == 2
    assert "✓ KB105-001" in run.stdout and "KB900" not in run.stdout
    # named as the user would type them, relative to the working folder
    assert run.stderr.splitlines() == [f"kb-lint: rules/{error}" for error in ERRORS]


def test_check_reports_the_broken_pack_and_the_other_packs_findings(kb_lint, tmp_path):
    rules = _rules(tmp_path)
    example = ROOT / "rules/kb-105/examples/two-instances-same-names.yaml"
    run = kb_lint("check", "--rules", rules, example, cwd=tmp_path)
    assert run.returncode == 2
    assert "KB105-001 error" in run.stdout
    assert all(f"kb-lint: rules/{error}" in run.stderr for error in ERRORS)
