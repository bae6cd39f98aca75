"""A group's table signature, read from the columns and policies its fields come from, is the
signature the table itself makes of the group's bindings (``DecisionTable.signature``): the
prediction kept for one is the prediction for the other. Every exclusivity rule that predicts
from a table, on every example deployment of the shipped packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine.exclusivity import _signature, _subjects
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of

ROOT = Path(__file__).resolve().parents[2]
PACKS = load_packs(ROOT / "rules")
EXAMPLES = sorted({e.file for p in PACKS for r in p.rules for e in r.examples})
PREDICTING = [
    (r, p) for p in PACKS for r in p.rules if r.kind == "exclusivity" and r.predict is not None
]


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_a_group_signature_read_from_columns_is_the_tables_own(example):
    dep = read_deployment(example, vocabulary_of(PACKS))
    compared = 0
    for rule, pack in PREDICTING:
        subjects = _subjects(rule, dep)
        signature = _signature(rule, pack, subjects)
        assert signature is not None
        table = pack.tables[rule.predict]
        members = list(subjects.members)
        for group in (members, members[:2], members[-2:], members[:1]):
            if group:
                envs = [subjects.env_of(m) for m in group]
                assert signature(group) == table.signature(envs)
                compared += 1
    assert compared or not dep.bindings.repeated_email
