"""The counting path follows a class of items through every change the item-level path makes
to its items (kb_lint/simulate/counting.py): the same measures, cycle by cycle, on cases the
bundled scenarios do not hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
PATHS = [["--counting"], ["--item-level"]]


def _cycles(kb_lint, name: str, path: list[str]) -> tuple[list[dict], dict]:
    proc = kb_lint("simulate", DATA / name, "--format", "json", *path)
    assert proc.returncode in (0, 1), proc.stderr
    run = json.loads(proc.stdout)
    return run["cycles"], run["mailboxes"]["ann@acme.example"]


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_a_copy_sent_up_and_then_removed_is_written_again(kb_lint, path):
    """The removed copies had changed class when On-Premise sent them up: their records lose
    their mailbox item, so Riva Cloud writes them again (2 contacts) and On-Premise sends the
    new copies and its own 2 new items up: 7 items more a cycle from cycle 3, not 3."""
    cycles, _ = _cycles(kb_lint, "sent-up-then-removed.yaml", path)
    assert [c["mailbox_items"] for c in cycles] == [6, 9, 16, 23, 30]
    assert [c["crm_records"] for c in cycles] == [6, 9, 9, 16, 23]


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_copies_met_before_their_instance_stopped_stay_errors(kb_lint, path):
    """Lost & Found takes an inactive instance's items only on the first sync of a type (M2):
    after Riva Cloud's policy is disabled, On-Premise errs on its 3 copies every cycle (and on
    the folder root Riva Cloud made, 4 errors)."""
    cycles, outcome = _cycles(kb_lint, "disabled-after-the-first-sync.yaml", path)
    assert [c["errors"] for c in cycles] == [4, 7, 4, 4]
    assert [c["mailbox_copies_max"] for c in cycles] == [2, 2, 2, 2]
    assert outcome["lost_and_found"] is False


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_copies_no_active_instance_owns_go_to_lost_and_found_on_the_first_sync(kb_lint, path):
    cycles, outcome = _cycles(kb_lint, "lost-and-found-on-the-first-sync.yaml", path)
    assert [c["errors"] for c in cycles] == [0, 0, 1, 1]  # the folder root only
    assert [c["mailbox_copies_max"] for c in cycles] == [1, 1, 1, 1]
    assert outcome["lost_and_found"] is True


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_a_readdressed_mailbox_keeps_the_copies_of_a_crm_user_it_shares(kb_lint, path):
    """The copies in Ann's mailbox of records also copied to Bob's go with the mailbox to its
    new address, and count there beside the new copies (M14)."""
    proc = kb_lint("simulate", DATA / "shared-crm-user-readdressed.yaml", "--format", "json", *path)
    run = json.loads(proc.stdout)
    assert [c["mailbox_copies_max"] for c in run["cycles"]] == [1, 1, 2, 2]
    copies = {email: o["mailbox_copies"] for email, o in run["mailboxes"].items()}
    assert copies == {"ann@acme.example": 0, "bob@acme.example": 1, "ann.lee@acme.example": 2}
    assert run["mailboxes"]["ann.lee@acme.example"]["rename_result"] == "first_sync_duplicates"
