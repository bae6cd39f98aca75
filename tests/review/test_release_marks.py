"""A new pack passes rules check until its first rule; an unreleased pack is asked for no
version marks; rules check --fix writes every rule fingerprint it asks for."""

from __future__ import annotations

import re
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


def test_fix_confirms_a_changed_rule_only_once_its_version_mark_moved_on(kb_lint, tmp_path):
    """Trial 5 F11: ``--fix`` wrote a changed rule's fingerprint with ``changed:`` left at the
    released version, turning the KB-RULES-014 error into a pass. A fingerprint names the
    version it confirms (``sha256:…@1.3.0``): ``--fix`` writes a new one only once ``changed:``
    names a later pack version."""
    import shutil

    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "rules/kb-105", tmp_path / "rules/kb-105")
    shutil.copytree(root / "docs", tmp_path / "docs")
    pack = tmp_path / "rules/kb-105/pack.yaml"
    text = pack.read_text("utf-8")
    old_message = "instance {instance} ({distinct(bindings.policy)}); only the first syncs it"
    assert text.count(old_message) == 1
    pack.write_text(text.replace(old_message, old_message + ", the others skip it"), "utf-8")
    check = ("rules", "check", "--rules", "rules", "--select", "KB-RULES-014")
    unmarked = kb_lint(*check, cwd=tmp_path)
    assert "rule KB105-002 changed since 1.1.0: set changed: to the new pack version" in (
        unmarked.stdout
    )
    refused = kb_lint(*check, "--fix", cwd=tmp_path)
    assert refused.returncode == 1 and "KB105-002" in refused.stdout, refused.stdout
    assert "KB105-002 content" not in refused.stderr  # nothing written for it
    text = pack.read_text("utf-8")
    [current] = re.findall(r"^  version: (\d+\.\d+\.\d+)$", text, re.MULTILINE)
    major, minor, patch = current.split(".")
    bumped = f"{major}.{minor}.{int(patch) + 1}"  # the shipped pack's next release
    text = text.replace(f"  version: {current}\n", f"  version: {bumped}\n", 1)
    text = text.replace(
        "  history:\n",
        f'  history:\n    - {{version: {bumped}, date: 2026-12-08, changes: "x"}}\n',
        1,
    )
    start = text.index("  - id: KB105-002\n")
    end = text.index("  - id: KB105-", start + 1)
    rule = text[start:end].replace("    changed: 1.1.0\n", f"    changed: {bumped}\n", 1)
    pack.write_text(text[:start] + rule + text[end:], "utf-8")
    marked = kb_lint(*check, cwd=tmp_path)
    assert f"rule KB105-002 changed in {bumped}: rules check --fix confirms its fingerprint" in (
        marked.stdout
    )
    fixed = kb_lint(*check, "--fix", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"@{bumped}" in pack.read_text("utf-8")
