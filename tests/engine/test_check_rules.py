"""Check rules over bindings decided once per policy or per signature of the columns they read
(``kb_lint.engine.single``), through a pack of the tests' own (``check-pack/``, KB994); and a
rule that supersedes another on a mailbox (``kb_lint.engine.run``), through the shipped packs."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack, load_packs
from kb_lint.pack.load import vocabulary_of
from tests.conftest import ROOT

HERE = Path(__file__).parent / "check-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(rule: str) -> list[tuple[int, str]]:
    dep = read_deployment(HERE / "estate.yaml", vocabulary_of([PACK]))
    return [(f.location.line, f.message) for f in check_deployment(dep, [PACK]) if f.rule == rule]


def test_rows_that_agree_on_one_column_read_are_told_apart_by_the_other():
    """Ann and Bob hold 20 seats, Bob and Cay are VIPs: the signature is both columns."""
    assert _found("KB994-001") == [(11, "bob@x.example is a VIP with 20 seats")]


def test_a_rule_over_each_data_type_fires_for_the_policy_when_one_element_does():
    """Sales syncs contacts and tasks: the rule fires for tasks, for every user of it."""
    assert _found("KB994-002") == [
        (10, "ann@x.example gets tasks from Sales"),
        (11, "bob@x.example gets tasks from Sales"),
        (12, "cay@x.example gets tasks from Sales"),
    ]


def test_a_rule_that_supersedes_another_reports_alone_for_that_mailbox():
    """KB433-002 supersedes KB105-002 (KB 433 A4): one user in two policies of one server with
    different modules and the switch on is KB433-002's finding only."""
    packs = load_packs(ROOT / "rules")
    file = ROOT / "rules/kb-433/examples/different-modules-2.4.51.yaml"
    found = check_deployment(read_deployment(file, vocabulary_of(packs)), packs)
    rules = {f.rule for f in found}
    assert "KB433-002" in rules
    assert "KB105-002" not in rules
    without = [p for p in packs if p.id != "KB433"]
    kept = check_deployment(read_deployment(file, vocabulary_of(without)), without)
    assert "KB105-002" in {f.rule for f in kept}  # what KB433-002 supersedes is there to drop
