"""M16 (KB 1507): a meeting of the user's own, given the policy's category after the first sync,
is matched under the policy's Attendee Syncing options on every path; the contacts Riva creates
reach the CRM and come back into the address book; Must Match keeps a meeting that matched no
contact from the CRM, without an error."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb_lint.pack import load_packs
from kb_lint.pack.load import vocabulary_of
from kb_lint.simulate import counting, scenario_from_data, simulate, sync
from kb_lint.simulate.coverage import not_modelled
from kb_lint.simulate.meetings import Options, match
from tests.conftest import ROOT
from tests.simulate.test_pack_mechanisms import USER, meeting

PACKS = load_packs(ROOT / "rules")
VOCABULARY = vocabulary_of(PACKS)
PATHS = {"item_level": {"item_level": True}, "counting": {"counting": True}, "fast": {}}


def _run(data: dict, path: str = "item_level"):
    return simulate(scenario_from_data(data, "scenario", VOCABULARY), **PATHS[path])


@pytest.mark.parametrize(
    ("data", "skipped", "created"),
    [
        (meeting(), True, []),
        (meeting(must_match=False), False, []),
        (meeting("strangers", exclusivity=False), False, ["employee", "external"]),
        (meeting("contacts", exclusivity=False, attendee_create_contacts=False), False, []),
        (meeting("strangers", attendee_create_contacts=False), True, []),
        (meeting("colleagues", exclusivity=False), False, ["employee"]),
    ],
    ids=["internal", "must match off", "both kinds", "a contact", "no create", "employees"],
)
@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_combination_on_every_path(data, skipped, created, path):
    outcome = _run(data, path).mailboxes[USER]
    assert (outcome["meeting_skipped"], outcome["contacts_created"]) == (skipped, created)
    assert outcome["sync_errors"] is False  # a skipped meeting is no error


@pytest.mark.parametrize("path", ["item_level", "counting"])
def test_created_contacts_reach_the_crm_and_the_address_book(path):
    """Both people of a meeting with a stranger get a contact (Exclusivity off); the meeting
    itself becomes a CRM appointment; Riva copies the two contacts down on the next sync."""
    final = _run(meeting("strangers", exclusivity=False), path).cycles[-1]
    assert final.crm_records == 2 + 1 + 1 + 2  # contacts, appointment, the meeting, two new
    assert final.mailbox_items == (2 + 1) + 1 + 2  # Riva's copies, the meeting, two new copies
    assert final.crm_duplicates == 0


@pytest.mark.parametrize("path", ["item_level", "counting"])
def test_a_skipped_meeting_stays_out_of_the_crm(path):
    final = _run(meeting(), path).cycles[-1]
    assert final.crm_records == 2 + 1  # the originals only
    assert final.mailbox_items == 2 + 1 + 1  # their copies and the meeting


def test_a_contact_created_once_is_matched_by_the_next_policy():
    """With force user exclusivity off, a second policy syncing Ann sends the meeting up too
    (its own copy, M6); the contacts the first created now match, so none is created twice."""
    data = meeting("strangers", exclusivity=False)
    policy = data["instances"][0]["policies"][0]
    data["instances"][0]["force_user_exclusivity"] = False
    data["instances"][0]["policies"].append(policy | {"name": "Copy of Sales"})
    for path in PATHS:
        result = _run(data, path)
        assert result.mailboxes[USER]["contacts_created"] == ["employee", "external"]
        assert result.cycles[-1].crm_records == 2 + 1 + 2 + 2  # two meetings, two contacts


def test_without_its_options_a_policy_has_no_meeting_and_says_so():
    """A policy that does not give all three options is not modelled so (pack KB1507's A3):
    the run shows no meeting, and the report names the user whose meetings it leaves out."""
    data = meeting()
    del data["instances"][0]["policies"][0]["attendee_must_match"]
    assert "meeting_skipped" not in _run(data).mailboxes[USER]
    scenario = scenario_from_data(data, "scenario", VOCABULARY)
    [line] = not_modelled(scenario.deployment, PACKS)
    assert line.startswith(
        f"not modelled (KB1507): fields meeting_attendees (user {USER} in onprem / Sales): "
        "the model runs as if they were not given"
    )
    assert not_modelled(scenario_from_data(meeting(), "s", VOCABULARY).deployment, PACKS) == []


def test_the_counting_paths_matching_is_what_skips(monkeypatch):
    monkeypatch.setattr(counting, "meeting_sent", lambda *args: True)
    assert _run(meeting(), "counting").mailboxes[USER]["meeting_skipped"] is False


def test_the_meeting_is_sent_by_its_category_not_reported_as_foreign(monkeypatch):
    """M16's branch of the scan sends the meeting up: an item of the user's own in the category
    that is no meeting is a foreign item, an error at each sync (M2)."""
    assert _run(meeting(must_match=False)).mailboxes[USER]["sync_errors"] is False
    meet = sync.World.meet

    def no_attendees(world, meetings):
        meet(world, tuple(replace(m, attendees="") for m in meetings))

    monkeypatch.setattr(sync.World, "meet", no_attendees)
    assert _run(meeting(must_match=False)).mailboxes[USER]["sync_errors"] is True


@pytest.mark.parametrize(
    ("options", "attendees", "created", "expected"),
    [
        (Options(True, True, True), "colleagues", frozenset(), (False, [])),
        (Options(True, False, True), "colleagues", frozenset(), (True, ["organiser", "attendee"])),
        (Options(True, False, True), "colleagues", frozenset({"organiser"}), (True, ["attendee"])),
        (Options(True, False, False), "contacts", frozenset(), (True, [])),
        (Options(False, True, False), "strangers", frozenset(), (True, [])),
    ],
)
def test_match_is_the_articles_combinations(options, attendees, created, expected):
    assert match(options, attendees, created) == expected


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_meeting_made_before_the_first_sync_goes_to_lost_and_found(path):
    """A policy enabled after the meeting was made finds it in its category at its first sync
    (M2): Riva moves it to Lost & Found and matches no one."""
    data = meeting("strangers", exclusivity=False, enabled=False)
    data["timeline"] = [
        {"cycle": 3, "action": "enable-policy", "instance": "onprem", "policy": "Sales"}
    ]
    data["cycles"] = 5
    outcome = _run(data, path).mailboxes[USER]
    assert outcome["lost_and_found"] is True
    assert (outcome["meeting_skipped"], outcome["contacts_created"]) == (False, [])
