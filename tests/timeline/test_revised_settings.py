"""Check rules judge the settings a timeline gives a policy (``kb_lint.engine.revisions``): a
pack action that ``sets`` a field, and ``enable-policy``, are judged as the file's own values."""

from __future__ import annotations

import json
from typing import Any

from kb_lint.engine import check_deployment
from kb_lint.findings import Finding
from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import scenario_from_data
from tests.conftest import ROOT

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
ANN = {"email": "ann@acme.example", "crm_user": "ann@acme.example"}


def _findings(data: dict[str, Any], rule: str) -> list[Finding]:
    deployment = scenario_from_data(data, "<plan>", VOCABULARY).deployment
    return [f for f in check_deployment(deployment, PACKS) if f.rule == rule]


def _trial(days: int, *changes: tuple[str, int]) -> dict[str, Any]:
    """A Riva Cloud trial whose policy asks for ``days`` of history, then the ``changes``
    (date, days) a runbook makes to the filter."""
    policy = {"name": "Sales", "history_days": days, "users": [ANN]}
    return {
        "instances": [{"name": "cloud", "kind": "cloud", "plan": "trial", "policies": [policy]}],
        "timeline": [
            {"at": at, "action": "change-history-filter", "instance": "cloud", "policy": "Sales"}
            | {"history_days": value}
            for at, value in changes
        ],
    }


def test_a_filter_the_timeline_raises_past_the_cap_is_a_finding_at_the_event(kb_lint):
    example = "rules/kb-1508/examples/trial-history-raised-later.yaml"
    done = kb_lint("check", example, "--select", "KB1508-001", "--format", "json")
    assert done.returncode == 1, done.stderr
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["message"].endswith(
        "30 days back, but a trial subscription reaches back 15 days at most, "
        "from change-history-filter on 2026-12-01"
    )
    assert finding["outcome"]["history_capped"] is True
    assert (finding["line"], finding["column"]) == (14, 5)  # the event
    [policy] = finding["related"]
    assert (policy["line"], policy["note"]) == (9, "riva-cloud / Sales")


def test_a_filter_within_the_cap_after_the_change_is_no_finding():
    assert _findings(_trial(10, ("2026-12-01", 15)), "KB1508-001") == []
    [mended] = _findings(_trial(30, ("2026-12-01", 15)), "KB1508-001")
    assert mended.message.endswith(
        "30 days back, but a trial subscription reaches back 15 days at most"
    )


def test_a_policy_already_breaking_the_rule_is_not_reported_again():
    [finding] = _findings(_trial(30, ("2026-12-01", 60)), "KB1508-001")
    assert "from change-history-filter" not in finding.message


def test_a_change_that_mends_the_policy_clears_it_until_another_breaks_it_again():
    data = _trial(30, ("2026-12-01", 10), ("2026-12-08", 20))
    file, raised = _findings(data, "KB1508-001")
    assert "from change-history-filter" not in file.message
    assert raised.message.endswith(
        "20 days back, but a trial subscription reaches back 15 days "
        "at most, from change-history-filter on 2026-12-08"
    )


def test_one_date_is_one_change_riva_sees_whole():
    """Raised and lowered again on one date: Riva never syncs the raised filter."""
    assert _findings(_trial(10, ("2026-12-01", 30), ("2026-12-01", 10)), "KB1508-001") == []


def _disabled_policy(address_book: str) -> dict[str, Any]:
    user = ANN | {"address_book": address_book}
    policy = {"name": "Sales", "enabled": False, "users": [user]}
    return {
        "instances": [{"name": "onprem", "kind": "on-premise", "policies": [policy]}],
        "timeline": [
            {"at": "2026-12-01", "action": "enable-policy", "instance": "onprem", "policy": "Sales"}
        ],
    }


def test_enabling_a_policy_judges_its_users_first_sync():
    """KB519-001 (over bindings, ``where: enabled``): a disabled policy is not judged until the
    timeline enables it, at the event."""
    [finding] = _findings(_disabled_policy("has-crm-contacts"), "KB519-001")
    assert finding.message.endswith("from enable-policy on 2026-12-01")
    assert _findings(_disabled_policy("empty"), "KB519-001") == []


def _added(address_book: str | None, action: str = "add-user") -> dict[str, Any]:
    event = {"at": "2026-12-01", "action": action, "instance": "onprem", "policy": "Sales"} | ANN
    if address_book is not None:
        event["address_book"] = address_book
    policy = {"name": "Sales", "users": [BOB]}
    return {
        "instances": [{"name": "onprem", "kind": "on-premise", "policies": [policy]}],
        "timeline": [event],
    }


BOB = {"email": "bob@acme.example", "crm_user": "bob@acme.example", "address_book": "empty"}


def test_a_user_the_timeline_adds_is_judged_with_the_user_fields_the_event_gives():
    [finding] = _findings(_added("has-crm-contacts"), "KB519-001")
    assert finding.message.startswith("ann@acme.example of onprem / Sales will see duplicate")
    assert finding.message.endswith("from add-user on 2026-12-01")
    assert _findings(_added("empty"), "KB519-001") == []
    assert _findings(_added(None), "KB519-001") == []  # the field's default: unknown


def test_a_user_field_on_another_event_is_an_error_at_the_field(kb_lint, tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_added("empty", "remove-user"), indent=1), "utf-8")
    done = kb_lint("check", plan)
    assert done.returncode == 2
    line = plan.read_text("utf-8").splitlines().index('   "address_book": "empty"') + 1
    assert done.stderr.strip() == (
        f"kb-lint: {plan}:{line}:4: 'address_book' is a user field: only an add-user event "
        "gives it, for the user it adds (remove-user does not read it)"
    )


def test_a_setting_on_an_event_that_does_not_change_it_is_an_error(kb_lint, tmp_path):
    data = _trial(10, ("2026-12-01", 30))
    data["timeline"][0] |= {"action": "change-sync-category", "category": "New"}
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data, indent=1), "utf-8")
    done = kb_lint("check", plan)
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "'history_days' is a setting only change-history-filter events change "
        "(change-sync-category does not read it)"
    )
