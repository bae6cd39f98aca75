"""The trace's ``skipped`` events (M6): a data type an enabled policy assigns to an existing
account but an earlier policy of the instance took; never for a disabled policy or a deleted
account, and never for a type the policy syncs itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "data"


@pytest.mark.parametrize("path", [[], ["--counting"], ["--item-level"]], ids=str)
def test_a_later_policy_of_an_instance_skips_the_types_an_earlier_one_took(kb_lint, path):
    proc = kb_lint("simulate", HERE / "force-exclusivity-skips.yaml", "--trace", "-", *path)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    skipped = [
        (e["cycle"], e["policy"], e["mailbox"], e["type"], e["crm_user"], e["why"])
        for e in events
        if e["event"] == "skipped"
    ]
    ann, bob = "ann@acme.example", "bob@acme.example"
    assert skipped == [
        (1, "Second", ann, "contacts", ann, "M6"),
        (1, "Second", bob, "contacts", bob, "M6"),
        (2, "Second", ann, "contacts", ann, "M6"),
        (3, "Second", ann, "contacts", ann, "M6"),
    ]
