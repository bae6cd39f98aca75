"""A group table's inputs are kept per the part of the group's signature each one reads
(``engine.outcome._input_fact``): on every example deployment of the shipped packs, the kept
value of every input, for every pair of bindings, is the one its expression gives."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from kb_lint.engine.outcome import decided, input_value
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of

ROOT = Path(__file__).resolve().parents[2]
PACKS = load_packs(ROOT / "rules")
EXAMPLES = sorted({e.file for p in PACKS for r in p.rules for e in r.examples})
TABLES = [
    t for p in PACKS for t in p.tables.values() if t.subject == "group" and t.reads is not None
]


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_every_kept_input_is_what_its_expression_gives(example):
    dep = read_deployment(example, vocabulary_of(PACKS))
    envs = [dep.env_of(row) for row in range(min(len(dep.bindings), 8))]
    compared = 0
    for table in TABLES:
        for group in map(list, permutations(envs, 2)):
            try:
                _, facts = decided(table, group, table.signature(group))
            except InputError:  # no row matches, or an input gives no value of its own
                continue
            scope = table.scope(group)
            assert facts == {spec.name: input_value(spec, scope) for spec in table.inputs}
            compared += 1
    assert compared or len(envs) < 2
