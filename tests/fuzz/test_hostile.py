"""Every hostile input of issue 20 gets what it must (``tests/fuzz/hostile/`` lists them, one
module per problem class)."""

from __future__ import annotations

import pytest

from tests.fuzz.hostile import CASES, prepare, run_case


@pytest.fixture(scope="module", autouse=True)
def imported():
    prepare()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kind.split(':')[0]}-{c.name}")
def test_hostile_input(case, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    outcome = run_case(case, folder)
    assert outcome.code is not None, f"{case.kind}: {case.name}: still running after {case.limit} s"
    problem = case.expect(outcome)
    assert problem is None, f"{case.kind}: {case.name}: {problem}"
