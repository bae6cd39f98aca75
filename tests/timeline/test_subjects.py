"""What a finding's subject names, in the JSON report, and which findings a superseding rule
drops for it: ``kb-lint check`` run as a user runs it on trials 9 and 10's plans, through a
pack of the tests' own (``packs/kb-931-subjects``, KB931)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PACKS = Path(__file__).parent / "packs"
PLAN = PACKS / "kb-931-subjects" / "examples" / "two-servers.yaml"


def _report(kb_lint, select: str) -> list[dict[str, Any]]:
    proc = kb_lint("check", "--rules", PACKS, "--select", select, PLAN, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_a_superseding_finding_drops_the_other_rules_finding_on_its_subject_only(kb_lint):
    """Trial 9 P4: KB931-002 (disabled, not saved, retired) supersedes the procedure rule
    KB931-001 on east's retirement of Pilot; west's retirement of Beta, which KB931-002 never
    names, keeps its KB931-001 finding (it was dropped: a policy's subject names no mailbox,
    and every such subject counted as one)."""
    found = _report(kb_lint, "KB931-001,KB931-002")
    assert [(f["rule"], f["line"]) for f in found] == [("KB931-002", 23), ("KB931-001", 24)]
    assert (found[1]["subject"]["instance"], found[1]["subject"]["policy"]) == (
        "onprem-west",
        "Beta",
    )
    alone = _report(kb_lint, "KB931-001")  # without the superseding rule: both retirements
    assert [f["line"] for f in alone] == [23, 24]
