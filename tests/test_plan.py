"""Plans checked at every step (``kb_lint.engine.plan``), end to end through ``kb-lint check``."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "rules" / "kb-105" / "examples"


def findings(kb_lint, path, rule: str) -> list[dict]:
    proc = kb_lint("check", path, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == rule]


def line_of(path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("name", "event", "outcome"),
    [
        # Riva On-Premise syncs the user; the plan adds them to Riva Cloud
        ("plan-add-to-cloud.yaml", "add-user, instance: riva-cloud", {"mailbox_copies": 2}),
        # from one On-Premise server to another, the new one first
        ("plan-between-on-premise.yaml", "add-user, instance: onprem-new", {"sync_errors": True}),
        # a migration by the book, then back to Riva Cloud
        (
            "plan-back-to-cloud.yaml",
            "action: add-user, instance: riva-cloud",
            {"mailbox_copies": 2},
        ),
        # enabling a policy that still holds the user
        ("plan-enable-policy.yaml", "enable-policy", {"sync_errors": True, "mailbox_copies": 2}),
    ],
)
def test_an_overlap_a_plan_creates_is_a_finding_at_its_event(kb_lint, name, event, outcome):
    path = EXAMPLES / name
    [finding] = [f for f in findings(kb_lint, path, "KB105-001") if ", from " in f["message"]]
    assert finding["line"] == line_of(path, event)
    assert outcome.items() <= finding["outcome"].items()
    assert finding["why"].startswith("row ")
    assert [r["line"] for r in finding["related"]] != []


def test_a_plan_that_ends_an_overlap_reports_only_what_it_creates(kb_lint):
    # by the book: the user is in one instance after every event
    assert findings(kb_lint, EXAMPLES / "migration-exchange.yaml", "KB105-001") == []


def test_the_clean_up_bullets_come_in_any_order(kb_lint):
    proc = kb_lint("check", EXAMPLES / "migration-cleanup-any-order.yaml")
    assert proc.returncode == 0, proc.stdout


def test_a_move_between_on_premise_servers_is_one_finding_of_kb_lints_own_procedure(kb_lint):
    """The article's procedures are for Riva Cloud to Riva On-Premise; a second On-Premise
    server gets KB105-P3 (assumption A12): one finding for the move, no Riva Cloud step."""
    [finding] = findings(kb_lint, EXAMPLES / "plan-between-on-premise.yaml", "KB105-010")
    assert finding["subject"]["procedure"] == "KB105-P3"
    assert finding["subject"]["step"] == [
        "remove-from-old-instance",
        "remove-contacts-and-leads",
        "remove-appointments",
        "remove-tasks",
        "remove-folder-structure",
        "remove-categories",
    ]
    assert finding["message"].startswith("step 1 and step 2, bullets 1–5 of KB105-P3 (")
    assert "Riva Cloud" not in finding["message"]
    assert "onprem-old and onprem-new both sync it" in finding["message"]


@pytest.mark.parametrize("command", ["check", "simulate"])
def test_a_timeline_mixing_dates_and_cycles_is_refused_by_checker_and_simulator(
    kb_lint, tmp_path, command
):
    plan = tmp_path / "mixed.yaml"
    plan.write_text(
        "instances:\n"
        "  - name: riva-cloud\n"
        "    kind: cloud\n"
        "    policies:\n"
        "      - name: Trial\n"
        "timeline:\n"
        "  - {cycle: 2, action: disable-policy, instance: riva-cloud, policy: Trial}\n"
        "  - {at: 2024-05-01, action: enable-policy, instance: riva-cloud, policy: Trial}\n",
        "utf-8",
    )
    proc = kb_lint(command, plan)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(
        "mixed.yaml:8:10: timeline mixes dates and cycles (line 7 gives a cycle): give every "
        "event a date, or every event a cycle"
    )
