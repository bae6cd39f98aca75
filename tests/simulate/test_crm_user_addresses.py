"""M14 (KB 1270) is a CRM user removed from an instance and added back under a new address: a
CRM user an instance still syncs for one mailbox, added for another, is two users' syncs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCENARIO = Path(__file__).parent / "data" / "crm-user-under-a-second-address.yaml"


@pytest.mark.parametrize("path", [["--counting"], ["--item-level"]], ids=str)
def test_a_crm_user_still_synced_for_one_mailbox_is_not_readdressed(kb_lint, path):
    proc = kb_lint("simulate", SCENARIO, "--format", "json", *path)
    assert proc.returncode == 0, proc.stderr
    run = json.loads(proc.stdout)
    for email in ("ann@acme.example", "ann.lee@acme.example"):
        outcome = run["mailboxes"][email]
        assert outcome["mailbox_copies"] == 1 and outcome["leftovers"] == []
        assert "rename_result" not in outcome
