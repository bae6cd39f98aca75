"""Copies of an original CRM record (M9) count only originals: a record sent up from a
mailbox (M4), the first one included, is a duplicate or a new record, never an original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCENARIO = Path(__file__).parent / "data" / "created-records-are-not-originals.yaml"


@pytest.mark.parametrize("path", [[], ["--counting"], ["--item-level"]], ids=str)
def test_copies_of_records_created_from_a_mailbox_are_not_copies_of_an_original(
    kb_lint, tmp_path, path
):
    trace = tmp_path / "trace.jsonl"
    proc = kb_lint("simulate", SCENARIO, "--format", "json", "--trace", trace, *path)
    assert proc.returncode == 1, proc.stderr  # duplicates
    run = json.loads(proc.stdout)
    events = [json.loads(line) for line in trace.read_text("utf-8").splitlines()]
    copied = [e for e in events if e["event"] == "copied"]
    assert copied and {e["instance"] for e in copied} == {"onprem"}  # of created records
    assert run["final"]["crm_records"] == 4 and run["final"]["mailbox_copies_max"] == 0
    assert run["mailboxes"]["ann@acme.example"]["mailbox_copies"] == 0
