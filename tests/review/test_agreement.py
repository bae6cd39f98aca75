"""Packs that contradict each other on one deployment are reported, unless one says it refines
or supersedes the other (KB-RULES-012)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding, Location
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_packs
from kb_lint.review import review_packs
from kb_lint.review.agreement import contradictions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "kb-991/examples/two-policies-one-instance.yaml"


def _rules(tmp_path: Path, link: str = "") -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules/kb-105", rules / "kb-105")
    shutil.copytree(ROOT / "tests/review/packs/disagree/kb-991", rules / "kb-991")
    if link:
        pack = rules / "kb-991/pack.yaml"
        text = pack.read_text("utf-8").replace(
            "    where: enabled", f"    {link}\n    where: enabled"
        )
        pack.write_text(text, "utf-8")
    return rules


def _disagreements(rules: Path) -> list[str]:
    return [f.message for f in review_packs(rules).findings if f.rule == "KB-RULES-012"]


def test_two_packs_predicting_different_outcomes_for_one_mailbox_disagree(tmp_path):
    (message,) = _disagreements(_rules(tmp_path))
    assert "KB105-002 and KB991-001" in message
    assert "mailbox_copies: 1 vs 2" in message


def test_a_rule_that_supersedes_the_other_is_the_only_one_to_report(tmp_path):
    rules = _rules(tmp_path, "supersedes: [KB105-002]")
    assert _disagreements(rules) == []
    packs = load_packs(rules)
    found = check_deployment(read_deployment(rules / EXAMPLE), packs)
    assert [f.rule for f in found] == ["KB991-001"]


def test_a_rule_that_refines_the_other_reports_beside_it(tmp_path):
    rules = _rules(tmp_path, "refines: [KB105-002]")
    assert _disagreements(rules) == []
    found = check_deployment(read_deployment(rules / EXAMPLE), load_packs(rules))
    assert sorted(f.rule for f in found) == ["KB105-002", "KB991-001"]


def test_a_link_to_no_loaded_rule_is_reported(tmp_path):
    messages = _disagreements(_rules(tmp_path, "refines: [KB105-099]"))
    assert "KB991-001 refines KB105-099, which no loaded pack has" in messages
    assert any("KB105-002 and KB991-001 predict" in m for m in messages)


def _finding(rule: str, subject: dict, copies: int) -> Finding:
    return Finding(
        rule,
        "error",
        "m",
        Location("d.yaml", 1, 1),
        subject=subject,
        outcome={"mailbox_copies": copies},
    )


def test_findings_on_one_policy_that_name_no_mailbox_disagree_and_on_two_do_not():
    """Subjects are compared as supersedes compares them (trial 9 P4's kind of finding: a
    policy-level finding names no mailbox), not by email alone, where every such finding was
    one 'mailbox' and none was ever compared."""
    rules = {r.id: r for p in load_packs(ROOT / "rules") for r in p.rules}
    sales = {"instance": "onprem-1", "policy": "Sales", "email": None, "events": [3]}
    support = {"instance": "onprem-1", "policy": "Support", "email": None, "events": [3]}
    [(first, second, said)] = contradictions(
        [_finding("KB1-001", sales, 1), _finding("KB2-001", sales, 2)], rules
    )
    assert (first.rule, second.rule) == ("KB1-001", "KB2-001")
    assert said == "for policy Sales of onprem-1 (mailbox_copies: 1 vs 2)"
    assert (
        list(
            contradictions([_finding("KB1-001", sales, 1), _finding("KB2-001", support, 2)], rules)
        )
        == []
    )
    same_pack = [_finding("KB1-001", sales, 1), _finding("KB1-002", sales, 2)]
    assert list(contradictions(same_pack, rules)) == []
