"""``rules check --fix`` sets stale and missing fingerprints, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fix_refreshes_stale_and_missing_fingerprints_in_place(tmp_path):
    shutil.copytree(ROOT / "rules/kb-105", tmp_path / "rules/kb-105")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    pack = tmp_path / "rules/kb-105/pack.yaml"
    original = pack.read_text("utf-8")
    broken = original.replace('"sha256:d5b1d06b30d3f9af"', '"sha256:0000000000000000"', 1)
    broken = broken.replace(', fingerprint: "sha256:565e0aa90f9aba65"', "", 1)
    assert broken != original
    pack.write_text(broken, "utf-8")

    def rules_check(*more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kb_lint", "rules", "check", "--rules", "rules", *more],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    before = rules_check()
    assert before.returncode == 1 and before.stdout.count("KB-RULES-004") == 2
    fixed = rules_check("--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert "fingerprint none -> sha256:565e0aa90f9aba65" in fixed.stderr
    assert "sha256:0000000000000000 -> sha256:d5b1d06b30d3f9af" in fixed.stderr
    assert pack.read_text("utf-8") == original
