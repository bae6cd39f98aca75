"""A new pack passes rules check until its first rule; an unreleased pack is asked for no
version marks; rules check --fix writes every rule fingerprint it asks for."""

from __future__ import annotations

from pathlib import Path

ARTICLE = """\
---
id: 519
title: Duplicate contacts
revision: 1
updated: 2024-01-01
---

# Duplicate contacts

## Background

Do not assign one user to two policies.
"""

RULE = """\
  - id: KB519-001
    kind: check
    title: Trial policies
    severity: warning
    cites: {section: background}
    summary: A disabled policy.
    over: policies
    when: not enabled
    message: "{policy} is disabled"
    examples: [{file: examples/off.yaml, expect: fail}]
"""
DEPLOYMENT = """\
instances:
  - name: cloud
    kind: cloud
    policies:
      - {name: Sales, enabled: false, users: [{email: a@example.com, crm_user: a@example.com}]}
"""


def scaffolded(kb_lint, tmp_path: Path) -> Path:
    (tmp_path / "kb-519.md").write_text(ARTICLE, "utf-8")
    proc = kb_lint("rules", "new", "kb-519.md", "--rules", "rules", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "kb-lint explain authoring" in proc.stdout
    assert "kb-lint explain expressions" in proc.stdout
    return tmp_path / "rules" / "kb-519" / "pack.yaml"


def test_a_new_pack_passes_rules_check_until_its_first_rule(kb_lint, tmp_path):
    scaffolded(kb_lint, tmp_path)
    proc = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "KB-RULES-011 info pack KB519 has no rule yet" in proc.stdout


def with_rule(pack: Path) -> None:
    text = pack.read_text("utf-8").replace("rules: []\n", "rules:\n" + RULE)
    pack.write_text(text, "utf-8")
    (pack.parent / "examples" / "off.yaml").write_text(DEPLOYMENT, "utf-8")


def test_an_unreleased_pack_is_asked_for_no_version_marks(kb_lint, tmp_path):
    pack = scaffolded(kb_lint, tmp_path)
    with_rule(pack)
    proc = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert "KB-RULES-014" not in proc.stdout, proc.stdout


def test_fix_writes_the_fingerprint_a_released_rule_lacks(kb_lint, tmp_path):
    pack = scaffolded(kb_lint, tmp_path)
    with_rule(pack)
    text = pack.read_text("utf-8")
    text = text.replace(
        "  source:",
        "  history:\n    - {version: 0.1.0, date: 2024-01-02, changes: First.}\n  source:",
    )
    text = text.replace(
        "    over: policies\n", "    over: policies\n    since: 0.1.0\n    changed: 0.1.0\n"
    )
    pack.write_text(text, "utf-8")
    before = kb_lint("rules", "check", "--rules", "rules", cwd=tmp_path)
    assert "rule KB519-001 has no fingerprint (sha256:" in before.stdout, before.stdout
    fixed = kb_lint("rules", "check", "--rules", "rules", "--fix", cwd=tmp_path)
    assert "KB519-001 content fingerprint none -> sha256:" in fixed.stderr, fixed.stderr
    assert "KB-RULES-014" not in fixed.stdout, fixed.stdout
    assert '    changed: 0.1.0\n    fingerprint: "sha256:' in pack.read_text("utf-8")
