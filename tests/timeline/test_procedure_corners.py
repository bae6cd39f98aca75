"""Procedure verdicts at corners no shipped pack reaches, through a pack of the tests' own
(``own-pack/pack.yaml``, KB993) and its deployment files: a step's residue judged by the state
at the end for a disabled policy and for an action the estate does not model, two steps done by
one event, and a step done by the change itself."""

from __future__ import annotations

from pathlib import Path

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent / "own-pack"
PACK = load_pack(HERE / "pack.yaml")


def _findings(name: str) -> list[Finding]:
    return check_deployment(read_deployment(HERE / name, vocabulary_of([PACK])), [PACK])


def test_one_event_that_does_two_steps_in_order_does_both():
    """Steps 3 and 4 share an action; one clean-up covering both does step 4 at the event of
    step 3, which is not before it."""
    assert _findings("in-order.yaml") == []


def test_a_step_done_by_the_change_itself_is_done_in_time():
    """KB993-P2's step 1 is an add-user the trigger itself performs: not late."""
    assert _findings("groupwise-add.yaml") == []


def test_a_policy_disabled_after_the_change_leaves_no_residue_at_the_end():
    """Step 2 done late: the overlap it allowed is said, and the estate ends with the policy
    disabled, so its residue (a dormant assignment) is not predicted."""
    [finding] = _findings("late-disable.yaml")
    assert finding.subject["step"] == "disable-old"
    assert finding.severity == "error"  # the overlap of cycles 4-5 is a consequence
    assert finding.message == (
        "step 2 of KB993-P1 comes after add-user: cycles 4–5: old and new both sync it; "
        "at the end: clean, but the procedure's order was broken"
    )
    assert finding.outcome == {"untold": False, "dormant": False}


def test_a_step_the_estate_does_not_model_keeps_its_residue():
    """Step 1 (notify-admin, an action of the pack's own) left out: the estate cannot tell
    whether it still matters, so its residue stands and the finding stays an error."""
    [finding] = _findings("no-notify.yaml")
    assert finding.subject["step"] == "notify"
    assert finding.severity == "error"
    assert "at the end: what the step removes is still there" in finding.message
    assert finding.outcome == {"untold": True, "dormant": False, "risk": "high"}


def test_steps_of_a_procedure_of_the_packs_own_are_one_finding_said_in_the_plural():
    """Nothing done before the add: one finding for the move naming the four steps; the why
    cites the procedure's steps only through the procedure (no article items to name)."""
    [finding] = _findings("nothing-done.yaml")
    assert finding.subject["step"] == ["notify", "disable-old", "clean-contacts", "clean-folders"]
    assert finding.message == (
        "steps 1, 2, 3 and 4 of KB993-P1 are missing before add-user: from cycle 4 on: old and "
        "new both sync it; at the end: both still sync it"
    )
    assert finding.why == (
        "steps 1, 2, 3 and 4 of KB993-P1 are left out; at the end the mailbox still holds what "
        "steps 1, 2, 3 and 4 remove"
    )
    assert finding.outcome == {
        "untold": True,
        "dormant": True,
        "risk": "high",  # the worst of high (step 1) and low (step 2)
        "leftovers": ["contacts", "folders"],
    }
