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
        [{"action": "add-user", **SALES, **ANN}, {"action": "remove-riva-data", **ANN}],
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
