"""What the replayed estate says an instance wrote besides its data types (kb_lint/model/estate.py):
a GroupWise policy syncing appointments or tasks writes a sub-calendar, and only then.

No clean-up step of a shipped pack covers a container alone, so the tests' own pack KB992 has
one (``tests/model/packs/kb-992``): its step 2 removes the sub-calendar, and when the step is
left out, its residue is predicted only if the estate still holds a sub-calendar at the end."""

from __future__ import annotations

import json
from pathlib import Path

PACKS = Path(__file__).parent / "packs"
MOVES = PACKS / "kb-992"


def _findings(kb_lint, name: str) -> list[dict]:
    proc = kb_lint("check", "--rules", PACKS, MOVES / name, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_a_sub_calendar_outlives_the_appointments_and_tasks_it_held(kb_lint):
    """Appointments and tasks removed, the sub-calendar kept: step 2's residue is left."""
    [finding] = _findings(kb_lint, "sub-calendar-left.yaml")
    assert finding["subject"]["step"] == "remove-sub-calendar"
    assert finding["severity"] == "error"
    assert finding["outcome"] == {"leftovers": ["sub-calendar"]}
    assert finding["message"] == (
        "step 2 of KB992-P1 is missing before add-user; at the end: what the step removes is"
        " still there"
    )


def test_a_groupwise_policy_without_appointments_or_tasks_writes_no_sub_calendar(kb_lint):
    """Contacts only: no sub-calendar was written, so leaving step 2 out leaves nothing."""
    [finding] = _findings(kb_lint, "no-sub-calendar.yaml")
    assert finding["subject"]["step"] == "remove-sub-calendar"
    assert finding["severity"] == "warning"
    assert finding["outcome"] == {}
    assert finding["message"].endswith("at the end: clean, but the step was left out")
