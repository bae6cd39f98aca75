"""A removal that names a user, account or mailbox the deployment does not have would change
nothing: an input error at the event's email, with the nearest name (``check_mailboxes``)."""

from __future__ import annotations

from typing import Any

import pytest

from kb_lint.errors import InputError
from kb_lint.simulate import scenario_from_data

BOB = {"email": "bob@acme.example", "crm_user": "bob@acme.example"}
ANN = {"email": "ann@acme.example", "crm_user": "ann@acme.example"}
SALES = {"instance": "onprem", "policy": "Sales"}


def _plan(*events: dict[str, Any]) -> dict[str, Any]:
    policies = [{"name": "Sales", "users": [BOB]}, {"name": "Support"}]
    return {
        "instances": [{"name": "onprem", "kind": "on-premise", "policies": policies}],
        "timeline": [{"cycle": n + 1, **e} for n, e in enumerate(events)],
    }


def _load(data: dict[str, Any]) -> None:
    scenario_from_data(data, "<plan>")


@pytest.mark.parametrize(
    "events",
    [
        [{"action": "remove-user", **SALES, **BOB}],
        [{"action": "add-user", **SALES, **ANN}, {"action": "remove-user", **SALES, **ANN}],
        [
            {"action": "remove-user", **SALES, **BOB},
            {"action": "delete-account", "instance": "onprem", "email": "BOB@acme.example"},
            {"action": "remove-riva-data", "email": "bob@acme.example", "what": "all"},
        ],
        [
            {"action": "add-user", **SALES, **ANN},
            {"action": "remove-riva-data", "email": ANN["email"]},
        ],
    ],
)
def test_removals_of_what_the_deployment_has_load(events):
    _load(_plan(*events))


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [{"action": "remove-user", **SALES, **BOB, "email": "bbo@acme.example"}],
            "remove-user: bbo@acme.example ↔ bob@acme.example is not a user of onprem / Sales "
            "now (did you mean 'bob@acme.example'?)",
        ),
        (
            [{"action": "remove-user", **SALES, **BOB}, {"action": "remove-user", **SALES, **BOB}],
            "remove-user: bob@acme.example ↔ bob@acme.example is not a user of onprem / Sales now",
        ),
        (
            [{"action": "remove-user", "instance": "onprem", "policy": "Support", **BOB}],
            "remove-user: bob@acme.example ↔ bob@acme.example is not a user of onprem / Support",
        ),
        (
            [{"action": "delete-account", "instance": "onprem", "email": "bbo@acme.example"}],
            "delete-account: onprem has no account for bbo@acme.example (did you mean "
            "'bob@acme.example'?)",
        ),
        (
            [{"action": "remove-riva-data", "email": "ann@acme.example"}],
            "remove-riva-data: no instance syncs or synced ann@acme.example",
        ),
    ],
)
def test_a_removal_of_nothing_is_an_error_at_the_events_email(events, message):
    with pytest.raises(InputError) as caught:
        _load(_plan(*events))
    assert message in caught.value.message


def test_a_pack_action_of_an_assigned_user_names_one(kb_lint, tmp_path):
    """Trial 4 F9: ``assigned_user: true`` on a pack's action (tests/every_key's ``note-user``):
    an event naming a mailbox its policy does not assign then is an input error at its email,
    as a ``remove-user`` of one is; one that names a user of the policy is judged."""
    import shutil
    from pathlib import Path

    rules = tmp_path / "rules"
    for pack in ("kb-990", "kb-991"):  # KB991: the pack KB990 extends
        shutil.copytree(Path(__file__).parents[1] / "every_key" / pack, rules / pack)
    plan = tmp_path / "plan.yaml"
    event = "{cycle: 1, action: note-user, instance: onprem, policy: Sales, email: %s}"
    text = (
        "instances:\n  - name: onprem\n    kind: on-premise\n    policies:\n"
        "      - name: Sales\n        users: [{email: bob@acme.example, crm_user: bob}]\n"
        f"timeline:\n  - {event}\n"
    )
    plan.write_text(text % "bob@acme.example", "utf-8")
    assert kb_lint("check", plan, "--rules", rules).returncode in (0, 1)
    plan.write_text(text % "bbo@acme.example", "utf-8")
    proc = kb_lint("check", plan, "--rules", rules)
    assert proc.returncode == 2
    assert (
        "plan.yaml:8:75: note-user: bbo@acme.example is not a user of onprem / Sales now "
        "(did you mean 'bob@acme.example'?)"
    ) in proc.stderr, proc.stderr
