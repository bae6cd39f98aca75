"""The sweep's procedure table: its ``agree`` column says ``yes`` where the rules' prediction
and the model's outcome are the same, and ``NO`` where they differ, as the summary counts."""

from __future__ import annotations

from kb_lint.simulate.moves import MoveCase, MoveResult, render_moves


def test_every_procedure_row_of_the_sweep_agrees_as_its_summary_says(kb_lint):
    proc = kb_lint("simulate", "--sweep")
    assert proc.returncode == 0, proc.stderr
    [table] = [part for part in proc.stdout.split("\n\n") if part.startswith("procedure ")]
    procedures = table.splitlines()
    assert procedures[0].split()[-1] == "agree"
    rows = procedures[1:-1]
    assert len(rows) == 48 and {row.split()[-1] for row in rows} == {"yes"}
    assert procedures[-1].endswith("48 procedure cases: rules / model agree on all")


def test_a_case_the_rules_and_the_model_disagree_on_says_no():
    case = MoveCase("KB105-P1", "exchange", "without step 2", ())
    agreeing = MoveResult(case, {"dormant": True}, {"dormant": True})
    disagreeing = MoveResult(case, {"dormant": False}, {"dormant": True})
    text = render_moves([agreeing, disagreeing], "text").splitlines()
    assert [line.split()[-1] for line in text[1:3]] == ["yes", "NO"]
    assert "no / yes" in text[2]
    assert text[-1].endswith("2 procedure cases: rules and model DISAGREE on 1")
