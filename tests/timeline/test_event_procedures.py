"""Procedures whose change is any event (``change: event``), not a move between two bindings,
through a pack of the tests' own (``change-pack/pack.yaml``, KB998): removing a user who syncs,
disabling a policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_lint.engine import check_deployment
from kb_lint.errors import InputError
from kb_lint.model.deployment import read_deployment
from kb_lint.pack import load_pack
from kb_lint.pack.load import vocabulary_of

HERE = Path(__file__).parent / "change-pack"
PACK = load_pack(HERE / "pack.yaml")


def _found(path: Path) -> list[tuple[int, str, str]]:
    dep = read_deployment(path, vocabulary_of([PACK]))
    return [(f.location.line, f.severity, f.message) for f in check_deployment(dep, [PACK])]


def test_each_change_needs_its_earlier_steps_before_it():
    """Ann is exported before her removal; Bob after his (late: an error, his data was not
    exported); Dan syncs under no enabled policy, so the procedure does not apply; Support is
    disabled before its users are told (late, a warning: the residue is the default), then told
    before its second disabling; Old is disabled already (done)."""
    assert _found(HERE / "changes.yaml") == [
        (
            22,
            "error",
            "KB998-P1 step 1 (Export the user's synced data.) comes after remove-user of "
            "bob@x.example: the user's synced data was exported first: no",
        ),
        (
            24,
            "warning",
            "KB998-P2 step 1 (Tell the policy's users.) comes after disable-policy of Support: "
            "no consequence the pack predicts",
        ),
    ]


def test_a_step_never_done_is_missing_and_one_done_before_the_last_change_counts_once(tmp_path):
    """Without Bob's late export his step is missing; without the telling, both disablings of
    Support miss it (a step done before an earlier change of the same policy does not count
    for the next)."""
    text = (HERE / "changes.yaml").read_text("utf-8")
    lines = [
        line
        for line in text.splitlines()
        if "export-user, email: bob" not in line and "notify-users" not in line
    ]
    path = tmp_path / "changes.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert [message.split(":")[0] for _, _, message in _found(path)] == [
        "KB998-P1 step 1 (Export the user's synced data.) is missing before remove-user of "
        "bob@x.example",
        "KB998-P2 step 1 (Tell the policy's users.) is missing before disable-policy of Support",
        "KB998-P2 step 1 (Tell the policy's users.) is missing before disable-policy of Support",
    ]


def test_the_finding_names_the_change_and_predicts_the_residue():
    dep = read_deployment(HERE / "changes.yaml", vocabulary_of([PACK]))
    bob = check_deployment(dep, [PACK])[0]
    assert bob.subject == {
        "email": "bob@x.example",
        "crm_user": "bob@x.example",
        "instance": "onprem",
        "policy": "Sales",
        "procedure": "KB998-P1",
        "step": "export",
        "events": [3],
    }
    assert bob.outcome == {"data_exported": False}


MOVE_P2 = {
    "    change: event\n    steps:": "    steps:",
    "event.instance == change.instance and event.policy == change.policy": (
        "event.policy == source.policy"
    ),
    "not change.before.enabled": "not source.enabled",
}


@pytest.mark.parametrize(
    ("edits", "says"),
    [
        ({"    change: event\n    applies:": "    applies:"}, "unknown name 'change'"),
        (MOVE_P2, "procedure 'KB998-P2' ends with change: move and 'KB998-P1' with change: event"),
    ],
)
def test_a_move_procedure_reads_no_change_and_a_rule_runs_one_kind(tmp_path, edits, says):
    text = (HERE / "pack.yaml").read_text("utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "pack.yaml").write_text(text, "utf-8")
    (tmp_path / "changes.yaml").write_text((HERE / "changes.yaml").read_text("utf-8"), "utf-8")
    with pytest.raises(InputError) as caught:
        load_pack(tmp_path / "pack.yaml")
    errors = getattr(caught.value, "errors", [caught.value])
    assert [says in e.message for e in errors] == [True], [e.message for e in errors]


def test_the_move_sweep_leaves_a_change_that_is_no_move_alone():
    """The simulator sweeps the moves of a pack's procedures; an event's procedure, whose
    ``applies`` reads ``change``, is none (evaluated on a move it would read an unknown name)."""
    from kb_lint.simulate.moves import _system

    assert [_system(p) for p in PACK.procedures.values()] == [None, None]


INSTANCE_PROCEDURE = """  - id: KB998-P3
    title: Stopping the services
    change: event
    steps:
      - id: drain
        step: 1
        text: Remove the users of the policy.
        action: remove-user
        match: event.instance == change.instance
      - {id: stop, step: 2, text: Stop the services., action: stop-services}
rules:
"""


def test_a_change_that_names_only_an_instance_is_preceded_by_any_event_of_that_instance(
    tmp_path,
):
    """Trial 5 F2: the change names no policy and no mailbox (an instance's services stopped),
    so an earlier step's event is one of that instance, whatever policy it names; its
    ``match`` decides the rest."""
    text = (HERE / "pack.yaml").read_text("utf-8")
    text = text.replace(
        "actions:\n",
        "actions:\n  - {name: stop-services, needs: [instance], description: Stops Riva.}\n",
    )
    text = text.replace("rules:\n", INSTANCE_PROCEDURE, 1)
    text = text.replace("procedures: [KB998-P1, KB998-P2]", "procedures: [KB998-P3]")
    (tmp_path / "pack.yaml").write_text(text, "utf-8")
    (tmp_path / "changes.yaml").write_text((HERE / "changes.yaml").read_text("utf-8"), "utf-8")
    pack = load_pack(tmp_path / "pack.yaml")
    plan = (
        "instances:\n  - name: onprem\n    kind: on-premise\n    policies:\n"
        "      - name: Sales\n        users: [{email: ann@x.example, crm_user: ann@x.example}]\n"
        "timeline:\nREMOVAL  - {action: stop-services, instance: onprem}\n"
    )
    removal = (
        "  - {action: remove-user, instance: onprem, policy: Sales, email: ann@x.example, "
        "crm_user: ann@x.example}\n"
    )
    for removed, found in ((removal, []), ("", ["KB998-P3 step 1"])):
        path = tmp_path / "plan.yaml"
        path.write_text(plan.replace("REMOVAL", removed), "utf-8")
        dep = read_deployment(path, vocabulary_of([pack]))
        messages = [f.message for f in check_deployment(dep, [pack])]
        assert [m.split(" (")[0] for m in messages] == found, messages
