"""``rules diff`` judges an example as ``kb-lint check`` does: a finding another rule
``supersedes`` on the same mailbox is no verdict of its own (trial 4, F17)."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack.load import load_packs, vocabulary_of
from kb_lint.review.impact import verdicts

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "rules/kb-433/examples/different-modules-2.4.51.yaml"


def test_a_superseded_rule_passes_in_the_diff_as_in_check():
    packs = load_packs(ROOT / "rules")
    found = check_deployment(read_deployment(FILE, vocabulary_of(packs)), packs)
    judged = verdicts(packs, FILE)
    assert judged["KB433-002"].name == "fail"
    assert judged["KB105-002"].name == "pass"  # KB433-002 supersedes it (KB 433 A4)
    for rule, verdict in judged.items():  # every verdict is what check reports
        assert verdict.findings == sum(f.rule == rule for f in found), rule
