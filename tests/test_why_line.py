"""A finding's ``why`` line for a rule that gives no ``why:`` of its own says what the rule
rests on (the article items it cites, the assumptions that decide it), not an empty sentence
before a parenthesis ("= why:  (article § …)", found by the lang round)."""

from __future__ import annotations

from tests.conftest import ROOT, shipped_copy

WHY = """    why: >-
      Each policy writes its own copy of every entry of the module for the user: duplicates in
      the CRM, in the mailbox, or in both. The switch is off by default in Riva 2.4.50 and
      earlier, so an older server needs no change at all to get there.
"""
EXAMPLE = ROOT / "rules/kb-433/examples/overlap-2.4.50-default.yaml"


def _why(kb_lint, rules) -> list[str]:
    shown = kb_lint("check", "--rules", rules, EXAMPLE)
    assert shown.returncode == 1, shown.stderr
    return [x for x in shown.stdout.splitlines() if x.startswith("  = why:")]


def test_a_rule_without_why_gives_its_basis_alone(kb_lint, tmp_path):
    shipped_copy(tmp_path, "kb-433", (WHY, ""))
    assert _why(kb_lint, tmp_path / "rules") == ["  = why: article § expected-challenges, item 1"]


def test_a_rule_with_why_gives_its_words_then_its_basis(kb_lint, tmp_path):
    shipped_copy(tmp_path, "kb-433")
    [line] = _why(kb_lint, tmp_path / "rules")
    assert line.startswith("  = why: Each policy writes its own copy")
    assert line.endswith("to get there. (article § expected-challenges, item 1)")
