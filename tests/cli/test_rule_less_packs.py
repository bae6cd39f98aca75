"""Packs with no rule yet, as ``kb-lint rules new`` writes them: ``rules check`` passes them
with a note (KB-RULES-011), but no run may pass a deployment on them as if it were checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, one_error


@pytest.fixture
def rules(kb_lint, tmp_path) -> Path:
    """A rules folder holding one pack, scaffolded by ``rules new`` from KB 22's article."""
    shutil.copytree(ROOT / "docs" / "articles", tmp_path / "docs" / "articles")
    article = tmp_path / "docs" / "articles" / "kb-22-lost-and-found.md"
    made = kb_lint("rules", "new", article, "--rules", tmp_path / "rules", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    return tmp_path / "rules"


def test_check_with_no_rule_at_all_is_not_a_pass(kb_lint, rules):
    line = one_error(kb_lint("check", "examples/deployment.yaml", "--rules", rules))
    assert line == (
        f"kb-lint: {rules}:1:1: no rule to check with: the packs of this folder (KB22) have no "
        "rule yet"
    )


def test_rules_test_says_there_was_nothing_to_run(kb_lint, rules):
    proc = kb_lint("rules", "test", "--rules", rules)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == (
        "0 examples: 0 passed, 0 failed; 1 pack has no rule yet (KB22): nothing of it was tested"
    )
    proc = kb_lint("rules", "test", "--rules", rules, "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["summary"]["packs_without_rules"] == ["KB22"]
