"""Pack KB1508's historic item filter (trial 14 #15, #16): a negative ``history_days`` is refused
where it is written, in the file and in a timeline event that sets it; KB1508-001 says it
judges only an instance that gives ``plan: trial``, and an instance without a plan is not
judged (the plan has no default, pack assumption A3)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, one_error

BAD = "tests/check/bad"  # as a user writes the paths, from the checkout
TRIAL = "rules/kb-1508/examples/trial-history-30-days.yaml"


@pytest.mark.parametrize(
    ("name", "where", "value"),
    [("negative-history.yaml", "8:23", "-5"), ("negative-history-event.yaml", "12:104", "-1")],
)
def test_a_negative_history_filter_is_refused_at_its_value(kb_lint, name, where, value):
    proc = kb_lint("check", f"{BAD}/{name}")
    assert proc.returncode == 2
    assert one_error(proc) == (
        f"kb-lint: tests/check/bad/{name}:{where}: 'history_days' must be at least 0, not {value}"
    )


def test_without_a_plan_the_filter_is_not_judged_and_the_rule_says_so(kb_lint, tmp_path):
    """The same 30-day filter: a warning on a trial, nothing when the plan is left out; the
    rule's own page names the condition."""
    assert kb_lint("check", TRIAL).stdout.startswith(f"{TRIAL}:8:9: KB1508-001 warning")
    unknown = tmp_path / "no-plan.yaml"
    unknown.write_text((ROOT / TRIAL).read_text("utf-8").replace("    plan: trial\n", ""), "utf-8")
    proc = kb_lint("check", unknown)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (1 file).\n")
    explained = " ".join(kb_lint("explain", "KB1508-001").stdout.split())
    assert "Only an instance that says plan: trial is judged" in explained
