"""An exclusivity rule whose key leaves out the mailbox (``key: [instance]``: "at most N users
per instance", pack KB961 of the tests) judges a timeline's change against every user of the
group, not only the mailboxes the event names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data

PACKS = load_packs(Path(__file__).parent / "packs")
VOCABULARY = vocabulary_of(PACKS)


def _user(name: str) -> dict[str, str]:
    return {"email": f"{name}@acme.example", "crm_user": f"{name}@acme.example"}


def _findings(licences: int, *events: dict[str, Any]) -> list[Finding]:
    instance = {
        "name": "onprem",
        "kind": "on-premise",
        "license_count": licences,
        "policies": [{"name": "Sales", "users": [_user("ann"), _user("bob")]}],
    }
    data = {
        "instances": [instance],
        "timeline": [
            {"at": f"2026-12-0{n + 1}", "instance": "onprem", **_policy(e), **e}
            for n, e in enumerate(events)
        ],
    }
    return check_deployment(scenario_from_data(data, "<plan>", VOCABULARY).deployment, PACKS)


def _policy(event: dict[str, Any]) -> dict[str, str]:
    """Sales, for an event whose action names a policy (change-licences names the instance
    alone: a policy given to it is an error)."""
    return {} if event["action"] == "change-licences" else {"policy": "Sales"}


def test_adding_a_user_to_a_full_instance_is_a_finding_at_the_event():
    [finding] = _findings(2, {"action": "add-user", **_user("cal")})
    assert finding.message == "onprem has more users than licences, from add-user on 2026-12-01"


def test_a_user_removed_first_makes_room():
    removed = {"action": "remove-user", **_user("ann")}
    assert _findings(2, removed, {"action": "add-user", **_user("cal")}) == []


def test_an_instance_with_room_takes_the_user():
    assert _findings(3, {"action": "add-user", **_user("cal")}) == []


def test_an_instance_field_an_event_sets_holds_for_every_policy_of_the_instance():
    fewer = {"action": "change-licences", "license_count": 1}
    [finding] = _findings(2, fewer)
    assert finding.message == (
        "onprem has more users than licences, from change-licences on 2026-12-01"
    )
    assert _findings(2, {"action": "change-licences", "license_count": 3}) == []


def test_a_limit_judges_a_group_of_one():
    """No ``distinct``: the rule is a limit, so one user on no licence breaks it too."""
    removed = {"action": "remove-user", **_user("ann")}
    [finding] = _findings(2, removed, {"action": "change-licences", "license_count": 0})
    assert finding.message.endswith("from change-licences on 2026-12-02")


def test_a_limit_broken_before_a_change_is_not_reported_again():
    fewer = {"action": "change-licences", "license_count": 0}
    [finding] = _findings(2, fewer, {"action": "remove-user", **_user("ann")})
    assert finding.message.endswith("from change-licences on 2026-12-01")


def test_a_limit_names_the_users_it_counted():
    """A limit counts its members: its subject names each binding's email, so a reader (and
    the JSON report) sees who fills the instance; it still sits at the batch's change."""
    [finding] = _findings(2, {"action": "add-user", **_user("cal")})
    assert finding.subject["bindings"] == [
        {"instance": "onprem", "policy": "Sales", "email": f"{name}@acme.example"}
        for name in ("ann", "bob", "cal")
    ]
